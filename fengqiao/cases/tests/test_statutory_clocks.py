"""Statutory clocks are law, not defaults (issue #14 item 5): 交办 may shorten a statutory
limit, never lengthen it; only the law's own extension moves it (信访: once, ≤ 30 days, the
信访 organ's approval; court 委派/委托: the parties' written consent, within 30 days); the 信访
60 days run from 受理; a last day on a holiday moves to the next working day (民法典 art.203);
a city sets its own 12345 limit."""

import io
from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone, translation

from fengqiao.cases import attachments, workflow
from fengqiao.cases.choices import CaseStatus, DeadlineStage, EventKind
from fengqiao.cases.models import Case, CaseDeadline, CaseEvent, DeadlinePolicy
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.calendar import roll_forward
from fengqiao.core.exceptions import InvalidInput, TransitionBlocked
from fengqiao.core.models import CalendarDay

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def go(actor, case, name, **values):
    return case_transition(actor=actor, case_id=case.pk, name=name, action=ActionInput(**values))


def assign(actor, case, tree, mediator, due):
    return go(
        actor,
        case,
        "assign",
        org_id=tree.village_committee.pk,
        assignee_id=mediator.pk,
        due_date=due,
        note="交办",
    )


def last_transition(case) -> dict:
    return CaseEvent.objects.filter(case=case, kind=EventKind.TRANSITIONED).latest("seq").data


@pytest.fixture
def petition(register_case, township_clerk):
    case = register_case(channel="petition")
    return go(township_clerk, case, "accept", note="予以受理")


@pytest.fixture
def simple_court_case(register_case, township_clerk):
    case = register_case(channel="court", procedure="entrusted_simple")
    return go(township_clerk, case, "accept", note="接收委托")


def consent_document(case):
    f = io.BytesIO(PDF)
    f.name = "双方同意延长调解期限.pdf"
    return attachments.attachment_add(case=case, upload=f, source="staff")


# finding: an intake clerk set a 信访 case's 60 days to 400 at 交办
def test_assignment_cannot_lengthen_the_petition_limit(
    petition, tree, township_clerk, village_mediator
):
    latest = roll_forward(timezone.localdate() + timedelta(days=60))
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        assign(
            township_clerk,
            petition,
            tree,
            village_mediator,
            timezone.localdate() + timedelta(days=400),
        )
    assert list(raised.value.errors) == ["due_date"]
    message = raised.value.errors["due_date"][0]
    assert "法定期限" in message
    assert latest.isoformat() in message
    assert "第三十四条" in message
    petition.refresh_from_db()
    assert (petition.status, petition.due_date) == (CaseStatus.ACCEPTED, latest)


def test_assignment_may_shorten_a_statutory_limit(petition, tree, township_clerk, village_mediator):
    shorter = timezone.localdate() + timedelta(days=20)
    case = assign(township_clerk, petition, tree, village_mediator, shorter)
    assert case.due_date == shorter
    assert CaseDeadline.objects.get(case=case, stage=DeadlineStage.HANDLING).due_date == shorter
    assert (
        last_transition(case)["limit_date"]
        == roll_forward(timezone.localdate() + timedelta(days=60)).isoformat()
    )


# finding: a court 委托(简易) case went from 7 days to 90 at 交办
def test_a_simple_procedure_court_case_keeps_its_seven_days(
    simple_court_case, tree, township_clerk, village_mediator
):
    seven = roll_forward(timezone.localdate() + timedelta(days=7))
    assert simple_court_case.due_date == seven
    with pytest.raises(InvalidInput) as raised:
        assign(
            township_clerk,
            simple_court_case,
            tree,
            village_mediator,
            timezone.localdate() + timedelta(days=90),
        )
    assert list(raised.value.errors) == ["due_date"]
    assert (
        assign(township_clerk, simple_court_case, tree, village_mediator, seven).due_date == seven
    )


# finding: … then to 500 by an "extension", with no record that the parties agreed
def test_a_court_extension_needs_the_parties_consent_document_and_stays_within_the_cap(
    simple_court_case, township_clerk
):
    case = simple_court_case
    seven = case.due_date
    with pytest.raises(InvalidInput) as raised:
        go(
            township_clerk,
            case,
            "extend_deadline",
            due_date=seven + timedelta(days=500),
            note="案情复杂",
        )
    assert list(raised.value.errors) == ["due_date"]
    with pytest.raises(InvalidInput) as raised:
        go(
            township_clerk,
            case,
            "extend_deadline",
            due_date=seven + timedelta(days=10),
            note="双方同意延长",
        )
    assert list(raised.value.errors) == ["consent_document"]
    case.refresh_from_db()
    assert case.due_date == seven

    document = consent_document(case)
    longer = roll_forward(seven + timedelta(days=10))
    extended = go(
        township_clerk,
        case,
        "extend_deadline",
        due_date=longer,
        note="双方当事人书面同意延长十日",
        consent_document=document.pk,
    )
    assert extended.due_date == longer
    data = last_transition(case)
    assert data["note"] == "双方当事人书面同意延长十日"
    assert data["consent_document"]["sha256"] == document.sha256
    assert 0 < data["extension_days"] <= 10  # the fewest days that reach the new date
    # the agreed extensions together stay within 30 days (SPC 2025 opinion item 3)
    with pytest.raises(InvalidInput) as raised:
        go(
            township_clerk,
            case,
            "extend_deadline",
            due_date=longer + timedelta(days=25),
            note="再次延长",
            consent_document=document.pk,
        )
    assert list(raised.value.errors) == ["due_date"]


