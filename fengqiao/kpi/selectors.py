"""Figures for any region subtree and period, and the exact cases or imported rows behind each.

Counters come from the rollups (O(regions × days)); the drill-down re-derives the same numbers
from the events with the same rule (``rollups.deltas``), so its totals equal the figure.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases import workflow
from fengqiao.cases.choices import Channel, EventKind
from fengqiao.cases.models import Case, CaseEvent, DisputeCategory
from fengqiao.core.exceptions import NotFound
from fengqiao.kpi import rollups, wusong
from fengqiao.kpi.choices import ExternalMetric, Metric
from fengqiao.kpi.definitions import BY_CODE, INDICATORS, Indicator, Op, Term, Unit
from fengqiao.kpi.models import Evaluation, ExternalFigure, MonthlyRollup, RollupCounter
from fengqiao.regions.models import Region

# figures that describe a state (not a flow over the period): the latest one counts, not a sum
STATE_FIGURES = {ExternalMetric.POPULATION, ExternalMetric.CITY_PRIOR_LITIGATION_RATE}
HUNDRED, TEN_THOUSAND = Decimal(100), Decimal(10_000)


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


@dataclass
class TermValue:
    term: Term
    value: Decimal | None  # None: an imported figure is missing
    figures: list[ExternalFigure] = field(default_factory=list)


@dataclass
class Figure:
    indicator: Indicator
    region: Region
    period: Period
    numerator: list[TermValue]
    denominator: list[TermValue]
    value: Decimal | None
    target: Decimal | None
    met: bool | None

    @property
    def numerator_total(self) -> Decimal | None:
        return _total(self.numerator)

    @property
    def denominator_total(self) -> Decimal | None:
        return _total(self.denominator)

    @property
    def missing(self) -> list[str]:
        return [
            str(ExternalMetric(v.term.metric).label)
            if v.term.external
            else gettext("confirmed evaluations")
            for v in [*self.numerator, *self.denominator]
            if v.value is None
        ]


def _total(values: list[TermValue]) -> Decimal | None:
    if not values or any(v.value is None for v in values):
        return None
    return sum((v.term.sign * (v.value or Decimal(0)) for v in values), Decimal(0))


def regions_for(actor: User) -> list[Region]:
    """Regions whose figures the actor may see: every region inside their case.view scope (down
    to townships only for a scope above the county, to keep the list short)."""
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    if not prefixes:
        return []
    query = Q()
    for prefix in prefixes:
        query |= Q(prefix__startswith=prefix)
    regions = Region.objects.filter(query).order_by("code")
    top = min((len(p) for p in prefixes), default=12)
    # a county or township user also picks single villages; a province user goes down to towns
    return list(regions if top >= 6 else regions.filter(level__lte=4))


def region_for(actor: User, code: str) -> Region:
    """The region ``code`` if the actor's scope covers it; otherwise NotFound."""
    region = Region.objects.filter(code=code).first()
    prefixes = access.scope_prefixes(actor, Capability.CASE_VIEW)
    if region is None or not any(region.prefix.startswith(p) for p in prefixes):
        raise NotFound("region")
    return region


def _whole_months(period: Period) -> bool:
    return period.start.day == 1 and (period.end + timedelta(days=1)).day == 1


def rollup_rows(region: Region, period: Period) -> QuerySet[Any]:
    """The counters of a region and period: the month × county table when the region is a
    county or above and the period is whole months (a province dashboard then reads thousands
    of rows, not millions), else the day × village table. Both have the same columns."""
    if len(region.prefix) <= rollups.COUNTY_DIGITS and _whole_months(period):
        return MonthlyRollup.objects.filter(
            place_code__startswith=region.prefix, day__range=(period.start, period.end)
        )
    return RollupCounter.objects.filter(
        place_code__startswith=region.prefix, day__range=(period.start, period.end)
    )


def counter(metric: str, region: Region, period: Period, levels: tuple[int, ...] = ()) -> int:
    rows = rollup_rows(region, period).filter(metric=metric)
    if levels:
        rows = rows.filter(level__in=levels)
    return int(rows.aggregate(total=Sum("count"))["total"] or 0)


