"""Reference data: value lists with Chinese labels, and only the jurisdiction's places."""

import pytest
from django.test import Client

from fengqiao.accounts.roles import Role
from fengqiao.accounts.services import api_token_create, system_actor

pytestmark = pytest.mark.django_db


def _get(user, path):
    auth = {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(actor=system_actor(), user=user)}
    response = Client().get("/api/v1/reference/" + path, **auth)
    assert response.status_code == 200, response.content
    return response.json()


def test_value_lists_carry_codes_and_chinese_labels(township_clerk):
    assert {"code": "petition", "label": "信访"} in _get(township_clerk, "channels")
    assert {"code": "registered", "label": "已登记"} in _get(township_clerk, "statuses")
    assert any(a["code"] == "accept" for a in _get(township_clerk, "actions"))
    categories = _get(township_clerk, "categories")
    assert {"code": "housing_homestead", "label": "房屋宅基地纠纷", "parent": ""} in categories


def test_regions_and_organisations_are_the_jurisdictions_only(tree, make_actor):
    village = make_actor(Role.MEDIATOR, tree.village_committee)
    assert [r["code"] for r in _get(village, "regions")] == [tree.village.code]
    orgs = {o["code"] for o in _get(village, "organisations")}
    assert orgs == {tree.village_committee.code}
