"""Evidence and photos attached to a case: the one write path for every source (portal, grid
worker, staff, API) and the audited, jurisdiction-checked read of a file.

The type is sniffed from the bytes (``filetype``), never taken from the file name or the browser:
a script named ``photo.jpg`` or an SVG with embedded JavaScript is refused. Files are stored under
a random name; the original name lives in the row only.
"""

import hashlib
from dataclasses import dataclass
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts.models import User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Attachment, Case
from fengqiao.cases.services import case_record_event
from fengqiao.core.exceptions import InvalidInput, NotFound

SOURCES = ("portal", "grid", "staff", "api")
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heif",
    "application/pdf": "pdf",
}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PER_CASE = 50


def max_bytes() -> int:
    return int(getattr(settings, "FENGQIAO_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_per_case() -> int:
    return int(getattr(settings, "FENGQIAO_ATTACHMENTS_PER_CASE", DEFAULT_MAX_PER_CASE))


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    """An upload whose bytes passed the checks: what ``attachment_add`` stores."""

    name: str
    content: bytes
    content_type: str
    sha256: str


def _limit_text() -> str:
    return f"{max_bytes() / (1024 * 1024):g} MB"


def upload_check(upload: IO[bytes] | Any, *, field: str = "file") -> CheckedUpload:
    """Read and check one upload without storing anything: a form with several files checks
    them all first, so a bad one stops the whole submission before anything is written.

    Raises:
        InvalidInput: empty, too large, or not a photo (JPEG, PNG, WebP, HEIC) or PDF.
    """
    limit = max_bytes()
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    name = str(getattr(upload, "name", "") or "file").replace("\\", "/").rsplit("/", 1)[-1]
    name = name[:200]
    if not content:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={field: [gettext("The file “{name}” is empty.").format(name=name)]},
        )
    if len(content) > limit:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={
                field: [
                    gettext("The file “{name}” is larger than {limit}.").format(
                        name=name, limit=_limit_text()
                    )
                ]
            },
        )
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={
                field: [
                    gettext(
                        "The file “{name}” is not a photo (JPEG, PNG, WebP, HEIC) or a PDF."
                    ).format(name=name)
                ]
            },
        )
    return CheckedUpload(
        name=name,
        content=content,
        content_type=kind.mime,
        sha256=hashlib.sha256(content).hexdigest(),
    )


@transaction.atomic
def attachment_add(
    *,
    case: Case,
    upload: IO[bytes] | CheckedUpload | Any,
    source: str,
    uploaded_by: User | None = None,
    uploaded_by_name: str = "",
    description: str = "",
    field: str = "file",
) -> Attachment:
    """Attach one file to ``case``: sniff, cap, hash, store under a random name, note it on the
    timeline (ATTACHMENT_ADDED) and audit it. The caller has already decided the case is the
    uploader's to add to (the portal by tracking code and phone, staff by jurisdiction).

    Raises:
        InvalidInput: bad file, too many files on the case, or the file could not be saved;
        nothing is stored then (no row, no event, no file).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown attachment source {source!r}")
    checked = upload if isinstance(upload, CheckedUpload) else upload_check(upload, field=field)
    if len(description) > 200:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"description": [gettext("At most 200 characters.")]},
        )
    locked = Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    if locked is None:
        raise NotFound(gettext("Case not found."))
    if Attachment.objects.filter(case=locked).count() >= max_per_case():
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={
                field: [
                    gettext("This case already has {n} files, the most it can hold.").format(
                        n=max_per_case()
                    )
                ]
            },
        )
    attachment = Attachment(
        case=locked,
        original_name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        description=description.strip(),
        source=source,
        uploaded_by=uploaded_by if uploaded_by is not None and uploaded_by.pk else None,
        uploaded_by_name=(
            uploaded_by_name or (uploaded_by.get_username() if uploaded_by is not None else "")
        )[:150],
    )
    try:
        attachment.file.save("upload", ContentFile(checked.content), save=False)
    except OSError:
        raise InvalidInput(
            gettext("The file could not be saved."),
            errors={
                field: [
                    gettext(
                        "The file “{name}” could not be saved (storage unavailable). "
                        "Nothing was stored; please try again later."
                    ).format(name=checked.name)
                ]
            },
        ) from None
    stored = attachment.file.name
    try:
        attachment.save()
        actor = uploaded_by if uploaded_by is not None else _system_actor()
        case_record_event(
            actor=actor,
            case_id=locked.pk,
            kind=EventKind.ATTACHMENT_ADDED,
            data={
                "attachment": attachment.pk,
                "name": checked.name,
                "type": checked.content_type,
                "size": len(checked.content),
                "sha256": checked.sha256,
                "source": source,
            },
            scoped=False,
        )
        record(
            actor=uploaded_by,
            action=AuditAction.ATTACHMENT_ADDED,
            target=attachment,
            org=locked.handling_org,
            extra={"case": locked.number, "source": source, "sha256": checked.sha256},
        )
    except BaseException:
        attachment.file.storage.delete(stored)
        raise
    return attachment


def attachments_add_many(
    *,
    case: Case,
    uploads: list[CheckedUpload],
    source: str,
    uploaded_by: User | None = None,
    uploaded_by_name: str = "",
    field: str = "files",
) -> list[Attachment]:
    """Attach several checked files, all or nothing: if one cannot be stored, the files already
    written for this batch are removed from storage and the error propagates (the caller's
    transaction drops the rows and events).

    Raises:
        InvalidInput: as ``attachment_add``.
    """
    added: list[Attachment] = []
    try:
        for checked in uploads:
            attachment = attachment_add(
                case=case,
                upload=checked,
                source=source,
                uploaded_by=uploaded_by,
                uploaded_by_name=uploaded_by_name,
                field=field,
            )
            added.append(attachment)  # kept one by one for the cleanup below
    except BaseException:
        for attachment in added:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return added


def _system_actor() -> User:
    from fengqiao.accounts.services import system_actor

    return system_actor()


def attachment_get_for_download(*, actor: User, attachment_id: int) -> Attachment:
    """An attachment of a case within the actor's jurisdiction, audited as downloaded.

    Raises:
        NotFound: missing, or its case is outside the actor's reach (indistinguishable).
    """
    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(gettext("File not found."))
    try:
        case = selectors.case_get_for(actor=actor, case_id=attachment.case_id)
    except NotFound:
        raise NotFound(gettext("File not found.")) from None
    record(
        actor=actor,
        action=AuditAction.ATTACHMENT_DOWNLOADED,
        target=attachment,
        org=case.handling_org,
        extra={"case": case.number},
    )
    return attachment