def _external(metric: str, region: Region, period: Period) -> tuple[Decimal | None, list]:
    if metric in STATE_FIGURES:
        # the figure of this region (or, for the city's rate, of the nearest ancestor) in force
        # at the period's end
        ancestors = [region.prefix[:n] for n in (12, 9, 6, 4, 2) if n <= len(region.prefix)]
        rows = list(
            ExternalFigure.objects.filter(
                metric=metric, region__prefix__in=ancestors, period_start__lte=period.end
            ).select_related("region")
        )
        if rows:
            best = max(rows, key=lambda f: (len(f.region.prefix), f.period_end))
            return best.value, [best]
        if metric == ExternalMetric.POPULATION and region.population:
            return Decimal(region.population), []
        return None, []
    within = ExternalFigure.objects.filter(
        metric=metric, period_start__gte=period.start, period_end__lte=period.end
    ).select_related("region")
    exact = list(within.filter(region=region))
    rows = exact or list(within.filter(region__prefix__startswith=region.prefix))
    if not rows:
        return None, []
    return sum((f.value for f in rows), Decimal(0)), rows


Totals = dict[tuple[str, int], int]  # (metric, level) → count, for one region and period


def counter_totals(region: Region, period: Period) -> Totals:
    """Every counter of a region and period in one grouped query (a page of figures reads the
    rollups once, not once per term)."""
    rows = rollup_rows(region, period).values_list("metric", "level").annotate(total=Sum("count"))
    return {(metric, level): int(total) for metric, level, total in rows}


def _from_totals(totals: Totals, term: Term) -> int:
    return sum(
        n
        for (metric, level), n in totals.items()
        if metric == term.metric and (not term.levels or level in term.levels)
    )


def _term_value(
    term: Term, region: Region, period: Period, totals: Totals | None = None
) -> TermValue:
    if term.evaluation:
        share, passed, villages = wusong.village_share(region, period.end.year)
        if term.metric == "villages":
            return TermValue(term=term, value=Decimal(villages))
        return TermValue(term=term, value=None if share is None else Decimal(passed))
    if term.external:
        value, figures = _external(term.metric, region, period)
        return TermValue(term=term, value=value, figures=figures)
    if totals is not None:
        return TermValue(term=term, value=Decimal(_from_totals(totals, term)))
    return TermValue(term=term, value=Decimal(counter(term.metric, region, period, term.levels)))


def compute(
    indicator: Indicator, region: Region, period: Period, totals: Totals | None = None
) -> Figure:
    numerator = [_term_value(t, region, period, totals) for t in indicator.numerator]
    denominator = [_term_value(t, region, period, totals) for t in indicator.denominator]
    num, den = _total(numerator), _total(denominator)
    value: Decimal | None = None
    if indicator.unit == Unit.COUNT:
        value = num
    elif num is not None and den:
        scale = HUNDRED if indicator.unit == Unit.PERCENT else TEN_THOUSAND
        value = (num * scale / den).quantize(Decimal("0.01"))
    target = indicator.target
    if indicator.target_by_year is not None:
        target = indicator.target_by_year(period.end.year)
    if indicator.target_of is not None and target is not None:
        base = _term_value(indicator.target_of, region, period).value
        target = (base * target).quantize(Decimal("0.01")) if base is not None else None
    met: bool | None = None
    if value is not None and target is not None and indicator.target_op is not None:
        met = {
            Op.AT_LEAST: value >= target,
            Op.AT_MOST: value <= target,
            Op.EQUALS: value == target,
        }[indicator.target_op]
    return Figure(indicator, region, period, numerator, denominator, value, target, met)


def figures_for(region: Region, period: Period) -> list[Figure]:
    totals = counter_totals(region, period)
    return [compute(indicator, region, period, totals) for indicator in INDICATORS]


def indicator(code: str) -> Indicator:
    try:
        return BY_CODE[code]
    except KeyError:
        raise NotFound("indicator") from None


# --- drill-down ----------------------------------------------------------------------------


def _event_filter(metric: str) -> Q:
    if metric == Metric.REGISTERED:
        return Q(kind=EventKind.REGISTERED)
    if metric == Metric.OVERDUE:
        return Q(kind=EventKind.MARKED_OVERDUE)
    if metric == Metric.RISK_FLAGGED:
        return Q(kind=EventKind.RISK_FLAGGED)
    if metric in (Metric.SATISFIED, Metric.FAIRLY_SATISFIED, Metric.DISSATISFIED):
        return Q(kind=EventKind.FOLLOW_UP_RECORDED)
    if metric == Metric.ACCEPTED:
        return Q(kind=EventKind.TRANSITIONED, data__transition__in=list(rollups.TAKING_IN))
    with_outcome = [t.name for t in workflow.TRANSITIONS.values() if t.outcome is not None]
    return Q(kind=EventKind.TRANSITIONED, data__transition__in=[*with_outcome, "reopen"])


@dataclass
class DrillRow:
    case: Case
    count: int  # net contribution to the term (a reopened conclusion nets to 0 and is left out)


