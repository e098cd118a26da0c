"""三员分立 report for the security and audit administrators (MLPS level 3): who holds which role
where today, and every role grant, withdrawal and password reset in a period with who did it."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fengqiao.accounts.models import Membership, User
from fengqiao.audit.models import AuditAction, AuditEntry
from fengqiao.core import clock


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = (
        "三员分立报告：当前谁在何处担任何种角色，以及期间内每一次授权、撤销和密码重置及其操作人。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", default="", help="起始日期（默认 30 天前）")
        parser.add_argument("--to", dest="end", default="", help="截止日期（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = clock.today()
        end = _day(options["end"]) if options["end"] else today
        start = _day(options["start"]) if options["start"] else end - timedelta(days=30)
        if start > end:
            raise CommandError("起始日期晚于截止日期。")
        out = self.stdout
        out.write("# 当前角色（有效任职）")
        out.write("用户\t姓名\t角色\t辖区\t单位\t起始\t截止")
        memberships = (
            Membership.objects.active()
            .select_related("user", "region", "org")
            .order_by("role", "region__code", "user__username")
        )
        for m in memberships:
            out.write(
                "\t".join(
                    [
                        m.user.username,
                        m.user.full_name,
                        m.get_role_display(),
                        f"{m.region.code} {m.region.name}",
                        m.org.name,
                        m.valid_from.isoformat(),
                        m.valid_until.isoformat() if m.valid_until else "",
                    ]
                )
            )
        zone = timezone.get_current_timezone()
        since = datetime.combine(start, time.min, tzinfo=zone)
        until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
        kinds = [
            ContentType.objects.get_for_model(Membership),
            ContentType.objects.get_for_model(User),
        ]
        entries = AuditEntry.objects.filter(
            occurred_at__gte=since,
            occurred_at__lt=until,
            target_type__in=kinds,
            action__in=[
                AuditAction.RECORD_CREATED,
                AuditAction.RECORD_CHANGED,
                AuditAction.PASSWORD_CHANGED,
                AuditAction.TWO_FACTOR_ENROLLED,
                AuditAction.TWO_FACTOR_RESET,
            ],
        ).order_by("occurred_at", "pk")
        out.write("")
        out.write(f"# 授权与账户安全变更 {start.isoformat()} 至 {end.isoformat()}")
        out.write("时间\t操作人\t动作\t对象\t用户\t角色\t辖区\t有效\t途径")
        for e in entries:
            extra = e.extra or {}
            out.write(
                "\t".join(
                    str(v)
                    for v in [
                        timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                        e.actor_name,
                        e.action,
                        e.target_repr,
                        extra.get("user", ""),
                        extra.get("role", ""),
                        extra.get("region", ""),
                        extra.get("active", ""),
                        extra.get("via", ""),
                    ]
                )
            )
