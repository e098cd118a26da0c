"""Re-encrypt personal data under the current key (the first in FENGQIAO_PII_KEYS), so an old key
can then be removed from the list. Batched, resumable: rows already under the current key are
skipped, so a run interrupted half way is simply run again."""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from fengqiao.core import crypto


class Command(BaseCommand):
    help = "用当前密钥重新加密全部个人信息字段（轮换密钥后运行；可中断后重跑）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--dry-run", action="store_true", help="只统计需要重新加密的行数")

    def handle(self, *args: Any, **options: Any) -> None:
        current = crypto.current_key_id()
        total = 0
        for label, field, context in crypto.ENCRYPTED_FIELDS:
            model = apps.get_model(label)
            stale = (
                model._default_manager.exclude(**{field: ""})
                .exclude(**{f"{field}__startswith": f"{current}:"})
                .order_by("pk")
            )
            count = stale.count()
            done = 0
            while not options["dry_run"]:
                with transaction.atomic():
                    rows = list(stale.select_for_update()[: options["batch"]])
                    if not rows:
                        break
                    for row in rows:
                        plain = crypto.decrypt(getattr(row, field), context=context)
                        setattr(row, field, crypto.encrypt(plain, context=context))
                    model._default_manager.bulk_update(rows, [field])
                done += len(rows)
            total += done
            verb = "需重新加密" if options["dry_run"] else "已重新加密"
            self.stdout.write(f"{label}.{field}: {verb} {count if options['dry_run'] else done} 行")
        self.stdout.write(f"完成：当前密钥 {current}，共 {total} 行。")
