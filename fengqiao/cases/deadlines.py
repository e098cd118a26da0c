"""Which time limit applies to a case, and the date it falls on (ARCHITECTURE rule 5).

A *statutory* policy is law, not a default (issue #14): the case gets a ``CaseDeadline`` row
that remembers where the limit started, the law's days, the days it stood still and the
lawful extension granted, so no later action can put the due date past ``limit_date``. The
last day of a calendar-day limit that falls on a holiday moves to the next working day
(民法典 art.203).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from fengqiao.cases import refdata
from fengqiao.cases.choices import ClockStart, DeadlineStage, ExtensionRule
from fengqiao.cases.models import CaseDeadline, DeadlinePolicy
from fengqiao.core.calendar import period_end

_SPC_2025 = "最高法《关于严格依法规范民事案件立案与调解工作的意见》第3项：约定延长不超过三十日"
_COURT = "特邀调解规定（法释〔2016〕14号）第二十七条"


@dataclass(frozen=True, slots=True)
class PolicySeed:
    channel: str
    category: str  # code
    days: int
    basis: str
    working: bool = False
    level: int | None = None
    procedure: str = ""
    statutory: bool = False
    starts: str = ClockStart.REGISTERED
    extension: str = ExtensionRule.NONE
    extension_days: int = 0


# The policies a fresh installation starts with (DOMAIN Part B §0); administrators change them.
DEFAULT_POLICIES: list[PolicySeed] = [
    PolicySeed("", "", 30, "人民调解工作若干规定（司法部令第75号）第三十三条：一般一个月内调结"),
    PolicySeed(
        "court",
        "",
        30,
        f"{_COURT}：委派调解三十日，经当事人同意可延长；{_SPC_2025}",
        statutory=True,
        extension=ExtensionRule.PARTIES_CONSENT,
        extension_days=30,
    ),
    PolicySeed(
        "court",
        "",
        30,
        f"{_COURT}：委派调解期限为三十日，自调解员签收材料之日起算；{_SPC_2025}",
        procedure="delegated",
        statutory=True,
        extension=ExtensionRule.PARTIES_CONSENT,
        extension_days=30,
    ),
    PolicySeed(
        "court",
        "",
        15,
        f"{_COURT}：委托调解适用普通程序的为十五日，经当事人同意可延长；{_SPC_2025}",
        procedure="entrusted_ordinary",
        statutory=True,
        extension=ExtensionRule.PARTIES_CONSENT,
        extension_days=30,
    ),
    PolicySeed(
        "court",
        "",
        7,
        f"{_COURT}：委托调解适用简易程序的为七日，经当事人同意可延长；{_SPC_2025}",
        procedure="entrusted_simple",
        statutory=True,
        extension=ExtensionRule.PARTIES_CONSENT,
        extension_days=30,
    ),
    PolicySeed(
        "petition",
        "",
        60,
        "信访工作条例第三十四条：自受理之日起六十日内办结；情况复杂的，经本机关负责人批准，"
        "可以适当延长办理期限，但延长期限不得超过三十日，并告知信访人延期理由",
        statutory=True,
        starts=ClockStart.ACCEPTED,
        extension=ExtensionRule.APPROVAL_ONCE,
        extension_days=30,
    ),
    PolicySeed(
        "hotline_12345",
        "",
        5,
        "12345热线承办时限无全国统一日数（国办发〔2020〕53号未规定），由各市规定；"
        "本默认值取潍坊市12345政务服务便民热线条例（2021）第二十条：五个工作日",
        working=True,
    ),
    PolicySeed("", "labour", 15, "劳动争议调解仲裁法第十四条：十五日内未达成协议可申请仲裁"),
]

# The 信访 stages the law fixes (信访工作条例): (days, basis).
PETITION_STAGES: dict[str, tuple[int, str]] = {
    DeadlineStage.PETITION_NOTICE: (
        15,
        "信访工作条例第二十三条：自收到信访事项之日起十五日内书面告知信访人是否受理",
    ),
    DeadlineStage.PETITION_REVIEW: (
        30,
        "信访工作条例第三十五条：收到复查请求之日起三十日内提出复查意见，并予以书面答复",
    ),
    DeadlineStage.PETITION_REREVIEW: (
        30,
        "信访工作条例第三十六条：收到复核请求之日起三十日内提出复核意见（听证时间不计入）",
    ),
}
# The petitioner's own window to ask for 复查 / 复核 (arts.35, 36): 30 days from the reply.
PETITION_REQUEST_DAYS = 30


def policy_for(
    *,
    channel: str,
    category_id: int | None,
    level: int | None,
    procedure: str = "",
    place_prefix: str = "",
) -> DeadlinePolicy | None:
    """The most specific active policy: channel outweighs procedure, procedure a place (a city's
    own 12345 limit), a place outweighs category, category outweighs level."""
    ancestors = [place_prefix[:n] for n in (2, 4, 6, 9, 12) if n <= len(place_prefix)]
    candidates = [
        p
        for p in refdata.active_policies()  # in memory (core.refcache), filtered as the query did
        if p.channel in (channel, "")
        and p.category_id in (category_id, None)
        and p.level in (level, None)
        and p.procedure in (procedure, "")
        and (p.region is None or p.region.prefix in ancestors)
    ]

    def specificity(policy: DeadlinePolicy) -> tuple[bool, bool, int, bool, bool]:
        return (
            policy.channel != "",
            policy.procedure != "",
            len(policy.region.prefix) if policy.region else 0,
            policy.category_id is not None,
            policy.level is not None,
        )

    return max(candidates, key=specificity, default=None)


def policy_end(policy: DeadlinePolicy, start: date) -> date:
    """The last day of ``policy``'s limit counted from ``start`` (holidays moved, art.203)."""
    return period_end(start, policy.days, working=policy.working_days)


