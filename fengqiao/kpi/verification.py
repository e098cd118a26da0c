"""Reconciliation: every indicator of every region × month, as the dashboard serves it, against a
recount from the cases and their events, plus the invariants a signed figure must keep (issue
#13). ``manage.py verify_figures`` prints what this finds; the tests run it on the demo and
after random lifecycles.

Invariants, for every share: 0 ≤ numerator ≤ denominator, the value is at most 100%, a target is
达标 or not only when the denominator is non-zero (else no verdict: 无数据); every count is ≥ 0;
each counter term equals the recount (and, when asked, the drill-down lists exactly as many
cases as the term counts).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from fengqiao.cases.models import Case
from fengqiao.core import clock
from fengqiao.kpi import rollups, selectors
from fengqiao.kpi.definitions import Unit
from fengqiao.kpi.models import RollupCounter
from fengqiao.kpi.periods import Period
from fengqiao.kpi.selectors import Figure, Inputs, Totals
from fengqiao.regions.models import Region

Recount = dict[date, dict[str, Totals]]  # month → place code → (metric, level) → cases


@dataclass(frozen=True, slots=True)
class Mismatch:
    region: str
    period: str
    indicator: str
    problem: str

    def __str__(self) -> str:
        return f"{self.region} {self.period} {self.indicator}: {self.problem}"


def recount(prefix: str = "") -> Recount:
    """The counters by month and village, from cases and events (not from the rollups)."""
    table: Recount = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for cell, n in rollups.recount(prefix=prefix).items():
        table[cell.day.replace(day=1)][cell.place_code][(cell.metric, cell.level)] += n
    return table


def expected_totals(table: Recount, region: Region, month: date) -> Totals:
    totals: Totals = defaultdict(int)
    for place, cells in table.get(month, {}).items():
        if place.startswith(region.prefix):
            for key, n in cells.items():
                totals[key] += n
    return totals


def months(year: int) -> list[Period]:
    out = []
    for m in range(1, 13):
        start = date(year, m, 1)
        out.append(Period(start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)))
    return out


def invariant_problems(figure: Figure) -> list[str]:
    """What is wrong with a figure by its own definition, whatever the data."""
    problems: list[str] = []
    num, den = figure.numerator_total, figure.denominator_total
    trend = figure.trend
    if trend is not None:
        both = figure.value is not None and trend.previous.value is not None
        if trend.met is not None and not both:
            problems.append("上一年度对比 decided without both values (must be 无数据)")
        problems += [f"上一年度 {p}" for p in invariant_problems(trend.previous)]
    if figure.indicator.unit == Unit.COUNT:
        if figure.value is not None and figure.value < 0:
            problems.append(f"negative count {figure.value}")
        return problems
    if num is not None and num < 0:
        problems.append(f"negative numerator {num}")
    if den is not None and den < 0:
        problems.append(f"negative denominator {den}")
    if figure.indicator.unit == Unit.PERCENT and num is not None and den is not None:
        if num > den:
            problems.append(f"numerator {num} above denominator {den}")
        if figure.value is not None and figure.value > Decimal(100):
            problems.append(f"share {figure.value}% above 100%")
    if not den and figure.value is not None:
        problems.append(f"a value {figure.value} without a denominator")
    if not den and figure.met is not None:
        problems.append("达标 decided without a denominator (must be 无数据)")
    return problems


def check(
    region: Region,
    period: Period,
    expected: Totals,
    *,
    drill: bool = False,
    prior: Inputs | None = None,
) -> list[Mismatch]:
    """The mismatches of one region and period: served figures against ``expected`` counters."""
    found: list[Mismatch] = []
    label = f"{period.start:%Y-%m}" if period.start.day == 1 else f"{period.start}–{period.end}"

    def add(code: str, problem: str) -> None:
        found.append(Mismatch(region.code, label, code, problem))

    for figure in selectors.figures_for(region, period, prior):
        code = figure.indicator.code
        for problem in invariant_problems(figure):
            add(code, problem)
        for term_value in [*figure.numerator, *figure.denominator]:
            term = term_value.term
            if term.external or term.evaluation:
                continue
            want = selectors.from_totals(expected, term, region)
            if term_value.value != want:
                add(code, f"{term.metric} served {term_value.value}, recounted {want}")
            if drill:
                listed = len(selectors.drill_counter(term, region, period))
                if listed != want:
                    add(code, f"{term.metric} drill-down lists {listed} cases, recounted {want}")
    return found


def regions_with_cases(under: Region | None = None) -> list[Region]:
    """The regions that have cases in their subtree (elsewhere every counter is zero, which the
    rollups cannot contradict: they only hold places with cases)."""
    places = set(Case.objects.values_list("place_prefix", flat=True).distinct())
    prefixes = {p[:n] for p in places for n in (2, 4, 6, 9, 12) if n <= len(p)}
    regions = Region.objects.filter(prefix__in=prefixes)
    if under is not None:
        regions = regions.filter(prefix__startswith=under.prefix)
    return list(regions.order_by("code"))


def case_years() -> list[int]:
    years = {d.year for d in Case.objects.dates("created_at", "year")}
    return sorted(years or {clock.today().year})


def verify(
    *, region: Region | None = None, years: Iterable[int] | None = None, drill: bool = False
) -> Iterator[Mismatch]:
    """Every mismatch for every region × month (of ``years``, by default every year with cases),
    and any rollup row for a place that has no case."""
    table = recount(region.prefix if region else "")
    regions = regions_with_cases(region)
    for year in years or case_years():
        before = selectors.prior_year(months(year)[0])
        prior: dict[int, Inputs] = {}  # 上一年度 of each region, read once for its 12 months
        for period in months(year):
            for each in regions:
                if each.pk not in prior:
                    prior[each.pk] = selectors.period_inputs(each, before)
                yield from check(
                    each,
                    period,
                    expected_totals(table, each, period.start),
                    drill=drill,
                    prior=prior[each.pk],
                )
    stray = rollups_without_cases(region)
    if stray:
        yield Mismatch(region.code if region else "*", "*", "*", f"counters for {stray}")


def rollups_without_cases(region: Region | None) -> list[str]:
    places = set(Case.objects.values_list("place_prefix", flat=True).distinct())
    rows = RollupCounter.objects.exclude(count=0)
    if region is not None:
        rows = rows.filter(place_code__startswith=region.prefix)
    counted = set(rows.values_list("place_code", flat=True).distinct())
    return sorted(counted - places)
