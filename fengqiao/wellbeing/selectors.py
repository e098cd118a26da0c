"""Who may see a case's psychological records: the person who made the referral or raised the
crisis, the counsellor referred to, the named responders, and leaders supervising the case. A
case viewer without that need sees nothing of it (not even that it exists)."""

from django.db.models import Q, QuerySet

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import NotFound
from fengqiao.wellbeing.models import (
    CounsellingRoom,
    Counsellor,
    CrisisAlert,
    CrisisResponder,
    PsychReferral,
)


def responders_for(case: Case) -> list[User]:
    """Named responders of the case's place and every region above it, and the counsellors of
    its open referrals; active accounts only."""
    prefixes = [case.place_prefix[:n] for n in range(2, len(case.place_prefix) + 1)]
    users = {
        r.user
        for r in CrisisResponder.objects.filter(region__prefix__in=prefixes).select_related("user")
    }
    users |= {
        r.counsellor.user
        for r in PsychReferral.objects.filter(case=case).select_related("counsellor__user")
        if r.counsellor.user is not None
    }
    return sorted((u for u in users if u.is_active), key=lambda u: u.pk)


def may_see(user: User, case: Case) -> bool:
    if access.can(user, Capability.CASE_SUPERVISE, prefix=case.handling_prefix):
        return True
    if PsychReferral.objects.filter(
        Q(created_by=user) | Q(counsellor__user=user), case=case
    ).exists():
        return True
    return CrisisAlert.objects.filter(
        Q(raised_by=user) | Q(responders=user), case=case
    ).exists() or (user in responders_for(case))


def referrals_of(case: Case) -> QuerySet[PsychReferral]:
    return PsychReferral.objects.filter(case=case).select_related("counsellor__room")


def alerts_of(case: Case) -> QuerySet[CrisisAlert]:
    return CrisisAlert.objects.filter(case=case).prefetch_related("responders")


def counsellors_for(case: Case) -> QuerySet[Counsellor]:
    """Counsellors at rooms of the case's place or above."""
    prefixes = [case.place_prefix[:n] for n in range(2, len(case.place_prefix) + 1)]
    return Counsellor.objects.filter(
        Q(room__region__prefix__in=prefixes) | Q(room__isnull=True), is_active=True
    ).select_related("room")


def rooms_for(*, actor: User) -> QuerySet[CounsellingRoom]:
    rooms = access.scoped(
        CounsellingRoom.objects.all(), actor, Capability.CASE_VIEW, "region__prefix"
    )
    return rooms.filter(is_active=True).prefetch_related("counsellors")


def case_for(*, actor: User, case_id: int) -> Case:
    """The case as case viewers see it through their scope, or as a counsellor or responder
    sees it through their part in it (they hold no jurisdiction).

    Raises:
        NotFound: neither.
    """
    try:
        return case_selectors.case_get_for(actor=actor, case_id=case_id)
    except NotFound:
        case = Case.objects.select_related("handling_org").filter(pk=case_id).first()
        if case is None or not may_see(actor, case):
            raise
        return case
