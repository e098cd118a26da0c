"""Check seals, file numbers and bound papers across every case (issue #14); exit non-zero
naming each failure in Chinese."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.cases.models import Case
from fengqiao.documents.verification import CHECKS, verify


class Command(BaseCommand):
    help = "核查全部案件的调解协议印章、卷宗编号和卷宗装订材料；有问题时逐条列出并以非零状态退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--case", action="append", default=None, help="只核查这些案件编号（可重复）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cases = Case.objects.all()
        if options["case"]:
            cases = cases.filter(number__in=options["case"])
        failures = 0
        for failure in verify(cases):
            failures += 1
            self.stderr.write(str(failure))
        if failures:
            raise CommandError(f"{failures} 处案卷记录不符合要求。")
        self.stdout.write(
            f"全部 {cases.count()} 个案件的记录核查通过（{len(CHECKS)} 项检查："
            "印章、编号、特邀名册、卷宗材料、当事人基本情况）。"
        )
