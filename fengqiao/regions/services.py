"""Writes to the division tree: the all-or-nothing importer of official code tables, from one
county's rows to the statistical bureau's national table (≈665,000 rows), and the yearly update
that renames, moves, merges and abolishes divisions while keeping their history."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils.translation import gettext

from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock, refcache
from fengqiao.core.tabular import RowError, read_rows
from fengqiao.core.upload_limits import Limits
from fengqiao.regions import staging
from fengqiao.regions.choices import LEVEL_BY_NAME, PREFIX_DIGITS
from fengqiao.regions.models import Region

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
    # the statistical bureau's own tables
    "统计用区划代码": "code",
    "pcode": "parent_code",
    "parent": "parent_code",
    # a yearly update: this division was merged into that one
    "successor_code": "successor_code",
    "并入代码": "successor_code",
    "合并至": "successor_code",
}
REQUIRED = ("code", "name")
OPTIONAL = {"level", "parent_code", "population", "successor_code"}


@dataclass(slots=True)
class RegionImportResult:
    created: int = 0
    updated: int = 0
    renamed: int = 0
    moved: int = 0
    abolished: int = 0
    merged: int = 0
    restored: int = 0
    errors: list[RowError] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def level_of_code(code: str) -> int:
    """The level a 12-digit code spells by its trailing zeros (PPCCDD TTT VVV)."""
    for level in (1, 2, 3, 4):
        if not code[PREFIX_DIGITS[level] :].strip("0"):
            return level
    return 5


def _parse(number: int, raw: dict[str, Any], errors: list[RowError]) -> staging.StagedRow | None:
    before = len(errors)
    code, name, level_text = _text(raw.get("code")), _text(raw.get("name")), _text(raw.get("level"))
    parent_code, population_text = _text(raw.get("parent_code")), _text(raw.get("population"))
    successor_code = _text(raw.get("successor_code"))
    if "level" not in raw and len(code) == 12 and code.isdigit():
        level_text = str(level_of_code(code))
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
    if successor_code and not (len(successor_code) == 12 and successor_code.isdigit()):
        errors.append(
            RowError(number, "successor_code", gettext("A division code has exactly 12 digits."))
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
    return staging.StagedRow(number, code, name, level, parent_code, population, successor_code)


REGION_LIMITS = Limits(
    max_bytes=300 * 1024 * 1024, max_unpacked_bytes=1024 * 1024 * 1024, max_rows=2_000_000
)


@dataclass(slots=True)
class _Columns:
    parent_code: bool = True


def _parsed(path: Path, errors: list[RowError], columns: _Columns) -> Iterator[staging.StagedRow]:
    """The file's valid rows, streamed; bad rows go to ``errors``."""
    first = True
    # The national division table has ~700,000 rows: its own, larger bounds.
    for number, raw in read_rows(path, REGION_HEADERS, optional=OPTIONAL, limits=REGION_LIMITS):
        if first:
            columns.parent_code = "parent_code" in raw
            first = False
        missing = [k for k in REQUIRED if k not in raw]
        if missing:
            errors.append(RowError(number, missing[0], gettext("This field is required.")))
            continue
        row = _parse(number, raw, errors)
        if row is not None:
            yield row


def regions_import(
    *, actor: "User", path: Path, dry_run: bool = False, year: int | None = None
) -> RegionImportResult:
    """Create or update divisions from a code table; write nothing unless every row is valid.

    Without a parent column each division's parent is found from its code. With ``year`` the
    file is that year's complete table for the subtree it covers: divisions missing from it are
    marked abolished (never deleted), rows naming a successor are merged into it, and every
    change is kept as a ``RegionChange`` of that year.

    Raises:
        InvalidInput: the file cannot be read or lacks required columns.
    """
    errors: list[RowError] = []
    columns = _Columns()
    result = RegionImportResult()
    now = clock.now()
    history_year = year or clock.today().year
    with transaction.atomic(), connection.cursor() as cursor:
        staging.drop(cursor)
        staging.create(cursor)
        staging.load(cursor, _parsed(path, errors, columns))
        if not errors:
            if not columns.parent_code:
                staging.infer_parents(cursor)
            errors.extend(staging.check(cursor))
        result.errors = sorted(errors, key=lambda e: (e.row, e.column))
        if result.errors or dry_run:
            transaction.set_rollback(True)
            return result
        covered = staging.scope(cursor)
        staging.record_changes(cursor, history_year, now)
        result.created, result.updated = staging.merge(cursor, now)
        staging.fill_name_keys(cursor)
        if year is not None:
            staging.record_created(cursor, year, now)
            result.abolished = len(staging.abolish_missing(cursor, covered, year, now))
        result.restored = len(staging.restored(cursor, history_year, now))
        result.merged = len(staging.merged(cursor, history_year, now))
        refcache.bump()  # the raw SQL above passes no model's save(): say so in its transaction
        cursor.execute(
            "SELECT kind, COUNT(*) FROM regions_regionchange WHERE recorded_at = %s GROUP BY kind",
            [now],
        )
        counts = dict(cursor.fetchall())
        result.renamed, result.moved = counts.get("renamed", 0), counts.get("moved", 0)
        cursor.execute(f"SELECT code FROM {staging.STAGE} ORDER BY level, code LIMIT 1")  # noqa: S608
        root = Region.objects.get(code=cursor.fetchone()[0])
        staging.drop(cursor)
        record(
            actor=actor,
            action=AuditAction.REGIONS_IMPORTED,
            target=root,
            extra={
                "file": path.name,
                "year": year,
                "created": result.created,
                "updated": result.updated,
                "renamed": result.renamed,
                "moved": result.moved,
                "abolished": result.abolished,
                "merged": result.merged,
                "restored": result.restored,
            },
        )
    return result
