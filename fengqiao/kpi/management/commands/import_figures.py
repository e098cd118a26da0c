"""Import external figures (court, police, petition office, population) from .xlsx or .csv."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.core.exceptions import InvalidInput
from fengqiao.kpi.services import figures_import


class Command(BaseCommand):
    help = "导入外部数据（法院一审案件、诉前调解、人口、警情、信访等），全部正确才写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="导入人（须有督办权限）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户 {options['user']}")
        try:
            result = figures_import(actor=user, path=options["file"], dry_run=options["dry_run"])
        except InvalidInput as error:
            raise CommandError(f"{error.message}：{error.errors}") from None
        for problem in result.errors:
            self.stdout.write(str(problem))
        if result.errors:
            raise CommandError(f"{len(result.errors)} 处错误，未写入任何数据。")
        verb = "检查通过" if options["dry_run"] else "已导入"
        self.stdout.write(f"{verb}：新增 {result.created} 条，更新 {result.updated} 条。")
