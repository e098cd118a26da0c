"""一村一法律顾问: duty logs, the yearly 考核 against the region's targets (kept as data), and
advisers invited into a case, who then see that case (and only it) and give their opinion."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.regions.models import Region, within_q
from fengqiao.registers.models import (
    AdviserTarget,
    CaseAdviser,
    DutyKind,
    DutyLog,
    LegalAdviser,
)


def _invalid(errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(gettext("Please correct the errors below."), errors=errors)


def advisers_for(*, actor: User) -> QuerySet[LegalAdviser]:
    """Advisers serving a village in the actor's jurisdiction."""
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    if not prefixes:
        return LegalAdviser.objects.none()
    return (
        LegalAdviser.objects.filter(within_q("villages__prefix", prefixes), is_active=True)
        .distinct()
        .select_related("law_firm")
        .prefetch_related("villages")
    )


@transaction.atomic
def duty_log_add(
    *, actor: User, adviser_id: int, village_code: str, day: date, kind: str, count: int, note: str
) -> DutyLog:
    """Record a duty: by the adviser themselves, or by staff who may accept cases in the village.

    Raises:
        NotFound: no such adviser for the actor; InvalidInput: a village the adviser does not
        serve, a day in the future, an unknown kind or a count below one.
    """
    adviser = LegalAdviser.objects.filter(pk=adviser_id).first()
    if adviser is None:
        raise NotFound(gettext("Adviser not found."))
    village = adviser.villages.filter(code=village_code).first()
    errors: dict[str, list[str]] = {}
    if village is None:
        errors["village"] = [gettext("The adviser does not serve this village.")]
    if day > clock.today():
        errors["day"] = [gettext("A duty cannot be recorded before it happens.")]
    if kind not in DutyKind.values:
        errors["kind"] = [gettext("Choose what was done.")]
    if count < 1:
        errors["count"] = [gettext("At least one.")]
    if errors:
        raise _invalid(errors)
    assert village is not None  # noqa: S101  checked above
    is_self = adviser.user_id is not None and adviser.user_id == actor.pk
    if not is_self and not access.can(actor, Capability.CASE_ACCEPT, prefix=village.prefix):
        raise NotFound(gettext("Adviser not found."))
    log = DutyLog.objects.create(
        adviser=adviser,
        village=village,
        day=day,
        kind=kind,
        count=count,
        note=note.strip()[:200],
        recorded_by=actor,
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=log, extra={"kind": kind})
    return log


@dataclass(frozen=True, slots=True)
class TargetResult:
    kind: str
    required: int  # per village × villages served
    done: int

    @property
    def is_met(self) -> bool:
        return self.done >= self.required


@dataclass(frozen=True, slots=True)
class AdviserAssessment:
    """One adviser's 考核 for a year."""

    adviser: LegalAdviser
    villages: int
    results: tuple[TargetResult, ...]

    @property
    def is_met(self) -> bool:
        return all(r.is_met for r in self.results)


def _targets_for(region: Region) -> dict[str, int]:
    prefixes = []
    node: Region | None = region
    while node is not None:
        prefixes.append(node.prefix)
        node = node.parent
    targets: dict[str, tuple[int, int]] = {}
    for target in AdviserTarget.objects.filter(region__prefix__in=prefixes).select_related(
        "region"
    ):
        level = target.region.level
        if target.kind not in targets or level > targets[target.kind][0]:
            targets[target.kind] = (level, target.per_village)
    return {kind: per for kind, (_level, per) in targets.items()}


def adviser_assessments(*, actor: User, region: Region, year: int) -> list[AdviserAssessment]:
    """The year's 考核 of every adviser serving villages under ``region`` (in the actor's scope),
    counted from the duty logs against the region's targets."""
    if not access.can(actor, Capability.CASE_VIEW, prefix=region.prefix):
        return []
    targets = _targets_for(region)
    advisers = advisers_for(actor=actor).filter(villages__prefix__startswith=region.prefix)
    done = {
        (row["adviser_id"], row["kind"]): row["total"]
        for row in DutyLog.objects.filter(day__year=year, adviser__in=advisers)
        .values("adviser_id", "kind")
        .annotate(total=Sum("count"))
    }
    assessments = []
    for adviser in advisers:
        villages = len(adviser.villages.all())
        results = tuple(
            TargetResult(kind, per * villages, done.get((adviser.pk, kind), 0))
            for kind, per in sorted(targets.items())
        )
        assessments.append(AdviserAssessment(adviser, villages, results))
    return assessments


@transaction.atomic
def adviser_invite(*, actor: User, case_id: int, adviser_id: int) -> CaseAdviser:
    """Invite an adviser serving the case's village into the case; the timeline says so.

    Raises:
        NotFound: case not visible; PermissionDeniedError: the actor may not mediate it;
        InvalidInput: the adviser does not serve the place; ConflictError: invited already.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    access.require(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    adviser = (
        LegalAdviser.objects.filter(pk=adviser_id, is_active=True)
        .filter(Q(villages__prefix=case.place_prefix) | Q(villages__prefix__in=_up(case)))
        .first()
    )
    if adviser is None:
        raise _invalid({"adviser": [gettext("Choose an adviser of the case's village.")]})
    if CaseAdviser.objects.filter(case=case, adviser=adviser).exists():
        raise ConflictError(gettext("This adviser takes part already."))
    invitation = CaseAdviser.objects.create(case=case, adviser=adviser, invited_by=actor)
    case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.NOTE_ADDED,
        data={"note": adviser.name, "adviser_invited": adviser.pk},
    )
    return invitation


def _up(case: Case) -> list[str]:
    """The village prefix of a case placed below village level (a grid)."""
    return [case.place_prefix[:12]] if len(case.place_prefix) > 12 else []


def invitations_for(*, user: User) -> QuerySet[CaseAdviser]:
    """The cases an adviser with an account was invited into."""
    return CaseAdviser.objects.filter(adviser__user=user).select_related(
        "case__category", "case__handling_org"
    )


def invitation_get(*, user: User, case_id: int) -> CaseAdviser:
    """Raises NotFound unless ``user`` is an adviser invited into the case."""
    found = invitations_for(user=user).filter(case_id=case_id).first()
    if found is None:
        raise NotFound(gettext("Case not found."))
    return found


@transaction.atomic
def adviser_opinion(*, user: User, case_id: int, opinion: str) -> CaseAdviser:
    """The invited adviser's own opinion on the case, on its timeline.

    Raises:
        NotFound: not invited; InvalidInput: empty opinion.
    """
    invitation = invitation_get(user=user, case_id=case_id)
    if not opinion.strip():
        raise _invalid({"opinion": [gettext("This field is required.")]})
    invitation.opinion, invitation.opinion_at = opinion.strip(), clock.now()
    invitation.save(update_fields=["opinion", "opinion_at", "updated_at"])
    # The adviser holds no jurisdiction over the case: the invitation is the permission.
    case_record_event(
        actor=user,
        case_id=case_id,
        kind=EventKind.NOTE_ADDED,
        data={"note": invitation.opinion, "adviser_opinion": invitation.adviser_id},
        scoped=False,
    )
    return invitation
