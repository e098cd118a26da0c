# ruff: noqa: S608  (the SQL names only the fixed tables below; every value is a parameter)
"""The set-based half of the division importer: parsed rows go into a temporary table in batches,
the tree is checked and merged with a fixed number of SQL statements, so a national table
(≈665,000 rows) imports in one transaction with memory that does not grow with the file.

Runs on SQLite (3.33+ for UPDATE … FROM) and PostgreSQL alike; every statement is plain SQL."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.utils.translation import gettext

from fengqiao.core.collation import pinyin_sort_key
from fengqiao.core.tabular import RowError

STAGE = "regions_import_stage"
KNOWN = "regions_import_known"
BATCH = 5000
ERRORS_PER_CHECK = 200  # a broken national file names its first rows per kind of error

# The significant digits per level (choices.PREFIX_DIGITS) as SQL over a ``level`` column.
_DIGITS = "CASE {level} WHEN 1 THEN 2 WHEN 2 THEN 4 WHEN 3 THEN 6 WHEN 4 THEN 9 ELSE 12 END"


def _prefix(code: str, level: str) -> str:
    return f"substr({code}, 1, {_DIGITS.format(level=level)})"


@dataclass(frozen=True, slots=True)
class StagedRow:
    row: int
    code: str
    name: str
    level: int
    parent_code: str  # "" for a province, or to be inferred from the code
    population: int | None
    successor_code: str  # set: this division was merged into that one (and is abolished)


@dataclass(frozen=True, slots=True)
class Scope:
    """The subtree a complete yearly table speaks for: ``prefix`` "" is the whole country."""

    prefix: str
    code: str


def create(cursor: CursorWrapper) -> None:
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGE} (row_no INTEGER NOT NULL, code VARCHAR(12) NOT NULL, "
        "name VARCHAR(100) NOT NULL, level SMALLINT NOT NULL, parent_code VARCHAR(12) NOT NULL, "
        "population INTEGER NULL, successor_code VARCHAR(12) NOT NULL, "
        "is_new SMALLINT NOT NULL DEFAULT 0)"
    )
    cursor.execute(f"CREATE TEMPORARY TABLE {KNOWN} (code VARCHAR(12) NOT NULL, level SMALLINT)")


def drop(cursor: CursorWrapper) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(f"DROP TABLE IF EXISTS {KNOWN}")


def load(cursor: CursorWrapper, rows: Iterable[StagedRow]) -> int:
    """Insert the rows in batches; returns how many. Then index them for the checks."""
    count = 0
    batch: list[tuple[int | str | None, ...]] = []
    sql = (
        f"INSERT INTO {STAGE} (row_no, code, name, level, parent_code, population, "
        "successor_code) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    )
    for r in rows:
        batch.append(
            (r.row, r.code, r.name, r.level, r.parent_code, r.population, r.successor_code)
        )
        if len(batch) == BATCH:
            cursor.executemany(sql, batch)
            count += len(batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    cursor.execute(f"CREATE INDEX {STAGE}_code ON {STAGE} (code)")
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {STAGE}")
    return count


def infer_parents(cursor: CursorWrapper) -> None:
    """Files without a parent column: a division's parent is the nearest division above it by
    code. A township's is its county or, where the city has no county level (东莞, 中山, 儋州,
    嘉峪关: towns sit directly under the city, the county digits 00), the city."""
    _fill_known(cursor)
    cursor.execute(
        f"""
        UPDATE {STAGE} SET parent_code = CASE level
            WHEN 2 THEN substr(code, 1, 2) || '0000000000'
            WHEN 3 THEN substr(code, 1, 4) || '00000000'
            WHEN 4 THEN CASE WHEN substr(code, 5, 2) = '00'
                              AND NOT EXISTS (SELECT 1 FROM {KNOWN} k
                                              WHERE k.code = substr({STAGE}.code, 1, 6) || '000000'
                                                AND k.level = 3)
                         THEN substr(code, 1, 4) || '00000000'
                         ELSE substr(code, 1, 6) || '000000' END
            WHEN 5 THEN substr(code, 1, 9) || '000'
            ELSE '' END
        WHERE parent_code = ''
        """
    )


def _fill_known(cursor: CursorWrapper) -> None:
    """Every code the tree will hold: the file's (their levels win) and the stored ones."""
    cursor.execute(f"DELETE FROM {KNOWN}")
    cursor.execute(f"INSERT INTO {KNOWN} (code, level) SELECT code, level FROM {STAGE}")
    cursor.execute(
        f"INSERT INTO {KNOWN} (code, level) SELECT r.code, r.level FROM regions_region r "
        f"WHERE NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.code = r.code)"
    )
    cursor.execute(f"CREATE INDEX IF NOT EXISTS {KNOWN}_code ON {KNOWN} (code)")


