"""The second factor: enrolment on first sign-in when required, a code works once, wrong codes
count toward the lock, and the security administrator's reset and unlock (三员分立)."""

import time

import pyotp
import pytest
from django.urls import reverse

from fengqiao.accounts import two_factor
from fengqiao.accounts.models import LoginThrottle, TotpDevice
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Test-123456"


@pytest.fixture
def required(settings):
    settings.FENGQIAO_TOTP_REQUIRED = True


def _password(client, username="clerk", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def _code(user, offset=0):
    secret = two_factor.secret_of(TotpDevice.objects.get(user=user))
    return pyotp.TOTP(secret).at(time.time() + offset)


def _signed_in(client):
    return "_auth_user_id" in client.session


def test_a_required_authenticator_is_enrolled_at_first_sign_in(client, township_clerk, required):
    response = _password(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("second_factor")
    assert not _signed_in(client)
    page = client.get(reverse("second_factor"))
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert 'id="totp-secret"' in page.content.decode()
    device = TotpDevice.objects.get(user=township_clerk)
    assert device.confirmed_at is None
    assert two_factor.secret_of(device) not in device.secret_encrypted  # encrypted at rest

    response = client.post(reverse("second_factor"), {"code": _code(township_clerk)})
    # signed in, and shown the recovery codes once before going on
    assert response.status_code == 200
    assert 'id="recovery-code-list"' in response.content.decode()
    assert f'href="{reverse("cases:todo")}"' in response.content.decode()
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_ENROLLED).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_SUCCEEDED).count() == 1


def test_a_code_works_once_and_wrong_codes_lead_to_the_lock(
    client, township_clerk, required, settings
):
    settings.FENGQIAO_LOGIN_MAX_FAILURES = 3
    _password(client)
    client.get(reverse("second_factor"))
    code = _code(township_clerk)
    client.post(reverse("second_factor"), {"code": code})
    client.post(reverse("logout"))

    _password(client)
    replay = client.post(reverse("second_factor"), {"code": code})
    assert replay.status_code == 200
    assert not _signed_in(client)
    assert "验证码错误或已使用" in replay.content.decode()
    client.post(reverse("second_factor"), {"code": "000000"})
    locked = client.post(reverse("second_factor"), {"code": "111111"})
    assert locked.status_code == 302
    assert locked["Location"] == reverse("login")
    assert not _signed_in(client)
    assert LoginThrottle.objects.get(username="clerk").locked_until is not None
    # the lock holds for the password step too, and the pending step is gone
    assert client.get(reverse("second_factor"))["Location"] == reverse("login")
    assert "登录失败次数过多" in _password(client).content.decode()


def test_an_enrolled_authenticator_is_asked_even_when_not_required(client, township_clerk):
    TotpDevice.objects.create(
        user=township_clerk,
        secret_encrypted=two_factor.crypto.encrypt(
            pyotp.random_base32(), context=two_factor.SECRET_CONTEXT
        ),
        confirmed_at="2026-01-01T00:00:00Z",
    )
    assert _password(client)["Location"] == reverse("second_factor")
    page = client.get(reverse("second_factor")).content.decode()
    assert "<svg" not in page  # no new enrolment offered to someone already enrolled
    response = client.post(reverse("second_factor"), {"code": _code(township_clerk, -30)})
    assert response.status_code == 302
    assert _signed_in(client)


def test_without_requirement_or_device_the_password_suffices(client, township_clerk):
    response = _password(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:todo")
    assert _signed_in(client)


def test_the_next_page_is_kept_but_never_another_site(client, township_clerk, required):
    _password(client, next_url=reverse("cases:list"))
    client.get(reverse("second_factor"))
    response = client.post(reverse("second_factor"), {"code": _code(township_clerk)})
    assert f'href="{reverse("cases:list")}"' in response.content.decode()  # after the codes
    client.post(reverse("logout"))
    _password(client, next_url="https://evil.example/")
    response = client.post(reverse("second_factor"), {"code": _code(township_clerk, 30)})
    assert response["Location"] == reverse("cases:todo")


def test_the_admin_site_signs_in_through_both_steps(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_self_service_enrolment(client, township_clerk):
    client.force_login(township_clerk)
    page = client.get(reverse("my_authenticator"))
    assert "<svg" in page.content.decode()
    wrong = client.post(reverse("my_authenticator"), {"code": "12345x"})
    assert wrong.status_code == 200
    assert TotpDevice.objects.get(user=township_clerk).confirmed_at is None
    client.post(reverse("my_authenticator"), {"code": _code(township_clerk)})
    assert TotpDevice.objects.get(user=township_clerk).confirmed_at is not None


@pytest.fixture
def security_admin(make_actor, tree):
    return make_actor(Role.SECURITY_ADMIN, tree.county_centre, region=tree.county)


def test_the_security_administrator_resets_and_unlocks_with_a_reason(
    client, township_clerk, security_admin, required
):
    _password(client)
    client.get(reverse("second_factor"))
    client.post(reverse("second_factor"), {"code": _code(township_clerk)})
    LoginThrottle.objects.create(username="clerk", failures=5, locked_until="2099-01-01T00:00Z")
    client.force_login(security_admin)
    page = client.get(reverse("security_admin"), {"q": "clerk"}).content.decode()
    assert "clerk" in page

    no_reason = client.post(
        reverse("security_action", args=[township_clerk.pk, "reset"]), {"reason": " "}
    )
    assert no_reason.status_code == 302
    assert TotpDevice.objects.filter(user=township_clerk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_RESET).exists()

    client.post(
        reverse("security_action", args=[township_clerk.pk, "reset"]), {"reason": "手机遗失"}
    )
    client.post(
        reverse("security_action", args=[township_clerk.pk, "unlock"]), {"reason": "本人来电核实"}
    )
    assert not TotpDevice.objects.filter(user=township_clerk).exists()
    assert not LoginThrottle.objects.exists()
    reset = AuditEntry.objects.get(action=AuditAction.TWO_FACTOR_RESET)
    assert reset.actor == security_admin
    assert reset.extra["reason"] == "手机遗失"
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_UNLOCKED).count() == 1


def test_the_security_administrator_sees_no_case_and_no_account_outside(
    client, make_actor, tree, security_admin, register_case
):
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    township_admin = make_actor(Role.SECURITY_ADMIN, tree.township_centre)
    case = register_case()
    client.force_login(township_admin)
    assert outsider.username not in client.get(reverse("security_admin")).content.decode()
    response = client.post(
        reverse("security_action", args=[outsider.pk, "unlock"]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.LOGIN_UNLOCKED).exists()
    client.force_login(security_admin)
    detail = client.get(reverse("cases:detail", args=[case.pk]))
    assert detail.status_code == 404


def test_staff_without_the_role_cannot_open_the_security_page(client, township_clerk):
    client.force_login(township_clerk)
    assert client.get(reverse("security_admin")).status_code == 403
