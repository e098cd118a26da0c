"""A township's ledger holds its committees' past cases (issue #21 item 7): offices keep one
ledger per township, 静河镇矛调中心 the earlier cases of the 人民调解委员会 of its villages
(小事不出村、大事不出镇: the centre is their superior). Its staff import them as history,
registered and handled at the committee, by the committee's mediator; nothing else widens — not
another township's units, not the county's, not today's cases, not live registration."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import CaseOutcome, CaseStatus, EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.pipeline import register_dispute
from fengqiao.intake.spreadsheet import template_workbook
from fengqiao.intake.tests.ledger_rows import CONCLUDED, REGISTERED, closed, import_rows, row
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.orgs.roster import Mediator, MediatorKind
from fengqiao.regions.choices import RegionLevel
from tests.factories import CaseDraftFactory

pytestmark = pytest.mark.django_db
COMMITTEE = "静河村人民调解委员会"


@pytest.fixture
def committee_mediator(make_actor, tree):
    """李调解: a mediator of 静河村's committee, with a login there and on its roster."""
    user = make_actor(Role.MEDIATOR, tree.village_committee, username="litj")
    Mediator.objects.create(
        name="李调解", kind=MediatorKind.PART_TIME, org=tree.village_committee, user=user
    )
    return user


def _village_row(**values):
    return closed(**{"承办单位": COMMITTEE, "调解员": "李调解", **values})


def test_a_township_centre_imports_its_village_committees_history(
    tmp_path, tree, township_clerk, committee_mediator
):
    report = import_rows(tmp_path, township_clerk, tree.township_centre, [_village_row()])
    assert report.ok, report.errors
    case = Case.objects.get(number=report.created[0][1])
    committee = tree.village_committee
    assert case.number.startswith(f"{committee.code}-{REGISTERED.year}-")  # the committee's series
    assert (case.registering_org, case.handling_org) == (committee, committee)
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseOutcome.RESOLVED)
    assert case.assignee == committee_mediator
    events = list(case.events.order_by("seq"))
    assert {e.org for e in events} == {committee}  # done by the committee
    assert {e.actor for e in events if e.kind != EventKind.MARKED_OVERDUE} == {township_clerk}
    assert all(e.data["imported"]["row"] == 2 for e in events)
    assign = next(e for e in events if e.data.get("transition") == "assign")
    assert (assign.data["org"], assign.data["assignee"]) == (committee.code, "litj")
    assert case.routing == {}  # handled where the ledger says, not routed
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "时间线完整" in out.getvalue()
    call_command("verify_figures", stdout=StringIO())


def test_the_township_cannot_import_for_units_beyond_its_committees(
    tmp_path, tree, township_clerk, committee_mediator, make_actor
):
    """Another township's committee, the county's centre and committee, and a village committee
    named by a row of today (no 登记日期) are refused, row by row; nothing is imported."""
    stone = Organisation.objects.create(
        name="石塘村人民调解委员会",
        kind=OrgKind.VILLAGE_COMMITTEE,
        region=tree.other_township_village,
        code="430624124201TW",
    )
    make_actor(Role.MEDIATOR, stone, username="shitj")
    rows = [
        _village_row(),
        _village_row(承办单位="石塘村人民调解委员会", 调解员="shitj"),
        _village_row(承办单位="湘阴县矛调中心"),
        _village_row(承办单位="湘阴县医疗纠纷人民调解委员会"),
        _village_row(承办单位=tree.other_township_centre.code),
        row(承办单位=COMMITTEE),
    ]
    report = import_rows(tmp_path, township_clerk, tree.township_centre, rows)
    found = {(e.row, e.column): e.message for e in report.errors}
    units = "请填写您可以登记案件的单位。"
    assert found == {
        (3, "承办单位"): units,
        (4, "承办单位"): units,
        (5, "承办单位"): units,
        (6, "承办单位"): units,
        (
            7,
            "承办单位",
        ): "所辖调委会只能作为往年案件（须填写登记日期）的承办单位；当前案件请在本单位登记。",
    }
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0


def test_the_replayed_actions_still_need_the_importers_rights(
    tmp_path, tree, make_actor, committee_mediator
):
    """The township's intake clerk registers, accepts and assigns, but neither mediates nor
    closes, at the committee or anywhere: the replayed mediation is refused as it is live."""
    clerk = make_actor(Role.INTAKE_CLERK, tree.township_centre)
    report = import_rows(tmp_path, clerk, tree.township_centre, [_village_row()])
    assert [(e.column, e.message) for e in report.errors] == [
        ("办理结果", f"您在{COMMITTEE}无权：开始调解、记录调解协议、结案。")
    ]
    withdrawn = _village_row(
        办理结果="撤回",
        调解员="",
        协议形式="",
        协议内容="",
        协议金额="",
        履行情况="",
        办结日期=CONCLUDED.isoformat(),
    )
    report = import_rows(tmp_path, clerk, tree.township_centre, [withdrawn])
    assert [(e.column, e.message) for e in report.errors] == [
        ("办理结果", f"您在{COMMITTEE}无权：结案。")
    ]


@pytest.mark.parametrize(
    ("role", "where"),
    [
        (Role.CENTRE_DIRECTOR, "county_centre"),  # the county keeps its own ledger
        (Role.POLICE_LIAISON, "police_station"),  # registers at the township, superior of none
        (Role.CENTRE_DIRECTOR, "other_village_committee"),  # a committee is no other's superior
    ],
)
def test_only_a_township_centre_holds_its_committees_ledger(
    tmp_path, tree, make_actor, committee_mediator, role, where, police_station
):
    unit = police_station if where == "police_station" else getattr(tree, where)
    actor = make_actor(role, unit)
    report = import_rows(tmp_path, actor, unit, [_village_row()])
    assert ("承办单位", "请填写您可以登记案件的单位。") in [
        (e.column, e.message) for e in report.errors
    ]
    assert Case.objects.count() == 0


def test_live_registration_at_a_village_committee_stays_refused(tree, township_clerk):
    draft = CaseDraftFactory.build(org=tree.village_committee, place=tree.village)
    with pytest.raises(InvalidInput) as refused:
        register_dispute(actor=township_clerk, draft=draft)
    assert "org_id" in refused.value.errors
    assert Case.objects.count() == 0


def test_the_template_and_the_page_list_the_committees_for_earlier_years(
    client, tree, township_clerk, committee_mediator
):
    book = load_workbook(io.BytesIO(template_workbook(township_clerk)))
    units = {u[0]: u for u in book["承办单位"].iter_rows(min_row=2, values_only=True)}
    assert "静河镇矛调中心" in units
    assert COMMITTEE in units
    assert "湾河村人民调解委员会" in units
    assert "石塘镇矛调中心" not in units
    assert "李调解" in units[COMMITTEE][2]
    assert "往年" in units[COMMITTEE][3]  # for cases of earlier years only
    assert not units["静河镇矛调中心"][3]
    assert tree.village_committee.region.level == RegionLevel.VILLAGE
    client.force_login(township_clerk)
    page = client.get(reverse("intake:import")).content.decode()
    assert COMMITTEE in page
    assert "村（社区）" in page  # the help says a township imports its committees' history
