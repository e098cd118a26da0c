# ruff: noqa: E501  (the fixed SpreadsheetML parts read best as written)
"""The one .xlsx writer every export and import template uses (issue #16): rows go straight into
the zipped sheet XML, so 10⁵ rows take seconds and memory stays flat.

Every sheet gets the same font (宋体), native dates and numbers with their number formats, the
header row frozen, filtered and repeated on every printed page, column widths, A4 landscape
fitted to the width, an optional footer, and drop-down lists for coded columns. Every text cell
passes the formula-injection guard (``core.cells``). The parts are plain SpreadsheetML that
Excel, WPS and LibreOffice read; openpyxl reads it back in the tests."""

import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl.utils import get_column_letter

from fengqiao.core.cells import spreadsheet_safe

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Number formats, as Excel and WPS spell them.
AMOUNT = "#,##0.00"
INTEGER = "0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
PERCENT = "0.00%"
BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0.00%": 10}
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_EPOCH = datetime(1899, 12, 30)  # noqa: DTZ001  serial day 0 of the 1900 date system
OPTIONS_SHEET = "选项"

# fonts: 0 body, 1 title, 2 header, 3 header of a required column (red)
FONTS = (
    '<font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
    '<font><b/><sz val="16"/><name val="宋体"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
    '<font><b/><sz val="11"/><color rgb="FFB42318"/><name val="宋体"/><charset val="134"/></font>'
)
BORDERS = (
    "<border><left/><right/><top/><bottom/><diagonal/></border>"
    '<border><left style="thin"><color rgb="FF999999"/></left><right style="thin"><color rgb="FF999999"/></right>'
    '<top style="thin"><color rgb="FF999999"/></top><bottom style="thin"><color rgb="FF999999"/></bottom><diagonal/></border>'
)
ALIGN_HEADER = '<alignment horizontal="center" vertical="center" wrapText="1"/>'
ALIGN_DATA = '<alignment vertical="top" wrapText="1"/>'
CONTENT_TYPES_HEAD = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
"""
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its header, width in characters and number format. Without a format, dates
    and times get ``DATE``/``DATETIME``, decimals ``AMOUNT``, other numbers Excel's General."""

    header: str
    width: int = 14
    number_format: str | None = None
    is_required: bool = False  # the header is red, as the import template marks required columns


@dataclass(frozen=True, slots=True)
class DropDown:
    """A list of allowed values for one column (0-based), kept on a hidden sheet."""

    column: int
    options: Sequence[str]
    error: str = "请从下拉列表中选择。"


