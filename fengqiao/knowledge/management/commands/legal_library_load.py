"""Load the shipped legal library and self-help question trees into a fresh deployment."""

from typing import Any

from django.core.management.base import BaseCommand

from fengqiao.accounts.services import system_actor
from fengqiao.knowledge.library import library_load


class Command(BaseCommand):
    help = "载入随系统提供的法律法规、政策问答和典型案例（已有的不重复载入）"

    def handle(self, *args: Any, **options: Any) -> None:
        added = library_load(actor=system_actor())
        self.stdout.write(f"knowledge entries added: {added}")
