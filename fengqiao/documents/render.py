"""Turn a context into bytes: .docx through docxtpl, PDF through Django templates and WeasyPrint.

Rendering reads only local files (the templates and the system fonts: Noto CJK, with HanaMin
as the fallback for rare characters, STACK.md); WeasyPrint is given a URL fetcher that refuses
everything, so a template can never make the server fetch from the network.
"""

import io
import logging
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine
from django.utils.safestring import SafeString, mark_safe
from docxtpl import DocxTemplate

from fengqiao.documents import template_files
from fengqiao.documents.template_files import TemplateFile

HTML_SUPPORT = ("pdf/_base.html", "pdf/_style.css")

# WeasyPrint logs every layout step at INFO; the project's root logger is at INFO, so without
# this each generated PDF would write a dozen lines to the server log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@dataclass(frozen=True, slots=True)
class Rendered:
    content: bytes
    template_version: str


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"documents do not load external resources: {url[:80]}")


def _engine() -> Engine:
    # A fresh engine each time: its template cache must not outlive a replaced override file.
    return Engine(dirs=[str(d) for d in template_files.html_dirs()], autoescape=True)


def render_docx(code: str, context: dict[str, Any]) -> Rendered:
    """Fill ``docx/<code>.docx`` with ``context`` (autoescaped: text cannot inject XML)."""
    source = template_files.find(f"docx/{code}.docx")
    template = DocxTemplate(str(source.path))
    template.render(context, autoescape=True)
    out = io.BytesIO()
    template.save(out)
    return Rendered(out.getvalue(), template_files.version([source]))


def html_files(code: str) -> list[TemplateFile]:
    return [template_files.find(f"pdf/{code}.html"), *map(template_files.find, HTML_SUPPORT)]


def render_html(code: str, context: dict[str, Any], *, embedded: bool = False) -> str:
    """``pdf/<code>.html`` as a page, or (``embedded``) as one ``<section>`` of the 卷宗."""
    values = {**context, "embedded": embedded, "anchor": f"doc-{code}" if embedded else ""}
    return _engine().get_template(f"{code}.html").render(Context(values))


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # imported late: loading pango costs ~0.5 s

    base = str(template_files.DEFAULT_DIR / "pdf")
    result: bytes = HTML(string=html, base_url=base, url_fetcher=_refuse_fetch).write_pdf()
    return result


def render_pdf(code: str, context: dict[str, Any]) -> Rendered:
    files = html_files(code)
    return Rendered(pdf_from_html(render_html(code, context)), template_files.version(files))


def render_dossier(context: dict[str, Any], sections: list[tuple[str, dict[str, Any]]]) -> Rendered:
    """The 卷宗 as one PDF: cover, 卷内目录, each (code, context) section in the given order,
    and the 备考表, with continuous page numbers (the index gets them from the anchors)."""
    bodies: list[SafeString] = [
        mark_safe(render_html(code, values, embedded=True)) for code, values in sections
    ]
    files = [template_files.find("pdf/dossier.html"), *map(template_files.find, HTML_SUPPORT)]
    files += [template_files.find(f"pdf/{code}.html") for code, _values in sections]
    html = _engine().get_template("dossier.html").render(Context({**context, "sections": bodies}))
    unique = list({item.name: item for item in files}.values())
    return Rendered(pdf_from_html(html), template_files.version(unique))