@dataclass(slots=True)
class Sheet:
    """One worksheet: optional title rows above the header, then one row per data row."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    title_rows: Sequence[str] = ()
    footer: str = ""
    drop_downs: Sequence[DropDown] = ()
    drop_down_rows: int = 5000  # how many rows below the header the lists cover
    is_hidden: bool = False
    written: int = field(default=0, init=False)


def _text(value: str) -> str:
    return escape(ILLEGAL.sub("", value))


def _serial(value: date | datetime) -> float:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return (value - EXCEL_EPOCH).total_seconds() / 86400
    return float((value - EXCEL_EPOCH.date()).days)


class _Styles:
    """cellXfs handed out on demand, keyed by (font, border, alignment, number format)."""

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}
        self.xfs: dict[tuple[int, int, str, int], int] = {(0, 0, "", 0): 0}

    def xf(self, font: int, border: int, align: str, number_format: str | None) -> int:
        number = 0
        if number_format:
            number = BUILTIN_FORMATS.get(number_format) or self.formats.setdefault(
                number_format, 164 + len(self.formats)
            )
        return self.xfs.setdefault((font, border, align, number), len(self.xfs))

    def xml(self) -> str:
        formats = "".join(
            f"<numFmt numFmtId={quoteattr(str(n))} formatCode={quoteattr(code)}/>"
            for code, n in self.formats.items()
        )
        xfs = "".join(
            f'<xf numFmtId="{number}" fontId="{font}" fillId="0" borderId="{border}" xfId="0"'
            f' applyFont="1" applyBorder="1" applyNumberFormat="{int(bool(number))}"'
            + (f' applyAlignment="1">{align}</xf>' if align else "/>")
            for (font, border, align, number) in self.xfs
        )
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if formats else "")
            + f'<fonts count="4">{FONTS}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            f'<borders count="2">{BORDERS}</borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(self.xfs)}">{xfs}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


class _DataCells:
    """Writes data cells of one sheet: the style of each column × value kind is settled once."""

    def __init__(self, styles: _Styles, columns: Sequence[Column]) -> None:
        self.styles = styles
        self.columns = columns
        self.letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
        self.cache: dict[tuple[int, str], int] = {}

    def style(self, index: int, kind: str) -> int:
        key = (index, kind)
        found = self.cache.get(key)
        if found is None:
            column_format = self.columns[index].number_format if index < len(self.columns) else None
            default = {"datetime": DATETIME, "date": DATE, "decimal": AMOUNT}.get(kind)
            number_format = None if kind == "text" else column_format or default
            found = self.cache[key] = self.styles.xf(0, 1, ALIGN_DATA, number_format)
        return found

    def row(self, number: int, values: Sequence[Any]) -> str:
        cells = []
        for index, (letter, value) in enumerate(zip(self.letters, values, strict=False)):
            ref = f"{letter}{number}"
            if value is None or value == "":
                cells.append(f'<c r="{ref}" s="{self.style(index, "text")}"/>')
            elif isinstance(value, bool):
                cells.append(_inline(ref, "是" if value else "否", self.style(index, "text")))
            elif isinstance(value, Decimal):
                cells.append(f'<c r="{ref}" s="{self.style(index, "decimal")}"><v>{value}</v></c>')
            elif isinstance(value, int | float):
                cells.append(f'<c r="{ref}" s="{self.style(index, "number")}"><v>{value}</v></c>')
            elif isinstance(value, datetime):
                serial = _serial(value)
                cells.append(
                    f'<c r="{ref}" s="{self.style(index, "datetime")}"><v>{serial}</v></c>'
                )
            elif isinstance(value, date):
                serial = _serial(value)
                cells.append(f'<c r="{ref}" s="{self.style(index, "date")}"><v>{serial}</v></c>')
            elif isinstance(value, time):
                cells.append(_inline(ref, value.strftime("%H:%M"), self.style(index, "text")))
            else:
                cells.append(_inline(ref, spreadsheet_safe(str(value)), self.style(index, "text")))
        return f'<row r="{number}">{"".join(cells)}</row>'


def _inline(ref: str, text: str, style: int) -> str:
    return (
        f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
        f"{_text(text)}</t></is></c>"
    )


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "Sheet"


def _write_sheet(out: IO[bytes], sheet: Sheet, styles: _Styles, options: dict[int, str]) -> None:
    columns = sheet.columns
    last = get_column_letter(max(len(columns), 1))
    header_row = len(sheet.title_rows) + 1
    write = out.write
    write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0">'
        + f'<pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" activePane="bottomLeft"'
        f' state="frozen"/><selection pane="bottomLeft" activeCell="A{header_row + 1}"'
        f' sqref="A{header_row + 1}"/>'.encode()
        + b"</sheetView></sheetViews>"
    )
    if columns:
        write(b"<cols>")
        for index, column in enumerate(columns, start=1):
            write(
                f'<col min="{index}" max="{index}" width="{column.width}" customWidth="1"/>'.encode()
            )
        write(b"</cols>")
    write(b"<sheetData>")
    title, plain = styles.xf(1, 0, "", None), styles.xf(0, 0, "", None)
    for number, text in enumerate(sheet.title_rows, start=1):
        write(
            f'<row r="{number}">{_inline(f"A{number}", text, title if number == 1 else plain)}</row>'.encode()
        )
    header = "".join(
        _inline(
            f"{get_column_letter(index)}{header_row}",
            column.header,
            styles.xf(3 if column.is_required else 2, 1, ALIGN_HEADER, None),
        )
        for index, column in enumerate(columns, start=1)
    )
    write(f'<row r="{header_row}">{header}</row>'.encode())
    cells = _DataCells(styles, columns)
    chunk: list[str] = []
    for written, values in enumerate(sheet.rows, start=1):
        sheet.written = written
        chunk.append(cells.row(header_row + written, values))
        if len(chunk) == 500:
            write("".join(chunk).encode())
            chunk.clear()
    write("".join(chunk).encode())
    write(b"</sheetData>")
    if columns:
        write(f'<autoFilter ref="A{header_row}:{last}{header_row + sheet.written}"/>'.encode())
    if sheet.title_rows and len(columns) > 1:
        merged = "".join(f'<mergeCell ref="A{n}:{last}{n}"/>' for n in range(1, header_row))
        write(f'<mergeCells count="{header_row - 1}">{merged}</mergeCells>'.encode())
    if sheet.drop_downs:
        write(f'<dataValidations count="{len(sheet.drop_downs)}">'.encode())
        for drop_down in sheet.drop_downs:
            letter = get_column_letter(drop_down.column + 1)
            cells_ref = f"{letter}{header_row + 1}:{letter}{header_row + sheet.drop_down_rows}"
            write(
                f'<dataValidation type="list" allowBlank="1" showErrorMessage="1"'
                f" error={quoteattr(drop_down.error)} sqref={quoteattr(cells_ref)}>"
                f"<formula1>{_text(options[id(drop_down)])}</formula1></dataValidation>".encode()
            )
        write(b"</dataValidations>")
    write(
        b'<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
        b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
    )
    if sheet.footer:
        write(
            f"<headerFooter><oddFooter>&amp;C{_text(sheet.footer)}</oddFooter></headerFooter>".encode()
        )
    write(b"</worksheet>")


def _options_sheet(sheets: Sequence[Sheet]) -> tuple[Sheet | None, dict[int, str]]:
    """The hidden sheet holding every drop-down's values, one column each, and the range
    formula each drop-down points at."""
    owned = [(sheet, d) for sheet in sheets for d in sheet.drop_downs]
    lists = [d for _sheet, d in owned]
    if not lists:
        return None, {}
    formulas = {}
    for index, drop_down in enumerate(lists):
        letter = get_column_letter(index + 1)
        end = max(len(drop_down.options), 1) + 1
        formulas[id(drop_down)] = f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${end}"
    depth = max(len(d.options) for d in lists)
    rows = ([d.options[n] if n < len(d.options) else None for d in lists] for n in range(depth))
    headers = [Column(sheet.columns[d.column].header, 20) for sheet, d in owned]
    return Sheet(OPTIONS_SHEET, headers, rows, is_hidden=True), formulas


def write(target: IO[bytes], sheets: Sequence[Sheet]) -> None:
    """Write the workbook of ``sheets`` to ``target``. Rows are consumed one at a time and never
    held; afterwards each sheet's ``written`` holds its number of data rows."""
    options_sheet, formulas = _options_sheet(sheets)
    every = [*sheets, *([options_sheet] if options_sheet else [])]
    styles = _Styles()
    names = [_text(_sheet_name(sheet.name)) for sheet in every]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as book:
        for number, sheet in enumerate(every, start=1):
            with book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
                _write_sheet(part, sheet, styles, formulas)
        book.writestr(
            "[Content_Types].xml",
            CONTENT_TYPES_HEAD
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{SHEET_TYPE}"/>'
                for n in range(1, len(every) + 1)
            )
            + "</Types>",
        )
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(every) + 1)
            )
            + f'<Relationship Id="rId{len(every) + 1}" Type="{REL}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        book.writestr("xl/styles.xml", styles.xml())
        entries, defined = [], []
        for index, (sheet, name) in enumerate(zip(every, names, strict=True)):
            state = ' state="hidden"' if sheet.is_hidden else ""
            entries.append(
                f'<sheet name="{name}" sheetId="{index + 1}"{state} r:id="rId{index + 1}"/>'
            )
            if sheet.is_hidden or not sheet.columns:
                continue
            header_row = len(sheet.title_rows) + 1
            last = get_column_letter(len(sheet.columns))
            defined.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                f"'{name}'!$A${header_row}:${last}${header_row + sheet.written}</definedName>"
                f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">'
                f"'{name}'!${header_row}:${header_row}</definedName>"
            )
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{REL}">'
            f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{"".join(entries)}</sheets>'
            f"<definedNames>{''.join(defined)}</definedNames></workbook>",
        )


