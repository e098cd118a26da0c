"""An Open311 GeoReport v2 client files and follows a dispute, in JSON and in XML: list the
services, post a request with the channel key as api_key, read it back alone and in the list."""

import json

import pytest
from defusedxml import ElementTree
from django.test import Client

from fengqiao.accounts.roles import Role
from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case, DisputeCategory
from fengqiao.intake.models import IntakeSubmission
from fengqiao.intake.services import channel_endpoint_create

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def api_key(tree, township_clerk, make_actor):
    service = make_actor(Role.INTAKE_CLERK, tree.township_centre, username="svc_open311")
    return channel_endpoint_create(
        actor=township_clerk,
        name="市民App（Open311）",
        channel=Channel.ONLINE,
        org=tree.township_centre,
        service_user=service,
    )[1]


def _records(response, fmt: str) -> list[dict]:
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    return [{child.tag: child.text or "" for child in item} for item in root]


def _post(client, fmt, **fields):
    return client.post(f"{BASE}/requests.{fmt}", fields)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_client_lists_services_posts_a_request_and_reads_it_back(tree, api_key, fmt):
    client = Client()  # no session, no CSRF token: a machine client
    services = _records(client.get(f"{BASE}/services.{fmt}"), fmt)
    homestead = next(s for s in services if s["service_code"] == "housing_homestead")
    assert homestead["service_name"] == "房屋宅基地纠纷"
    assert str(homestead["metadata"]).lower() == "false"

    posted = _post(
        client,
        fmt,
        api_key=api_key,
        service_code="housing_homestead",
        description="邻居在我家宅基地上砌墙，协商不成。",
        address_id=tree.village.code,
        address_string="静河村三组",
        last_name="张",
        first_name="三",
        phone="13800138000",
        account_id="app-42",
    )
    assert posted.status_code == 201, posted.content
    (answer,) = _records(posted, fmt)
    number = answer["service_request_id"]
    assert answer["service_notice"] == "已登记，承办单位：静河镇矛调中心。"
    assert answer["account_id"] == "app-42"

    case = Case.objects.get(number=number)
    assert (case.channel, case.category.code, case.region.code) == (
        Channel.ONLINE,
        "housing_homestead",
        tree.village.code,
    )
    assert case.parties.get().name == "张三"
    assert IntakeSubmission.objects.filter(case=case, source_ref=case.source_ref).count() == 1

    (read,) = _records(client.get(f"{BASE}/requests/{number}.{fmt}", {"api_key": api_key}), fmt)
    assert read["service_request_id"] == number
    assert read["status"] == "open"
    assert read["status_notes"] == "已登记"
    assert read["service_code"] == "housing_homestead"
    assert read["agency_responsible"] == "静河镇矛调中心"
    assert read["address_id"] == tree.village.code
    assert read["requested_datetime"].endswith("+08:00")

    listed = _records(client.get(f"{BASE}/requests.{fmt}", {"api_key": api_key}), fmt)
    assert [r["service_request_id"] for r in listed] == [number]
    closed = client.get(f"{BASE}/requests.{fmt}", {"api_key": api_key, "status": "closed"})
    assert _records(closed, fmt) == []


def test_a_subcategory_service_files_under_its_category(tree, api_key):
    client = Client()
    services = json.loads(client.get(f"{BASE}/services.json").content)
    row = DisputeCategory.objects.filter(parent__isnull=False, is_active=True).first()
    sub = next(s for s in services if s["service_code"] == row.code)
    posted = _post(
        client,
        "json",
        api_key=api_key,
        service_code=sub["service_code"],
        description="因承包地界址发生争议。",
        address_id=tree.village.code,
    )
    assert posted.status_code == 201, posted.content
    case = Case.objects.get(number=json.loads(posted.content)[0]["service_request_id"])
    assert case.subcategory.code == sub["service_code"]
    assert case.category.name == sub["group"]
    assert case.parties.get().name == "匿名反映人"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_come_as_open311_error_lists(tree, api_key, fmt):
    client = Client()
    cases_before = Case.objects.count()

    no_key = _post(client, fmt, service_code="housing_homestead", description="x")
    assert no_key.status_code == 403
    assert (
        _records(no_key, fmt)[0]["description"] == "请提供有效的 api_key（本系统发放的渠道密钥）。"
    )

    unknown = _post(client, fmt, api_key=api_key, service_code="no_such", description="纠纷")
    assert unknown.status_code == 400
    assert _records(unknown, fmt)[0]["description"].startswith("service_code：")

    missing = _post(client, fmt, api_key=api_key, service_code="housing_homestead")
    assert missing.status_code == 400
    assert "description" in _records(missing, fmt)[0]["description"]

    bad_place = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "999999999999"})
    assert bad_place.status_code == 404
    assert Case.objects.count() == cases_before  # nothing was registered


def test_a_key_follows_only_the_requests_it_filed(
    tree, township_clerk, make_actor, api_key, register_case
):
    staff_case = register_case()  # registered at the counter, not through this key
    other = make_actor(Role.INTAKE_CLERK, tree.township_centre, username="svc_other")
    other_key = channel_endpoint_create(
        actor=township_clerk,
        name="另一个App",
        channel=Channel.ONLINE,
        org=tree.township_centre,
        service_user=other,
    )[1]
    posted = _post(
        Client(),
        "json",
        api_key=other_key,
        service_code="housing_homestead",
        description="噪音扰民。",
        address_id=tree.village.code,
    )
    theirs = json.loads(posted.content)[0]["service_request_id"]
    client = Client()
    for number in (theirs, staff_case.number):
        response = client.get(f"{BASE}/requests/{number}.json", {"api_key": api_key})
        assert response.status_code == 404
    assert json.loads(client.get(f"{BASE}/requests.json", {"api_key": api_key}).content) == []
    assert client.get(f"{BASE}/requests.json").status_code == 403


def test_jurisdiction_id_narrows_the_list_to_that_division(tree, api_key):
    client = Client()
    for place in (tree.village, tree.other_village):
        _post(
            client,
            "json",
            api_key=api_key,
            service_code="housing_homestead",
            description="宅基地纠纷。",
            address_id=place.code,
        )
    listed = json.loads(
        client.get(
            f"{BASE}/requests.json", {"api_key": api_key, "jurisdiction_id": tree.village.code}
        ).content
    )
    assert [r["address_id"] for r in listed] == [tree.village.code]
