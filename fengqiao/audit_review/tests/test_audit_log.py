"""The audit administrator's search and export: within the jurisdiction only, the search itself
audited, the export a real workbook stamped with who exported it."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(make_actor, tree):
    return make_actor(Role.AUDIT_ADMIN, tree.township_centre, username="auditor")


@pytest.fixture
def two_cases(register_case, make_actor, tree):
    inside = register_case()
    other = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre, username="shitang")
    outside = register_case(
        actor=other, org=tree.other_township_centre, region=tree.other_township_village
    )
    return inside, outside


def test_the_auditor_finds_entries_of_the_jurisdiction_only(client, auditor, two_cases):
    inside, outside = two_cases
    client.force_login(auditor)
    page = client.get(reverse("audit:log")).content.decode()
    assert inside.number in page
    assert outside.number not in page
    assert "shitang" not in page
    searched = AuditEntry.objects.filter(action=AuditAction.AUDIT_SEARCHED, actor=auditor)
    assert searched.count() == 1


def test_filters_narrow_and_bad_dates_are_explained(client, auditor, two_cases):
    inside, _outside = two_cases
    client.force_login(auditor)
    page = client.get(reverse("audit:log"), {"action": AuditAction.LOGIN_FAILED}).content
    assert inside.number not in page.decode()
    bad = client.get(reverse("audit:log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert "截止日期早于起始日期" in bad.content.decode()
    assert not AuditEntry.objects.filter(
        action=AuditAction.AUDIT_SEARCHED, extra__query__icontains="2026-05-02"
    ).exists()


def test_pages_go_back_by_id(client, auditor, two_cases, settings, monkeypatch):
    from fengqiao.audit_review import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 1)
    client.force_login(auditor)
    first = client.get(reverse("audit:log"))
    before = first.context["next_before"]
    assert before is not None
    second = client.get(reverse("audit:log"), {"before": before})
    assert second.context["rows"][0].pk < before


def test_the_export_is_a_stamped_workbook_and_is_audited(client, auditor, two_cases):
    inside, outside = two_cases
    client.force_login(auditor)
    response = client.get(reverse("audit:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert inside.number in text
    assert outside.number not in text
    assert "导出人：测试" in text
    exported = AuditEntry.objects.get(action=AuditAction.DATA_EXPORTED, actor=auditor)
    assert exported.extra["ledger"] == "audit"
    assert exported.extra["rows"] >= 1


def test_case_staff_and_the_system_administrator_cannot_read_the_log(
    client, township_clerk, make_actor, tree
):
    admin = make_actor(Role.SYSTEM_ADMIN, tree.county_centre, region=tree.county)
    for person in (township_clerk, admin):
        client.force_login(person)
        assert client.get(reverse("audit:log")).status_code == 403
        assert client.get(reverse("audit:export")).status_code == 403
    assert not AuditEntry.objects.filter(
        action__in=[AuditAction.AUDIT_SEARCHED, AuditAction.DATA_EXPORTED]
    ).exists()


def test_the_exported_times_are_native_date_times_under_a_frozen_filtered_header(
    client, auditor, two_cases
):
    """Issue #16: exported times were text; there was no frozen header or filter."""
    client.force_login(auditor)
    response = client.get(reverse("audit:export"))
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["B4"].value == "时间"
    assert (sheet["B5"].data_type, sheet["B5"].number_format) == ("d", "yyyy-mm-dd hh:mm")
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref.startswith("A4:")
