"""Import a division code table (.csv or .xlsx): all rows or none, every bad row reported.

It lives in accounts, not regions, because it acts as the system account (accounts sits above
regions in the layers; regions itself only takes the actor it is given)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.services import system_actor
from fengqiao.core.exceptions import InvalidInput
from fengqiao.regions.services import regions_import


class Command(BaseCommand):
    help = (
        "导入行政区划代码表（.csv 或 .xlsx；列：code, name，可选 level, parent_code, population,"
        " successor_code，也接受中文表头和国家统计局统计用区划代码表）。任一行有错则全部不写入，"
        "并逐行报告。--year 表示该文件是该年度所覆盖范围的完整代码表：文件中没有的区划标记为撤销"
        "（不删除），带并入代码的行记为合并，改名、改隶、新设、撤销均留有历史。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="代码表文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--year", type=int, help="代码表的年度（按年度更新并保留历史）")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            result = regions_import(
                actor=system_actor(),
                path=path,
                dry_run=options["dry_run"],
                year=options["year"],
            )
        except InvalidInput as exc:
            details = "；".join(f"{k}: {', '.join(v)}" for k, v in exc.errors.items())
            raise CommandError(f"{exc.message}（{details}）" if details else exc.message) from exc
        if result.errors:
            for error in result.errors:
                self.stderr.write(f"第{error.row}行 {error.column}: {error.message}")
            raise CommandError(f"{len(result.errors)} 处错误，未写入任何数据。")
        if options["dry_run"]:
            self.stdout.write("校验通过（--dry-run，未写入）。")
            return
        self.stdout.write(f"新增 {result.created} 个区划，更新 {result.updated} 个。")
        changes = [
            ("改名", result.renamed),
            ("改隶", result.moved),
            ("撤销", result.abolished),
            ("合并", result.merged),
            ("恢复", result.restored),
        ]
        done = "，".join(f"{label} {count} 个" for label, count in changes if count)
        if done:
            self.stdout.write(f"其中{done}（历史已保留）。")