def due_date_for(
    *,
    channel: str,
    category_id: int | None,
    level: int | None,
    start: date,
    procedure: str = "",
    place_prefix: str = "",
) -> date | None:
    """When the applicable limit runs out, counted from ``start``; None if no policy applies."""
    policy = policy_for(
        channel=channel,
        category_id=category_id,
        level=level,
        procedure=procedure,
        place_prefix=place_prefix,
    )
    if policy is None:
        return None
    return policy_end(policy, start)


def handling_deadline(policy: DeadlinePolicy, *, start: date) -> CaseDeadline:
    """An unsaved handling-limit row for a statutory ``policy`` starting on ``start``."""
    row = CaseDeadline(
        stage=DeadlineStage.HANDLING,
        basis=policy.basis,
        started_on=start,
        days=policy.days,
        working_days=policy.working_days,
        extension_rule=policy.extension,
        extension_max_days=policy.extension_days if policy.extension != ExtensionRule.NONE else 0,
    )
    row.due_date = row.limit_date
    return row


def stage_deadline(stage: str, *, start: date) -> CaseDeadline:
    """An unsaved row for one of the 信访 stages the law fixes, starting on ``start``."""
    days, basis = PETITION_STAGES[stage]
    row = CaseDeadline(stage=stage, basis=basis, started_on=start, days=days)
    row.due_date = row.limit_date
    return row


def ensure_default_policies(policy_model: Any, category_model: Any) -> None:
    """Create the default rows that are missing (idempotent): migrations and tests.

    Works on the historical model of an older migration too: fields it lacks are left out."""
    fields = {f.name for f in policy_model._meta.get_fields()}
    for seed in DEFAULT_POLICIES:
        if seed.procedure and "procedure" not in fields:
            continue
        category = (
            category_model.objects.filter(code=seed.category).first() if seed.category else None
        )
        key: dict[str, Any] = {"channel": seed.channel, "category": category, "level": seed.level}
        defaults: dict[str, Any] = {
            "days": seed.days,
            "working_days": seed.working,
            "basis": seed.basis,
        }
        if "procedure" in fields:
            key["procedure"] = seed.procedure
            key["region"] = None
            defaults.update(
                statutory=seed.statutory,
                starts=seed.starts,
                extension=seed.extension,
                extension_days=seed.extension_days,
            )
        policy_model.objects.get_or_create(**key, defaults=defaults)


def mark_statutory_defaults(policy_model: Any) -> None:
    """Data migration: the seeded rows of the statutory limits become statutory, with the
    citation (rows an administrator edited keep their days; only the law's marks are set)."""
    for seed in DEFAULT_POLICIES:
        if not seed.statutory or seed.procedure:
            continue
        policy_model.objects.filter(
            channel=seed.channel, category__isnull=True, level=None, procedure="", region=None
        ).update(
            statutory=True,
            starts=seed.starts,
            extension=seed.extension,
            extension_days=seed.extension_days,
            basis=seed.basis,
        )
