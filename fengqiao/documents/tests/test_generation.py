"""Every document, generated for cases that have everything, read back: the .docx with
python-docx, the PDF rendered with pypdfium2; the 卷宗 in DOMAIN §6.2 order; the stored bytes,
template versions and the override folder; rare characters in names."""

import hashlib

import pytest

from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.choices import EventKind, PartyRole
from fengqiao.cases.models import CaseEvent
from fengqiao.cases.services import PartyDraft
from fengqiao.core.exceptions import InvalidInput
from fengqiao.documents import kinds, services, template_files
from fengqiao.documents.choices import DocumentKind
from fengqiao.documents.models import GeneratedDocument
from fengqiao.documents.tests.helpers import docx_text, pdf_pages

pytestmark = pytest.mark.django_db

# (kind, fixture, values that must appear: the case's real data, not the template's words)
EXPECTED = [
    (DocumentKind.APPLICATION, "resolved_case", ["请求李四拆除越界围墙", "138****8000"]),
    (DocumentKind.REGISTRATION, "resolved_case", ["房屋宅基地", "当事人申请", "测试1", "人调字第"]),
    (DocumentKind.RIGHTS_NOTICE, "resolved_case", ["选择或者接受人民调解员", "已签收"]),
    (
        DocumentKind.INVESTIGATION,
        "resolved_case",
        ["界桩位于围墙东侧一米处", "王调解、赵书记", "人调字第"],
    ),
    (
        DocumentKind.SESSION_RECORD,
        "resolved_case",
        ["双方陈述事实后同意协商", "村民小组长刘五", "人调字第"],
    ),
    (
        DocumentKind.AGREEMENT,
        "resolved_case",
        ["李四向张三支付补偿款5000元", "银行转账", "王调解", "人调字第"],
    ),
    (DocumentKind.ORAL_AGREEMENT, "oral_case", ["李四承诺晚十点后不再使用电钻", "人调字第"]),
    (
        DocumentKind.FOLLOW_UP,
        "resolved_case",
        ["款项已通过银行转账付清", "满意", "已履行", "人调字第"],
    ),
    (
        DocumentKind.CONFIRMATION,
        "resolved_case",
        ["湘阴县人民法院", "李四向张三支付补偿款5000元", "人调字第"],
    ),
    (
        DocumentKind.UNDISPUTED_FACTS,
        "terminated_case",
        ["双方确认借款金额为3万元", "已确认", "人调字第"],
    ),
    (
        DocumentKind.TERMINATION,
        "terminated_case",
        ["分歧较大", "告知双方可向湘阴县人民法院起诉", "人调字第"],
    ),
]


def _common(case) -> list[str]:
    return ["张三", "李四", case.handling_org.name]


@pytest.mark.parametrize(("kind", "fixture", "values"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_docx_carries_the_case_values(kind, fixture, values, request, director):
    case = request.getfixturevalue(fixture)
    document = services.document_generate(
        actor=director, case_id=case.pk, kind=kind, file_format="docx"
    )
    content = document.file.read()
    text = docx_text(content)
    assert kinds.KINDS[kind].title in text
    for value in [*_common(case), *values]:
        assert value in text, value
    assert "{{" not in text
    assert "{%" not in text
    assert document.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(("kind", "fixture", "values"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_pdf_renders_non_blank_pages_with_the_case_values(kind, fixture, values, request, director):
    case = request.getfixturevalue(fixture)
    document = services.document_generate(
        actor=director, case_id=case.pk, kind=kind, file_format="pdf"
    )
    pages = pdf_pages(document.file.read())
    assert 1 <= len(pages) <= 3
    assert all(page.dark_pixels > 2000 for page in pages)
    text = "".join(page.text for page in pages).replace("\r", "").replace("\n", "")
    for value in [kinds.KINDS[kind].title.replace("", " ").strip().replace(" ", ""), *values]:
        assert value in text.replace(" ", ""), value
    assert "第 1 页" in pages[0].text


def test_dossier_has_cover_index_and_documents_in_the_statutory_order(resolved_case, director):
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind=DocumentKind.DOSSIER, file_format="pdf"
    )
    pages = pdf_pages(document.file.read())
    texts = [page.text.replace(" ", "").replace("\r\n", "").replace("\n", "") for page in pages]
    assert "人民调解卷宗" in texts[0]
    assert "（2026）人调字第" in texts[0] or "人调字第" in texts[0]
    assert "长期" in texts[0]
    assert "卷内目录" in texts[1]
    expected = [
        "人民调解申请书",
        "人民调解受理登记表",
        "人民调解当事人权利义务告知书",
        "人民调解调查记录",
        "人民调解记录",
        "人民调解协议书",
        "人民调解回访记录",
        "司法确认申请书",
    ]
    # The index lists them in order, each with the page its section starts on.
    index = texts[1]
    positions = [index.index(title) for title in expected]
    assert positions == sorted(positions)
    # Each document starts on its own page, in the same order, after the index.
    first_page = {}
    for number, text in enumerate(texts[2:], start=3):
        for title in expected:
            if text.startswith(f"{number}{title}") or text.startswith(title):
                first_page.setdefault(title, number)
    assert list(first_page) == expected
    assert sorted(first_page.values()) == list(first_page.values())
    for title, number in first_page.items():
        assert f"{title}{number}" in index
    assert "备考表" in texts[-1]
    assert f"本卷共{len(pages)}页" in texts[-1]
    assert all(page.dark_pixels > 2000 for page in pages)


def test_terminated_dossier_puts_the_termination_where_the_agreement_would_be(
    terminated_case, director
):
    document = services.document_generate(
        actor=director, case_id=terminated_case.pk, kind="dossier", file_format="pdf"
    )
    index = pdf_pages(document.file.read(), render=False)[1].text.replace("\n", "")
    order = ["人民调解记录", "终止调解告知书", "无争议事实记载表"]
    assert [index.index(t) for t in order] == sorted(index.index(t) for t in order)
    assert "人民调解协议书" not in index


def test_stored_file_matches_its_sha256_and_regenerating_keeps_the_first(resolved_case, director):
    first = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="pdf"
    )
    first_bytes = first.file.read()
    second = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="pdf"
    )
    assert first.pk != second.pk
    assert first.file.name != second.file.name
    first.refresh_from_db()
    with first.file.open("rb") as handle:
        assert handle.read() == first_bytes
    for document in (first, second):
        with document.file.open("rb") as handle:
            content = handle.read()
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert len(content) == document.size
    default = template_files.version(
        [
            template_files.find(name)
            for name in ("pdf/agreement.html", "pdf/_base.html", "pdf/_style.css")
        ]
    )
    assert first.template_version == default
    assert not default.startswith("override:")


def test_generation_is_on_the_timeline_and_audited(resolved_case, director):
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="registration", file_format="docx"
    )
    event = CaseEvent.objects.filter(case=resolved_case, kind=EventKind.DOCUMENT_GENERATED).get()
    assert event.data["document"] == document.pk
    assert event.data["sha256"] == document.sha256
    assert event.data["template_version"] == document.template_version
    entry = AuditEntry.objects.get(action=AuditAction.DOCUMENT_GENERATED)
    assert entry.actor == director
    assert entry.target_id == str(document.pk)
    assert entry.extra["kind"] == "registration"


