"""The overdue sweep as a background task and as the scheduler runs it (immediate backend)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fengqiao.accounts.services import SYSTEM_USERNAME
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case, CaseEvent
from fengqiao.cases.tasks import mark_overdue_cases
from fengqiao.core.scheduler import enqueue_due

pytestmark = pytest.mark.django_db


def test_task_marks_an_overdue_case_once(register_case):
    late, on_time = register_case(), register_case()
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    result = mark_overdue_cases.enqueue()
    assert result.return_value == 1
    events = CaseEvent.objects.filter(kind=EventKind.MARKED_OVERDUE)
    assert [(e.case_id, e.actor.username) for e in events] == [(late.pk, SYSTEM_USERNAME)]
    assert mark_overdue_cases.enqueue().return_value == 0
    assert events.count() == 1
    on_time.refresh_from_db()
    assert on_time.overdue_since is None


def test_the_scheduler_runs_the_configured_sweep(register_case, settings):
    assert ("fengqiao.cases.tasks.mark_overdue_cases", 300) in settings.FENGQIAO_PERIODIC_TASKS
    late = register_case()
    Case.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    now = timezone.now()
    assert "fengqiao.cases.tasks.mark_overdue_cases" in enqueue_due(now)
    assert "fengqiao.cases.tasks.mark_overdue_cases" not in enqueue_due(now)
    assert CaseEvent.objects.filter(case=late, kind=EventKind.MARKED_OVERDUE).count() == 1
