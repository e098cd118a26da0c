"""Writes to the division tree: the all-or-nothing importer of official code tables."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core.tabular import RowError, read_rows
from fengqiao.regions.choices import LEVEL_BY_NAME, PREFIX_DIGITS
from fengqiao.regions.models import Region, prefix_of

if TYPE_CHECKING:
    from fengqiao.accounts.models import User

REGION_HEADERS = {
    "code": "code",
    "代码": "code",
    "区划代码": "code",
    "name": "name",
    "名称": "name",
    "level": "level",
    "级别": "level",
    "层级": "level",
    "parent_code": "parent_code",
    "上级代码": "parent_code",
    "population": "population",
    "常住人口": "population",
    "人口": "population",
}
REQUIRED = {"code": "code", "name": "name", "level": "level", "parent_code": "parent_code"}


@dataclass(frozen=True, slots=True)
class RegionRow:
    row: int
    code: str
    name: str
    level: int
    parent_code: str
    population: int | None


@dataclass(slots=True)
class RegionImportResult:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _parse(number: int, raw: dict[str, Any], errors: list[RowError]) -> RegionRow | None:
    before = len(errors)
    code, name, level_text = _text(raw.get("code")), _text(raw.get("name")), _text(raw.get("level"))
    parent_code, population_text = _text(raw.get("parent_code")), _text(raw.get("population"))
    level = LEVEL_BY_NAME.get(level_text.lower()) or (
        int(level_text) if level_text in {"1", "2", "3", "4", "5"} else None
    )
    if not (len(code) == 12 and code.isdigit()):
        errors.append(RowError(number, "code", gettext("A division code has exactly 12 digits.")))
    if not name:
        errors.append(RowError(number, "name", gettext("This field is required.")))
    if level is None:
        errors.append(
            RowError(number, "level", gettext("Unknown level: {value}").format(value=level_text))
        )
    elif len(code) == 12 and code[PREFIX_DIGITS[level] :].strip("0"):
        errors.append(
            RowError(
                number, "code", gettext("The code does not end in zeros as its level requires.")
            )
        )
    if parent_code and not (len(parent_code) == 12 and parent_code.isdigit()):
        errors.append(
            RowError(number, "parent_code", gettext("A division code has exactly 12 digits."))
        )
    population = None
    if population_text:
        try:
            population = int(population_text)
            if population < 0:
                raise ValueError
        except ValueError:
            errors.append(
                RowError(number, "population", gettext("Enter a whole number of people."))
            )
    if len(errors) > before or level is None:
        return None
    return RegionRow(number, code, name, level, parent_code, population)


def _check_tree(rows: list[RegionRow], errors: list[RowError]) -> None:
    """Parents must exist (in the file or already stored), sit one level up and share the prefix."""
    in_file = {row.code: row for row in rows}
    stored = {
        r.code: r.level
        for r in Region.objects.filter(code__in=[r.parent_code for r in rows if r.parent_code])
    }
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            errors.append(
                RowError(row.row, "code", gettext("This code appears twice in the file."))
            )
        seen.add(row.code)
        if not row.parent_code:
            if row.level != 1 and not Region.objects.filter(code=row.code).exists():
                errors.append(
                    RowError(row.row, "parent_code", gettext("Only a province may have no parent."))
                )
            continue
        parent_level = (
            in_file[row.parent_code].level
            if row.parent_code in in_file
            else stored.get(row.parent_code)
        )
        if parent_level is None:
            errors.append(
                RowError(
                    row.row,
                    "parent_code",
                    gettext("No division has code {code}.").format(code=row.parent_code),
                )
            )
        elif parent_level != row.level - 1:
            errors.append(
                RowError(row.row, "parent_code", gettext("The parent must be one level above."))
            )
        elif not row.code.startswith(prefix_of(row.parent_code, parent_level)):
            errors.append(
                RowError(
                    row.row, "code", gettext("The code does not start with its parent's code.")
                )
            )


def regions_import(*, actor: "User", path: Path, dry_run: bool = False) -> RegionImportResult:
    """Create or update divisions from a code table; write nothing unless every row is valid.

    Raises:
        InvalidInput: the file cannot be read or lacks required columns.
    """
    errors: list[RowError] = []
    rows: list[RegionRow] = []
    for number, raw in read_rows(path, REGION_HEADERS, optional={"population"}):
        missing_required = [k for k in REQUIRED if k not in raw]
        if missing_required:
            errors.append(RowError(number, missing_required[0], gettext("This field is required.")))
            continue
        parsed = _parse(number, raw, errors)
        if parsed is not None:
            rows.append(parsed)
    if not errors:
        _check_tree(rows, errors)
    result = RegionImportResult(errors=sorted(errors, key=lambda e: (e.row, e.column)))
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        by_code = {
            r.code: r
            for r in Region.objects.select_for_update().filter(code__in=[row.code for row in rows])
        }
        for row in sorted(rows, key=lambda r: r.level):  # parents before children
            parent = by_code.get(row.parent_code) or (
                Region.objects.get(code=row.parent_code) if row.parent_code else None
            )
            region = by_code.get(row.code)
            if region is None:
                region = Region(code=row.code)
                result.created += 1
            else:
                result.updated += 1
            region.name, region.level, region.parent = row.name, row.level, parent
            if row.population is not None:
                region.population = row.population
            region.save()
            by_code[row.code] = region
        root = min(by_code.values(), key=lambda r: r.level)
        record(
            actor=actor,
            action=AuditAction.REGIONS_IMPORTED,
            target=root,
            extra={"file": path.name, "created": result.created, "updated": result.updated},
        )
    return result
