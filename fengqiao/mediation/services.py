"""Every write of mediation work (STYLE: ``<entity>_<verb>(*, actor, ...)``, atomic, audited,
each step an event on the case timeline).

Only users holding ``case.mediate`` over the case's handling organisation may write; a case
outside the actor's view is not found (404) and nothing is written.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext

from fengqiao.accounts.access import require
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import Action, AgreementForm, CaseStatus, EventKind
from fengqiao.cases.models import Case, Party
from fengqiao.cases.services import ActionInput, case_event_append, case_transition
from fengqiao.core import clock
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.mediation import numbers, rules, seals
from fengqiao.mediation.choices import (
    FollowUpState,
    PerformanceState,
    ReferralChannel,
    ReferralResult,
    Ruling,
    Satisfaction,
    SessionMode,
    SignatureRole,
)
from fengqiao.mediation.models import (
    Agreement,
    EndRequest,
    FailureRecord,
    FollowUp,
    Investigation,
    Referral,
    RightsNotice,
    Session,
    Signature,
    Term,
)
from fengqiao.orgs.models import Mediator
from fengqiao.orgs.roster import declared_conflicts

Errors = dict[str, list[str]]


def follow_up_after_days() -> int:
    """First 回访 this many days after an agreement takes effect (人民调解法 art.31)."""
    return int(getattr(settings, "FENGQIAO_MEDIATION_FOLLOW_UP_DAYS", 15))


def follow_up_before_due_days() -> int:
    """A 回访 this many days before each term's deadline."""
    return int(getattr(settings, "FENGQIAO_MEDIATION_FOLLOW_UP_BEFORE_DUE_DAYS", 3))


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)


def _case_for_mediation(actor: User, case_id: int) -> Case:
    """The case, locked, if the actor may mediate it: outside the actor's view → 404."""
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    require(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    return case


def _party(case: Case, party_id: int | None, errors: Errors, name: str = "party") -> Party | None:
    party = Party.objects.filter(case=case, pk=party_id).first() if party_id else None
    if party is None:
        _add(errors, name, gettext("Choose a party of this case."))
    return party


def _event(actor: User, case: Case, kind: str, data: dict[str, Any]) -> None:
    """Append to the timeline of ``case``, the one ``_case_for_mediation`` locked and scoped for
    the actor: not read a second time (issue #21)."""
    case_event_append(actor=actor, case=case, kind=kind, data=data)


def _audit(actor: User, obj: Any, case: Case, *, created: bool, **extra: Any) -> None:
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED if created else AuditAction.RECORD_CHANGED,
        target=obj,
        org=case.handling_org,
        extra={"case": case.number, **extra},
    )


def _text(errors: Errors, name: str, value: str, *, required: bool, limit: int = 20000) -> str:
    value = (value or "").strip()
    if required and not value:
        _add(errors, name, gettext("This field is required."))
    if len(value) > limit:
        _add(errors, name, gettext("At most %(n)s characters.") % {"n": limit})
    return value


# --- sessions and records ------------------------------------------------------------------------


@transaction.atomic
def session_record(
    *,
    actor: User,
    case_id: int,
    held_at: datetime | None,
    mode: str,
    place: str = "",
    mediator_ids: list[int] | None = None,
    attendees: str = "",
    invitees: str = "",
    invitees_consented: bool = False,
    record_text: str,
) -> Session:
    """Record a mediation session and its 调解笔录 (人民调解法 art.27)."""
    case = _case_for_mediation(actor, case_id)
    errors: Errors = {}
    if held_at is None:
        _add(errors, "held_at", gettext("This field is required."))
    if mode not in SessionMode.values:
        _add(errors, "mode", gettext("Choose a value from the list."))
    place = _text(errors, "place", place, required=mode == SessionMode.IN_PERSON, limit=200)
    invitees = _text(errors, "invitees", invitees, required=False)
    if invitees and not invitees_consented:
        # 人民调解法 art.20: others may be invited only with the parties' consent.
        _add(errors, "invitees_consented", gettext("Invitees need the parties' consent (art.20)."))
    text = _text(errors, "record_text", record_text, required=True)
    mediators = list(Mediator.objects.filter(pk__in=mediator_ids or [], is_active=True))
    if len(mediators) != len(set(mediator_ids or [])):
        _add(errors, "mediator_ids", gettext("Choose mediators from the roster."))
    elif not mediators:
        # 人民调解法 art.19: a mediation is presided over by a mediator (issue #14).
        _add(errors, "mediator_ids", gettext("A session needs at least one mediator."))
    parties = list(case.parties.all())
    for conflict in declared_conflicts(
        [m.pk for m in mediators],
        names={p.name for p in parties},
        id_indexes={p.id_number_index for p in parties if p.id_number_index},
    ):
        _add(
            errors,
            "mediator_ids",
            gettext("%(mediator)s declared a relationship with %(person)s (%(relationship)s).")
            % {
                "mediator": conflict.mediator.name,
                "person": conflict.person_name,
                "relationship": conflict.relationship,
            },
        )
    _raise(errors)
    session = Session.objects.create(
        case=case,
        held_at=cast(datetime, held_at),
        mode=mode,
        place=place,
        attendees=attendees.strip(),
        invitees=invitees,
        invitees_consented=invitees_consented,
        record=text,
        recorded_by=actor,
    )
    session.mediators.add(*mediators)  # a new session has none: nothing to read first
    numbers.file_number_issue(case=case, on=clock.today())  # if start_mediation did not
    _event(
        actor,
        case,
        EventKind.SESSION_RECORDED,
        {"session": session.pk, "held_at": held_at.isoformat() if held_at else "", "mode": mode},
    )
    _audit(actor, session, case, created=True)
    return session


