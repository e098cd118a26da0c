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
from fengqiao.kpi.models import MonthlyRollup, RollupCounter
from fengqiao.kpi.periods import Period
from fengqiao.kpi.rollups import Cell
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


def recount(prefix: str = "", cells: dict[rollups.Cell, int] | None = None) -> Recount:
    """The counters by month and village, from cases and events (not from the rollups)."""
    table: Recount = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for cell, n in (rollups.recount(prefix=prefix) if cells is None else cells).items():
        table[cell.day.replace(day=1)][cell.place_code][(cell.metric, cell.level)] += n
    return table


def _stored(model: type[RollupCounter] | type[MonthlyRollup], prefix: str) -> dict[Cell, int]:
    rows = model.objects.filter(place_code__startswith=prefix).exclude(count=0)
    return {
        Cell(day, place, category, channel, level, metric): count
        for day, place, category, channel, level, metric, count in rows.values_list(
            "day", "place_code", "category_id", "channel", "level", "metric", "count"
        ).iterator(chunk_size=20_000)
    }


def cell_mismatches(cells: dict[Cell, int], prefix: str = "") -> Iterator[Mismatch]:
    """Every stored counter cell, daily × village and month × county, against the recount:
    every served counter is a sum of these cells, so this covers every region and period at
    once (the region × month check below adds the selectors and the invariants)."""
    tables: list[tuple[str, type[RollupCounter] | type[MonthlyRollup], dict[Cell, int]]] = [
        ("daily", RollupCounter, cells)
    ]
    if len(prefix) <= rollups.COUNTY_DIGITS:  # the month × county table holds whole counties
        months: dict[Cell, int] = defaultdict(int)
        for cell, n in cells.items():
            months[rollups.monthly(cell)] += n
        tables.append(("monthly", MonthlyRollup, months))
    for name, model, want in tables:
        have = _stored(model, prefix)
        keys = have.keys() | {c for c, n in want.items() if n}
        wrong = [c for c in keys if have.get(c, 0) != want.get(c, 0)]
        for cell in sorted(wrong, key=str):
            yield Mismatch(
                cell.place_code,
                f"{cell.day}",
                cell.metric,
                f"{name} cell (category {cell.category_id}, {cell.channel}, level "
                f"{cell.level}) stored {have.get(cell, 0)}, recounted {want.get(cell, 0)}",
            )


def expected_totals(table: Recount, region: Region, month: date) -> Totals:
    totals: Totals = defaultdict(int)
    for place, cells in table.get(month, {}).items():
        if place.startswith(region.prefix):
            for key, n in cells.items():
                totals[key] += n
    return totals


PREFIX_DIGITS = (2, 4, 6, 9, 12)  # province, city, county, township, village


def prefix_totals(table: Recount) -> dict[date, dict[str, Totals]]:
    """``expected_totals`` of every region at once: each village's counters added to each of
    its ancestors' prefixes, so a province of 10⁴ villages is not walked once per region."""
    out: dict[date, dict[str, Totals]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for month, places in table.items():
        for place, cells in places.items():
            for n in {d for d in PREFIX_DIGITS if d < len(place)} | {len(place)}:
                totals = out[month][place[:n]]
                for key, count in cells.items():
                    totals[key] += count
    return out


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
    prefixes = {p[:n] for p in places for n in PREFIX_DIGITS if n <= len(p)}
    regions = Region.objects.filter(prefix__in=prefixes)
    if under is not None:
        regions = regions.filter(prefix__startswith=under.prefix)
    return list(regions.order_by("code"))


def case_years() -> list[int]:
    years = {d.year for d in Case.objects.dates("created_at", "year")}
    return sorted(years or {clock.today().year})


def verify(
    *,
    region: Region | None = None,
    years: Iterable[int] | None = None,
    drill: bool = False,
    regions: list[Region] | None = None,
) -> Iterator[Mismatch]:
    """Every stored counter cell against the recount, every mismatch for every region × month
    (of ``years``, by default every year with cases; of ``regions``, by default every region
    with cases), and any rollup row for a place that has no case."""
    prefix = region.prefix if region else ""
    cells = rollups.recount(prefix=prefix)
    yield from cell_mismatches(cells, prefix)
    table = recount(prefix, cells)
    by_prefix = prefix_totals(table)
    if regions is None:
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
                    expected_totals(table, each, period.start)
                    if len(each.prefix) not in PREFIX_DIGITS
                    else by_prefix.get(period.start, {}).get(each.prefix, {}),
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
