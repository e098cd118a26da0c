"""The attachment service: the bytes decide the type, sizes and counts are capped, a failed write
leaves nothing behind, and a download is jurisdiction-checked and audited."""

import io

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.urls import reverse

from fengqiao.accounts.roles import Role
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases import attachments
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Attachment, CaseEvent
from fengqiao.core.exceptions import InvalidInput, NotFound

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def upload(content: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


def test_a_photo_is_stored_hashed_under_a_random_name_with_event_and_audit(
    register_case, township_clerk
):
    case = register_case()
    events = CaseEvent.objects.filter(case=case).count()
    added = attachments.attachment_add(
        case=case, upload=upload(PNG, "现场照片.jpg"), source="staff", uploaded_by=township_clerk
    )
    assert added.content_type == "image/png"  # the bytes, not the name
    assert added.original_name == "现场照片.jpg"
    assert "现场照片" not in added.file.name
    assert not added.file.name.endswith(".jpg")
    assert added.size == len(PNG)
    assert len(added.sha256) == 64
    assert added.file.read() == PNG
    event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
    assert CaseEvent.objects.filter(case=case).count() == events + 1
    assert event.kind == EventKind.ATTACHMENT_ADDED
    assert event.data["sha256"] == added.sha256
    assert AuditEntry.objects.filter(
        action=AuditAction.ATTACHMENT_ADDED, target_id=str(added.pk)
    ).exists()


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "photo.png"),
        (b"<html><script>alert(1)</script></html>", "evidence.pdf"),
        (b"#!/bin/sh\nrm -rf /\n", "receipt.jpg"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "contract.pdf"),
    ],
)
def test_the_sniffed_type_beats_the_file_name(register_case, content, name):
    case = register_case()
    with pytest.raises(InvalidInput) as caught:
        attachments.attachment_add(case=case, upload=upload(content, name), source="portal")
    assert name in caught.value.errors["file"][0]
    assert "PDF" in caught.value.errors["file"][0]
    assert Attachment.objects.count() == 0
    assert not CaseEvent.objects.filter(kind=EventKind.ATTACHMENT_ADDED).exists()


def test_jpeg_and_pdf_are_accepted(register_case):
    case = register_case()
    a = attachments.attachment_add(case=case, upload=upload(JPEG, "a.bin"), source="grid")
    b = attachments.attachment_add(case=case, upload=upload(PDF, "b"), source="api")
    assert (a.content_type, b.content_type) == ("image/jpeg", "application/pdf")


def test_size_and_count_caps(register_case, settings):
    case = register_case()
    settings.FENGQIAO_UPLOAD_MAX_BYTES = 100
    with pytest.raises(InvalidInput) as caught:
        attachments.attachment_add(
            case=case, upload=upload(PNG + b"\x00" * 100, "big.png"), source="portal"
        )
    assert "big.png" in caught.value.errors["file"][0]
    assert "超过" in caught.value.errors["file"][0]
    with pytest.raises(InvalidInput):
        attachments.attachment_add(case=case, upload=upload(b"", "empty.png"), source="portal")
    settings.FENGQIAO_ATTACHMENTS_PER_CASE = 2
    for n in range(2):
        attachments.attachment_add(case=case, upload=upload(PNG, f"{n}.png"), source="portal")
    with pytest.raises(InvalidInput) as caught:
        attachments.attachment_add(case=case, upload=upload(PNG, "3.png"), source="portal")
    assert "上限" in caught.value.errors["file"][0]
    assert Attachment.objects.filter(case=case).count() == 2


def test_a_full_disk_gives_a_clear_error_and_leaves_no_trace(register_case, monkeypatch):
    case = register_case()
    events = CaseEvent.objects.filter(case=case).count()
    audits = AuditEntry.objects.count()

    def full(self, name, content, max_length=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "save", full)
    with pytest.raises(InvalidInput) as caught:
        attachments.attachment_add(case=case, upload=upload(PNG, "现场.png"), source="portal")
    assert "保存" in caught.value.errors["file"][0]
    assert "现场.png" in caught.value.errors["file"][0]
    assert Attachment.objects.count() == 0
    assert CaseEvent.objects.filter(case=case).count() == events
    assert AuditEntry.objects.count() == audits


def test_a_failure_after_the_write_removes_the_file(register_case, monkeypatch, settings):
    case = register_case()

    def broken(**kwargs):
        raise RuntimeError("ledger unavailable")

    folder = settings.MEDIA_ROOT / "attachments" / str(case.pk)
    before = set(folder.iterdir()) if folder.exists() else set()
    monkeypatch.setattr(attachments, "case_record_event", broken)
    with pytest.raises(RuntimeError):
        attachments.attachment_add(case=case, upload=upload(PNG, "a.png"), source="portal")
    after = set(folder.iterdir()) if folder.exists() else set()
    assert after == before
    assert Attachment.objects.count() == 0


def test_download_checks_jurisdiction_and_audits(
    client, register_case, township_clerk, make_actor, tree
):
    case = register_case()
    added = attachments.attachment_add(case=case, upload=upload(PDF, "协议.pdf"), source="staff")
    outsider = make_actor(Role.CENTRE_DIRECTOR, tree.other_township_centre)
    with pytest.raises(NotFound):
        attachments.attachment_get_for_download(actor=outsider, attachment_id=added.pk)
    client.force_login(outsider)
    assert client.get(reverse("portal:download", args=[added.pk])).status_code == 404
    assert client.get(reverse("portal:evidence_panel", args=[case.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.ATTACHMENT_DOWNLOADED).exists()

    client.force_login(township_clerk)
    response = client.get(reverse("portal:download", args=[added.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        action=AuditAction.ATTACHMENT_DOWNLOADED, actor=township_clerk
    ).exists()
    panel = client.get(reverse("portal:evidence_panel", args=[case.pk]))
    assert "协议.pdf" in panel.content.decode()


def test_webp_and_heic_are_accepted(register_case):
    case = register_case()
    webp = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 32
    a = attachments.attachment_add(case=case, upload=upload(webp, "a.webp"), source="portal")
    b = attachments.attachment_add(case=case, upload=upload(heic, "IMG.HEIC"), source="grid")
    assert (a.content_type, b.content_type) == ("image/webp", "image/heic")


def test_a_batch_is_all_or_nothing_on_disk_too(register_case, monkeypatch, settings):
    case = register_case()
    folder = settings.MEDIA_ROOT / "attachments" / str(case.pk)
    before = set(folder.iterdir()) if folder.exists() else set()
    checked = [attachments.upload_check(upload(PNG, f"{n}.png")) for n in range(3)]
    real_save = FileSystemStorage.save
    calls = {"n": 0}

    def full_on_third(self, name, content, max_length=None):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", full_on_third)
    with pytest.raises(InvalidInput), transaction.atomic():
        attachments.attachments_add_many(case=case, uploads=checked, source="portal")
    after = set(folder.iterdir()) if folder.exists() else set()
    assert after == before
    assert Attachment.objects.filter(case=case).count() == 0
