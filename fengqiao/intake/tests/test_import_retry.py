"""A ledger job whose worker died mid-job (issue #16): the periodic sweep puts it back in the
queue once its heartbeat is stale, the next run registers every row once, the page says what
happened; a live job (fresh heartbeat, or an import holding its row lock) is left alone; after
the last attempt the job ends FAILED with a message to upload again. A run the sweep gave up on
can never write its rows as well (all or nothing holds across runs)."""

import io
import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import ConflictError
from fengqiao.core.scheduler import enqueue_due
from fengqiao.intake import import_jobs
from fengqiao.intake.models import ImportStatus, LedgerImport
from fengqiao.intake.tasks import requeue_stale_imports
from fengqiao.intake.tests.test_import_jobs import _csv, _row, _upload

TITLES = ["纠纷甲", "纠纷乙", "纠纷丙"]


class WorkerKilled(BaseException):
    """kill -9 (or the OOM killer) in the middle of a job: not even ``except Exception`` runs."""


def _die_at_row(monkeypatch, row: int) -> None:
    """The next run's worker dies when it reaches ``row`` (rows before it were registered)."""
    real = import_jobs._progress_writer

    def writer(job):
        write = real(job)

        def dying(rows: int, *, force: bool = False) -> None:
            write(rows, force=True)
            if rows >= row:
                raise WorkerKilled

        return dying

    monkeypatch.setattr(import_jobs, "_progress_writer", writer)


def _progress_files(job: LedgerImport) -> list[Path]:
    path = Path(job.file.path)
    return sorted(path.parent.glob(path.name + ".*progress"))


def _age(job: LedgerImport, *, claim: bool = True, heartbeat: bool = True) -> None:
    """Make the run's signs of life an hour old (the claim's updated_at, the progress file)."""
    old = timezone.now() - timedelta(hours=1)
    if claim:
        LedgerImport.objects.filter(pk=job.pk).update(updated_at=old)
    if heartbeat:
        for path in _progress_files(job):
            os.utime(path, (old.timestamp(), old.timestamp()))


def _sweep(capture) -> tuple[int, list]:
    with capture() as callbacks:
        moved = requeue_stale_imports.enqueue().return_value
    return moved, callbacks


@pytest.fixture
def confirmed(client, tree, township_clerk, django_capture_on_commit_callbacks):
    """A ledger of three rows, checked and confirmed; its import queued but not run yet."""
    client.force_login(township_clerk)
    content = _csv([_row(标题=title) for title in TITLES])
    _upload(client, tree.township_centre, content, capture=django_capture_on_commit_callbacks)
    job = LedgerImport.objects.get()
    assert job.status == ImportStatus.CHECKED
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("intake:import_confirm", args=[job.pk]))
    assert len(queued) == 1  # run_ledger_import, left for the test to run
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORT_QUEUED, 0)
    return job


def _status_page(client, job: LedgerImport) -> str:
    return client.get(reverse("intake:import_status", args=[job.pk])).content.decode()


pytestmark = pytest.mark.django_db


def test_an_import_whose_worker_died_is_queued_again_and_then_registers_every_row_once(
    client, confirmed, monkeypatch, django_capture_on_commit_callbacks
):
    job = confirmed
    _die_at_row(monkeypatch, 3)
    with pytest.raises(WorkerKilled):
        import_jobs.ledger_import_run(import_id=job.pk)
    monkeypatch.undo()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORTING, 1)
    assert Case.objects.count() == 0  # rows 2 and 3 were registered, then rolled back with it
    _age(job)

    moved, callbacks = _sweep(django_capture_on_commit_callbacks)

    assert moved == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORT_QUEUED, 1)
    assert _progress_files(job) == []  # the dead run's heartbeat is gone with it
    page = _status_page(client, job)
    assert "任务中断，已重新排队（第 2 次，最多 3 次）。" in page
    assert 'hx-trigger="every 1s"' in page  # still followed until the next run ends
    entry = AuditEntry.objects.get(action=AuditAction.RECORD_CHANGED, target_id=str(job.pk))
    assert (entry.actor_name, entry.changes) == (
        "system",
        {"status": ["importing", "import_queued"]},
    )
    assert entry.extra["attempts"] == 1
    assert len(callbacks) == 1  # the run is queued after the commit

    callbacks[0]()  # the worker takes the job up again

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORTED, 2)
    assert sorted(Case.objects.values_list("title", flat=True)) == sorted(TITLES)
    numbers = dict(Case.objects.values_list("number", "title"))
    assert [numbers[number] for _row_number, number in job.created_cases] == TITLES
    assert _progress_files(job) == []
    assert "任务中断" not in _status_page(client, job)
    assert _sweep(django_capture_on_commit_callbacks) == (0, [])


