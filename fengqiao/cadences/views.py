"""Thin views: the cadences with their next due dates and misses, and the monthly roll-up."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fengqiao.accounts import access
from fengqiao.accounts.actor import request_actor
from fengqiao.accounts.roles import Capability
from fengqiao.cadences.models import CadenceRule, MissedMeeting
from fengqiao.cadences.rollup import monthly_rollup
from fengqiao.cadences.services import due_on
from fengqiao.core import clock
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region, within_q


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    rules = CadenceRule.objects.filter(within_q("region__prefix", prefixes), is_active=True)
    rows = [(rule, due_on(rule)) for rule in rules.select_related("region", "leader")]
    misses = MissedMeeting.objects.filter(rule__in=rules).select_related("rule__region")[:50]
    return render(
        request,
        "cadences/index.html",
        {"rows": rows, "misses": misses, "today": clock.today()},
    )


@require_GET
def rollup(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    township = Region.objects.filter(code=code, level=RegionLevel.TOWNSHIP).first()
    if township is None or not 1 <= month <= 12:
        raise Http404
    actor = request_actor(request)
    if not access.can(actor, Capability.CASE_VIEW, prefix=township.prefix):
        raise Http404
    rows = monthly_rollup(actor=actor, township=township, year=year, month=month)
    return render(
        request,
        "cadences/rollup.html",
        {"township": township, "year": year, "month": month, "rows": rows},
    )
