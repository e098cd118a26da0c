"""Emit the shipped templates from ``layouts``: ``docx/<code>.docx`` for docxtpl and
``pdf/<code>.html`` for WeasyPrint. Run ``manage.py build_document_templates`` after changing a
layout and commit the files; a test checks the committed files match the layouts.

docxtpl rules kept here (STACK.md): every tag sits in one run, typed in one go; ``{%tr %}`` and
``{%p %}`` tags each get their own row or paragraph.
"""

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from fengqiao.documents.layouts import LAYOUTS, Block, Cell, Each, Layout, Table, Text, When

BODY_FONT = "宋体"  # the MoJ forms are set in 宋体; readers substitute their own CJK serif
TITLE_FONT = "黑体"
ALIGN = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
# Fixed zip timestamps keep rebuilt .docx files byte-identical, so git sees real changes only.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


# --- .docx ---------------------------------------------------------------------------------------


def _font(run_or_style: object, name: str, size: float | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = name
    if size is not None:
        font.size = Pt(size)
    element = run_or_style.element  # type: ignore[attr-defined]
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _paragraph(container: object, text: str, style: str = "body", bold: bool = False) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    if style == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(12)
        _font(run, TITLE_FONT, 18)
        run.bold = True
    elif style == "subtitle":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif style == "heading":
        run.bold = True
    elif style == "indent":
        paragraph.paragraph_format.first_line_indent = Pt(24)
    elif style in ALIGN:
        paragraph.alignment = ALIGN[style]
    if bold:
        run.bold = True
    return paragraph


def _docx_blocks(container: object, blocks: tuple[Block, ...], *, bold: bool = False) -> None:
    for block in blocks:
        if isinstance(block, Text):
            _paragraph(container, block.text, block.style, bold)
        elif isinstance(block, Each):
            _paragraph(container, f"{{%p for {block.var} in {block.seq} %}}")
            _docx_blocks(container, block.body, bold=bold)
            _paragraph(container, "{%p endfor %}")
        elif isinstance(block, When):
            _paragraph(container, f"{{%p if {block.cond} %}}")
            _docx_blocks(container, block.body, bold=bold)
            _paragraph(container, "{%p endif %}")
        else:
            _docx_table(container, block)


def _fill_cell(cell: _Cell, spec: Cell) -> None:
    cell._tc.remove(cell.paragraphs[0]._p)  # start empty; the spec adds every paragraph
    _docx_blocks(cell, spec.body, bold=spec.label)
    if any(isinstance(b, Each) for b in spec.body):
        cell.add_paragraph()  # a cell must keep one paragraph even when the loop is empty


def _tag_row(table: object, columns: int, tag: str) -> None:
    row = table.add_row()  # type: ignore[attr-defined]
    first = row.cells[0].merge(row.cells[columns - 1]) if columns > 1 else row.cells[0]
    first.paragraphs[0].add_run(tag)


def _docx_table(container: object, spec: Table) -> None:
    columns = len(spec.widths)
    table = container.add_table(rows=0, cols=columns)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(spec.widths)
    for row_spec in spec.rows:
        if row_spec.each:
            _tag_row(table, columns, f"{{%tr for {row_spec.each[0]} in {row_spec.each[1]} %}}")
        row = table.add_row()
        index = 0
        for cell_spec in row_spec.cells:
            cell = row.cells[index]
            if cell_spec.span > 1:
                cell = cell.merge(row.cells[index + cell_spec.span - 1])
            _fill_cell(cell, cell_spec)
            index += cell_spec.span
        if row_spec.each:
            _tag_row(table, columns, "{%tr endfor %}")
    for column, width in zip(table.columns, spec.widths, strict=True):
        column.width = Mm(160 * width / total)
    if isinstance(container, _Cell):
        return
    container.add_paragraph()  # type: ignore[attr-defined]


def build_docx(layout: Layout) -> bytes:
    """The .docx template of ``layout``: A4, 公文 margins (GB/T 9704), 宋体 小四."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(28)
    section.left_margin, section.right_margin = Mm(26), Mm(24)
    normal = document.styles["Normal"]
    _font(normal, BODY_FONT, 12)
    core = document.core_properties
    core.title, core.author = layout.title, "fengqiao"
    core.revision = 1
    # Drop the default empty first paragraph so the title opens the page.
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    _docx_blocks(document, layout.blocks)
    raw = io.BytesIO()
    document.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in sorted(source.infolist(), key=lambda i: i.filename):
            info = zipfile.ZipInfo(item.filename, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = _strip_dates(content)
            target.writestr(info, content)
    return out.getvalue()


def _strip_dates(xml: bytes) -> bytes:
    import re

    return re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", xml)


# --- HTML ----------------------------------------------------------------------------------------

TAGS = {"title": "h1", "subtitle": "p", "heading": "p", "indent": "p", "right": "p"}


def _html_blocks(blocks: tuple[Block, ...], depth: int, *, in_cell: bool = False) -> list[str]:
    pad = "  " * depth
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Text):
            tag = TAGS.get(block.style, "p")
            css = "" if block.style in ("body", "title") else f' class="{block.style}"'
            out.append(f"{pad}<{tag}{css}>{block.text}</{tag}>")
        elif isinstance(block, Each):
            out.append(f"{pad}{{% for {block.var} in {block.seq} %}}")
            out += _html_blocks(block.body, depth + 1, in_cell=in_cell)
            out.append(f"{pad}{{% endfor %}}")
        elif isinstance(block, When):
            out.append(f"{pad}{{% if {block.cond} %}}")
            out += _html_blocks(block.body, depth + 1, in_cell=in_cell)
            out.append(f"{pad}{{% endif %}}")
        else:
            out += _html_table(block, depth)
    return out


def _html_table(spec: Table, depth: int) -> list[str]:
    pad = "  " * depth
    total = sum(spec.widths)
    out = [f'{pad}<table class="form">', f"{pad}  <colgroup>"]
    out += [f'{pad}    <col style="width: {100 * w / total:.1f}%">' for w in spec.widths]
    out.append(f"{pad}  </colgroup>")
    for row in spec.rows:
        inner = depth + 1
        if row.each:
            out.append(f"{pad}  {{% for {row.each[0]} in {row.each[1]} %}}")
            inner += 1
        out.append("  " * inner + "<tr>")
        for cell in row.cells:
            tag = "th" if cell.label else "td"
            span = f' colspan="{cell.span}"' if cell.span > 1 else ""
            out.append("  " * (inner + 1) + f"<{tag}{span}>")
            out += _html_blocks(cell.body, inner + 2, in_cell=True)
            out.append("  " * (inner + 1) + f"</{tag}>")
        out.append("  " * inner + "</tr>")
        if row.each:
            out.append(f"{pad}  {{% endfor %}}")
    out.append(f"{pad}</table>")
    return out


def build_html(layout: Layout) -> str:
    """The HTML template of ``layout``; ``_base.html`` holds the page, fonts and styles."""
    head = [
        '{% extends "_base.html" %}',
        f"{{% comment %}}{layout.title}: generated from fengqiao/documents/layouts.py; an override",
        "may be written by hand. The context is documented in fengqiao/documents/contexts.py.",
        "{% endcomment %}",
        "{% block body %}",
    ]
    return "\n".join([*head, *_html_blocks(layout.blocks, 0), "{% endblock %}", ""])


def build_all(root: Path) -> list[Path]:
    """Write every layout under ``root`` (``docx/`` and ``pdf/``); returns the files written."""
    written = []
    for code, layout in LAYOUTS.items():
        docx_path = root / "docx" / f"{code}.docx"
        html_path = root / "pdf" / f"{code}.html"
        docx_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.parent.mkdir(parents=True, exist_ok=True)
        docx_path.write_bytes(build_docx(layout))
        html_path.write_text(build_html(layout), encoding="utf-8")
        written += [docx_path, html_path]
    return written
