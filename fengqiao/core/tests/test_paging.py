"""Lists count no further than the cap and say so; below it the count is exact."""

import pytest
from django.urls import reverse

from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.core import paging

pytestmark = pytest.mark.django_db


def test_counts_stop_at_the_cap_and_say_so(client, township_clerk, register_case, monkeypatch):
    for _ in range(3):
        register_case()
    token = api_token_create(actor=system_actor(), user=township_clerk)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = client.get("/api/v1/cases", **auth).json()
    assert (body["count"], body["count_capped"]) == (3, False)

    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    monkeypatch.setattr(paging.capped_count, "__defaults__", (2,))
    body = client.get("/api/v1/cases", **auth).json()
    assert (body["count"], body["count_capped"]) == (2, True)
    assert len(body["items"]) == 3  # the page itself is not cut
    client.force_login(township_clerk)
    page = client.get(reverse("cases:list")).content.decode()
    assert "多于 2 件" in page
