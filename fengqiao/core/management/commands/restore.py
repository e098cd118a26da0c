"""manage.py restore FOLDER --yes: put back a backup made by ``backup``. Stop the web server and
the worker first; every file's sha256 is checked before anything is overwritten."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "从备份目录恢复数据库与文件（会覆盖现有数据，须加 --yes；先停止网站与后台任务）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="backup 命令生成的子目录")
        parser.add_argument("--yes", action="store_true", help="确认覆盖现有数据")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError("恢复会覆盖现有的数据库和文件。确认无误后加 --yes 再运行。")
        try:
            manifest = backup_restore(options["folder"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已从 {options['folder']} 恢复（备份时间 {manifest['made_at']}）")
