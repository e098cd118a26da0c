"""Overdue marks of replayed history (issue #21 item 7): a case of an earlier year concluded after
its deadline carries the mark the live sweep (``cases.services.cases_mark_overdue``) would have
written the night its deadline passed, so the 调处台账's 是否按期, the KPI's 按期 and 标记超期
figures and the case's timeline say the same; a case concluded on time carries none."""

from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from fengqiao.accounts.services import system_actor
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case
from fengqiao.dataio import case_ledgers
from fengqiao.intake.tests.ledger_rows import REGISTERED, YEAR, closed, import_rows, row
from fengqiao.kpi import selectors
from fengqiao.kpi.choices import Metric
from fengqiao.kpi.definitions import BY_CODE
from fengqiao.kpi.periods import Period
from fengqiao.notifications.models import Notification
from fengqiao.supervision.models import SupervisionNotice
from fengqiao.supervision.notices import supervision_auto_sweep

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
YEAR_PERIOD = Period(date(YEAR, 1, 1), date(YEAR, 12, 31))


def _ledger(case: Case) -> dict[str, object]:
    found = next(iter(case_ledgers.values(Case.objects.filter(pk=case.pk))))
    return {str(c.header): c.value(found) for c in case_ledgers.HANDLING.columns}


def _concluded_was_due(case: Case) -> date:
    event = case.events.filter(data__transition="record_agreement").get()
    return date.fromisoformat(str(event.data["was_due"])[:10])


def test_a_case_concluded_late_carries_the_overdue_mark_of_the_night_its_deadline_passed(
    tmp_path, tree, township_clerk, mediator, django_capture_on_commit_callbacks
):
    rows = [
        closed(办结日期=date(YEAR, 7, 10).isoformat()),  # months after its deadline
        closed(标题="按期办结的纠纷", 办结日期=(REGISTERED + timedelta(days=10)).isoformat()),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        report = import_rows(tmp_path, township_clerk, tree.township_centre, rows)
    assert report.ok, report.errors
    late, on_time = (Case.objects.get(number=number) for _row, number in report.created)

    due = _concluded_was_due(late)
    assert REGISTERED < due < date(YEAR, 7, 10)
    # the deadline it missed is the one set when it was registered (受理 and 交办 follow
    # registration; a 交办 replayed months later had re-set it)
    registered = late.events.filter(kind=EventKind.REGISTERED).get()
    assert registered.data["due_date"] == due.isoformat()
    marks = list(late.events.filter(kind=EventKind.MARKED_OVERDUE))
    assert len(marks) == 1
    mark = marks[0]
    passed = datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=TZ)
    assert mark.occurred_at == passed
    assert late.overdue_since == passed
    assert mark.data["due_date"] == due.isoformat()
    assert mark.data["days_late"] == 1
    assert mark.data["imported"] == {"import": 7, "file": "x", "row": 2}
    assert mark.actor == system_actor()  # written as the sweep writes it
    timeline = list(late.events.order_by("seq"))
    assert [e.occurred_at for e in timeline] == sorted(e.occurred_at for e in timeline)
    assert not on_time.events.filter(kind=EventKind.MARKED_OVERDUE).exists()
    assert on_time.overdue_since is None

    # the ledger, the KPI and the timeline agree on which case was late
    assert _ledger(late)["是否按期"] == "否"
    assert _ledger(on_time)["是否按期"] == "是"
    rate = selectors.compute(BY_CODE["on_time_rate"], tree.township, YEAR_PERIOD)
    assert (rate.numerator_total, rate.denominator_total) == (1, 2)
    month = Period(passed.date().replace(day=1), passed.date().replace(day=28))
    assert selectors.counter(Metric.OVERDUE, tree.township, month) == 1
    assert selectors.counter(Metric.OVERDUE, tree.township, YEAR_PERIOD) == 1
    out = StringIO()
    call_command("verify_figures", stdout=out)
    assert "一致" in out.getvalue()
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "时间线完整" in out.getvalue()
    # a concluded case of an earlier year is no-one's to supervise today
    assert SupervisionNotice.objects.count() == 0
    assert Notification.objects.count() == 0


def test_an_open_case_whose_deadline_passed_long_ago_is_marked_when_it_passed(
    tmp_path, tree, township_clerk, mediator, django_capture_on_commit_callbacks
):
    """Still in mediation: the sweep would have marked it the night after its deadline, not on
    the day it was imported. Its 督办 is today's work, issued by the periodic sweep like any
    other's, not a job per imported row."""
    with django_capture_on_commit_callbacks(execute=True):
        report = import_rows(
            tmp_path, township_clerk, tree.township_centre, [row(登记日期=REGISTERED.isoformat())]
        )
    assert report.ok, report.errors
    case = Case.objects.get()
    assert case.due_date is not None
    mark = case.events.filter(kind=EventKind.MARKED_OVERDUE).get()
    passed = datetime.combine(case.due_date + timedelta(days=1), time(0, 0), tzinfo=TZ)
    assert (mark.occurred_at, case.overdue_since) == (passed, passed)
    assert _ledger(case)["是否按期"] == "逾期未结"
    assert SupervisionNotice.objects.count() == 0  # the tests' task backend runs jobs at once
    assert supervision_auto_sweep(actor=system_actor()) == 1
    assert SupervisionNotice.objects.get().case == case
