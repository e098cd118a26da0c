"""The cases API: schema and docs, one error shape, the same filters as the UI, actions, scope,
and a permission matrix whose expectations are derived from the roles, not hand-listed."""

import json
import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fengqiao.accounts.models import ApiToken
from fengqiao.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from fengqiao.audit.models import AuditEntry
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.core.paging import MAX_PAGE
from fengqiao.orgs.choices import OrgKind
from fengqiao.orgs.models import Organisation
from fengqiao.regions.choices import RegionLevel
from fengqiao.regions.models import Region

pytestmark = pytest.mark.django_db
API = "/api/v1"
JSON = "application/json"
ERROR_KEYS = {"code", "message", "errors", "reasons"}


@pytest.fixture
def bearer(township_clerk):
    out = StringIO()
    call_command("create_api_token", township_clerk.username, stdout=out, stderr=StringIO())
    return {"HTTP_AUTHORIZATION": f"Bearer {out.getvalue().strip()}"}


def _body(tree, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
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


def _traces(case: Case | None = None) -> tuple[int, int, int]:
    events = CaseEvent.objects.filter(case=case) if case else CaseEvent.objects.all()
    return Case.objects.count(), events.count(), AuditEntry.objects.count()


# --- schema and docs ---------------------------------------------------------------------------


def test_openapi_lists_every_operation_with_its_error_responses(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert "枫桥 矛盾纠纷多元化解平台 API" in response.content.decode()  # not \u-escaped
    schema = response.json()
    assert schema["info"]["version"] == "1"
    case_paths = {p for p in schema["paths"] if p.startswith("/api/v1/cases")}
    assert case_paths == {
        "/api/v1/cases",
        "/api/v1/cases/todo",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/actions/{action}",
    }
    error_out = schema["components"]["schemas"]["ErrorOut"]
    assert set(error_out["properties"]) >= ERROR_KEYS
    operations = [op for path in schema["paths"].values() for op in path.values()]
    for operation in operations:  # every operation of every router
        responses = operation["responses"]
        for code in ("400", "401", "403", "404", "409", "422"):
            ref = responses[code]["content"][JSON]["schema"]["$ref"]
            assert ref.endswith("/ErrorOut"), (operation["operationId"], code)
    case_operations = [op for p in case_paths for op in schema["paths"][p].values()]
    assert len(case_operations) == 5
    for operation in case_operations:
        assert {s for r in operation["security"] for s in r} == {"ApiTokenAuth", "SessionAuth"}
    listing = schema["paths"]["/api/v1/cases"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "status",
        "channel",
        "category",
        "level",
        "region",
        "created_from",
        "created_to",
        "overdue",
        "q",
        "mine",
        "page",
        "page_size",
    }


def test_docs_use_the_bundled_swagger_and_no_cdn(client):
    html = client.get(f"{API}/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/static/ninja/swagger-ui.css" in html
    assert re.findall(r"https?://", html) == []
    assert finders.find("ninja/swagger-ui-bundle.js")  # served by staticfiles, not fetched


# --- register ----------------------------------------------------------------------------------


def test_register_returns_201_with_chinese_unescaped_and_masked_parties(client, bearer, tree):
    response = client.post(
        f"{API}/cases", data=json.dumps(_body(tree)), content_type=JSON, **bearer
    )
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    raw = response.content.decode()
    assert "宅基地" in raw
    assert "\\u" not in raw
    assert "430624199001011233" not in raw
    assert "13800138000" not in raw
    body = response.json()
    case = Case.objects.get()
    assert (body["id"], body["number"]) == (case.pk, case.number)
    assert body["status"] == {"code": "registered", "label": "已登记"}
    assert body["category"]["code"] == "housing_homestead"
    assert body["handling_org"]["id"] == tree.township_centre.pk
    assert body["parties"][0]["id_number"] == "4306**********1233"
    assert [e["kind"] for e in body["events"]] == ["registered"]
    assert {a["name"] for a in body["available_actions"]} == {
        "accept",
        "decline",
        "transfer",
        "escalate",
        "extend_deadline",
        "withdraw",
        "merge",
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
        # issue #16: a birth month 13 (right check character) and a made-up credit code
        (
            {"parties": [{"role": "applicant", "name": "张三", "id_number": "430624199013011230"}]},
            "parties.0.id_number",
        ),
        (
            {
                "parties": [
                    {
                        "role": "applicant",
                        "kind": "organisation",
                        "name": "某公司",
                        "id_number": "NOT-A-USCC-123",
                    }
                ]
            },
            "parties.0.id_number",
        ),
        ({"amount": "-5"}, "amount"),
        ({"region": "430624124201"}, "region"),  # the other township: not the clerk's
    ],
)
def test_bad_registration_is_422_with_field_errors_and_stores_nothing(
    overrides, field, client, bearer, tree
):
    before = _traces()
    response = client.post(
        f"{API}/cases", data=json.dumps(_body(tree, **overrides)), content_type=JSON, **bearer
    )
    assert response.status_code == 422
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "invalid_input"
    assert field in body["errors"]
    assert _traces() == before
    assert Party.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "drop", "expected"),
    [
        ({}, "title", {"title": ["此项为必填项。"]}),
        # issue #21: each said "格式不正确。"; now each says what to enter
        ({"people_count": "many"}, None, {"people_count": ["请填写整数。"]}),
        ({"org_id": "静河镇"}, None, {"org_id": ["请填写整数。"]}),
        ({"parties": "张三"}, None, {"parties": ["请提供列表。"]}),
        ({"parties": [{"role": "applicant"}]}, None, {"parties.0.name": ["此项为必填项。"]}),
        ({"occurred_on": "去年"}, None, {"occurred_on": ["请按 YYYY-MM-DD 格式填写日期。"]}),
    ],
)
def test_unparsable_fields_are_422_in_chinese_keyed_by_field_path(
    overrides, drop, expected, client, bearer, tree
):
    body = _body(tree, **overrides)
    if drop:
        del body[drop]
    before = _traces()
    response = client.post(f"{API}/cases", data=json.dumps(body), content_type=JSON, **bearer)
    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": "请求参数有误",
        "errors": expected,
        "reasons": [],
    }
    assert _traces() == before


