"""The citizen portal end to end through the views: apply with a verification code, one case per
tracking code, field errors in Chinese with nothing stored, code limits, and a tracking page that
shows only public milestones."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.cases.choices import Channel, PartyRole
from fengqiao.cases.models import Attachment, Case, CaseEvent
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.intake.models import IntakeSubmission
from fengqiao.notifications import sms
from fengqiao.portal import services
from fengqiao.portal.models import PortalApplication, PortalOutcomeRating, VerificationCode
from fengqiao.portal.tests.conftest import CONSENTED

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PHONE = "13912345678"


@pytest.fixture
def ask_code(client, django_capture_on_commit_callbacks):
    def ask(phone: str = PHONE, purpose: str = "apply", ip: str = "10.0.0.1"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("portal:code"),
                {"phone": phone, "purpose": purpose, **CONSENTED},
                REMOTE_ADDR=ip,
            )

    return ask


def _form(tree, token: str, code: str, **overrides):
    values = {
        "token": services.tracking_code_sign(token),
        "township": tree.township.code,
        "village": tree.village.code,
        "what_happened": "邻居王五在我家宅基地边上砌墙，占了我家半米地。",
        "request": "请求拆除围墙，恢复原状。",
        "other_party_name": "王五",
        "other_party_phone": "",
        "name": "赵六",
        "phone": PHONE,
        "id_number": "",
        "code": code,
        **CONSENTED,
    }
    values.update(overrides)
    return values


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    def post(data, files=()):
        payload = dict(data)
        if files:
            payload["files"] = list(files)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("portal:apply"), payload)

    return post


def _token(client) -> str:
    response = client.get(reverse("portal:apply"))
    assert response.status_code == 200
    return response.context["values"]["token"]


def test_the_form_lists_only_townships_with_an_online_endpoint(client, tree, online_endpoint):
    response = client.get(reverse("portal:apply"))
    assert [t.code for t in response.context["townships"]] == [tree.township.code]
    token = response.context["values"]["token"]
    assert services.tracking_code_is_wellformed(token)
    assert not set(token) & set("0O1I")
    assert "在线申请调解" in response.content.decode()


def test_valid_application_registers_one_case_and_tracking_works(
    client, tree, online_endpoint, outbox, ask_code, submit
):
    token = _token(client)
    assert ask_code().status_code == 200
    code = outbox.last_code()
    photo = io.BytesIO(PNG)
    photo.name = "现场.png"
    response = submit(_form(tree, token, code), files=[photo])
    assert response.status_code == 200, response.context.get("errors")
    assert token in response.content.decode()
    case = Case.objects.get(channel=Channel.ONLINE, source_ref=token)
    assert case.registering_org == tree.township_centre
    assert case.region == tree.village
    assert case.claims == "请求拆除围墙，恢复原状。"
    assert {p.role for p in case.parties.all()} == {PartyRole.APPLICANT, PartyRole.RESPONDENT}
    attachment = Attachment.objects.get(case=case)
    assert attachment.source == "portal"
    assert attachment.content_type == "image/png"
    application = PortalApplication.objects.get(tracking_code=token)
    assert application.case == case
    assert outbox[-1][0] == PHONE
    assert token in outbox[-1][1]

    # the same browser sees its progress right away; another one needs the phone and a code
    progress = client.get(reverse("portal:progress", args=[token]))
    assert progress.status_code == 200
    assert "已收到" in progress.content.decode()

    other = type(client)()
    assert other.get(reverse("portal:progress", args=[token])).status_code == 302


def test_double_submit_makes_one_case(client, tree, online_endpoint, outbox, ask_code, submit):
    token = _token(client)
    ask_code()
    code = outbox.last_code()
    first = submit(_form(tree, token, code))
    again = submit(_form(tree, token, code))
    assert first.status_code == again.status_code == 200
    assert Case.objects.filter(source_ref=token).count() == 1
    assert PortalApplication.objects.count() == 1
    assert token in again.content.decode()


def test_malformed_input_gives_chinese_field_errors_and_stores_nothing(
    client, tree, online_endpoint, outbox, ask_code, submit
):
    token = _token(client)
    ask_code()
    code = outbox.last_code()
    response = submit(
        _form(tree, token, code, what_happened="", name="", phone="123", id_number="123")
    )
    assert response.status_code == 422
    errors = response.context["errors"]
    assert {"what_happened", "name", "phone"} <= set(errors)
    assert "请" in response.content.decode()
    assert Case.objects.count() == 0
    assert PortalApplication.objects.count() == 0
    # the code was not used up: a corrected form goes through with it
    again = submit(_form(tree, token, code, id_number="123"))
    assert again.status_code == 422
    assert "id_number" in again.context["errors"]
    assert Case.objects.count() == 0
    ok = submit(_form(tree, token, code))
    assert ok.status_code == 200
    assert Case.objects.count() == 1


def test_a_bad_file_stops_the_application(client, tree, online_endpoint, outbox, ask_code, submit):
    token = _token(client)
    ask_code()
    script = io.BytesIO(b"<svg onload=alert(1)></svg>")
    script.name = "photo.jpg"
    response = submit(_form(tree, token, outbox.last_code()), files=[script])
    assert response.status_code == 422
    assert "photo.jpg" in response.context["errors"]["files"][0]
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert response.context["values"]["what_happened"].startswith("邻居王五")


def test_unknown_township_or_village(client, tree, online_endpoint, outbox, ask_code, submit):
    token = _token(client)
    ask_code()
    code = outbox.last_code()
    response = submit(_form(tree, token, code, township=tree.other_township.code))
    assert response.status_code == 422
    assert "township" in response.context["errors"]
    response = submit(_form(tree, token, code, township="999999999000"))
    assert "township" in response.context["errors"]
    response = submit(_form(tree, token, code, village=tree.other_township_village.code))
    assert response.status_code == 422
    assert "village" in response.context["errors"]
    assert Case.objects.count() == 0


def test_wrong_code_five_times_locks_it(client, tree, online_endpoint, outbox, ask_code, submit):
    token = _token(client)
    ask_code()
    code = outbox.last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        response = submit(_form(tree, token, wrong))
        assert response.status_code == 422
        assert "code" in response.context["errors"]
    response = submit(_form(tree, token, code))
    assert response.status_code == 422
    assert "锁定" in response.context["errors"]["code"][0]
    assert Case.objects.count() == 0


def test_expired_code(client, tree, online_endpoint, outbox, ask_code, submit):
    token = _token(client)
    ask_code()
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = submit(_form(tree, token, outbox.last_code()))
    assert response.status_code == 422
    assert "过期" in response.context["errors"]["code"][0]
    assert Case.objects.count() == 0


def test_codes_are_stored_hashed(tree, outbox, ask_code):
    ask_code()
    row = VerificationCode.objects.get()
    assert outbox.last_code() not in row.code_hash
    assert row.expires_at - row.created_at == timedelta(minutes=10)


def test_resend_is_rate_limited(tree, outbox, ask_code, settings):
    assert ask_code().status_code == 200
    again = ask_code()
    assert again.status_code == 429
    assert "请" in again.content.decode()
    assert len(outbox) == 1
    settings.FENGQIAO_PORTAL_CODES_PER_IP_HOUR = 2
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert ask_code(phone="13900000001").status_code == 200
    limited = ask_code(phone="13900000002")
    assert limited.status_code == 429
    assert "小时" in limited.content.decode()
    assert ask_code(phone="13900000003", ip="10.0.0.9").status_code == 200


def test_code_for_a_bad_phone(tree, ask_code):
    response = ask_code(phone="12")
    assert response.status_code == 422
    assert VerificationCode.objects.count() == 0


def _apply(client, tree, outbox, ask_code, submit) -> PortalApplication:
    token = _token(client)
    ask_code()
    response = submit(_form(tree, token, outbox.last_code()))
    assert response.status_code == 200
    return PortalApplication.objects.get(tracking_code=token)


def test_tracking_needs_the_phone_and_a_fresh_code(
    client, tree, online_endpoint, outbox, ask_code, submit, django_capture_on_commit_callbacks
):
    application = _apply(client, tree, outbox, ask_code, submit)
    stranger = type(client)()
    wrong_phone = stranger.post(
        reverse("portal:track"),
        {"tracking_code": application.tracking_code, "phone": "13700000000", "code": "123456"},
    )
    assert wrong_phone.status_code == 422
    assert set(wrong_phone.context["errors"]) == {"code"}  # nothing said about the pair
    # the apply code does not open the tracking page: a "track" code is needed
    no_code = stranger.post(
        reverse("portal:track"),
        {"tracking_code": application.tracking_code, "phone": PHONE, "code": outbox.last_code()},
    )
    assert no_code.status_code == 422
    assert "code" in no_code.context["errors"]
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        sent = stranger.post(reverse("portal:code"), {"phone": PHONE, "purpose": "track"})
    assert sent.status_code == 200
    opened = stranger.post(
        reverse("portal:track"),
        {
            "tracking_code": application.tracking_code.lower(),
            "phone": PHONE,
            "code": outbox.last_code(),
        },
    )
    assert opened.status_code == 302
    page = stranger.get(opened["Location"])
    assert page.status_code == 200
    assert application.case.number in page.content.decode()
    # a phone that verified its own code still cannot open someone else's tracking code
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    intruder = type(client)()
    with django_capture_on_commit_callbacks(execute=True):
        intruder.post(reverse("portal:code"), {"phone": "13700000000", "purpose": "track"})
    refused = intruder.post(
        reverse("portal:track"),
        {
            "tracking_code": application.tracking_code,
            "phone": "13700000000",
            "code": outbox.last_code(),
        },
    )
    assert refused.status_code == 422
    assert "tracking_code" in refused.context["errors"]


def test_progress_page_shows_public_milestones_only(
    client, tree, online_endpoint, outbox, ask_code, submit, township_clerk
):
    application = _apply(client, tree, outbox, ask_code, submit)
    case = application.case
    case_transition(
        actor=township_clerk,
        case_id=case.pk,
        name="accept",
        action=ActionInput(note="内部备注：当事人情绪激动"),
    )
    page = client.get(reverse("portal:progress", args=[application.tracking_code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "静河镇矛调中心" in text
    assert "内部备注" not in text
    assert township_clerk.full_name not in text
    assert township_clerk.username not in text
    assert "王五" not in text  # the other party's data stays inside
    notes = [e.data.get("note", "") for e in CaseEvent.objects.filter(case=case)]
    assert any("内部备注" in note for note in notes)  # it is there, only not shown


def test_citizen_adds_evidence_while_open_and_rates_the_outcome(
    client, tree, online_endpoint, outbox, ask_code, submit
):
    application = _apply(client, tree, outbox, ask_code, submit)
    photo = io.BytesIO(PNG)
    photo.name = "收据.png"
    with_file = client.post(
        reverse("portal:evidence", args=[application.tracking_code]), {"files": [photo]}
    )
    assert with_file.status_code == 200
    assert Attachment.objects.filter(case=application.case, source="portal").count() == 1
    early = client.post(
        reverse("portal:rate", args=[application.tracking_code]), {"rating": "satisfied"}
    )
    assert early.status_code == 422
    assert PortalOutcomeRating.objects.count() == 0
    Case.objects.filter(pk=application.case_id).update(outcome="resolved", status="resolved")
    rated = client.post(
        reverse("portal:rate", args=[application.tracking_code]),
        {"rating": "fairly_satisfied", "comment": "还行"},
    )
    assert rated.status_code == 200
    assert PortalOutcomeRating.objects.get().rating == "fairly_satisfied"
    twice = client.post(
        reverse("portal:rate", args=[application.tracking_code]), {"rating": "satisfied"}
    )
    assert twice.status_code == 422
    assert PortalOutcomeRating.objects.count() == 1
    closed = client.post(
        reverse("portal:evidence", args=[application.tracking_code]), {"files": [photo]}
    )
    assert closed.status_code == 422


def test_the_rating_reaches_the_satisfaction_rate_through_the_case_timeline(
    client, tree, online_endpoint, outbox, ask_code, submit
):
    """Issue #13: the 回访满意率 ignored the portal ratings. The rating is appended to the case's
    timeline in the 回访's words (fairly_satisfied → fairly), by the portal's service account,
    and the figure counts the case from it; a refused second rating appends nothing."""
    from fengqiao.cases.choices import EventKind
    from fengqiao.kpi import selectors
    from fengqiao.kpi.definitions import BY_CODE
    from fengqiao.kpi.periods import Period

    application = _apply(client, tree, outbox, ask_code, submit)
    Case.objects.filter(pk=application.case_id).update(outcome="resolved", status="resolved")
    rate = reverse("portal:rate", args=[application.tracking_code])
    assert client.post(rate, {"rating": "fairly_satisfied"}).status_code == 200
    assert client.post(rate, {"rating": "dissatisfied"}).status_code == 422
    rated = CaseEvent.objects.get(case=application.case, kind=EventKind.OUTCOME_RATED)
    row = PortalOutcomeRating.objects.get()
    assert rated.data == {"rating": row.pk, "satisfaction": "fairly", "outcome": "resolved"}
    assert rated.actor_id == online_endpoint.service_user_id
    today = timezone.localdate()
    year = Period(today.replace(month=1, day=1), today.replace(month=12, day=31))
    figure = selectors.compute(BY_CODE["satisfaction_rate"], tree.township, year)
    assert (figure.numerator_total, figure.denominator_total) == (1, 1)


def test_submission_is_kept_and_the_channel_sees_it(
    client, tree, online_endpoint, outbox, ask_code, submit
):
    application = _apply(client, tree, outbox, ask_code, submit)
    submission = IntakeSubmission.objects.get(case=application.case)
    assert submission.channel == Channel.ONLINE
    assert submission.source_ref == application.tracking_code


class FailingGateway(sms.BaseBackend):
    """An SMS gateway that is down: it records what it was asked to send, then refuses."""

    delivered: list[tuple[str, str]] = []

    def send(self, phone: str, text: str, **_provider: object) -> None:
        FailingGateway.delivered.append((phone, text))
        raise sms.SmsError("gateway down")


def test_a_failing_sms_gateway_does_not_lose_the_request(
    client, tree, online_endpoint, settings, django_capture_on_commit_callbacks
):
    FailingGateway.delivered = []
    settings.FENGQIAO_SMS_BACKEND = f"{__name__}.FailingGateway"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:code"), {"phone": PHONE, "purpose": "apply", **CONSENTED}
        )
    assert response.status_code == 200
    assert FailingGateway.delivered[0][0] == PHONE  # the real sender got the plain number
    assert VerificationCode.objects.count() == 1


def test_a_merged_application_follows_its_primary_case(
    client, tree, online_endpoint, outbox, ask_code, submit, township_clerk, register_case
):
    """Issue #21: after 并案 the tracking page said "案件已办结" and asked for a rating while the
    primary case was only registered."""
    application = _apply(client, tree, outbox, ask_code, submit)
    primary = register_case()
    case_transition(
        actor=township_clerk,
        case_id=application.case.pk,
        name="merge",
        action=ActionInput(note="同一纠纷", merge_into=primary.number),
    )
    page = client.get(reverse("portal:progress", args=[application.tracking_code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "案件已办结" not in text
    assert "已与同一纠纷的其他申请合并办理" in text
    assert primary.number in text
    assert "等待受理" in text or "已收到" in text  # the primary's own status, registered
    assert 'name="rating"' not in text
    early = client.post(
        reverse("portal:rate", args=[application.tracking_code]), {"rating": "satisfied"}
    )
    assert early.status_code == 422
    assert PortalOutcomeRating.objects.count() == 0
    # evidence still reaches the dispute: the primary case handles it now
    photo = io.BytesIO(PNG)
    photo.name = "收据.png"
    added = client.post(
        reverse("portal:evidence", args=[application.tracking_code]), {"files": [photo]}
    )
    assert added.status_code == 200
    assert Attachment.objects.filter(case=primary, source="portal").count() == 1
    # once the primary has an outcome, the applicant rates it
    Case.objects.filter(pk=primary.pk).update(outcome="resolved", status="resolved")
    rated = client.post(
        reverse("portal:rate", args=[application.tracking_code]), {"rating": "satisfied"}
    )
    assert rated.status_code == 200
    assert PortalOutcomeRating.objects.get().outcome == "resolved"
