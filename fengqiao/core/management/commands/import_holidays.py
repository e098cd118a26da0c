"""Load a year's holidays and 调休 working weekends (csv/xlsx: date, is_workday, name)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.core.calendar import holidays_import


class Command(BaseCommand):
    help = "导入节假日与调休上班日（列：日期、是否上班、名称）；有错误时全部不导入。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        written, errors = holidays_import(options["file"])
        for error in errors:
            self.stderr.write(f"第{error.row}行 {error.column}: {error.message}")
        if errors:
            raise CommandError(f"{len(errors)} 处错误，未导入任何数据。")
        self.stdout.write(f"已导入 {written} 天。")
