"""Every HTML page carries the Content-Security-Policy (own scripts only) and the
Permissions-Policy; the API's Swagger page, initialised inline by ninja, is left out; the audit
log's address is the person's, not the proxy's, behind nginx."""

import pytest
from django.urls import reverse

from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def test_html_pages_carry_the_policies(client, township_clerk):
    client.force_login(township_clerk)
    response = client.get(reverse("cases:list"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_inline_script():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("templates/**/*.html"):
        if "/documents/pdf/" in str(path):
            continue  # rendered to PDF on the server, never in a browser
        text = path.read_text(encoding="utf-8")
        offenders.extend(
            f"{path.relative_to(root)}: {marker}"
            for marker in ("<script>", "onclick=", "onchange=", "onsubmit=", "javascript:")
            if marker in text
        )
    assert not offenders, offenders


def test_the_swagger_page_is_left_without_csp(client):
    response = client.get("/api/v1/docs")
    assert "Content-Security-Policy" not in response


def test_behind_the_proxy_the_audit_names_the_real_address(client, township_clerk, settings):
    settings.FENGQIAO_TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        reverse("login"),
        {"username": "clerk", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="10.23.4.5",
    )
    assert AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED).ip_address == "10.23.4.5"
    settings.FENGQIAO_TRUSTED_PROXIES = []
    client.post(
        reverse("login"),
        {"username": "clerk", "password": "wrong"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="10.23.4.5",
    )
    assert AuditEntry.objects.filter(ip_address="127.0.0.1").count() == 1


def test_the_request_id_from_nginx_is_kept(client, township_clerk):
    client.force_login(township_clerk)
    given = "2b1f3a52-8d4e-4c1e-9f00-0a6f3c2d1e77"
    assert client.get("/", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    assert client.get("/", HTTP_X_REQUEST_ID="not-a-uuid")["X-Request-ID"] != "not-a-uuid"
