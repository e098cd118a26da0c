"""Who may generate and download: the jurisdiction (outside → 404, nothing written), the role
(a viewer may download but not generate); the panel, the generate button and the download."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.models import CaseEvent
from fengqiao.core.exceptions import NotFound, PermissionDeniedError
from fengqiao.documents import services
from fengqiao.documents.choices import DocumentKind
from fengqiao.documents.models import GeneratedDocument
from fengqiao.documents.tests.helpers import docx_text

pytestmark = pytest.mark.django_db


def _trace() -> tuple[int, int, int]:
    return GeneratedDocument.objects.count(), AuditEntry.objects.count(), CaseEvent.objects.count()


def _stored_files(settings) -> list[str]:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT) / "documents"
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("kind", [DocumentKind.AGREEMENT, DocumentKind.DOSSIER])
def test_outsider_cannot_generate_and_nothing_is_written(
    kind, resolved_case, outsider, client, settings
):
    before, files = _trace(), _stored_files(settings)
    with pytest.raises(NotFound):
        services.document_generate(
            actor=outsider, case_id=resolved_case.pk, kind=kind, file_format="pdf"
        )
    client.force_login(outsider)
    url = reverse("documents:generate", args=[resolved_case.pk, kind, "pdf"])
    assert client.post(url).status_code == 404
    assert client.get(reverse("documents:panel", args=[resolved_case.pk])).status_code == 404
    assert _trace() == before
    assert _stored_files(settings) == files


def test_outsider_cannot_download_and_nothing_is_audited(resolved_case, director, outsider, client):
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    before = _trace()
    with pytest.raises(NotFound):
        services.document_download(
            actor=outsider, case_id=resolved_case.pk, document_id=document.pk
        )
    client.force_login(outsider)
    url = reverse("documents:download", args=[resolved_case.pk, document.pk])
    assert client.get(url).status_code == 404
    assert _trace() == before
    assert not AuditEntry.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists()


def test_viewer_may_download_but_not_generate(resolved_case, director, make_actor, tree):
    viewer = make_actor(Role.READ_ONLY, tree.township_centre, username="viewer")
    before = _trace()
    with pytest.raises(PermissionDeniedError):
        services.document_generate(
            actor=viewer, case_id=resolved_case.pk, kind="agreement", file_format="pdf"
        )
    assert _trace() == before
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    found, content, name = services.document_download(
        actor=viewer, case_id=resolved_case.pk, document_id=document.pk
    )
    assert found == document
    assert "李四向张三支付补偿款5000元" in docx_text(content)
    assert name == f"人民调解协议书-{resolved_case.number}.docx"
    entry = AuditEntry.objects.get(action=AuditAction.DOCUMENT_DOWNLOADED)
    assert (entry.actor, entry.target_id) == (viewer, str(document.pk))


def test_a_document_of_another_case_is_not_found(resolved_case, terminated_case, director):
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    with pytest.raises(NotFound):
        services.document_download(
            actor=director, case_id=terminated_case.pk, document_id=document.pk
        )


def test_panel_lists_what_can_be_made_and_why_not(resolved_case, director, client):
    client.force_login(director)
    page = client.get(reverse("documents:panel", args=[resolved_case.pk])).content.decode()
    assert reverse("documents:generate", args=[resolved_case.pk, "agreement", "docx"]) in page
    assert reverse("documents:generate", args=[resolved_case.pk, "dossier", "pdf"]) in page
    assert reverse("documents:generate", args=[resolved_case.pk, "termination", "pdf"]) not in page
    assert "调解尚未终止，不能生成终止调解告知书。" in page
    assert "尚未生成文书。" in page


def test_generate_and_download_through_the_pages(resolved_case, director, client):
    client.force_login(director)
    response = client.post(
        reverse("documents:generate", args=[resolved_case.pk, "agreement", "pdf"]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "case-changed" in response["HX-Trigger"]
    assert response["HX-Reswap"] == "none"
    document = GeneratedDocument.objects.get()
    download = reverse("documents:download", args=[resolved_case.pk, document.pk])
    panel = client.get(reverse("documents:panel", args=[resolved_case.pk])).content.decode()
    assert download in panel

    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = quote(f"人民调解协议书-{resolved_case.number}.pdf")
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{name}"
    assert response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).count() == 1


def test_docx_download_has_the_word_content_type(resolved_case, director, client):
    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="registration", file_format="docx"
    )
    client.force_login(director)
    response = client.get(reverse("documents:download", args=[resolved_case.pk, document.pk]))
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_unavailable_document_through_the_page_is_422_with_the_reason(
    terminated_case, director, client
):
    client.force_login(director)
    response = client.post(
        reverse("documents:generate", args=[terminated_case.pk, "agreement", "docx"])
    )
    assert response.status_code == 422
    assert "尚未制作书面调解协议" in response.content.decode()
    assert not GeneratedDocument.objects.exists()


def test_a_tampered_file_is_not_served(resolved_case, director):
    from fengqiao.core.exceptions import ConflictError

    document = services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    with open(document.file.path, "ab") as handle:
        handle.write(b"x")
    with pytest.raises(ConflictError):
        services.document_download(
            actor=director, case_id=resolved_case.pk, document_id=document.pk
        )
    assert not AuditEntry.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists()


def test_the_case_page_loads_the_documents_panel(resolved_case, director, client):
    client.force_login(director)
    page = client.get(reverse("cases:detail", args=[resolved_case.pk])).content.decode()
    assert reverse("documents:panel", args=[resolved_case.pk]) in page


def test_panel_queries_do_not_grow_with_the_documents(resolved_case, director, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(director)
    url = reverse("documents:panel", args=[resolved_case.pk])
    services.document_generate(
        actor=director, case_id=resolved_case.pk, kind="agreement", file_format="docx"
    )
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for kind in ("registration", "application", "rights_notice"):
        services.document_generate(
            actor=director, case_id=resolved_case.pk, kind=kind, file_format="docx"
        )
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)
