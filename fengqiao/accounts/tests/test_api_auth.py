"""API authentication: bearer tokens (digest lookup, expiry, deactivation, last use, request.user)
and the browser session with its CSRF check; every refusal in the one error shape."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from fengqiao.accounts.models import ApiToken, User, token_digest
from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db
CASES = "/api/v1/cases"


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _register_body(tree) -> str:
    return json.dumps(
        {
            "org_id": tree.township_centre.pk,
            "title": "宅基地边界纠纷",
            "description": "两户因宅基地边界发生争执。",
            "channel": "walk_in",
            "category": "housing_homestead",
            "region": tree.village.code,
            "parties": [{"role": "applicant", "name": "张三"}],
        }
    )


def _assert_401(response) -> None:
    assert response.status_code == 401
    assert response.json() == {
        "code": "unauthenticated",
        "message": "请登录或提供有效的 API 令牌。",
        "errors": {},
        "reasons": [],
    }


@pytest.fixture
def token(township_clerk: User) -> str:
    return api_token_create(actor=system_actor(), user=township_clerk, name="测试")


def test_a_bearer_token_acts_as_its_user(township_clerk, token, tree):
    client = Client(enforce_csrf_checks=True)  # a token needs no CSRF token
    response = client.post(
        CASES, data=_register_body(tree), content_type="application/json", **_bearer(token)
    )
    assert response.status_code == 201
    event = CaseEvent.objects.get(case_id=response.json()["id"])
    assert event.actor == township_clerk  # request.user was the token's user, not AnonymousUser
    assert response.json()["events"][0]["actor_name"] == str(township_clerk)


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer fq_not-a-token", "Token {token}", "Basic {token}", "bearer{token}"],
)
def test_missing_or_malformed_credentials_are_401(header, token):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header.format(token=token)}
    _assert_401(Client().get(CASES, **extra))


def test_expired_revoked_and_deactivated_user_tokens_are_401(township_clerk, token):
    client = Client()
    assert client.get(CASES, **_bearer(token)).status_code == 200
    row = ApiToken.objects.get(digest=token_digest(token))

    row.expires_at = timezone.now() - timedelta(seconds=1)
    row.save(update_fields=["expires_at"])
    _assert_401(client.get(CASES, **_bearer(token)))
    row.expires_at = timezone.now() + timedelta(days=1)
    row.save(update_fields=["expires_at"])
    assert client.get(CASES, **_bearer(token)).status_code == 200

    row.is_active = False
    row.save(update_fields=["is_active"])
    _assert_401(client.get(CASES, **_bearer(token)))
    row.is_active = True
    row.save(update_fields=["is_active"])

    township_clerk.is_active = False
    township_clerk.save(update_fields=["is_active"])
    _assert_401(client.get(CASES, **_bearer(token)))


def test_only_the_digest_is_stored_and_the_token_is_found_by_it(token):
    row = ApiToken.objects.get()
    assert row.digest == token_digest(token)
    assert token not in (row.digest, row.hint)
    _assert_401(Client().get(CASES, **_bearer(row.digest)))  # the digest itself is no token


def test_last_used_is_recorded_but_not_on_every_request(token):
    client = Client()
    row = ApiToken.objects.get()
    assert row.last_used_at is None
    client.get(CASES, **_bearer(token))
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None

    client.get(CASES, **_bearer(token))  # a moment later: no write
    row.refresh_from_db()
    assert row.last_used_at == first

    stale = timezone.now() - timedelta(hours=1)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=stale)
    client.get(CASES, **_bearer(token))
    row.refresh_from_db()
    assert row.last_used_at is not None
    assert row.last_used_at > stale


def test_the_session_authenticates_and_unsafe_calls_need_the_csrf_token(township_clerk, tree):
    client = Client(enforce_csrf_checks=True)
    client.force_login(township_clerk)
    assert client.get(CASES).status_code == 200

    refused = client.post(CASES, data=_register_body(tree), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert set(refused.json()) == {"code", "message", "errors", "reasons"}
    assert Case.objects.count() == 0

    docs = client.get("/api/v1/docs")  # sets the CSRF cookie, as the Swagger page does
    csrf = docs.cookies["csrftoken"].value
    accepted = client.post(
        CASES, data=_register_body(tree), content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert accepted.status_code == 201
    assert CaseEvent.objects.get().actor == township_clerk


def test_without_a_session_an_unsafe_call_is_401_not_a_csrf_403(tree):
    client = Client(enforce_csrf_checks=True)
    _assert_401(client.post(CASES, data=_register_body(tree), content_type="application/json"))
    _assert_401(
        client.post(
            CASES,
            data=_register_body(tree),
            content_type="application/json",
            **_bearer("fq_wrong"),
        )
    )
    assert Case.objects.count() == 0


def test_create_api_token_prints_only_the_token(township_clerk):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token", township_clerk.username, "--name", "对接", stdout=out, stderr=err
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert ApiToken.objects.get(name="对接").digest == token_digest(lines[0])
    assert Client().get(CASES, **_bearer(lines[0])).status_code == 200


def test_create_api_token_for_an_unknown_user_fails_in_chinese():
    with pytest.raises(CommandError, match="没有启用的用户"):
        call_command("create_api_token", "nobody", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()