@transaction.atomic
def investigation_record(
    *,
    actor: User,
    case_id: int,
    investigated_on: date | None,
    investigators: str,
    subject: str,
    record_text: str,
    place: str = "",
) -> Investigation:
    """Record an investigation (调查记录, DOMAIN §6.2 item 5)."""
    case = _case_for_mediation(actor, case_id)
    errors: Errors = {}
    if investigated_on is None:
        _add(errors, "investigated_on", gettext("This field is required."))
    investigators = _text(errors, "investigators", investigators, required=True, limit=200)
    subject = _text(errors, "subject", subject, required=True, limit=200)
    text = _text(errors, "record_text", record_text, required=True)
    place = _text(errors, "place", place, required=False, limit=200)
    _raise(errors)
    item = Investigation.objects.create(
        case=case,
        investigated_on=cast(date, investigated_on),
        place=place,
        investigators=investigators,
        subject=subject,
        record=text,
        recorded_by=actor,
    )
    _event(actor, case, EventKind.INVESTIGATION_RECORDED, {"investigation": item.pk})
    _audit(actor, item, case, created=True)
    return item


@transaction.atomic
def rights_notify(
    *, actor: User, case_id: int, party_id: int | None, notified_on: date, acknowledged: bool
) -> RightsNotice:
    """Record that a party was told their rights and duties (人民调解法 arts.23–24; 人民调解工作
    若干规定 art.30) and whether they acknowledged it; once per party, updated if repeated."""
    case = _case_for_mediation(actor, case_id)
    errors: Errors = {}
    party = _party(case, party_id, errors)
    _raise(errors)
    # The case row lock orders every writer of its notices: a plain read then write is safe, and
    # update_or_create's two savepoints and locked re-read were half of this service's queries.
    notice = RightsNotice.objects.filter(case=case, party=party).first()
    created = notice is None
    if notice is None:
        notice = RightsNotice.objects.create(
            case=case,
            party=cast(Party, party),
            notified_on=notified_on,
            acknowledged=acknowledged,
            recorded_by=actor,
        )
    else:
        notice.notified_on, notice.acknowledged, notice.recorded_by = (
            notified_on,
            acknowledged,
            actor,
        )
        notice.save(update_fields=["notified_on", "acknowledged", "recorded_by"])
    _event(
        actor,
        case,
        EventKind.RIGHTS_NOTIFIED,
        {"party": party.pk if party else None, "acknowledged": acknowledged},
    )
    _audit(actor, notice, case, created=created)
    return notice


@transaction.atomic
def end_request_record(
    *, actor: User, case_id: int, party_id: int | None, requested_on: date, reason: str = ""
) -> EndRequest:
    """A party asks to end the mediation (人民调解法 art.23). The mediator then terminates it
    through the workflow (reason "unwilling")."""
    case = _case_for_mediation(actor, case_id)
    errors: Errors = {}
    party = _party(case, party_id, errors)
    reason = _text(errors, "reason", reason, required=False, limit=2000)
    _raise(errors)
    item = EndRequest.objects.create(
        case=case,
        party=cast(Party, party),
        requested_on=requested_on,
        reason=reason,
        recorded_by=actor,
    )
    _event(
        actor,
        case,
        EventKind.MEDIATION_RECORDED,
        {"step": "end_requested", "party": party.pk if party else None},
    )
    _audit(actor, item, case, created=True)
    return item


# --- agreements ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermDraft:
    content: str
    obligor: str = ""
    manner: str = ""
    place: str = ""
    due_on: date | None = None


