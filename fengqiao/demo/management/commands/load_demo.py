"""Load the demo data set (湘阴县 / 静河镇): regions, organisations, logins and a year of cases."""

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fengqiao.accounts.models import User
from fengqiao.accounts.services import system_actor
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.models import Case
from fengqiao.cases.services import CaseDraft
from fengqiao.demo.loader import DEMO_PASSWORD, SEED, STATUS_NAMES, DemoReport, demo_load
from fengqiao.demo.steps import PREPARERS, STEPS
from fengqiao.intake.pipeline import register_dispute


def _register(actor: User, draft: CaseDraft) -> Case:
    """Demo cases come in through the one intake path, like real ones (issue #12)."""
    return register_dispute(actor=actor, draft=draft).case


class Command(BaseCommand):
    help = (
        "载入演示数据（湘阴县/静河镇）：行政区划、组织机构、各角色演示账号和约一年的案件。"
        "可重复运行：已载入时不做任何更改。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=300, help="案件数量（默认 300）")
        parser.add_argument("--seed", type=int, default=SEED, help="随机种子（默认固定，可复现）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 0:
            raise CommandError("--cases 不能为负数。")
        started = time.monotonic()
        report = demo_load(
            actor=system_actor(),
            register=_register,
            steps=STEPS,
            preparers=PREPARERS,
            cases=options["cases"],
            seed=options["seed"],
        )
        if not report.loaded:
            when = (
                f"{timezone.localtime(report.loaded_at):%Y-%m-%d %H:%M}" if report.loaded_at else ""
            )
            self.stdout.write(f"演示数据已于 {when} 载入，本次未做任何更改。")
        else:
            self._summary(report, time.monotonic() - started)
        self._logins(report)

    def _summary(self, report: DemoReport, seconds: float) -> None:
        write = self.stdout.write
        write(f"演示数据载入完成（用时 {seconds:.1f} 秒）：")
        write(f"  行政区划：湘阴县代码表 {report.regions_created} 个（国家统计局 2023 年区划代码）")
        write("  人口数为按区划代码生成的虚构数字，并非统计数据。")
        write(
            f"  组织机构 {report.organisations} 个，网格 {report.grids} 个，账号 {report.users} 个"
        )
        by_status = "，".join(f"{STATUS_NAMES[s]} {report.statuses.get(s, 0)}" for s in CaseStatus)
        write(f"  案件 {report.cases} 件（时间分布在近 12 个月）：{by_status}")
        write(f"  已标记超期：{report.overdue} 件")
        if report.broken_chains:
            raise CommandError(f"账本校验失败：{report.broken_chains} 个案件的哈希链断裂。")
        write("  账本校验（ledger.verify）：全部哈希链完整。")
        for line in report.more:
            write(f"  {line}")

    def _logins(self, report: DemoReport) -> None:
        write = self.stdout.write
        write("")
        write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        rows = [("用户名", "姓名", "角色", "岗位 · 单位"), *report.logins]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [_pad(text, width) for text, width in zip(row, widths, strict=False)]
            write("  " + "  ".join([*cells, row[3]]))
        if report.logins:
            write(
                "  另有静河镇其余 9 个村（社区）的网格员 wangge<村代码后三位>、调解员 tiaojie<…>。"
            )


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
