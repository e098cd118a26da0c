"""Each indicator on a hand-built set whose answers are worked out here; the drill-down adds up to
the figure; the rollups equal a rebuild from the events after random workloads; the chart export
matches the page; external figures import all-or-nothing."""

import json
import random
import re
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases import workflow
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput, TransitionBlocked
from fengqiao.kpi import rollups, selectors
from fengqiao.kpi.definitions import BY_CODE
from fengqiao.kpi.models import ExternalFigure, MonthlyRollup, RollupCounter
from fengqiao.kpi.periods import Period
from fengqiao.kpi.services import figures_import
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(township_clerk, village_mediator, tree):
    def run(case: Case, name: str, **values) -> Case:
        if name == "assign":
            values = {
                "org_id": tree.village_committee.pk,
                "assignee_id": village_mediator.pk,
                "due_date": timezone.localdate() + timedelta(days=10),
            }
        if name in ("start_mediation", "record_agreement", "terminate"):
            actor = village_mediator
        else:
            actor = township_clerk
        defaults = {
            "note": "记录",
            "agreement_form": "written",
            "termination_reason": "unwilling",
        }
        return case_transition(
            actor=actor, case_id=case.pk, name=name, action=ActionInput(**{**defaults, **values})
        )

    return run


@pytest.fixture
def hand_built(register_case, act, tree, make_actor):
    """静河镇: 5 cases registered (one a duplicate merged into another), 3 taken into handling,
    1 agreement reached at the village, 1 terminated, 1 declined; one case in 石塘镇 too."""
    resolved = register_case(title="一")
    for step in ("accept", "assign", "start_mediation", "record_agreement"):
        act(resolved, step)
    terminated = register_case(title="二")
    for step in ("accept", "assign", "start_mediation", "terminate"):
        act(terminated, step)
    open_case = register_case(title="三")
    act(open_case, "accept")
    declined = register_case(title="四")
    act(declined, "decline")
    duplicate = register_case(title="五")
    act(duplicate, "merge", merge_into=open_case.number)
    elsewhere = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    register_case(
        actor=elsewhere, org=tree.other_township_centre, region=tree.other_township_village
    )
    return {"resolved": resolved, "terminated": terminated, "open": open_case}


def this_year() -> Period:
    today = timezone.localdate()
    return Period(today.replace(month=1, day=1), today.replace(month=12, day=31))


def value(code: str, region: Region, period: Period | None = None) -> Decimal | None:
    return selectors.compute(BY_CODE[code], region, period or this_year()).value


def test_case_indicators_on_the_hand_built_set(hand_built, tree):
    township = tree.township
    assert value("registered", township) == 4  # 5 registered, one merged duplicate
    # 3 taken in ÷ 3 due for handling: the declined one was not due, the duplicate is one dispute
    assert value("handling_rate", township) == Decimal("100.00")
    assert value("resolution_success_rate", township) == Decimal("50.00")  # 1 ÷ (1 + 1)
    assert value("local_resolution_rate", township) == Decimal("100.00")  # at the village
    assert value("on_time_rate", township) == Decimal("100.00")  # 4 conclusions, none late
    assert value("registered", tree.other_township) == 1
    assert value("registered", tree.county) == 5
    figure = selectors.compute(BY_CODE["resolution_success_rate"], township, this_year())
    assert figure.met is False  # target ≥ 98%
    assert figure.target == 98


def test_a_reopened_agreement_is_taken_back(hand_built, act, tree):
    resolved = hand_built["resolved"]
    act(resolved, "close")
    act(resolved, "reopen")
    assert value("resolution_success_rate", tree.township) == Decimal("0.00")  # 0 ÷ 1
    assert value("on_time_rate", tree.township) == Decimal("100.00")  # 3 ÷ 3
    assert value("local_resolution_rate", tree.township) is None  # no agreement left


def test_late_conclusions_count_against_the_on_time_rate(register_case, act, tree):
    late = register_case()
    act(late, "accept")
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    act(late, "withdraw")
    assert value("on_time_rate", tree.township) == Decimal("0.00")


