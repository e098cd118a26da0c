"""Counters derived from the ledger. ``counting.contributions`` is the one rule that says what a
case counts; ``apply_event`` writes the difference an event makes, inside the transaction that
appends it, ``rebuild`` (and ``recount``, which ``verify_figures`` compares with) apply it to every
case again. Because both use the same rule on the same events, they cannot disagree.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from fengqiao.cases.models import Case, CaseEvent
from fengqiao.kpi import counting
from fengqiao.kpi.models import MonthlyRollup, RollupCounter
from fengqiao.orgs.choices import ADMINISTRATIVE_KINDS


@dataclass(frozen=True, slots=True)
class Cell:
    day: date
    place_code: str
    category_id: int
    channel: str
    level: int
    metric: str


def org_level(event: CaseEvent) -> int:
    """The level (1 province … 5 village) of the organisation an event was recorded at. Read
    through the event's organisation (already in memory when the event was just appended; joined
    by ``rebuild``), never from a process-wide cache that could outlive a row."""
    return int(event.org.region.level)


def step(event: CaseEvent) -> counting.Step:
    return counting.Step(
        seq=event.seq,
        kind=str(event.kind),
        day=timezone.localdate(event.occurred_at),
        level=org_level(event),
        data=event.data or {},
        administrative=event.org.kind in ADMINISTRATIVE_KINDS,
    )


def counted_events(case_ids: "Iterable[int]") -> "QuerySet[CaseEvent]":
    """The events the counting rule reads, of these cases, in timeline order."""
    return (
        CaseEvent.objects.filter(case_id__in=list(case_ids), kind__in=counting.COUNTED_KINDS)
        .select_related("org__region")
        .order_by("case_id", "seq")
    )


STEP_FIELDS = ("case_id", "seq", "kind", "occurred_at", "data", "org__region__level", "org__kind")


def _steps(events: "QuerySet[CaseEvent]") -> "Iterator[tuple[int, counting.Step]]":
    """(case id, step) of each event, read as plain rows: a province's recount reads tens of
    millions of events, and building a model per event took most of its time."""
    rows = events.values_list(*STEP_FIELDS)
    for case_id, seq, kind, occurred_at, data, level, org_kind in rows:
        yield (
            case_id,
            counting.Step(
                seq=seq,
                kind=str(kind),
                day=timezone.localdate(occurred_at),
                level=int(level),
                data=data or {},
                administrative=org_kind in ADMINISTRATIVE_KINDS,
            ),
        )


def case_steps(case_ids: "Iterable[int]") -> dict[int, list[counting.Step]]:
    """The counting rule's steps of these cases, in timeline order."""
    steps: dict[int, list[counting.Step]] = defaultdict(list)
    for case_id, one in _steps(counted_events(case_ids)):
        steps[case_id].append(one)
    return steps


def case_cells(case: Case, contributions: "Iterable[counting.Contribution]") -> list[Cell]:
    return [
        Cell(
            day=c.day,
            place_code=case.place_prefix,
            category_id=case.category_id,
            channel=case.channel,
            level=c.level,
            metric=str(c.metric),
        )
        for c in contributions
    ]


def cells_for(case: Case, event: CaseEvent) -> list[tuple[Cell, int]]:
    """The counter changes ``event`` causes: the case's contributions with it minus without it
    (a reopening takes back the earlier conclusion on the day it was counted)."""
    if not counting.moves_counters(event.kind, event.data or {}):
        return []
    earlier = []
    if event.seq > 1:  # a case's first event has none before it: no query (issue #21)
        earlier = [one for _id, one in _steps(counted_events([case.pk]).filter(seq__lt=event.seq))]
    before = counting.contributions(earlier)
    after = counting.contributions([*earlier, step(event)])
    changes = counting.difference(before, after)
    return [
        (cell, sign) for contribution, sign in changes for cell in case_cells(case, [contribution])
    ]


COUNTY_DIGITS = 6


def _upsert_sql(table: str) -> str:
    return (
        f"INSERT INTO {table} (day, place_code, category_id, channel, level, metric, count) "  # noqa: S608  fixed table names
        "VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (day, place_code, category_id, channel, level, metric) "
        f"DO UPDATE SET count = {table}.count + excluded.count"
    )


def monthly(cell: Cell) -> Cell:
    """The month × county cell a daily cell adds to."""
    return Cell(
        day=cell.day.replace(day=1),
        place_code=cell.place_code[:COUNTY_DIGITS],
        category_id=cell.category_id,
        channel=cell.channel,
        level=cell.level,
        metric=cell.metric,
    )


def _params(rows: list[tuple[Cell, int]]) -> list[tuple]:
    return [(c.day, c.place_code, c.category_id, c.channel, c.level, c.metric, n) for c, n in rows]


def _upsert(rows: list[tuple[Cell, int]], *, months: list[tuple[Cell, int]] | None = None) -> None:
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_upsert_sql("kpi_rollupcounter"), _params(rows))
        month_rows = months if months is not None else [(monthly(c), n) for c, n in rows]
        cursor.executemany(_upsert_sql("kpi_monthlyrollup"), _params(month_rows))


def apply_event(case: Case, event: CaseEvent) -> None:
    """The ``cases.hooks.on_event`` listener: same transaction as the event, so a rolled-back
    event leaves no count behind."""
    _upsert(cells_for(case, event))


def case_contributions(
    batch: int = 2000, prefix: str = ""
) -> "Iterator[tuple[Case, set[counting.Contribution]]]":
    """Every case (arising under ``prefix``) with what it contributes, read from its events in
    batches of cases."""
    ids = (
        Case.objects.filter(place_prefix__startswith=prefix)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = 0
    while True:
        chunk = list(ids.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        cases = Case.objects.only("place_prefix", "category_id", "channel").in_bulk(chunk)
        steps = case_steps(chunk)
        for case_id in chunk:
            yield cases[case_id], counting.contributions(steps[case_id])
        last = chunk[-1]


def recount(batch: int = 2000, prefix: str = "") -> dict[Cell, int]:
    """The daily counters (of places under ``prefix``) recomputed from cases and events, without
    reading the rollups."""
    totals: dict[Cell, int] = defaultdict(int)
    for case, contributed in case_contributions(batch, prefix):
        for cell in case_cells(case, contributed):
            totals[cell] += 1
    return totals


COLUMNS = "day, place_code, category_id, channel, level, metric, count"


def _insert_fresh(table: str, rows: list[tuple[Cell, int]]) -> None:
    """Write cells into an emptied table: COPY on PostgreSQL (a province's rebuild writes
    millions of cells; the upsert's round trips took half its time), the upsert elsewhere."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                for row in _params(rows):
                    copy.write_row(row)
        else:
            cursor.executemany(_upsert_sql(table), _params(rows))


@transaction.atomic
def rebuild(batch: int = 2000) -> int:
    """Recompute every counter from the events; returns the number of cells written."""
    RollupCounter.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    totals = recount(batch)
    months: dict[Cell, int] = defaultdict(int)
    for cell, n in totals.items():
        months[monthly(cell)] += n
    _insert_fresh("kpi_rollupcounter", [(cell, n) for cell, n in totals.items() if n != 0])
    _insert_fresh("kpi_monthlyrollup", [(cell, n) for cell, n in months.items() if n != 0])
    return len(totals)
