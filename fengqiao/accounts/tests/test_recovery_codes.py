"""Recovery codes for the second factor (issue #16): made at enrolment and on request (the old set
then stops working), shown once, stored as hashes, each good for one sign-in, wrong ones
counted toward the lock, every step audited, and cleared by the security administrator's reset."""

import pyotp
import pytest
from django.urls import reverse

from fengqiao.accounts import recovery_codes, two_factor
from fengqiao.accounts.models import LoginThrottle, RecoveryCode, TotpDevice
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "pw-Test-123456"


def _enrolled(user):
    TotpDevice.objects.create(
        user=user,
        secret_encrypted=two_factor.crypto.encrypt(
            pyotp.random_base32(), context=two_factor.SECRET_CONTEXT
        ),
        confirmed_at="2026-01-01T00:00:00Z",
    )
    return recovery_codes.recovery_codes_generate(actor=user)


def _password(client, username="clerk", next_url=""):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def _recover(client, code):
    return client.post(reverse("second_factor_recovery"), {"code": code})


def _signed_in(client):
    return "_auth_user_id" in client.session


def _entries(action):
    return AuditEntry.objects.filter(action=action)


def test_enrolment_shows_ten_codes_once_and_keeps_only_hashes(client, township_clerk, settings):
    settings.FENGQIAO_TOTP_REQUIRED = True
    _password(client)
    client.get(reverse("second_factor"))
    secret = two_factor.secret_of(TotpDevice.objects.get(user=township_clerk))
    page = client.post(reverse("second_factor"), {"code": pyotp.TOTP(secret).now()})

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    html = page.content.decode()
    assert "您的恢复码" in html
    assert "data-print" in html
    rows = list(RecoveryCode.objects.filter(user=township_clerk))
    assert len(rows) == 10
    codes = [c.split("</code>")[0] for c in html.split("<code>")[1:]]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    for code in codes:
        plain = code.replace("-", "")
        assert len(plain) == 10
        assert set(plain) <= set(recovery_codes.ALPHABET)
        assert not set(plain) & set("01OIL")
        for row in rows:  # hash at rest: no code, in either spelling, anywhere in the row
            assert row.code_hash.startswith("pbkdf2_sha256_recovery$30000$")
            assert plain not in row.code_hash
            assert code not in row.code_hash
            assert plain not in row.lookup
            assert len(row.lookup) == 4
    generated = _entries(AuditAction.RECOVERY_CODES_GENERATED).get()
    assert generated.actor == township_clerk
    assert generated.extra == {"count": 10, "unused_replaced": 0}

    # shown once: the authenticator page gives the count, never the codes again
    again = client.get(reverse("my_authenticator")).content.decode()
    assert "剩余 10 个恢复码" in again
    assert not any(code in again for code in codes)


