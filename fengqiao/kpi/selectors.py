"""Figures for any region subtree and period, and the exact cases or imported rows behind each.

Counters come from the rollups (O(regions × days)); the drill-down re-derives the same numbers
from the events with the same rule (``counting.contributions``), so it lists exactly the cases
the figure counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case, CaseEvent, DisputeCategory
from fengqiao.core import clock
from fengqiao.core.exceptions import NotFound
from fengqiao.kpi import counting, rollups
from fengqiao.kpi.choices import ExternalMetric, Metric
from fengqiao.kpi.definitions import BY_CODE, INDICATORS, Indicator, Op, Term, Trend, Unit, t
from fengqiao.kpi.models import Evaluation, ExternalFigure, MonthlyRollup, RollupCounter
from fengqiao.kpi.periods import Period
from fengqiao.kpi.share import village_share
from fengqiao.regions.models import Region, within_q

# figures that describe a state (not a flow over the period): the latest one counts, not a sum
STATE_FIGURES = {ExternalMetric.POPULATION, ExternalMetric.CITY_PRIOR_LITIGATION_RATE}
HUNDRED, TEN_THOUSAND = Decimal(100), Decimal(10_000)


@dataclass
class TermValue:
    term: Term
    value: Decimal | None  # None: an imported figure is missing
    figures: list[ExternalFigure] = field(default_factory=list)
    estimated: str = ""  # why the value is an estimate (估算) and where it came from


@dataclass
class Figure:
    indicator: Indicator
    region: Region
    period: Period
    numerator: list[TermValue]
    denominator: list[TermValue]
    value: Decimal | None
    target: Decimal | None
    met: bool | None  # None: 无数据 (no denominator, a missing figure or no target to compare)
    baseline: "TermValue | None" = None  # what a relative target is taken of (上一年度全市)
    trend: "YearOnYear | None" = None  # a 明显下降/提升 target against 上一年度

    @property
    def numerator_total(self) -> Decimal | None:
        return _total(self.numerator)

    @property
    def denominator_total(self) -> Decimal | None:
        return _total(self.denominator)

    @property
    def estimates(self) -> list[str]:
        return [v.estimated for v in [*self.numerator, *self.denominator] if v.estimated]

    @property
    def missing(self) -> list[str]:
        return [
            str(ExternalMetric(v.term.metric).label)
            if v.term.external
            else gettext("confirmed evaluations")
            for v in [
                *self.numerator,
                *self.denominator,
                *([self.baseline] if self.baseline else []),
            ]
            if v.value is None
        ]


@dataclass
class YearOnYear:
    """A 明显下降/提升 target: the same indicator over the calendar year before the period
    (上一年度: the year before the one the period ends in), beside this period's value.

    Shares are compared whatever the period; counts and rates per 10,000 grow with the length
    of the period, so they are compared only over a whole calendar year that has ended (a month,
    or the year so far, against a whole year would always read 下降)."""

    direction: Trend
    period: Period
    previous: Figure
    judged: bool
    met: bool | None  # None: 无数据 on either side, or not judged (part of a year)


def prior_year(period: Period) -> Period:
    year = period.end.year - 1
    return Period(date(year, 1, 1), date(year, 12, 31))


def _whole_year(period: Period) -> bool:
    return period.start == date(period.start.year, 1, 1) and period.end == date(
        period.start.year, 12, 31
    )


def _year_on_year(figure: Figure, previous: Figure, prior: Period) -> YearOnYear:
    indicator = figure.indicator
    assert indicator.trend is not None  # noqa: S101  only trended indicators get here
    ended = figure.period.end < clock.today()
    judged = indicator.unit == Unit.PERCENT or (_whole_year(figure.period) and ended)
    met: bool | None = None
    if judged and figure.value is not None and previous.value is not None:
        if indicator.trend == Trend.DECLINE:
            met = figure.value < previous.value
        else:
            met = figure.value > previous.value
    return YearOnYear(indicator.trend, prior, previous, judged, met)


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
    regions = Region.objects.filter(within_q("prefix", prefixes)).order_by("code")
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


def external_rows(region: Region, period: Period) -> list[ExternalFigure]:
    """The imported figures a page of this region and period can use, in two queries: the
    region's own and its ancestors' up to the period's end (states such as population, and the
    city's rate), and those of the regions below it within the period (flows summed up)."""
    ancestors = [region.prefix[:n] for n in (12, 9, 6, 4, 2) if n <= len(region.prefix)]
    own = ExternalFigure.objects.filter(region__prefix__in=ancestors, period_start__lte=period.end)
    below = ExternalFigure.objects.filter(
        region__prefix__startswith=region.prefix,
        period_start__gte=period.start,
        period_end__lte=period.end,
    ).exclude(region__prefix__in=ancestors)
    return [*own.select_related("region"), *below.select_related("region")]


