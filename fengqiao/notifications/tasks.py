"""Background jobs of the notifications app, run by the db_worker. ``send_outbound`` is defined
in ``outbox`` (which queues it after each commit) and re-exported here with the periodic sweep."""

from django_tasks import task

from fengqiao.notifications.outbox import messages_send_due
from fengqiao.notifications.outbox import send_outbound as send_outbound


@task()
def send_due_outbound() -> int:
    """Retry failed messages whose pause is over (FENGQIAO_PERIODIC_TASKS)."""
    return messages_send_due()
