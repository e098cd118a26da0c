"""以案定补 and 星级奖补 as money: each mediator's concluded cases of a month priced by the rules of
the region (per difficulty and outcome), plus the monthly amount per star of the year's rating
and the 金牌调解员 amount; exported for the finance office.

A case counts in the month its outcome was recorded (``status_changed_at`` of a case with an
outcome), for its assignee. Difficulty is read from the case itself (``case_difficulty``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases.choices import RiskLevel
from fengqiao.cases.models import Case
from fengqiao.regions.models import Region
from fengqiao.registers.models import Difficulty, MediatorRating, RuleKind, SubsidyRule

DIFFICULT_PEOPLE = 10  # 群体性: ten or more people involved
ORDINARY_PEOPLE = 3
ORDINARY_AMOUNT = Decimal(10_000)


def case_difficulty(case: Case) -> str:
    """疑难复杂: high risk, mass, extreme or ≥10 people; 一般: medium risk, ≥3 people or ≥1万元;
    otherwise 简易."""
    if case.risk_level == RiskLevel.HIGH or case.is_mass or case.is_extreme:
        return Difficulty.DIFFICULT
    if case.people_count >= DIFFICULT_PEOPLE:
        return Difficulty.DIFFICULT
    if (
        case.risk_level == RiskLevel.MEDIUM
        or case.people_count >= ORDINARY_PEOPLE
        or (case.amount is not None and case.amount >= ORDINARY_AMOUNT)
    ):
        return Difficulty.ORDINARY
    return Difficulty.SIMPLE


def rules_for(region: Region) -> QuerySet[SubsidyRule]:
    """The rules of the deepest region at or above ``region`` that has any."""
    holders = (
        SubsidyRule.objects.filter(region__prefix__in=_ancestor_prefixes(region))
        .order_by("-region__level")
        .values_list("region_id", flat=True)
    )
    first = holders.first()
    return SubsidyRule.objects.filter(region_id=first) if first else SubsidyRule.objects.none()


def _ancestor_prefixes(region: Region) -> list[str]:
    prefixes = []
    node: Region | None = region
    while node is not None:
        prefixes.append(node.prefix)
        node = node.parent
    return prefixes


@dataclass(frozen=True, slots=True)
class SubsidyLine:
    """What one mediator is owed for the month."""

    mediator: User
    cases: int
    case_amount: Decimal
    stars: int
    star_amount: Decimal
    is_gold: bool
    gold_amount: Decimal

    @property
    def total(self) -> Decimal:
        return self.case_amount + self.star_amount + self.gold_amount


def _month(year: int, month: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.min, tzinfo=tz)


def subsidy_statement(*, actor: User, region: Region, year: int, month: int) -> list[SubsidyLine]:
    """Every mediator with a case or a rating in ``region`` for the month, with the amounts; only
    cases the actor may see count (and the actor must be able to see the region's cases).

    Returns an empty list for a region outside the actor's scope.
    """
    prefixes = access.scope_prefixes(actor, Capability.CASE_CLOSE)
    if not any(region.prefix.startswith(p) for p in prefixes):
        return []
    rules = list(rules_for(region))
    per_case = {(r.difficulty, r.outcome): r.amount for r in rules if r.kind == RuleKind.PER_CASE}
    per_star = next((r.amount for r in rules if r.kind == RuleKind.PER_STAR), Decimal(0))
    gold = next((r.amount for r in rules if r.kind == RuleKind.GOLD), Decimal(0))
    start, end = _month(year, month)
    cases = (
        Case.objects.within(prefixes)
        .filter(
            place_prefix__startswith=region.prefix,
            assignee__isnull=False,
            status_changed_at__gte=start,
            status_changed_at__lt=end,
        )
        .exclude(outcome="")
        .select_related("assignee")
    )
    counts: dict[int, int] = defaultdict(int)
    money: dict[int, Decimal] = defaultdict(Decimal)
    people: dict[int, User] = {}
    for case in cases:
        assignee = case.assignee
        assert assignee is not None  # noqa: S101  filtered above
        people[assignee.pk] = assignee
        counts[assignee.pk] += 1
        money[assignee.pk] += per_case.get((case_difficulty(case), case.outcome), Decimal(0))
    ratings = {
        r.mediator_id: r
        for r in MediatorRating.objects.filter(
            year=year, mediator__memberships__region__prefix__startswith=region.prefix
        )
        .select_related("mediator")
        .distinct()
    }
    for found in ratings.values():
        people.setdefault(found.mediator_id, found.mediator)
    lines = []
    for user_id, user in people.items():
        rating = ratings.get(user_id)
        stars = rating.stars if rating else 0
        lines.append(
            SubsidyLine(
                mediator=user,
                cases=counts[user_id],
                case_amount=money[user_id],
                stars=stars,
                star_amount=per_star * stars,
                is_gold=bool(rating and rating.is_gold),
                gold_amount=gold if rating and rating.is_gold else Decimal(0),
            )
        )
    return sorted(lines, key=lambda line: (-line.total, line.mediator.get_username()))
