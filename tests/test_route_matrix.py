"""The authorisation matrix generated from the URL configuration: every route × every role ×
a case inside and outside the jurisdiction. A route added tomorrow is in the matrix tomorrow.

For each route the test fills its parameters (a case id, an id that exists nowhere, a region
code…) and checks, with a GET:
- anonymous visitors are sent to the login page (or get 401/404) except on public routes;
- nobody ever gets a server error;
- a case outside the user's jurisdiction is never shown: the answer is 404, 403 or a redirect,
  and the case's number is not in the body.
"""

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from fengqiao.accounts.roles import Role

pytestmark = pytest.mark.django_db

PUBLIC = ("/portal/", "/api/", "/accounts/login/", "/healthz", "/static/", "/media/")
SKIP = ("/admin/", "/api/v1/docs", "/api/v1/openapi.json", "/accounts/logout/")
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for item in resolver.url_patterns:
        route = str(item.pattern)
        if isinstance(item, URLResolver):
            yield from _patterns(item, prefix + route)
        elif isinstance(item, URLPattern):
            yield prefix + route


def routes() -> list[str]:
    found = []
    for route in _patterns(get_resolver()):
        if route.startswith("^") or "(?P" in route:  # regex routes: admin, ninja internals
            continue
        path = "/" + route
        if any(path.startswith(skip) for skip in SKIP):
            continue
        found.append(path)
    return sorted(set(found))


def fill(route: str, values: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name, converter = match["name"], match["converter"] or "str"
        if name in values:
            return values[name]
        return "999999" if converter == "int" else "x"

    return PARAMETER.sub(replace, route)


ROUTES = routes()


def test_the_matrix_sees_every_app():
    for prefix in ("/cases/", "/intake/", "/kpi/", "/ledgers/"):
        assert any(r.startswith(prefix) for r in ROUTES), prefix


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitors_meet_the_login(route, client, register_case):
    case = register_case()
    url = fill(route, {"case_id": str(case.pk), "code": "430624122000", "year": "2026"})
    response = client.get(url)
    assert response.status_code < 500, url
    if not url.startswith(PUBLIC):
        assert response.status_code in (302, 401, 403, 404), url
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"], url
        assert case.number not in response.content.decode(errors="ignore"), url


@pytest.mark.parametrize("role", Role.values)
def test_every_route_every_role_inside_and_outside(role, client, tree, make_actor, register_case):
    inside = register_case()  # handled by 静河镇, arising in 静河村
    other_clerk = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    outside = register_case(
        actor=other_clerk, org=tree.other_township_centre, region=tree.other_township_village
    )
    user = make_actor(role, tree.township_centre)
    client.force_login(user)
    failures = []
    for route in ROUTES:
        for case, place in ((inside, "inside"), (outside, "outside")):
            url = fill(route, {"case_id": str(case.pk), "code": "430624122000", "year": "2026"})
            response = client.get(url)
            if response.status_code >= 500:
                failures.append(f"{url} ({place}): {response.status_code}")
            if place == "outside" and "case_id" in route:
                body = (
                    response.content.decode(errors="ignore") if response.status_code == 200 else ""
                )
                if response.status_code == 200 or outside.number in body:
                    failures.append(f"{url}: a case outside the jurisdiction was shown")
            if "case_id" not in route:
                break  # one pass is enough for routes that take no case
    assert not failures, failures


@pytest.mark.parametrize("role", [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_the_three_administrators_read_no_case_content(
    role, client, tree, make_actor, register_case
):
    """三员分立: administrators run the system, its security and its audit, but no route shows
    them a case, even one inside their jurisdiction (the audit log names it, nothing more)."""
    case = register_case()
    client.force_login(make_actor(role, tree.county_centre, region=tree.county))
    shown = []
    for route in ROUTES:
        if route.startswith("/audit/"):
            continue  # the audit log lists case numbers as targets: that is its purpose
        url = fill(route, {"case_id": str(case.pk), "code": "430624122000", "year": "2026"})
        response = client.get(url)
        body = response.content.decode(errors="ignore") if response.status_code == 200 else ""
        if case.description[:20] in body or case.number in body:
            shown.append(url)
    assert not shown, shown
