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
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.models import DisputeCategory
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core import spreadsheet
from fengqiao.core.exceptions import InvalidInput
from fengqiao.core.tabular import RowError, read_rows
from fengqiao.intake.pipeline import dispute_errors, register_dispute
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
]
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
    "org_id": "title",
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
    """Turns one sheet row into a CaseDraft, collecting errors under the sheet's column names."""

    def __init__(self, actor: User, org_id: int) -> None:
        self.org_id = org_id
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

    def read(self, number: int, raw: dict[str, Any], errors: list[RowError]) -> CaseDraft | None:
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
        return CaseDraft(
            org_id=self.org_id,
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
        )

    def preview(self, number: int, draft: CaseDraft) -> PreviewRow:
        """The row with the category's and the place's names (issue #16: the preview showed
        ``damages`` and ``430624122208``)."""
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
    def _date(value: Any, fail: Any) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            fail("occurred_on", gettext("Enter a date as YYYY-MM-DD."))
            return None

    @staticmethod
    def _amount(value: str, fail: Any) -> Decimal | None:
        if not value:
            return None
        try:
            return Decimal(value.replace(",", ""))
        except InvalidOperation:
            fail("amount", gettext("Enter an amount in yuan."))
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
) -> Iterator[tuple[int, CaseDraft]]:
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
        draft = reader.read(number, raw, errors)
        if draft is not None:
            if service_rules():
                errors.extend(_service_errors(number, dispute_errors(actor=actor, draft=draft)))
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
            report.preview.append(reader.preview(number, draft))
        yield number, draft


def cases_check(
    *, actor: User, org_id: int, path: Path, progress: Progress | None = None
) -> ImportReport:
    """Check every row of the ledger at ``path`` as ``actor`` would register it; writes nothing.

    Raises:
        InvalidInput: the file cannot be read, lacks required columns, or is over the limits.
    """
    report = ImportReport()
    rows = _checked_rows(actor=actor, org_id=org_id, path=path, report=report, progress=progress)
    for _row in rows:
        pass
    return report


def cases_import(
    *,
    actor: User,
    org_id: int,
    path: Path,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row, registering each as it passes, in one transaction: when any row fails,
    every problem is reported and nothing is kept (all or none). ``dry_run`` only checks.

    Raises:
        InvalidInput: the file cannot be read or lacks required columns.
    """
    if dry_run:
        return cases_check(actor=actor, org_id=org_id, path=path, progress=progress)
    report = ImportReport()
    with transaction.atomic():
        rows = _checked_rows(
            actor=actor,
            org_id=org_id,
            path=path,
            report=report,
            service_rules=lambda: not report.ok,  # once nothing is written, check them here
            progress=progress,
        )
        for number, draft in rows:
            if not report.ok:
                continue  # keep checking to report every problem; nothing will be kept
            try:
                case = register_dispute(actor=actor, draft=draft).case
            except InvalidInput as exc:
                errors = exc.errors or {"title": [str(exc.message)]}
                report.add_errors(_service_errors(number, errors))
                report.preview = [p for p in report.preview if p.row != number]
                continue
            report.created.append((number, case.number))
        if not report.ok:
            report.created = []
            transaction.set_rollback(True)
    return report


def template_workbook(actor: User | None = None) -> bytes:
    """The import template: the header row the importer reads (required columns in red), one
    example row, and the values the importer accepts — the categories with their subcategories
    and, for ``actor``, the places of their jurisdiction with their codes (issue #21: the
    template listed none). The coded columns (category, subcategory, place) are drop-down lists
    of readable names (issue #16)."""
    tops = list(
        DisputeCategory.objects.filter(is_active=True, parent__isnull=True)
        .prefetch_related("children")
        .order_by("order")
    )
    subcategories = {
        top.name: [c.name for c in sorted(top.children.all(), key=lambda c: c.order) if c.is_active]
        for top in tops
    }
    places: list[tuple[str, str, str]] = []
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
    index = {name: n for n, (_header, name, _required) in enumerate(COLUMNS)}
    drop_downs = [
        spreadsheet.DropDown(
            index["category"], [top.name for top in tops], "请从“纠纷类别”表中选择。"
        ),
        spreadsheet.DropDown(
            index["subcategory"],
            [name for names in subcategories.values() for name in names],
            "请从“纠纷类别”表的子类中选择。",
        ),
        # A name given twice in the jurisdiction is entered as its 12-digit code instead.
        spreadsheet.DropDown(
            index["region"],
            list(dict.fromkeys(name for name, _code, _parent in places)),
            "请从“发生地”表中选择，同名的地方填写区划代码。",
        ),
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
        rows=[[name, "、".join(subs)] for name, subs in subcategories.items()],
    )
    place_sheet = spreadsheet.Sheet(
        name="发生地",
        columns=[
            spreadsheet.Column("发生地（名称）", 24),
            spreadsheet.Column("区划代码", 16),
            spreadsheet.Column("上级", 24),
        ],
        rows=[list(place) for place in places],
    )
    return spreadsheet.to_bytes([ledger, category_sheet, place_sheet])
