"""Importing an office's existing dispute ledger (矛盾纠纷登记台账) from .xlsx or .csv.

Every row is checked by the same rules as the register form (``pipeline.dispute_errors``); all
rows are registered through the one intake path (``pipeline.register_dispute``) in one
transaction, or none when any row is wrong, so each imported case is numbered, timed-lined
and audited like one typed in (ARCHITECTURE rule 7).
Rows stream from the file (``core.tabular``) and are never all held: the report keeps the first
``PREVIEW_ROWS`` rows with readable labels and the first ``MAX_REPORTED_ERRORS`` problems, so
memory stays flat at the 50,000-row limit (issue #16).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Capability, roles_with
from fengqiao.cases import workflow
from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.models import DisputeCategory
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core import clock, crypto, refcache, spreadsheet
from fengqiao.core.collation import pinyin_key
from fengqiao.core.exceptions import ApplicationError, InvalidInput, TransitionBlocked
from fengqiao.core.tabular import RowError, read_rows
from fengqiao.intake.history import (
    CONCLUDED,
    FORM_WORDS,
    LEDGER_WORDS,
    MEDIATED,
    PERFORMANCE_WORDS,
    History,
    HistoryResult,
    missing_rights,
    registration_errors,
    replay_row,
    result_for,
)
from fengqiao.intake.pipeline import dispute_errors, register_dispute
from fengqiao.orgs.models import Mediator, Organisation
from fengqiao.orgs.roster import MediatorConflict
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region, within_q

# Column header → field. The first header of each field is what the template shows.
COLUMNS: list[tuple[str, str, bool]] = [  # (header, field, required)
    ("标题", "title", True),
    ("纠纷概况", "description", True),
    ("纠纷类别", "category", True),
    ("纠纷子类", "subcategory", False),
    ("发生地", "region", True),
    ("地址", "address", False),
    ("发生日期", "occurred_on", False),
    ("涉及金额", "amount", False),
    ("涉及人数", "people_count", False),
    ("当事人诉求", "claims", False),
    ("来源编号", "source_ref", False),
    ("申请人", "applicant", True),
    ("申请人身份证号", "applicant_id_number", False),
    ("申请人电话", "applicant_phone", False),
    ("被申请人", "respondent", False),
    ("被申请人电话", "respondent_phone", False),
    # History (issue #21 item 7): a row with a 登记日期 is replayed as the case it was
    # (``intake.history``); without one it is registered today, as before.
    ("登记日期", "registered_on", False),
    ("承办单位", "unit", False),
    ("调解员", "mediator", False),
    ("办理结果", "result", False),
    ("协议形式", "agreement_form", False),
    ("协议内容", "agreement_content", False),
    ("协议金额", "agreement_amount", False),
    ("履行情况", "performance", False),
    ("移交单位", "referred_to", False),
    ("办结日期", "concluded_on", False),
]
HISTORY_FIELDS = (
    "mediator",
    "result",
    "agreement_form",
    "agreement_content",
    "agreement_amount",
    "performance",
    "referred_to",
    "concluded_on",
)
HEADERS = {header: name for header, name, _required in COLUMNS}
HEADER_OF = {name: header for header, name, _required in COLUMNS}
OPTIONAL = {name for _header, name, required in COLUMNS if not required}
# Service field names → the column the user should look at.
SERVICE_FIELD_COLUMN = {
    "parties.0.name": "applicant",
    "parties.0.id_number": "applicant_id_number",
    "parties.0.phone": "applicant_phone",
    "parties.1.name": "respondent",
    "parties.1.phone": "respondent_phone",
    "parties": "applicant",
    "org_id": "unit",
    "assignee_id": "mediator",
    "agreement_form": "agreement_form",
    "termination_reason": "result",
    "note": "result",
    "due_date": "result",
}
EXAMPLE = [
    "张某与李某宅基地边界纠纷",
    "两户因宅基地界址发生争执，多次口角。",
    "房屋宅基地纠纷",
    "宅基地界址纠纷",
    "青湖村",
    "青湖村三组",
    "2026-11-01",
    "",
    "2",
    "请求确认界址",
    "TZ-2026-001",
    "张某",
    "",
    "13800138000",
    "李某",
    "",
    *[""] * 10,  # history columns: blank registers the row today as a new case
]


PREVIEW_ROWS = 50
MAX_REPORTED_ERRORS = 10_000
Progress = Callable[[int], None]  # called with the number of rows handled so far


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row as the importer understood it, in the words of the sheet (names, not codes)."""

    row: int
    title: str
    category: str
    place: str
    applicant: str
    respondent: str
    occurred_on: str
    amount: str
    registered_on: str = ""
    unit: str = ""
    mediator: str = ""
    result: str = ""
    concluded_on: str = ""


