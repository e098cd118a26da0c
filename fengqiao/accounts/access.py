"""The single choke point for "may this user do X here?": capability × jurisdiction.

A membership grants a role's capabilities over a region subtree, named by its code prefix
(ARCHITECTURE rule 1). Reads narrow querysets to ``scope_prefixes``; writes call ``require``.
"""

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext

from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Capability, capabilities_for
from fengqiao.core import clock, refcache
from fengqiao.core.exceptions import PermissionDeniedError
from fengqiao.orgs.choices import COMMITTEE_KINDS, OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import within_q

M = TypeVar("M", bound=Model)


@dataclass(frozen=True, slots=True)
class Grant:
    prefix: str
    capabilities: frozenset[Capability]
    org_id: int
    role: str
    org_kind: str = ""
    level: int = 0  # of the membership's region (RegionLevel)


def _load_grants(user_id: int) -> tuple[Grant, ...]:
    memberships = (
        Membership.objects.active().filter(user_id=user_id).select_related("region", "org")
    )
    return tuple(
        Grant(
            m.region.prefix,
            capabilities_for(m.role, org_kind=m.org.kind),
            m.org_id,
            m.role,
            m.org.kind,
            m.region.level,
        )
        for m in memberships
    )


def grants_for(user: User) -> tuple[Grant, ...]:
    """The user's active memberships as (subtree, capabilities) pairs, from the process's
    reference-data snapshot (``core.refcache``: memberships, regions and organisations bump it),
    kept on the user object for the rest of the request. Keyed by the day too: a membership's
    validity is a range of dates."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached: tuple[Grant, ...] | None = getattr(user, "_fengqiao_grants", None)
    if cached is None:
        user_id = user.pk
        cached = refcache.cached(
            ("grants", user_id, clock.real_today()), lambda: _load_grants(user_id)
        )
        user._fengqiao_grants = cached  # type: ignore[attr-defined]
    return cached


def forget_grants(user: User) -> None:
    """Drop the cached grants after memberships change."""
    user.__dict__.pop("_fengqiao_grants", None)


def scope_prefixes(user: User, capability: Capability) -> list[str]:
    """Region prefixes of the subtrees in which the user holds ``capability``."""
    return sorted({g.prefix for g in grants_for(user) if capability in g.capabilities})


def within(user: User, capability: Capability, *fields: str) -> Q:
    """Rows whose region prefix in any of ``fields`` lies in a subtree where ``user`` holds
    ``capability``; matches nothing when they hold it nowhere. The one jurisdiction filter:
    every read narrows through it (or ``scoped``), so no app spells its own prefix loop."""
    prefixes = scope_prefixes(user, capability)
    condition = Q(pk__in=[])
    for field in fields:
        condition |= within_q(field, prefixes)
    return condition


def scoped(queryset: QuerySet[M], user: User, capability: Capability, *fields: str) -> QuerySet[M]:
    """``queryset`` narrowed to ``user``'s jurisdiction for ``capability`` (see ``within``)."""
    return queryset.filter(within(user, capability, *fields))


def can(user: User, capability: Capability, *, prefix: str) -> bool:
    """True if a membership over the region ``prefix`` or one of its ancestors grants
    ``capability``."""
    return any(
        capability in g.capabilities and prefix.startswith(g.prefix) for g in grants_for(user)
    )


def require(user: User, capability: Capability, *, prefix: str) -> None:
    """Raise unless ``can``; callers have already scoped the object, so 403 reveals nothing."""
    if not can(user, capability, prefix=prefix):
        raise PermissionDeniedError(gettext("You are not allowed to do this here."))


def org_ids_with(user: User, capability: Capability) -> list[int]:
    """Organisations at which a membership grants the user ``capability`` (e.g. where they may
    register cases)."""
    return sorted({g.org_id for g in grants_for(user) if capability in g.capabilities})


def home_org_ids(user: User) -> list[int]:
    """Organisations the user works for: "my unit" in the to-do list."""
    return sorted({g.org_id for g in grants_for(user)})


def history_prefixes(user: User) -> list[str]:
    """Townships whose ledger ``user`` may import as history: those of the township centres
    (矛调中心) at which they register cases (issue #21 item 7). Offices keep one ledger per
    township, the centre holding the past cases of the township's people's mediation committees:
    小事不出村、大事不出镇, it is their superior."""
    return sorted(
        {
            g.prefix
            for g in grants_for(user)
            if Capability.CASE_REGISTER in g.capabilities
            and g.org_kind == OrgKind.CENTRE
            and g.level == RegionLevel.TOWNSHIP
        }
    )


def history_unit_ids(user: User) -> list[int]:
    """Organisations whose earlier years' cases ``user`` may import from a ledger, each
    registered at and handled by that organisation: those they register cases for, and the
    active people's mediation committees (village and township ones) inside the townships of
    ``history_prefixes``. Live registration stays with ``org_ids_with``: a township centre
    registers today's cases at itself and hands them down through the workflow."""
    own = set(org_ids_with(user, Capability.CASE_REGISTER))
    prefixes = history_prefixes(user)
    if prefixes:
        committees = Organisation.objects.filter(
            within_q("region__prefix", prefixes), kind__in=COMMITTEE_KINDS, is_active=True
        )
        own.update(committees.values_list("pk", flat=True))
    return sorted(own)
