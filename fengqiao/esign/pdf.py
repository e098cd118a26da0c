"""The final 调解协议书 PDF: the agreement exactly as ``documents`` draws it up, followed by a
signature page with every signature drawn on screen, who gave it, when, and how the signer was
identified. Rendered by WeasyPrint with the documents' fonts and style; the only URLs it may
read are the ``data:`` images of the signatures, nothing from disk or the network."""

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from fengqiao.documents import kinds, render, template_files
from fengqiao.documents.casefile import CaseFile
from fengqiao.documents.choices import DocumentKind
from fengqiao.esign.models import ElectronicSignature
from fengqiao.mediation.choices import SignatureRole
from fengqiao.orgs.models import Organisation

LANGUAGE = "zh-hans"
IDENTITY_NAMES = {
    "id_number": "身份证件号码核对",
    "sms_code": "登记手机短信验证码",
    "staff_session": "工作人员账号登录",
}


@dataclass(frozen=True, slots=True)
class Page:
    content: bytes
    template_version: str


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _row(signature: ElectronicSignature, masked_phone: str) -> dict[str, str]:
    checks = [IDENTITY_NAMES.get(code, code) for code in signature.identity_checks]
    if "sms_code" in signature.identity_checks and masked_phone:
        checks[signature.identity_checks.index("sms_code")] += f"（{masked_phone}）"
    return {
        "role": "当事人" if signature.role == SignatureRole.PARTY else "人民调解员",
        "name": signature.signer_name,
        "image": _data_uri(bytes(signature.image_png)),
        "signed_at": timezone.localtime(signature.signed_at).strftime("%Y年%m月%d日 %H:%M:%S"),
        "identity": "、".join(checks),
        "image_sha256": signature.image_sha256,
    }


def signed_agreement_pdf(
    data: CaseFile,
    *,
    signatures: list[ElectronicSignature],
    committee: Organisation,
    text_sha256: str,
) -> Page:
    """The agreement of ``data`` (its written agreement) and the signature page, as PDF bytes
    ready for the committee's PAdES signature."""
    from weasyprint import HTML  # imported late: loading pango costs ~0.5 s
    from weasyprint.urls import URLFetcher

    spec = kinds.KINDS[DocumentKind.AGREEMENT]
    phones = {p.pk: p.phone_masked for p in data.parties}
    with translation.override(LANGUAGE):
        context = {**spec.build(data), "document_title": spec.title}
        body = render.render_html(DocumentKind.AGREEMENT, context, embedded=True)
        style = template_files.find("pdf/_style.css").path.read_text(encoding="utf-8")
        html = render_to_string(
            "esign/pdf/signed_agreement.html",
            {
                "title": spec.title,
                "style": mark_safe(style),
                "agreement": mark_safe(body),
                "rows": [_row(s, phones.get(s.party_id or 0, "")) for s in signatures],
                "committee": committee.name,
                "case_number": data.case.number,
                "text_sha256": text_sha256,
            },
        )
    files = render.html_files(DocumentKind.AGREEMENT)
    content: bytes = HTML(
        string=html,
        base_url=str(template_files.DEFAULT_DIR / "pdf"),
        url_fetcher=URLFetcher(allowed_protocols={"data"}, fail_on_errors=True),
    ).write_pdf()
    return Page(content, "esign:" + template_files.version(files))
