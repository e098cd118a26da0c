"""Reads of the patrols app, narrowed to the actor's jurisdiction (out of reach ⇒ NotFound)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.people import people_q
from fengqiao.accounts.roles import Capability, roles_with
from fengqiao.core.collation import pinyin_key
from fengqiao.core.exceptions import NotFound
from fengqiao.patrols.models import (
    Hazard,
    Meeting,
    PatrolRound,
    SensitivePeriod,
    StabilityAssessment,
)
from fengqiao.regions.models import Region, RegionLevel


def _within(actor: User, field: str) -> Q:
    """Rows whose region lies in one of the actor's subtrees, or whose region contains one (a
    township round is visible to the villages under it)."""
    return access.within(actor, Capability.CASE_VIEW, f"{field}__prefix")


def rounds_visible(actor: User) -> QuerySet[PatrolRound]:
    qs = PatrolRound.objects.select_related("region")
    q = _within(actor, "region")
    for prefix in access.scope_prefixes(actor, Capability.CASE_VIEW):
        # a village account sees its township's monthly and special rounds
        q |= Q(region__level__lt=5, region__prefix__in=[prefix[:n] for n in (6, 9)])
    return qs.filter(q).distinct()


def villages_seen(actor: User) -> Q:
    """A Q over a report's ``village``: the villages in the actor's own subtrees. Rounds reach
    further (a village sees its township's round) than the rows in them do."""
    return _within(actor, "village")


def round_get(actor: User, round_id: int) -> PatrolRound:
    rnd = rounds_visible(actor).filter(pk=round_id).first()
    if rnd is None:
        raise NotFound(gettext("Not found."))
    return rnd


def hazards_visible(actor: User) -> QuerySet[Hazard]:
    return Hazard.objects.filter(_within(actor, "region")).select_related("region", "responsible")


def assessments_visible(actor: User) -> QuerySet[StabilityAssessment]:
    return StabilityAssessment.objects.filter(_within(actor, "region")).select_related("region")


def assessment_get(actor: User, assessment_id: int) -> StabilityAssessment:
    a = assessments_visible(actor).filter(pk=assessment_id).first()
    if a is None:
        raise NotFound(gettext("Not found."))
    return a


def meetings_visible(actor: User) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(_within(actor, "region"))
        .select_related("region")
        .prefetch_related("tasks__owner", "agenda_cases")
    )


def hazard_get(actor: User, hazard_id: int) -> Hazard:
    """One hazard in the actor's jurisdiction, with its history (oldest first)."""
    hazard = (
        hazards_visible(actor)
        .prefetch_related("history__actor", "history__responsible")
        .filter(pk=hazard_id)
        .first()
    )
    if hazard is None:
        raise NotFound(gettext("Not found."))
    return hazard


def periods_visible(actor: User) -> QuerySet[SensitivePeriod]:
    """The sensitive-period calendar of the actor's jurisdiction, earliest first."""
    return (
        SensitivePeriod.objects.filter(_within(actor, "region"))
        .select_related("region")
        .order_by("starts_on", "pk")
    )


def meeting_get(actor: User, meeting_id: int) -> Meeting:
    meeting = meetings_visible(actor).filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(gettext("Not found."))
    return meeting


def regions_for(actor: User, capability: Capability) -> QuerySet[Region]:
    """Townships and villages in which the actor holds ``capability``."""
    regions = access.scoped(Region.objects.all(), actor, capability, "prefix")
    return regions.filter(level__gte=RegionLevel.TOWNSHIP).order_by("code")


def regions_for_register(actor: User) -> QuerySet[Region]:
    """Townships and villages in which the actor may record hazards."""
    return regions_for(actor, Capability.CASE_REGISTER)


def staff_for_region(region: Region) -> list[User]:
    """Active people who work on ``region``: a membership that reads cases over the region, one
    of its ancestors or a place under it (choices of person responsible and task owner), in
    pinyin order of their names."""
    ancestors = [region.prefix[:n] for n in (2, 4, 6, 9, 12) if n <= len(region.prefix)]
    memberships = (
        Membership.objects.active()
        .filter(role__in=roles_with(Capability.CASE_VIEW))
        .filter(Q(region__prefix__startswith=region.prefix) | Q(region__prefix__in=ancestors))
    )
    people = User.objects.filter(people_q(), is_active=True, memberships__in=memberships)
    return sorted(
        people.distinct(), key=lambda u: (pinyin_key(u.full_name or u.username), u.username)
    )
