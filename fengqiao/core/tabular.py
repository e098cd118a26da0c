"""Reading .csv and .xlsx files row by row with the row numbers a user sees in the sheet."""

import csv
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from fengqiao.core import upload_limits
from fengqiao.core.exceptions import InvalidInput


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one cell, named as the user sees it: sheet row number and column header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return gettext("Row {row}, {column}: {message}").format(
            row=self.row, column=self.column, message=self.message
        )


def read_rows(
    path: Path,
    headers: Mapping[str, str],
    optional: Collection[str] = (),
    limits: upload_limits.Limits | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (sheet row number, {field: value}) mapping header text to field names; blank rows
    skipped. Every field named in ``headers`` must have a column unless it is in ``optional``.

    Raises:
        InvalidInput: the file is neither .csv nor .xlsx, cannot be read, lacks a required
        header, or is over ``limits`` (size, unpacked size, rows; ``core.upload_limits``).
    """
    limits = limits or upload_limits.default_limits()
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx", ".xlsm"):
        upload_limits.check_file(path, limits)
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path)
    else:
        raise InvalidInput(
            gettext("Only .csv and .xlsx files can be imported."), errors={"file": [path.name]}
        )
    header = next(rows, None)
    if header is None:
        raise InvalidInput(gettext("The file is empty."), errors={"file": [path.name]})
    fields = [headers.get(str(cell or "").strip().lstrip("\ufeff"), "") for cell in header]
    missing = sorted(set(headers.values()) - set(fields) - set(optional))
    if missing:
        raise InvalidInput(
            gettext("Missing columns: {columns}").format(columns=", ".join(missing)),
            errors={"file": missing},
        )
    for number, values in enumerate(rows, start=2):
        upload_limits.check_row(number, path, limits)
        if any(value not in (None, "") for value in values):
            yield number, {f: v for f, v in zip(fields, values, strict=False) if f}


def _csv_rows(path: Path) -> Iterator[list[Any]]:
    """Rows of a CSV file read as a stream (memory does not grow with the file): UTF-8 with or
    without BOM, else GB18030 (offices save CSV from Excel as GBK as often as UTF-8). The
    encoding is settled by one decoding pass before any row is handed out."""
    encoding = _csv_encoding(path)
    with path.open(encoding=encoding, newline="") as handle:
        yield from csv.reader(handle)


def _csv_encoding(path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                while handle.read(1 << 20):
                    pass
        except UnicodeDecodeError:
            continue
        return encoding
    raise InvalidInput(
        gettext("The file is not UTF-8 or GB18030 text."), errors={"file": [path.name]}
    )


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    import defusedxml  # noqa: F401  openpyxl uses it automatically when installed: XML bombs are refused
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a corrupt file
        raise InvalidInput(
            gettext("The spreadsheet cannot be read."), errors={"file": [str(exc)[:200]]}
        ) from exc
    try:
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()
