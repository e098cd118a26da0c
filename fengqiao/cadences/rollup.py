"""一月一汇总 as a roll-up of the month's weekly 排查 results, not a second filing: per village,
what the weekly reports said (entries, zero reports, cases made, weeks missing)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.patrols.models import MissingReport, PatrolEntry, PatrolReport, RoundKind
from fengqiao.regions.models import Region


@dataclass(frozen=True, slots=True)
class VillageMonth:
    village: Region
    reports: int
    zero_reports: int
    entries: int
    cases: int
    missing: int


def monthly_rollup(*, actor: User, township: Region, year: int, month: int) -> list[VillageMonth]:
    """The weekly rounds whose week starts in the month, summed per village of ``township``;
    empty outside the actor's scope."""
    if not access.can(actor, Capability.CASE_VIEW, prefix=township.prefix):
        return []
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    in_month = Q(
        round__kind=RoundKind.WEEKLY, round__period_start__gte=start, round__period_start__lt=end
    )
    reports = PatrolReport.objects.filter(in_month, village__parent=township)
    counted = {
        row["village_id"]: row
        for row in reports.values("village_id").annotate(
            n=Count("pk"), zero=Count("pk", filter=Q(is_zero=True))
        )
    }
    entries = {
        row["report__village_id"]: row
        for row in PatrolEntry.objects.filter(report__in=reports)
        .values("report__village_id")
        .annotate(n=Count("pk"), cases=Count("case"))
    }
    missing = {
        row["village_id"]: row["n"]
        for row in MissingReport.objects.filter(in_month, village__parent=township)
        .values("village_id")
        .annotate(n=Count("pk"))
    }
    return [
        VillageMonth(
            village=v,
            reports=counted.get(v.pk, {}).get("n", 0),
            zero_reports=counted.get(v.pk, {}).get("zero", 0),
            entries=entries.get(v.pk, {}).get("n", 0),
            cases=entries.get(v.pk, {}).get("cases", 0),
            missing=missing.get(v.pk, 0),
        )
        for v in Region.objects.filter(parent=township).order_by("code")
    ]