def _open_agreement(actor: User, agreement_id: int) -> tuple[Agreement, Case]:
    """The agreement, locked, and its case, locked first (the order every writer takes). Only the
    case's id is read before the case lock: each row is read once, under its lock."""
    case_id = Agreement.objects.filter(pk=agreement_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound(gettext("Agreement not found."))
    case = _case_for_mediation(actor, case_id)
    agreement = Agreement.objects.select_for_update().get(pk=agreement_id)
    agreement.case = case  # the checks that read ``agreement.case`` read this copy (issue #21)
    return agreement, case


@transaction.atomic
def agreement_save(
    *,
    actor: User,
    case_id: int,
    form: str,
    parties_particulars: str = "",
    facts: str = "",
    issues: str = "",
    responsibilities: str = "",
    oral_record: str = "",
    reached_on: date | None = None,
    terms: list[TermDraft] | tuple[TermDraft, ...] = (),
) -> Agreement:
    """Create or replace the draft agreement of a case (one not yet in force). Signatures already
    given are dropped when the text changes: they were given to another text."""
    case = _case_for_mediation(actor, case_id)
    errors: Errors = {}
    if form not in AgreementForm.values:
        _add(errors, "form", gettext("Choose a value from the list."))
    if case.status != CaseStatus.MEDIATING:
        _add(errors, "form", gettext("Agreements are recorded while the case is in mediation."))
    values = {
        name: _text(errors, name, value, required=False)
        for name, value in (
            ("parties_particulars", parties_particulars),
            ("facts", facts),
            ("issues", issues),
            ("responsibilities", responsibilities),
            ("oral_record", oral_record),
        )
    }
    for index, term in enumerate(terms, start=1):
        if not term.content.strip():
            _add(errors, f"terms.{index}", gettext("State what is to be done."))
    _raise(errors)
    agreement = (
        Agreement.objects.select_for_update()
        .filter(case=case, effective_on__isnull=True)
        .order_by("-pk")
        .first()
    )
    created = agreement is None
    if agreement is None:
        agreement = Agreement(case=case, created_by=actor)
    else:
        if _agreement_text(agreement) != _draft_text(form, reached_on, values, terms):
            agreement.signatures.all().delete()
        agreement.terms.all().delete()
    agreement.form = form
    agreement.reached_on = reached_on
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.save()
    Term.objects.bulk_create(
        Term(
            agreement=agreement,
            order=index,
            content=term.content.strip(),
            obligor=term.obligor.strip(),
            manner=term.manner.strip(),
            place=term.place.strip(),
            due_on=term.due_on,
        )
        for index, term in enumerate(terms, start=1)
    )
    _event(
        actor,
        case,
        EventKind.MEDIATION_RECORDED,
        {"step": "agreement_drafted", "agreement": agreement.pk, "form": form},
    )
    _audit(actor, agreement, case, created=created)
    return agreement


def _agreement_text(agreement: Agreement) -> tuple[Any, ...]:
    """What the parties sign: saving the same text again keeps their signatures."""
    fields = ("parties_particulars", "facts", "issues", "responsibilities", "oral_record")
    return (
        agreement.form,
        agreement.reached_on,
        tuple(getattr(agreement, name) for name in fields),
        tuple(
            (t.content, t.obligor, t.manner, t.place, t.due_on)
            for t in agreement.terms.order_by("order")
        ),
    )


def _draft_text(
    form: str,
    reached_on: date | None,
    values: dict[str, str],
    terms: list[TermDraft] | tuple[TermDraft, ...],
) -> tuple[Any, ...]:
    fields = ("parties_particulars", "facts", "issues", "responsibilities", "oral_record")
    return (
        form,
        reached_on,
        tuple(values[name] for name in fields),
        tuple(
            (t.content.strip(), t.obligor.strip(), t.manner.strip(), t.place.strip(), t.due_on)
            for t in terms
        ),
    )


def signature_state(agreement: Agreement) -> dict[str, Any]:
    """Who has signed a written agreement and who has not (人民调解法 art.29 last paragraph)."""
    signatures = list(agreement.signatures.all())
    parties = list(agreement.case.parties.all())  # by id (Party's ordering)
    signed_party_ids = {s.party_id for s in signatures if s.role == SignatureRole.PARTY}
    return {
        "parties": [(p, p.pk in signed_party_ids) for p in parties],
        "mediator": any(s.role == SignatureRole.MEDIATOR for s in signatures),
        "seal": any(s.role == SignatureRole.SEAL for s in signatures),
        "complete": bool(parties)
        and all(p.pk in signed_party_ids for p in parties)
        and any(s.role == SignatureRole.MEDIATOR for s in signatures)
        and any(s.role == SignatureRole.SEAL for s in signatures),
        "last_signed_on": max((s.signed_on for s in signatures), default=None),
    }


@transaction.atomic
def agreement_sign(
    *,
    actor: User,
    agreement_id: int,
    role: str,
    signed_on: date,
    party_id: int | None = None,
    signer_name: str = "",
) -> Signature:
    """Record a signature (签名、盖章或者按指印) of a party, the mediator's signature, or the
    committee seal on a written agreement (人民调解法 art.29)."""
    agreement, case = _open_agreement(actor, agreement_id)
    errors: Errors = {}
    if agreement.effective_on is not None:
        _add(errors, "role", gettext("This agreement is already in force."))
    if agreement.form != AgreementForm.WRITTEN:
        _add(errors, "role", gettext("Only a written agreement is signed."))
    if role not in SignatureRole.values:
        _add(errors, "role", gettext("Choose a value from the list."))
    party = None
    org = None
    if role == SignatureRole.PARTY:
        party = _party(case, party_id, errors, "party_id")
        signer_name = party.name if party else signer_name
    elif role == SignatureRole.SEAL:
        # The seal is the mediating body's, chosen here; a typed name is not taken (issue #14:
        # agreements sealed by a 司法所 or a 综治中心).
        refusal = seals.seal_refusal(case)
        if refusal:
            _add(errors, "role", refusal)
        org = seals.sealing_body(case)
        signer_name = org.name if org else case.handling_org.name
    signer_name = _text(errors, "signer_name", signer_name, required=True, limit=100)
    if signed_on > clock.today():
        _add(errors, "signed_on", gettext("The date cannot be in the future."))
    if Signature.objects.filter(agreement=agreement, role=role, party=party).exists():
        _add(errors, "role", gettext("Already signed."))
    _raise(errors)
    signature = Signature.objects.create(
        agreement=agreement,
        role=role,
        party=party,
        org=org,
        signer_name=signer_name,
        signed_on=signed_on,
    )
    _event(
        actor,
        case,
        EventKind.AGREEMENT_SIGNED,
        {"agreement": agreement.pk, "role": role, "party": party.pk if party else None},
    )
    _audit(actor, signature, case, created=True)
    return signature


def agreement_errors(agreement: Agreement) -> Errors:
    """Everything that keeps an agreement from taking effect: the art.29 checklist and, for a
    written agreement, the missing signatures and seal (art.29 last paragraph)."""
    errors = rules.agreement_content_errors(agreement)
    for message in _preparation_errors(agreement.case):
        _add(errors, "agreement", message)
    if agreement.form == AgreementForm.WRITTEN:
        state = signature_state(agreement)
        missing = [p.name for p, signed in state["parties"] if not signed]
        if missing:
            _add(
                errors,
                "signatures",
                gettext("Not yet signed by: %(names)s.") % {"names": "、".join(missing)},
            )
        if not state["mediator"]:
            _add(errors, "signatures", gettext("The mediator has not signed."))
        if not state["seal"]:
            _add(errors, "signatures", gettext("The committee seal is not affixed."))
        for message in seal_errors(agreement):
            _add(errors, "signatures", message)
    refusal = seals.seal_refusal(agreement.case)
    if refusal:
        # An oral agreement too is the committee's (人民调解法 arts.28, 30), not a 司法所's.
        _add(errors, "agreement", refusal)
    return errors


def _preparation_errors(case: Case) -> list[str]:
    """An agreement comes out of a mediation: every party told their rights and duties first
    (人民调解工作若干规定 art.30) and at least one session held (issue #14)."""
    found = []
    notified = set(RightsNotice.objects.filter(case=case).values_list("party_id", flat=True))
    missing = [p.name for p in case.parties.all() if p.pk not in notified]  # by id
    if missing:
        found.append(
            gettext("Not yet told their rights and duties: %(names)s (若干规定 art.30).")
            % {"names": "、".join(missing)}
        )
    if not Session.objects.filter(case=case).exists():
        found.append(gettext("No mediation session has been held yet."))
    return found


def seal_errors(agreement: Agreement) -> list[str]:
    """Seals on a written agreement that are not the case's sealing body's (人民调解法 art.29);
    a case with no sealing body is refused as a whole (``seals.seal_refusal``)."""
    body = seals.sealing_body(agreement.case)
    return [
        gettext("The seal is %(seal)s's, not %(org)s's.")
        % {"seal": signature.signer_name, "org": body.name if body else ""}
        for signature in agreement.signatures.all()
        if signature.role == SignatureRole.SEAL and body is not None and signature.org_id != body.pk
    ]


def _effective_on(agreement: Agreement) -> date | None:
    if agreement.form == AgreementForm.ORAL:
        return agreement.reached_on  # 人民调解法 art.30: in force the day it is reached
    return signature_state(agreement)["last_signed_on"]  # art.29: the last signature or seal


def _schedule_follow_ups(agreement: Agreement) -> list[FollowUp]:
    """回访 after the agreement and before each term's deadline (人民调解法 art.31)."""
    effective_on = agreement.effective_on or clock.today()
    first = effective_on + timedelta(days=follow_up_after_days())
    visits = [FollowUp(case_id=agreement.case_id, agreement=agreement, due_on=first)]
    before = follow_up_before_due_days()
    for term in agreement.terms.all():
        if term.due_on is not None:
            due = max(term.due_on - timedelta(days=before), effective_on)
            visits.append(
                FollowUp(case_id=agreement.case_id, agreement=agreement, term=term, due_on=due)
            )
    return FollowUp.objects.bulk_create(visits)


@transaction.atomic
def agreement_make_effective(
    *, actor: User, agreement_id: int, note: str = "", fire: bool = True
) -> Agreement:
    """Put a complete agreement in force, flag what a court will not confirm, schedule the 回访,
    and (``fire``) record the agreement on the case through the workflow (MEDIATING → RESOLVED).

    Raises:
        InvalidInput: the art.29 checklist or the signatures are incomplete (field → reasons).
        TransitionBlocked: the case cannot take ``record_agreement`` now.
    """
    agreement, case = _open_agreement(actor, agreement_id)
    # The checks below and the 回访 read the terms, the signatures and the parties up to four
    # times each: read once (issue #21). Nothing here changes them before they are read.
    prefetch_related_objects([agreement], "terms", "signatures")
    prefetch_related_objects([case], "parties")
    errors: Errors = {}
    if agreement.effective_on is not None:
        _add(errors, "agreement", gettext("This agreement is already in force."))
    else:
        errors.update(agreement_errors(agreement))
    _raise(errors)
    effective_on = _effective_on(agreement) or clock.today()
    texts = [agreement.facts, agreement.issues, agreement.responsibilities, agreement.oral_record]
    texts += [t.content for t in agreement.terms.all()]
    subcategory = case.subcategory.code if case.subcategory_id else ""  # type: ignore[union-attr]
    agreement.effective_on = effective_on
    agreement.not_confirmable = rules.not_confirmable_grounds(subcategory, texts)
    agreement.save(update_fields=["effective_on", "not_confirmable"])
    number = numbers.file_number_issue(case=case, on=effective_on)
    visits = _schedule_follow_ups(agreement)
    _event(
        actor,
        case,
        EventKind.AGREEMENT_EFFECTIVE,
        {
            "agreement": agreement.pk,
            "form": agreement.form,
            "effective_on": effective_on.isoformat(),
            "confirmation_deadline": rules.confirmation_deadline(effective_on).isoformat(),
            "not_confirmable": agreement.not_confirmable,
            "file_number": number.text if number else "",
            "follow_ups": [v.due_on.isoformat() for v in visits],
        },
    )
    _audit(actor, agreement, case, created=False, effective_on=effective_on.isoformat())
    if fire and case.status == CaseStatus.MEDIATING:
        case_transition(
            actor=actor,
            case_id=case.pk,
            name=Action.RECORD_AGREEMENT,
            action=ActionInput(
                agreement_form=agreement.form,
                note=note.strip() or gettext("Mediation agreement in force."),
            ),
        )
    return agreement


@transaction.atomic
def agreement_record_imported(*, actor: User, case: Case, ledger: dict[str, Any]) -> Agreement:
    """The agreement a history import's ledger row records, in force on the day it was reached
    (``ledger``: ``form``, ``content``, ``amount``, ``performance``, ``reached_on``), so that
    ``record_agreement`` replays through its guard. The signed paper is in the office's archive
    and was never captured here, so no signatures, notices or 回访 are made up; the events say
    the record was imported (``clock.imported()``). Registered as the cases app's history
    recorder for ``record_agreement`` (``cases.hooks.add_history_recorder``).

    Raises:
        ConflictError: called outside a history import.
        InvalidInput: no agreement form, or the case is not in mediation.
    """
    if clock.imported() is None:
        raise ConflictError(gettext("Only a history import records an agreement this way."))
    case = _case_for_mediation(actor, case.pk)
    errors: Errors = {}
    form = str(ledger.get("form", ""))
    if form not in AgreementForm.values:
        _add(errors, "agreement_form", gettext("Choose a value from the list."))
    if case.status != CaseStatus.MEDIATING:
        _add(
            errors,
            "agreement_form",
            gettext("Agreements are recorded while the case is in mediation."),
        )
    _raise(errors)
    reached_on: date = ledger.get("reached_on") or clock.today()
    content = str(ledger.get("content", "")).strip()
    amount = ledger.get("amount")
    if not content and amount is not None:
        content = gettext("Payment of %(amount)s yuan") % {"amount": f"{amount:,.2f}"}
    agreement = Agreement.objects.create(
        case=case,
        created_by=actor,
        form=form,
        facts=case.description,
        issues=case.title,
        oral_record=content if form == AgreementForm.ORAL else "",
        reached_on=reached_on,
        effective_on=reached_on,
    )
    state = str(ledger.get("performance") or PerformanceState.PENDING)
    term = None
    if content:
        term = Term.objects.create(
            agreement=agreement,
            content=content,
            state=state,
            performed_on=reached_on if state == PerformanceState.PERFORMED else None,
        )
    number = numbers.file_number_issue(case=case, on=reached_on)
    _event(
        actor,
        case,
        EventKind.AGREEMENT_EFFECTIVE,
        {
            "agreement": agreement.pk,
            "form": form,
            "effective_on": reached_on.isoformat(),
            "confirmation_deadline": rules.confirmation_deadline(reached_on).isoformat(),
            "not_confirmable": [],
            "file_number": number.text if number else "",
            "follow_ups": [],
            "amount": f"{amount:.2f}" if amount is not None else "",
            "performance": term.state if term is not None else "",
        },
    )
    _audit(actor, agreement, case, created=True, effective_on=reached_on.isoformat())
    return agreement


def agreement_guard(case: Case) -> str | None:
    """``record_agreement`` needs an agreement in force (人民调解法 arts.29–30)."""
    if Agreement.objects.filter(case=case, effective_on__isnull=False).exists():
        return None
    return gettext("No mediation agreement is in force yet (人民调解法 arts.29–30).")


# --- judicial confirmation -----------------------------------------------------------------------


@transaction.atomic
def confirmation_file(
    *, actor: User, agreement_id: int, court: str, applied_on: date | None
) -> Agreement:
    """Record the joint application for 司法确认 (人民调解法 art.33; 民事诉讼法 art.205)."""
    agreement, case = _open_agreement(actor, agreement_id)
    errors: Errors = {}
    court = _text(errors, "court", court, required=True, limit=100)
    if agreement.effective_on is None:
        _add(errors, "court", gettext("The agreement is not in force yet."))
    if applied_on is None:
        _add(errors, "applied_on", gettext("This field is required."))
    elif agreement.effective_on is not None:
        deadline = rules.confirmation_deadline(agreement.effective_on)
        if applied_on < agreement.effective_on:
            _add(errors, "applied_on", gettext("Before the agreement took effect."))
        elif applied_on > deadline:
            _add(
                errors,
                "applied_on",
                gettext("The 30-day period ended on %(day)s (民事诉讼法 art.205).")
                % {"day": deadline.isoformat()},
            )
    if agreement.confirmation_applied_on is not None:
        _add(errors, "applied_on", gettext("The application is already recorded."))
    _raise(errors)
    agreement.confirmation_court = court
    agreement.confirmation_applied_on = applied_on
    agreement.save(update_fields=["confirmation_court", "confirmation_applied_on"])
    _event(
        actor,
        case,
        EventKind.CONFIRMATION_FILED,
        {"agreement": agreement.pk, "court": court, "applied_on": str(applied_on)},
    )
    _audit(actor, agreement, case, created=False, step="confirmation_filed")
    return agreement


@transaction.atomic
def confirmation_rule(
    *, actor: User, agreement_id: int, ruling: str, ruled_on: date | None
) -> Agreement:
    """Record the court's ruling: valid, or the application rejected (民事诉讼法 art.206)."""
    agreement, case = _open_agreement(actor, agreement_id)
    errors: Errors = {}
    if agreement.confirmation_applied_on is None:
        _add(errors, "ruling", gettext("Record the application first."))
    if ruling not in Ruling.values:
        _add(errors, "ruling", gettext("Choose a value from the list."))
    if ruled_on is None:
        _add(errors, "ruled_on", gettext("This field is required."))
    elif agreement.confirmation_applied_on and ruled_on < agreement.confirmation_applied_on:
        _add(errors, "ruled_on", gettext("Before the application."))
    _raise(errors)
    agreement.confirmation_ruling = ruling
    agreement.confirmation_ruled_on = ruled_on
    agreement.save(update_fields=["confirmation_ruling", "confirmation_ruled_on"])
    _event(
        actor,
        case,
        EventKind.CONFIRMATION_RULED,
        {"agreement": agreement.pk, "ruling": ruling, "ruled_on": str(ruled_on)},
    )
    _audit(actor, agreement, case, created=False, step="confirmation_ruled")
    return agreement


# --- performance and 回访 ------------------------------------------------------------------------


@transaction.atomic
def term_performance_record(
    *, actor: User, term_id: int, state: str, performed_on: date | None = None
) -> Term:
    """Record whether a term was performed (人民调解法 art.31: the committee supervises
    performance)."""
    term = Term.objects.select_related("agreement").filter(pk=term_id).first()
    if term is None:
        raise NotFound(gettext("Term not found."))
    case = _case_for_mediation(actor, term.agreement.case_id)
    errors: Errors = {}
    if state not in PerformanceState.values:
        _add(errors, "state", gettext("Choose a value from the list."))
    if state == PerformanceState.PERFORMED and performed_on is None:
        _add(errors, "performed_on", gettext("This field is required."))
    _raise(errors)
    previous = term.state
    term.state = state
    term.performed_on = performed_on
    term.save(update_fields=["state", "performed_on"])
    _event(
        actor,
        case,
        EventKind.PERFORMANCE_RECORDED,
        {"term": term.pk, "from": previous, "to": state},
    )
    _audit(actor, term, case, created=False, state=[previous, state])
    return term


@transaction.atomic
def follow_up_record(
    *,
    actor: User,
    follow_up_id: int,
    done_on: date | None,
    method: str,
    outcome: str,
    satisfaction: str,
    term_performed: bool | None = None,
    reopen: bool = False,
    refer_to_enforcement: str = "",
) -> FollowUp:
    """Record a 回访 with its outcome, the satisfaction and whether the term was performed.

    A term not performed is marked so; then, when asked: a CLOSED case is reopened through the
    workflow (``reopen``), and/or a referral to enforcement is recorded (人民调解法 art.33 /
    民事诉讼法 art.206 after confirmation, else a suit under art.32). A case still RESOLVED keeps a
    new pending 回访 instead of being reopened: it has not been closed yet.
    """
    visit = FollowUp.objects.select_related("term").filter(pk=follow_up_id).first()
    if visit is None:
        raise NotFound(gettext("Follow-up not found."))
    case = _case_for_mediation(actor, visit.case_id)
    errors: Errors = {}
    if visit.state != FollowUpState.SCHEDULED:
        _add(errors, "done_on", gettext("This follow-up is already recorded."))
    if done_on is None:
        _add(errors, "done_on", gettext("This field is required."))
    elif done_on > clock.today():
        _add(errors, "done_on", gettext("The date cannot be in the future."))
    method = _text(errors, "method", method, required=True, limit=50)
    outcome = _text(errors, "outcome", outcome, required=True, limit=5000)
    if satisfaction not in Satisfaction.values:
        _add(errors, "satisfaction", gettext("Choose a value from the list."))
    if visit.term_id and term_performed is None:
        _add(errors, "term_performed", gettext("Say whether the term was performed."))
    if reopen and case.status != CaseStatus.CLOSED:
        _add(errors, "reopen", gettext("Only a closed case can be reopened."))
    _raise(errors)
    visit.state = FollowUpState.DONE
    visit.done_on = done_on
    visit.method = method
    visit.outcome = outcome
    visit.satisfaction = satisfaction
    visit.term_performed = term_performed
    visit.recorded_by = actor
    visit.save()
    _event(
        actor,
        case,
        EventKind.FOLLOW_UP_RECORDED,
        {
            "follow_up": visit.pk,
            "satisfaction": satisfaction,
            "term": visit.term_id,
            "term_performed": term_performed,
        },
    )
    _audit(actor, visit, case, created=False, satisfaction=satisfaction)
    if visit.term is not None and term_performed is not None:
        state = PerformanceState.PERFORMED if term_performed else PerformanceState.NOT_PERFORMED
        if visit.term.state != state:
            term_performance_record(
                actor=actor, term_id=visit.term.pk, state=state, performed_on=done_on
            )
    if term_performed is False and done_on is not None:
        if refer_to_enforcement.strip():
            referral_record(
                actor=actor,
                case_id=case.pk,
                channel=ReferralChannel.ENFORCEMENT,
                body=refer_to_enforcement,
                referred_on=done_on,
            )
        if reopen:
            case_transition(
                actor=actor,
                case_id=case.pk,
                name=Action.REOPEN,
                action=ActionInput(note=gettext("Agreement not performed: %(o)s") % {"o": outcome}),
            )
        elif case.status == CaseStatus.RESOLVED:
            FollowUp.objects.create(
                case=case,
                agreement=visit.agreement,
                term=visit.term,
                due_on=done_on + timedelta(days=follow_up_after_days()),
            )
    return visit


# --- failure ------------------------------------------------------------------------------------


@transaction.atomic
def failure_record(
    *,
    actor: User,
    case_id: int,
    other_routes: str,
    routes_notified_on: date | None,
    undisputed_facts: str,
    confirmed_party_ids: list[int],
) -> FailureRecord:
    """Record the notice of other routes (人民调解法 art.26; 在线调解规则 art.26) and the undisputed
    facts the parties confirm (无争议事实记载: 在线调解规则 arts.18, 22; 深圳条例 art.73)."""
    case = _case_for_mediation(actor, case_id)
    errors: Errors = {}
    other_routes = _text(errors, "other_routes", other_routes, required=False, limit=2000)
    undisputed_facts = _text(errors, "undisputed_facts", undisputed_facts, required=False)
    if other_routes and routes_notified_on is None:
        _add(errors, "routes_notified_on", gettext("This field is required."))
    if not other_routes and not undisputed_facts:
        _add(errors, "other_routes", gettext("Record the routes notified or the facts."))
    parties = list(Party.objects.filter(case=case, pk__in=confirmed_party_ids))
    if len(parties) != len(set(confirmed_party_ids)):
        _add(errors, "confirmed_party_ids", gettext("Choose parties of this case."))
    if confirmed_party_ids and not undisputed_facts:
        _add(errors, "undisputed_facts", gettext("This field is required."))
    _raise(errors)
    item, created = FailureRecord.objects.update_or_create(
        case=case,
        defaults={
            "other_routes": other_routes,
            "routes_notified_on": routes_notified_on,
            "undisputed_facts": undisputed_facts,
            "recorded_by": actor,
        },
    )
    item.confirmed_by.set(parties)
    if other_routes:
        _event(
            actor,
            case,
            EventKind.MEDIATION_RECORDED,
            {"step": "other_routes_notified", "on": str(routes_notified_on)},
        )
    if undisputed_facts:
        _event(
            actor,
            case,
            EventKind.UNDISPUTED_FACTS_RECORDED,
            {"confirmed_by": sorted(p.pk for p in parties)},
        )
    _audit(actor, item, case, created=created)
    return item


@transaction.atomic
def referral_record(
    *, actor: User, case_id: int, channel: str, body: str, referred_on: date | None
) -> Referral:
    """Refer the dispute to litigation, arbitration, an administrative channel or enforcement
    (人民调解法 art.26)."""
    case = _case_for_mediation(actor, case_id)
    errors: Errors = {}
    if channel not in ReferralChannel.values:
        _add(errors, "channel", gettext("Choose a value from the list."))
    body = _text(errors, "body", body, required=True, limit=100)
    if referred_on is None:
        _add(errors, "referred_on", gettext("This field is required."))
    _raise(errors)
    item = Referral.objects.create(
        case=case,
        channel=channel,
        body=body,
        referred_on=cast(date, referred_on),
        recorded_by=actor,
    )
    _event(
        actor,
        case,
        EventKind.REFERRAL_RECORDED,
        {"referral": item.pk, "channel": channel, "body": body},
    )
    _audit(actor, item, case, created=True)
    return item


@transaction.atomic
def referral_result_record(
    *, actor: User, referral_id: int, result: str, result_on: date | None, note: str = ""
) -> Referral:
    """Follow a referral to its result."""
    item = Referral.objects.filter(pk=referral_id).first()
    if item is None:
        raise NotFound(gettext("Referral not found."))
    case = _case_for_mediation(actor, item.case_id)
    errors: Errors = {}
    if result not in ReferralResult.values or result == ReferralResult.PENDING:
        _add(errors, "result", gettext("Choose a value from the list."))
    if result_on is None:
        _add(errors, "result_on", gettext("This field is required."))
    elif result_on < item.referred_on:
        _add(errors, "result_on", gettext("Before the referral."))
    note = _text(errors, "result_note", note, required=False, limit=2000)
    _raise(errors)
    item.result, item.result_on, item.result_note = result, result_on, note
    item.save(update_fields=["result", "result_on", "result_note"])
    _event(
        actor,
        case,
        EventKind.REFERRAL_RECORDED,
        {"referral": item.pk, "result": result, "result_on": str(result_on)},
    )
    _audit(actor, item, case, created=False, result=result)
    return item
