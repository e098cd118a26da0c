"""Rebuild the shipped document templates from ``fengqiao.documents.layouts``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from fengqiao.documents import builder, template_files


class Command(BaseCommand):
    help = "Write the default .docx and HTML document templates from the layouts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--out",
            default=str(template_files.DEFAULT_DIR),
            help="Folder to write docx/ and pdf/ into (default: the app's templates).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        written = builder.build_all(Path(options["out"]))
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"{len(written)} files written."))
