"""Render the lifecycle table of cases/workflow.py as markdown (docs/workflow.md is its output)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from fengqiao.cases import workflow
from fengqiao.cases.choices import CaseStatus

HEADER = """# Case workflow

Generated from `fengqiao/cases/workflow.py` by `python manage.py render_workflow --output
docs/workflow.md`; do not edit by hand (a test compares this file with the generated output).
Every action runs through the one executor, `cases.services.case_transition`: it locks the case,
checks the source status, the actor's capability over the handling organisation's region and the
guards, validates the required inputs, applies the effect and appends a hash-chained `CaseEvent`.

"""


def _status(status: CaseStatus) -> str:
    return f"`{status.value}` ({status.label})"


def render() -> str:
    """The markdown document; English labels so the output does not depend on the locale."""
    with translation.override("en"):
        lines = [
            "| action | label | from | to | capability | inputs | required | guards |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for t in workflow.TRANSITIONS.values():
            sources = ", ".join(_status(s) for s in CaseStatus if s in t.sources)
            if t.keeps_status:
                target = "unchanged (acts on the deadline)"
            else:
                target = _status(t.target) if t.target else "the status before the transfer"
            guards = ", ".join(f"`{g.__name__.lstrip('_')}`" for g in t.guards) or "—"
            inputs = ", ".join(f"`{i}`" for i in t.inputs) or "—"
            required = ", ".join(f"`{i}`" for i in t.required) or "—"
            lines.append(
                f"| `{t.name}` | {t.label} | {sources} | {target} | `{t.capability.value}` "
                f"| {inputs} | {required} | {guards} |"
            )
        statuses = ["", "## Statuses", "", "| status | label |", "|---|---|"]
        statuses += [f"| `{s.value}` | {s.label} |" for s in CaseStatus]
        return HEADER + "\n".join(lines + statuses) + "\n"


class Command(BaseCommand):
    help = "把 cases/workflow.py 的流转表生成 markdown（docs/workflow.md）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="写入此文件（默认输出到屏幕）")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render()
        if options["output"]:
            options["output"].write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {options['output']}")
        else:
            self.stdout.write(text, ending="")
