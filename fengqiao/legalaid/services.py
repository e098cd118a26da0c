"""Writes of legal aid: a referral from a case (with the case papers) or from the portal, and the
centre's answer. Neither pauses the case's time limit (see ``models``). A referral from the
portal carries the citizen's answers (economic situation, protected groups: sensitive personal
information) to another controller, so it needs the separate consent (个人信息保护法 arts.23,
29), recorded with it or refused with nothing stored."""

from dataclasses import asdict
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import EventKind, PartyRole
from fengqiao.cases.models import Attachment, Case
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock, crypto, validators
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound
from fengqiao.legalaid import selectors
from fengqiao.legalaid.eligibility import (
    Answers,
    Circumstance,
    ExemptGroup,
    Matter,
    assess,
)
from fengqiao.legalaid.models import LegalAidReferral, ReferralSource, ReferralStatus
from fengqiao.orgs.models import Organisation
from fengqiao.privacy import services as privacy
from fengqiao.privacy.models import ConsentPurpose
from fengqiao.privacy.selectors import phone_index
from fengqiao.privacy.services import ConsentInput
from fengqiao.regions.models import Region

PHONE_CONTEXT = "legalaid.phone"


def answers_parse(data: dict[str, str]) -> Answers:
    """The eligibility answers from a form, with field-level errors in Chinese.

    Raises:
        InvalidInput: an unknown choice or an income that is not an amount.
    """
    errors: dict[str, list[str]] = {}
    for field, choices in (
        ("matter", Matter),
        ("circumstance", Circumstance),
        ("exempt_group", ExemptGroup),
    ):
        if data.get(field, "none") not in choices.values:
            errors[field] = [gettext("Choose one of the answers.")]
    income: Decimal | None = None
    raw_income = (data.get("household_income") or "").strip()
    if raw_income:
        try:
            income = Decimal(raw_income)
        except InvalidOperation:
            errors["household_income"] = [gettext("Enter an amount in yuan.")]
        else:
            if income < 0 or not income.is_finite():
                errors["household_income"] = [gettext("Enter an amount in yuan.")]
    try:
        size = int(data.get("household_size") or 1)
    except ValueError:
        size = 0
    if not 1 <= size <= 30:
        errors["household_size"] = [gettext("Enter how many people live in the household.")]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    return Answers(
        matter=data.get("matter", "none"),
        circumstance=data.get("circumstance", "none"),
        exempt_group=data.get("exempt_group", "none"),
        household_income=income,
        household_size=size,
    )


def _answers_json(answers: Answers) -> dict[str, object]:
    values = asdict(answers)
    if answers.household_income is not None:
        values["household_income"] = str(answers.household_income)
    return values


def _centre(centre_id: int, region: Region | None) -> Organisation:
    centre = selectors.centres_for(region).filter(pk=centre_id).first()
    if centre is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"centre": [gettext("Choose the legal aid centre that serves the place.")]},
        )
    return centre


def _papers(case: Case) -> dict[str, object]:
    files = Attachment.objects.filter(case=case).order_by("id")
    return {
        "number": case.number,
        "title": case.title,
        "category": case.category.name if case.category_id else "",
        "description": case.description,
        "claims": case.claims,
        "parties": [{"role": p.role, "name": p.name} for p in case.parties.all().order_by("id")],
        "attachments": [{"id": f.pk, "name": f.original_name} for f in files],
    }


