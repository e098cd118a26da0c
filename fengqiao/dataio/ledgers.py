"""Ledgers (台账) as read models: one list of column definitions serves the HTML table and the
Excel export (title row, unit, period, who exported it and when, print setup as offices use it).
Exports stream: rows are read in chunks and written by openpyxl's write-only workbook, so memory
stays flat at 10⁵ rows and more."""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_stubs_ext import StrOrPromise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is kept as text (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True, slots=True)
class Column:
    header: StrOrPromise
    value: Callable[[Any], Any]
    width: int = 14  # in characters, for the sheet


@dataclass(frozen=True, slots=True)
class Ledger:
    code: str
    title: StrOrPromise
    columns: tuple[Column, ...]
    description: StrOrPromise = ""

    def headers(self) -> list[str]:
        return ["序号", *[str(c.header) for c in self.columns]]

    def row(self, number: int, obj: Any) -> list[Any]:
        return [number, *[column.value(obj) for column in self.columns]]


THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _cell(sheet: Worksheet, value: Any, *, bold: bool = False, size: int = 11) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    cell.font = Font(name="宋体", bold=bold, size=size)
    return cell


def write_xlsx(
    ledger: Ledger,
    rows: Iterable[Any],
    *,
    unit: str,
    period: str,
    exported_by: str,
) -> tempfile.SpooledTemporaryFile:
    """The ledger as an .xlsx in a temporary file (rewound), built row by row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(ledger.title)[:31])
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(ledger.columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet.append([_cell(sheet, str(ledger.title), bold=True, size=16)])
    sheet.append([_cell(sheet, f"填报单位：{unit}    统计期间：{period}")])
    sheet.append([_cell(sheet, f"导出人：{exported_by}    导出时间：{stamp}")])
    header = []
    for text in ledger.headers():
        cell = _cell(sheet, text, bold=True)
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    for number, obj in enumerate(rows, start=1):
        cells = []
        for value in ledger.row(number, obj):
            cell = _cell(sheet, value)
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cells.append(cell)
        sheet.append(cells)
    # print as offices do: landscape A4, fit to the page width, header rows on every page,
    # the exporter and time in the footer (an export is traceable on paper too)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"
    sheet.oddFooter.center.text = f"{exported_by} 导出于 {stamp}  第 &P 页 共 &N 页"
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    book.save(handle)
    handle.seek(0)
    return handle


def file_chunks(handle: Any, size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := handle.read(size):
            yield chunk
    finally:
        handle.close()
