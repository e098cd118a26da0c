"""The counting rule: what one case contributes to the counters, read from its whole timeline.

A case contributes each counter at most once, on one day (its registration day for the
registration cohort, its *final* conclusion's day for the conclusion cohort, its latest
satisfaction answer's day for satisfaction: a 回访 recorded or the applicant's rating on the
portal, whichever came later on the timeline). An event's effect on the rollups is the
difference between the case's contributions after it and before it, so a reopening takes back
the earlier conclusion *in the month it was counted* and the final conclusion counts in its own
month: no cell, hence no figure, can go below zero, and every numerator is a subset of its
denominator case by case (issue #13: a reopened case made 青湖村 2026-08 read −1/−1 "100% 达标").
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fengqiao.cases.choices import Action, EventKind
from fengqiao.cases.conclusion import OUTCOME_TRANSITIONS, REOPEN, on_time
from fengqiao.kpi.choices import SATISFACTION_METRICS, Metric

TAKING_IN = (Action.ACCEPT, Action.ACCEPT_TRANSFER)
# the event kinds the rule reads; any other event changes no counter
COUNTED_KINDS = frozenset(
    {
        EventKind.REGISTERED,
        EventKind.TRANSITIONED,
        EventKind.FOLLOW_UP_RECORDED,
        EventKind.OUTCOME_RATED,
        EventKind.MARKED_OVERDUE,
        EventKind.RISK_FLAGGED,
    }
)
# a satisfaction answer: a 回访 visit's, or the applicant's own on the portal (same vocabulary)
ANSWER_KINDS = frozenset({EventKind.FOLLOW_UP_RECORDED, EventKind.OUTCOME_RATED})
# the transitions ``contributions`` looks for; any other (交办, 开始调解, 移交, 结案…) moves nothing
MARKING_TRANSITIONS = frozenset({*TAKING_IN, REOPEN, *OUTCOME_TRANSITIONS})
MEDIATED_OUTCOMES: dict[str, Metric] = {
    Action.RECORD_AGREEMENT: Metric.RESOLVED,
    Action.TERMINATE: Metric.TERMINATED,
}
OUTCOME_METRICS: dict[str, Metric] = {
    **MEDIATED_OUTCOMES,
    Action.DECLINE: Metric.DECLINED,
    Action.WITHDRAW: Metric.WITHDRAWN,
}


@dataclass(frozen=True, slots=True)
class Step:
    """What the rule needs of one event: its kind, transition, day and handling level."""

    seq: int
    kind: str
    day: date
    level: int
    data: dict[str, Any]
    # recorded at an administrative body (行政调解, orgs ADMINISTRATIVE_KINDS), not a committee
    administrative: bool = False

    @property
    def transition(self) -> str:
        return str(self.data.get("transition", "")) if self.kind == EventKind.TRANSITIONED else ""


@dataclass(frozen=True, slots=True)
class Contribution:
    metric: str
    level: int
    day: date


def contributions(steps: Iterable[Step]) -> set[Contribution]:
    """Every counter the case contributes to, given its events in order."""
    ordered = sorted(steps, key=lambda s: s.seq)
    registered = next((s for s in ordered if s.kind == EventKind.REGISTERED), None)
    if registered is None:
        return set()
    taken_in: Step | None = None
    final: Step | None = None  # the conclusion in force (a reopening undoes the one before)
    rating: Step | None = None  # the latest satisfaction answer on the timeline wins
    flagged: Step | None = None
    overdue: Step | None = None
    for step in ordered:
        name = step.transition
        if taken_in is None and (name in TAKING_IN or name == REOPEN):
            taken_in = step
        if name in OUTCOME_TRANSITIONS:
            final = step
        elif name == REOPEN:
            final = None
        if (
            step.kind in ANSWER_KINDS
            and str(step.data.get("satisfaction", "")) in SATISFACTION_METRICS
        ):
            rating = step
        if step.kind == EventKind.RISK_FLAGGED and flagged is None:
            flagged = step
        if step.kind == EventKind.MARKED_OVERDUE and overdue is None:
            overdue = step
    reg = registered
    out = {Contribution(Metric.REGISTERED, reg.level, reg.day)}
    if flagged is not None:
        out.add(Contribution(Metric.RISK_FLAGGED, flagged.level, flagged.day))
    if overdue is not None:
        out.add(Contribution(Metric.OVERDUE, overdue.level, overdue.day))
    if rating is not None:
        metric = SATISFACTION_METRICS[str(rating.data["satisfaction"])]
        out.add(Contribution(metric, rating.level, rating.day))
    if final is not None and final.transition == Action.MERGE:
        # 并案: the same dispute is counted once, on the primary case
        out.add(Contribution(Metric.MERGED, reg.level, reg.day))
        return out
    was_taken_in = taken_in is not None and (final is None or taken_in.seq < final.seq)
    ended_unhandled = final is not None and not was_taken_in
    if not ended_unhandled:  # declined, or withdrawn before any unit took it in: not due
        out.add(Contribution(Metric.HANDLING_DUE, reg.level, reg.day))
    if was_taken_in and taken_in is not None:
        out.add(Contribution(Metric.ACCEPTED, taken_in.level, reg.day))
    if final is not None:
        outcome = OUTCOME_METRICS[final.transition]
        out.add(Contribution(outcome, final.level, final.day))
        out.add(Contribution(Metric.CONCLUDED, final.level, final.day))
        if on_time(final.day, final.data.get("was_due")):
            out.add(Contribution(Metric.CONCLUDED_ON_TIME, final.level, final.day))
        if final.transition in MEDIATED_OUTCOMES or (
            final.transition == Action.WITHDRAW and was_taken_in
        ):
            out.add(Contribution(Metric.MEDIATION_CONCLUDED, final.level, final.day))
            if final.administrative:  # 行政调解 counted apart as well
                out.add(Contribution(Metric.ADMIN_CONCLUDED, final.level, final.day))
                if outcome == Metric.RESOLVED:
                    out.add(Contribution(Metric.ADMIN_RESOLVED, final.level, final.day))
    return out


def moves_counters(kind: str, data: dict[str, Any]) -> bool:
    """Whether one more event (of ``kind``, with ``data``) at the end of a timeline may change
    what ``contributions`` returns. A transition outside ``MARKING_TRANSITIONS`` sets none of the
    rule's markers (registration, taking in, final conclusion, answer, flag, overdue), so the
    case contributes the same whatever came before it; ``kpi.rollups`` then reads no earlier
    events (issue #21: half of ``load_demo``'s reads of them were for such a transition). Keep
    in step with ``contributions``."""
    if kind == EventKind.TRANSITIONED:
        return str(data.get("transition", "")) in MARKING_TRANSITIONS
    return kind in COUNTED_KINDS


def difference(
    before: set[Contribution], after: set[Contribution]
) -> list[tuple[Contribution, int]]:
    """The counter changes that turn ``before`` into ``after``."""
    return [(c, 1) for c in after - before] + [(c, -1) for c in before - after]
