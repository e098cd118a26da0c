"""Mediators on the roster who never had a login (issue #21 item 7): many past mediators are on a
committee's 人民调解员名册 only. A ledger row may name one (by name, unique within the unit); the
replayed mediation records that roster entry as the case's mediator, no login is made, and the
ledger and the documents name them."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import CaseOutcome, CaseStatus
from fengqiao.cases.models import Case
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput
from fengqiao.dataio import case_ledgers
from fengqiao.documents import contexts, kinds
from fengqiao.documents.casefile import case_file_load
from fengqiao.intake.spreadsheet import cases_check, template_workbook
from fengqiao.intake.tests.ledger_rows import CONCLUDED, closed, import_rows, xlsx
from fengqiao.orgs.roster import Mediator, MediatorConflict, MediatorKind

pytestmark = pytest.mark.django_db
COMMITTEE = "静河村人民调解委员会"


@pytest.fixture
def zhao(tree) -> Mediator:
    """赵调解: on 静河村's roster since before the system; never had a login."""
    return Mediator.objects.create(
        name="赵调解", kind=MediatorKind.PART_TIME, org=tree.village_committee
    )


def _zhao_row(**values):
    return closed(**{"承办单位": COMMITTEE, "调解员": "赵调解", **values})


def _ledger(case: Case) -> dict[str, object]:
    found = next(iter(case_ledgers.values(Case.objects.filter(pk=case.pk))))
    return {str(c.header): c.value(found) for c in case_ledgers.HANDLING.columns}


def test_a_roster_mediator_without_a_login_mediated_the_replayed_case(
    tmp_path, tree, township_clerk, zhao, client
):
    logins = User.objects.count()
    report = import_rows(tmp_path, township_clerk, tree.township_centre, [_zhao_row()])
    assert report.ok, report.errors
    assert User.objects.count() == logins  # no login is made up for him
    case = Case.objects.get(number=report.created[0][1])
    assert (case.status, case.outcome) == (CaseStatus.CLOSED, CaseOutcome.RESOLVED)
    assert case.assignee is None
    assert case.roster_mediator == zhao
    assign = case.events.filter(data__transition="assign").get()
    assert (assign.data["mediator"], assign.data["roster_mediator"]) == ("赵调解", zhao.pk)
    assert "assignee" not in assign.data
    assert _ledger(case)["调解员"] == "赵调解"

    data = case_file_load(case)
    assert data.mediator_names == ["赵调解"]
    assert contexts.closing_report(data)["mediators"] == "赵调解"
    assert contexts.presided(data)["mediators"] == "赵调解"
    assert contexts.agreement(data)["mediator"] == "赵调解"
    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert '<span id="case-roster-mediator">赵调解</span>' in page


def test_the_case_file_of_a_failed_mediation_names_the_roster_mediator(
    tmp_path, tree, township_clerk, zhao
):
    failed = _zhao_row(办理结果="调解不成功", 协议形式="", 协议内容="", 协议金额="", 履行情况="")
    report = import_rows(tmp_path, township_clerk, tree.township_centre, [failed])
    assert report.ok, report.errors
    data = case_file_load(Case.objects.get())
    assert kinds.unavailable("dossier", data) is None
    cover = kinds.dossier_context(data, filed_by="测试")
    assert cover["mediators"] == "赵调解"
    assert cover["mediation_to"] == contexts.day(CONCLUDED)


def test_the_preview_and_the_template_name_roster_mediators(tmp_path, tree, township_clerk, zhao):
    report = cases_check(
        actor=township_clerk, org_id=tree.township_centre.pk, path=xlsx(tmp_path, [_zhao_row()])
    )
    assert report.ok, report.errors
    assert report.preview[0].mediator == "赵调解"
    book = load_workbook(io.BytesIO(template_workbook(township_clerk)))
    units = {u[0]: u for u in book["承办单位"].iter_rows(min_row=2, values_only=True)}
    assert "赵调解" in units[COMMITTEE][2]


def test_an_ambiguous_unknown_or_conflicted_roster_name_is_a_row_error(
    tmp_path, tree, township_clerk, zhao
):
    for _twice in range(2):
        Mediator.objects.create(
            name="孙调解", kind=MediatorKind.PART_TIME, org=tree.village_committee
        )
    Mediator.objects.create(
        name="钱调解", kind=MediatorKind.PART_TIME, org=tree.other_village_committee
    )
    MediatorConflict.objects.create(
        mediator=zhao, person_name="张三", relationship="表兄弟", declared_on=date(2020, 1, 1)
    )
    rows = [_zhao_row(调解员="孙调解"), _zhao_row(调解员="钱调解"), _zhao_row()]
    report = import_rows(tmp_path, township_clerk, tree.township_centre, rows)
    found = {(e.row, e.column): e.message for e in report.errors}
    assert found[(2, "调解员")] == (
        "静河村人民调解委员会有多名调解员名为孙调解：有登录账号的请填写其登录名，"
        "名册上的同名调解员请先在名册中加以区分。"
    )
    assert (
        found[(3, "调解员")] == "静河村人民调解委员会没有名为钱调解的调解员（名册或人员中均无）。"
    )
    assert found[(4, "调解员")] == "赵调解已申报与张三存在关系（表兄弟），应当回避。"
    assert Case.objects.count() == 0


def test_live_work_assigns_logins_only(tree, make_actor, register_case, zhao):
    """Outside a history import a roster entry is no assignee: 交办 needs someone who can act."""
    committee = make_actor(Role.MEDIATOR, tree.village_committee)
    case = register_case(actor=committee, org=tree.village_committee, region=tree.village)
    case_transition(
        actor=committee, case_id=case.pk, name="accept", action=ActionInput(note="受理")
    )
    with pytest.raises(InvalidInput) as refused:
        case_transition(
            actor=committee,
            case_id=case.pk,
            name="assign",
            action=ActionInput(
                org_id=tree.village_committee.pk,
                roster_mediator_id=zhao.pk,
                due_date=case.due_date,
            ),
        )
    assert "assignee_id" in refused.value.errors
    case.refresh_from_db()
    assert (case.status, case.roster_mediator) == (CaseStatus.ACCEPTED, None)
