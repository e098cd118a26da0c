"""Erase the personal data of parties whose closed case outlived the retention period."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fengqiao.accounts.services import system_actor
from fengqiao.cases.privacy import parties_anonymise_expired, retention_cutoff


class Command(BaseCommand):
    help = "对超过保存期限的已结案件当事人信息进行匿名化处理（个人信息保护法第四十七条）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计，不修改")

    def handle(self, *args: Any, **options: Any) -> None:
        count = parties_anonymise_expired(actor=system_actor(), dry_run=options["dry_run"])
        verb = "将匿名化" if options["dry_run"] else "已匿名化"
        self.stdout.write(f"{retention_cutoff():%Y-%m-%d} 前结案的案件当事人：{verb} {count} 人。")
