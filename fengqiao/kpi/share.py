"""The share of 无讼村 among a region's villages and its yearly targets (seeds/003), below both
the indicator definitions (which take the targets) and the selectors (which take the share)."""

from decimal import Decimal

from fengqiao.kpi.models import Evaluation
from fengqiao.regions.models import Region

# seeds/003: 2023年底不少于45%，2024年底不低于60%，2025年底不低于75%；无讼乡镇标准第12条：不低于80%
SHARE_TARGETS = {2023: Decimal(45), 2024: Decimal(60), 2025: Decimal(75)}
SHARE_TARGET_AFTER = Decimal(80)


def share_target(year: int) -> Decimal:
    return SHARE_TARGETS.get(year, SHARE_TARGET_AFTER)


def village_share(region: Region, year: int) -> tuple[Decimal | None, int, int]:
    """(share in %, villages that passed, villages) under ``region`` for ``year``, from confirmed
    evaluations; None when no village in the region was evaluated."""
    villages = Region.objects.filter(prefix__startswith=region.prefix, level=5).count()
    evaluated = Evaluation.objects.filter(
        region__prefix__startswith=region.prefix,
        region__level=5,
        year=year,
        confirmed_at__isnull=False,
    )
    if not villages or not evaluated.exists():
        return None, 0, villages
    passed = evaluated.filter(passed=True).count()
    return (Decimal(passed) * 100 / villages).quantize(Decimal("0.01")), passed, villages
