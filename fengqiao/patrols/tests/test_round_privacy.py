"""Issue #17: a township round is open to its villages, its rows only to their own village;
and typed-in text never becomes a live formula in the summary workbook."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import Tree
from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.patrols import services
from fengqiao.patrols.models import PatrolRound, PatrolSchedule, RoundKind

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 11, 16)


@pytest.fixture
def monthly(make_actor, tree: Tree) -> PatrolRound:
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    PatrolSchedule.objects.create(region=tree.township)
    services.rounds_generate(actor=director, on=MONDAY)
    rnd = PatrolRound.objects.get(kind=RoundKind.MONTHLY, region=tree.township)
    for village, text in (
        (tree.village, "甲村排水沟争执 13800138000"),
        (tree.other_village, "乙村"),
    ):
        services.report_file(
            actor=director,
            round_id=rnd.pk,
            village=village.code,
            entries=[
                services.EntryDraft(checked_on=MONDAY, checker="=cmd|' /C calc'!A0", situation=text)
            ],
        )
    return rnd


def _sheet_text(content: bytes) -> str:
    ws = load_workbook(io.BytesIO(content)).active
    return " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)


def test_another_villages_entries_are_not_on_the_round_page_or_in_its_sheet(
    client, monthly, make_actor, tree
):
    grid_worker = make_actor(Role.GRID_WORKER, tree.other_village_committee)
    client.force_login(grid_worker)
    page = client.get(reverse("patrols:round", args=[monthly.pk]))
    assert page.status_code == 200
    assert "乙村" in page.text
    assert "甲村排水沟争执" not in page.text
    assert "13800138000" not in page.text
    sheet = _sheet_text(client.get(reverse("patrols:round_export", args=[monthly.pk])).content)
    assert "乙村" in sheet
    assert "甲村" not in sheet
    assert "13800138000" not in sheet


def test_the_township_still_sees_every_village(client, monthly, make_actor, tree):
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.township_centre))
    sheet = _sheet_text(client.get(reverse("patrols:round_export", args=[monthly.pk])).content)
    assert "甲村排水沟争执" in sheet
    assert "乙村" in sheet


def test_a_value_starting_with_equals_is_text_not_a_formula(client, monthly, make_actor, tree):
    client.force_login(make_actor(Role.CENTRE_DIRECTOR, tree.township_centre))
    content = client.get(reverse("patrols:round_export", args=[monthly.pk])).content
    ws = load_workbook(io.BytesIO(content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value and "calc" in str(c.value)]
    assert cells
    assert all(c.data_type == "s" and str(c.value).startswith("'=") for c in cells)


def test_the_summary_is_the_one_workbook_with_native_dates_and_is_audited(
    client, monthly, make_actor, tree
):
    """Issue #16: the 排查 summary used another writer and font, dates as text, no frozen
    header or filter, and its download was not audited."""
    director = make_actor(Role.CENTRE_DIRECTOR, tree.township_centre)
    client.force_login(director)

    response = client.get(reverse("patrols:round_export", args=[monthly.pk]))

    assert (
        "filename*=UTF-8''%E6%8E%92%E6%9F%A5%E6%B1%87%E6%80%BB" in response["Content-Disposition"]
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    checked = ws["A5"]
    assert (checked.data_type, checked.number_format) == ("d", "yyyy-mm-dd")
    assert checked.value.date() == MONDAY
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:F6"
    assert ws.print_title_rows == "$4:$4"
    assert {ws["A1"].font.name, ws["A5"].font.name} == {"宋体"}
    entry = AuditEntry.objects.get(action=AuditAction.DATA_EXPORTED, actor=director)
    assert entry.extra == {"export": "patrol_summary", "round": monthly.pk, "rows": 2}
