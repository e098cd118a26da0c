"""Writes of guided self-help: a new version of a tree (the admin never edits one in place), a
citizen's run answered step by step, and the run's end: settled by the parties, gone on to an
application, or referred."""

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.crypto import get_random_string
from django.utils.translation import gettext

from fengqiao.accounts.models import User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.models import DisputeCategory
from fengqiao.core import clock
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.selfhelp.choices import SETTLEABLE, OutcomeKind, RunStatus
from fengqiao.selfhelp.definition import definition_errors
from fengqiao.selfhelp.models import QuestionTree, SelfHelpRun


@transaction.atomic
def tree_publish(
    *,
    actor: User,
    category: DisputeCategory,
    title: str,
    definition: dict[str, Any],
    intro: str = "",
) -> QuestionTree:
    """Save ``definition`` as the category's next version, offered from now on; earlier versions
    stay for the runs that used them.

    Raises:
        InvalidInput: the definition is not a usable tree (``definition`` errors in Chinese).
    """
    errors = definition_errors(definition)
    if errors:
        raise InvalidInput(
            gettext("Please correct the errors below."), errors={"definition": errors}
        )
    # Lock the category's versions so two editors saving at once get different numbers.
    last = (
        QuestionTree.objects.select_for_update()
        .filter(category=category)
        .aggregate(last=Max("version"))["last"]
    )
    QuestionTree.objects.filter(category=category, is_active=True).update(is_active=False)
    tree = QuestionTree.objects.create(
        category=category,
        version=(last or 0) + 1,
        title=title.strip(),
        intro=intro.strip(),
        definition=definition,
        is_active=True,
        created_by=actor,
    )
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=tree,
        extra={"category": category.code, "version": tree.version},
    )
    return tree


def _run_for_update(token: str) -> SelfHelpRun:
    run = (
        SelfHelpRun.objects.select_for_update(of=("self",))
        .select_related("tree")
        .filter(token=token)
        .first()
    )
    if run is None:
        raise NotFound(gettext("This self-help session does not exist."))
    return run


@transaction.atomic
def run_start(*, tree_id: int) -> SelfHelpRun:
    """A citizen starts the category's offered tree (no account, no personal data).

    Raises:
        NotFound: the tree is missing or no longer offered.
    """
    tree = QuestionTree.objects.filter(pk=tree_id, is_active=True).first()
    if tree is None:
        raise NotFound(gettext("This self-help guide is no longer offered."))
    return SelfHelpRun.objects.create(
        token=get_random_string(20), tree=tree, node=tree.definition["start"]
    )


def _finish(run: SelfHelpRun, node: dict[str, Any]) -> None:
    run.status = RunStatus.FINISHED
    run.outcome_kind = node["kind"]
    run.finished_at = clock.now()
    if node["kind"] == OutcomeKind.REFERRAL:
        run.status, run.referral = RunStatus.REFERRED, node["referral"]


@transaction.atomic
def run_answer(*, token: str, node: str, choice: int) -> SelfHelpRun:
    """Record one answer and move on; ``node`` is the question the citizen answered, so a
    resubmitted or stale form cannot record an answer to a question no longer shown.

    Raises:
        NotFound: no such run; ConflictError: the run is not at that question any more;
        InvalidInput: no such answer.
    """
    run = _run_for_update(token)
    nodes = run.tree.definition["nodes"]
    if run.status != RunStatus.ANSWERING or run.node != node:
        raise ConflictError(gettext("This question has been answered already."))
    options = nodes[node].get("options", [])
    if not 0 <= choice < len(options):
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"choice": [gettext("Choose one of the answers.")]},
        )
    option = options[choice]
    run.path = [*run.path, {"node": node, "choice": choice, "label": option["label"]}]
    run.node = option["next"]
    fields = ["path", "node", "updated_at"]
    following = nodes[run.node]
    if following["type"] == "outcome":
        _finish(run, following)
        fields += ["status", "outcome_kind", "finished_at", "referral"]
    run.save(update_fields=fields)
    return run


@transaction.atomic
def run_settle(*, token: str) -> SelfHelpRun:
    """The citizen says the parties settled it themselves after the information, letter or
    agreement: a dispute resolved before filing (源头化解).

    Raises:
        NotFound; ConflictError: the run did not end in an outcome one can settle with.
    """
    run = _run_for_update(token)
    if run.status != RunStatus.FINISHED or run.outcome_kind not in SETTLEABLE:
        raise ConflictError(gettext("This outcome cannot be marked as settled."))
    run.status, run.settled_at = RunStatus.SETTLED, clock.now()
    run.save(update_fields=["status", "settled_at", "updated_at"])
    return run


@transaction.atomic
def run_to_application(*, token: str) -> SelfHelpRun:
    """The run ended at the application and the citizen opened the pre-filled form.

    Raises:
        NotFound; ConflictError: the run did not end at the application.
    """
    run = _run_for_update(token)
    if run.outcome_kind != OutcomeKind.APPLY or run.status not in (
        RunStatus.FINISHED,
        RunStatus.APPLIED,
    ):
        raise ConflictError(gettext("This guide did not end at the application."))
    if run.status != RunStatus.APPLIED:
        run.status = RunStatus.APPLIED
        run.save(update_fields=["status", "updated_at"])
    return run
