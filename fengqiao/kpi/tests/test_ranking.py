"""通报讲评: the units below ranked by an indicator (issue #13: they were sorted by cases
registered), 无数据 last, equal values in code order, each with its numerator and denominator."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.kpi import selectors
from fengqiao.kpi.periods import Period
from fengqiao.kpi.tests.lifecycle import Driver
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db


def this_year() -> Period:
    today = timezone.localdate()
    return Period(date(today.year, 1, 1), date(today.year, 12, 31))


@pytest.fixture
def driver(tree, township_clerk, village_mediator, make_actor):
    return Driver(
        actors=[township_clerk, village_mediator, make_actor(Role.MEDIATOR, tree.township_centre)],
        assign_to={tree.township_centre.pk: (tree.village_committee, village_mediator)},
    )


@pytest.fixture
def four_villages(tree, register_case, driver):
    """静河村 (201): 1 agreement, 1 termination → 1 ÷ 2 = 50%. 湾河村 (202): 3 registered, none
    concluded → 0 ÷ 0, 无数据. 203 and 204: 1 agreement each → 1 ÷ 1 = 100%."""
    third = Region.objects.create(
        code="430624122203", name="新河村", level=RegionLevel.VILLAGE, parent=tree.township
    )
    fourth = Region.objects.create(
        code="430624122204", name="东河村", level=RegionLevel.VILLAGE, parent=tree.township
    )

    def mediate(region, last):
        case = register_case(region=region)
        for step in ("accept", "assign", "start_mediation", last):
            driver.act(case, step)

    mediate(tree.village, "record_agreement")
    mediate(tree.village, "terminate")
    for _n in range(3):
        register_case(region=tree.other_village)
    mediate(fourth, "record_agreement")
    mediate(third, "record_agreement")
    return third, fourth


def test_the_units_are_ranked_by_the_success_rate_with_no_data_last(tree, four_villages):
    ranking = selectors.ranking_for(tree.township, this_year())
    assert ranking.indicator.code == "resolution_success_rate"
    rows = [
        (
            r.rank,
            r.figure.region.code[-3:],
            r.figure.value,
            r.figure.numerator_total,
            r.figure.denominator_total,
        )
        for r in ranking.rows
    ]
    assert rows == [
        (1, "203", 100, 1, 1),  # a tie at 100%: code order
        (2, "204", 100, 1, 1),
        (3, "201", 50, 1, 2),
        (None, "202", None, 0, 0),  # 3 registered but nothing concluded: 无数据, last, no rank
    ]
    series = selectors.ranking_series(tree.township, this_year())
    assert series.labels == ["新河村", "东河村", "静河村", "湾河村"]
    assert list(series.values.values()) == [[100.0, 100.0, 50.0, None]]
    assert series.table == {"分子": ["1", "1", "1", "0"], "分母": ["1", "1", "2", "0"]}


def test_another_share_can_be_chosen_and_an_unknown_one_falls_back(tree, four_villages):
    ranking = selectors.ranking_for(tree.township, this_year(), "handling_rate")
    assert [(r.figure.region.code[-3:], r.figure.value) for r in ranking.rows] == [
        ("201", 100),  # 2 taken in ÷ 2 due; then 203 and 204 at 1 ÷ 1, in code order
        ("203", 100),
        ("204", 100),
        ("202", 0),  # 0 ÷ 3: a value, ranked
    ]
    assert [r.rank for r in ranking.rows] == [1, 2, 3, 4]
    assert selectors.ranking_for(tree.township, this_year(), "registered").indicator.code == (
        "resolution_success_rate"  # a count is not a share to rank by
    )
    assert "registered" not in selectors.RANKABLE
    assert "litigation_rate" not in selectors.RANKABLE


def test_the_dashboard_lets_the_user_pick_the_ranking_indicator(
    tree, four_villages, client, township_clerk
):
    client.force_login(township_clerk)
    query = {"region": tree.township.code, "year": this_year().start.year}
    page = client.get(reverse("kpi:index"), query).content.decode()
    table = page[page.index('id="kpi-ranking"') :]
    assert 'data-indicator="resolution_success_rate"' in table
    names = ["新河村", "东河村", "静河村", "湾河村"]
    assert [table.index(name) for name in names] == sorted(table.index(name) for name in names)
    form = page[page.index('id="ranking-form"') : page.index('id="kpi-ranking"')]
    assert f'name="region" value="{tree.township.code}"' in form  # keeps the region and period
    assert '<option value="handling_rate">' in form
    assert '<option value="resolution_success_rate" selected>' in form
    first = client.get(reverse("kpi:index")).content.decode()  # a first visit: the defaults
    form = first[first.index('id="ranking-form"') : first.index('id="kpi-ranking"')]
    assert f'name="region" value="{selectors.regions_for(township_clerk)[0].code}"' in form
    assert 'name="year"' in form
    picked = client.get(reverse("kpi:index"), {**query, "ranking": "handling_rate"})
    assert picked.status_code == 200
    table = picked.content.decode()
    table = table[table.index('id="kpi-ranking"') :]
    assert 'data-indicator="handling_rate"' in table
    filters = picked.content.decode()
    filters = filters[filters.index('id="kpi-filters"') :]
    filters = filters[: filters.index("</form>")]
    assert '<input type="hidden" name="ranking" value="handling_rate">' in filters  # kept
    assert table.index("静河村") < table.index("新河村") < table.index("湾河村")
    sheet = client.get(
        reverse("kpi:chart_xlsx", args=["ranking"]), {**query, "ranking": "handling_rate"}
    )
    assert sheet.status_code == 200