def check(cursor: CursorWrapper) -> list[RowError]:
    """The tree rules, each one query over the whole file: no code twice; a parent that exists,
    one level up (or the city for a township of a city without counties), whose code the child's
    starts with; only a province without a parent; a successor that exists."""
    errors: list[RowError] = []

    def collect(sql: str, column: str, message: str, *, formatted: bool = False) -> None:
        cursor.execute(f"{sql} ORDER BY s.row_no LIMIT {ERRORS_PER_CHECK}")
        for row_no, value in cursor.fetchall():
            errors.append(
                RowError(row_no, column, message.format(code=value) if formatted else message)
            )

    collect(
        f"SELECT s.row_no, s.code FROM {STAGE} s WHERE EXISTS "
        f"(SELECT 1 FROM {STAGE} t WHERE t.code = s.code AND t.row_no < s.row_no)",
        "code",
        gettext("This code appears twice in the file."),
    )
    if errors:
        return errors
    _fill_known(cursor)
    collect(
        f"SELECT s.row_no, s.parent_code FROM {STAGE} s WHERE s.parent_code <> '' AND NOT EXISTS "
        f"(SELECT 1 FROM {KNOWN} k WHERE k.code = s.parent_code)",
        "parent_code",
        gettext("No division has code {code}."),
        formatted=True,
    )
    collect(
        f"SELECT s.row_no, s.code FROM {STAGE} s JOIN {KNOWN} k ON k.code = s.parent_code "
        "WHERE NOT (k.level = s.level - 1 "
        "OR (s.level = 4 AND k.level = 2 AND substr(s.code, 5, 2) = '00'))",
        "parent_code",
        gettext("The parent must be one level above."),
    )
    collect(
        f"SELECT s.row_no, s.code FROM {STAGE} s JOIN {KNOWN} k ON k.code = s.parent_code "
        f"WHERE k.level IN (s.level - 1, s.level - 2) "
        f"AND substr(s.code, 1, {_DIGITS.format(level='k.level')}) <> "
        f"{_prefix('k.code', 'k.level')}",
        "code",
        gettext("The code does not start with its parent's code."),
    )
    collect(
        f"SELECT s.row_no, s.code FROM {STAGE} s WHERE s.parent_code = '' AND s.level <> 1 "
        "AND NOT EXISTS (SELECT 1 FROM regions_region r WHERE r.code = s.code)",
        "parent_code",
        gettext("Only a province may have no parent."),
    )
    collect(
        f"SELECT s.row_no, s.successor_code FROM {STAGE} s WHERE s.successor_code <> '' "
        f"AND (s.successor_code = s.code OR NOT EXISTS "
        f"(SELECT 1 FROM {KNOWN} k WHERE k.code = s.successor_code))",
        "successor_code",
        gettext("No division has code {code}."),
        formatted=True,
    )
    return errors


def scope(cursor: CursorWrapper) -> Scope:
    """The subtree a complete table covers: descend from the top while one division alone holds
    the level below (a county's table also lists its province and city, and speaks only for the
    county). Several provinces: the whole country."""
    cursor.execute(f"SELECT level, COUNT(*), MIN(code) FROM {STAGE} GROUP BY level ORDER BY level")
    levels = cursor.fetchall()
    chosen = Scope(prefix="", code="")
    for index, (level, count, code) in enumerate(levels):
        if count != 1:
            break
        deeper = levels[index + 1][1] if index + 1 < len(levels) else 0
        chosen = Scope(prefix=code[: {1: 2, 2: 4, 3: 6, 4: 9, 5: 12}[level]], code=code)
        if deeper != 1:
            break
    return chosen


_CHANGE = (
    "INSERT INTO regions_regionchange (region_id, year, kind, old_name, new_name, "
    "old_parent_code, successor_id, recorded_at) "
)


def record_changes(cursor: CursorWrapper, year: int, now: datetime) -> None:
    """Before the merge: every stored division the file renames or moves, and which staged
    divisions are new (recorded as created once they exist)."""
    cursor.execute(
        f"{_CHANGE} SELECT r.id, %s, 'renamed', r.name, s.name, '', NULL, %s "
        f"FROM regions_region r JOIN {STAGE} s ON s.code = r.code WHERE r.name <> s.name",
        [year, now],
    )
    cursor.execute(
        f"{_CHANGE} SELECT r.id, %s, 'moved', '', '', COALESCE(p.code, ''), NULL, %s "
        f"FROM regions_region r JOIN {STAGE} s ON s.code = r.code "
        "LEFT JOIN regions_region p ON p.id = r.parent_id "
        "WHERE COALESCE(p.code, '') <> s.parent_code",
        [year, now],
    )
    cursor.execute(
        f"UPDATE {STAGE} SET is_new = 1 WHERE NOT EXISTS "
        f"(SELECT 1 FROM regions_region r WHERE r.code = {STAGE}.code)"
    )


def record_created(cursor: CursorWrapper, year: int, now: datetime) -> None:
    cursor.execute(
        f"{_CHANGE} SELECT r.id, %s, 'created', '', s.name, '', NULL, %s "
        f"FROM {STAGE} s JOIN regions_region r ON r.code = s.code WHERE s.is_new = 1",
        [year, now],
    )


