"""The real worker (PostgreSQL only: a ``manage.py db_worker`` subprocess shares the database):
the overdue sweep and the supervision sweep run as queued jobs, the automatic 督办 is issued once,
its 企业微信 copy reaches a local robot after the commit, and an unanswered notice is escalated."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from fengqiao.cases.models import Case
from fengqiao.notifications.choices import Channel, OutboxStatus
from fengqiao.notifications.models import OrgWebhook, OutboundMessage
from fengqiao.supervision.choices import NoticeStatus
from fengqiao.supervision.models import SupervisionNotice
from fengqiao.supervision.tests.conftest import Robot

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="subprocesses share only a real database"
    ),
]

ENQUEUE = (
    "from fengqiao.cases.tasks import mark_overdue_cases;"
    "from fengqiao.supervision.tasks import sweep_supervision;"
    "mark_overdue_cases.enqueue(); sweep_supervision.enqueue()"
)


def _env() -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
        f":{db['PORT'] or 5432}/{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "fengqiao.settings.test",
        "DATABASE_URL": url,
        "FENGQIAO_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def _manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(),
        check=True,
        timeout=120,
        capture_output=True,
    )


def _sweep_with_the_worker() -> None:
    _manage("shell", "-c", ENQUEUE)
    _manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1")


def test_the_worker_issues_delivers_and_escalates(register_case, people, tree, robot_server):
    hook = OrgWebhook(org=tree.township_centre, channel=Channel.WECOM, name="镇群")
    hook.set_url(f"{robot_server}/cgi-bin/webhook/send?key=W")
    hook.save()
    case = register_case()
    Case.objects.filter(pk=case.pk).update(due_date=timezone.localdate() - timedelta(days=3))

    _sweep_with_the_worker()
    notice = SupervisionNotice.objects.get(case=case)
    assert notice.status == NoticeStatus.OPEN
    assert [body["text"]["content"] for _, body in Robot.received if case.number in str(body)]
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    received = len(Robot.received)

    _sweep_with_the_worker()  # nothing new in the same episode, nothing sent twice
    assert SupervisionNotice.objects.filter(case=case).count() == 1
    assert len(Robot.received) == received

    SupervisionNotice.objects.filter(pk=notice.pk).update(
        reply_due=timezone.localdate() - timedelta(days=10)
    )
    _sweep_with_the_worker()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.OVERDUE
    assert notice.escalated_to.above_org == tree.county_centre
    assert len(Robot.received) > received  # the overdue and escalation copies went out too
