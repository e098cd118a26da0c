"""Open a channel (110, 12345, petition, court, portal) into an organisation and print its token."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.accounts.services import system_actor
from fengqiao.cases.choices import Channel
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.services import channel_endpoint_create
from fengqiao.orgs.models import Organisation


class Command(BaseCommand):
    help = "为渠道（110、12345、信访、法院等）开通接入，并显示其令牌（只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--channel", required=True, choices=Channel.values)
        parser.add_argument("--org", required=True, help="接收单位代码")
        parser.add_argument("--user", required=True, help="渠道服务账号（须有登记权限）")
        parser.add_argument("--name", default="", help="名称，如 县公安局110指挥中心")
        parser.add_argument("--callback-url", default="", help="办理结果回传地址（12345、法院）")
        parser.add_argument("--callback-secret", default="", help="回传签名密钥")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organisation.objects.filter(code=options["org"]).first()
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if org is None:
            raise CommandError(f"没有代码为 {options['org']} 的单位")
        if user is None:
            raise CommandError(f"没有用户 {options['user']}")
        try:
            endpoint, token = channel_endpoint_create(
                actor=system_actor(),
                name=options["name"] or f"{Channel(options['channel']).label} → {org.name}",
                channel=options["channel"],
                org=org,
                service_user=user,
                callback_url=options["callback_url"],
                callback_secret=options["callback_secret"],
            )
        except InvalidInput as error:
            raise CommandError("；".join(m for ms in error.errors.values() for m in ms)) from None
        self.stdout.write(f"已开通：{endpoint}")
        self.stdout.write(f"令牌（只显示这一次）：{token}")