def test_a_request_for_more_time_cannot_ask_past_the_law(simple_court_case, make_actor, tree):
    from fengqiao.accounts.roles import Role

    mediator = make_actor(Role.MEDIATOR, tree.township_centre)
    with pytest.raises(InvalidInput) as raised:
        go(
            mediator,
            simple_court_case,
            "request_extension",
            due_date=simple_court_case.due_date + timedelta(days=90),
            note="需要更多时间",
        )
    assert list(raised.value.errors) == ["due_date"]
    simple_court_case.refresh_from_db()
    assert simple_court_case.extension_requested_until is None


def test_a_petition_extension_is_once_within_30_days_with_the_organs_approval(
    petition, township_clerk
):
    sixty = petition.due_date
    with pytest.raises(InvalidInput) as raised:
        go(
            township_clerk,
            petition,
            "extend_deadline",
            due_date=sixty + timedelta(days=20),
            note="情况复杂",
        )
    assert list(raised.value.errors) == ["approval_ref"]
    with pytest.raises(InvalidInput) as raised:
        go(
            township_clerk,
            petition,
            "extend_deadline",
            due_date=sixty + timedelta(days=45),
            note="情况复杂",
            approval_ref="湘阴县信访局 吴丽华批准",
        )
    assert list(raised.value.errors) == ["due_date"]
    longer = roll_forward(sixty + timedelta(days=20))
    case = go(
        township_clerk,
        petition,
        "extend_deadline",
        due_date=longer,
        note="涉及多个部门，需会商，延期二十日并告知信访人",
        approval_ref="湘阴县信访局 吴丽华批准",
    )
    assert case.due_date == longer
    data = last_transition(case)
    assert data["approval_ref"] == "湘阴县信访局 吴丽华批准"
    assert data["note"].startswith("涉及多个部门")
    with pytest.raises(InvalidInput) as raised:  # once only, even within the 30 days
        go(
            township_clerk,
            petition,
            "extend_deadline",
            due_date=longer + timedelta(days=5),
            note="再延",
            approval_ref="批准",
        )
    assert list(raised.value.errors) == ["due_date"]


# finding: the 信访 60 days run from arrival, not 受理
def test_the_petition_clock_starts_at_acceptance(register_case, township_clerk):
    arrived = timezone.localdate()
    case = register_case(channel="petition")
    notice = CaseDeadline.objects.get(case=case, stage=DeadlineStage.PETITION_NOTICE)
    assert notice.due_date == roll_forward(arrived + timedelta(days=15))
    assert case.due_date == notice.due_date  # until 受理 the notice is what is due
    assert not CaseDeadline.objects.filter(case=case, stage=DeadlineStage.HANDLING).exists()

    ten_days_later = timezone.now() + timedelta(days=10)
    with mock.patch("django.utils.timezone.now", return_value=ten_days_later):
        accepted = go(township_clerk, case, "accept", note="予以受理")
    accepted_on = timezone.localdate(ten_days_later)
    assert accepted.due_date == roll_forward(accepted_on + timedelta(days=60))
    assert accepted.due_date > roll_forward(arrived + timedelta(days=60))
    handling = CaseDeadline.objects.get(case=case, stage=DeadlineStage.HANDLING)
    assert handling.started_on == accepted_on
    notice.refresh_from_db()
    assert notice.met_on == accepted_on
    data = last_transition(case)
    assert data["limit"]["basis"].startswith("信访工作条例第三十四条")
    assert data["notice"]["met_on"] == accepted_on.isoformat()


# finding: a last day on a holiday is not moved (民法典 art.203)
def test_a_last_day_on_a_holiday_moves_to_the_next_working_day(register_case):
    today = timezone.localdate()
    thirtieth = today + timedelta(days=30)
    holiday = [thirtieth + timedelta(days=n) for n in range(3)]
    for day in holiday:
        CalendarDay.objects.create(date=day, is_workday=False, name="测试假日")
    after = holiday[-1] + timedelta(days=1)
    expected = roll_forward(after)
    assert expected not in holiday
    assert register_case().due_date == expected
    court = register_case(channel="court", procedure="delegated")
    assert court.due_date == expected


def test_a_working_saturday_is_a_working_day(tree):
    saturday = date(2026, 10, 10)
    assert saturday.weekday() == 5
    assert roll_forward(saturday) == date(2026, 10, 12)
    CalendarDay.objects.create(date=saturday, is_workday=True, name="调休上班")
    assert roll_forward(saturday) == saturday