def test_an_empty_or_unparsable_body_gets_the_same_error_shape(client, bearer):
    empty = client.post(f"{API}/cases", data="{}", content_type=JSON, **bearer)
    assert empty.status_code == 422
    assert {"title", "org_id", "parties"} <= set(empty.json()["errors"])
    broken = client.post(f"{API}/cases", data="{", content_type=JSON, **bearer)
    assert broken.status_code == 400
    assert set(broken.json()) == ERROR_KEYS
    assert broken.json()["code"] == "bad_request"
    assert Case.objects.count() == 0


# --- list --------------------------------------------------------------------------------------


@pytest.fixture
def listed(tree, township_clerk, register_case) -> dict[str, Case]:
    cases = {f"homestead{i}": register_case(title=f"宅基地纠纷{i}") for i in range(3)}
    cases["wages"] = register_case(
        title="拖欠工资",
        description="工资拖欠三个月",
        channel="hotline_12345",
        category="labour",
        subcategory="labour.wage_arrears",
        region=tree.other_village,
    )
    Case.objects.filter(pk=cases["wages"].pk).update(
        due_date=timezone.localdate() - timedelta(days=3), assignee=township_clerk
    )
    return cases


def _ids(page: dict[str, Any]) -> set[int]:
    return {item["id"] for item in page["items"]}


def test_list_filters_search_and_paginate_with_a_total(client, bearer, tree, listed):
    def get(query: str) -> dict[str, Any]:
        response = client.get(f"{API}/cases?{query}", **bearer)
        assert response.status_code == 200, response.content
        return response.json()

    homestead = {listed[f"homestead{i}"].pk for i in range(3)}
    wages = {listed["wages"].pk}
    everything = homestead | wages
    first, second = get("channel=walk_in&page_size=2"), get("channel=walk_in&page_size=2&page=2")
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (3, 1, 2, 2)
    assert (second["count"], second["page"], len(second["items"])) == (3, 2, 1)
    assert _ids(first) | _ids(second) == homestead
    assert _ids(get("q=工资")) == wages
    assert _ids(get("q=宅基地纠纷1")) == {listed["homestead1"].pk}
    assert _ids(get("status=registered&status=accepted")) == everything
    assert _ids(get("status=closed")) == set()
    assert _ids(get("channel=walk_in&channel=hotline_12345")) == everything
    assert _ids(get("category=labour")) == wages
    assert _ids(get("category=labour.wage_arrears")) == wages
    assert _ids(get(f"region={tree.other_village.code}")) == wages
    assert _ids(get(f"region={tree.township.code}")) == everything
    assert _ids(get(f"level={RegionLevel.TOWNSHIP}")) == everything
    assert _ids(get(f"level={RegionLevel.VILLAGE}")) == set()
    assert _ids(get("overdue=true")) == wages
    assert _ids(get("overdue=false")) == homestead
    assert _ids(get("mine=true")) == wages
    today = timezone.localdate()
    assert _ids(get(f"created_from={today}&created_to={today}")) == everything
    assert _ids(get(f"created_from={today + timedelta(days=1)}")) == set()
    # what the list page's form sends when nothing is chosen
    assert get("category=&level=&region=&created_from=&created_to=&overdue=&q=")["count"] == 4


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("status=flying", {"status"}),
        ("channel=pigeon", {"channel"}),
        ("category=nonsense", {"category"}),
        ("level=9", {"level"}),
        ("region=abc", {"region"}),
        ("created_from=昨天", {"created_from"}),
        ("created_from=2026-02-01&created_to=2026-01-01", {"created_to"}),
        ("overdue=maybe", {"overdue"}),
        ("page=0&page_size=101", {"page", "page_size"}),
    ],
)
def test_bad_filters_are_422_with_the_ui_forms_field_errors(query, fields, client, bearer):
    response = client.get(f"{API}/cases?{query}", **bearer)
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["message"]) == ("invalid_input", "请求参数有误")
    assert set(body["errors"]) == fields


