"""Reads behind the Open311 endpoints: the service list (dispute categories) and the requests a
channel endpoint filed, which are the only cases its key may follow."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from fengqiao.cases.choices import OPEN_STATUSES
from fengqiao.cases.models import Case, DisputeCategory
from fengqiao.intake.models import ChannelEndpoint, IntakeSubmission
from fengqiao.regions.models import Region

REQUESTS_MAX = 1000  # GeoReport's own cap on one answer


def services_list() -> QuerySet[DisputeCategory]:
    """Every active category and subcategory, categories first, each with its parent."""
    return (
        DisputeCategory.objects.filter(is_active=True)
        .filter(Q(parent__isnull=True) | Q(parent__is_active=True))
        .select_related("parent")
        .order_by("parent__order", "parent__code", "order", "code")
    )


def jurisdiction_get(code: str) -> Region | None:
    """The division a ``jurisdiction_id`` names (its 12-digit code), or None."""
    return Region.objects.filter(code=code).first() if code else None


@dataclass(frozen=True, slots=True)
class RequestFilters:
    numbers: tuple[str, ...] = ()
    service_code: str = ""
    start: datetime | None = None
    end: datetime | None = None
    is_open: bool | None = None
    within: Region | None = None


def service_requests_for(
    *, endpoint: ChannelEndpoint, filters: RequestFilters | None = None
) -> QuerySet[Case]:
    """The cases ``endpoint`` filed (whatever unit handles them now), newest first, at most
    ``REQUESTS_MAX``, narrowed by ``filters``."""
    filters = filters or RequestFilters()
    cases = Case.objects.filter(
        pk__in=IntakeSubmission.objects.filter(endpoint=endpoint).values("case_id")
    ).select_related("category", "subcategory", "region", "handling_org")
    if filters.numbers:
        cases = cases.filter(number__in=filters.numbers)
    if filters.service_code:
        code = filters.service_code
        cases = cases.filter(Q(category__code=code) | Q(subcategory__code=code))
    if filters.start is not None:
        cases = cases.filter(created_at__gte=filters.start)
    if filters.end is not None:
        cases = cases.filter(created_at__lte=filters.end)
    if filters.is_open is not None:
        opened = Q(status__in=OPEN_STATUSES)
        cases = cases.filter(opened) if filters.is_open else cases.exclude(opened)
    if filters.within is not None:
        cases = cases.filter(place_prefix__startswith=filters.within.prefix)
    return cases.order_by("-created_at", "-id")[:REQUESTS_MAX]