@pytest.mark.parametrize(
    ("running", "ready", "task"),
    [
        (ImportStatus.CHECKING, ImportStatus.CHECK_QUEUED, "check_ledger_import"),
        (ImportStatus.IMPORTING, ImportStatus.IMPORT_QUEUED, "run_ledger_import"),
    ],
)
def test_a_job_with_a_fresh_heartbeat_is_left_alone_and_a_stale_one_is_requeued(
    running, ready, task, tree, township_clerk, django_capture_on_commit_callbacks
):
    job = LedgerImport.objects.create(
        org=tree.township_centre, uploaded_by=township_clerk, file_name="台账.csv", status=ready
    )
    job.file.save("台账.csv", io.BytesIO(_csv([_row()])))
    assert import_jobs._claim(job.pk, ready, running) is not None  # a worker took it up
    _age(job, heartbeat=False)  # claimed an hour ago, but its progress file is being written

    assert _sweep(django_capture_on_commit_callbacks) == (0, [])
    job.refresh_from_db()
    assert (job.status, job.attempts) == (running, 1)
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).exists()

    _age(job)  # now the file stopped moving too
    moved, callbacks = _sweep(django_capture_on_commit_callbacks)

    assert moved == 1
    job.refresh_from_db()
    assert job.status == ready
    assert [c.func.__self__ for c in callbacks] == [getattr(import_jobs, task)]  # its .enqueue


def test_a_just_claimed_job_without_a_progress_file_yet_is_left_alone(
    tree, township_clerk, django_capture_on_commit_callbacks
):
    job = LedgerImport.objects.create(
        org=tree.township_centre,
        uploaded_by=township_clerk,
        file_name="台账.csv",
        status=ImportStatus.IMPORTING,
        attempts=1,
    )
    job.file.save("台账.csv", io.BytesIO(_csv([_row()])))

    assert _sweep(django_capture_on_commit_callbacks) == (0, [])
    _age(job)
    assert _sweep(django_capture_on_commit_callbacks)[0] == 1  # the claim's time is its heartbeat


def test_after_the_last_attempt_the_job_fails_with_a_message_to_upload_again(
    client, confirmed, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.FENGQIAO_IMPORT_MAX_ATTEMPTS = 2
    job = confirmed
    for _attempt in range(2):
        _die_at_row(monkeypatch, 2)
        with pytest.raises(WorkerKilled):
            import_jobs.ledger_import_run(import_id=job.pk)
        monkeypatch.undo()
        _age(job)
        moved, callbacks = _sweep(django_capture_on_commit_callbacks)
        assert moved == 1

    job.refresh_from_db()
    assert (job.status, job.attempts, callbacks) == (ImportStatus.FAILED, 2, [])
    message = (
        "任务已中断 2 次，已停止，未导入任何案件。请重新上传文件；如仍出现此情况，请联系管理员。"
    )
    assert job.message == message
    assert job.finished_at is not None
    page = _status_page(client, job)
    assert message in page
    assert "hx-get" not in page  # the page stops polling
    assert Case.objects.count() == 0
    changes = AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).order_by("pk")
    assert [e.changes["status"] for e in changes] == [
        ["importing", "import_queued"],
        ["importing", "failed"],
    ]
    assert import_jobs.ledger_import_run(import_id=job.pk) is None  # a late task does nothing


def test_a_worker_that_dies_between_the_rows_and_the_jobs_end_leaves_no_rows_to_duplicate(
    confirmed, monkeypatch, django_capture_on_commit_callbacks
):
    # The rows and the job's end are one transaction: had the rows committed first, the job
    # would stay IMPORTING over three cases and the requeued run would register them again.
    job = confirmed
    real_finish = import_jobs._finish

    def die_before_the_end(job, outcome):
        assert outcome[1] == ImportStatus.IMPORTED
        assert Case.objects.count() == 3  # every row registered, not committed yet
        raise WorkerKilled

    monkeypatch.setattr(import_jobs, "_finish", die_before_the_end)
    with pytest.raises(WorkerKilled):
        import_jobs.ledger_import_run(import_id=job.pk)
    monkeypatch.setattr(import_jobs, "_finish", real_finish)
    assert Case.objects.count() == 0
    _age(job)

    moved, callbacks = _sweep(django_capture_on_commit_callbacks)
    callbacks[0]()

    job.refresh_from_db()
    assert (moved, job.status, len(job.created_cases)) == (1, ImportStatus.IMPORTED, 3)
    assert sorted(Case.objects.values_list("title", flat=True)) == sorted(TITLES)


def test_a_run_the_sweep_gave_up_on_never_writes_its_rows_as_well(
    confirmed, django_capture_on_commit_callbacks
):
    # Worker A took the import up and went silent (a stalled machine, not a dead one); the
    # sweep gave the job to worker B, which registered every row. A then wakes up.
    job = confirmed
    slow = import_jobs._claim(job.pk, ImportStatus.IMPORT_QUEUED, ImportStatus.IMPORTING)
    assert slow is not None
    _age(job)
    moved, callbacks = _sweep(django_capture_on_commit_callbacks)
    assert moved == 1
    callbacks[0]()  # worker B
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORTED, 2)
    finished = (job.created_cases, job.finished_at)

    assert import_jobs._run(slow, importing=True) is None  # worker A carries on

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORTED, 2)
    assert (job.created_cases, job.finished_at) == finished
    assert sorted(Case.objects.values_list("title", flat=True)) == sorted(TITLES)