@pytest.mark.parametrize(
    ("kind", "fixture", "message"),
    [
        ("agreement", "terminated_case", "书面调解协议"),
        ("termination", "resolved_case", "终止"),
        ("undisputed_facts", "resolved_case", "无争议事实"),
        ("oral_agreement", "resolved_case", "口头协议"),
        ("confirmation", "terminated_case", "生效"),
    ],
)
def test_documents_the_case_cannot_have_yet_are_refused_in_chinese(
    kind, fixture, message, request, director
):
    case = request.getfixturevalue(fixture)
    with pytest.raises(InvalidInput) as caught:
        services.document_generate(actor=director, case_id=case.pk, kind=kind, file_format="pdf")
    assert message in caught.value.message
    assert not GeneratedDocument.objects.exists()


def test_dossier_waits_for_the_end_of_mediation(mediating, director):
    case = mediating()
    with pytest.raises(InvalidInput) as caught:
        services.document_generate(
            actor=director, case_id=case.pk, kind="dossier", file_format="pdf"
        )
    assert "卷宗" in caught.value.message
    with pytest.raises(InvalidInput):
        services.document_generate(
            actor=director, case_id=case.pk, kind="dossier", file_format="docx"
        )


def test_override_folder_is_read_first_and_marked_in_the_version(
    resolved_case, director, settings, tmp_path
):
    from fengqiao.documents import builder
    from fengqiao.documents.layouts import Layout, Text

    custom = Layout(
        "agreement", "本地协议书", (Text("本地协议书 {{ case_number }} {{ party_names }}"),)
    )
    (tmp_path / "docx").mkdir()
    (tmp_path / "pdf").mkdir()
    (tmp_path / "docx" / "agreement.docx").write_bytes(builder.build_docx(custom))
    (tmp_path / "pdf" / "agreement.html").write_text(builder.build_html(custom), encoding="utf-8")
    settings.FENGQIAO_DOCUMENT_TEMPLATES_DIR = str(tmp_path)

    docx = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    pdf = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="pdf"
    )
    assert f"本地协议书 {resolved_case.number} 张三、李四" in docx_text(docx.file.read())
    assert "本地协议书" in pdf_pages(pdf.file.read(), render=False)[0].text
    expected = hashlib.sha256(
        b"docx/agreement.docx\0" + (tmp_path / "docx" / "agreement.docx").read_bytes()
    ).hexdigest()
    assert docx.template_version == f"override:{expected}"
    assert pdf.template_version.startswith("override:")
    # Documents the folder does not replace still come from the defaults.
    other = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="registration", file_format="docx"
    )
    assert not other.template_version.startswith("override:")
    assert "人民调解受理登记表" in docx_text(other.file.read())


def test_rare_characters_in_names_render_with_the_fallback_font(mediating, director):
    case = mediating(
        parties=(
            PartyDraft(role=PartyRole.APPLICANT, name="龚𪚥", phone="13800138000"),
            PartyDraft(role=PartyRole.RESPONDENT, name="王䶮𠮷"),
        )
    )
    document = services.document_generate(
        actor=director, case_id=case.pk, kind="application", file_format="pdf"
    )
    page = pdf_pages(document.file.read())[0]
    assert "龚𪚥" in page.text
    assert "王䶮𠮷" in page.text
    assert "HanaMin" in page.fonts["𪚥"]  # not in Noto CJK: the fallback drew it, no tofu
    assert "Noto" in page.fonts["龚"]
    docx = services.document_generate(
        actor=director, case_id=case.pk, kind="application", file_format="docx"
    )
    assert "龚𪚥" in docx_text(docx.file.read())


def test_shipped_templates_match_the_layouts(tmp_path):
    from fengqiao.documents import builder

    written = builder.build_all(tmp_path)
    for path in written:
        relative = path.relative_to(tmp_path)
        shipped = template_files.DEFAULT_DIR / relative
        assert shipped.read_bytes() == path.read_bytes(), f"rebuild {relative}"
