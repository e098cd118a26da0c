"""Reads of the registers, scoped to the region subtrees where the actor may view cases."""

from django.db.models import QuerySet

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.regions.models import Region, within_q
from fengqiao.registers.models import MediatorRating, RegisterPerson


def people_list_for(*, actor: User, role: str = "") -> QuerySet[RegisterPerson]:
    """Register entries of the villages in the actor's jurisdiction."""
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    if not prefixes:
        return RegisterPerson.objects.none()
    people = RegisterPerson.objects.filter(within_q("village_prefix", prefixes), is_active=True)
    if role:
        people = people.filter(role=role)
    return people.select_related("village")


def ratings_for(*, actor: User, year: int) -> QuerySet[MediatorRating]:
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    if not prefixes:
        return MediatorRating.objects.none()
    return (
        MediatorRating.objects.filter(
            within_q("mediator__memberships__region__prefix", prefixes), year=year
        )
        .select_related("mediator")
        .distinct()
    )


def regions_for_subsidies(*, actor: User) -> QuerySet[Region]:
    """The regions whose statements the actor may draw (where they may close cases)."""
    prefixes = access.scope_prefixes(actor, Capability.CASE_CLOSE)
    if not prefixes:
        return Region.objects.none()
    return Region.objects.filter(prefix__in=prefixes).order_by("code")