@dataclass(slots=True)
class ImportReport:
    rows: int = 0
    created: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, case number)
    errors: list[RowError] = field(default_factory=list)  # the first MAX_REPORTED_ERRORS
    error_count: int = 0
    preview: list[PreviewRow] = field(default_factory=list)  # the first PREVIEW_ROWS rows

    @property
    def ok(self) -> bool:
        return not self.error_count

    def add_errors(self, errors: Iterable[RowError]) -> None:
        for error in errors:
            self.error_count += 1
            if len(self.errors) < MAX_REPORTED_ERRORS:
                self.errors.append(error)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


class _RowReader:
    """Turns one sheet row into a CaseDraft (and, for a row with a 登记日期, its History),
    collecting errors under the sheet's column names."""

    def __init__(self, actor: User, org_id: int) -> None:
        self.actor = actor
        self.org_id = org_id
        own = set(access.org_ids_with(actor, Capability.CASE_REGISTER))
        units = Organisation.objects.filter(
            pk__in=access.history_unit_ids(actor), is_active=True
        ).select_related("region")
        self.units_by_id = {u.pk: u for u in units}
        # A row of today names a unit the importer registers for; a row of an earlier year may
        # also name a committee of their township (access.history_unit_ids, issue #21 item 7).
        self.units: dict[str, Organisation] = {}
        self.history_units: dict[str, Organisation] = {}
        for unit in sorted(units, key=lambda u: u.pk not in own):  # own units win a shared name
            for key in (unit.code, unit.short_name, unit.name):
                if key:
                    self.history_units.setdefault(key, unit)
                    if unit.pk in own:
                        self.units.setdefault(key, unit)
        self.mediators: dict[int, dict[str, list[User | Mediator]]] = {}
        self.declared: dict[tuple[str, int], list[MediatorConflict]] = {}
        self.categories = {c.name: c for c in DisputeCategory.objects.filter(is_active=True)}
        self.categories.update({c.code: c for c in self.categories.values()})
        prefixes = access.scope_prefixes(actor, Capability.CASE_REGISTER)
        regions = Region.objects.filter(
            within_q("prefix", prefixes), level__gte=RegionLevel.TOWNSHIP
        ).select_related("parent")
        self.regions_by_code = {r.code: r for r in regions}
        self.regions_by_name: dict[str, list[Region]] = {}
        for region in regions:
            self.regions_by_name.setdefault(region.name, []).append(region)

    def read(
        self, number: int, raw: dict[str, Any], errors: list[RowError]
    ) -> tuple[CaseDraft, History | None] | None:
        before = len(errors)

        def fail(name: str, message: str) -> None:
            errors.append(RowError(number, HEADER_OF[name], message))

        values = {name: _text(raw.get(name)) for name in HEADER_OF}
        for _header, name, required in COLUMNS:
            if required and not values[name]:
                fail(name, gettext("This field is required."))
        category = self.categories.get(values["category"])
        if values["category"] and (category is None or category.parent_id is not None):
            fail("category", gettext("Choose a category from the list."))
        subcategory = self.categories.get(values["subcategory"]) if values["subcategory"] else None
        if values["subcategory"] and subcategory is None:
            fail("subcategory", gettext("This subcategory does not belong to the category."))
        region = self._region(values["region"], fail)
        occurred_on = self._date(raw.get("occurred_on"), fail)
        amount = self._amount(values["amount"], fail)
        people = self._people(values["people_count"], fail)
        is_history = raw.get("registered_on") not in (None, "")
        unit = self._unit(values["unit"], fail, history=is_history)
        # a unit the row names but the importer may not use has no mediators to look up
        handling = unit if values["unit"] else self.units_by_id.get(self.org_id)
        history = self._history(raw, values, handling, fail)
        if history is not None:
            for message in self._conflicts(history, values):
                fail("mediator", message)
        if history is not None and occurred_on and occurred_on > history.registered_on:
            fail("registered_on", gettext("The registration date is before the date it arose."))
        if len(errors) > before:
            return None
        parties = [
            PartyDraft(
                role=PartyRole.APPLICANT,
                name=values["applicant"],
                id_number=values["applicant_id_number"],
                phone=values["applicant_phone"],
            )
        ]
        if values["respondent"]:
            parties.append(
                PartyDraft(
                    role=PartyRole.RESPONDENT,
                    name=values["respondent"],
                    phone=values["respondent_phone"],
                )
            )
        draft = CaseDraft(
            org_id=unit.pk if unit is not None else self.org_id,
            title=values["title"],
            description=values["description"],
            channel=Channel.IMPORT,
            category=category.code if category else "",
            subcategory=subcategory.code if subcategory else "",
            region=region.code if region else "",
            address=values["address"],
            occurred_on=occurred_on,
            amount=amount,
            people_count=people,
            claims=values["claims"],
            source_ref=values["source_ref"],
            parties=tuple(parties),
            route_extra={"recorded_unit": history.unit.code} if history is not None else {},
        )
        return draft, history

    def _unit(self, value: str, fail: Any, *, history: bool) -> Organisation | None:
        if not value:
            return None
        unit = (self.history_units if history else self.units).get(value)
        if unit is None and value in self.history_units:
            fail(
                "unit",
                gettext(
                    "A committee of your township handles only cases of earlier years (give the "
                    "registration date); register today's cases at your own unit."
                ),
            )
        elif unit is None:
            fail("unit", gettext("Name one of the units you may register cases for."))
        return unit

    def _history(
        self, raw: dict[str, Any], values: dict[str, str], unit: Organisation | None, fail: Any
    ) -> History | None:
        """The row's history when it has a 登记日期; its columns checked against each other."""
        registered_on = self._date(raw.get("registered_on"), fail, "registered_on")
        concluded_on = self._date(raw.get("concluded_on"), fail, "concluded_on")
        if registered_on is None:
            for name in HISTORY_FIELDS:
                if values[name]:
                    fail(name, gettext("Give the registration date of a case from the ledger."))
                    break
            return None
        today = clock.today()
        result = result_for(values["result"])
        if result is None:
            fail("result", gettext("Choose a result from the list."))
        if registered_on > today:
            fail("registered_on", gettext("The date cannot be in the future."))
        if concluded_on is not None:
            if concluded_on < registered_on:
                fail("concluded_on", gettext("The closing date is before the registration date."))
            if concluded_on > today:
                fail("concluded_on", gettext("The date cannot be in the future."))
            if result == HistoryResult.OPEN:
                fail("result", gettext("A case with a closing date needs its result."))
        elif result in CONCLUDED:
            fail("concluded_on", gettext("A concluded case needs its closing date."))
        form = ""
        if values["agreement_form"]:
            form = FORM_WORDS.get(values["agreement_form"], "")
            if not form:
                fail("agreement_form", gettext("Write 口头 or 书面."))
        elif result == HistoryResult.RESOLVED:
            fail("agreement_form", gettext("An agreement reached needs its form (口头 or 书面)."))
        if result != HistoryResult.RESOLVED:
            for name in ("agreement_form", "agreement_content", "agreement_amount", "performance"):
                if values[name] and result is not None:
                    fail(name, gettext("Only a case mediated successfully has an agreement."))
                    break
        performance = ""
        if values["performance"]:
            performance = PERFORMANCE_WORDS.get(values["performance"], "")
            if not performance:
                fail("performance", gettext("Write 已履行, 部分履行, 未履行 or 履行中."))
        agreement_amount = self._amount(values["agreement_amount"], fail, "agreement_amount")
        if result == HistoryResult.REFERRED and not values["referred_to"]:
            fail("referred_to", gettext("Name the body the case was referred to."))
        mediator = None
        if unit is not None and values["mediator"]:
            mediator = self._mediator(unit, values["mediator"], fail)
        elif unit is not None and result in MEDIATED:
            fail("mediator", gettext("A mediated case needs its mediator."))
        if result is None or unit is None:
            return None
        history = History(
            registered_on=registered_on,
            unit=unit,
            result=result,
            mediator=mediator if isinstance(mediator, User) else None,
            roster_mediator=mediator if isinstance(mediator, Mediator) else None,
            concluded_on=concluded_on,
            agreement_form=form,
            agreement_content=values["agreement_content"],
            agreement_amount=agreement_amount,
            performance=performance,
            referred_to=values["referred_to"],
        )
        if missing := missing_rights(self.actor, history):
            fail(
                "result",
                gettext("At %(unit)s you may not: %(actions)s.")
                % {"unit": unit.name, "actions": "、".join(missing)},
            )
        return history

    def _mediator(self, unit: Organisation, name: str, fail: Any) -> User | Mediator | None:
        """A mediator of ``unit`` by name or login: one of its staff who may mediate (a roster
        entry linked to such a login is that login), or an entry of its roster who has no login
        there (issue #21 item 7: many past mediators never had one). A name must be unique
        within the unit; a login name picks its login."""
        people = self.mediators.get(unit.pk)
        if people is None:
            people = {}
            staff = (
                Membership.objects.active()
                .filter(org=unit, role__in=roles_with(Capability.CASE_MEDIATE))
                .filter(user__is_active=True)
                .select_related("user")
            )
            members = {m.user.pk: m.user for m in staff}
            for user in members.values():
                for key in {user.username, user.full_name} - {""}:
                    people.setdefault(key, []).append(user)
            for entry in Mediator.objects.filter(org=unit, is_active=True):
                login = members.get(entry.user_id) if entry.user_id else None
                person: User | Mediator = login if login is not None else entry
                if person not in people.get(entry.name, []):
                    people.setdefault(entry.name, []).append(person)
            self.mediators[unit.pk] = people
        found = people.get(name, [])
        by_login = [p for p in found if isinstance(p, User) and p.username == name]
        if len(by_login) == 1:
            return by_login[0]
        if len(found) == 1:
            return found[0]
        if found:
            fail(
                "mediator",
                gettext(
                    "%(unit)s has several mediators called %(name)s: write the login name of one "
                    "with a login, and tell those on the roster apart there first."
                )
                % {"name": name, "unit": unit.name},
            )
        else:
            fail(
                "mediator",
                gettext("%(unit)s has no mediator called %(name)s (roster or staff).")
                % {"name": name, "unit": unit.name},
            )
        return None

    def _conflicts(self, history: History, values: dict[str, str]) -> list[str]:
        """The relationships the row's mediator declared with its parties: the replayed 交办
        refuses them (人民调解法 art.23), so the check says so before the import. Each
        mediator's declarations are read once per file."""
        person = history.roster_mediator or history.mediator
        if person is None:
            return []
        key = (type(person).__name__, person.pk)
        declared = self.declared.get(key)
        if declared is None:
            entries = (
                [person.pk]
                if isinstance(person, Mediator)
                else list(Mediator.objects.filter(user=person).values_list("pk", flat=True))
            )
            declared = list(
                MediatorConflict.objects.filter(mediator_id__in=entries).select_related("mediator")
            )
            self.declared[key] = declared
        id_number = values["applicant_id_number"]
        index = (
            crypto.blind_index(crypto.normalise_id_number(id_number), context="id_number")
            if id_number
            else ""
        )
        names = {values["applicant"], values["respondent"]} - {""}
        return [
            gettext("%(mediator)s declared a relationship with %(person)s (%(relationship)s).")
            % {"mediator": c.mediator.name, "person": c.person_name, "relationship": c.relationship}
            for c in declared
            if c.person_name in names or (index and c.id_number_index == index)
        ]

    def preview(self, number: int, draft: CaseDraft, history: History | None) -> PreviewRow:
        """The row with the category's, the place's, the unit's and the result's names (issue
        #16: the preview showed ``damages`` and ``430624122208``)."""
        category = self.categories.get(draft.category)
        subcategory = self.categories.get(draft.subcategory) if draft.subcategory else None
        region = self.regions_by_code.get(draft.region)
        place = ""
        if region is not None:
            parent = region.parent.name if region.parent else ""
            place = f"{parent} {region.name}".strip()
        names = [c.name for c in (category, subcategory) if c is not None]
        respondents = [p.name for p in draft.parties if p.role == PartyRole.RESPONDENT]
        return PreviewRow(
            row=number,
            title=draft.title,
            category=" / ".join(names),
            place=place,
            applicant=draft.parties[0].name,
            respondent="、".join(respondents),
            occurred_on=draft.occurred_on.isoformat() if draft.occurred_on else "",
            amount=f"{draft.amount:.2f}" if draft.amount is not None else "",
            registered_on=history.registered_on.isoformat() if history else "",
            unit=history.unit.name
            if history
            else getattr(self.units_by_id.get(draft.org_id), "name", ""),
            mediator=history.mediator_name if history else "",
            result=str(HistoryResult(history.result).label) if history else "",
            concluded_on=history.concluded_on.isoformat()
            if history and history.concluded_on
            else "",
        )

    def _region(self, value: str, fail: Any) -> Region | None:
        if not value:
            return None
        if value in self.regions_by_code:
            return self.regions_by_code[value]
        found = self.regions_by_name.get(value, [])
        if len(found) == 1:
            return found[0]
        fail(
            "region",
            gettext("No township or village of that name in your jurisdiction.")
            if not found
            else gettext("Several places have this name: use the 12-digit code."),
        )
        return None

    @staticmethod
    def _date(value: Any, fail: Any, name: str = "occurred_on") -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip().replace("/", "-").replace(".", "-")
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:  # 2019-3-5, as offices type it
            year, month, day = (int(part) for part in text.split("-"))
            return date(year, month, day)
        except ValueError:
            fail(name, gettext("Enter a date as YYYY-MM-DD."))
            return None

    @staticmethod
    def _amount(value: str, fail: Any, name: str = "amount") -> Decimal | None:
        if not value:
            return None
        try:
            return Decimal(value.replace(",", ""))
        except InvalidOperation:
            fail(name, gettext("Enter an amount in yuan."))
            return None

    @staticmethod
    def _people(value: str, fail: Any) -> int:
        if not value:
            return 2
        try:
            return int(value)
        except ValueError:
            fail("people_count", gettext("Enter a whole number of people."))
            return 2


