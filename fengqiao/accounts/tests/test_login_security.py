"""Sign-in protection: a lock after repeated failures that reveals nothing, and idle timeout."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.accounts.models import LoginThrottle
from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Test-123456"  # conftest's make_actor password


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(
    client, township_clerk, settings
):
    settings.FENGQIAO_LOGIN_MAX_FAILURES = 5
    for _ in range(5):
        assert _login(client, "clerk", "wrong-password").status_code == 200
    locked = _login(client, "clerk", PASSWORD)
    assert locked.status_code == 200
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_LOCKED).count() == 1


def test_an_expired_lock_lets_the_right_password_in_and_clears_the_count(client, township_clerk):
    for _ in range(5):
        _login(client, "clerk", "wrong-password")
    LoginThrottle.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert _login(client, "clerk", PASSWORD).status_code == 302
    assert not LoginThrottle.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_SUCCEEDED).count() == 1


def test_unknown_usernames_are_locked_the_same_way(client, db):
    for _ in range(5):
        _login(client, "nobody", "x")
    assert "登录失败次数过多" in _login(client, "nobody", "x").content.decode()


def test_an_idle_session_is_signed_out(client, township_clerk, settings):
    settings.FENGQIAO_IDLE_MINUTES = 30
    assert _login(client, "clerk", PASSWORD).status_code == 302
    assert client.get(reverse("cases:todo")).status_code == 200
    session = client.session
    session["fengqiao_last_seen"] = int((timezone.now() - timedelta(minutes=31)).timestamp())
    session.save()
    response = client.get(reverse("cases:todo"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.get(reverse("cases:todo")).status_code == 302  # still signed out


def test_a_password_needs_three_kinds_of_character(client, township_clerk):
    client.force_login(township_clerk)
    url = reverse("password_change")
    weak = client.post(
        url,
        {
            "old_password": PASSWORD,
            "new_password1": "qwertyuiopasdf",
            "new_password2": "qwertyuiopasdf",
        },
    )
    assert weak.status_code == 200
    assert "至少" in weak.content.decode()
    township_clerk.refresh_from_db()
    assert township_clerk.check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


def test_an_expired_password_is_changed_before_anything_else(client, township_clerk, settings):
    settings.FENGQIAO_PASSWORD_MAX_AGE_DAYS = 90
    type(township_clerk).objects.filter(pk=township_clerk.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    assert _login(client, "clerk", PASSWORD).status_code == 302
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change")
    page = client.get(reverse("password_change")).content.decode()
    assert "密码已过期" in page
    new = "Xiang-yin-2026!"
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    assert client.get(reverse("cases:list")).status_code == 200  # still signed in, not expired
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGED).count() == 1


def test_no_expiry_when_the_policy_is_off(client, township_clerk, settings):
    settings.FENGQIAO_PASSWORD_MAX_AGE_DAYS = 0
    type(township_clerk).objects.filter(pk=township_clerk.pk).update(
        password_changed_at=timezone.now() - timedelta(days=900)
    )
    client.force_login(township_clerk)
    assert client.get(reverse("cases:list")).status_code == 200
