"""Recompute every indicator for every region × month from the cases and their events, compare
with what the dashboard serves, and check the invariants of a signed figure (issue #13)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.kpi.verification import verify
from fengqiao.regions.models import Region


class Command(BaseCommand):
    help = "逐区域、逐月根据案件和事件重算全部指标，与驾驶舱所示数据核对；有不一致时以非零状态退出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", help="区划代码：只核对该区域及其下级")
        parser.add_argument("--year", type=int, action="append", help="年度（可重复）")
        parser.add_argument("--drill", action="store_true", help="同时核对每项下钻案件清单")

    def handle(self, *args: Any, **options: Any) -> None:
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"没有区划代码为 {options['region']} 的区域。")
        mismatches = 0
        for mismatch in verify(region=region, years=options["year"], drill=options["drill"]):
            mismatches += 1
            self.stdout.write(str(mismatch))
        if mismatches:
            raise CommandError(f"{mismatches} 处不一致。")
        self.stdout.write("全部指标与案件、事件重算结果一致，不变量成立。")
