"""Exact query counts of the endpoints every user hits all day: the case list and page, the
to-do queue, an action, a staff registration and a channel submission. A change in either
direction fails, so a new query is added on purpose (and this table updated) or not at all.
``tests/test_query_counts.py`` checks the shape of every route (no query per row); this pins
the numbers. Issue #12 found 29 queries for a staff registration and 66 for a channel one.

Counts are taken warm (the session, content types and the reference data in memory after a
first request, ``core.refcache``), the way a user meets them after their first page. Issue #15
took the grants, the categories, the filter form's places, the routing rules and the deadline
policies out of every request (the version of that data rides on the user's or token's row).
"""

import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import api_token_create
from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.intake.services import channel_endpoint_create

pytestmark = pytest.mark.django_db

# Savepoints count: each is a round trip. The registrations include the risk step's flag (with the
# police station covering the place, 人民调解法 art.25) and,
# for the 110 call, the 三源合一 link to the earlier case of the same caller (two more events).
# A new case's first event has no earlier one for the rollups to read (issue #21: one query less),
# and the unit's case counter is locked and raised in two statements, not three (issue #16).
BUDGET = {
    "case list": 5,
    "case page": 11,
    "to-do": 10,
    "accept (htmx)": 20,
    "staff registration": 36,
    "110 submission": 64,
    "API list": 3,
    "API detail": 5,
}
# PostgreSQL gathers the duplicate pool in one UNION where SQLite runs three queries.
VENDOR_BUDGET = {"postgresql": {"110 submission": 62}}


def _queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def _register_data(tree, title: str) -> dict[str, str]:
    return {
        "org_id": str(tree.township_centre.pk),
        "title": title,
        "description": f"{title}：两户因宅基地边界争执。",
        "channel": "walk_in",
        "category": "housing_homestead",
        "region": tree.village.code,
        "people_count": "2",
        "risk_level": "low",
        "parties-TOTAL_FORMS": "2",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "50",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "张三",
        "parties-0-id_number": "430624199001011233",
        "parties-0-phone": "13800138000",
        "parties-1-role": "respondent",
        "parties-1-kind": "person",
        "parties-1-name": "李四",
        "parties-1-phone": "13900139000",
    }


def _police_body(tree, number: str) -> dict[str, object]:
    return {
        "incident_no": number,
        "reported_at": "2026-12-01T09:00:00+08:00",
        "place_code": tree.village.code,
        "address": "静河村三组",
        "callers": [{"name": "王五", "phone": "13700137000", "id_number": "430624199001011233"}],
        "other_parties": [{"name": "赵六", "phone": "13600136000"}],
        "summary": "王五与赵六因排水沟堵塞发生口角，现场已劝离",
        "dispatch_result": "民警到场调解未果，建议转人民调解",
        "category": "housing_homestead",
    }


@pytest.fixture
def measured(client: Client, tree, township_clerk: User, make_actor, register_case):
    """Each endpoint measured on its second call, with a few cases already there."""
    for _ in range(3):
        register_case()
    client.force_login(township_clerk)
    counts: dict[str, int] = {}

    for label, url in (
        ("case list", reverse("cases:list")),
        ("to-do", reverse("cases:todo")),
    ):
        client.get(url)
        counts[label] = _queries(lambda url=url: client.get(url))

    case = register_case()
    page = reverse("cases:detail", args=[case.pk])
    client.get(page)
    counts["case page"] = _queries(lambda: client.get(page))

    accept = [reverse("cases:transition", args=[c.pk, "accept"]) for c in (case, register_case())]
    client.post(accept[0], {"parties_consent": "consented"}, HTTP_HX_REQUEST="true")
    counts["accept (htmx)"] = _queries(
        lambda: client.post(accept[1], {"parties_consent": "consented"}, HTTP_HX_REQUEST="true")
    )

    register = reverse("intake:register")
    client.post(register, _register_data(tree, "第一件纠纷"))
    counts["staff registration"] = _queries(
        lambda: client.post(register, _register_data(tree, "第二件纠纷"))
    )

    staff = Client(
        HTTP_AUTHORIZATION=f"Bearer {api_token_create(actor=township_clerk, user=township_clerk)}"
    )
    for label, url in (("API list", "/api/v1/cases"), ("API detail", f"/api/v1/cases/{case.pk}")):
        assert staff.get(url).status_code == 200
        counts[label] = _queries(lambda url=url: staff.get(url))

    service = make_actor(Role.INTAKE_CLERK, tree.township_centre, username="svc_110")
    _endpoint, token = channel_endpoint_create(
        actor=township_clerk,
        name="110",
        channel=Channel.POLICE_110,
        org=tree.township_centre,
        service_user=service,
    )
    api = Client()

    def submit(number: str) -> object:
        return api.post(
            "/api/v1/intake/police-110",
            data=json.dumps(_police_body(tree, number), ensure_ascii=False),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    first = submit("J4306241122000001")
    assert first.status_code == 201, first.content.decode()
    counts["110 submission"] = _queries(lambda: submit("J4306241122000002"))
    assert Case.objects.filter(source_ref="J4306241122000002").exists()
    return counts


def test_the_everyday_endpoints_cost_exactly_their_budget(measured):
    assert measured == {**BUDGET, **VENDOR_BUDGET.get(connection.vendor, {})}