@pytest.mark.parametrize(
    "query",
    ["", "status=registered", "channel=walk_in", "q=工资", "overdue=true", "category=labour",
     "mine=true", "status=flying", "level=4", "created_from=2026-13-01"],
)  # fmt: skip
def test_list_answers_exactly_as_the_list_page(query, client, township_clerk, listed):
    """UI and API share ``CaseFilterForm``: same count for valid filters, same field errors."""
    client.force_login(township_clerk)
    page = client.get(f"/cases/?{query}")
    api = client.get(f"{API}/cases?{query}&page_size=100")
    if page.status_code == 200:
        assert api.status_code == 200
        assert api.json()["count"] == page.context["page"].paginator.count
        assert _ids(api.json()) == {case.pk for case in page.context["page"].object_list}
    else:
        assert api.status_code == 422
        assert set(api.json()["errors"]) == set(page.context["form"].errors)


def test_list_costs_the_same_queries_for_any_page_size(client, bearer, register_case):
    for _ in range(12):
        register_case()
    client.get(f"{API}/cases?page_size=1", **bearer)  # warm caches
    counts = []
    for size in (1, 12, 100):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{API}/cases?page_size={size}", **bearer)
        assert response.status_code == 200
        assert len(response.json()["items"]) == min(size, 12)
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2]


# --- detail and actions ------------------------------------------------------------------------


def test_detail_has_the_timeline_and_the_available_actions(client, bearer, register_case):
    case = register_case()
    client.post(f"{API}/cases/{case.pk}/actions/accept", data="{}", content_type=JSON, **bearer)
    body = client.get(f"{API}/cases/{case.pk}", **bearer).json()
    assert body["status"] == {"code": "accepted", "label": "已受理"}
    assert body["is_overdue"] is False
    assert body["due_date"] == case.due_date.isoformat()
    assert [(e["seq"], e["kind"]) for e in body["events"]] == [
        (1, "registered"),
        (2, "transitioned"),
    ]
    event = body["events"][1]
    assert (event["data"]["transition"], event["data"]["to"]) == ("accept", "accepted")
    assert set(event) == {"seq", "kind", "at", "actor_name", "org", "data", "hash"}
    assert (event["actor_name"], event["org"]) == ("测试1", "静河镇矛调中心")
    assert event["hash"] == CaseEvent.objects.get(case=case, seq=2).hash
    actions = {a["name"]: a for a in body["available_actions"]}
    assert actions["assign"]["required"] == ["org_id", "assignee_id", "due_date"]
    assert actions["assign"]["label"] == "交办"
    assert "accept" not in actions
    for action in actions.values():
        assert set(action) == {"name", "label", "allowed", "reasons", "inputs", "required"}
        assert action["allowed"] is (not action["reasons"])