def test_a_check_the_sweep_gave_up_on_does_not_overwrite_the_next_phase(
    client, tree, township_clerk, django_capture_on_commit_callbacks
):
    job = LedgerImport.objects.create(
        org=tree.township_centre,
        uploaded_by=township_clerk,
        file_name="台账.csv",
        status=ImportStatus.CHECK_QUEUED,
    )
    job.file.save("台账.csv", io.BytesIO(_csv([_row(标题=title) for title in TITLES])))
    slow = import_jobs._claim(job.pk, ImportStatus.CHECK_QUEUED, ImportStatus.CHECKING)
    _age(job)
    _moved, callbacks = _sweep(django_capture_on_commit_callbacks)
    callbacks[0]()  # the second check ends CHECKED; the uploader confirms
    client.force_login(township_clerk)
    with django_capture_on_commit_callbacks():
        client.post(reverse("intake:import_confirm", args=[job.pk]))

    assert import_jobs._run(slow, importing=False) is None  # the first check ends late

    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORT_QUEUED, 0)


def test_the_scheduler_runs_the_sweep_every_minute(settings, django_capture_on_commit_callbacks):
    path = "fengqiao.intake.tasks.requeue_stale_imports"
    assert (path, 60) in settings.FENGQIAO_PERIODIC_TASKS
    assert settings.FENGQIAO_IMPORT_STALE_SECONDS == 600
    settings.FENGQIAO_PERIODIC_TASKS = [(path, 60)]
    now = timezone.now()
    assert enqueue_due(now) == [path]
    assert enqueue_due(now + timedelta(seconds=59)) == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across threads")
def test_a_slow_import_that_holds_its_row_is_never_requeued_whatever_its_heartbeat(
    tree, township_clerk, monkeypatch, settings
):
    settings.FENGQIAO_IMPORT_STALE_SECONDS = 0  # every heartbeat is stale from now on
    job = LedgerImport.objects.create(
        org=tree.township_centre,
        uploaded_by=township_clerk,
        file_name="台账.csv",
        status=ImportStatus.IMPORT_QUEUED,
        rows=3,
    )
    job.file.save("台账.csv", io.BytesIO(_csv([_row(标题=title) for title in TITLES])))
    at_row_two, carry_on = threading.Event(), threading.Event()
    real = import_jobs._progress_writer

    def writer(job):
        write = real(job)

        def slow(rows: int, *, force: bool = False) -> None:
            write(rows, force=force)
            if rows == 2:  # row 1 is registered, uncommitted; the worker stalls
                at_row_two.set()
                carry_on.wait(timeout=30)

        return slow

    monkeypatch.setattr(import_jobs, "_progress_writer", writer)
    result: list[object] = []

    def worker() -> None:
        try:
            result.append(import_jobs.ledger_import_run(import_id=job.pk))
        except Exception as exc:
            result.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert at_row_two.wait(timeout=30)
        _age(job, claim=False)  # updated_at would wait on the row lock; 0 s makes it stale
        job.refresh_from_db()
        assert (job.status, job.attempts) == (ImportStatus.IMPORTING, 1)

        with connection.cursor() as cursor:  # waiting on the worker's lock would fail the test
            cursor.execute("SET lock_timeout = '2s'")
        assert import_jobs.ledger_imports_requeue_stale(actor=township_clerk) == 0
        with pytest.raises(ConflictError):  # a second click is refused at once, not made to wait
            import_jobs.ledger_import_confirm(actor=township_clerk, import_id=job.pk)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
        carry_on.set()
        thread.join(timeout=60)

    assert [type(r) for r in result] == [LedgerImport]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.IMPORTED, 1)
    assert sorted(Case.objects.values_list("title", flat=True)) == sorted(TITLES)
    assert import_jobs.ledger_imports_requeue_stale(actor=township_clerk) == 0
    assert not AuditEntry.objects.filter(action=AuditAction.RECORD_CHANGED).exists()


def test_a_job_whose_task_was_lost_is_queued_again_and_runs_once(
    confirmed, django_capture_on_commit_callbacks
):
    """The process died between the confirm's commit and its after-commit enqueue: the job
    waited IMPORT_QUEUED with no task for ever. The sweep queues it again; a second task for
    the same job registers nothing twice (a claim takes the job once)."""
    job = confirmed  # its task was captured and never run: lost
    _age(job, heartbeat=False)

    moved, callbacks = _sweep(django_capture_on_commit_callbacks)

    assert (moved, len(callbacks)) == (1, 1)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORT_QUEUED  # waiting, not claimed: no attempt used
    assert _sweep(django_capture_on_commit_callbacks)[0] == 0  # once per stale period
    for _twice in range(2):
        callbacks[0]()
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    assert sorted(Case.objects.values_list("title", flat=True)) == sorted(TITLES)
