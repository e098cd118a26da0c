"""The one intake path (issue #12): every channel (the staff form, the case API, 110, 12345, 信访,
the court, the grid worker, the portal, Open311, a spreadsheet row, a patrol entry) builds a
``CaseDraft`` and calls ``register_dispute``. It runs, in this order and in one transaction:

1. **classification**: a draft without a category gets the classifier's (or 其他纠纷); a person
   confirms it later;
2. **duplicate check by source number**: a channel endpoint's repeat of a source number (a
   resend, or two racing requests) returns the case it already became, noted on its timeline;
3. **validation, routing and registration**: ``case_register`` checks every registration rule
   (field errors, nothing written when one fails; the same rules ``dispute_errors`` answers
   without writing) and writes the case, its parties and first events, with the handling unit
   the routing rules choose (``routing.router.route``);
4. **risk**: the 民转刑/群体性/极端 flags and the alert after the commit (人民调解法 art.25);
5. **duplicate links**: an API channel's case is linked to the earlier record of the same
   dispute (三源合一);
6. **the submission**: what the channel sent, sealed, written once.

Nothing else calls ``case_register``; ``tests/test_architecture.py`` checks it.
"""

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from fengqiao.accounts.models import User
from fengqiao.cases import refdata
from fengqiao.cases.choices import EventKind
from fengqiao.cases.models import Case
from fengqiao.cases.services import (
    CaseDraft,
    Errors,
    case_draft_errors,
    case_record_event,
    case_register,
)
from fengqiao.core import crypto
from fengqiao.intake import classify, duplicates, risk
from fengqiao.intake.models import (
    PAYLOAD_CONTEXT,
    ChannelEndpoint,
    IntakeSubmission,
    SubmissionOutcome,
)
from fengqiao.routing.router import route

FALLBACK_CATEGORY = "other"  # 其他纠纷


@dataclass(frozen=True, slots=True)
class Submission:
    """What a channel sent, kept sealed beside the case it became. ``endpoint`` is the API
    channel it came through (None for the grid worker's phone form)."""

    channel: str
    source_ref: str
    payload: dict[str, Any]
    endpoint: ChannelEndpoint | None = None


@dataclass(frozen=True, slots=True)
class Registered:
    """What became of a dispute: the case, whether this call created it, and the submission row
    (None when the channel keeps no submission: the staff form, the API, a spreadsheet row)."""

    case: Case
    created: bool
    submission: IntakeSubmission | None


def category_for(given: str, text: str) -> tuple[str, str]:
    """The (category, subcategory) codes: the channel's own code when it names one (an unknown
    code is reported by validation, as a field), else the classifier's suggestion when it is an
    active category, else 其他纠纷."""
    if given:
        return given, ""
    suggestion = classify.suggest(text)
    if suggestion is None:
        return FALLBACK_CATEGORY, ""
    if refdata.categories().top_level(suggestion.category) is None:
        return FALLBACK_CATEGORY, ""
    return suggestion.category, suggestion.subcategory or ""


def classified(draft: CaseDraft) -> CaseDraft:
    """Step 1: the draft with a category, chosen from its own words when the channel gave none."""
    if draft.category.strip():
        return draft
    category, subcategory = category_for("", f"{draft.description}\n{draft.claims}".strip())
    return replace(draft, category=category, subcategory=subcategory)


def dispute_errors(*, actor: User, draft: CaseDraft) -> Errors:
    """Steps 1 and 2 without writing: the field errors registering ``draft`` would raise. The
    portal asks before it spends the citizen's SMS code; the spreadsheet import before any row."""
    return case_draft_errors(actor=actor, draft=classified(draft))


def _sealed(payload: dict[str, Any]) -> tuple[str, str]:
    raw = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)
    return crypto.encrypt(raw, context=PAYLOAD_CONTEXT), hashlib.sha256(raw.encode()).hexdigest()


def _submission_write(
    submission: Submission, case: Case, outcome: SubmissionOutcome
) -> IntakeSubmission:
    encrypted, digest = _sealed(submission.payload)
    return IntakeSubmission.objects.create(
        endpoint=submission.endpoint,
        channel=submission.channel,
        source_ref=submission.source_ref,
        payload_encrypted=encrypted,
        payload_sha256=digest,
        case=case,
        outcome=outcome,
    )


def _resent(submission: Submission, case: Case, actor: User) -> Registered:
    row = _submission_write(submission, case, SubmissionOutcome.RESENT)
    case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.RECEIVED_AGAIN,
        data={
            "channel": submission.channel,
            "source_ref": submission.source_ref,
            "payload_sha256": row.payload_sha256,
        },
        scoped=False,
    )
    return Registered(case=case, created=False, submission=row)


def _earlier(submission: Submission | None) -> Case | None:
    """The case an API channel's source number already became, if any."""
    if submission is None or submission.endpoint is None or not submission.source_ref:
        return None
    return Case.objects.filter(channel=submission.channel, source_ref=submission.source_ref).first()


@transaction.atomic
def register_dispute(
    *, actor: User, draft: CaseDraft, submission: Submission | None = None
) -> Registered:
    """Register a dispute from any channel, once (the steps are in the module's docstring).

    Raises:
        InvalidInput: the draft breaks a registration rule (field names of ``CaseDraft``);
        nothing is stored.
    """
    draft = classified(draft)
    if submission is not None:
        submission = replace(submission, source_ref=submission.source_ref.strip())
    earlier = _earlier(submission)
    if earlier is not None:
        assert submission is not None  # noqa: S101  _earlier answers only for a submission
        return _resent(submission, earlier, actor)
    try:
        with transaction.atomic():  # a racing twin may win the unique source number
            case = case_register(actor=actor, draft=draft, router=route)
    except IntegrityError:
        earlier = _earlier(submission)
        if earlier is None:
            raise
        assert submission is not None  # noqa: S101
        return _resent(submission, earlier, actor)
    risk.flag_new_case(case, actor)
    duplicates.link_new_case(case, actor)
    row = (
        _submission_write(submission, case, SubmissionOutcome.REGISTERED)
        if submission is not None
        else None
    )
    return Registered(case=case, created=True, submission=row)
