"""Recompute every KPI counter from the case events (after a restore, or to check the counters)."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from fengqiao.kpi.rollups import rebuild


class Command(BaseCommand):
    help = "根据案件事件重新计算全部统计计数（计数与账本始终一致）"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        cells = rebuild()
        self.stdout.write(
            f"已根据案件事件重建 {cells} 个统计计数格，用时 {time.monotonic() - started:.1f} 秒。"
        )
