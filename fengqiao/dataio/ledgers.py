"""Ledgers (台账) as read models: one list of column definitions serves the HTML table and the
Excel export (title row, unit, period, who exported it and when, print setup as offices use it).
Exports stream: rows are read in chunks and written straight into the zipped sheet
(``xlsx_stream``), so memory stays flat at 10⁵ rows and more."""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django_stubs_ext import StrOrPromise

from fengqiao.core.cells import spreadsheet_safe
from fengqiao.dataio import xlsx_stream

# One guard for every workbook (issue #17): re-exported under the name this module always used.
safe_cell = spreadsheet_safe


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
    repeated on every printed page, A4 landscape fitted to the page width."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    xlsx_stream.write(
        handle,
        sheet_name=str(ledger.title),
        widths=[6, *[column.width for column in ledger.columns]],
        title_rows=[
            str(ledger.title),
            f"填报单位：{unit}    统计期间：{period}",
            f"导出人：{exported_by}    导出时间：{stamp}",
        ],
        header=ledger.headers(),
        rows=(
            [safe_cell(value) for value in ledger.row(number, obj)]
            for number, obj in enumerate(rows, start=1)
        ),
        footer=f"{exported_by} 导出于 {stamp}  第 &P 页 共 &N 页",
    )
    handle.seek(0)
    return handle


def file_chunks(handle: Any, size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := handle.read(size):
            yield chunk
    finally:
        handle.close()
