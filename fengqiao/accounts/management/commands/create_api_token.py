"""Issue an API bearer token for a user; the token is printed once and only its digest stored."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.accounts.services import api_token_create, system_actor
from fengqiao.core import clock


class Command(BaseCommand):
    help = "为用户签发 API 令牌（只显示一次，数据库只保存摘要）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="", help="令牌用途，如“12345 工单对接”")
        parser.add_argument("--days", type=int, default=None, help="有效天数（默认不过期）")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"没有启用的用户：{options['username']}")
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days 至少为 1。")
        expires_at = clock.now() + timedelta(days=options["days"]) if options["days"] else None
        token = api_token_create(
            actor=system_actor(), user=user, name=options["name"], expires_at=expires_at
        )
        self.stderr.write(f"已为 {user.username} 签发令牌（请立即保存，之后无法再次查看）：")
        self.stdout.write(token)
