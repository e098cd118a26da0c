"""Check every case timeline's hash chain, the daily digests and the audit log's hashes and
daily seals; exit non-zero naming each break."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.audit import chain
from fengqiao.audit.models import AuditDigest, AuditEntry
from fengqiao.cases import ledger
from fengqiao.cases.models import Case


class Command(BaseCommand):
    help = (
        "验证所有案件时间线的哈希链、每日摘要以及审计日志的条目哈希与日摘要；"
        "有不一致时以非零状态退出并逐一列出。"
    )

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
        audit = [] if case_ids is not None else chain.verify()
        for problem in days:
            self.stderr.write(f"每日摘要：{problem}")
        for audit_problem in audit:
            self.stderr.write(f"审计日志：{audit_problem}")
        if not broken and not days and not audit:
            sealed = ledger.LedgerDigest.objects.count()
            message = f"全部 {total} 个案件的时间线完整；{sealed} 个每日摘要一致。"
            if case_ids is None:
                entries, seals = AuditEntry.objects.count(), AuditDigest.objects.count()
                message += f"审计日志 {entries} 条完整，{seals} 个审计日摘要一致。"
            self.stdout.write(message)
            return
        if not broken:
            raise CommandError(f"{len(days)} 处每日摘要不一致，{len(audit)} 处审计日志不一致。")
        for item in broken:
            where = f"事件 #{item.seq}" if item.seq else "链头"
            self.stderr.write(f"断链：{item.number}（{where}）：{item.problem}")
        raise CommandError(f"{len(broken)} 个案件的时间线被篡改或缺失。")
