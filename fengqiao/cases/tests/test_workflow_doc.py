"""docs/workflow.md is the output of render_workflow: change the table, then regenerate."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

from fengqiao.cases import workflow
from fengqiao.cases.management.commands.render_workflow import render

DOC = Path(__file__).resolve().parents[3] / "docs" / "workflow.md"


def test_committed_doc_equals_generated_output():
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/workflow.md is stale: run "
        "`python manage.py render_workflow --output docs/workflow.md`"
    )


def test_every_action_has_a_row_and_the_command_prints_it():
    out = StringIO()
    call_command("render_workflow", stdout=out)
    assert out.getvalue() == render()
    for name in workflow.TRANSITIONS:
        assert f"| `{name}` |" in out.getvalue()
