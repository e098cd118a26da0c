# ruff: noqa: E501  (the fixed SpreadsheetML parts read best as written)
"""A small streaming .xlsx writer for ledgers: rows go straight into the zipped sheet XML, so
10⁵ rows take seconds and memory stays flat. It writes only what ledgers need (inline strings,
numbers, three cell styles, column widths, print setup, a footer) in the plain SpreadsheetML
parts that Excel, WPS and LibreOffice read; openpyxl reads it back in the tests."""

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

TITLE, HEADER, DATA, PLAIN = 1, 2, 3, 4  # cellXfs indexes in STYLES
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="4">
<font><sz val="11"/><name val="宋体"/><charset val="134"/></font>
<font><b/><sz val="16"/><name val="宋体"/><charset val="134"/></font>
<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font>
<font><sz val="11"/><name val="宋体"/><charset val="134"/></font>
</fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"><color rgb="FF999999"/></left><right style="thin"><color rgb="FF999999"/></right><top style="thin"><color rgb="FF999999"/></top><bottom style="thin"><color rgb="FF999999"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="5">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>
<xf numFmtId="0" fontId="2" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _text(value: str) -> str:
    return escape(ILLEGAL.sub("", value))


def _cell(ref: str, value: Any, style: int) -> str:
    if value is None or value == "":
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, bool):
        value = "是" if value else "否"
    if isinstance(value, int | float | Decimal):
        return f'<c r="{ref}" s="{style}"><v>{value}</v></c>'
    if isinstance(value, datetime | date):
        value = value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return (
        f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">'
        f"{_text(str(value))}</t></is></c>"
    )


def _row(number: int, letters: Sequence[str], values: Sequence[Any], style: int) -> str:
    cells = "".join(
        _cell(f"{letter}{number}", value, style)
        for letter, value in zip(letters, values, strict=False)
    )
    return f'<row r="{number}">{cells}</row>'


def write(
    target: IO[bytes],
    *,
    sheet_name: str,
    widths: Sequence[int],
    title_rows: Sequence[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    footer: str,
) -> int:
    """Write the workbook to ``target``; returns the number of data rows. Rows are consumed
    one at a time and never held."""
    letters = [get_column_letter(i) for i in range(1, len(header) + 1)]
    header_row = len(title_rows) + 1
    written = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", CONTENT_TYPES)
        book.writestr("_rels/.rels", ROOT_RELS)
        book.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        book.writestr("xl/styles.xml", STYLES)
        name = _text(sheet_name[:31])
        book.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            "<definedNames>"
            f'<definedName name="_xlnm.Print_Titles" localSheetId="0">\'{name}\'!'
            f"${header_row}:${header_row}</definedName>"
            "</definedNames></workbook>",
        )
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            out = sheet.write
            out(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b'<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><cols>'
            )
            for index, width in enumerate(widths, start=1):
                out(f'<col min="{index}" max="{index}" width="{width}" customWidth="1"/>'.encode())
            out(b"</cols><sheetData>")
            for number, text in enumerate(title_rows, start=1):
                style = TITLE if number == 1 else PLAIN
                out(_row(number, letters[:1], [text], style).encode())
            out(_row(header_row, letters, header, HEADER).encode())
            chunk: list[str] = []
            for written, values in enumerate(rows, start=1):
                chunk.append(_row(header_row + written, letters, values, DATA))
                if len(chunk) == 500:
                    out("".join(chunk).encode())
                    chunk.clear()
            out("".join(chunk).encode())
            out(
                b"</sheetData>"
                b'<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.6" header="0.3" '
                b'footer="0.3"/>'
                b'<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
                b'fitToHeight="0"/>'
                + f"<headerFooter><oddFooter>&amp;C{_text(footer)}</oddFooter>".encode()
                + b"</headerFooter>"
                + b"</worksheet>"
            )
    return written
