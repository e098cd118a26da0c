"""Importing an office's existing dispute ledger (矛盾纠纷登记台账) from .xlsx or .csv.

Every row is checked by the same rules as the register form (``case_draft_errors``) before any
is written; then all rows are registered through ``case_register`` in one transaction, so each
imported case is numbered, timed-lined and audited like one typed in (ARCHITECTURE rule 7).
"""

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
from fengqiao.cases.models import Case, DisputeCategory
from fengqiao.cases.services import CaseDraft, PartyDraft, case_draft_errors, case_register
from fengqiao.core import spreadsheet
from fengqiao.core.tabular import RowError, read_rows
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


@dataclass(slots=True)
class ImportReport:
    rows: int = 0
    created: list[Case] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    preview: list[tuple[int, CaseDraft]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


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
        )
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


def cases_import(*, actor: User, org_id: int, path: Path, dry_run: bool = False) -> ImportReport:
    """Check every row, then register all of them or none.

    Raises:
        InvalidInput: the file cannot be read or lacks required columns.
    """
    report = ImportReport()
    reader = _RowReader(actor, org_id)
    seen_refs: dict[str, int] = {}
    for number, raw in read_rows(path, HEADERS, optional=OPTIONAL):
        report.rows += 1
        draft = reader.read(number, raw, report.errors)
        if draft is None:
            continue
        for name, messages in case_draft_errors(actor=actor, draft=draft).items():
            column = HEADER_OF.get(SERVICE_FIELD_COLUMN.get(name, name), HEADER_OF["title"])
            report.errors.extend(RowError(number, column, message) for message in messages)
        if draft.source_ref and draft.source_ref in seen_refs:
            report.errors.append(
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
        report.preview.append((number, draft))
    if report.errors or dry_run or not report.rows:
        return report
    with transaction.atomic():
        report.created = [
            case_register(actor=actor, draft=draft) for _number, draft in report.preview
        ]
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
