"""Calendar and working-day arithmetic with the imported holiday calendar (ARCHITECTURE rule 5)."""

from datetime import date, datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.core.models import CalendarDay
from fengqiao.core.tabular import RowError, read_rows

# Enough to cross the longest Chinese holiday run (Spring Festival with 调休) many times over.
_LOOKAHEAD_FACTOR = 3


def _exceptions(start: date, end: date) -> dict[date, bool]:
    rows = CalendarDay.objects.filter(date__gt=start, date__lte=end).values_list(
        "date", "is_workday"
    )
    return dict(rows)


def is_workday(day: date, exceptions: dict[date, bool] | None = None) -> bool:
    """Monday–Friday unless the calendar says otherwise."""
    if exceptions is not None and day in exceptions:
        return exceptions[day]
    if exceptions is None:
        row = CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()
        if row is not None:
            return bool(row)
    return day.weekday() < 5


def add_days(start: date, days: int, *, working: bool) -> date:
    """The day ``days`` days after ``start``; with ``working``, counting working days only.

    The start day itself never counts (a limit "within 5 working days" of a Friday receipt ends
    the next Friday), the usual reading of 期间 rules (民法典 art.201).
    """
    if days <= 0 or not working:
        return start + timedelta(days=max(days, 0))
    horizon = start + timedelta(days=days * _LOOKAHEAD_FACTOR + 30)
    exceptions = _exceptions(start, horizon)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if day > horizon:  # an implausible calendar full of holidays: widen and go on
            horizon = day + timedelta(days=days * _LOOKAHEAD_FACTOR + 30)
            exceptions.update(_exceptions(day - timedelta(days=1), horizon))
        if is_workday(day, exceptions):
            counted += 1
    return day


def roll_forward(day: date) -> date:
    """``day`` itself if it is a working day, else the next working day: the last day of a
    period that falls on a 法定休假日 moves to the day after it (民法典 art.203; 民诉法 art.85)."""
    horizon = day + timedelta(days=60)
    exceptions = _exceptions(day - timedelta(days=1), horizon)
    while not is_workday(day, exceptions):
        day += timedelta(days=1)
        if day > horizon:
            horizon = day + timedelta(days=60)
            exceptions.update(_exceptions(day - timedelta(days=1), horizon))
    return day


def period_end(
    start: date, days: int, *, working: bool, paused_days: int = 0, extended_days: int = 0
) -> date:
    """The last day of a limit of ``days`` (plus a lawful extension) from ``start``, with the
    days the clock stood still added back, moved off a holiday (民法典 arts.201, 203)."""
    end = add_days(start, days + extended_days, working=working)
    return roll_forward(end + timedelta(days=max(paused_days, 0)))


HOLIDAY_HEADERS = {
    "date": "date",
    "日期": "date",
    "is_workday": "is_workday",
    "是否上班": "is_workday",
    "上班": "is_workday",
    "name": "name",
    "名称": "name",
    "节日": "name",
}
_TRUE = {"1", "true", "yes", "是", "上班", "班"}
_FALSE = {"0", "false", "no", "否", "休息", "休"}


def holidays_import(path: Path) -> tuple[int, list[RowError]]:
    """Load holiday and 调休 rows (date, is_workday, name); all rows or none.

    Returns how many days were written and the row errors (nothing is written when there are any).
    """
    rows: list[tuple[date, bool, str]] = []
    errors: list[RowError] = []
    for number, raw in read_rows(path, HOLIDAY_HEADERS, optional={"name"}):
        value = raw.get("date")
        day = value.date() if isinstance(value, datetime) else value
        if not isinstance(day, date):
            try:
                day = date.fromisoformat(str(value or "").strip())
            except ValueError:
                errors.append(RowError(number, "date", gettext("Enter a date as YYYY-MM-DD.")))
                continue
        flag = str(raw.get("is_workday", "")).strip().lower()
        if flag not in _TRUE | _FALSE:
            errors.append(
                RowError(number, "is_workday", gettext("Enter 是 (a working day) or 否."))
            )
            continue
        rows.append((day, flag in _TRUE, str(raw.get("name") or "").strip()[:50]))
    if errors:
        return 0, errors
    with transaction.atomic():
        for day, workday, name in rows:
            CalendarDay.objects.update_or_create(
                date=day, defaults={"is_workday": workday, "name": name}
            )
    return len(rows), []
