"""Manage the event feed's webhook subscribers: add one, list them with their state, or send a
given-up batch again."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.accounts.services import system_actor
from fengqiao.core.exceptions import InvalidInput
from fengqiao.feed import services
from fengqiao.feed.models import Subscription


class Command(BaseCommand):
    help = "事件推送（webhook）订阅：add 新增、list 查看状态、retry 重发已放弃的一批。"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="新增订阅：按服务账号的辖区推送事件")
        add.add_argument("name", help="订阅名称，如“岳阳市12345平台”")
        add.add_argument("username", help="服务账号（其辖区即推送范围）")
        add.add_argument("url", help="接收地址（POST JSON）")
        add.add_argument("--secret", required=True, help="签名密钥（至少 16 个字符）")
        add.add_argument("--batch-size", type=int, default=100, help="每批事件数（默认 100）")
        actions.add_parser("list", help="列出订阅及其推送状态")
        retry = actions.add_parser("retry", help="重发已放弃的一批（接收方修复后）")
        retry.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _add(self, options: dict[str, Any]) -> None:
        account = User.objects.filter(username=options["username"], is_active=True).first()
        if account is None:
            raise CommandError(f"没有启用的用户：{options['username']}")
        try:
            subscription = services.subscription_create(
                actor=system_actor(),
                name=options["name"],
                account=account,
                url=options["url"],
                secret=options["secret"],
                batch_size=options["batch_size"],
            )
        except InvalidInput as error:
            lines = [f"{field}：{'；'.join(msgs)}" for field, msgs in error.errors.items()]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            f"已新增订阅“{subscription.name}”，从头推送 {account.username} 辖区的事件。"
        )

    def _list(self, options: dict[str, Any]) -> None:
        for s in Subscription.objects.select_related("account", "last_message").order_by("pk"):
            last = s.last_message
            state = last.get_status_display() if last is not None else "尚未推送"
            active = "启用" if s.is_active else "停用"
            self.stdout.write(f"{s.name}\t{s.account.username}\t{s.url}\t{active}\t{state}")

    def _retry(self, options: dict[str, Any]) -> None:
        subscription = Subscription.objects.filter(name=options["name"]).first()
        if subscription is None:
            raise CommandError(f"没有该订阅：{options['name']}")
        if services.subscription_retry(subscription.pk):
            self.stdout.write("已安排重发；送达后继续推送后续事件。")
        else:
            self.stdout.write("最近一批没有被放弃，无需重发。")
