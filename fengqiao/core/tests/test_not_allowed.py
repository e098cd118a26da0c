"""Opening a form's address by itself: a Chinese page that says why, not the browser's English
error page over Django's empty 405 (issue #21, seen in the every-page walk)."""

import pytest
from django.http import HttpResponseNotAllowed
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.core.not_allowed import NotAllowedPageMiddleware

pytestmark = pytest.mark.django_db


def test_a_get_on_a_post_only_address_shows_a_chinese_page(client, make_actor, tree, register_case):
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.township_centre))
    case = register_case()
    response = client.get(reverse("cases:transition", args=[case.pk, "accept"]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "此地址只接收表单提交" in page
    assert "返回我的待办" in page
    assert response["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", ["/api/v1/cases/1", "/open311/v2/requests.json"])
def test_machine_clients_keep_the_bare_405(rf, path):
    """Their clients read the status and the Allow header; an HTML page would only confuse."""
    middleware = NotAllowedPageMiddleware(lambda request: HttpResponseNotAllowed(["GET"]))
    response = middleware(rf.delete(path))
    assert (response.status_code, response.content, response["Allow"]) == (405, b"", "GET")
