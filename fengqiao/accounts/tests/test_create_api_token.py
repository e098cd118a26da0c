"""create_api_token prints a token once and stores only its digest."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fengqiao.accounts.models import ApiToken, User, token_digest

pytestmark = pytest.mark.django_db


def test_issues_a_token_and_stores_its_digest():
    user = User.objects.create_user(username="api-user", password="pw-Test-123456")
    out = StringIO()
    call_command(
        "create_api_token",
        "api-user",
        "--name",
        "12345 对接",
        "--days",
        "30",
        stdout=out,
        stderr=StringIO(),
    )
    token = out.getvalue().strip()
    row = ApiToken.objects.get(user=user)
    assert token.startswith("fq_")
    assert row.digest == token_digest(token)
    assert row.name == "12345 对接"


def test_unknown_user_fails():
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")
