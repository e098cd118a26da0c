"""Issue #13's findings, one regression test each, on cases acted on in chosen months; each answer
is worked out in the test from the indicator's definition (docs/indicators.md)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case
from fengqiao.cases.services import case_record_event
from fengqiao.dataio import case_ledgers
from fengqiao.kpi import rollups, selectors, verification
from fengqiao.kpi.choices import ExternalMetric
from fengqiao.kpi.definitions import BY_CODE
from fengqiao.kpi.models import ExternalFigure
from fengqiao.kpi.periods import Period
from fengqiao.kpi.tests.lifecycle import Driver
from fengqiao.kpi.verification import months
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db
# the clock moves forward only (the test accounts' memberships date from today): clocked tests
# act in the next calendar year
YEAR = timezone.localdate().year + 1
NOW = timezone.localdate().year


def month(m: int) -> Period:
    return months(YEAR)[m - 1]


def whole_year(year: int = NOW) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def figure(code: str, region: Region, period: Period) -> selectors.Figure:
    return selectors.compute(BY_CODE[code], region, period)


@pytest.fixture
def driver(tree, township_clerk, village_mediator, make_actor):
    township_mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    return Driver(
        actors=[township_clerk, village_mediator, township_mediator],
        assign_to={tree.township_centre.pk: (tree.village_committee, village_mediator)},
    )


@pytest.fixture
def agree(driver):
    def run(case, **assign):
        for step in ("accept", "assign", "start_mediation", "record_agreement"):
            driver.act(case, step, **(assign if step == "assign" else {}))

    return run


def assert_invariants(region: Region, period: Period) -> None:
    expected = verification.expected_totals(verification.recount(), region, period.start)
    assert verification.check(region, period, expected, drill=True) == []


def test_a_reopening_takes_back_the_conclusion_in_its_own_month(
    register_case, driver, agree, clock, tree
):
    """Agreed in July, reopened in August, agreed again in September. By the definition (cohort:
    final conclusion, by its date) July and August count nothing and September 1 ÷ 1; before,
    August read −1 ÷ −1 = "100.00% 达标" and 就地化解率 "−0.00%"."""
    clock.at(YEAR, 7, 3)
    case = register_case()
    agree(case)
    driver.act(case, "close")
    clock.at(YEAR, 8, 10)
    driver.act(case, "reopen")
    for m in (7, 8):
        success = figure("resolution_success_rate", tree.village, month(m))
        assert (success.numerator_total, success.denominator_total) == (0, 0)
        assert (success.value, success.met) == (None, None)  # 无数据, not 达标
        assert figure("local_resolution_rate", tree.village, month(m)).value is None
    clock.at(YEAR, 9, 5)
    driver.act(case, "start_mediation") if case.status == "assigned" else None
    for step in ("assign", "start_mediation", "record_agreement"):
        driver.act(case, step)
    success = figure("resolution_success_rate", tree.village, month(9))
    assert (success.numerator_total, success.denominator_total, success.value) == (1, 1, 100)
    for m in (7, 8, 9):
        assert_invariants(tree.township, month(m))


def test_handling_rate_follows_the_cases_registered_in_the_period(
    register_case, driver, clock, tree
):
    """Two registered in September and taken in in October, one registered and declined in
    October. September: 2 taken in ÷ 2 due = 100%; October: 0 ÷ 0 (the declined case was not
    due) = 无数据. Before, October read 2 accepted ÷ 1 registered = 200% "达标"."""
    clock.at(YEAR, 9, 20)
    cases = [register_case(), register_case()]
    clock.at(YEAR, 10, 8)
    for case in cases:
        driver.act(case, "accept")
    declined = register_case()
    driver.act(declined, "decline")
    september = figure("handling_rate", tree.township, month(9))
    assert (september.numerator_total, september.denominator_total) == (2, 2)
    assert (september.value, september.met) == (100, True)
    october = figure("handling_rate", tree.township, month(10))
    assert (october.numerator_total, october.denominator_total) == (0, 0)
    assert (october.value, october.met) == (None, None)
    assert_invariants(tree.township, month(10))


def test_withdrawn_cases_are_in_the_success_rate_denominator(register_case, driver, agree, tree):
    """One agreement, one termination, one withdrawn after being taken in, one withdrawn before:
    1 ÷ 3 = 33.33% (the withdrawal before acceptance was never mediated)."""
    agree(register_case())
    terminated = register_case()
    for step in ("accept", "assign", "start_mediation", "terminate"):
        driver.act(terminated, step)
    after = register_case()
    driver.act(after, "accept")
    driver.act(after, "withdraw")
    driver.act(register_case(), "withdraw")
    success = figure("resolution_success_rate", tree.township, whole_year())
    assert (success.numerator_total, success.denominator_total) == (1, 3)
    assert success.value == Decimal("33.33")


def test_a_village_resolves_locally_only_what_its_own_units_resolve(
    register_case, driver, agree, tree, make_actor
):
    """A dispute in 静河村 resolved at the village, another resolved by the township centre. The
    village: 1 ÷ 2 = 50% (its own level); the township: 2 ÷ 2 = 100% (township and village)."""
    agree(register_case())
    township_mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    agree(register_case(), org_id=tree.township_centre.pk, assignee_id=township_mediator.pk)
    village = figure("local_resolution_rate", tree.village, whole_year())
    assert (village.numerator_total, village.denominator_total, village.value) == (1, 2, 50)
    township = figure("local_resolution_rate", tree.township, whole_year())
    assert (township.numerator_total, township.value) == (2, 100)


def imported(region, metric, value, year, actor, source="县法院年度报表"):
    ExternalFigure.objects.create(
        region=region,
        metric=metric,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        value=value,
        source=source,
        imported_by=actor,
    )


def test_a_village_never_borrows_the_population_of_a_region_above(tree, township_clerk):
    """青湖村 had none and took the township's: 14.39 became 0.10 and passed. A village without
    its own population has no rate (missing, 无数据); one with last year's figure is 估算."""
    Region.objects.filter(pk=tree.village.pk).update(population=None)
    tree.village.refresh_from_db()
    imported(tree.township, "population", 40000, NOW, township_clerk, "统计局")
    imported(tree.village, "court_civil_first", 5, NOW, township_clerk)
    imported(tree.village, "court_criminal_first", 0, NOW, township_clerk)
    imported(
        Region.objects.get(code="430600000000"),
        "city_prior_litigation_rate",
        20,
        NOW - 1,
        township_clerk,
    )
    rate = figure("litigation_rate", tree.village, whole_year())
    assert (rate.value, rate.met) == (None, None)
    assert rate.missing == [str(ExternalMetric.POPULATION.label)]
    imported(tree.village, "population", 2500, NOW - 1, township_clerk, "2025年统计年鉴")
    rate = figure("litigation_rate", tree.village, whole_year())
    assert rate.value == Decimal("20.00")  # 5 ÷ (2500 ÷ 10000)
    assert rate.estimates == [f"估算：沿用{NOW - 1}年数据（2025年统计年鉴）"]
    assert rate.met is False  # ≤ 50% × 20 = 10