def test_actions_succeed_block_with_reasons_and_reject_missing_input(client, bearer, register_case):
    case = register_case()
    url = f"{API}/cases/{case.pk}/actions"
    ok = client.post(f"{url}/accept", data='{"note": "符合受理条件"}', content_type=JSON, **bearer)
    assert ok.status_code == 200
    assert ok.json()["status"]["code"] == "accepted"
    assert ok.json()["events"][-1]["data"]["note"] == "符合受理条件"
    after_accept = _traces(case)

    blocked = client.post(f"{url}/accept", data="{}", content_type=JSON, **bearer)
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "transition_blocked"
    assert blocked.json()["reasons"]
    assert _traces(case) == after_accept

    missing = client.post(f"{url}/withdraw", data="{}", content_type=JSON, **bearer)
    assert missing.status_code == 422
    assert list(missing.json()["errors"]) == ["note"]
    wrong_type = client.post(
        f"{url}/assign", data='{"assignee_id": "张三"}', content_type=JSON, **bearer
    )
    assert wrong_type.status_code == 422
    assert wrong_type.json()["errors"] == {"assignee_id": ["请填写整数。"]}
    unknown = client.post(f"{url}/teleport", data="{}", content_type=JSON, **bearer)
    assert unknown.status_code == 404
    assert set(unknown.json()) == ERROR_KEYS

    assert _traces(case) == after_accept
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_a_case_out_of_scope_is_404_like_a_missing_one_and_leaves_no_trace(
    client, tree, make_actor, register_case
):
    case = register_case()
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    client.force_login(outsider)
    before = _traces(case)
    for suffix, body in (("", None), ("/actions/accept", "{}"), ("/actions/teleport", "{}")):

        def call(case_id: int, suffix: str = suffix, body: str | None = body) -> Any:
            url = f"{API}/cases/{case_id}{suffix}"
            return client.get(url) if body is None else client.post(url, body, content_type=JSON)

        response, missing = call(case.pk), call(999999)
        assert response.status_code == missing.status_code == 404
        assert response.json() == missing.json()  # indistinguishable from a missing case
    assert client.get(f"{API}/cases").json()["count"] == 0
    assert _traces(case) == before
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_an_unusable_token_writes_nothing(client, bearer, register_case):
    case = register_case()
    ApiToken.objects.update(is_active=False)
    before = _traces(case)
    response = client.post(
        f"{API}/cases/{case.pk}/actions/accept", data="{}", content_type=JSON, **bearer
    )
    assert response.status_code == 401
    assert _traces(case) == before


# --- permission matrix -------------------------------------------------------------------------


def _org_in_another_county(tree) -> Organisation:
    county = Region.objects.create(
        code="430621000000", name="岳阳县", level=RegionLevel.COUNTY, parent=tree.county.parent
    )
    return Organisation.objects.create(
        name="岳阳县矛调中心", kind=OrgKind.CENTRE, region=county, code="430621ZZ"
    )


LEVELS = {"village": "village_committee", "township": "township_centre", "county": "county_centre"}
OUTSIDE = {"village": "other_village_committee", "township": "other_township_centre", "county": ""}


@pytest.mark.parametrize("inside", [True, False], ids=["in_scope", "out_of_scope"])
@pytest.mark.parametrize("level", sorted(LEVELS))
@pytest.mark.parametrize("role", Role.values)
def test_permission_matrix_for_detail_and_accept(
    role, level, inside, client, tree, make_actor, register_case
):
    """Expected outcomes come from ROLE_CAPABILITIES and the region prefixes: a role sees a case
    when it may view within the subtree of the case's handling org or place, and may accept it
    when it holds CASE_ACCEPT over the handling org's subtree. Unseen is 404, seen but not
    allowed is 409; either way nothing is written."""
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
    before = _traces(case)

    detail = client.get(f"{API}/cases/{case.pk}")
    assert detail.status_code == (200 if sees else 404)
    if sees:
        offered = {a["name"]: a["allowed"] for a in detail.json()["available_actions"]}
        assert offered.get("accept", False) is may_accept
    assert _traces(case) == before  # reading writes nothing

    answer = client.post(f"{API}/cases/{case.pk}/actions/accept", data="{}", content_type=JSON)
    case.refresh_from_db()
    if may_accept:
        assert (answer.status_code, case.status) == (200, CaseStatus.ACCEPTED)
        assert CaseEvent.objects.filter(case=case).count() == before[1] + 1
    else:
        assert answer.status_code == (409 if sees else 404)
        assert answer.json()["code"] == ("transition_blocked" if sees else "not_found")
        if sees:
            assert answer.json()["reasons"]
        assert case.status == CaseStatus.REGISTERED
        assert _traces(case) == before


def test_a_page_past_any_table_is_a_field_error_not_a_server_error(client, bearer, register_case):
    """Found by the schema test: page=1323428491563039195136000 overflowed SQLite's integer
    offset and answered 500. The last page one may ask for is documented; beyond it is 422."""
    register_case()
    huge = client.get(f"{API}/cases?page=1323428491563039195136000&page_size=1", **bearer)
    assert huge.status_code == 422
    last = client.get(f"{API}/cases?page={MAX_PAGE}&page_size=100", **bearer)
    assert last.status_code == 200
    assert last.json()["items"] == []
