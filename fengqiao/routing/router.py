"""The router the intake path (``intake.pipeline.register_dispute``) hands ``case_register`` to
choose which organisation handles a new case: the first active rule, in priority order, whose
conditions hold and whose target exists. No matching rule leaves the case with the organisation
that registered it, and so does a history import's row registered at the unit its ledger names
(``intake.history``)."""

from django.db.models import Count, Q
from django.utils.translation import gettext

from fengqiao.cases.choices import OPEN_STATUSES, Channel
from fengqiao.cases.hooks import RouteRequest, RoutingDecision
from fengqiao.core import refcache
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.models import Region
from fengqiao.routing.choices import PartySpread, TargetKind
from fengqiao.routing.models import InvitedOrganisation, RoutingRule

TOWNSHIP_DIGITS, COUNTY_DIGITS = 9, 6


def _villages_and_townships(request: RouteRequest) -> tuple[set[str], set[str]]:
    places: list[Region] = [request.region, *request.party_regions]
    villages = {r.code for r in places if len(r.prefix) > TOWNSHIP_DIGITS}
    townships = {r.code[:TOWNSHIP_DIGITS] for r in places}
    return villages, townships


def _conditions(rule: RoutingRule, request: RouteRequest, categories: set[str]) -> list[str] | None:
    """The reasons the rule holds, in Chinese; None when a condition fails."""
    reasons: list[str] = []
    if rule.within is not None and not request.region.prefix.startswith(rule.within.prefix):
        return None
    if rule.channels:
        if request.channel not in rule.channels:
            return None
        reasons.append(
            gettext("channel: %(channel)s") % {"channel": Channel(request.channel).label}
        )
    rule_categories = {c.code for c in rule.categories.all()}
    if rule_categories:
        matched = rule_categories & categories
        if not matched:
            return None
        names = [c.name for c in rule.categories.all() if c.code in matched]
        reasons.append(gettext("category: %(names)s") % {"names": "、".join(names)})
    if rule.party_spread:
        villages, townships = _villages_and_townships(request)
        if rule.party_spread == PartySpread.CROSS_TOWNSHIP and len(townships) < 2:
            return None
        if rule.party_spread == PartySpread.CROSS_VILLAGE and len(villages) < 2:
            return None
        count = len(townships) if rule.party_spread == PartySpread.CROSS_TOWNSHIP else len(villages)
        reasons.append(str(rule.get_party_spread_display()) + f"（{count}）")
    if rule.min_amount is not None:
        if request.amount is None or request.amount < rule.min_amount:
            return None
        reasons.append(gettext("amount %(amount)s yuan") % {"amount": request.amount})
    if rule.min_people is not None:
        if request.people_count < rule.min_people:
            return None
        reasons.append(gettext("%(count)s people involved") % {"count": request.people_count})
    return reasons


def _least_busy(orgs: list[Organisation]) -> Organisation | None:
    if not orgs:
        return None
    loads = dict(
        Organisation.objects.filter(pk__in=[o.pk for o in orgs])
        .annotate(open_cases=Count("cases", filter=Q(cases__status__in=OPEN_STATUSES)))
        .values_list("pk", "open_cases")
    )
    return min(orgs, key=lambda o: (loads.get(o.pk, 0), o.code))


def _nearest(orgs: list[Organisation], place_prefix: str) -> list[Organisation]:
    """Those of ``orgs`` whose area covers the place, at the lowest tier present: a village's
    dispute goes to its village committee before a township's or the county's
    (小事不出村、大事不出镇); the least busy is chosen among those only."""
    covering = [o for o in orgs if place_prefix.startswith(o.region.prefix)]
    deepest = max((len(o.region.prefix) for o in covering), default=0)
    return [o for o in covering if len(o.region.prefix) == deepest]


def _target(rule: RoutingRule, request: RouteRequest) -> Organisation | None:
    active = Organisation.objects.active().select_related("region")
    match rule.target:
        case TargetKind.ORGANISATION:
            # the id, not ``rule.target_org``: the shared rule must not load and keep a row
            return active.filter(pk=rule.target_org_id).first() if rule.target_org_id else None
        case TargetKind.PLACE_TOWNSHIP | TargetKind.PLACE_COUNTY:
            digits = TOWNSHIP_DIGITS if rule.target == TargetKind.PLACE_TOWNSHIP else COUNTY_DIGITS
            return (
                active.filter(
                    kind=rule.target_org_kind, region__prefix=request.region.prefix[:digits]
                )
                .order_by("code")
                .first()
            )
        case TargetKind.COURT_INVITED:
            court_code = _delegating_court(request)
            invited = [
                row.org
                for row in InvitedOrganisation.objects.filter(
                    court__code=court_code, is_active=True, org__is_active=True
                ).select_related("org", "org__region")
            ]
            return _least_busy(_nearest(invited, request.region.prefix) or invited)
        case TargetKind.SOURCE_NAMED:
            code = str(request.extra.get("handling_unit", ""))
            return active.filter(code=code).first() if code else None
    return None


def _delegating_court(request: RouteRequest) -> str:
    """The court whose invited organisations take a delegation: the one the court's system names
    (the court channel's API), else the court whose liaison registered it on the staff form (it
    named none, and the case stayed at the court, where no one may accept it: issue #21)."""
    named = str(request.extra.get("court", ""))
    if named:
        return named
    registrar = request.registering_org
    return registrar.code if registrar.kind == OrgKind.COURT else ""


def _load_rules() -> tuple[RoutingRule, ...]:
    rules = RoutingRule.objects.filter(is_active=True).select_related("within")
    return tuple(rules.prefetch_related("categories").order_by("priority", "code"))


def active_rules() -> tuple[RoutingRule, ...]:
    """The active rules in the order they are tried, their categories and place loaded: from
    memory (``core.refcache``; saving a rule, a category or a region bumps it). Shared by every
    request of the process: read them, never change them."""
    return refcache.cached("routing.rules", _load_rules)


def route(request: RouteRequest) -> RoutingDecision | None:
    if request.extra.get("recorded_unit") == request.registering_org.code:
        return None  # a history row was handled where its ledger says: a fact, not a choice
    categories = {request.category, request.subcategory} - {""}
    for rule in active_rules():
        reasons = _conditions(rule, request, categories)
        if reasons is None:
            continue
        org = _target(rule, request)
        if org is None:
            continue
        return RoutingDecision(
            org=org,
            rule_code=rule.code,
            rule_name=rule.name,
            reason="；".join(reasons) or gettext("applies to every case"),
        )
    return None
