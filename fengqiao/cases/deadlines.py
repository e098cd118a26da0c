"""Which time limit applies to a case, and the date it falls on (ARCHITECTURE rule 5)."""

from datetime import date
from typing import Any

from django.db.models import Q

from fengqiao.cases.models import DeadlinePolicy
from fengqiao.core.calendar import add_days

# The policies a fresh installation starts with (DOMAIN Part B §0); administrators change them.
# (channel, category code, level, days, working days, basis)
DEFAULT_POLICIES: list[tuple[str, str, int | None, int, bool, str]] = [
    ("", "", None, 30, False, "人民调解工作若干规定（司法部令第75号）第三十三条：一般一个月内调结"),
    ("court", "", None, 30, False, "特邀调解规定（法释〔2016〕14号）第二十七条：委派调解三十日"),
    ("petition", "", None, 60, False, "信访工作条例第三十四条：自受理之日起六十日内办结"),
    ("hotline_12345", "", None, 5, True, "12345热线承办时限：地方规定（如潍坊市条例第二十条）"),
    ("", "labour", None, 15, False, "劳动争议调解仲裁法第十四条：十五日内未达成协议可申请仲裁"),
]


def policy_for(
    *, channel: str, category_id: int | None, level: int | None
) -> DeadlinePolicy | None:
    """The most specific active policy: channel outweighs category, category outweighs level."""
    candidates = DeadlinePolicy.objects.filter(
        Q(channel=channel) | Q(channel=""),
        Q(category_id=category_id) | Q(category__isnull=True),
        Q(level=level) | Q(level__isnull=True),
        is_active=True,
    )

    def specificity(policy: DeadlinePolicy) -> tuple[bool, bool, bool]:
        return (policy.channel != "", policy.category_id is not None, policy.level is not None)

    return max(candidates, key=specificity, default=None)


def due_date_for(
    *, channel: str, category_id: int | None, level: int | None, start: date
) -> date | None:
    """When the applicable limit runs out, counted from ``start``; None if no policy applies."""
    policy = policy_for(channel=channel, category_id=category_id, level=level)
    if policy is None:
        return None
    return add_days(start, policy.days, working=policy.working_days)


def ensure_default_policies(policy_model: Any, category_model: Any) -> None:
    """Create the default rows that are missing (idempotent): migration and tests."""
    for channel, category_code, level, days, working, basis in DEFAULT_POLICIES:
        category = (
            category_model.objects.filter(code=category_code).first() if category_code else None
        )
        policy_model.objects.get_or_create(
            channel=channel,
            category=category,
            level=level,
            defaults={"days": days, "working_days": working, "basis": basis},
        )
