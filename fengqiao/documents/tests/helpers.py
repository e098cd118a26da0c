"""Reading generated files back: .docx text with python-docx, PDF pages with pypdfium2."""

import ctypes
import io
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from docx import Document


def docx_text(content: bytes) -> str:
    """Every paragraph of the body and of every table cell, in document order."""
    document = Document(io.BytesIO(content))
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            parts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for table in document.tables:
                if table._tbl is child:
                    for row in table.rows:
                        seen = []
                        for cell in row.cells:
                            if cell._tc not in seen:
                                seen.append(cell._tc)
                                parts.append(cell.text)
    return "\n".join(parts)


@dataclass
class PdfPage:
    text: str
    dark_pixels: int
    fonts: dict[str, str]  # character -> font name


def pdf_pages(content: bytes, *, render: bool = True) -> list[PdfPage]:
    pdf = pdfium.PdfDocument(content)
    pages = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            fonts: dict[str, str] = {}
            high = 0
            for i in range(textpage.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
                if 0xD800 <= code < 0xDC00:  # UTF-16 surrogate pair: rare (plane 2) characters
                    high = code
                    continue
                if high:
                    code, high = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00), 0
                buffer = ctypes.create_string_buffer(256)
                flags = ctypes.c_int()
                pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, ctypes.byref(flags))
                fonts[chr(code)] = buffer.value.decode(errors="replace")
            dark = 0
            if render:
                image = page.render(scale=0.5).to_pil().convert("L")
                dark = sum(image.histogram()[:250])  # anything not paper-white
            textpage.close()
            page.close()
            pages.append(PdfPage(text, dark, fonts))
    finally:
        pdf.close()
    return pages
