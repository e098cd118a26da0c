"""Everything held about one person, for an access request (个人信息保护法 art.45)."""

import json
from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.accounts.models import User
from fengqiao.cases.privacy import person_report


class Command(BaseCommand):
    help = "按身份证号或电话导出本人在系统中的全部个人信息（查阅复制请求），并记入审计"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="办理人（须有查看个人信息权限）")
        parser.add_argument("--id-number", default="")
        parser.add_argument("--phone", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"没有用户 {options['user']}")
        if not options["id_number"] and not options["phone"]:
            raise CommandError("请提供 --id-number 或 --phone。")
        records = person_report(actor=actor, id_number=options["id_number"], phone=options["phone"])
        rows = [{**asdict(r), "registered": r.registered.isoformat()} for r in records]
        self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