def test_a_recovery_code_signs_in_once(client, township_clerk):
    codes = _enrolled(township_clerk)
    _password(client, next_url=reverse("cases:list"))
    page = client.get(reverse("second_factor"))
    assert reverse("second_factor_recovery") in page.content.decode()

    typed = " " + codes[0].lower().replace("-", " ") + " "  # case, spaces, no hyphen: all fine
    response = _recover(client, typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list")
    assert _signed_in(client)
    used = _entries(AuditAction.RECOVERY_CODE_USED).get()
    assert used.actor == township_clerk
    assert used.extra == {"left": 9}
    assert _entries(AuditAction.LOGIN_SUCCEEDED).count() == 1
    assert recovery_codes.recovery_codes_left(township_clerk) == 9

    client.post(reverse("logout"))
    _password(client)
    replay = _recover(client, codes[0])
    assert replay.status_code == 200
    assert not _signed_in(client)
    assert "恢复码错误或已使用" in replay.content.decode()
    refused = _entries(AuditAction.RECOVERY_CODE_REFUSED).get()
    assert refused.actor is None
    assert refused.extra == {"username": "clerk"}
    assert LoginThrottle.objects.get(username="clerk").failures == 1
    assert recovery_codes.recovery_codes_left(township_clerk) == 9


def test_a_new_set_voids_the_old_one(client, township_clerk):
    old = _enrolled(township_clerk)
    client.force_login(township_clerk)
    page = client.post(reverse("recovery_codes_regenerate"))
    assert page.status_code == 200
    new = [c.split("</code>")[0] for c in page.content.decode().split("<code>")[1:]]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert RecoveryCode.objects.filter(user=township_clerk).count() == 10
    generated = _entries(AuditAction.RECOVERY_CODES_GENERATED).order_by("id")
    assert [e.extra["unused_replaced"] for e in generated] == [0, 10]
    client.post(reverse("logout"))

    _password(client)
    assert _recover(client, old[3]).status_code == 200
    assert not _signed_in(client)
    assert _recover(client, new[3]).status_code == 302
    assert _signed_in(client)


def test_wrong_codes_lead_to_the_lock_and_a_lock_refuses_even_a_right_code(
    client, township_clerk, settings
):
    settings.FENGQIAO_LOGIN_MAX_FAILURES = 3
    codes = _enrolled(township_clerk)
    other = client.__class__()
    _password(other)  # a second browser past the password step before the lock

    _password(client)
    _recover(client, "AAAAA-AAAAA")
    _recover(client, "not a code")
    locked = _recover(client, "BBBBB-BBBBB")
    assert locked.status_code == 302
    assert locked["Location"] == reverse("login")
    assert LoginThrottle.objects.get(username="clerk").locked_until is not None
    assert _entries(AuditAction.RECOVERY_CODE_REFUSED).count() == 3
    assert _entries(AuditAction.LOGIN_LOCKED).count() == 1

    refused = _recover(other, codes[0])
    assert refused.status_code == 302
    assert refused["Location"] == reverse("login")
    assert "_auth_user_id" not in other.session
    assert recovery_codes.recovery_codes_left(township_clerk) == 10  # the right code unspent
    assert not _entries(AuditAction.RECOVERY_CODE_USED).exists()


def test_the_pages_say_when_few_codes_are_left(client, township_clerk):
    codes = _enrolled(township_clerk)
    for code in codes[:7]:
        assert recovery_codes.recovery_code_use(user=township_clerk, code=code)
    _password(client)
    response = client.post(reverse("second_factor_recovery"), {"code": codes[7]}, follow=True)
    assert _signed_in(client)
    assert "恢复码仅剩 2 个" in response.content.decode()
    page = client.get(reverse("my_authenticator")).content.decode()
    assert "剩余 2 个恢复码" in page
    assert "恢复码即将用完" in page


def test_plenty_left_says_nothing(client, township_clerk):
    codes = _enrolled(township_clerk)
    _password(client)
    response = client.post(reverse("second_factor_recovery"), {"code": codes[0]}, follow=True)
    assert "恢复码仅剩" not in response.content.decode()
    assert "恢复码即将用完" not in client.get(reverse("my_authenticator")).content.decode()


def test_self_service_enrolment_shows_the_codes(client, township_clerk):
    client.force_login(township_clerk)
    client.get(reverse("my_authenticator"))
    secret = two_factor.secret_of(TotpDevice.objects.get(user=township_clerk))
    page = client.post(reverse("my_authenticator"), {"code": pyotp.TOTP(secret).now()})
    assert page.status_code == 200
    assert page.content.decode().count("<code>") == 10
    assert RecoveryCode.objects.filter(user=township_clerk).count() == 10


def test_no_codes_without_an_enrolled_authenticator(client, township_clerk, settings):
    client.force_login(township_clerk)
    response = client.post(reverse("recovery_codes_regenerate"))
    assert response.status_code == 302
    assert not RecoveryCode.objects.exists()
    assert not _entries(AuditAction.RECOVERY_CODES_GENERATED).exists()

    # someone still enrolling is sent to the authenticator step, not offered recovery
    client.post(reverse("logout"))
    settings.FENGQIAO_TOTP_REQUIRED = True
    _password(client)
    assert client.get(reverse("second_factor_recovery"))["Location"] == reverse("second_factor")
    assert "使用恢复码" not in client.get(reverse("second_factor")).content.decode()
    # and without the password step there is nothing to recover
    assert client.__class__().get(reverse("second_factor_recovery"))["Location"] == reverse("login")


def test_two_requests_cannot_both_spend_one_code(township_clerk):
    codes = _enrolled(township_clerk)
    assert recovery_codes.recovery_code_use(user=township_clerk, code=codes[5])
    assert not recovery_codes.recovery_code_use(user=township_clerk, code=codes[5])
    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1


@pytest.fixture
def security_admin(make_actor, tree):
    return make_actor(Role.SECURITY_ADMIN, tree.county_centre, region=tree.county)


def test_the_lost_authenticator_reset_also_clears_the_codes(
    client, township_clerk, security_admin, settings
):
    settings.FENGQIAO_TOTP_REQUIRED = True
    codes = _enrolled(township_clerk)
    client.force_login(security_admin)
    client.post(
        reverse("security_action", args=[township_clerk.pk, "reset"]), {"reason": "手机遗失"}
    )
    assert not RecoveryCode.objects.filter(user=township_clerk).exists()
    assert _entries(AuditAction.TWO_FACTOR_RESET).get().extra == {
        "reason": "手机遗失",
        "recovery_codes_cleared": 10,
    }
    client.post(reverse("logout"))
    _password(client)
    # enrolling again: no recovery step, and the old codes are gone
    assert client.get(reverse("second_factor_recovery"))["Location"] == reverse("second_factor")
    assert not recovery_codes.recovery_code_use(user=township_clerk, code=codes[0])


def test_a_refused_reset_leaves_the_codes_and_no_trace(client, make_actor, tree):
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    _enrolled(outsider)
    township_admin = make_actor(Role.SECURITY_ADMIN, tree.township_centre)
    client.force_login(township_admin)
    response = client.post(
        reverse("security_action", args=[outsider.pk, "reset"]), {"reason": "手机遗失"}
    )
    assert response.status_code == 404
    assert RecoveryCode.objects.filter(user=outsider).count() == 10
    assert TotpDevice.objects.filter(user=outsider).exists()
    assert not _entries(AuditAction.TWO_FACTOR_RESET).exists()


def test_a_recovery_code_is_not_an_authenticator_code(client, township_clerk):
    codes = _enrolled(township_clerk)
    _password(client)
    response = client.post(reverse("second_factor"), {"code": codes[0]})
    assert response.status_code == 200
    assert not _signed_in(client)
    assert recovery_codes.recovery_codes_left(township_clerk) == 10