def test_a_limit_the_source_sets_cannot_pass_the_statutory_one(register_case):
    with pytest.raises(InvalidInput) as raised:
        register_case(
            channel="court",
            procedure="entrusted_simple",
            due_date=timezone.localdate() + timedelta(days=90),
        )
    assert list(raised.value.errors) == ["due_date"]
    assert not Case.objects.exists()


def test_a_limit_that_is_not_statutory_keeps_its_old_rules(
    register_case, township_clerk, tree, village_mediator
):
    case = go(township_clerk, register_case(), "accept")
    far = timezone.localdate() + timedelta(days=200)
    assert assign(township_clerk, case, tree, village_mediator, far).due_date == far
    assert not CaseDeadline.objects.filter(case=case).exists()


def test_pausing_gives_the_days_back_to_the_statutory_limit(simple_court_case, township_clerk):
    case = simple_court_case
    go(township_clerk, case, "pause_deadline", note="等待鉴定")
    Case.objects.filter(pk=case.pk).update(deadline_paused_at=timezone.now() - timedelta(days=5))
    resumed = go(township_clerk, case, "resume_deadline")
    handling = CaseDeadline.objects.get(case=case, stage=DeadlineStage.HANDLING)
    assert handling.paused_days == 5
    assert (
        resumed.due_date
        == handling.limit_date
        == roll_forward(timezone.localdate() + timedelta(days=12))
    )


def test_reopening_restarts_the_same_law(simple_court_case, township_clerk):
    case = simple_court_case
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, outcome="terminated")
    reopened = go(township_clerk, case, "reopen", note="当事人申请重新调解")
    assert reopened.due_date == roll_forward(timezone.localdate() + timedelta(days=7))


def test_policies_cite_the_law_they_state(tree):
    statutory = DeadlinePolicy.objects.filter(statutory=True)
    assert {(p.channel, p.procedure, p.days) for p in statutory} == {
        ("court", "", 30),
        ("court", "delegated", 30),
        ("court", "entrusted_ordinary", 15),
        ("court", "entrusted_simple", 7),
        ("petition", "", 60),
    }
    assert all(p.basis for p in statutory)


def test_a_city_sets_its_own_12345_limit(register_case, tree):
    city = tree.county.parent
    DeadlinePolicy.objects.create(
        channel="hotline_12345",
        region=city,
        days=3,
        working_days=True,
        basis="某市规定：三个工作日",
    )
    from fengqiao.core.calendar import add_days

    assert register_case(channel="hotline_12345").due_date == add_days(
        timezone.localdate(), 3, working=True
    )


def test_the_case_page_shows_each_statutory_limit_with_its_citation(
    petition, township_clerk, client
):
    from django.urls import reverse

    client.force_login(township_clerk)
    page = client.get(reverse("cases:detail", args=[petition.pk])).content.decode()
    assert "信访工作条例第三十四条" in page  # the handling limit, from 受理
    assert "信访工作条例第二十三条" in page  # the notice stage, done at 受理
    assert petition.due_date.isoformat() in page


def test_the_petition_stages_each_run_their_own_limit(petition, township_clerk):
    today = timezone.localdate()
    offered = {t.name for t, _ in workflow.available(petition, actor=township_clerk)}
    assert "petition_opinion" in offered
    assert "petition_review_request" not in offered  # no written reply yet
    go(township_clerk, petition, "petition_opinion", note="支持信访人的合理诉求（第三十二条）")
    handling = CaseDeadline.objects.get(case=petition, stage=DeadlineStage.HANDLING)
    assert handling.met_on == today
    assert last_transition(petition)["on_time"] is True

    go(township_clerk, petition, "petition_review_request", note="信访人不服，请求复查")
    review = CaseDeadline.objects.get(case=petition, stage=DeadlineStage.PETITION_REVIEW)
    assert review.due_date == roll_forward(today + timedelta(days=30))
    assert "第三十五条" in review.basis
    go(township_clerk, petition, "petition_review_reply", note="维持原处理意见")
    go(township_clerk, petition, "petition_rereview_request", note="请求复核")
    rereview = CaseDeadline.objects.get(case=petition, stage=DeadlineStage.PETITION_REREVIEW)
    assert rereview.due_date == roll_forward(today + timedelta(days=30))
    go(township_clerk, petition, "petition_rereview_reply", note="复核维持")
    rereview.refresh_from_db()
    assert rereview.met_on == today
    with pytest.raises(TransitionBlocked):  # after 复核 the same matter is not reviewed again
        go(township_clerk, petition, "petition_rereview_request", note="再次请求")


def test_a_review_asked_for_after_30_days_is_refused(petition, township_clerk):
    go(township_clerk, petition, "petition_opinion", note="不予支持")
    later = timezone.now() + timedelta(days=45)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        pytest.raises(TransitionBlocked),
    ):
        go(township_clerk, petition, "petition_review_request", note="逾期请求复查")
    assert not CaseDeadline.objects.filter(
        case=petition, stage=DeadlineStage.PETITION_REVIEW
    ).exists()


def test_the_petition_stages_are_not_offered_on_other_cases(simple_court_case, township_clerk):
    offered = {t.name for t, _ in workflow.available(simple_court_case, actor=township_clerk)}
    assert not {n for n in offered if n.startswith("petition_")}
