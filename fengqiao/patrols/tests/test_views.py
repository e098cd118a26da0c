from datetime import date

import pytest
from django.urls import reverse

from conftest import Tree
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditEntry
from fengqiao.patrols import services
from fengqiao.patrols.models import PatrolReport, PatrolRound, PatrolSchedule, RoundKind

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 16)


@pytest.fixture
def weekly(make_actor, tree: Tree) -> PatrolRound:
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    PatrolSchedule.objects.create(region=tree.township)
    services.rounds_generate(actor=director, on=MONDAY)
    return PatrolRound.objects.get(kind=RoundKind.WEEKLY, region=tree.village)


def test_village_files_zero_report_through_the_form(client, weekly, village_mediator, tree):
    client.force_login(village_mediator)
    url = reverse("patrols:round", args=[weekly.pk])
    page = client.get(url)
    assert "填报排查表" in page.text
    assert "零报告" in page.text
    resp = client.post(url, {"village": tree.village.code, "zero": "1"})
    assert resp.status_code == 302
    assert PatrolReport.objects.get(round=weekly).is_zero


def test_form_errors_are_chinese_and_write_nothing(client, weekly, village_mediator, tree):
    client.force_login(village_mediator)
    resp = client.post(reverse("patrols:round", args=[weekly.pk]), {"village": tree.village.code})
    assert resp.status_code == 422
    assert "请填写矛盾情况。" in resp.text
    assert not PatrolReport.objects.exists()


def test_pages_and_downloads(client, weekly, make_actor, tree):
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    client.force_login(director)
    for name in ("patrols:index", "patrols:hazards", "patrols:assessments", "patrols:meetings"):
        assert client.get(reverse(name)).status_code == 200
    assert "矛盾纠纷排查" in client.get(reverse("patrols:index")).text
    resp = client.get(reverse("patrols:round_export", args=[weekly.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")


def test_outside_jurisdiction_is_404_and_leaves_no_trace(client, weekly, make_actor, tree):
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    client.force_login(outsider)
    before = AuditEntry.objects.count()
    assert client.get(reverse("patrols:round", args=[weekly.pk])).status_code == 404
    assert client.get(reverse("patrols:round_export", args=[weekly.pk])).status_code == 404
    resp = client.post(
        reverse("patrols:round", args=[weekly.pk]), {"village": tree.village.code, "zero": "1"}
    )
    assert resp.status_code == 404
    assert not PatrolReport.objects.exists()
    assert AuditEntry.objects.count() == before


def test_entry_becomes_a_case_from_the_round_page(client, weekly, make_actor, tree):
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    report = services.report_file(
        actor=director,
        round_id=weekly.pk,
        village=tree.village.code,
        entries=[
            services.EntryDraft(checked_on=MONDAY, checker="村调委会", situation="排水沟争执")
        ],
    )
    entry = report.entries.get()
    client.force_login(director)
    url = reverse("patrols:entry_case", args=[weekly.pk, entry.pk])
    bad = client.post(url, {"category": "housing_homestead", "party_name": ""})
    assert bad.status_code == 302
    entry.refresh_from_db()
    assert entry.case is None
    client.post(url, {"category": "housing_homestead", "party_name": "张三"})
    entry.refresh_from_db()
    assert entry.case is not None
    assert entry.case.channel == "patrol"
    page = client.get(reverse("patrols:round", args=[weekly.pk])).text
    assert reverse("cases:detail", args=[entry.case.pk]) in page


def test_village_mediator_adds_a_hazard_and_errors_write_nothing(client, village_mediator, tree):
    from fengqiao.patrols.models import Hazard

    client.force_login(village_mediator)
    url = reverse("patrols:hazards")
    assert "添加风险隐患" in client.get(url).text
    bad = client.post(url, {"region": tree.village.code, "title": "", "level": "high"})
    assert bad.status_code == 422
    assert "请填写标题。" in bad.text
    assert not Hazard.objects.exists()
    ok = client.post(
        url,
        {
            "region": tree.village.code,
            "title": "欠薪隐患",
            "category": "labour",
            "people_count": "5",
            "people_description": "务工人员",
            "level": "high",
        },
    )
    assert ok.status_code == 302
    hazard = Hazard.objects.get()
    assert hazard.responsible == village_mediator
    assert hazard.history.count() == 1
    outside = client.post(url, {"region": tree.other_township_village.code, "title": "x"})
    assert outside.status_code == 404
    assert Hazard.objects.count() == 1


def test_countersign_buttons_are_offered_only_to_who_may_sign(
    client, weekly, make_actor, tree, police_station
):
    """Issue #21: both 双背书 buttons were shown to everyone, including those who may not sign;
    #18: only the station head and the village's party secretary sign."""
    village_mediator = make_actor(Role.MEDIATOR, tree.village_committee)
    services.report_file(
        actor=village_mediator, round_id=weekly.pk, village=tree.village.code, entries=[]
    )
    url = reverse("patrols:round", args=[weekly.pk])
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    liaison = make_actor(Role.POLICE_LIAISON, police_station)
    head = make_actor(Role.POLICE_STATION_HEAD, police_station)
    secretary = make_actor(Role.VILLAGE_SECRETARY, tree.village_committee)
    for nobody in (director, liaison, village_mediator):
        client.force_login(nobody)
        page = client.get(url).text
        assert 'value="police"' not in page
        assert 'value="village"' not in page
    client.force_login(head)
    page = client.get(url).text
    assert 'value="police"' in page
    assert 'value="village"' not in page
    client.force_login(secretary)
    page = client.get(url).text
    assert 'value="village"' in page
    assert 'value="police"' not in page
    client.post(
        reverse("patrols:sign", args=[weekly.pk, PatrolReport.objects.get().pk]),
        {"side": "village"},
    )
    assert 'value="village"' not in client.get(url).text  # signed once, not offered again


def test_service_accounts_are_not_offered_as_people(make_actor, tree, register_case):
    """Issue #21: "渠道接口（静河镇）" was offered as a meeting owner."""
    from fengqiao.accounts.models import User
    from fengqiao.accounts.services import membership_grant, system_actor
    from fengqiao.cases import workflow
    from fengqiao.cases.forms import ActionForm
    from fengqiao.patrols.selectors import staff_for_region

    service = User.objects.create_user(
        username="svc", full_name="渠道接口（静河镇）", password=None
    )
    membership_grant(
        actor=system_actor(),
        user=service,
        role=Role.INTAKE_CLERK,
        region=tree.township,
        org=tree.township_centre,
    )
    person = make_actor(Role.INTAKE_CLERK, tree.township_centre)
    staff = list(staff_for_region(tree.village))
    assert person in staff
    assert service not in staff
    case = register_case()
    form = ActionForm(transition=workflow.get("assign"), case=case, actor=person)
    offered = [label for _pk, label in form.fields[workflow.LEAD].choices] + [
        label for _pk, label in form.fields[workflow.ASSIGNEE].choices
    ]
    assert not any("渠道接口" in str(label) for label in offered)
