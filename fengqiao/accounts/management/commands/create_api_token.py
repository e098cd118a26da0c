"""Issue an API bearer token for a user and print it once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.accounts.services import api_token_create, system_actor


class Command(BaseCommand):
    help = "为用户签发 API 令牌并打印（只显示这一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="令牌用途，例如 12345 对接")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有名为 {options['username']} 的有效用户。")
        self.stdout.write(api_token_create(actor=system_actor(), user=user, name=options["name"]))