def test_external_indicators_use_imported_figures_with_their_source(tree, township_clerk):
    year = this_year()
    city = Region.objects.get(code="430600000000")
    rows = [
        (tree.township, "court_civil_first", 30),
        (tree.township, "court_criminal_first", 2),
        (tree.township, "population", 40000),
        (tree.township, "prelitigation_total", 20),
        (tree.township, "prelitigation_success", 17),
    ]
    prior = Period(
        year.start.replace(year=year.start.year - 1), year.end.replace(year=year.end.year - 1)
    )
    for region, metric, amount, when in [
        *((r, m, a, year) for r, m, a in rows),
        (city, "city_prior_litigation_rate", 20, prior),  # 上一年度: the calendar year before
    ]:
        ExternalFigure.objects.create(
            region=region,
            metric=metric,
            period_start=when.start,
            period_end=when.end,
            value=amount,
            source="县法院年度报表",
            imported_by=township_clerk,
        )
    litigation = selectors.compute(BY_CODE["litigation_rate"], tree.township, year)
    assert litigation.value == Decimal("8.00")  # 32 ÷ (40000 ÷ 10000)
    assert litigation.target == Decimal("10.00")  # ≤ 50% of the city's 20
    assert litigation.met is True
    assert value("prelitigation_success_rate", tree.township) == Decimal("85.00")
    assert value("prelitigation_diversion_rate", tree.township) == Decimal("66.67")
    missing = selectors.compute(BY_CODE["platform_share"], tree.township, year)
    assert missing.value is None
    assert missing.missing  # named, not guessed


def test_every_counter_term_drills_down_to_cases_that_add_up(hand_built, act, tree):
    act(hand_built["resolved"], "close")
    act(hand_built["resolved"], "reopen")
    for indicator in BY_CODE.values():
        figure = selectors.compute(indicator, tree.township, this_year())
        for term_value in [*figure.numerator, *figure.denominator]:
            if term_value.term.external or term_value.term.evaluation:
                continue
            rows = selectors.drill_counter(term_value.term, tree.township, this_year())
            assert sum(r.count for r in rows) == term_value.value, (indicator.code, term_value)
            assert all(r.case.place_prefix.startswith(tree.township.prefix) for r in rows)


