"""A reporting period (inclusive dates) and its name on reports. The bottom of the kpi app:
models, definitions and selectors all use it, it uses none of them."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

MONTHLY, QUARTERLY = "monthly", "quarterly"


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date  # inclusive

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


def period_name(kind: str, period: Period) -> str:
    if kind == MONTHLY:
        return f"{period.start.year}年{period.start.month}月"
    return f"{period.start.year}年第{(period.start.month - 1) // 3 + 1}季度"
