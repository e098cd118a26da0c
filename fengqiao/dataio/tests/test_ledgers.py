"""Ledgers: the export opened with openpyxl holds exactly what the page shows, with the title,
unit, period and exporter; formulas stay text; exports are audited; scope applies."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def page_rows(html: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("code", ["registration", "handling"])
def test_the_export_matches_the_page(code, client, township_clerk, register_case, tree, make_actor):
    register_case(title="宅基地纠纷", amount=1200)
    register_case(title='=HYPERLINK("http://x")', description="=1+2 看似公式的描述")
    elsewhere = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    register_case(
        actor=elsewhere, org=tree.other_township_centre, region=tree.other_township_village
    )
    client.force_login(township_clerk)

    html = client.get(reverse("dataio:ledger", args=[code])).content.decode()
    response = client.get(reverse("dataio:export", args=[code]))

    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][0].startswith("矛盾纠纷")
    assert "静河镇矛调中心" in rows[1][0]
    assert "clerk" in rows[2][0] or "测试" in rows[2][0]
    sheet_rows = [["" if v is None else str(v) for v in row] for row in rows[4:]]
    shown = page_rows(html)
    assert len(shown) == len(sheet_rows) == 2  # the other township's case is out of scope
    for on_page, in_sheet in zip(shown, sheet_rows, strict=True):
        assert on_page[0] == in_sheet[0]  # 序号
        assert on_page[1] == in_sheet[1]  # case number
    flat = [v for row in rows for v in row if isinstance(v, str)]
    assert not any(v.startswith("=") for v in flat)  # formulas are kept as text
    entry = AuditEntry.objects.get(action=AuditAction.DATA_EXPORTED)
    assert entry.extra["ledger"] == code
    assert entry.extra["rows"] == 2


def test_a_bad_filter_is_a_field_error_and_exports_nothing(client, township_clerk):
    client.force_login(township_clerk)
    url = reverse("dataio:export", args=["registration"]) + "?created_from=not-a-date"
    assert client.get(url).status_code == 400
    assert not AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED).exists()


def test_unknown_ledgers_are_not_found(client, township_clerk):
    client.force_login(township_clerk)
    assert client.get(reverse("dataio:ledger", args=["nothing"])).status_code == 404


def test_the_follow_up_ledger_lists_the_visits_of_cases_in_reach(
    client, township_clerk, register_case, tree, make_actor
):
    from datetime import date

    from fengqiao.mediation.models import FollowUp

    mine = register_case(title="回访案件")
    elsewhere = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    theirs = register_case(
        actor=elsewhere, org=tree.other_township_centre, region=tree.other_township_village
    )
    FollowUp.objects.create(
        case=mine,
        due_on=date(2026, 3, 1),
        state="done",
        done_on=date(2026, 3, 2),
        method="电话",
        outcome="已按协议付款",
        satisfaction="satisfied",
        term_performed=True,
    )
    FollowUp.objects.create(case=mine, due_on=date(2026, 4, 1))
    FollowUp.objects.create(case=theirs, due_on=date(2026, 3, 5))
    client.force_login(township_clerk)

    html = client.get(reverse("dataio:ledger", args=["follow_ups"])).content.decode()
    rows = page_rows(html)
    assert [r[1] for r in rows] == [mine.number, mine.number]
    assert "满意" in rows[0]
    export = client.get(reverse("dataio:export", args=["follow_ups"]))
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "回访台账"
    assert len(values) == 4 + 2


def test_the_export_has_native_dates_and_amounts_a_frozen_filtered_header_and_a_chinese_name(
    client, township_clerk, register_case
):
    """Issue #16: exported dates were text, amounts had no number format, there was no frozen
    header or filter."""
    register_case(title="宅基地纠纷", amount=1200)
    client.force_login(township_clerk)

    response = client.get(reverse("dataio:export", args=["registration"]))

    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "filename*=UTF-8''%E7%9F%9B%E7%9B%BE" in response["Content-Disposition"]  # 矛盾…
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[4]]
    registered = sheet.cell(row=5, column=header.index("登记日期") + 1)
    amount = sheet.cell(row=5, column=header.index("涉及金额（元）") + 1)
    assert registered.data_type == "d"
    assert registered.value.date() == timezone.localdate()
    assert registered.number_format == "yyyy-mm-dd"
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 1200, "#,##0.00")
    assert sheet["A5"].data_type == "n"  # 序号
    assert sheet.freeze_panes == "A5"
    assert sheet.auto_filter.ref == f"A4:{sheet.cell(row=4, column=len(header)).column_letter}5"
    assert sheet.print_title_rows == "$4:$4"
