"""Publish the shipped self-help question trees for categories that have none."""

from typing import Any

from django.core.management.base import BaseCommand

from fengqiao.accounts.services import system_actor
from fengqiao.selfhelp.library import trees_load


class Command(BaseCommand):
    help = "发布随系统提供的自助解纷问题树（已有问题树的类别不变）"

    def handle(self, *args: Any, **options: Any) -> None:
        added = trees_load(actor=system_actor())
        self.stdout.write(f"question trees published: {added}")
