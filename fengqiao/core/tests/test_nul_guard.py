"""A NUL character anywhere in a request is refused before anything runs (PostgreSQL cannot
store it; the API fuzzing found the 500 it caused)."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    """The interface language of a deployment (no test before this one may leave another)."""
    with translation.override("zh-hans"):
        yield


def test_the_api_answers_422_and_stores_nothing(client, township_clerk, tree):
    token = api_token_create(actor=system_actor(), user=township_clerk)
    body = {"org_id": tree.township_centre.pk, "title": "纠纷\u0000", "description": "x"}
    response = client.post(
        "/api/v1/cases",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "空字符" in response.json()["message"]
    assert not Case.objects.exists()
    listed = client.get("/api/v1/cases?q=a%00b", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert listed.status_code == 422


def test_forms_and_query_strings_answer_400(client, township_clerk):
    client.force_login(township_clerk)
    assert client.get(reverse("cases:list") + "?q=%00").status_code == 400
    posted = client.post(reverse("patrols:index"), {"topic": "专项\x00排查"})
    assert posted.status_code == 400


def test_ordinary_requests_pass(client, township_clerk):
    client.force_login(township_clerk)
    assert client.get(reverse("cases:list") + "?q=宅基地").status_code == 200