def test_the_city_rate_compared_is_the_previous_calendar_years(tree, township_clerk):
    """Rates of 2025 (20) and of 2026 (2) imported: a 2026 figure is held to 50% × 20 = 10."""
    city = Region.objects.get(code="430600000000")
    imported(city, "city_prior_litigation_rate", 20, NOW - 1, township_clerk)
    imported(city, "city_prior_litigation_rate", 2, NOW, township_clerk)
    imported(tree.township, "population", 40000, NOW, township_clerk)
    imported(tree.township, "court_civil_first", 32, NOW, township_clerk)
    imported(tree.township, "court_criminal_first", 0, NOW, township_clerk)
    rate = figure("litigation_rate", tree.township, whole_year())
    assert (rate.value, rate.target, rate.met) == (Decimal("8.00"), Decimal("10.00"), True)
    assert rate.baseline is not None
    assert rate.baseline.figures[0].period_end.year == NOW - 1
    earlier = figure("litigation_rate", tree.township, whole_year(NOW - 1))
    assert (earlier.target, earlier.met) == (None, None)  # no rate of the year before: 无数据


def test_the_ledger_the_kpi_and_the_case_page_agree_on_the_conclusion(
    register_case, driver, agree, clock, tree, client, township_clerk
):
    """Agreed on 3 March with the due date 13 March, closed (归档) on 20 March. 办结日期 is 3 March
    and it is 按期 everywhere; the ledger used the closing date and called it late."""
    clock.at(YEAR, 3, 1)
    case = register_case()
    for step in ("accept", "assign"):
        driver.act(case, step)
    clock.at(YEAR, 3, 3)
    for step in ("start_mediation", "record_agreement"):
        driver.act(case, step)
    clock.at(YEAR, 3, 20)
    driver.act(case, "close")
    case.refresh_from_db()
    assert case.due_date == date(YEAR, 3, 11)  # assigned on 1 March with ten days
    row = next(iter(case_ledgers.values(Case.objects.filter(pk=case.pk))))
    cells = {str(c.header): c.value(row) for c in case_ledgers.HANDLING.columns}
    assert cells["办结日期"] == date(YEAR, 3, 3)  # a date: the sheet shows it as one (issue #16)
    assert cells["是否按期"] == "是"
    on_time = figure("on_time_rate", tree.township, month(3))
    assert (on_time.numerator_total, on_time.denominator_total) == (1, 1)
    clock.moment = None  # the session's idle clock runs on real time
    client.force_login(township_clerk)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{YEAR}-03-03" in page
    assert "按期" in page


