"""Issue #17: the portal stays open to every citizen behind nginx, the SMS code is the
captcha-free proof that lets a shared address ask again, and an existing tracking code is
answered like a missing one."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fengqiao.cases.models import Case
from fengqiao.portal import services
from fengqiao.portal.models import PortalApplication, VerificationCode
from fengqiao.portal.tests.conftest import CONSENTED

pytestmark = pytest.mark.django_db
NGINX = "127.0.0.1"


@pytest.fixture
def behind_nginx(settings):
    settings.FENGQIAO_TRUSTED_PROXIES = [NGINX, "::1"]
    settings.FENGQIAO_CLIENT_IP_HEADER = "X-Real-IP"
    return settings


def _ask(client, phone: str, real_ip: str, capture):
    with capture(execute=True):
        return client.post(
            reverse("portal:code"),
            {"phone": phone, "purpose": "apply", **CONSENTED},
            REMOTE_ADDR=NGINX,
            HTTP_X_REAL_IP=real_ip,
            HTTP_X_FORWARDED_FOR=real_ip,
        )


def test_twelve_citizens_behind_nginx_all_get_their_code(
    client, tree, outbox, behind_nginx, django_capture_on_commit_callbacks
):
    for n in range(12):
        response = _ask(
            client, f"1390000{n:04d}", f"36.{n}.1.2", django_capture_on_commit_callbacks
        )
        assert response.status_code == 200, n
    assert len(outbox) == 12
    assert VerificationCode.objects.filter(ip_address=NGINX).count() == 0


def test_a_shared_address_asks_on_while_its_codes_are_used_then_is_refused(
    client, tree, outbox, behind_nginx, django_capture_on_commit_callbacks
):
    behind_nginx.FENGQIAO_PORTAL_CODES_PER_IP_HOUR = 2
    behind_nginx.FENGQIAO_PORTAL_CODES_PER_IP_HOUR_HARD = 4
    office = "36.7.7.7"
    ask = django_capture_on_commit_callbacks
    assert _ask(client, "13900000001", office, ask).status_code == 200
    assert _ask(client, "13900000002", office, ask).status_code == 200
    # nobody entered those codes: the address is refused ...
    assert _ask(client, "13900000003", office, ask).status_code == 429
    # ... until a citizen there enters the code he received
    services.code_verify(phone="13900000002", purpose="apply", code=outbox.last_code())
    assert _ask(client, "13900000003", office, ask).status_code == 200
    services.code_verify(phone="13900000003", purpose="apply", code=outbox.last_code())
    assert _ask(client, "13900000004", office, ask).status_code == 200
    services.code_verify(phone="13900000004", purpose="apply", code=outbox.last_code())
    # the hard limit holds whatever was used
    refused = _ask(client, "13900000005", office, ask)
    assert refused.status_code == 429
    assert "小时" in refused.content.decode()
    assert VerificationCode.objects.count() == 4
    # another address is not affected
    assert _ask(client, "13900000005", "36.8.8.8", ask).status_code == 200


def test_one_phone_gets_a_bounded_number_of_codes_a_day(
    client, tree, outbox, behind_nginx, django_capture_on_commit_callbacks
):
    behind_nginx.FENGQIAO_PORTAL_CODES_PER_PHONE_DAY = 2
    for n in range(2):
        VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        ok = _ask(client, "13900000009", f"36.0.0.{n + 1}", django_capture_on_commit_callbacks)
        assert ok.status_code == 200
    VerificationCode.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    refused = _ask(client, "13900000009", "36.0.0.9", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert "明天" in refused.content.decode()


def _submit(client, tree, token: str, capture):
    with capture(execute=True):
        return client.post(
            reverse("portal:apply"),
            {
                "token": token,
                "township": tree.township.code,
                "village": tree.village.code,
                "what_happened": "邻居砌墙占了我家半米地。",
                "request": "",
                "other_party_name": "王五",
                "other_party_phone": "",
                "name": "赵六",
                "phone": "13712345678",
                "id_number": "",
                "code": "000000",
            },
        )


def test_an_existing_tracking_code_is_answered_like_a_missing_one(
    client, tree, online_endpoint, outbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    existing = services.tracking_code_new()
    owner = client.get(reverse("portal:apply"))
    assert owner.status_code == 200
    with capture(execute=True):
        client.post(
            reverse("portal:code"), {"phone": "13912345678", "purpose": "apply", **CONSENTED}
        )
    from fengqiao.portal.tests.test_portal import _form

    form = _form(tree, existing, outbox.last_code())
    with capture(execute=True):
        assert client.post(reverse("portal:apply"), form).status_code == 200
    assert PortalApplication.objects.filter(tracking_code=existing).exists()
    cases = Case.objects.count()
    missing = services.tracking_code_new()
    # a stranger types each code into the hidden field, bare or as he saw it in a form
    answers = []
    for token in (existing, missing):
        response = _submit(type(client)(), tree, token, capture)
        answers.append((response.status_code, response.context["errors"]))
    assert answers[0] == answers[1]
    assert answers[0][0] == 422
    assert Case.objects.count() == cases
