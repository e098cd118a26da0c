"""Check every case timeline's hash chain; exit non-zero naming each broken case."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.cases import ledger
from fengqiao.cases.models import Case


class Command(BaseCommand):
    help = "验证所有案件时间线的哈希链；有断链时以非零状态退出并列出案件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--case", action="append", default=None, help="只验证这些案件编号（可重复）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        case_ids = None
        if options["case"]:
            case_ids = list(
                Case.objects.filter(number__in=options["case"]).values_list("pk", flat=True)
            )
        broken = list(ledger.verify(case_ids))
        total = Case.objects.count() if case_ids is None else len(case_ids)
        days = [] if case_ids is not None else ledger.verify_digests()
        for problem in days:
            self.stderr.write(f"每日摘要：{problem}")
        if not broken and not days:
            sealed = ledger.LedgerDigest.objects.count()
            self.stdout.write(f"全部 {total} 个案件的时间线完整；{sealed} 个每日摘要一致。")
            return
        if not broken:
            raise CommandError(f"{len(days)} 处每日摘要不一致。")
        for item in broken:
            where = f"事件 #{item.seq}" if item.seq else "链头"
            self.stderr.write(f"断链：{item.number}（{where}）：{item.problem}")
        raise CommandError(f"{len(broken)} 个案件的时间线被篡改或缺失。")
