"""Extension points through which apps below ``cases`` take part in its lifecycle without
``cases`` importing them (ARCHITECTURE: imports only point down the app list).

Apps register in their ``AppConfig.ready()``:

- ``add_guard(transition, guard)``: one more reason an action must not happen now (e.g. mediation:
  ``record_agreement`` needs an agreement in force, 人民调解法 art.29);
- ``on_transition(callback)``: called inside the executor's transaction after the event is written;
  a callback schedules its side effects with ``transaction.on_commit``;
- ``on_event(callback)``: called for every event appended to any timeline, in the same
  transaction (the KPI rollups: counters that can never disagree with the ledger).

- ``add_history_recorder(transition, recorder)``: what an app records before the history import
  (``intake.history``) replays ``transition`` on a ledger row, from the row's own words (e.g.
  mediation: the agreement in force that ``record_agreement`` needs, with its form and terms).

Signals are not used: every hook is called explicitly by the one executor, in a known order.

Registration has no hooks: ``intake.pipeline.register_dispute`` runs classification, the checks,
routing, risk and duplicate linking explicitly and hands ``case_register`` the router as an
argument (``Router``, over ``RouteRequest`` and ``RoutingDecision`` below).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fengqiao.accounts.models import User
    from fengqiao.cases.models import Case, CaseEvent
    from fengqiao.orgs.models import Organisation
    from fengqiao.regions.models import Region

Guard = Callable[["Case"], str | None]
AfterTransition = Callable[["Case", str, Any, "User"], None]  # (case, transition, action, actor)
EventAppended = Callable[["Case", "CaseEvent"], None]


@dataclass(frozen=True, slots=True)
class RouteRequest:
    """What a router may look at for a new case."""

    registering_org: "Organisation"
    channel: str
    category: str  # code
    subcategory: str  # code or ""
    region: "Region"  # where the dispute arose
    party_regions: tuple["Region", ...]  # where the parties live, when known
    amount: Decimal | None
    people_count: int
    extra: dict[str, Any] = field(default_factory=dict)  # channel details, e.g. the court's code


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """The organisation a rule chose, and the rule, shown on the case and in its timeline."""

    org: "Organisation"
    rule_code: str
    rule_name: str
    reason: str


Router = Callable[[RouteRequest], RoutingDecision | None]

HistoryRecorder = Callable[["Case", "User", dict[str, Any]], object]  # (case, actor, ledger words)

_guards: dict[str, list[Guard]] = {}
_history: dict[str, HistoryRecorder] = {}
_after: list[AfterTransition] = []
_events: list[EventAppended] = []


def add_guard(transition: str, guard: Guard) -> None:
    if guard not in _guards.setdefault(transition, []):
        _guards[transition].append(guard)


def guards_for(transition: str) -> tuple[Guard, ...]:
    return tuple(_guards.get(transition, ()))


def on_transition(callback: AfterTransition) -> None:
    if callback not in _after:
        _after.append(callback)


def after_transition(case: "Case", transition: str, action: Any, actor: "User") -> None:
    for callback in _after:
        callback(case, transition, action, actor)


def on_event(callback: EventAppended) -> None:
    if callback not in _events:
        _events.append(callback)


def event_appended(case: "Case", event: "CaseEvent") -> None:
    for callback in _events:
        callback(case, event)


def add_history_recorder(transition: str, recorder: HistoryRecorder) -> None:
    _history[transition] = recorder


def history_recorder(transition: str) -> HistoryRecorder | None:
    return _history.get(transition)
