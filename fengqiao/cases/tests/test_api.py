"""The cases API: auth, one error shape, the same filters as the UI, and a permission matrix
whose expectations are derived from the roles, not hand-listed."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fengqiao.accounts.models import ApiToken
from fengqiao.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture
def bearer(township_clerk):
    out = StringIO()
    call_command("create_api_token", township_clerk.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}


def _body(tree, **overrides):
    body = {
        "org_id": tree.township_centre.pk,
        "title": "宅基地边界纠纷",
        "description": "两户因宅基地边界发生争执。",
        "channel": "walk_in",
        "category": "housing_homestead",
        "region": tree.village.code,
        "parties": [
            {
                "role": "applicant",
                "name": "张三",
                "id_number": "430624199001011233",
                "phone": "13800138000",
            }
        ],
    }
    body.update(overrides)
    return body


def test_schema_and_docs_are_served_without_a_cdn(client, township_clerk):
    schema = client.get(f"{API}/openapi.json").json()
    assert {
        "/api/v1/cases",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/actions/{action}",
    } <= set(schema["paths"])
    act = schema["paths"]["/api/v1/cases/{case_id}/actions/{action}"]["post"]["responses"]
    assert {"200", "401", "404", "409", "422"} <= set(act)
    client.force_login(township_clerk)
    docs = client.get(f"{API}/docs").content.decode()
    assert "/static/ninja/" in docs
    assert "cdn" not in docs.lower()
    assert "unpkg" not in docs.lower()


def test_token_and_session_authenticate_and_a_bad_token_is_401(client, bearer, township_clerk):
    assert client.get(f"{API}/cases", **bearer).status_code == 200
    denied = client.get(f"{API}/cases", HTTP_AUTHORIZATION="Bearer fq_wrong")
    assert denied.status_code == 401
    assert denied.json()["code"] == "unauthenticated"
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"{API}/cases", **bearer).status_code == 401
    client.force_login(township_clerk)
    assert client.get(f"{API}/cases").status_code == 200


def test_register_returns_201_with_chinese_unescaped_and_masked_parties(client, bearer, tree):
    response = client.post(
        f"{API}/cases", data=json.dumps(_body(tree)), content_type="application/json", **bearer
    )
    assert response.status_code == 201
    raw = response.content.decode()
    assert "宅基地边界纠纷" in raw
    assert "430624199001011233" not in raw
    body = response.json()
    assert body["parties"][0]["id_number"] == "4306**********1233"
    assert [e["kind"] for e in body["events"]] == ["registered"]
    assert {a["name"] for a in body["available_actions"]} == {
        "accept",
        "decline",
        "transfer",
        "escalate",
        "extend_deadline",
        "withdraw",
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"category": "nonsense"}, "category"),
        (
            {"parties": [{"role": "applicant", "name": "张三", "id_number": "430624199001011234"}]},
            "parties.0.id_number",
        ),
        ({"people_count": "many"}, "people_count"),
        ({"amount": "-5"}, "amount"),
        (
            {"region": "430624124201"},
            "region",
        ),  # the other township: outside the clerk's jurisdiction
    ],
)
def test_bad_registration_is_422_with_field_errors_and_stores_nothing(
    overrides, field, client, bearer, tree
):
    body = _body(tree, **overrides)
    response = client.post(
        f"{API}/cases", data=json.dumps(body), content_type="application/json", **bearer
    )
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert (Case.objects.count(), Party.objects.count(), CaseEvent.objects.count()) == (0, 0, 0)


def test_missing_body_fields_are_422_in_the_same_shape(client, bearer):
    response = client.post(f"{API}/cases", data="{}", content_type="application/json", **bearer)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert {"title", "org_id", "parties"} <= set(body["errors"])


def test_list_uses_the_ui_filters_and_paginates_with_a_total(client, bearer, register_case):
    for i in range(3):
        register_case(title=f"宅基地纠纷{i}")
    register_case(title="拖欠工资", description="工资拖欠三个月", channel="hotline_12345")
    page = client.get(f"{API}/cases?channel=walk_in&page_size=2", **bearer).json()
    assert (page["count"], len(page["items"])) == (3, 2)
    assert client.get(f"{API}/cases?q=工资", **bearer).json()["count"] == 1
    assert (
        client.get(f"{API}/cases?status=registered&status=accepted", **bearer).json()["count"] == 4
    )
    bad = client.get(f"{API}/cases?status=flying", **bearer)
    assert bad.status_code == 422
    assert "status" in bad.json()["errors"]


def test_list_costs_the_same_queries_for_any_page_size(
    client, bearer, register_case, django_assert_max_num_queries
):
    for _ in range(12):
        register_case()
    client.get(f"{API}/cases?page_size=1", **bearer)  # warm caches (content types, sessions)
    counts = []
    for size in (1, 12):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{API}/cases?page_size={size}", **bearer).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_actions_succeed_block_with_reasons_and_reject_missing_input(client, bearer, register_case):
    case = register_case()
    url = f"{API}/cases/{case.pk}/actions"
    ok = client.post(f"{url}/accept", data="{}", content_type="application/json", **bearer)
    assert ok.status_code == 200
    assert ok.json()["status"]["code"] == "accepted"
    audits = AuditEntry.objects.count()

    blocked = client.post(f"{url}/accept", data="{}", content_type="application/json", **bearer)
    assert blocked.status_code == 409
    assert blocked.json()["reasons"]
    missing = client.post(f"{url}/withdraw", data="{}", content_type="application/json", **bearer)
    assert missing.status_code == 422
    assert list(missing.json()["errors"]) == ["note"]
    assert (
        client.post(
            f"{url}/teleport", data="{}", content_type="application/json", **bearer
        ).status_code
        == 404
    )
    assert CaseEvent.objects.filter(case=case).count() == 2
    assert AuditEntry.objects.count() == audits


def _org_in_another_county(tree):
    county = Region.objects.create(
        code="430621000000", name="岳阳县", level=RegionLevel.COUNTY, parent=tree.county.parent
    )
    return Organisation.objects.create(
        name="岳阳县矛调中心", kind=OrgKind.CENTRE, region=county, code="430621ZZ"
    )


LEVELS = {"village": "village_committee", "township": "township_centre", "county": "county_centre"}
OUTSIDE = {
    "village": "other_village_committee",
    "township": "other_township_centre",
    "county": None,
}


@pytest.mark.parametrize("inside", [True, False])
@pytest.mark.parametrize("level", sorted(LEVELS))
@pytest.mark.parametrize("role", Role.values)
def test_permission_matrix_for_detail_and_accept(
    role, level, inside, client, tree, make_actor, register_case
):
    case = register_case()
    seat = LEVELS[level] if inside else OUTSIDE[level]
    org = getattr(tree, seat) if seat else _org_in_another_county(tree)
    actor = make_actor(role, org)
    client.force_login(actor)
    caps, prefix = ROLE_CAPABILITIES[role], org.region.prefix
    sees = Capability.CASE_VIEW in caps and (
        case.handling_prefix.startswith(prefix) or case.place_prefix.startswith(prefix)
    )
    may_accept = sees and Capability.CASE_ACCEPT in caps and case.handling_prefix.startswith(prefix)
    audits = AuditEntry.objects.count()

    assert client.get(f"{API}/cases/{case.pk}").status_code == (200 if sees else 404)
    answer = client.post(
        f"{API}/cases/{case.pk}/actions/accept", data="{}", content_type="application/json"
    )
    case.refresh_from_db()
    if may_accept:
        assert (answer.status_code, case.status) == (200, CaseStatus.ACCEPTED)
    else:
        assert answer.status_code == (409 if sees else 404)
        assert answer.json()["code"] in ("transition_blocked", "not_found")
        assert case.status == CaseStatus.REGISTERED
        assert CaseEvent.objects.filter(case=case).count() == 1
        assert AuditEntry.objects.count() == audits
