"""Background jobs of the intake app; thin wrappers, run by the db_worker."""

from django_tasks import task

from fengqiao.intake.callbacks import callback_send, callbacks_send_due


@task()
def send_callback(callback_id: int) -> bool:
    """Send one queued result as soon as its transaction committed."""
    return callback_send(callback_id)


@task()
def send_due_callbacks() -> int:
    """Retry due callbacks (FENGQIAO_PERIODIC_TASKS)."""
    return callbacks_send_due()
