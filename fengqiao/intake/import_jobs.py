"""Ledger imports as background jobs (issue #16): the upload is stored, the worker checks every
row and reports each problem, and once the uploader confirms it registers all rows or none.
The page follows the job through ``import_progress``: while a phase runs, the worker writes its
row count to a small file beside the upload, because an import's rows are one transaction that
no other connection sees before it commits."""

import json
import logging
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext
from django_tasks import task

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock, upload_limits
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.intake.models import ImportStatus, LedgerImport
from fengqiao.intake.spreadsheet import HEADER_OF, ImportReport, cases_check, cases_import
from fengqiao.orgs.models import Organisation

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 100  # rows between two progress writes


def _path(job: LedgerImport) -> Path:
    return Path(job.file.path)


def _progress_path(job: LedgerImport) -> Path:
    return _path(job).with_name(_path(job).name + ".progress")


def import_progress(job: LedgerImport) -> int:
    """Rows the running phase of ``job`` has handled so far (0 when none is running)."""
    if not job.is_running:
        return 0
    try:
        return int(json.loads(_progress_path(job).read_text())["rows"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _progress_writer(job: LedgerImport) -> Any:
    target = _progress_path(job)
    scratch = target.with_name(target.name + ".tmp")

    def write(rows: int, *, force: bool = False) -> None:
        if force or rows % PROGRESS_EVERY == 0:
            scratch.write_text(json.dumps({"rows": rows}))
            os.replace(scratch, target)  # the page never reads a half-written file

    return write


def ledger_import_upload(*, actor: User, org_id: int, upload: UploadedFile) -> LedgerImport:
    """Store ``upload`` as a ledger to be registered at ``org_id`` and queue its check. The
    file's size and, for .xlsx, its unpacked size are checked at once (a zip bomb is refused
    here with a Chinese message); rows are checked by the worker.

    Raises:
        NotFound: ``actor`` may not register cases at that organisation.
        InvalidInput: the file is over the size limits or is no readable spreadsheet.
    """
    if org_id not in access.org_ids_with(actor, Capability.CASE_REGISTER):
        raise NotFound(gettext("No such organisation."))
    org = Organisation.objects.get(pk=org_id)
    job = LedgerImport(org=org, uploaded_by=actor, file_name=Path(upload.name or "").name[:200])
    job.file.save(job.file_name or "ledger.csv", upload, save=False)
    try:
        upload_limits.check_file(_path(job))
    except InvalidInput:
        job.file.delete(save=False)
        raise
    with transaction.atomic():
        job.save()
        record(
            actor=actor,
            action=AuditAction.RECORD_CREATED,
            target=job,
            org=org,
            extra={"ledger_import": job.pk, "file": job.file_name},
        )
        transaction.on_commit(lambda: check_ledger_import.enqueue(job.pk))
    return job


def ledger_import_get_for(*, actor: User, import_id: int) -> LedgerImport:
    """One of ``actor``'s own uploads.

    Raises:
        NotFound: no such upload, or someone else's.
    """
    job = LedgerImport.objects.select_related("org").filter(pk=import_id, uploaded_by=actor).first()
    if job is None:
        raise NotFound(gettext("No such import."))
    return job


@transaction.atomic
def ledger_import_confirm(*, actor: User, import_id: int) -> LedgerImport:
    """Queue the import of a checked upload: the file is the one checked, not chosen again.

    Raises:
        NotFound: no such upload, or someone else's.
        ConflictError: the upload is not checked without problems, or is already imported.
    """
    ledger_import_get_for(actor=actor, import_id=import_id)
    job = LedgerImport.objects.select_for_update(of=("self",)).get(pk=import_id)
    if job.status != ImportStatus.CHECKED or job.error_count:
        raise ConflictError(gettext("Only a file checked without problems can be imported."))
    job.status = ImportStatus.IMPORT_QUEUED
    job.save(update_fields=["status", "updated_at"])
    transaction.on_commit(lambda: run_ledger_import.enqueue(job.pk))
    return job


def _claim(import_id: int, ready: ImportStatus, running: ImportStatus) -> LedgerImport | None:
    with transaction.atomic():
        job = (
            LedgerImport.objects.select_for_update(of=("self",))
            .select_related("uploaded_by")
            .filter(pk=import_id, status=ready)
            .first()
        )
        if job is None:  # run twice, or confirmed elsewhere: once is enough
            return None
        job.status = running
        job.save(update_fields=["status", "updated_at"])
    _progress_writer(job)(0, force=True)
    return job


def _finish(
    job: LedgerImport, report: ImportReport | None, status: ImportStatus, message: str = ""
) -> None:
    if report is not None:
        job.rows = report.rows
        job.error_count = report.error_count
        job.errors = [asdict(e) for e in report.errors]
        job.preview = [asdict(p) for p in report.preview]
        job.created_cases = [list(pair) for pair in report.created]
    job.status = status
    job.message = message[:500]
    job.finished_at = clock.now()
    job.save(
        update_fields=[
            "rows",
            "error_count",
            "errors",
            "preview",
            "created_cases",
            "status",
            "message",
            "finished_at",
            "updated_at",
        ]
    )
    _progress_path(job).unlink(missing_ok=True)


def _run(job: LedgerImport, *, importing: bool) -> LedgerImport:
    progress = _progress_writer(job)
    actor = job.uploaded_by
    try:
        if importing:
            report = cases_import(
                actor=actor,
                org_id=job.org_id,
                path=_path(job),
                progress=progress,
                batch={"import": job.pk, "file": job.file_name},
            )
        else:
            report = cases_check(actor=actor, org_id=job.org_id, path=_path(job), progress=progress)
    except InvalidInput as exc:  # the whole file: too large, too many rows, columns missing
        missing = exc.errors.get("file", [])
        message = str(exc.message)
        if missing and all(name in HEADER_OF for name in missing):  # name the sheet's headers
            columns = "、".join(HEADER_OF[name] for name in missing)
            message = gettext("Missing columns: {columns}").format(columns=columns)
        _finish(job, None, ImportStatus.INVALID, message)
        return job
    except Exception:  # the worker must record the end of every job; the log has the cause
        logger.exception("ledger import %s stopped", job.pk)
        _finish(job, None, ImportStatus.FAILED, gettext("An unexpected error stopped the job."))
        return job
    if not report.ok or not report.rows:
        message = "" if report.rows else gettext("The file has no rows.")
        _finish(job, report, ImportStatus.INVALID, message)
    elif importing:
        _finish(job, report, ImportStatus.IMPORTED)
    else:
        _finish(job, report, ImportStatus.CHECKED)
    return job


def ledger_import_check(*, import_id: int) -> LedgerImport | None:
    """Worker: check every row of a queued upload, report each problem and the first rows
    with readable labels; writes no case."""
    job = _claim(import_id, ImportStatus.CHECK_QUEUED, ImportStatus.CHECKING)
    return None if job is None else _run(job, importing=False)


def ledger_import_run(*, import_id: int) -> LedgerImport | None:
    """Worker: register every row of a confirmed upload in the uploader's name, all or none
    (the rows are checked again: the jurisdiction or the categories may have changed)."""
    job = _claim(import_id, ImportStatus.IMPORT_QUEUED, ImportStatus.IMPORTING)
    return None if job is None else _run(job, importing=True)


# The worker's two jobs live here, beside the services that queue them (intake.tasks re-exports
# them), so that queuing needs no import of the task module.


@task()
def check_ledger_import(import_id: int) -> str:
    """Check an uploaded ledger row by row (queued by the upload); returns the status."""
    job = ledger_import_check(import_id=import_id)
    return job.status if job is not None else ""


@task()
def run_ledger_import(import_id: int) -> str:
    """Register every row of a confirmed ledger, all or none; returns the status."""
    job = ledger_import_run(import_id=import_id)
    return job.status if job is not None else ""