def _covers(figure: ExternalFigure, year: int) -> bool:
    return figure.period_start.year <= year <= figure.period_end.year


def _population(
    region: Region, period: Period, rows: list[ExternalFigure]
) -> tuple[Decimal | None, list, str]:
    """常住人口 of this region for the period's year. Never a parent's (issue #13: a village
    without one took the township's and its 万人起诉率 fell from 14.39 to 0.10); an earlier
    year's figure or the division register's is used but marked 估算 with where it came from."""
    year = period.end.year
    own = [f for f in rows if f.region_id == region.pk and f.metric == ExternalMetric.POPULATION]
    this_year = [f for f in own if _covers(f, year)]
    if this_year:
        best = max(this_year, key=lambda f: f.period_end)
        return best.value, [best], ""
    earlier = [f for f in own if f.period_end.year < year]
    if earlier:
        best = max(earlier, key=lambda f: f.period_end)
        note = gettext("estimated: %(year)s figure (%(source)s)") % {
            "year": best.period_end.year,
            "source": best.source,
        }
        return best.value, [best], note
    if region.population:
        return (
            Decimal(region.population),
            [],
            gettext("estimated: population in the division register (no year)"),
        )
    return None, [], ""


def _prior_year_rate(
    region: Region, period: Period, rows: list[ExternalFigure]
) -> tuple[Decimal | None, list, str]:
    """全市上一年度万人起诉率: the figure of the nearest region at or above this one measured in
    the calendar year before the period's (not the latest one imported); missing → None."""
    prior = period.end.year - 1
    found = [
        f
        for f in rows
        if f.metric == ExternalMetric.CITY_PRIOR_LITIGATION_RATE
        and region.prefix.startswith(f.region.prefix)
        and f.period_start.year == prior
        and f.period_end.year == prior
    ]
    if not found:
        return None, [], ""
    best = max(found, key=lambda f: (len(f.region.prefix), f.period_end))
    return best.value, [best], ""


def _external(
    metric: str, region: Region, period: Period, rows: list[ExternalFigure] | None = None
) -> tuple[Decimal | None, list]:
    value, figures, _note = external_value(metric, region, period, rows)
    return value, figures


def external_value(
    metric: str, region: Region, period: Period, rows: list[ExternalFigure] | None = None
) -> tuple[Decimal | None, list[ExternalFigure], str]:
    """(value, the rows it came from, an 估算 note or ""); None when the figure is missing."""
    if rows is None:
        rows = external_rows(region, period)
    if metric == ExternalMetric.POPULATION:
        return _population(region, period, rows)
    if metric == ExternalMetric.CITY_PRIOR_LITIGATION_RATE:
        return _prior_year_rate(region, period, rows)
    within = [
        f
        for f in rows
        if f.metric == metric and f.period_start >= period.start and f.period_end <= period.end
    ]
    exact = [f for f in within if f.region_id == region.pk]
    chosen = exact or [f for f in within if f.region.prefix.startswith(region.prefix)]
    if not chosen:
        return None, [], ""
    return sum((f.value for f in chosen), Decimal(0)), chosen, ""


