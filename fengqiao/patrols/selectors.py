"""Reads of the patrols app, narrowed to the actor's jurisdiction (out of reach ⇒ NotFound)."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.core.exceptions import NotFound
from fengqiao.patrols.models import Hazard, Meeting, PatrolRound, StabilityAssessment
from fengqiao.regions.models import Region, RegionLevel


def _within(actor: User, field: str) -> Q:
    """Rows whose region lies in one of the actor's subtrees, or whose region contains one (a
    township round is visible to the villages under it)."""
    q = Q(pk__in=[])
    for prefix in access.scope_prefixes(actor, Capability.CASE_VIEW):
        q |= Q(**{f"{field}__prefix__startswith": prefix})
    return q


def rounds_visible(actor: User) -> QuerySet[PatrolRound]:
    qs = PatrolRound.objects.select_related("region")
    q = _within(actor, "region")
    for prefix in access.scope_prefixes(actor, Capability.CASE_VIEW):
        # a village account sees its township's monthly and special rounds
        q |= Q(region__level__lt=5, region__prefix__in=[prefix[:n] for n in (6, 9)])
    return qs.filter(q).distinct()


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


def regions_for_register(actor: User) -> QuerySet[Region]:
    """Townships and villages in which the actor may record hazards."""
    q = Q(pk__in=[])
    for prefix in access.scope_prefixes(actor, Capability.CASE_REGISTER):
        q |= Q(prefix__startswith=prefix)
    return Region.objects.filter(q, level__gte=RegionLevel.TOWNSHIP).order_by("code")
