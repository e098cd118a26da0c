"""Property test of statutory clocks (issue #14 item 5): for random statutory policies (days,
calendar or working days, extension rule and cap), random holidays and 调休 working days, and
random sequences of days passing, pauses, resumptions, assignments, extension requests and
extensions (with or without the approval or the consent document), the case's due date never
passes the statutory limit plus the lawful extension plus the days paused, counted on a plain
model of the calendar with the last day moved off a holiday (民法典 art.203)."""

import io
from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fengqiao.cases import attachments
from fengqiao.cases.choices import ExtensionRule
from fengqiao.cases.models import Case, DeadlinePolicy
from fengqiao.cases.services import ActionInput, case_transition
from fengqiao.core.exceptions import InvalidInput, TransitionBlocked
from fengqiao.core.models import CalendarDay

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"

POLICY = st.fixed_dictionaries(
    {
        "days": st.integers(min_value=1, max_value=60),
        "working_days": st.booleans(),
        "extension": st.sampled_from(ExtensionRule.values),
        "extension_days": st.integers(min_value=1, max_value=30),
    }
)
# offsets from today: rest days and working weekend days (调休)
CALENDAR = st.dictionaries(st.integers(min_value=0, max_value=150), st.booleans(), max_size=40)
STEP = st.one_of(
    st.tuples(st.just("wait"), st.integers(min_value=0, max_value=20), st.booleans()),
    st.tuples(st.just("pause"), st.just(0), st.booleans()),
    st.tuples(st.just("resume"), st.just(0), st.booleans()),
    st.tuples(st.just("assign"), st.integers(min_value=-3, max_value=120), st.booleans()),
    st.tuples(st.just("request"), st.integers(min_value=1, max_value=90), st.booleans()),
    # the flag: whether the approval / the parties' consent document is given
    st.tuples(st.just("extend"), st.integers(min_value=-5, max_value=90), st.booleans()),
)


class Calendar:
    """A plain model of the working-day calendar: weekends rest unless marked, marks win."""

    def __init__(self, marks: dict[date, bool]):
        self.marks = marks

    def workday(self, day: date) -> bool:
        return self.marks.get(day, day.weekday() < 5)

    def add(self, start: date, days: int, working: bool) -> date:
        if not working:
            return start + timedelta(days=days)
        day, counted = start, 0
        while counted < days:
            day += timedelta(days=1)
            counted += self.workday(day)
        return day

    def roll(self, day: date) -> date:
        while not self.workday(day):
            day += timedelta(days=1)
        return day


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(policy=POLICY, marks=CALENDAR, steps=st.lists(STEP, min_size=1, max_size=10))
def test_no_clock_passes_the_law(
    policy, marks, steps, register_case, township_clerk, tree, village_mediator
):
    today = timezone.localdate()
    CalendarDay.objects.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=today + timedelta(days=n), is_workday=w, name="") for n, w in marks.items()
    )
    calendar = Calendar({today + timedelta(days=n): w for n, w in marks.items()})
    DeadlinePolicy.objects.filter(channel="court", procedure="").update(statutory=True, **policy)
    lawful_extension = policy["extension_days"] if policy["extension"] != "none" else 0

    case = register_case(channel="court")
    start = today
    document = None
    paused_total, paused_on = 0, None
    now = {"at": timezone.now()}

    def bound() -> date:
        end = calendar.add(start, policy["days"] + lawful_extension, policy["working_days"])
        return calendar.roll(end + timedelta(days=paused_total))

    assert case.due_date == calendar.roll(
        calendar.add(start, policy["days"], policy["working_days"])
    )
    with mock.patch("django.utils.timezone.now", side_effect=lambda: now["at"]):
        case = case_transition(actor=township_clerk, case_id=case.pk, name="accept")
        for kind, amount, flag in steps:
            day = timezone.localdate()
            due = Case.objects.get(pk=case.pk).due_date
            assert due is not None
            if kind == "wait":
                now["at"] += timedelta(days=amount)
                continue
            if kind == "extend" and flag and document is None:
                f = io.BytesIO(PDF)
                f.name = "同意延期.pdf"
                document = attachments.attachment_add(case=case, upload=f, source="staff")
            name, action = {
                "pause": ("pause_deadline", ActionInput(note="等待鉴定")),
                "resume": ("resume_deadline", ActionInput()),
                "assign": (
                    "assign",
                    ActionInput(
                        org_id=tree.village_committee.pk,
                        assignee_id=village_mediator.pk,
                        due_date=day + timedelta(days=amount),
                    ),
                ),
                "request": (
                    "request_extension",
                    ActionInput(due_date=due + timedelta(days=amount), note="申请延期"),
                ),
                "extend": (
                    "extend_deadline",
                    ActionInput(
                        due_date=due + timedelta(days=amount),
                        note="延期",
                        approval_ref="批准" if flag else "",
                        consent_document=document.pk if flag and document else None,
                    ),
                ),
            }[kind]
            try:
                case_transition(actor=township_clerk, case_id=case.pk, name=name, action=action)
            except (TransitionBlocked, InvalidInput):
                pass
            else:
                if kind == "pause":
                    paused_on = day
                elif kind == "resume":
                    assert paused_on is not None
                    paused_total += (day - paused_on).days
                    paused_on = None
                elif kind == "extend" and amount > 0 and action.due_date > bound():
                    raise AssertionError("an extension passed the law")
            stored = Case.objects.get(pk=case.pk)
            assert stored.due_date is not None
            assert stored.due_date <= bound(), (kind, amount, flag, stored.due_date, bound())


def test_the_model_calendar_agrees_with_a_known_holiday():
    # 2026-10-01..07 国庆 rest, 2026-10-10 (Saturday) 调休 working day
    marks = {date(2026, 10, d): False for d in range(1, 8)} | {date(2026, 10, 10): True}
    calendar = Calendar(marks)
    assert calendar.roll(date(2026, 10, 3)) == date(2026, 10, 8)
    assert calendar.roll(date(2026, 10, 10)) == date(2026, 10, 10)
    assert calendar.add(date(2026, 9, 30), 3, True) == date(2026, 10, 10)
