"""Ledger imports as background jobs (issue #16): the upload is stored, the worker checks every
row and reports each problem, and once the uploader confirms it registers all rows or none.
The page follows the job through ``import_progress``: while a phase runs, the worker writes its
row count to a small file beside the upload, because an import's rows are one transaction that
no other connection sees before it commits.

A worker that dies mid-job (OOM, a deploy's restart, kill -9) leaves its job CHECKING or
IMPORTING with nothing written: ``ledger_imports_requeue_stale`` (periodic) puts such a job back
in the queue once its heartbeat is older than FENGQIAO_IMPORT_STALE_SECONDS, at most
FENGQIAO_IMPORT_MAX_ATTEMPTS runs, then ends it FAILED. The heartbeat is the progress file's
modification time (written every PROGRESS_EVERY rows and every HEARTBEAT_SECONDS while rows move),
or the claim's ``updated_at`` before the file exists: the job's row cannot carry it, since a
write from inside the import's transaction is invisible until it commits and one from another
connection would wait on the row lock the import holds. Two fences keep a slow, live worker
safe: the import holds its job's row lock for its whole transaction and the sweep skips locked
rows (PostgreSQL ends a dead worker's transaction with its connection, and the lock with it);
and a run's end counts only while the job still names that run (status and ``attempts``), so a
run the sweep gave up on rolls its rows back instead of writing them a second time."""

import json
import logging
import os
import time
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
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
from fengqiao.intake.models import CLAIMED_IMPORT_STATES, ImportStatus, LedgerImport
from fengqiao.intake.spreadsheet import HEADER_OF, ImportReport, cases_check, cases_import
from fengqiao.orgs.models import Organisation

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 100  # rows between two progress writes
HEARTBEAT_SECONDS = 10  # and at most this long between two while rows move (slow rows)
QUEUE_OF = {  # where the sweep puts back a job whose worker stopped
    ImportStatus.CHECKING: ImportStatus.CHECK_QUEUED,
    ImportStatus.IMPORTING: ImportStatus.IMPORT_QUEUED,
}


def _path(job: LedgerImport) -> Path:
    return Path(job.file.path)


def _progress_path(job: LedgerImport) -> Path:
    # One file per run: a superseded run still writing can neither show its count on the page
    # nor keep the run in hand looking alive.
    return _path(job).with_name(f"{_path(job).name}.{job.attempts}.progress")