Totals = dict[tuple[str, int], int]  # (metric, level) → count, for one region and period


def counter_totals(region: Region, period: Period) -> Totals:
    """Every counter of a region and period in one grouped query (a page of figures reads the
    rollups once, not once per term)."""
    rows = rollup_rows(region, period).values_list("metric", "level").annotate(total=Sum("count"))
    return {(metric, level): int(total) for metric, level, total in rows}


def term_levels(term: Term, region: Region) -> tuple[int, ...]:
    """The handling levels a term counts: its own, or for a 就地 term the region's level and
    those below it (a village's own results, not the township's: issue #13)."""
    if term.local:
        return tuple(range(int(region.level), 6))
    return term.levels


def from_totals(totals: Totals, term: Term, region: Region) -> int:
    levels = term_levels(term, region)
    return sum(
        n
        for (metric, level), n in totals.items()
        if metric == term.metric and (not levels or level in levels)
    )


def _term_value(
    term: Term,
    region: Region,
    period: Period,
    totals: Totals | None = None,
    rows: list[ExternalFigure] | None = None,
) -> TermValue:
    if term.evaluation:
        share, passed, villages = village_share(region, period.end.year)
        if term.metric == "villages":
            return TermValue(term=term, value=Decimal(villages))
        return TermValue(term=term, value=None if share is None else Decimal(passed))
    if term.external:
        value, figures, note = external_value(term.metric, region, period, rows)
        return TermValue(term=term, value=value, figures=figures, estimated=note)
    if totals is not None:
        return TermValue(term=term, value=Decimal(from_totals(totals, term, region)))
    levels = term_levels(term, region)
    return TermValue(term=term, value=Decimal(counter(term.metric, region, period, levels)))


Inputs = tuple[Totals, list[ExternalFigure]]  # a period's counters and imported figures


def compute(
    indicator: Indicator,
    region: Region,
    period: Period,
    totals: Totals | None = None,
    rows: list[ExternalFigure] | None = None,
    prior: Inputs | None = None,
) -> Figure:
    """The indicator for the region and period; for a 明显下降/提升 target, also over 上一年度
    (``prior``: that year's counters and imported figures, when the caller read them)."""
    figure = _figure(indicator, region, period, totals, rows)
    if indicator.trend is not None:
        year = prior_year(period)
        before = prior or (None, None)
        previous = _figure(indicator, region, year, before[0], before[1])
        figure.trend = _year_on_year(figure, previous, year)
    return figure


def _figure(
    indicator: Indicator,
    region: Region,
    period: Period,
    totals: Totals | None = None,
    rows: list[ExternalFigure] | None = None,
) -> Figure:
    if rows is None and any(t.external for t in [*indicator.numerator, *indicator.denominator]):
        rows = external_rows(region, period)
    numerator = [_term_value(t, region, period, totals, rows) for t in indicator.numerator]
    denominator = [_term_value(t, region, period, totals, rows) for t in indicator.denominator]
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
    baseline: TermValue | None = None
    if indicator.target_of is not None and target is not None:
        baseline = _term_value(indicator.target_of, region, period, None, rows)
        base = baseline.value
        target = (base * target).quantize(Decimal("0.01")) if base is not None else None
    met: bool | None = None
    if value is not None and target is not None and indicator.target_op is not None:
        met = {
            Op.AT_LEAST: value >= target,
            Op.AT_MOST: value <= target,
            Op.EQUALS: value == target,
        }[indicator.target_op]
    return Figure(indicator, region, period, numerator, denominator, value, target, met, baseline)


def period_inputs(region: Region, period: Period) -> Inputs:
    """A region's counters and imported figures for a period, read once."""
    return counter_totals(region, period), external_rows(region, period)


