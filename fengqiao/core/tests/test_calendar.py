"""Working-day arithmetic against the holiday calendar, and its all-or-nothing import."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from fengqiao.core.calendar import add_days, is_workday
from fengqiao.core.models import CalendarDay

pytestmark = pytest.mark.django_db

# 2026 National Day: Oct 1–8 off (Thu–Thu), with Sunday Sep 27 and Saturday Oct 10 worked.
NATIONAL_DAY = [(date(2026, 10, d), False, "国庆节") for d in range(1, 9)] + [
    (date(2026, 9, 27), True, "国庆调休"),
    (date(2026, 10, 10), True, "国庆调休"),
]


@pytest.fixture
def national_day(db):
    for day, workday, name in NATIONAL_DAY:
        CalendarDay.objects.create(date=day, is_workday=workday, name=name)


def test_working_days_skip_the_holiday_and_count_the_worked_saturday(national_day):
    # Wednesday Sep 30 + 1 working day: Oct 1–8 are off, Oct 9 (Fri) is the first working day.
    assert add_days(date(2026, 9, 30), 1, working=True) == date(2026, 10, 9)
    # + 2: the worked Saturday Oct 10 counts.
    assert add_days(date(2026, 9, 30), 2, working=True) == date(2026, 10, 10)
    assert add_days(date(2026, 9, 30), 3, working=True) == date(2026, 10, 12)


def test_calendar_days_ignore_holidays(national_day):
    assert add_days(date(2026, 9, 30), 30, working=False) == date(2026, 10, 30)


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2026, 8, 1), max_value=date(2026, 12, 31)),
    days=st.integers(min_value=1, max_value=40),
)
def test_the_result_is_a_working_day_with_exactly_n_working_days_after_the_start(start, days):
    CalendarDay.objects.all().delete()
    for day, workday, name in NATIONAL_DAY:
        CalendarDay.objects.create(date=day, is_workday=workday, name=name)
    due = add_days(start, days, working=True)
    assert is_workday(due)
    counted = sum(is_workday(start + timedelta(days=i)) for i in range(1, (due - start).days + 1))
    assert counted == days


def test_import_is_all_or_nothing_and_reports_the_row(tmp_path, capsys):
    good = tmp_path / "2027.csv"
    good.write_text(
        "日期,是否上班,名称\n2027-01-01,否,元旦\n2027-02-06,是,春节调休\n", encoding="utf-8"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "日期,是否上班,名称\n2027-05-01,否,劳动节\n2027-13-01,否,错误\n2027-05-02,也许,劳动节\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError):
        call_command("import_holidays", str(bad))
    err = capsys.readouterr().err
    assert "第3行 date" in err
    assert "第4行 is_workday" in err
    assert not CalendarDay.objects.exists()
    call_command("import_holidays", str(good))
    assert list(CalendarDay.objects.values_list("date", "is_workday")) == [
        (date(2027, 1, 1), False),
        (date(2027, 2, 6), True),
    ]
