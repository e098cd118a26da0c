"""Counters derived from the ledger. ``deltas`` is the one rule that turns an event into counter
changes; ``apply_event`` runs it inside the transaction that appends the event, ``rebuild`` runs it
over every event again. Because both use the same rule on the same events, they cannot disagree.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from fengqiao.cases import workflow
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.kpi.choices import SATISFACTION_METRICS, Metric
from fengqiao.kpi.models import MonthlyRollup, RollupCounter

Delta = tuple[str, int, int]  # (metric, +1/-1, handling level the change is counted at)
TAKING_IN = ("accept", "accept_transfer")


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


def _outcome_deltas(transition: str, data: dict, day: date, level: int) -> list[Delta]:
    known = workflow.TRANSITIONS.get(transition)
    if known is None or known.outcome is None:
        return []
    deltas: list[Delta] = [(known.outcome.value, 1, level), (Metric.CONCLUDED, 1, level)]
    was_due = data.get("was_due")
    if not was_due or day.isoformat() <= str(was_due):
        deltas.append((Metric.CONCLUDED_ON_TIME, 1, level))
    return deltas


def _earlier(event: CaseEvent) -> "Iterable[CaseEvent]":
    return (
        CaseEvent.objects.filter(
            case_id=event.case_id, seq__lt=event.seq, kind=EventKind.TRANSITIONED
        )
        .select_related("org__region")
        .order_by("-seq")
    )


def deltas(event: CaseEvent, day: date) -> list[Delta]:
    """The counter changes one event causes."""
    level = org_level(event)
    data = event.data or {}
    if event.kind == EventKind.REGISTERED:
        return [(Metric.REGISTERED, 1, level)]
    if event.kind == EventKind.MARKED_OVERDUE:
        return [(Metric.OVERDUE, 1, level)]
    if event.kind == EventKind.RISK_FLAGGED:
        return [(Metric.RISK_FLAGGED, 1, level)]
    if event.kind == EventKind.FOLLOW_UP_RECORDED:
        metric = SATISFACTION_METRICS.get(str(data.get("satisfaction", "")))
        return [(metric, 1, level)] if metric else []
    if event.kind != EventKind.TRANSITIONED:
        return []
    transition = str(data.get("transition", ""))
    if transition in TAKING_IN:
        # 受理 counts once per case: the first time any unit takes it into handling
        taken = any(e.data.get("transition") in TAKING_IN for e in _earlier(event))
        return [] if taken else [(Metric.ACCEPTED, 1, level)]
    if transition == "reopen":
        # take back exactly what the last conclusion counted, at the level it was counted at
        for earlier in _earlier(event):
            name = str(earlier.data.get("transition", ""))
            known = workflow.TRANSITIONS.get(name)
            if known is not None and known.outcome is not None:
                earlier_day = timezone.localdate(earlier.occurred_at)
                return [
                    (metric, -sign, lvl)
                    for metric, sign, lvl in _outcome_deltas(
                        name, earlier.data, earlier_day, org_level(earlier)
                    )
                ]
        return []
    return _outcome_deltas(transition, data, day, level)


def cells_for(case: Case, event: CaseEvent) -> list[tuple[Cell, int]]:
    day = timezone.localdate(event.occurred_at)
    return [
        (
            Cell(
                day=day,
                place_code=case.place_prefix,
                category_id=case.category_id,
                channel=case.channel,
                level=level,
                metric=str(metric),
            ),
            sign,
        )
        for metric, sign, level in deltas(event, day)
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


@transaction.atomic
def rebuild(batch: int = 2000) -> int:
    """Recompute every counter from the events; returns the number of events read."""
    RollupCounter.objects.all().delete()
    MonthlyRollup.objects.all().delete()
    totals: dict[Cell, int] = defaultdict(int)
    cases: dict[int, Case] = {}
    read = 0
    events = CaseEvent.objects.select_related("org__region").order_by("case_id", "seq")
    last = (0, 0)
    while True:
        chunk = list(
            events.filter(case_id__gte=last[0]).exclude(case_id=last[0], seq__lte=last[1])[:batch]
        )
        if not chunk:
            break
        missing = {e.case_id for e in chunk} - cases.keys()
        cases.update(
            Case.objects.only("place_prefix", "category_id", "channel").in_bulk(list(missing))
        )
        for event in chunk:
            for cell, sign in cells_for(cases[event.case_id], event):
                totals[cell] += sign
        read += len(chunk)
        last = (chunk[-1].case_id, chunk[-1].seq)
        if len(cases) > 50_000:
            cases.clear()
    months: dict[Cell, int] = defaultdict(int)
    for cell, n in totals.items():
        months[monthly(cell)] += n
    _upsert(
        [(cell, n) for cell, n in totals.items() if n != 0],
        months=[(cell, n) for cell, n in months.items() if n != 0],
    )
    return read