def figures_for(region: Region, period: Period, prior: Inputs | None = None) -> list[Figure]:
    """Every indicator of a region and period: the rollups and the imported figures are read
    once for the page (and once for 上一年度, unless ``prior`` brings them), not once per term."""
    totals, rows = period_inputs(region, period)
    if prior is None:
        prior = period_inputs(region, prior_year(period))
    return [compute(indicator, region, period, totals, rows, prior) for indicator in INDICATORS]


def indicator(code: str) -> Indicator:
    try:
        return BY_CODE[code]
    except KeyError:
        raise NotFound("indicator") from None


# --- drill-down ----------------------------------------------------------------------------


@dataclass
class DrillRow:
    case: Case
    count: int  # what the case adds to the term: 1 (each case counts once)


def drill_counter(
    term: Term, region: Region, period: Period, *, after: int = 0, limit: int | None = None
) -> list[DrillRow]:
    """The cases behind one counter term, in case order; their number is the term's value.

    Only cases with a counted event in the period can contribute to it (a contribution's day is
    always the day of one of the case's events), so the region's cases with such an event are
    walked in id order in batches and the counting rule is applied to their whole timelines;
    keyset paging on the case id (``after``)."""
    start, end = period.bounds()
    levels = term_levels(term, region)
    candidates = (
        CaseEvent.objects.filter(
            case__place_prefix__startswith=region.prefix,
            kind__in=counting.COUNTED_KINDS,
            occurred_at__gte=start,
            occurred_at__lt=end,
        )
        .order_by("case_id")
        .values_list("case_id", flat=True)
        .distinct()
    )
    rows: list[DrillRow] = []
    cursor = after
    batch = 500 if limit is None else max(limit * 4, 200)
    while limit is None or len(rows) < limit:
        ids = list(candidates.filter(case_id__gt=cursor)[:batch])
        if not ids:
            break
        steps = rollups.case_steps(ids)
        hits = [
            case_id
            for case_id in ids
            if any(
                c.metric == term.metric
                and period.start <= c.day <= period.end
                and (not levels or c.level in levels)
                for c in counting.contributions(steps[case_id])
            )
        ]
        cases = Case.objects.in_bulk(hits)
        rows.extend(DrillRow(case=cases[case_id], count=1) for case_id in hits)
        cursor = ids[-1]
    return rows if limit is None else rows[:limit]


# --- dashboard series --------------------------------------------------------------------------


@dataclass
class Series:
    """One chart's data: labels along the axis and one or more named value lists."""

    key: str
    title: str
    labels: list[str]
    values: dict[str, list[int | float | None]]  # drawn; None: 无数据
    table: dict[str, list[str]] = field(default_factory=dict)  # not drawn: columns beside them


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


# 通报讲评 ranks the units below by an indicator; the shares are the indicators it may choose
RANKABLE = tuple(i.code for i in INDICATORS if i.unit == Unit.PERCENT)
DEFAULT_RANKING = "resolution_success_rate"  # 调处成功率


@dataclass
class RankRow:
    rank: int | None  # None: 无数据 (no denominator, or a missing figure): listed last, unranked
    figure: Figure


@dataclass
class Ranking:
    indicator: Indicator
    rows: list[RankRow]


def ranking_indicator(code: str | None) -> Indicator:
    """The share a ranking is by: ``code`` when it is one of the shares, else 调处成功率."""
    return BY_CODE[code if code in RANKABLE else DEFAULT_RANKING]


def _child_counter_totals(region: Region, period: Period, metrics: list[str]) -> dict[str, Totals]:
    """Child prefix → (metric, level) → count, in one grouped query on the table fine enough for
    the children (month × county serves children down to counties)."""
    child = Region.objects.filter(parent=region).order_by("code").first()
    if child is None or not metrics:
        return {}
    digits = len(child.prefix)
    monthly = digits <= rollups.COUNTY_DIGITS and _whole_months(period)
    model = MonthlyRollup if monthly else RollupCounter
    rows = (
        model.objects.filter(
            place_code__startswith=region.prefix,
            day__range=(period.start, period.end),
            metric__in=metrics,
        )
        .annotate(child=Substr("place_code", 1, digits))
        .values_list("child", "metric", "level")
        .annotate(total=Sum("count"))
    )
    out: dict[str, Totals] = defaultdict(dict)
    for prefix, metric, level, total in rows:
        out[prefix][(metric, level)] = int(total)
    return out


