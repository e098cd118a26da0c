"""Channel intake API: each adapter with valid input, malformed input (422, nothing stored), a
resend (no second case), unknown codes, and tokens that belong to another channel."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import Channel, EventKind, PartyRole
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.core import crypto
from fengqiao.core.calendar import roll_forward
from fengqiao.intake.models import ChannelEndpoint, IntakeSubmission, SubmissionOutcome

pytestmark = pytest.mark.django_db

ID_NUMBER = "430624199001011233"


def post(client, url: str, token: str, body: dict):
    return client.post(
        url,
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def police_body(tree, **overrides) -> dict:
    body = {
        "incident_no": "J4306241122000123",
        "reported_at": (timezone.now() - timedelta(hours=3)).isoformat(),
        "place_code": tree.village.code,
        "address": "静河村三组",
        "callers": [{"name": "张三", "phone": "138 0013 8000", "id_number": ID_NUMBER}],
        "other_parties": [{"name": "李四", "phone": "13900139000"}],
        "summary": "张三与李四因宅基地边界问题发生口角，现场已劝离",
        "dispatch_result": "民警到场调解未果，建议转人民调解",
        "category": "housing_homestead",
    }
    body.update(overrides)
    return body


def hotline_body(tree, **overrides) -> dict:
    body = {
        "work_order_no": "GD20261123000456",
        "citizen": {"name": "王五", "phone": "0730-5123456"},
        "respondents": [{"name": "某建筑公司"}],
        "content": "反映某建筑公司拖欠农民工工资三万元，多次讨要未果",
        "classification": "劳动保障/欠薪",
        "category": "labour",
        "deadline": str(timezone.localdate() + timedelta(days=5)),
        "place_code": tree.township.code,
    }
    body.update(overrides)
    return body


def petition_body(tree, **overrides) -> dict:
    body = {
        "petition_no": "XF430624202611230001",
        "registered_on": str(timezone.localdate()),
        "petitioners": [{"name": f"村民{i}"} for i in range(6)],
        "respondents": [{"name": "静河村村民委员会"}],
        "content": "六户村民反映土地征收补偿款分配不公",
        "claims": "请求重新核算并公开分配方案",
        "place_code": tree.village.code,
        "category": "land_requisition",
    }
    body.update(overrides)
    return body


def court_body(tree, **overrides) -> dict:
    body = {
        "court_case_no": "（2026）湘0624民诉前调1234号",
        "mode": "entrusted_simple",
        "delegated_on": str(timezone.localdate()),
        "plaintiffs": [{"name": "赵六", "id_number": ID_NUMBER}],
        "defendants": [{"name": "钱七", "phone": "13700137000"}],
        "claims": "判令被告返还借款五万元",
        "facts": "原告于2025年借给被告五万元，约定一年归还，到期未还",
        "place_code": tree.village.code,
        "amount": "50000.00",
        "category": "contract",
    }
    body.update(overrides)
    return body


CHANNELS = [
    (Channel.POLICE_110, "/api/v1/intake/police-110", police_body, "incident_no"),
    (Channel.HOTLINE_12345, "/api/v1/intake/hotline-12345", hotline_body, "work_order_no"),
    (Channel.PETITION, "/api/v1/intake/petitions", petition_body, "petition_no"),
    (Channel.COURT, "/api/v1/intake/court-delegations", court_body, "court_case_no"),
]


@pytest.mark.parametrize(("channel", "url", "body", "ref_field"), CHANNELS)
def test_valid_submission_registers_one_case_and_keeps_the_payload(
    client, tree, endpoint_for, service_user, channel, url, body, ref_field
):
    _endpoint, token = endpoint_for(channel)
    payload = body(tree)

    response = post(client, url, token, payload)

    assert response.status_code == 201, response.content.decode()
    out = response.json()
    case = Case.objects.get()
    assert out["case_number"] == case.number
    assert out["created"] is True
    assert out["source_ref"] == payload[ref_field] == case.source_ref
    assert (case.channel, case.registered_by, case.registering_org) == (
        channel,
        service_user,
        tree.township_centre,
    )
    submission = IntakeSubmission.objects.get()
    assert submission.case == case
    assert submission.outcome == SubmissionOutcome.REGISTERED
    assert submission.payload()[ref_field] == payload[ref_field]
    # the raw payload is encrypted at rest: no name or ID number in the stored column
    assert "43062419900101" not in submission.payload_encrypted
    first_name = (payload.get("callers") or payload.get("petitioners") or [{"name": "王五"}])[0]
    assert first_name["name"] not in submission.payload_encrypted
    assert CaseEvent.objects.filter(case=case, kind=EventKind.REGISTERED).exists()


@pytest.mark.parametrize(("channel", "url", "body", "ref_field"), CHANNELS)
def test_a_resend_never_makes_a_second_case(
    client, tree, endpoint_for, channel, url, body, ref_field
):
    _endpoint, token = endpoint_for(channel)
    first = post(client, url, token, body(tree))
    again = post(client, url, token, body(tree))

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False
    assert again.json()["case_number"] == first.json()["case_number"]
    case = Case.objects.get()
    assert [s.outcome for s in IntakeSubmission.objects.order_by("pk")] == ["registered", "resent"]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.RECEIVED_AGAIN).count() == 1


@pytest.mark.parametrize(("channel", "url", "body", "ref_field"), CHANNELS)
def test_malformed_input_is_422_by_field_and_stores_nothing(
    client, tree, endpoint_for, channel, url, body, ref_field
):
    _endpoint, token = endpoint_for(channel)
    payload = body(tree)
    del payload[ref_field]
    payload["place_code"] = 430624  # wrong type
    audits = AuditEntry.objects.count()

    response = post(client, url, token, payload)

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[ref_field] == ["此项为必填项。"]
    assert "place_code" in errors
    assert Case.objects.count() == IntakeSubmission.objects.count() == 0
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(("channel", "url", "body", "ref_field"), CHANNELS)
def test_unknown_codes_are_field_errors_in_the_senders_names(
    client, tree, endpoint_for, channel, url, body, ref_field
):
    _endpoint, token = endpoint_for(channel)
    payload = body(tree, place_code="430624999999", category="no_such_category")

    response = post(client, url, token, payload)

    assert response.status_code == 422, response.content.decode()
    errors = response.json()["errors"]
    assert set(errors) >= {"place_code", "category"}
    assert Case.objects.count() == IntakeSubmission.objects.count() == 0


def test_party_errors_point_at_the_senders_list(client, tree, endpoint_for):
    _endpoint, token = endpoint_for(Channel.POLICE_110)
    payload = police_body(tree)
    payload["other_parties"] = [{"name": "李四", "phone": "12345"}]

    response = post(client, "/api/v1/intake/police-110", token, payload)

    assert response.status_code == 422
    assert "other_parties.0.phone" in response.json()["errors"]
    assert not Case.objects.exists()


def test_a_token_works_only_for_its_own_channel(client, tree, endpoint_for):
    _endpoint, token = endpoint_for(Channel.POLICE_110)
    response = post(client, "/api/v1/intake/hotline-12345", token, hotline_body(tree))
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_no_token_wrong_token_or_closed_endpoint_is_401(client, tree, endpoint_for):
    endpoint, token = endpoint_for(Channel.POLICE_110)
    assert (
        post(client, "/api/v1/intake/police-110", "fqc_wrong", police_body(tree)).status_code == 401
    )
    ChannelEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    assert post(client, "/api/v1/intake/police-110", token, police_body(tree)).status_code == 401
    response = client.post("/api/v1/intake/police-110", data="{}", content_type="application/json")
    assert response.status_code == 401
    assert not Case.objects.exists()


def test_a_users_api_token_is_not_a_channel_token(client, tree, township_clerk):
    from fengqiao.accounts.services import api_token_create, system_actor

    token = api_token_create(actor=system_actor(), user=township_clerk)
    assert post(client, "/api/v1/intake/police-110", token, police_body(tree)).status_code == 401


def test_parties_are_stored_encrypted_with_blind_indexes(client, tree, endpoint_for):
    _endpoint, token = endpoint_for(Channel.POLICE_110)
    post(client, "/api/v1/intake/police-110", token, police_body(tree))
    caller = Party.objects.get(role=PartyRole.APPLICANT)
    assert caller.phone_masked == "138****8000"
    assert caller.phone_index == crypto.blind_index("13800138000", context="phone")
    assert ID_NUMBER not in caller.id_number_encrypted


def test_court_delegation_due_date_follows_the_mode(client, tree, endpoint_for):
    """特邀调解规定 art.27: 委派 30 days, 委托 15 (ordinary) or 7 (simple) days."""
    _endpoint, token = endpoint_for(Channel.COURT)
    today = timezone.localdate()
    for number, mode, days in [
        ("（2026）湘0624民诉前调1号", "delegated", 30),
        ("（2026）湘0624民初2号", "entrusted_ordinary", 15),
        ("（2026）湘0624民初3号", "entrusted_simple", 7),
    ]:
        response = post(
            client,
            "/api/v1/intake/court-delegations",
            token,
            court_body(tree, court_case_no=number, mode=mode),
        )
        assert response.status_code == 201
        # a last day on a rest day moves to the next working day (民法典 art.203), and the
        # limit is a statutory one the case keeps (issue #14)
        case = Case.objects.get(source_ref=number)
        assert case.due_date == roll_forward(today + timedelta(days=days))
        assert case.deadlines.get(stage="handling").days == days
    bad = post(
        client,
        "/api/v1/intake/court-delegations",
        token,
        court_body(tree, court_case_no="（2026）湘0624民初4号", mode="mediate_somehow"),
    )
    assert bad.status_code == 422
    assert "mode" in bad.json()["errors"]


def test_hotline_deadline_is_the_work_orders_own_and_cannot_be_past(client, tree, endpoint_for):
    _endpoint, token = endpoint_for(Channel.HOTLINE_12345)
    deadline = timezone.localdate() + timedelta(days=3)
    response = post(
        client, "/api/v1/intake/hotline-12345", token, hotline_body(tree, deadline=str(deadline))
    )
    assert response.status_code == 201
    assert Case.objects.get().due_date == deadline
    past = post(
        client,
        "/api/v1/intake/hotline-12345",
        token,
        hotline_body(tree, work_order_no="GD-2", deadline=str(timezone.localdate() - timedelta(1))),
    )
    assert past.status_code == 422
    assert "deadline" in past.json()["errors"]


def test_a_source_can_follow_its_own_cases_only(client, tree, endpoint_for):
    _e110, token110 = endpoint_for(Channel.POLICE_110)
    _e12345, token12345 = endpoint_for(Channel.HOTLINE_12345)
    post(client, "/api/v1/intake/police-110", token110, police_body(tree))

    mine = client.get(
        "/api/v1/intake/cases/J4306241122000123", HTTP_AUTHORIZATION=f"Bearer {token110}"
    )
    other = client.get(
        "/api/v1/intake/cases/J4306241122000123", HTTP_AUTHORIZATION=f"Bearer {token12345}"
    )

    assert mine.status_code == 200
    assert mine.json()["status"] == "registered"
    assert other.status_code == 404


def test_the_schema_documents_every_intake_operation():
    from fengqiao.api import api

    schema = api.get_openapi_schema()
    paths = schema["paths"]
    for path in (
        "/api/v1/intake/police-110",
        "/api/v1/intake/hotline-12345",
        "/api/v1/intake/petitions",
        "/api/v1/intake/court-delegations",
    ):
        responses = paths[path]["post"]["responses"]
        assert {200, 201, 401, 403, 422} <= set(responses)


def test_the_sources_panel_shows_every_submission_including_merged_cases(
    client, tree, endpoint_for, township_clerk, register_case, make_actor
):
    from django.urls import reverse

    from fengqiao.cases.services import ActionInput, case_transition

    _e110, token110 = endpoint_for(Channel.POLICE_110)
    _e12345, token12345 = endpoint_for(Channel.HOTLINE_12345)
    post(client, "/api/v1/intake/police-110", token110, police_body(tree))
    post(client, "/api/v1/intake/police-110", token110, police_body(tree))  # resend
    post(client, "/api/v1/intake/hotline-12345", token12345, hotline_body(tree))
    police = Case.objects.get(channel=Channel.POLICE_110)
    hotline = Case.objects.get(channel=Channel.HOTLINE_12345)
    case_transition(
        actor=township_clerk,
        case_id=hotline.pk,
        name="merge",
        action=ActionInput(merge_into=police.number, note="同一纠纷"),
    )

    client.force_login(township_clerk)
    html = client.get(reverse("intake:sources", args=[police.pk])).content.decode()
    assert html.count("J4306241122000123") == 3  # the header, the first submission, the resend
    assert "GD20261123000456" in html  # the merged case's work order
    assert hotline.number in html
    assert "13800138000" not in html  # payloads stay encrypted; only digests are shown

    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    client.force_login(outsider)
    assert client.get(reverse("intake:sources", args=[police.pk])).status_code == 404
