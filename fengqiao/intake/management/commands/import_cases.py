"""Import a dispute ledger (.xlsx/.csv) as cases registered by USER at ORG: all rows or none."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.spreadsheet import cases_import
from fengqiao.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "导入矛盾纠纷登记台账（.xlsx/.csv），以 USER 的名义登记到单位 ORG；有任何错误则全部不导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="登记单位代码")
        parser.add_argument("--user", required=True, help="以谁的名义登记（须在该单位有登记权限）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        org = Organisation.objects.filter(code=options["org"]).first()
        if user is None or org is None:
            raise CommandError("用户或单位不存在。")
        try:
            report = cases_import(
                actor=user,
                org_id=org.pk,
                path=options["file"],
                dry_run=options["dry_run"],
                batch={"file": options["file"].name},
            )
        except InvalidInput as exc:
            raise CommandError(f"{exc.message} {exc.errors}") from exc
        for error in report.errors:
            self.stderr.write(f"第{error.row}行 {error.column}: {error.message}")
        if report.errors:
            raise CommandError(f"{len(report.errors)} 处错误，未导入任何案件。")
        if options["dry_run"]:
            self.stdout.write(f"检查通过：{report.rows} 行可以导入。")
        else:
            self.stdout.write(f"已导入 {len(report.created)} 件案件。")