def _service_errors(number: int, errors: dict[str, list[str]]) -> Iterator[RowError]:
    for name, messages in errors.items():
        column = HEADER_OF.get(SERVICE_FIELD_COLUMN.get(name, name), HEADER_OF["title"])
        yield from (RowError(number, column, message) for message in messages)


def _checked_rows(
    *,
    actor: User,
    org_id: int,
    path: Path,
    report: ImportReport,
    service_rules: Callable[[], bool] = lambda: True,
    progress: Progress | None = None,
) -> Iterator[tuple[int, CaseDraft, History | None]]:
    """Every row that passes the checks, as it is read; problems go into ``report``. The
    service's own rules are checked here only while ``service_rules()`` is true (the import
    lets ``case_register`` check them instead: the same rules, checked once).

    Raises:
        InvalidInput: the file cannot be read, lacks required columns, or is over the limits.
    """
    reader = _RowReader(actor, org_id)
    seen_refs: dict[str, int] = {}
    for number, raw in read_rows(path, HEADERS, optional=OPTIONAL):
        report.rows += 1
        if progress is not None:
            progress(report.rows)
        errors: list[RowError] = []
        read = reader.read(number, raw, errors)
        draft, history = read if read is not None else (None, None)
        if draft is not None:
            if service_rules():
                found = (
                    dispute_errors(actor=actor, draft=draft)
                    if history is None
                    else registration_errors(actor=actor, draft=draft, history=history)
                )
                errors.extend(_service_errors(number, found))
            if draft.source_ref and draft.source_ref in seen_refs:
                errors.append(
                    RowError(
                        number,
                        HEADER_OF["source_ref"],
                        gettext("Same source reference as row {row}.").format(
                            row=seen_refs[draft.source_ref]
                        ),
                    )
                )
            if draft.source_ref:
                seen_refs.setdefault(draft.source_ref, number)
        report.add_errors(errors)
        if draft is None or errors:
            continue
        if len(report.preview) < PREVIEW_ROWS:
            report.preview.append(reader.preview(number, draft, history))
        yield number, draft, history


