"""Reads of guided self-help: the trees offered, where a run stands, what an application
pre-filled from it says, and the 源头化解 figures for the dashboard."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from fengqiao.core.exceptions import NotFound
from fengqiao.knowledge.models import Entry
from fengqiao.knowledge.selectors import entries_by_code
from fengqiao.selfhelp.choices import RunStatus
from fengqiao.selfhelp.models import QuestionTree, SelfHelpRun


def trees_offered() -> QuerySet[QuestionTree]:
    """The version of each category's tree that new runs use."""
    return QuestionTree.objects.filter(is_active=True).select_related("category")


def run_get(*, token: str) -> SelfHelpRun:
    """Raises NotFound for an unknown token (the token is the only key a citizen holds)."""
    run = SelfHelpRun.objects.select_related("tree__category").filter(token=token).first()
    if run is None:
        raise NotFound(gettext("This self-help session does not exist."))
    return run


@dataclass(frozen=True, slots=True)
class Step:
    """What the citizen sees now: a question with its answers, or the outcome reached."""

    key: str
    node: dict[str, Any]
    entries: list[Entry]
    answers: list[dict[str, Any]]

    @property
    def is_question(self) -> bool:
        return bool(self.node["type"] == "question")


def run_step(run: SelfHelpRun) -> Step:
    node = run.tree.definition["nodes"][run.node]
    entries = (
        entries_by_code(codes=list(node.get("entries", [])), public_only=True)
        if node["type"] == "outcome"
        else []
    )
    return Step(key=run.node, node=node, entries=entries, answers=list(run.path))


def _summaries(run: SelfHelpRun) -> list[str]:
    nodes = run.tree.definition["nodes"]
    lines = []
    for answer in run.path:
        option = nodes[answer["node"]]["options"][answer["choice"]]
        lines.append(option.get("summary") or f"{nodes[answer['node']]['text']}{option['label']}")
    return lines


def application_prefill(run: SelfHelpRun) -> dict[str, str]:
    """What the application form shows already filled in from the citizen's answers."""
    node = run.tree.definition["nodes"][run.node]
    what = "；".join(_summaries(run))
    return {
        "what_happened": gettext("{category}: {answers}.").format(
            category=run.tree.category.name, answers=what
        ),
        "request": str(node.get("request", "")),
    }


@dataclass(frozen=True, slots=True)
class SelfHelpFigures:
    """How citizens used self-help in a period; ``settled`` is the 源头化解 figure."""

    started: int
    finished: int
    settled: int
    applied: int
    referred: int


def selfhelp_figures(*, start: date, end: date) -> SelfHelpFigures:
    """Counted in the database, by the day the run started (Asia/Shanghai)."""
    totals = SelfHelpRun.objects.filter(created_at__date__range=(start, end)).aggregate(
        started=Count("pk"),
        finished=Count("pk", filter=~Q(status=RunStatus.ANSWERING)),
        settled=Count("pk", filter=Q(status=RunStatus.SETTLED)),
        applied=Count("pk", filter=Q(status=RunStatus.APPLIED)),
        referred=Count("pk", filter=Q(status=RunStatus.REFERRED)),
    )
    return SelfHelpFigures(**totals)
