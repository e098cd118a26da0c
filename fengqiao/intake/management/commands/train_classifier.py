"""Learn the category suggestion from this deployment's own cases and report how well it does."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fengqiao.cases.choices import Channel
from fengqiao.cases.models import Case
from fengqiao.intake import classify


class Command(BaseCommand):
    help = "用本单位已登记案件（人工选定的类别）训练纠纷类别建议模型，并报告交叉验证准确率"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--min-cases", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        # A person chose every category at registration; imported ledgers are left out, their
        # categories were mapped from old spreadsheets rather than chosen case by case.
        rows = (
            Case.objects.exclude(channel=Channel.IMPORT)
            .select_related("category", "subcategory")
            .only("title", "description", "claims", "category__code", "subcategory__code")
        )
        documents = [
            (
                f"{c.title}\n{c.description}\n{c.claims}",
                c.subcategory.code if c.subcategory else c.category.code,
            )
            for c in rows.iterator(chunk_size=2000)
        ]
        if len(documents) < options["min_cases"]:
            raise CommandError(
                f"只有 {len(documents)} 件案件，至少需要 {options['min_cases']} 件才能训练。"
            )
        started = time.monotonic()
        top1, top3 = classify.cross_validate(documents, folds=options["folds"])
        path = classify.save(classify.train(documents))
        self.stdout.write(
            f"训练案件 {len(documents)} 件，{len({code for _t, code in documents})} 个类别；"
            f"{options['folds']} 折交叉验证准确率：首选 {top1:.1%}，前三 {top3:.1%}；"
            f"模型已写入 {path}（用时 {time.monotonic() - started:.1f} 秒）。"
        )