def cases_check(
    *, actor: User, org_id: int, path: Path, progress: Progress | None = None
) -> ImportReport:
    """Check every row of the ledger at ``path`` as ``actor`` would register it; writes nothing.

    Raises:
        InvalidInput: the file cannot be read, lacks required columns, or is over the limits.
    """
    report = ImportReport()
    with refcache.request_scope():  # one file, one version of the reference data
        rows = _checked_rows(
            actor=actor, org_id=org_id, path=path, report=report, progress=progress
        )
        for _row in rows:
            pass
    return report


def _refusal_errors(number: int, exc: ApplicationError) -> list[RowError]:
    """A replayed action's refusal, under the column the row should change."""
    if isinstance(exc, InvalidInput) and exc.errors:
        return list(_service_errors(number, exc.errors))
    if isinstance(exc, TransitionBlocked):
        label = workflow.get(exc.transition).label
        return [
            RowError(number, HEADER_OF["result"], f"{label}：{reason}") for reason in exc.reasons
        ]
    return [RowError(number, HEADER_OF["result"], str(exc.message))]


def cases_import(
    *,
    actor: User,
    org_id: int,
    path: Path,
    dry_run: bool = False,
    progress: Progress | None = None,
    batch: dict[str, Any] | None = None,
) -> ImportReport:
    """Check every row, registering each as it passes, in one transaction: when any row fails,
    every problem is reported and nothing is kept (all or none). ``dry_run`` only checks.
    A row with a 登记日期 is replayed as the case it was (``intake.history``), each of its
    events marked with ``batch`` (the import and its file) and its sheet row.

    Raises:
        InvalidInput: the file cannot be read or lacks required columns.
    """
    if dry_run:
        return cases_check(actor=actor, org_id=org_id, path=path, progress=progress)
    report = ImportReport()
    # One file, one version of the reference data (read once, not at every cached read of
    # every row), as a request sees one.
    with refcache.request_scope(), transaction.atomic():
        rows = _checked_rows(
            actor=actor,
            org_id=org_id,
            path=path,
            report=report,
            service_rules=lambda: not report.ok,  # once nothing is written, check them here
            progress=progress,
        )
        for number, draft, history in rows:
            if not report.ok:
                continue  # keep checking to report every problem; nothing will be kept
            try:
                if history is None:
                    case = register_dispute(actor=actor, draft=draft).case
                else:
                    marker = {**(batch or {}), "row": number}
                    case = replay_row(actor=actor, draft=draft, history=history, marker=marker)
            except InvalidInput as exc:
                errors = exc.errors or {"title": [str(exc.message)]}
                report.add_errors(_service_errors(number, errors))
                report.preview = [p for p in report.preview if p.row != number]
                continue
            except ApplicationError as exc:  # a replayed action refused
                report.add_errors(_refusal_errors(number, exc))
                report.preview = [p for p in report.preview if p.row != number]
                continue
            report.created.append((number, case.number))
        if not report.ok:
            report.created = []
            transaction.set_rollback(True)
    return report


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The values a ledger row may name, for one importer: shown on the import page and listed
    in the template (issue #21: neither named the valid categories or places)."""

    categories: dict[str, list[str]]  # category name → its subcategories' names
    places: list[tuple[str, str, str]]  # (name, 12-digit code, parent's name)
    # (name, code, its mediators' names, for cases of earlier years only: a committee of the
    # importer's township, access.history_unit_ids)
    units: list[tuple[str, str, list[str], bool]]
    results: list[str]
    forms: list[str]
    performance: list[str]


def import_vocabulary(actor: User | None) -> Vocabulary:
    """What ``actor``'s ledger may name: the active categories, the townships and villages of
    their jurisdiction, the units they register for with their mediators (and, for a township
    centre's staff, the committees of the township, for cases of earlier years), and the words
    for a result, an agreement's form and its performance. Reads only."""
    tops = list(
        DisputeCategory.objects.filter(is_active=True, parent__isnull=True)
        .prefetch_related("children")
        .order_by("order")
    )
    categories = {
        top.name: [c.name for c in sorted(top.children.all(), key=lambda c: c.order) if c.is_active]
        for top in tops
    }
    places: list[tuple[str, str, str]] = []
    units: list[tuple[str, str, list[str], bool]] = []
    if actor is not None:
        prefixes = access.scope_prefixes(actor, Capability.CASE_REGISTER)
        places = [
            (region.name, region.code, region.parent.name if region.parent else "")
            for region in Region.objects.filter(
                within_q("prefix", prefixes), level__gte=RegionLevel.TOWNSHIP
            )
            .select_related("parent")
            .order_by("code")
        ]
        own = set(access.org_ids_with(actor, Capability.CASE_REGISTER))
        orgs = Organisation.objects.filter(
            pk__in=access.history_unit_ids(actor), is_active=True
        ).order_by("code")
        for org in orgs:
            staff = (
                Membership.objects.active()
                .filter(org=org, role__in=roles_with(Capability.CASE_MEDIATE))
                .filter(user__is_active=True)
                .select_related("user")
            )
            names = {m.user.full_name or m.user.username for m in staff}
            # the roster's entries too, with a login or without (issue #21 item 7)
            names |= set(
                Mediator.objects.filter(org=org, is_active=True).values_list("name", flat=True)
            )
            units.append((org.name, org.code, sorted(names, key=pinyin_key), org.pk not in own))
    return Vocabulary(
        categories=categories,
        places=places,
        units=units,
        results=list(LEDGER_WORDS),
        forms=["口头", "书面"],
        performance=["已履行", "部分履行", "未履行", "履行中"],
    )


def template_workbook(actor: User | None = None) -> bytes:
    """The import template: the header row the importer reads (required columns in red), one
    example row, and the values the importer accepts (``import_vocabulary``) — the categories
    with their subcategories, the places of the downloader's jurisdiction with their codes, the
    units they register for with their mediators, and the words for the history columns, with a
    sheet that says how a case of an earlier year is filled in (issue #21: the template listed
    none). The coded columns are drop-down lists of readable names (issue #16)."""
    words = import_vocabulary(actor)
    index = {name: n for n, (_header, name, _required) in enumerate(COLUMNS)}
    drop_downs = [
        spreadsheet.DropDown(index["category"], list(words.categories), "请从“纠纷类别”表中选择。"),
        spreadsheet.DropDown(
            index["subcategory"],
            [name for names in words.categories.values() for name in names],
            "请从“纠纷类别”表的子类中选择。",
        ),
        # A name given twice in the jurisdiction is entered as its 12-digit code instead.
        spreadsheet.DropDown(
            index["region"],
            list(dict.fromkeys(name for name, _code, _parent in words.places)),
            "请从“发生地”表中选择，同名的地方填写区划代码。",
        ),
        spreadsheet.DropDown(
            index["unit"],
            [name for name, _code, _people, _earlier in words.units],
            "请从“承办单位”表中选择。",
        ),
        spreadsheet.DropDown(index["result"], words.results, "请从下拉列表中选择办理结果。"),
        spreadsheet.DropDown(index["agreement_form"], words.forms, "请填写口头或书面。"),
        spreadsheet.DropDown(index["performance"], words.performance, "请从下拉列表中选择。"),
    ]
    example: list[Any] = list(EXAMPLE)
    example[index["occurred_on"]] = date.fromisoformat(EXAMPLE[index["occurred_on"]])
    example[index["people_count"]] = int(EXAMPLE[index["people_count"]])
    ledger = spreadsheet.Sheet(
        name="矛盾纠纷登记台账",
        columns=[
            spreadsheet.Column(header, 16, is_required=required)
            for header, _name, required in COLUMNS
        ],
        rows=[example],
        drop_downs=[d for d in drop_downs if d.options],
    )
    category_sheet = spreadsheet.Sheet(
        name="纠纷类别",
        columns=[spreadsheet.Column("纠纷类别", 24), spreadsheet.Column("纠纷子类", 60)],
        rows=[[name, "、".join(subs)] for name, subs in words.categories.items()],
    )
    place_sheet = spreadsheet.Sheet(
        name="发生地",
        columns=[
            spreadsheet.Column("发生地（名称）", 24),
            spreadsheet.Column("区划代码", 16),
            spreadsheet.Column("上级", 24),
        ],
        rows=[list(place) for place in words.places],
    )
    unit_sheet = spreadsheet.Sheet(
        name="承办单位",
        columns=[
            spreadsheet.Column("承办单位", 30),
            spreadsheet.Column("单位代码", 18),
            spreadsheet.Column("调解员", 60),
            spreadsheet.Column("说明", 30),
        ],
        rows=[
            [name, code, "、".join(people), EARLIER_ONLY if earlier else ""]
            for name, code, people, earlier in words.units
        ],
    )
    guide_sheet = spreadsheet.Sheet(
        name="填写说明",
        columns=[spreadsheet.Column("列", 14), spreadsheet.Column("怎么填", 90)],
        rows=[[header, text] for header, text in GUIDE],
    )
    return spreadsheet.to_bytes([ledger, category_sheet, place_sheet, unit_sheet, guide_sheet])


EARLIER_ONLY = "仅限往年案件（须填写登记日期）"
GUIDE = [
    (
        "登记日期",
        "往年的案件填写原登记日期，系统按当时的时间登记并补记全过程；不填则按今天新登记。",
    ),
    (
        "承办单位",
        "不填为上传时选择的登记单位；须是您可以登记案件的单位（见“承办单位”表）。"
        "乡镇（街道）矛调中心导入往年案件时，还可填写本乡镇（街道）的人民调解委员会"
        "（村、社区和乡镇调委会），案件按该调委会登记、办理；当前案件只能在本单位登记。",
    ),
    (
        "调解员",
        "承办单位的调解员姓名或登录名（见“承办单位”表）：单位的调解人员，或其调解员名册上的"
        "人员（没有登录账号的也可以，姓名须在单位内唯一）；调解成功、调解不成功、终止调解必填。",
    ),
    (
        "办理结果",
        "调解成功、调解不成功、终止调解、撤回、不予受理、移交；不填或“办理中”为未办结。",
    ),
    ("协议形式", "调解成功时填写：口头或书面。"),
    ("协议内容", "调解协议的主要内容；协议金额可另填（元）。"),
    ("履行情况", "已履行、部分履行、未履行或履行中。"),
    ("移交单位", "办理结果为移交时，填写移交的单位。"),
    ("办结日期", "已办结的案件必填，不得早于登记日期、晚于今天。"),
]
