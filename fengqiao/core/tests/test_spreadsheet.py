"""The one spreadsheet writer (issue #16): native dates and numbers with number formats, the
header frozen, filtered and printed on every page, widths, one font, the formula guard,
drop-down lists on a hidden sheet, and Chinese file names."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from fengqiao.core import spreadsheet


def _book(sheets):
    return load_workbook(io.BytesIO(spreadsheet.to_bytes(sheets)))


def test_dates_times_and_amounts_are_native_cells_with_number_formats():
    shanghai = datetime(2026, 3, 5, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    sheet = spreadsheet.Sheet(
        name="台账",
        title_rows=["矛盾纠纷登记台账", "填报单位：静河镇"],
        columns=[
            spreadsheet.Column("登记日期", 12),
            spreadsheet.Column("登记时间", 16),
            spreadsheet.Column("涉及金额（元）", 12, spreadsheet.AMOUNT),
            spreadsheet.Column("人数", 8),
            spreadsheet.Column("标题", 30),
        ],
        rows=[[date(2026, 3, 5), shanghai, Decimal("1200.50"), 3, '=HYPERLINK("x")']],
    )
    ws = _book([sheet]).active

    registered, at, amount, people, title = ws[4]
    assert (registered.data_type, registered.value) == ("d", datetime(2026, 3, 5))  # noqa: DTZ001
    assert registered.number_format == spreadsheet.DATE
    assert at.value == datetime(2026, 3, 5, 9, 30)  # noqa: DTZ001  local time, as offices read it
    assert at.number_format == spreadsheet.DATETIME
    assert (amount.data_type, amount.value, amount.number_format) == ("n", 1200.5, "#,##0.00")
    assert (people.data_type, people.value) == ("n", 3)
    assert (title.data_type, title.value) == ("s", '\'=HYPERLINK("x")')
    assert sheet.written == 1


def test_the_header_is_frozen_filtered_printed_on_every_page_and_sized():
    sheet = spreadsheet.Sheet(
        name="台账",
        title_rows=["标题", "单位", "导出人"],
        columns=[spreadsheet.Column("序号", 6), spreadsheet.Column("案件编号", 22)],
        rows=([n, f"JH{n}"] for n in range(1, 4)),
        footer="第 &P 页",
    )
    ws = _book([sheet]).active

    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:B7"
    assert ws.print_title_rows == "$4:$4"
    assert ws.column_dimensions["B"].width == 22
    assert ws.page_setup.orientation == "landscape"
    assert "A1:B1" in {str(r) for r in ws.merged_cells.ranges}
    assert {ws["A1"].font.name, ws["A4"].font.name, ws["B5"].font.name} == {"宋体"}
    assert ws["A4"].font.b


def test_a_drop_down_lists_the_allowed_values_from_a_hidden_sheet():
    sheet = spreadsheet.Sheet(
        name="模板",
        columns=[spreadsheet.Column("标题"), spreadsheet.Column("纠纷类别")],
        rows=[],
        drop_downs=[spreadsheet.DropDown(1, ["房屋宅基地纠纷", "劳动争议纠纷"])],
    )
    book = _book([sheet])

    (listed,) = book.active.data_validations.dataValidation
    assert listed.type == "list"
    assert str(listed.sqref) == "B2:B5001"
    options = book[spreadsheet.OPTIONS_SHEET]
    assert options.sheet_state == "hidden"
    assert listed.formula1 == f"'{spreadsheet.OPTIONS_SHEET}'!$A$2:$A$3"
    assert [c.value for c in options["A"]] == ["纠纷类别", "房屋宅基地纠纷", "劳动争议纠纷"]


def test_a_chinese_file_name_is_sent_as_rfc_6266_filename_star():
    header = spreadsheet.content_disposition("排查汇总-静河镇-20261201.xlsx")
    assert header == (
        'attachment; filename="20261201.xlsx"; '
        "filename*=UTF-8''%E6%8E%92%E6%9F%A5%E6%B1%87%E6%80%BB-%E9%9D%99%E6%B2%B3%E9%95%87-20261201.xlsx"
    )