def merge(cursor: CursorWrapper, now: datetime) -> tuple[int, int]:
    """Update the stored divisions the file names, insert the new ones, then link every staged
    division to its parent. Returns (created, updated)."""
    cursor.execute(
        f"SELECT COUNT(*) FROM {STAGE} s WHERE EXISTS "
        "(SELECT 1 FROM regions_region r WHERE r.code = s.code)"
    )
    updated = cursor.fetchone()[0]
    cursor.execute(
        f"""
        UPDATE regions_region SET name = s.name, level = s.level,
            name_key = CASE WHEN regions_region.name = s.name THEN regions_region.name_key
                ELSE '' END,
            prefix = {_prefix("s.code", "s.level")},
            population = COALESCE(s.population, regions_region.population), updated_at = %s
        FROM {STAGE} s WHERE s.code = regions_region.code
        """,
        [now],
    )
    cursor.execute(
        f"""
        INSERT INTO regions_region
            (created_at, updated_at, code, name, name_key, level, prefix, population)
        SELECT %s, %s, s.code, s.name, '', s.level, {_prefix("s.code", "s.level")}, s.population
        FROM {STAGE} s
        WHERE NOT EXISTS (SELECT 1 FROM regions_region r WHERE r.code = s.code)
        ORDER BY s.code
        """,
        [now, now],
    )
    created = cursor.rowcount
    cursor.execute(
        f"""
        UPDATE regions_region SET parent_id = p.id
        FROM {STAGE} s LEFT JOIN regions_region p ON p.code = s.parent_code
        WHERE s.code = regions_region.code
        """
    )
    return created, updated


def fill_name_keys(cursor: CursorWrapper) -> int:
    """After the merge: the pinyin sort key (``core.collation``) of every division that is new
    or renamed, which the merge left blank. Python computes it (pypinyin), so only the rows that
    need it pass through here; a reimport of an unchanged table touches none. Returns how many."""
    filled = 0
    last = 0
    while True:
        cursor.execute(
            "SELECT id, name FROM regions_region WHERE name_key = '' AND name <> '' AND id > %s "
            "ORDER BY id LIMIT %s",
            [last, BATCH],
        )
        rows = cursor.fetchall()
        if not rows:
            return filled
        cursor.executemany(
            "UPDATE regions_region SET name_key = %s WHERE id = %s",
            [(pinyin_sort_key(name), region_id) for region_id, name in rows],
        )
        filled += len(rows)
        last = rows[-1][0]


def abolish_missing(cursor: CursorWrapper, covered: Scope, year: int, now: datetime) -> list[int]:
    """Divisions in the covered subtree that the complete table no longer lists: kept, marked
    abolished in ``year``. Returns their ids."""
    cursor.execute(
        f"SELECT r.id FROM regions_region r WHERE r.abolished_in IS NULL "
        f"AND r.code LIKE %s AND r.code <> %s "
        f"AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.code = r.code)",
        [covered.prefix + "%", covered.code],
    )
    ids = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            f"UPDATE regions_region SET abolished_in = %s WHERE id IN ({marks})", [year, *chunk]
        )
        cursor.execute(
            f"{_CHANGE} SELECT r.id, %s, 'abolished', r.name, '', '', NULL, %s "
            f"FROM regions_region r WHERE r.id IN ({marks})",
            [year, now, *chunk],
        )
    return ids


def merged(cursor: CursorWrapper, year: int, now: datetime) -> list[tuple[int, int]]:
    """Rows that name a successor: that division is abolished in ``year`` and points to it.
    Returns (region id, successor id)."""
    cursor.execute(
        f"SELECT r.id, t.id FROM {STAGE} s JOIN regions_region r ON r.code = s.code "
        "JOIN regions_region t ON t.code = s.successor_code WHERE s.successor_code <> ''"
    )
    pairs = [(a, b) for a, b in cursor.fetchall()]
    for region_id, successor_id in pairs:
        cursor.execute(
            "UPDATE regions_region SET abolished_in = %s, successor_id = %s WHERE id = %s",
            [year, successor_id, region_id],
        )
        cursor.execute(
            f"{_CHANGE} SELECT r.id, %s, 'merged', r.name, '', '', %s, %s "
            "FROM regions_region r WHERE r.id = %s",
            [year, successor_id, now, region_id],
        )
    return pairs


def restored(cursor: CursorWrapper, year: int, now: datetime) -> list[int]:
    """Divisions marked abolished that the table lists again (without a successor): current."""
    cursor.execute(
        f"SELECT r.id FROM regions_region r JOIN {STAGE} s ON s.code = r.code "
        "WHERE r.abolished_in IS NOT NULL AND s.successor_code = ''"
    )
    ids = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ", ".join(["%s"] * len(chunk))
        cursor.execute(
            "UPDATE regions_region SET abolished_in = NULL, successor_id = NULL "
            f"WHERE id IN ({marks})",
            chunk,
        )
        cursor.execute(
            f"{_CHANGE} SELECT r.id, %s, 'restored', '', r.name, '', NULL, %s "
            f"FROM regions_region r WHERE r.id IN ({marks})",
            [year, now, *chunk],
        )
    return ids
