"""The browser forms over the patrols services (issue 5, items 4–7): each valid POST changes what it
should and the page shows it; an invalid POST is 422 with the Chinese field error, the entered
values kept and nothing stored; outside the jurisdiction 404, without the role 403, and neither
leaves a row or an audit entry."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import Tree
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.models import Case
from fengqiao.patrols import meetings, services
from fengqiao.patrols.models import (
    Hazard,
    HazardChange,
    Meeting,
    MeetingTask,
    OpinionRecord,
    PatrolRound,
    RiskPoint,
    RoundKind,
    SensitivePeriod,
    StabilityAssessment,
    TaskStatus,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@contextmanager
def no_trace(*models: type) -> Iterator[None]:
    """Nothing written: the same number of rows in each model and in the audit log."""
    before = [m.objects.count() for m in (*models, AuditEntry)]  # type: ignore[attr-defined]
    yield
    assert [m.objects.count() for m in (*models, AuditEntry)] == before  # type: ignore[attr-defined]


@pytest.fixture
def director(make_actor, tree: Tree) -> User:
    return make_actor(Role.CENTRE_DIRECTOR, tree.township_centre, username="director")


@pytest.fixture
def outsider(make_actor, tree: Tree) -> User:
    return make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre, username="outsider")


@pytest.fixture
def reader(make_actor, tree: Tree) -> User:
    return make_actor(Role.READ_ONLY, tree.township_centre, username="reader")


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# --- special rounds ---------------------------------------------------------------------------


def special(tree: Tree, **overrides: str) -> dict[str, str]:
    values = {
        "region": tree.township.code,
        "topic": "村两委换届专项排查",
        "period_start": "2026-12-01",
        "period_end": "2026-12-10",
        "deadline": "",
    }
    return values | overrides


def test_director_opens_a_special_round_from_the_index(client, director, tree):
    login(client, director)
    index = client.get(reverse("patrols:index"))
    assert "发起专项排查" in index.text
    resp = client.post(reverse("patrols:round_special"), special(tree))
    rnd = PatrolRound.objects.get(kind=RoundKind.SPECIAL)
    assert resp.status_code == 302
    assert resp["Location"] == reverse("patrols:round", args=[rnd.pk])
    assert (rnd.region, rnd.topic) == (tree.township, "村两委换届专项排查")
    assert (rnd.period_start, rnd.period_end, rnd.deadline) == (
        date(2026, 12, 1),
        date(2026, 12, 10),
        date(2026, 12, 10),
    )
    assert AuditEntry.objects.filter(target_id=str(rnd.pk), actor=director).count() == 1
    assert "村两委换届专项排查" in client.get(reverse("patrols:index")).text


def test_special_round_errors_are_chinese_keep_the_input_and_store_nothing(client, director, tree):
    login(client, director)
    with no_trace(PatrolRound):
        resp = client.post(
            reverse("patrols:round_special"),
            special(tree, topic=" ", period_start="2026-12-10", period_end="2026-12-01"),
        )
    assert resp.status_code == 422
    assert "请填写排查主题。" in resp.text
    assert "截止日期早于起始日期。" in resp.text
    assert 'value="2026-12-10"' in resp.text
    assert f'<option value="{tree.township.code}" selected>' in resp.text


def test_special_round_needs_the_role_and_the_jurisdiction(
    client, village_mediator, outsider, tree
):
    login(client, village_mediator)
    assert "发起专项排查" not in client.get(reverse("patrols:index")).text
    with no_trace(PatrolRound):
        refused = client.post(
            reverse("patrols:round_special"), special(tree, region=tree.village.code)
        )
    assert refused.status_code == 403
    assert "您无权在此执行该操作。" in refused.text
    login(client, outsider)
    with no_trace(PatrolRound):
        assert client.post(reverse("patrols:round_special"), special(tree)).status_code == 404


# --- hazards ----------------------------------------------------------------------------------


@pytest.fixture
def hazard(village_mediator, tree) -> Hazard:
    return services.hazard_register(
        actor=village_mediator,
        draft=services.HazardDraft(
            region=tree.village.code,
            title="工程欠薪隐患",
            category="labour",
            people_count=12,
            people_description="某工地务工人员",
            level="high",
            responsible_id=village_mediator.pk,
            measures="登记在册",
        ),
    )


def test_hazard_update_changes_it_and_the_history_shows(client, hazard, village_mediator, director):
    login(client, village_mediator)
    url = reverse("patrols:hazard", args=[hazard.pk])
    page = client.get(url)
    assert "更新风险隐患" in page.text
    assert f'<option value="{director.pk}">' in page.text  # township staff may be responsible
    resp = client.post(
        url,
        {
            "level": "medium",
            "status": "controlling",
            "measures": "约谈包工头，督促支付",
            "responsible_id": str(director.pk),
            "note": "镇里接手",
        },
    )
    assert resp.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.level, hazard.status, hazard.responsible) == ("medium", "controlling", director)
    assert list(hazard.history.values_list("level", "status", "responsible", "note")) == [
        ("high", "open", village_mediator.pk, "已登记"),
        ("medium", "controlling", director.pk, "镇里接手"),
    ]
    changed = AuditEntry.objects.get(target_id=str(hazard.pk), action="record.changed")
    assert changed.changes["responsible"] == [village_mediator.username, director.username]
    page = client.get(url).text
    assert "约谈包工头，督促支付" in page
    assert "管控中" in page
    assert "镇里接手" in page
    assert (
        reverse("patrols:hazard", args=[hazard.pk]) in client.get(reverse("patrols:hazards")).text
    )


def test_hazard_update_errors_are_chinese_and_store_nothing(client, hazard, village_mediator):
    login(client, village_mediator)
    with no_trace(HazardChange):
        resp = client.post(
            reverse("patrols:hazard", args=[hazard.pk]),
            {"level": "", "status": "resolved", "measures": "已化解"},
        )
    assert resp.status_code == 422
    assert "请选择等级。" in resp.text
    assert "已化解" in resp.text  # the entered measures are kept
    hazard.refresh_from_db()
    assert (hazard.level, hazard.status) == ("high", "open")


def test_hazard_update_needs_the_role_and_the_jurisdiction(client, hazard, reader, outsider):
    data = {"level": "low", "status": "resolved", "measures": "x"}
    login(client, reader)
    page = client.get(reverse("patrols:hazard", args=[hazard.pk]))
    assert page.status_code == 200
    assert "更新风险隐患" not in page.text
    with no_trace(HazardChange):
        assert client.post(reverse("patrols:hazard", args=[hazard.pk]), data).status_code == 403
    login(client, outsider)
    assert client.get(reverse("patrols:hazard", args=[hazard.pk])).status_code == 404
    with no_trace(HazardChange):
        assert client.post(reverse("patrols:hazard", args=[hazard.pk]), data).status_code == 404
    hazard.refresh_from_db()
    assert hazard.status == "open"


# --- sensitive periods ------------------------------------------------------------------------


def period(tree: Tree, **overrides: str) -> dict[str, str]:
    values = {
        "region": tree.township.code,
        "name": "春节前欠薪排查",
        "kind": "wage_arrears",
        "starts_on": (TODAY - timedelta(days=1)).isoformat(),
        "ends_on": (TODAY + timedelta(days=20)).isoformat(),
        "daily_reporting": "on",
    }
    return values | overrides


def test_director_adds_a_sensitive_period_to_the_calendar(client, director, tree):
    login(client, director)
    url = reverse("patrols:periods")
    assert "添加敏感时期" in client.get(url).text
    assert client.post(url, period(tree)).status_code == 302
    row = SensitivePeriod.objects.get()
    assert (row.region, row.name, row.kind, row.daily_reporting) == (
        tree.township,
        "春节前欠薪排查",
        "wage_arrears",
        True,
    )
    assert AuditEntry.objects.filter(target_id=str(row.pk), action="record.created").exists()
    calendar = client.get(url).text
    assert "春节前欠薪排查" in calendar
    assert "进行中" in calendar
    assert reverse("patrols:periods") in client.get(reverse("patrols:index")).text


def test_sensitive_period_errors_are_chinese_and_store_nothing(client, director, tree):
    login(client, director)
    with no_trace(SensitivePeriod):
        resp = client.post(
            reverse("patrols:periods"),
            period(tree, name="", starts_on="2026-12-10", ends_on="2026-12-01"),
        )
    assert resp.status_code == 422
    assert "请填写名称。" in resp.text
    assert "截止日期早于起始日期。" in resp.text
    assert 'value="2026-12-10"' in resp.text


def test_sensitive_period_needs_the_role_and_the_jurisdiction(
    client, village_mediator, outsider, tree
):
    login(client, village_mediator)
    assert "添加敏感时期" not in client.get(reverse("patrols:periods")).text
    with no_trace(SensitivePeriod):
        resp = client.post(reverse("patrols:periods"), period(tree, region=tree.village.code))
    assert resp.status_code == 403
    login(client, outsider)
    with no_trace(SensitivePeriod):
        assert client.post(reverse("patrols:periods"), period(tree)).status_code == 404


# --- 稳评 -------------------------------------------------------------------------------------


def assessment(tree: Tree, **overrides: str) -> dict[str, str]:
    values = {
        "region": tree.township.code,
        "subject": "静河镇垃圾中转站建设项目",
        "deciding_body": "静河镇人民政府",
        "assessor": "静河镇综治中心",
        "summary": "项目选址邻近村民住宅",
        "attitude": "part_object",
        "incident_risk": "none",
        "contingency_plan": "成立现场处置组",
        "risk_points-0-description": "周边群众担心异味",
        "risk_points-0-measure": "密闭运输、每日清洗",
        "risk_points-2-description": "施工噪声扰民",
        "opinions-1-kind": "hearing",
        "opinions-1-held_on": "2026-11-02",
        "opinions-1-participants": "村民代表15人",
        "opinions-1-summary": "多数同意，要求加强除臭",
    }
    return values | overrides


def test_director_creates_an_assessment_and_sees_its_level_and_rule(client, director, tree):
    login(client, director)
    assert "新建稳评" in client.get(reverse("patrols:assessments")).text
    resp = client.post(reverse("patrols:assessment_new"), assessment(tree))
    a = StabilityAssessment.objects.get()
    assert resp.status_code == 302
    assert resp["Location"] == reverse("patrols:assessment", args=[a.pk])
    assert (a.level, a.attitude, a.created_by) == ("medium", "part_object", director)
    assert list(a.risk_points.values_list("description", "measure")) == [
        ("周边群众担心异味", "密闭运输、每日清洗"),
        ("施工噪声扰民", ""),
    ]
    assert list(a.opinions.values_list("kind", "held_on", "participants")) == [
        ("hearing", date(2026, 11, 2), "村民代表15人")
    ]
    page = client.get(resp["Location"]).text
    assert "中风险" in page
    assert "部分群众对项目有意见、反应强烈，或可能引发矛盾冲突的，评为中风险。" in page
    assert "判定依据：部分群众有意见、反应强烈。" in page
    assert "发改投资〔2012〕2492号" in page
    assert reverse("patrols:report", args=[a.pk]) in page


def test_assessment_errors_are_chinese_next_to_their_rows_and_store_nothing(client, director, tree):
    login(client, director)
    data = assessment(tree, subject="")
    data |= {"risk_points-0-description": "", "risk_points-2-description": ""}
    data["risk_points-0-measure"] = ""
    data["opinions-1-participants"] = ""
    with no_trace(StabilityAssessment, RiskPoint, OpinionRecord):
        resp = client.post(reverse("patrols:assessment_new"), data)
    assert resp.status_code == 422
    assert "此项为必填项。" in resp.text
    assert "请至少列出一个风险点。" in resp.text
    assert "请填写参加人员。" in resp.text
    assert "多数同意，要求加强除臭" in resp.text  # the entered opinion is kept
    # the row error stands next to the row the user filled (row 1), not the service's row 0
    row = resp.text.split('name="opinions-1-participants"')[1].split("</label>")[0]
    assert "请填写参加人员。" in row


def test_decision_and_follow_up_are_recorded_and_checked_against_the_level(client, director, tree):
    login(client, director)
    client.post(reverse("patrols:assessment_new"), assessment(tree))
    a = StabilityAssessment.objects.get()
    url = reverse("patrols:assessment", args=[a.pk])
    with no_trace(StabilityAssessment):
        bad = client.post(url, {"decision": "implement", "note": "照常实施", "followup": ""})
    assert bad.status_code == 422
    assert "该风险等级下不得作出此决策。" in bad.text
    assert "照常实施" in bad.text
    a.refresh_from_db()
    assert a.decision == ""
    ok = client.post(
        url, {"decision": "with_measures", "note": "落实除臭措施后实施", "followup": "每月回访"}
    )
    assert ok.status_code == 302
    a.refresh_from_db()
    assert (a.decision, a.decision_note, a.followup) == (
        "with_measures",
        "落实除臭措施后实施",
        "每月回访",
    )
    assert a.decided_at is not None
    page = client.get(url).text
    assert "附条件实施" in page
    assert "每月回访" in page


def test_assessments_need_the_role_and_the_jurisdiction(
    client, director, village_mediator, outsider, tree
):
    login(client, director)
    client.post(reverse("patrols:assessment_new"), assessment(tree))
    a = StabilityAssessment.objects.get()
    decide = {"decision": "postpone", "note": "", "followup": ""}
    login(client, village_mediator)
    assert client.get(reverse("patrols:assessment_new")).status_code == 403
    with no_trace(StabilityAssessment, RiskPoint):
        created = client.post(
            reverse("patrols:assessment_new"), assessment(tree, region=tree.village.code)
        )
        assert created.status_code == 403
    login(client, outsider)
    with no_trace(StabilityAssessment, RiskPoint):
        assert client.post(reverse("patrols:assessment_new"), assessment(tree)).status_code == 404
        assert client.get(reverse("patrols:assessment", args=[a.pk])).status_code == 404
        assert client.post(reverse("patrols:assessment", args=[a.pk]), decide).status_code == 404
    a.refresh_from_db()
    assert a.decision == ""


def test_a_village_reader_cannot_decide(client, director, make_actor, tree):
    login(client, director)
    client.post(reverse("patrols:assessment_new"), assessment(tree, region=tree.village.code))
    a = StabilityAssessment.objects.get()
    client.force_login(make_actor(Role.MEDIATOR, tree.village_committee))
    page = client.get(reverse("patrols:assessment", args=[a.pk]))
    assert page.status_code == 200
    assert 'id="assessment-decide"' not in page.text
    with no_trace(StabilityAssessment):
        resp = client.post(
            reverse("patrols:assessment", args=[a.pk]),
            {"decision": "postpone", "note": "", "followup": ""},
        )
    assert resp.status_code == 403
    a.refresh_from_db()
    assert a.decision == ""


# --- meetings ---------------------------------------------------------------------------------


def meeting(tree: Tree, **overrides: str) -> dict[str, str]:
    values = {
        "region": tree.township.code,
        "cadence": "half_month",
        "title": "静河镇十一月下半月调度会",
        "held_on": "2026-11-20",
        "attendees": "镇综治中心、司法所、派出所",
        "minutes": "研判重点矛盾纠纷",
        "case_numbers": "",
    }
    return values | overrides


@pytest.fixture
def outside_case(make_actor, tree, register_case) -> Case:
    clerk = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    return register_case(
        actor=clerk,
        org=tree.other_township_centre,
        region=tree.other_township_village,
        title="石塘村山林权属纠纷",
    )


def test_director_records_a_meeting_with_cases_on_the_agenda(client, director, tree, register_case):
    case = register_case()
    login(client, director)
    assert "记录会议" in client.get(reverse("patrols:meetings")).text
    resp = client.post(reverse("patrols:meeting_new"), meeting(tree, case_numbers=case.number))
    m = Meeting.objects.get()
    assert resp.status_code == 302
    assert resp["Location"] == reverse("patrols:meeting", args=[m.pk])
    assert (m.cadence, m.held_on, m.created_by) == ("half_month", date(2026, 11, 20), director)
    assert list(m.agenda_cases.all()) == [case]
    created = AuditEntry.objects.get(
        target_type=ContentType.objects.get_for_model(Meeting), target_id=str(m.pk)
    )
    assert created.extra == {"cases": [case.number]}
    page = client.get(resp["Location"]).text
    assert case.number in page
    assert "半月调度会" in page


def test_meeting_errors_are_chinese_and_a_case_out_of_sight_is_not_named(
    client, director, tree, outside_case
):
    login(client, director)
    with no_trace(Meeting):
        resp = client.post(
            reverse("patrols:meeting_new"),
            meeting(tree, title="", case_numbers=f"{outside_case.number}"),
        )
    assert resp.status_code == 422
    assert "未找到您有权查看的案件" in resp.text
    assert outside_case.title not in resp.text
    assert "研判重点矛盾纠纷" in resp.text  # the minutes typed are kept
    with no_trace(Meeting):
        resp = client.post(reverse("patrols:meeting_new"), meeting(tree, title=""))
    assert resp.status_code == 422
    assert "请填写标题。" in resp.text


def test_meetings_need_the_role_and_the_jurisdiction(client, village_mediator, outsider, tree):
    login(client, village_mediator)
    assert client.get(reverse("patrols:meeting_new")).status_code == 403
    with no_trace(Meeting):
        resp = client.post(reverse("patrols:meeting_new"), meeting(tree, region=tree.village.code))
    assert resp.status_code == 403
    login(client, outsider)
    with no_trace(Meeting):
        assert client.post(reverse("patrols:meeting_new"), meeting(tree)).status_code == 404


@pytest.fixture
def recorded(director, tree) -> Meeting:
    return meetings.meeting_record(
        actor=director,
        draft=meetings.MeetingDraft(
            region=tree.township.code,
            cadence="half_month",
            title="调度会",
            held_on=TODAY,
            attendees="镇综治中心",
        ),
    )


def htmx_post(client: Client, url: str, data: dict[str, str]):
    return client.post(url, data, headers={"HX-Request": "true"})


def test_tasks_are_added_with_htmx_and_overdue_ones_are_marked(
    client, director, village_mediator, recorded
):
    login(client, director)
    url = reverse("patrols:task_add", args=[recorded.pk])
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    resp = htmx_post(
        client,
        url,
        {
            "decision": "督促包工头支付工资",
            "owner_id": str(village_mediator.pk),
            "due_on": yesterday,
        },
    )
    assert resp.status_code == 200
    assert resp.text.startswith('<section class="card" id="tasks">')  # the partial, swapped in
    task = MeetingTask.objects.get()
    assert (task.meeting, task.owner, task.due_on) == (
        recorded,
        village_mediator,
        TODAY - timedelta(days=1),
    )
    assert "督促包工头支付工资" in resp.text
    assert "已超期" in resp.text
    page = client.get(reverse("patrols:meeting", args=[recorded.pk])).text
    assert "已超期" in page
    assert "已超期" in client.get(reverse("patrols:meetings")).text


def test_task_errors_are_chinese_and_store_nothing(client, director, recorded):
    login(client, director)
    with no_trace(MeetingTask):
        resp = htmx_post(
            client,
            reverse("patrols:task_add", args=[recorded.pk]),
            {"decision": "回访当事人", "owner_id": "", "due_on": ""},
        )
    assert resp.status_code == 422
    assert "请选择责任人。" in resp.text
    assert "请填写完成时限。" in resp.text
    assert "回访当事人" in resp.text
    with no_trace(MeetingTask):  # without htmx: the whole page, same errors
        resp = client.post(
            reverse("patrols:task_add", args=[recorded.pk]),
            {"decision": "", "owner_id": "", "due_on": "2026-02-30"},
        )
    assert resp.status_code == 422
    assert "<h1>调度会</h1>" in resp.text


def test_tasks_need_the_role_and_the_jurisdiction(
    client, village_mediator, reader, outsider, recorded
):
    data = {"decision": "回访", "owner_id": str(village_mediator.pk), "due_on": "2026-12-01"}
    url = reverse("patrols:task_add", args=[recorded.pk])
    login(client, reader)
    assert 'id="task-add"' not in client.get(reverse("patrols:meeting", args=[recorded.pk])).text
    with no_trace(MeetingTask):
        assert htmx_post(client, url, data).status_code == 403
    login(client, outsider)
    with no_trace(MeetingTask):
        assert htmx_post(client, url, data).status_code == 404
        assert client.get(reverse("patrols:meeting", args=[recorded.pk])).status_code == 404


def test_the_owner_marks_a_task_done(client, director, village_mediator, recorded):
    task = meetings.meeting_task_add(
        actor=director,
        meeting_id=recorded.pk,
        decision="回访当事人",
        owner_id=village_mediator.pk,
        due_on=TODAY,
    )
    login(client, village_mediator)
    mine = client.get(reverse("patrols:meetings")).text
    assert "回访当事人" in mine
    url = reverse("patrols:task_done", args=[recorded.pk, task.pk])
    assert url in mine
    resp = client.post(url, {"back": "list"})
    assert resp.status_code == 302
    assert resp["Location"] == reverse("patrols:meetings")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.done_at is not None
    assert AuditEntry.objects.filter(target_id=str(task.pk), action="record.changed").count() == 1


def test_a_supervisor_marks_a_task_done_with_htmx(client, director, village_mediator, recorded):
    task = meetings.meeting_task_add(
        actor=director,
        meeting_id=recorded.pk,
        decision="回访当事人",
        owner_id=village_mediator.pk,
        due_on=TODAY - timedelta(days=3),
    )
    login(client, director)
    resp = htmx_post(client, reverse("patrols:task_done", args=[recorded.pk, task.pk]), {})
    assert resp.status_code == 200
    assert "已办结" in resp.text
    assert "已超期" not in resp.text
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_others_cannot_mark_a_task_done(client, director, village_mediator, reader, outsider):
    recorded = meetings.meeting_record(
        actor=director,
        draft=meetings.MeetingDraft(
            region=director.memberships.get().region.code,
            cadence="monthly",
            title="月度例会",
            held_on=TODAY,
            attendees="领导小组成员",
        ),
    )
    task = meetings.meeting_task_add(
        actor=director,
        meeting_id=recorded.pk,
        decision="回访当事人",
        owner_id=village_mediator.pk,
        due_on=TODAY,
    )
    url = reverse("patrols:task_done", args=[recorded.pk, task.pk])
    login(client, reader)
    with no_trace(MeetingTask):
        assert htmx_post(client, url, {}).status_code == 403
    login(client, outsider)
    with no_trace(MeetingTask):
        assert client.post(url, {}).status_code == 404
    # a task id under another meeting's URL is not found either
    login(client, director)
    with no_trace(MeetingTask):
        assert client.post(reverse("patrols:task_done", args=[999999, task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_the_index_links_to_every_page(client, director):
    login(client, director)
    index = client.get(reverse("patrols:index")).text
    for name in ("hazards", "periods", "assessments", "meetings"):
        assert reverse(f"patrols:{name}") in index
    for name in ("patrols:assessment_new", "patrols:meeting_new", "patrols:periods"):
        assert client.get(reverse(name)).status_code == 200


def test_meeting_pages_cost_the_same_however_many_tasks(
    client, director, village_mediator, recorded
):
    def add_tasks(n: int) -> None:
        for _ in range(n):
            meetings.meeting_task_add(
                actor=director,
                meeting_id=recorded.pk,
                decision="回访",
                owner_id=village_mediator.pk,
                due_on=TODAY - timedelta(days=1),
            )

    def cost() -> list[int]:
        counts = []
        for url in (reverse("patrols:meeting", args=[recorded.pk]), reverse("patrols:meetings")):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    login(client, director)
    add_tasks(1)
    cost()  # warm the session and the per-process caches
    one = cost()
    add_tasks(4)
    assert cost() == one