def snapshot() -> set[tuple]:
    return {
        (model.__name__, r.day, r.place_code, r.category_id, r.channel, r.level, r.metric, r.count)
        for model in (RollupCounter, MonthlyRollup)
        for r in model.objects.exclude(count=0)
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_the_rebuild_after_a_random_workload(
    seed, register_case, act, tree, township_clerk
):
    rng = random.Random(seed)
    cases = [register_case(title=f"随机{i}") for i in range(12)]
    for _step in range(80):
        case = rng.choice(cases)
        case.refresh_from_db()
        names = [t.name for t in workflow.TRANSITIONS.values() if case.status in t.sources]
        names = [n for n in names if n not in ("pause_deadline", "resume_deadline")]
        if not names:
            continue
        name = rng.choice(names)
        extra = {}
        if name == "merge":
            others = [c for c in cases if c.pk != case.pk]
            extra["merge_into"] = rng.choice(others).number
        if name in ("transfer", "escalate"):
            extra["org_id"] = (
                tree.other_township_centre.pk if name == "transfer" else tree.county_centre.pk
            )
        if name == "extend_deadline":
            extra["due_date"] = timezone.localdate() + timedelta(days=rng.randint(40, 90))
        try:
            act(case, name, **extra)
        except (TransitionBlocked, InvalidInput):
            continue  # a blocked or refused action writes nothing, counters included
    live = snapshot()
    assert live  # the workload counted something
    rollups.rebuild()
    assert snapshot() == live
    # the county reads the monthly table, a township the daily one: the two agree
    daily = defaultdict(int)
    for r in RollupCounter.objects.filter(place_code__startswith=tree.county.prefix):
        if this_year().start <= r.day <= this_year().end:
            daily[(r.metric, r.level)] += r.count
    monthly = selectors.counter_totals(tree.county, this_year())
    assert {k: v for k, v in daily.items() if v} == {k: v for k, v in monthly.items() if v}


def test_a_rolled_back_registration_leaves_no_count(register_case):
    def register_then_fail():
        with transaction.atomic():
            register_case()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        register_then_fail()
    assert not RollupCounter.objects.exists()


def test_the_page_shows_figures_and_chart_data_that_the_export_matches(
    hand_built, client, township_clerk, tree
):
    client.force_login(township_clerk)
    query = f"?region={tree.township.code}&year={timezone.localdate().year}"
    page = client.get(reverse("kpi:index") + query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "50.00%" in html  # 调处成功率 1 ÷ 2
    assert "调处率" in html
    charts = json.loads(re.search(r'id="chart-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    channel_chart = next(c for c in charts if c["key"] == "channel")

    export = client.get(reverse("kpi:chart_xlsx", args=["channel"]) + query)
    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "静河镇" in rows[0][0]
    assert [r[0] for r in rows[2:]] == channel_chart["labels"]
    assert [r[1] for r in rows[2:]] == next(iter(channel_chart["values"].values()))


def test_drill_down_page_lists_the_cases(hand_built, client, township_clerk, tree):
    client.force_login(township_clerk)
    query = f"?region={tree.township.code}&year={timezone.localdate().year}"
    url = reverse("kpi:drill", args=["handling_rate", "numerator", 0]) + query
    html = client.get(url).content.decode()
    for key in ("resolved", "terminated", "open"):
        assert hand_built[key].number in html


def test_regions_outside_the_jurisdiction_are_not_found(client, make_actor, tree):
    village_user = make_actor(Role.MEDIATOR, tree.village_committee)
    client.force_login(village_user)
    year = timezone.localdate().year
    assert client.get(
        reverse("kpi:index") + f"?region={tree.township.code}&year={year}"
    ).status_code in (
        400,
        404,
    )
    drill = reverse("kpi:drill", args=["handling_rate", "numerator", 0])
    assert client.get(drill + f"?region={tree.township.code}&year={year}").status_code in (400, 404)
    mine = client.get(reverse("kpi:index") + f"?region={tree.village.code}&year={year}")
    assert mine.status_code == 200


def write_sheet(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["区划代码", "指标", "开始日期", "结束日期", "数值", "来源"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_figures_import_is_all_or_nothing_with_row_numbers(tmp_path, township_clerk, tree):
    good = [tree.township.code, "常住人口", "2026-01-01", "2026-12-31", 40000, "统计站"]
    broken = [tree.township.code, "不存在的指标", "2026-01-01", "2025-12-31", -3, ""]
    path = write_sheet(
        tmp_path / "f.xlsx", [good, broken, [*good[:1], "court_civil_first", *good[2:]]]
    )
    result = figures_import(actor=township_clerk, path=path)
    assert not ExternalFigure.objects.exists()
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "指标"),
        (3, "结束日期"),
        (3, "数值"),
        (3, "来源"),
    }
    outside = write_sheet(
        tmp_path / "o.xlsx",
        [[tree.other_township.code, "常住人口", "2026-01-01", "2026-12-31", 1, "x"]],
    )
    assert figures_import(actor=township_clerk, path=outside).errors[0].column == "区划代码"
    ok = write_sheet(tmp_path / "ok.xlsx", [good])
    assert figures_import(actor=township_clerk, path=ok).created == 1
    figure = ExternalFigure.objects.get()
    assert (figure.metric, figure.value, figure.source, figure.row_number) == (
        "population",
        40000,
        "统计站",
        2,
    )


def test_only_supervisors_import_figures(client, make_actor, tree, tmp_path):
    mediator = make_actor(Role.MEDIATOR, tree.village_committee)
    client.force_login(mediator)
    path = write_sheet(tmp_path / "f.xlsx", [])
    with path.open("rb") as handle:
        response = client.post(reverse("kpi:figures"), {"file": handle, "mode": "import"})
    assert response.status_code == 403
    assert not ExternalFigure.objects.exists()


def test_drill_down_pages_add_up_to_the_whole(register_case, act, tree):
    from fengqiao.kpi.choices import Metric
    from fengqiao.kpi.definitions import t

    cases = [register_case(title=f"分页{i}") for i in range(7)]
    act(cases[2], "accept")
    term = t(Metric.REGISTERED)
    whole = selectors.drill_counter(term, tree.township, this_year())
    pages, after = [], 0
    while True:
        page = selectors.drill_counter(term, tree.township, this_year(), after=after, limit=3)
        pages.extend(page)
        if len(page) < 3:
            break
        after = page[-1].case.pk
    assert [r.case.pk for r in pages] == [r.case.pk for r in whole] == [c.pk for c in cases]


def test_ranking_and_map_count_each_unit_below(
    hand_built, tree, client, township_clerk, settings, tmp_path
):
    # ranked by 调处成功率: 静河村 1 ÷ 2 = 50%; 湾河村 has no conclusion (无数据), last
    ranking = selectors.ranking_series(tree.township, this_year())
    assert ranking.labels == ["静河村", "湾河村"]
    assert next(iter(ranking.values.values())) == [50.0, None]
    county = selectors.ranking_series(tree.county, this_year())
    assert county.labels[:2] == ["静河镇", "石塘镇"]  # the county reads the monthly table
    assert next(iter(county.values.values()))[:2] == [50.0, None]
    area = selectors.map_series(tree.township, this_year())
    assert (area.labels, next(iter(area.values.values()))) == (["静河村", "湾河村"], [5, 0])

    assert selectors.boundary_url(tree.township) == ""  # no GeoJSON: a tile grid
    settings.FENGQIAO_BOUNDARIES_DIR = str(tmp_path)
    (tmp_path / f"{tree.township.code}.geojson").write_text('{"type": "FeatureCollection"}')
    url = selectors.boundary_url(tree.township)
    client.force_login(township_clerk)
    served = client.get(url)
    assert json.loads(b"".join(served.streaming_content)) == {"type": "FeatureCollection"}
    assert client.get(reverse("kpi:boundary", args=["430624999000"])).status_code == 404


def test_open_cases_needing_attention(register_case, tree):
    from fengqiao.cases.choices import PartyRole
    from fengqiao.cases.services import PartyDraft

    def alone(name):  # parties of their own: no repeated-conflict signal between these cases
        return (PartyDraft(role=PartyRole.APPLICANT, name=name),)

    register_case(risk_level="high", parties=alone("甲"))
    register_case(is_mass=True, parties=alone("乙"))
    calm = register_case(parties=alone("丙"))
    Case.objects.filter(pk=calm.pk).update(overdue_since=timezone.now())
    attention = selectors.open_attention(tree.township)
    assert (attention.overdue, attention.high_risk) == (1, 2)
    assert len(attention.high_risk_cases) == 2


def test_satisfaction_counts_cases_by_their_latest_rating(register_case, township_clerk, tree):
    """Issue #13: 回访满意率 counted visits. A case visited four times is one case, rated by its
    latest visit: case A (…, satisfied) and case B (satisfied, dissatisfied) give 1 ÷ 2."""
    from fengqiao.cases.choices import EventKind
    from fengqiao.cases.services import case_record_event

    visits = {
        "A": ("satisfied", "fairly", "dissatisfied", "satisfied"),
        "B": ("satisfied", "dissatisfied"),
    }
    for ratings in visits.values():
        case = register_case()
        for rating in ratings:
            case_record_event(
                actor=township_clerk,
                case_id=case.pk,
                kind=EventKind.FOLLOW_UP_RECORDED,
                data={"satisfaction": rating},
            )
    assert value("satisfaction_rate", tree.township) == Decimal("50.00")  # 1 of 2 cases
    chart = selectors.satisfaction_series(tree.township, this_year())
    assert next(iter(chart.values.values())) == [1, 0, 1]
    rollups.rebuild()
    assert value("satisfaction_rate", tree.township) == Decimal("50.00")


def test_the_chart_export_is_the_one_workbook_with_a_chinese_name_and_is_audited(
    hand_built, client, township_clerk, tree
):
    """Issue #16: chart exports used another writer and font, no frozen header or filter, and an
    English file name (``trend.xlsx``); they were not audited."""
    client.force_login(township_clerk)
    query = f"?region={tree.township.code}&year={timezone.localdate().year}"

    export = client.get(reverse("kpi:chart_xlsx", args=["channel"]) + query)

    disposition = export["Content-Disposition"]
    assert "channel.xlsx" not in disposition
    assert "filename*=UTF-8''%E9%9D%99%E6%B2%B3%E9%95%87" in disposition  # 静河镇…
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")
    assert sheet["A1"].font.name == sheet["B3"].font.name == "宋体"
    assert sheet["B3"].data_type == "n"
    entry = AuditEntry.objects.get(action=AuditAction.DATA_EXPORTED, actor=township_clerk)
    assert entry.extra["chart"] == "channel"


def test_the_daily_counters_are_indexed_by_place_then_day():
    """Issue #13 at scale: a township's or village's figures read every counter of its places
    in a period; led by the day, the only index fitting that read scanned the whole province's
    month (283 ms at 10⁶ cases, EXPLAIN ANALYZE in docs/scaling.md; 1 ms with this one)."""
    led = {tuple(index.fields[:2]) for index in RollupCounter._meta.indexes}
    assert ("place_code", "day") in led
