"""明显下降/提升 targets compared with 上一年度 (issue #13: no such target was ever compared with
the previous year): the calendar year before the one the period ends in, both values shown,
无数据 when either year has none."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.kpi import reports, selectors, verification
from fengqiao.kpi.definitions import BY_CODE, INDICATORS, Trend
from fengqiao.kpi.models import ExternalFigure
from fengqiao.kpi.periods import Period
from fengqiao.kpi.tests.lifecycle import Driver

pytestmark = pytest.mark.django_db
NOW = timezone.localdate().year
NEXT = NOW + 1  # the clock moves forward only: clocked tests act in the next calendar year


def whole_year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def imported(region, actor, metric, value, year):
    ExternalFigure.objects.create(
        region=region,
        metric=metric,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        value=value,
        source="县信访局年度统计",
        imported_by=actor,
    )


def figure(code, region, period):
    return selectors.compute(BY_CODE[code], region, period)


def test_every_decline_or_rise_sentence_of_the_plans_is_a_year_on_year_target():
    """seeds/002: 纠纷类报警总量、信访总量、民事诉讼立案、万人诉讼率明显下降，调解成功率明显提升;
    seeds/003: 矛盾纠纷数量、诉讼案件数量明显下降，就地及时化解率明显上升."""
    trends = {i.code: i.trend for i in INDICATORS if i.trend is not None}
    assert trends == {
        "count_police_dispute_calls": Trend.DECLINE,
        "count_petitions": Trend.DECLINE,
        "count_civil_filings": Trend.DECLINE,
        "litigation_rate": Trend.DECLINE,
        "registered": Trend.DECLINE,
        "resolution_success_rate": Trend.RISE,
        "local_resolution_rate": Trend.RISE,
    }
    assert all(BY_CODE[code].trend_basis for code in trends)


def test_petitions_are_compared_with_the_calendar_year_before(tree, township_clerk):
    """信访总量 100 two years ago, 80 last year: 下降 (80 < 100); the year before had none: 无数据;
    this year's count so far is shown beside last year's but not judged until the year ends."""
    earlier, last = NOW - 2, NOW - 1
    imported(tree.township, township_clerk, "petitions", 100, earlier)
    imported(tree.township, township_clerk, "petitions", 80, last)
    imported(tree.township, township_clerk, "petitions", 30, NOW)
    fell = figure("count_petitions", tree.township, whole_year(last))
    assert fell.trend is not None
    assert (fell.value, fell.trend.previous.value) == (80, 100)
    assert fell.trend.period == whole_year(earlier)
    assert (fell.trend.judged, fell.trend.met) == (True, True)
    first = figure("count_petitions", tree.township, whole_year(earlier))
    assert first.trend is not None
    assert (first.value, first.trend.previous.value, first.trend.met) == (100, None, None)
    so_far = figure("count_petitions", tree.township, whole_year(NOW))
    assert so_far.trend is not None
    assert (so_far.value, so_far.trend.previous.value) == (30, 80)
    assert (so_far.trend.judged, so_far.trend.met) == (False, None)  # the year is not over
    # a quarter's count against a whole year is not compared (it would always read 下降)
    quarter = figure("count_petitions", tree.township, Period(date(last, 1, 1), date(last, 3, 31)))
    assert quarter.trend is not None
    assert (quarter.trend.previous.value, quarter.trend.judged, quarter.trend.met) == (
        100,
        False,
        None,
    )
    ExternalFigure.objects.filter(value=80).update(value=120)
    rose = figure("count_petitions", tree.township, whole_year(last))
    assert rose.trend is not None
    assert (rose.value, rose.trend.previous.value, rose.trend.met) == (120, 100, False)


def test_the_litigation_rate_must_fall_against_the_previous_year(tree, township_clerk):
    """万人起诉率: 32 ÷ 4 = 8.00 two years ago, 20 ÷ 4 = 5.00 last year: 下降."""
    for year, filings in ((NOW - 2, 32), (NOW - 1, 20)):
        imported(tree.township, township_clerk, "population", 40000, year)
        imported(tree.township, township_clerk, "court_civil_first", filings, year)
        imported(tree.township, township_clerk, "court_criminal_first", 0, year)
    rate = figure("litigation_rate", tree.township, whole_year(NOW - 1))
    assert rate.trend is not None
    assert (rate.value, rate.trend.previous.value, rate.trend.met) == (
        Decimal("5.00"),
        Decimal("8.00"),
        True,
    )


def test_a_share_is_compared_with_the_whole_previous_year_in_any_period(
    tree, register_case, township_clerk, village_mediator, make_actor, clock
):
    """调解成功率 last year 1 ÷ 2 = 50%; in March of this year 1 ÷ 1 = 100%: 提升, and the page
    shows both values."""
    driver = Driver(
        actors=[township_clerk, village_mediator, make_actor(Role.MEDIATOR, tree.township_centre)],
        assign_to={tree.township_centre.pk: (tree.village_committee, village_mediator)},
    )

    def mediate(last):
        case = register_case()
        for step in ("accept", "assign", "start_mediation", last):
            driver.act(case, step)

    mediate("record_agreement")
    mediate("terminate")
    clock.at(NEXT, 3, 10)
    mediate("record_agreement")
    march = Period(date(NEXT, 3, 1), date(NEXT, 3, 31))
    success = figure("resolution_success_rate", tree.township, march)
    assert success.trend is not None
    assert (success.value, success.trend.previous.value) == (100, 50)
    assert (success.trend.judged, success.trend.met) == (True, True)
    assert success.trend.period == whole_year(NOW)
    assert verification.invariant_problems(success) == []
    assert reports._trend_text(success) == f"{NOW}年 50.00% → 本期 100.00%（已提升）"

    client_figures = selectors.figures_for(tree.township, march)
    served = {f.indicator.code: f for f in client_figures}["resolution_success_rate"]
    assert served.trend is not None
    assert served.trend.previous.value == 50


def test_the_dashboard_shows_both_years(tree, township_clerk, client):
    imported(tree.township, township_clerk, "petitions", 100, NOW - 2)
    imported(tree.township, township_clerk, "petitions", 80, NOW - 1)
    client.force_login(township_clerk)
    page = client.get(reverse("kpi:index"), {"region": tree.township.code, "year": NOW - 1})
    html = page.content.decode()
    row = html[html.index('data-code="count_petitions"') :]
    row = row[row.index('class="trend"') : row.index("</tr>")]
    assert "目标：较上一年度明显下降" in row
    assert f"{NOW - 2}：100" in row
    assert "本期：80" in row
    assert "已下降" in row
    assert "信访总量明显下降" in row
    calls = html[html.index('data-code="count_police_dispute_calls"') :]
    calls = calls[calls.index('class="trend"') : calls.index("</tr>")]
    assert calls.count("无数据") == 2  # neither year imported: 无数据 on both sides, no verdict
    assert "已下降" not in calls
    assert "未下降" not in calls
