"""Print (or write) docs/indicators.md from the indicator definitions."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fengqiao.kpi.indicator_doc import render


class Command(BaseCommand):
    help = "根据指标定义生成指标口径说明（docs/indicators.md）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="写入此文件，而不是输出到屏幕")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render()
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
