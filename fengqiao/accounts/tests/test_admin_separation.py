"""Issue #17, 三员分立 in the admin: the system administrator (a Django superuser) grants no
roles, resets no password and reads no audit; the security administrator grants roles, never to
himself, and resets passwords, forcing a change; every such change is audited under his name."""

import pytest
from django.urls import reverse

from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def sysadmin(make_actor, tree):
    user = make_actor(Role.SYSTEM_ADMIN, tree.county_centre, username="sysadmin")
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def security(make_actor, tree):
    user = make_actor(Role.SECURITY_ADMIN, tree.county_centre, username="anquan")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def auditor(make_actor, tree):
    user = make_actor(Role.AUDIT_ADMIN, tree.county_centre, username="shenji")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def worker(tree):
    return User.objects.create_user(username="newworker", full_name="新网格员")


def _grant_data(user, tree, role=Role.CENTRE_DIRECTOR):
    return {
        "user": user.pk,
        "role": role,
        "region": tree.county.pk,
        "org": tree.county_centre.pk,
        "is_active": "on",
        "valid_from": "2026-12-01",
        "valid_until": "",
    }


def test_the_system_administrator_cannot_grant_himself_case_rights(client, sysadmin, tree):
    client.force_login(sysadmin)
    before = Membership.objects.count(), AuditEntry.objects.count()
    add = reverse("admin:accounts_membership_add")
    assert client.get(add).status_code == 403
    assert client.post(add, _grant_data(sysadmin, tree)).status_code == 403
    assert (Membership.objects.count(), AuditEntry.objects.count()) == before


def test_the_system_administrator_reads_no_audit_and_resets_no_password(client, sysadmin, worker):
    client.force_login(sysadmin)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 403
    url = reverse("admin:auth_user_password_change", args=[worker.pk])
    response = client.post(url, {"password1": "Xx-Secret-2026!", "password2": "Xx-Secret-2026!"})
    assert response.status_code == 403
    worker.refresh_from_db()
    assert not worker.has_usable_password()


def test_an_account_made_by_the_system_administrator_has_no_password_he_knows(client, sysadmin):
    client.force_login(sysadmin)
    add = reverse("admin:accounts_user_add")
    data = {
        "username": "li",
        "password1": "Xx-Secret-2026!",
        "password2": "Xx-Secret-2026!",
        "usable_password": "true",
    }
    for formset in client.get(add).context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not User.objects.get(username="li").has_usable_password()


def test_the_security_administrator_grants_roles_audited_under_his_name(
    client, security, worker, tree
):
    client.force_login(security)
    response = client.post(reverse("admin:accounts_membership_add"), _grant_data(worker, tree))
    assert response.status_code == 302
    membership = Membership.objects.get(user=worker)
    entry = AuditEntry.objects.filter(action=AuditAction.RECORD_CREATED).latest("pk")
    assert (entry.actor, entry.target_id) == (security, str(membership.pk))


def test_the_security_administrator_never_grants_to_himself(client, security, tree):
    client.force_login(security)
    before = Membership.objects.count(), AuditEntry.objects.count()
    response = client.post(reverse("admin:accounts_membership_add"), _grant_data(security, tree))
    assert response.status_code == 200
    assert "不能修改自己的角色" in response.text
    assert (Membership.objects.count(), AuditEntry.objects.count()) == before
    own = Membership.objects.get(user=security)
    change = reverse("admin:accounts_membership_change", args=[own.pk])
    assert client.post(change, _grant_data(security, tree, Role.CENTRE_DIRECTOR)).status_code == 403


def _inline_form(client, url):
    """The user change form's current values, as the browser would post them back."""
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("password",):
            continue
        widget = field.widget
        if hasattr(widget, "decompress"):
            for i, part in enumerate(widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif value is not None:
            data[name] = str(getattr(value, "pk", value))
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
    return data, page.context["inline_admin_formsets"][0].formset.prefix


def test_a_grant_through_the_user_pages_inline_is_audited(client, security, worker, tree):
    client.force_login(security)
    url = reverse("admin:accounts_user_change", args=[worker.pk])
    data, prefix = _inline_form(client, url)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-role": Role.MEDIATOR,
            f"{prefix}-0-region": tree.village.pk,
            f"{prefix}-0-org": tree.village_committee.pk,
            f"{prefix}-0-is_active": "on",
            f"{prefix}-0-valid_from": "2026-12-01",
            f"{prefix}-0-user": worker.pk,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    membership = Membership.objects.get(user=worker)
    entry = AuditEntry.objects.get(action=AuditAction.RECORD_CREATED, target_id=str(membership.pk))
    assert entry.actor == security
    assert entry.extra["role"] == Role.MEDIATOR


def test_a_password_reset_is_audited_and_must_be_changed_at_next_sign_in(
    client, security, make_actor, tree
):
    person = make_actor(Role.GRID_WORKER, tree.village_committee, username="wangge")
    client.force_login(security)
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    response = client.post(
        url,
        {"password1": "Xx-Secret-2026!", "password2": "Xx-Secret-2026!", "usable_password": "true"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action=AuditAction.PASSWORD_CHANGED).latest("pk")
    assert (entry.actor, entry.target_id) == (security, str(person.pk))
    person.refresh_from_db()
    assert person.must_change_password
    other = type(client)()
    other.force_login(person)
    assert other.get(reverse("cases:todo"))["Location"] == reverse("password_change")
    # the security administrator resets no password of his own here
    own = reverse("admin:auth_user_password_change", args=[security.pk])
    assert client.get(own).status_code == 403


def test_the_auditor_reads_the_audit_log(client, auditor):
    client.force_login(auditor)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