def answer(case: Case, kind: str, satisfaction: str, actor) -> None:
    """A satisfaction answer on the case's timeline: a 回访 visit recorded, or the applicant's
    rating submitted on the portal (``portal.services.rating_submit`` appends the same event)."""
    case_record_event(
        actor=actor, case_id=case.pk, kind=kind, data={"satisfaction": satisfaction}, scoped=False
    )


VISIT, PORTAL = EventKind.FOLLOW_UP_RECORDED, EventKind.OUTCOME_RATED


def test_satisfaction_counts_each_case_once_by_its_latest_answer_visit_or_portal(
    register_case, township_clerk, clock, tree
):
    """Worked from the definition (unit: a case; its latest answer, a 回访 or a portal rating,
    by the time it reached the timeline). In October: case A two visits, both satisfied →
    satisfied; case B a dissatisfied visit, then a satisfied portal rating → satisfied; case C
    only a dissatisfied portal rating → dissatisfied. 回访满意率 = 2 ÷ 3 = 66.67%, and the
    drill-down lists A and B above the line, A, B and C below it."""
    clock.at(YEAR, 10, 3)
    a, b, c = register_case(), register_case(), register_case()
    for kind, case, satisfaction in (
        (VISIT, a, "satisfied"),
        (VISIT, b, "dissatisfied"),
        (PORTAL, c, "dissatisfied"),
        (VISIT, a, "satisfied"),
        (PORTAL, b, "satisfied"),
    ):
        clock.moment = clock.now() + timedelta(days=2)
        answer(case, kind, satisfaction, township_clerk)
    rate = figure("satisfaction_rate", tree.township, month(10))
    assert (rate.numerator_total, rate.denominator_total) == (2, 3)
    assert rate.value == Decimal("66.67")

    def listed(terms) -> set[int]:
        return {
            row.case.pk
            for term in terms
            for row in selectors.drill_counter(term, tree.township, month(10))
        }

    above, below = listed(rate.indicator.numerator), listed(rate.indicator.denominator)
    assert (above, below) == ({a.pk, b.pk}, {a.pk, b.pk, c.pk})
    assert_invariants(tree.township, month(10))
    rollups.rebuild()  # the rollups written event by event equal the ones rebuilt from the events
    assert figure("satisfaction_rate", tree.township, month(10)).value == Decimal("66.67")


def test_a_portal_rating_is_an_answer_and_the_later_one_wins_either_way(
    register_case, township_clerk, clock, tree
):
    """Regression, issue #13 ("ignores the portal ratings"): counted from the visits alone,
    case B (dissatisfied visit, then a satisfied portal rating) read dissatisfied and case C
    (only a portal rating) was not counted: 0 ÷ 1 instead of 1 ÷ 2. A visit after the rating
    wins in its turn: case B visited again in November, dissatisfied, moves to November's
    denominator and leaves October's."""
    clock.at(YEAR, 10, 5)
    b, c = register_case(), register_case()
    answer(b, VISIT, "dissatisfied", township_clerk)
    clock.at(YEAR, 10, 12)
    answer(b, PORTAL, "satisfied", township_clerk)
    answer(c, PORTAL, "fairly", township_clerk)
    october = figure("satisfaction_rate", tree.township, month(10))
    assert (october.numerator_total, october.denominator_total) == (2, 2)
    clock.at(YEAR, 11, 2)
    answer(b, VISIT, "dissatisfied", township_clerk)
    october = figure("satisfaction_rate", tree.township, month(10))
    november = figure("satisfaction_rate", tree.township, month(11))
    assert (october.numerator_total, october.denominator_total) == (1, 1)
    assert (november.numerator_total, november.denominator_total) == (0, 1)
    for m in (10, 11):
        assert_invariants(tree.township, month(m))