@transaction.atomic
def referral_from_case(
    *, actor: User, case_id: int, centre_id: int, answers: Answers, applicant_name: str = ""
) -> LegalAidReferral:
    """Refer a party of a case to the legal aid centre with a snapshot of the case papers; the
    timeline records it. The case's clock runs on (no legal basis to pause it).

    Raises:
        NotFound: the case is not visible; PermissionDeniedError: the actor may not handle it;
        InvalidInput: no such centre for the place; ConflictError: a referral is pending.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    access.require(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    centre = _centre(centre_id, case.region)
    if LegalAidReferral.objects.filter(case=case, status=ReferralStatus.SENT).exists():
        raise ConflictError(gettext("A referral of this case awaits the centre's answer."))
    applicant = applicant_name.strip() or next(
        (p.name for p in case.parties.all() if p.role == PartyRole.APPLICANT), ""
    )
    assessment = assess(answers, standard=selectors.standard_for(case.region))
    referral = LegalAidReferral.objects.create(
        source=ReferralSource.CASE,
        case=case,
        centre=centre,
        answers=_answers_json(answers),
        verdict=assessment.verdict,
        reasons=list(assessment.reasons),
        papers=_papers(case),
        applicant_name=applicant[:100],
        created_by=actor,
    )
    case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.REFERRAL_RECORDED,
        data={"legal_aid": referral.pk, "centre": centre.name, "verdict": assessment.verdict},
    )
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=referral,
        org=case.handling_org,
        extra={"case": case.pk, "centre": centre.pk},
    )
    return referral


PORTAL_CONSENTS = (ConsentPurpose.LEGAL_AID,)


@transaction.atomic
def referral_from_portal(
    *,
    centre_id: int,
    answers: Answers,
    name: str,
    phone: str,
    region: Region | None,
    consent: ConsentInput | None = None,
) -> LegalAidReferral:
    """A citizen sends the eligibility answers and a way to reach them to the centre, with the
    separate consent to sending them (recorded in this transaction).

    Raises:
        InvalidInput: missing name, a phone that is not a mobile number, no consent (on
        ``consent_legal_aid``), or no such centre.
    """
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [gettext("This field is required.")]
    mobile = crypto.normalise_phone(phone)
    problem = validators.mobile_problem(phone)
    if problem:
        errors["phone"] = [problem]
    given = consent or ConsentInput()
    index = "" if problem else phone_index(mobile)
    errors.update(privacy.consent_errors(phone_idx=index, needed=PORTAL_CONSENTS, given=given))
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    centre = _centre(centre_id, region)
    privacy.consents_record(
        phone=mobile, needed=PORTAL_CONSENTS, given=given, source="legalaid.portal"
    )
    assessment = assess(answers, standard=selectors.standard_for(region))
    referral = LegalAidReferral.objects.create(
        source=ReferralSource.PORTAL,
        centre=centre,
        answers=_answers_json(answers),
        verdict=assessment.verdict,
        reasons=list(assessment.reasons),
        applicant_name=name.strip()[:100],
        phone_encrypted=crypto.encrypt(mobile, context=PHONE_CONTEXT),
        phone_masked=crypto.mask_phone(mobile),
    )
    record(
        actor=None,
        action=AuditAction.RECORD_CREATED,
        target=referral,
        org=centre,
        extra={"source": "portal"},
    )
    return referral


@transaction.atomic
def referral_answer(*, actor: User, referral_id: int, granted: bool, note: str) -> LegalAidReferral:
    """The centre grants or refuses legal aid; the case's timeline records the answer.

    Raises:
        NotFound: not a referral to the actor's centre; ConflictError: answered already;
        InvalidInput: a refusal without its reason.
    """
    referral = selectors.referral_get_for_centre(actor=actor, referral_id=referral_id)
    referral = LegalAidReferral.objects.select_for_update(of=("self",)).get(pk=referral.pk)
    if referral.status != ReferralStatus.SENT:
        raise ConflictError(gettext("This referral has been answered already."))
    if not granted and not note.strip():
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"note": [gettext("Give the reason for refusing legal aid.")]},
        )
    referral.status = ReferralStatus.ACCEPTED if granted else ReferralStatus.REFUSED
    referral.answer_note, referral.answered_at, referral.answered_by = (
        note.strip(),
        clock.now(),
        actor,
    )
    referral.save(
        update_fields=["status", "answer_note", "answered_at", "answered_by", "updated_at"]
    )
    if referral.case_id is not None:
        # The centre is outside the case's jurisdiction by design: it answers what it was sent.
        case_record_event(
            actor=actor,
            case_id=referral.case_id,
            kind=EventKind.REFERRAL_RECORDED,
            data={
                "legal_aid": referral.pk,
                "status": referral.status,
                "note": referral.answer_note,
            },
            scoped=False,
        )
    record(
        actor=actor,
        action=AuditAction.RECORD_CHANGED,
        target=referral,
        org=referral.centre,
        changes={"status": referral.status},
    )
    return referral


@transaction.atomic
def referral_phone(*, actor: User, referral_id: int) -> str:
    """The centre reads a portal applicant's phone to call them back (audited).

    Raises:
        NotFound: not a referral to the actor's centre.
    """
    referral = selectors.referral_get_for_centre(actor=actor, referral_id=referral_id)
    if not referral.phone_encrypted:
        raise NotFound(gettext("No phone number was given."))
    record(actor=actor, action=AuditAction.PARTY_PII_VIEWED, target=referral, org=referral.centre)
    return crypto.decrypt(referral.phone_encrypted, context=PHONE_CONTEXT)
