"""Ledgers (台账) as read models: one list of column definitions serves the HTML table and the
Excel export (title row, unit, period, who exported it and when, print setup as offices use it).
Cells hold native values (dates, times, numbers), so the sheet has real dates and amounts;
the HTML table shows them as text. Exports stream through ``core.spreadsheet``, so memory stays
flat at 10⁵ rows and more."""

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django_stubs_ext import StrOrPromise

from fengqiao.core import clock, spreadsheet


@dataclass(frozen=True, slots=True)
class Column:
    header: StrOrPromise
    value: Callable[[Any], Any]
    width: int = 14  # in characters, for the sheet
    number_format: str | None = None  # spreadsheet.AMOUNT…; dates and times get theirs anyway


def as_text(value: Any) -> Any:
    """A cell as the HTML table shows it: dates ISO, times to the minute, amounts to the fen."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return "" if value is None else value


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

    def text_row(self, number: int, obj: Any) -> list[Any]:
        return [as_text(value) for value in self.row(number, obj)]


def write_xlsx(
    ledger: Ledger,
    rows: Iterable[Any],
    *,
    unit: str,
    period: str,
    exported_by: str,
) -> tempfile.SpooledTemporaryFile:
    """The ledger as an .xlsx in a temporary file (rewound), written row by row: the title, the
    unit and period, who exported it and when (also in every page's footer), the header row
    frozen, filtered and repeated on every printed page, A4 landscape fitted to the width."""
    stamp = timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M")
    columns = [
        spreadsheet.Column("序号", 6, spreadsheet.INTEGER),
        *[spreadsheet.Column(str(c.header), c.width, c.number_format) for c in ledger.columns],
    ]
    sheet = spreadsheet.Sheet(
        name=str(ledger.title),
        columns=columns,
        title_rows=[
            str(ledger.title),
            f"填报单位：{unit}    统计期间：{period}",
            f"导出人：{exported_by}    导出时间：{stamp}",
        ],
        rows=(ledger.row(number, obj) for number, obj in enumerate(rows, start=1)),
        footer=f"{exported_by} 导出于 {stamp}  第 &P 页 共 &N 页",
    )
    return spreadsheet.workbook([sheet])