def ranking_for(region: Region, period: Period, code: str | None = None) -> Ranking:
    """The units one level down ranked by a share (通报讲评; default 调处成功率), each with its
    value, numerator and denominator: the best first (the lowest for a "不高于" target), equal
    values in code order, and units without data (无数据) last, unranked — never first
    (issue #13: the ranking sorted by cases registered)."""
    chosen = ranking_indicator(code)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    terms = [*chosen.numerator, *chosen.denominator]
    metrics = sorted({t.metric for t in terms if not t.external and not t.evaluation})
    totals = _child_counter_totals(region, period, metrics)
    figures = [_figure(chosen, child, period, totals.get(child.prefix, {})) for child in children]
    lowest_first = chosen.target_op == Op.AT_MOST

    def order(figure: Figure) -> tuple[int, Decimal, str]:
        if figure.value is None:
            return (1, Decimal(0), figure.region.code)
        return (0, figure.value if lowest_first else -figure.value, figure.region.code)

    ranked = sorted(figures, key=order)
    rows = [
        RankRow(rank=None if figure.value is None else position, figure=figure)
        for position, figure in enumerate(ranked, start=1)
    ]
    return Ranking(indicator=chosen, rows=rows)


def _number(value: Decimal | None) -> str:
    return gettext("no data") if value is None else f"{value.normalize():f}"


def ranking_series(region: Region, period: Period, code: str | None = None) -> Series:
    """The ranking as a chart (the value of each unit below; none drawn for 无数据) and, for the
    spreadsheet and the report, the numerator and denominator beside it."""
    ranking = ranking_for(region, period, code)
    rows = ranking.rows
    return Series(
        key="ranking",
        title=gettext("Ranking of the units below: %(indicator)s")
        % {"indicator": ranking.indicator.name},
        labels=[row.figure.region.name for row in rows],
        values={
            str(ranking.indicator.name): [
                None if row.figure.value is None else float(row.figure.value) for row in rows
            ]
        },
        table={
            gettext("Numerator"): [_number(row.figure.numerator_total) for row in rows],
            gettext("Denominator"): [_number(row.figure.denominator_total) for row in rows],
        },
    )


def map_series(region: Region, period: Period) -> Series:
    """Disputes registered in each unit below, for the map: drawn on the region's boundary
    GeoJSON when one was supplied, else as a tile grid of the units in code order."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    totals = _child_counter_totals(region, period, [Metric.REGISTERED.value])
    registered = t(Metric.REGISTERED)
    return Series(
        key="map",
        title=gettext("Disputes by place"),
        labels=[child.name for child in children],
        values={
            str(Metric.REGISTERED.label): [
                from_totals(totals.get(child.prefix, {}), registered, child) for child in children
            ]
        },
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
    """How the parties rated the outcome: each case by its latest answer, a 回访 visit's or the
    applicant's own on the portal (the 回访满意率's counters)."""
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
        title=gettext("Satisfaction (follow-up visits and portal ratings)"),
        labels=[str(Metric(m).label) for m in metrics],
        values={gettext("Cases by their latest rating"): [int(totals.get(m, 0)) for m in metrics]},
    )


def dashboard_series(region: Region, period: Period, ranking: str | None = None) -> list[Series]:
    return [
        satisfaction_series(region, period),
        monthly_series(region, period),
        breakdown_series(region, period, "channel"),
        breakdown_series(region, period, "category_id"),
        level_series(region, period),
        ranking_series(region, period, ranking),
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
