"""Reads of mediation work, scoped to the actor through ``cases.selectors`` (outside → 404), and
the figures computed from cases: court results, reminders, star ratings, 以案定补 counts."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import SHAM_SUSPECTED, Action, CaseOutcome
from fengqiao.cases.models import Case, Party
from fengqiao.core import clock
from fengqiao.core.collation import pinyin_key
from fengqiao.mediation import rules
from fengqiao.mediation.choices import FollowUpState, Satisfaction
from fengqiao.mediation.models import Agreement, FailureRecord, FollowUp, Session
from fengqiao.orgs.models import Mediator


def confirmation_remind_days() -> int:
    """Remind this many days before the 司法确认 deadline (民事诉讼法 art.205)."""
    return int(getattr(settings, "FENGQIAO_MEDIATION_CONFIRMATION_REMIND_DAYS", 7))


@dataclass
class Panel:
    """Everything the case panel shows."""

    case: Case
    can_write: bool
    parties: list[Party]
    sessions: list[Session]
    investigations: list[Any]
    rights: dict[int, Any]
    end_requests: list[Any]
    agreement: Agreement | None
    agreements_in_force: list[Agreement]
    follow_ups: list[FollowUp]
    failure: FailureRecord | None
    referrals: list[Any]
    mediators: list[Mediator]


def panel_for(*, actor: User, case_id: int) -> Panel:
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    agreements = list(case.agreements.prefetch_related("terms", "signatures").order_by("pk"))
    draft = next((a for a in reversed(agreements) if a.effective_on is None), None)
    return Panel(
        case=case,
        can_write=access.can(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix),
        parties=list(case.parties.order_by("pk")),
        sessions=list(case.sessions.prefetch_related("mediators")),
        investigations=list(case.investigations.all()),
        rights={n.party_id: n for n in case.rights_notices.all()},
        end_requests=list(case.end_requests.select_related("party")),
        agreement=draft,
        agreements_in_force=[a for a in agreements if a.effective_on is not None],
        follow_ups=list(case.follow_ups.select_related("term")),
        failure=FailureRecord.objects.filter(case=case).prefetch_related("confirmed_by").first(),
        referrals=list(case.referrals.all()),
        mediators=sorted(
            Mediator.objects.filter(
                is_active=True, org__region__code__startswith=case.handling_prefix[:6]
            ).select_related("org")[:200],
            key=lambda m: (pinyin_key(m.org.name), pinyin_key(m.name)),  # as the roster lists them
        ),
    )


def court_result_for(case: Case) -> dict[str, Any]:
    """The result a delegating court receives (特邀调解规定 arts.19–21, 26; 在线调解规则 art.21):
    the agreement in force with its terms, or the termination with the undisputed facts."""
    agreement = (
        Agreement.objects.filter(case=case, effective_on__isnull=False)
        .prefetch_related("terms")
        .order_by("-effective_on", "-pk")
        .first()
    )
    if case.outcome == CaseOutcome.RESOLVED and agreement is not None:
        return {
            "outcome": "agreement",
            "agreement_form": agreement.form,
            "effective_on": agreement.effective_on.isoformat() if agreement.effective_on else "",
            "facts": agreement.facts,
            "terms": [
                {
                    "content": t.content,
                    "obligor": t.obligor,
                    "manner": t.manner,
                    "place": t.place,
                    "due_on": t.due_on.isoformat() if t.due_on else "",
                }
                for t in agreement.terms.all()
            ],
            "oral_record": agreement.oral_record,
        }
    failure = FailureRecord.objects.filter(case=case).prefetch_related("confirmed_by").first()
    event = (
        case.events.filter(kind="transitioned", data__transition=Action.TERMINATE)
        .order_by("-seq")
        .first()
    )
    details = event.data if event else {}
    reason = str(details.get("termination_reason", ""))
    return {
        "outcome": "terminated",
        "termination_reason": reason,
        # 特邀调解规定 art.18, 在线调解规则 art.23: the court must know of a suspected 虚假调解
        "suspected_sham_mediation": reason in SHAM_SUSPECTED,
        "note": details.get("note", ""),
        "other_routes": failure.other_routes if failure else "",
        "undisputed_facts": failure.undisputed_facts if failure else "",
        "facts_confirmed_by": sorted(p.name for p in failure.confirmed_by.all()) if failure else [],
    }


def confirmation_due(today: date | None = None) -> QuerySet[Agreement]:
    """Agreements in force whose 司法确认 window closes within the reminder period and that no one
    has applied for yet, excluding those a court will not accept (民诉法解释 art.355)."""
    today = today or clock.today()
    window = timedelta(days=rules.CONFIRMATION_DAYS)
    return (
        Agreement.objects.filter(
            effective_on__isnull=False,
            confirmation_applied_on__isnull=True,
            effective_on__gte=today - window,
            effective_on__lte=today - window + timedelta(days=confirmation_remind_days()),
            not_confirmable=[],
        )
        .select_related("case", "case__handling_org")
        .order_by("effective_on")
    )


def follow_ups_due(today: date | None = None) -> QuerySet[FollowUp]:
    """回访 due today or earlier and not yet recorded."""
    today = today or clock.today()
    return (
        FollowUp.objects.filter(state=FollowUpState.SCHEDULED, due_on__lte=today)
        .select_related("case", "case__handling_org")
        .order_by("due_on")
    )


# --- roster figures ------------------------------------------------------------------------------


@dataclass
class MediatorFigures:
    mediator: Mediator
    sessions: int
    cases: int
    resolved: int
    terminated: int
    satisfied: int
    fairly: int
    dissatisfied: int

    @property
    def stars(self) -> int:
        """星级评定, 1–5: the share of concluded cases resolved and the satisfaction of 回访.

        Half the weight on the success rate, half on satisfaction (满意 1, 基本满意 0.6, 不满意
        0); a mediator with no concluded case has 0 stars (not rated).
        """
        concluded = self.resolved + self.terminated
        if not concluded:
            return 0
        success = self.resolved / concluded
        answers = self.satisfied + self.fairly + self.dissatisfied
        pleased = (self.satisfied + 0.6 * self.fairly) / answers if answers else success
        return max(1, min(5, round(5 * (success + pleased) / 2)))


def _visible_mediators(actor: User) -> QuerySet[Mediator]:
    mediators = access.scoped(
        Mediator.objects.all(), actor, Capability.CASE_VIEW, "org__region__code"
    )
    return mediators.select_related("org", "court", "user")


def roster_for(*, actor: User) -> list[Mediator]:
    """The active mediators the actor sees, by unit and then name, both in pinyin order."""
    mediators = _visible_mediators(actor).filter(is_active=True)
    return sorted(mediators, key=lambda m: (pinyin_key(m.org.name), pinyin_key(m.name)))


def mediator_get_for(*, actor: User, mediator_id: int) -> Mediator:
    from fengqiao.core.exceptions import NotFound

    found = _visible_mediators(actor).filter(pk=mediator_id).first()
    if found is None:
        raise NotFound("Mediator not found.")
    return found


def mediator_figures(
    mediators: list[Mediator], *, start: date | None = None, end: date | None = None
) -> list[MediatorFigures]:
    """Per-mediator counts over sessions held in [start, end] (以案定补, 人民调解法 art.16)."""
    sessions = Session.objects.filter(mediators__in=mediators)
    if start:
        sessions = sessions.filter(held_at__date__gte=start)
    if end:
        sessions = sessions.filter(held_at__date__lte=end)
    rows = {m.pk: MediatorFigures(m, 0, 0, 0, 0, 0, 0, 0) for m in mediators}
    pairs = sessions.values_list("mediators", "case_id", "case__outcome").distinct()
    seen: set[tuple[int, int]] = set()
    counts = dict(
        sessions.values("mediators").annotate(n=Count("pk")).values_list("mediators", "n")
    )
    case_ids: dict[int, set[int]] = {}
    for mediator_id, case_id, outcome in pairs:
        if mediator_id not in rows or (mediator_id, case_id) in seen:
            continue
        seen.add((mediator_id, case_id))
        case_ids.setdefault(mediator_id, set()).add(case_id)
        row = rows[mediator_id]
        row.cases += 1
        row.resolved += outcome == CaseOutcome.RESOLVED
        row.terminated += outcome == CaseOutcome.TERMINATED
    for mediator_id, row in rows.items():
        row.sessions = counts.get(mediator_id, 0)
        visits = FollowUp.objects.filter(
            case_id__in=case_ids.get(mediator_id, set()), state=FollowUpState.DONE
        ).values_list("satisfaction", flat=True)
        for answer in visits:
            row.satisfied += answer == Satisfaction.SATISFIED
            row.fairly += answer == Satisfaction.FAIRLY
            row.dissatisfied += answer == Satisfaction.DISSATISFIED
    return list(rows.values())


def mediator_suggestions(
    *, actor: User, case_id: int, limit: int = 5
) -> list[tuple[Mediator, int]]:
    """Mediators to suggest for a case: available, matching the category, serving the area, with
    the lightest open workload; a mediator who declared a relationship with a party is excluded
    (特邀调解规定 art.15 回避). Returns (mediator, open cases)."""
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    parties = list(case.parties.all())
    names = {p.name for p in parties}
    indexes = {p.id_number_index for p in parties if p.id_number_index}
    conflicted = Q(conflicts__person_name__in=names)
    if indexes:
        conflicted |= Q(conflicts__id_number_index__in=indexes)
    candidates = (
        Mediator.objects.filter(is_active=True, is_available=True)
        .filter(
            Q(area_prefix="") | Q(area_prefix__in=[case.place_prefix[:n] for n in (2, 4, 6, 9, 12)])
        )
        .exclude(pk__in=Mediator.objects.filter(conflicted).values("pk"))
        .annotate(
            open_cases=Count(
                "sessions__case",
                filter=Q(sessions__case__outcome=""),
                distinct=True,
            )
        )
        .select_related("org")
    )
    category = case.category.code if case.category_id else ""
    scored = []
    for mediator in candidates:
        score = 0 if category and category in (mediator.specialties or []) else 1
        area = (
            0 if mediator.area_prefix and case.place_prefix.startswith(mediator.area_prefix) else 1
        )
        scored.append(((score, area, mediator.open_cases, mediator.name), mediator))
    scored.sort(key=lambda item: item[0])
    return [(m, m.open_cases) for _, m in scored[:limit]]