def import_progress(job: LedgerImport) -> int:
    """Rows the running phase of ``job`` has handled so far (0 when none is running)."""
    if not job.is_running:
        return 0
    try:
        return int(json.loads(_progress_path(job).read_text())["rows"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def retry_notice(job: LedgerImport) -> str:
    """What the page tells the uploader of a job the sweep put back in the queue ("" if none)."""
    queued_again = job.status in QUEUE_OF.values() and job.attempts > 0
    if not (queued_again or (job.status in CLAIMED_IMPORT_STATES and job.attempts > 1)):
        return ""
    run = job.attempts + 1 if queued_again else job.attempts
    return gettext("The job was interrupted and queued again (attempt {n} of {most}).").format(
        n=run, most=settings.FENGQIAO_IMPORT_MAX_ATTEMPTS
    )


def _progress_writer(job: LedgerImport) -> Any:
    target = _progress_path(job)
    scratch = target.with_name(target.name + ".tmp")
    last = [0.0]

    def write(rows: int, *, force: bool = False) -> None:
        beat = time.monotonic()
        if force or rows % PROGRESS_EVERY == 0 or beat - last[0] >= HEARTBEAT_SECONDS:
            scratch.write_text(json.dumps({"rows": rows}))
            os.replace(scratch, target)  # the page never reads a half-written file
            last[0] = beat

    return write


def _heartbeat(job: LedgerImport) -> datetime:
    """The last sign of life of the run in hand: its progress file's modification time, or the
    claim (``updated_at``) when the worker died before writing it."""
    try:
        written = datetime.fromtimestamp(_progress_path(job).stat().st_mtime, tz=UTC)
    except OSError:
        return job.updated_at
    return max(written, job.updated_at)


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
    # skip_locked: a running import holds its row; a second click is refused at once rather
    # than waiting for the import to end.
    job = (
        LedgerImport.objects.select_for_update(of=("self",), skip_locked=True)
        .filter(pk=import_id)
        .first()
    )
    if job is None or job.status != ImportStatus.CHECKED or job.error_count:
        raise ConflictError(gettext("Only a file checked without problems can be imported."))
    job.status = ImportStatus.IMPORT_QUEUED
    job.attempts = 0  # the import's runs are counted afresh
    job.save(update_fields=["status", "attempts", "updated_at"])
    transaction.on_commit(lambda: run_ledger_import.enqueue(job.pk))
    return job


def _claim(import_id: int, ready: ImportStatus, running: ImportStatus) -> LedgerImport | None:
    with transaction.atomic():
        job = (
            LedgerImport.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("uploaded_by")
            .filter(pk=import_id, status=ready)
            .first()
        )
        if job is None:  # run twice, or confirmed elsewhere: once is enough
            return None
        job.status = running
        job.attempts += 1
        job.save(update_fields=["status", "attempts", "updated_at"])
    _progress_writer(job)(0, force=True)
    return job


def _hold(job: LedgerImport) -> bool:
    """Lock ``job``'s row for the caller's transaction if it is still this run's (the status
    and the run it was claimed as); False when the sweep gave the job to another run."""
    return (
        LedgerImport.objects.select_for_update(of=("self",))
        .filter(pk=job.pk, status=job.status, attempts=job.attempts)
        .only("pk")
        .first()
        is not None
    )


Outcome = tuple[ImportReport | None, ImportStatus, str]


def _finish(job: LedgerImport, outcome: Outcome) -> bool:
    """Record the run's end on ``job`` unless the run was superseded (then nothing: False)."""
    report, status, message = outcome
    with transaction.atomic():
        if not _hold(job):
            logger.warning("ledger import %s: run %s was superseded", job.pk, job.attempts)
            _progress_path(job).unlink(missing_ok=True)
            return False
        if report is not None:
            job.rows = report.rows
            job.error_count = report.error_count
            job.errors = [asdict(e) for e in report.errors]
            job.preview = [asdict(p) for p in report.preview]
            job.created_cases = [list(pair) for pair in report.created]
        _progress_path(job).unlink(missing_ok=True)
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
    return True


def _run(job: LedgerImport, *, importing: bool) -> LedgerImport | None:
    if not importing:  # a check writes nothing: a superseded one is only dropped at its end
        return job if _finish(job, _outcome(job, importing=False)) else None
    with transaction.atomic():
        # The job's row stays locked until the rows commit, and its end is written in the same
        # transaction: the sweep never takes a live import, and a worker that dies after the
        # rows leaves neither the rows nor an end (issue #16).
        if not _hold(job):
            _progress_path(job).unlink(missing_ok=True)
            return None
        if not _finish(job, _outcome(job, importing=True)):
            transaction.set_rollback(True)
            return None
    return job


def _outcome(job: LedgerImport, *, importing: bool) -> Outcome:
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
        return None, ImportStatus.INVALID, message
    except Exception:  # the worker must record the end of every job; the log has the cause
        logger.exception("ledger import %s stopped", job.pk)
        return None, ImportStatus.FAILED, gettext("An unexpected error stopped the job.")
    if not report.ok or not report.rows:
        message = "" if report.rows else gettext("The file has no rows.")
        return report, ImportStatus.INVALID, message
    return report, ImportStatus.IMPORTED if importing else ImportStatus.CHECKED, ""


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


TASK_OF = {
    ImportStatus.CHECK_QUEUED: check_ledger_import,
    ImportStatus.IMPORT_QUEUED: run_ledger_import,
}


def ledger_imports_requeue_stale(*, actor: User) -> int:
    """Worker (periodic): put back in the queue every ledger job a worker took up and stopped
    giving signs of life for FENGQIAO_IMPORT_STALE_SECONDS (it died: nothing of the run was
    kept), and end FAILED, with a message to upload again, one whose
    FENGQIAO_IMPORT_MAX_ATTEMPTS runs were all interrupted. Returns how many jobs it moved.
    Each move is audited in ``actor``'s name; the requeued run is queued after the commit."""
    cutoff = clock.real_now() - timedelta(seconds=settings.FENGQIAO_IMPORT_STALE_SECONDS)
    claimed = LedgerImport.objects.filter(status__in=CLAIMED_IMPORT_STATES, updated_at__lt=cutoff)
    # A live worker's heartbeat is fresh: no transaction is opened for it (on SQLite one would
    # wait for the import's write lock), and a stale one is read again under the row lock.
    stale = [
        job.pk
        for job in claimed.only("pk", "file", "attempts", "updated_at")
        if _heartbeat(job) < cutoff
    ]
    moved = sum(_requeue_if_stale(actor=actor, import_id=pk, cutoff=cutoff) for pk in stale)
    return moved + _enqueue_lost(cutoff)


def _enqueue_lost(cutoff: datetime) -> int:
    """Queue again the jobs that waited in the queue past the cutoff: their task may never have
    been queued (the process died between the commit and the after-commit enqueue, or the task
    store was reset). A second task for a job that is merely waiting is harmless, as a claim
    takes the job once; ``updated_at`` is moved on so that at most one more is queued per
    stale period. Returns how many were queued."""
    waiting = list(
        LedgerImport.objects.filter(status__in=TASK_OF, updated_at__lt=cutoff).values_list(
            "pk", "status"
        )
    )
    for pk, status in waiting:
        if LedgerImport.objects.filter(pk=pk, status=status).update(updated_at=clock.real_now()):
            transaction.on_commit(partial(TASK_OF[ImportStatus(status)].enqueue, pk))
            logger.warning("ledger import %s waited in the queue too long: queued again", pk)
    return len(waiting)


@transaction.atomic
def _requeue_if_stale(*, actor: User, import_id: int, cutoff: datetime) -> bool:
    # skip_locked: a locked row is an import whose worker is alive (it holds the lock until its
    # rows commit); the heartbeat is then read under this lock, so it cannot move under us.
    job = (
        LedgerImport.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("org")
        .filter(pk=import_id, status__in=CLAIMED_IMPORT_STATES)
        .first()
    )
    if job is None:
        return False
    heartbeat = _heartbeat(job)
    if heartbeat >= cutoff:
        return False
    was = ImportStatus(job.status)
    _progress_path(job).unlink(missing_ok=True)  # the dead run's; the next run writes its own
    if job.attempts >= settings.FENGQIAO_IMPORT_MAX_ATTEMPTS:
        job.status = ImportStatus.FAILED
        job.message = gettext(
            "The job was interrupted {n} times and has stopped; nothing was imported. Upload "
            "the file again, or contact the administrator if it happens again."
        ).format(n=job.attempts)
        job.finished_at = clock.now()
    else:
        job.status = QUEUE_OF[was]
        transaction.on_commit(partial(TASK_OF[job.status].enqueue, job.pk))
    job.save(update_fields=["status", "message", "finished_at", "updated_at"])
    record(
        actor=actor,
        action=AuditAction.RECORD_CHANGED,
        target=job,
        org=job.org,
        changes={"status": [was, job.status]},
        extra={"ledger_import": job.pk, "attempts": job.attempts, "heartbeat": heartbeat},
    )
    logger.warning("ledger import %s: run %s stopped; now %s", job.pk, job.attempts, job.status)
    return True