def workbook(sheets: Sequence[Sheet]) -> tempfile.SpooledTemporaryFile:
    """The workbook in a temporary file, rewound (in memory up to 8 MB, then on disk)."""
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    write(handle, sheets)
    handle.seek(0)
    return handle


def content_disposition(name: str) -> str:
    """``attachment`` with the Chinese file name as RFC 6266 / RFC 5987 ``filename*`` and an
    ASCII ``filename`` for clients that know only that (issue #16: ``trend.xlsx``)."""
    path = PurePath(name)
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "", path.stem).strip("._-") or "export"
    return f"attachment; filename=\"{fallback}{path.suffix}\"; filename*=UTF-8''{quote(name)}"


def file_chunks(handle: Any, size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while chunk := handle.read(size):
            yield chunk
    finally:
        handle.close()


def response(handle: Any, name: str) -> StreamingHttpResponse:
    """A streamed download of the rewound workbook ``handle`` named ``name``."""
    reply = StreamingHttpResponse(file_chunks(handle), content_type=XLSX)
    reply["Content-Disposition"] = content_disposition(name)
    return reply


def attachment(content: bytes, name: str) -> HttpResponse:
    """A download of a small workbook already in memory, named ``name``."""
    reply = HttpResponse(content, content_type=XLSX)
    reply["Content-Disposition"] = content_disposition(name)
    return reply


def to_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as bytes, for small sheets and for services that return content."""
    handle = workbook(sheets)
    try:
        return handle.read()
    finally:
        handle.close()