def drill_counter(
    term: Term, region: Region, period: Period, *, after: int = 0, limit: int | None = None
) -> list[DrillRow]:
    """The cases behind one counter term, each with its net contribution, in case order; the
    contributions of all pages sum to the term's value.

    Cases of the region are walked in id order in batches (the place index narrows them), and
    only their events are read, so a page costs a few small queries however large the region;
    keyset paging on the case id (``after``)."""
    start, end = period.bounds()
    candidates = (
        Case.objects.filter(place_prefix__startswith=region.prefix, created_at__lt=end)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows: list[DrillRow] = []
    cursor = after
    batch = 500 if limit is None else max(limit * 4, 200)
    while limit is None or len(rows) < limit:
        ids = list(candidates.filter(pk__gt=cursor)[:batch])
        if not ids:
            break
        events = (
            CaseEvent.objects.filter(
                _event_filter(term.metric),
                case_id__in=ids,
                occurred_at__gte=start,
                occurred_at__lt=end,
            )
            .select_related("case", "org__region")
            .order_by("case_id", "seq")
        )
        net: dict[int, int] = defaultdict(int)
        cases: dict[int, Case] = {}
        for event in events:
            day = timezone.localdate(event.occurred_at)
            for metric, sign, level in rollups.deltas(event, day):
                if metric == term.metric and (not term.levels or level in term.levels):
                    net[event.case_id] += sign
                    cases[event.case_id] = event.case
        rows.extend(
            DrillRow(case=cases[case_id], count=count)
            for case_id, count in sorted(net.items())
            if count != 0
        )
        cursor = ids[-1]
    return rows if limit is None else rows[:limit]


# --- dashboard series --------------------------------------------------------------------------


@dataclass
class Series:
    """One chart's data: labels along the axis and one or more named value lists."""

    key: str
    title: str
    labels: list[str]
    values: dict[str, list[int]]


def _cells(region: Region, period: Period) -> QuerySet[Any]:
    return rollup_rows(region, period)


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def monthly_series(region: Region, period: Period) -> Series:
    """Registered and concluded disputes per month."""
    metrics = [Metric.REGISTERED, Metric.CONCLUDED, Metric.RESOLVED]
    rows = (
        _cells(region, period)
        .filter(metric__in=metrics)
        .annotate(month=TruncMonth("day"))
        .values("month", "metric")
        .annotate(total=Sum("count"))
    )
    table = {(_as_date(r["month"]), r["metric"]): int(r["total"]) for r in rows}
    months: list[date] = []
    cursor = period.start.replace(day=1)
    while cursor <= period.end:
        months.append(cursor)
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return Series(
        key="trend",
        title=gettext("Disputes by month"),
        labels=[f"{m.year}-{m.month:02d}" for m in months],
        values={
            str(Metric(metric).label): [table.get((m, metric), 0) for m in months]
            for metric in metrics
        },
    )


def breakdown_series(region: Region, period: Period, by: str) -> Series:
    """Registered disputes by channel or by category, largest first."""
    rows = (
        _cells(region, period)
        .filter(metric=Metric.REGISTERED)
        .values(by)
        .annotate(total=Sum("count"))
        .order_by("-total")
    )
    names: dict[object, str]
    if by == "channel":
        names = {c.value: str(c.label) for c in Channel}
        title = gettext("Disputes by channel")
    else:
        names = dict(list(DisputeCategory.objects.values_list("pk", "name")))
        title = gettext("Disputes by category")
    pairs = [(names.get(r[by], str(r[by])), int(r["total"])) for r in rows if r["total"]]
    return Series(
        key=by,
        title=title,
        labels=[name for name, _total in pairs],
        values={str(Metric.REGISTERED.label): [total for _name, total in pairs]},
    )


LEVEL_NAMES = {1: "省", 2: "市", 3: "县", 4: "乡镇", 5: "村（社区）"}


def level_series(region: Region, period: Period) -> Series:
    """Agreements reached at each level: 小事不出村、大事不出镇、难事不出县."""
    rows = dict(
        _cells(region, period)
        .filter(metric=Metric.RESOLVED)
        .values_list("level")
        .annotate(total=Sum("count"))
        .values_list("level", "total")
    )
    levels = [5, 4, 3, 2, 1]
    return Series(
        key="level",
        title=gettext("Agreements reached by level"),
        labels=[LEVEL_NAMES[level] for level in levels],
        values={str(Metric.RESOLVED.label): [int(rows.get(level, 0)) for level in levels]},
    )


def _child_totals(
    region: Region, period: Period, metrics: list[str]
) -> list[tuple[Region, dict[str, int]]]:
    """Each child region with its totals of ``metrics``, in one grouped query on the table fine
    enough for the children (month × county serves children down to counties)."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    if not children:
        return []
    digits = len(children[0].prefix)
    monthly = digits <= rollups.COUNTY_DIGITS and _whole_months(period)
    model = MonthlyRollup if monthly else RollupCounter
    rows = (
        model.objects.filter(
            place_code__startswith=region.prefix,
            day__range=(period.start, period.end),
            metric__in=metrics,
        )
        .annotate(child=Substr("place_code", 1, digits))
        .values_list("child", "metric")
        .annotate(total=Sum("count"))
    )
    by_prefix: dict[str, dict[str, int]] = defaultdict(dict)
    for child, metric, total in rows:
        by_prefix[child][metric] = int(total)
    return [(c, {m: by_prefix[c.prefix].get(m, 0) for m in metrics}) for c in children]


def ranking_series(region: Region, period: Period) -> Series:
    """The next level down ranked by registered disputes, with agreements reached (通报讲评)."""
    metrics = [Metric.REGISTERED.value, Metric.RESOLVED.value]
    ranked = sorted(
        _child_totals(region, period, metrics),
        key=lambda item: (-item[1][Metric.REGISTERED], item[0].code),
    )
    return Series(
        key="ranking",
        title=gettext("Ranking of the units below"),
        labels=[child.name for child, _t in ranked],
        values={str(Metric(m).label): [t[m] for _c, t in ranked] for m in metrics},
    )


def map_series(region: Region, period: Period) -> Series:
    """Disputes registered in each unit below, for the map: drawn on the region's boundary
    GeoJSON when one was supplied, else as a tile grid of the units in code order."""
    totals = _child_totals(region, period, [Metric.REGISTERED.value])
    return Series(
        key="map",
        title=gettext("Disputes by place"),
        labels=[child.name for child, _t in totals],
        values={str(Metric.REGISTERED.label): [t[Metric.REGISTERED] for _c, t in totals]},
    )


def boundary_url(region: Region) -> str:
    """The URL of the region's boundary GeoJSON, or "" when none was supplied."""
    return reverse("kpi:boundary", args=[region.code]) if boundary_file(region.code) else ""


def boundary_file(code: str) -> Path | None:
    """FENGQIAO_BOUNDARIES_DIR/<code>.geojson when a deployer supplied it."""
    folder = getattr(settings, "FENGQIAO_BOUNDARIES_DIR", "")
    path = Path(folder) / f"{code}.geojson" if folder and code.isdigit() else None
    return path if path is not None and path.is_file() else None


def satisfaction_series(region: Region, period: Period) -> Series:
    """How the parties rated the outcome at follow-up visits (回访满意度)."""
    metrics = [Metric.SATISFIED, Metric.FAIRLY_SATISFIED, Metric.DISSATISFIED]
    totals = dict(
        _cells(region, period)
        .filter(metric__in=metrics)
        .values_list("metric")
        .annotate(total=Sum("count"))
        .values_list("metric", "total")
    )
    return Series(
        key="satisfaction",
        title=gettext("Satisfaction at follow-up visits"),
        labels=[str(Metric(m).label) for m in metrics],
        values={gettext("Follow-up visits"): [int(totals.get(m, 0)) for m in metrics]},
    )


def dashboard_series(region: Region, period: Period) -> list[Series]:
    return [
        satisfaction_series(region, period),
        monthly_series(region, period),
        breakdown_series(region, period, "channel"),
        breakdown_series(region, period, "category_id"),
        level_series(region, period),
        ranking_series(region, period),
        map_series(region, period),
    ]


@dataclass
class OpenCases:
    """What needs attention now in the region (a state, not a period figure): overdue and
    high-risk open cases, the latter listed."""

    overdue: int
    high_risk: int
    high_risk_cases: list[Case]


def open_attention(region: Region) -> OpenCases:
    open_cases = Case.objects.filter(place_prefix__startswith=region.prefix).open()
    risky = open_cases.filter(
        Q(risk_level="high") | Q(is_criminal_risk=True) | Q(is_mass=True) | Q(is_extreme=True)
    )
    return OpenCases(
        overdue=open_cases.filter(overdue_since__isnull=False).count(),
        high_risk=risky.count(),
        high_risk_cases=list(
            risky.select_related("handling_org").order_by("-created_at", "-id")[:10]
        ),
    )


def evaluations_for(region: Region, year: int) -> list[Evaluation]:
    """The village evaluations of ``year`` under ``region`` (confirmed or not), by code."""
    return list(
        Evaluation.objects.filter(
            region__prefix__startswith=region.prefix, region__level=5, year=year
        )
        .select_related("region", "confirmed_by")
        .order_by("region__code")
    )
