"""manage.py backup DIR: the database and the uploaded files, consistent while people work."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.core.backup import BackupError, backup_make


class Command(BaseCommand):
    help = "备份数据库与上传/生成的文件到指定目录（PostgreSQL 用 pg_dump，SQLite 用在线备份）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "destination", type=Path, help="备份存放目录，每次新建一个带时间的子目录"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            made = backup_make(options["destination"])
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"已备份到 {made.folder}")
        for name, digest in made.files.items():
            self.stdout.write(f"  {name}  sha256 {digest}")
