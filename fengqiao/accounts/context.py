"""The top bar's menu for the signed-in person: only the sections their roles reach."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from fengqiao.accounts.navigation import links_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    links = links_for(user, path=request.path)
    search = reverse("cases:list")  # the quick search answers from the case list
    return {"nav_links": links, "nav_search": any(link.url == search for link in links)}
