"""Every write of the citizen portal: verification codes, the online application (registered
once per tracking code through the "online" channel endpoint of the chosen township), evidence
added later, and the applicant's rating of the outcome.

None of them accepts personal information without a current consent (个人信息保护法
arts.14, 29): each names the purposes it needs, refuses with field errors before anything is
stored, and records the consents ticked in the same transaction as the data (``privacy``)."""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils.translation import gettext

from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import attachments
from fengqiao.cases.attachments import CheckedUpload
from fengqiao.cases.choices import OPEN_STATUSES, Channel, EventKind, PartyRole
from fengqiao.cases.services import CaseDraft, PartyDraft, case_record_event
from fengqiao.core import clock, crypto, validators
from fengqiao.core.exceptions import ApplicationError, InvalidInput, NotFound
from fengqiao.intake.pipeline import Submission, classified, dispute_errors, register_dispute
from fengqiao.mediation.choices import Satisfaction
from fengqiao.notifications import sms
from fengqiao.portal import selectors
from fengqiao.portal.models import (
    CodePurpose,
    PortalApplication,
    PortalOutcomeRating,
    SatisfactionChoice,
    VerificationCode,
)
from fengqiao.privacy import services as privacy
from fengqiao.privacy.models import ConsentPurpose
from fengqiao.privacy.services import ConsentInput

logger = logging.getLogger(__name__)

PHONE_CONTEXT = "portal.phone"
CODE_TTL = timedelta(minutes=10)
MAX_TRIES = 5
# Tracking codes avoid 0/O and 1/I/L so they can be read aloud and typed from an SMS.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 10


class TooManyRequests(ApplicationError):
    """Codes asked for too often (per phone per minute, per address per hour)."""

    code = "too_many_requests"
    status_code = 429


def _errors(errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(gettext("Please correct the errors below."), errors=errors)


def tracking_code_new() -> str:
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))


def tracking_code_normalise(value: str) -> str:
    return "".join(value.split()).upper()


def tracking_code_sign(code: str) -> str:
    """The form's hidden token: the tracking code the server made, signed. Only such a token is
    accepted, so nobody can put a tracking code he saw or guessed into the form and learn from
    the answer whether it exists (issue #17)."""
    return signing.Signer(salt="portal.form-token").sign(code)


def tracking_code_from_form(value: str) -> str:
    """The tracking code in a signed form token, or "" if it was not made here."""
    try:
        return tracking_code_normalise(signing.Signer(salt="portal.form-token").unsign(value))
    except signing.BadSignature:
        return ""


def tracking_code_is_wellformed(value: str) -> bool:
    return len(value) == TRACKING_LENGTH and all(c in TRACKING_ALPHABET for c in value)


def phone_index(phone: str) -> str:
    return crypto.blind_index(crypto.normalise_phone(phone), context="phone")


def mobile_is_valid(phone: str) -> bool:
    return validators.mobile_problem(phone) is None


def _code_hash(phone_idx: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"portal.code|{phone_idx}|{code}".encode(), hashlib.sha256).hexdigest()


def _send_sms(phone: str, text: str, *, template: str, params: dict[str, str]) -> None:
    """The platform's SMS gateway (``notifications.sms``), after the commit. A gateway failure is
    logged, not shown: the application is already safely stored, and a code can be asked again
    after a minute. ``template``/``params`` are for the template providers (Aliyun, Tencent)."""
    try:
        sms.send_sms(phone, text, template=template, params=params)
    except sms.SmsError:
        logger.exception("portal: SMS to %s could not be sent", crypto.mask_phone(phone))


def _per_phone_per_minute() -> int:
    return int(getattr(settings, "FENGQIAO_PORTAL_CODES_PER_PHONE_MINUTE", 1))


def _per_ip_per_hour() -> int:
    return int(getattr(settings, "FENGQIAO_PORTAL_CODES_PER_IP_HOUR", 10))


def _per_ip_per_hour_hard() -> int:
    return int(getattr(settings, "FENGQIAO_PORTAL_CODES_PER_IP_HOUR_HARD", 60))


def _per_phone_per_day() -> int:
    return int(getattr(settings, "FENGQIAO_PORTAL_CODES_PER_PHONE_DAY", 10))


def _address_may_ask(ip_address: str, now: datetime) -> bool:
    """One address (a village office, a township hall's shared line) may ask for
    FENGQIAO_PORTAL_CODES_PER_IP_HOUR codes an hour, and one more for every code from it that
    was then entered correctly: the code itself is the proof that real people are asking, with
    no captcha. FENGQIAO_PORTAL_CODES_PER_IP_HOUR_HARD is the refusal nobody passes."""
    recent = VerificationCode.objects.filter(
        ip_address=ip_address, created_at__gt=now - timedelta(hours=1)
    )
    asked = recent.count()
    if asked >= _per_ip_per_hour_hard():
        return False
    return asked < _per_ip_per_hour() + recent.filter(used_at__isnull=False).count()


@transaction.atomic
def code_send(
    *, phone: str, purpose: str, ip_address: str | None, consent: ConsentInput | None = None
) -> VerificationCode:
    """Send a 6-digit code to ``phone`` (only its hash is kept, the code is never logged).

    A code to apply with is sent only once the notice is agreed to (``consent``): the phone is
    the first personal information the application form sends.

    Raises:
        InvalidInput: not a mobile number; for an application, no consent (on
        ``consent_mediation``).
        TooManyRequests: a code went to this phone in the last minute or too many today, or
        this address asked for more codes in the last hour than were used (see
        ``_address_may_ask``).
    """
    if not mobile_is_valid(phone):
        raise _errors({"phone": [gettext("Enter an 11-digit mobile number.")]})
    if purpose not in CodePurpose.values:
        raise ValueError(f"unknown purpose {purpose!r}")
    now = clock.now()
    index = phone_index(phone)
    if purpose == CodePurpose.APPLY:
        refused = privacy.consent_errors(
            phone_idx=index, needed=[ConsentPurpose.MEDIATION], given=consent or ConsentInput()
        )
        if refused:
            raise _errors(refused)
    to_phone = VerificationCode.objects.filter(phone_index=index)
    if (
        to_phone.filter(created_at__gt=now - timedelta(minutes=1)).count()
        >= _per_phone_per_minute()
    ):
        raise TooManyRequests(
            gettext("A code was just sent to this number. Please wait a minute and try again.")
        )
    if to_phone.filter(created_at__gt=now - timedelta(days=1)).count() >= _per_phone_per_day():
        raise TooManyRequests(
            gettext("Too many codes were sent to this number today. Please try again tomorrow.")
        )
    if ip_address and not _address_may_ask(ip_address, now):
        raise TooManyRequests(
            gettext("Too many codes were requested from here. Please try again in an hour.")
        )
    code = f"{secrets.randbelow(10**6):06d}"
    row = VerificationCode.objects.create(
        phone_index=index,
        purpose=purpose,
        code_hash=_code_hash(index, code),
        ip_address=ip_address,
        created_at=now,
        expires_at=now + CODE_TTL,
    )
    text = gettext(
        "[Fengqiao] Your verification code is {code}. It is valid for 10 minutes. "
        "Do not tell anyone."
    ).format(code=code)
    plain = crypto.normalise_phone(phone)
    transaction.on_commit(lambda: _send_sms(plain, text, template="code", params={"code": code}))
    return row


def code_verify(*, phone: str, purpose: str, code: str, reuse_for: str = "") -> VerificationCode:
    """Check the latest code sent to ``phone`` for ``purpose`` and use it up.

    ``reuse_for``: a code already used for this tracking code is accepted again (a retried
    submission after a network error), never for anything else. Runs in its own transaction so a
    wrong try counts even when the caller's work later fails.

    Raises:
        InvalidInput: on ``code`` — missing, wrong (tries counted), expired, or locked.
    """
    index = phone_index(phone) if phone else ""
    code = code.strip()
    with transaction.atomic():
        row = (
            VerificationCode.objects.select_for_update()
            .filter(phone_index=index, purpose=purpose)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None:
            raise _errors({"code": [gettext("Get a verification code first.")]})
        if row.used_at is not None:
            if (
                reuse_for
                and row.used_for == reuse_for
                and hmac.compare_digest(row.code_hash, _code_hash(index, code))
            ):
                return row
            raise _errors({"code": [gettext("This code has been used. Get a new one.")]})
        if row.attempts >= MAX_TRIES:
            raise _errors(
                {"code": [gettext("Too many wrong tries: this code is locked. Get a new one.")]}
            )
        if row.expires_at <= clock.now():
            raise _errors({"code": [gettext("The code has expired. Get a new one.")]})
        if not (len(code) == 6 and code.isdigit()) or not hmac.compare_digest(
            row.code_hash, _code_hash(index, code)
        ):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = MAX_TRIES - row.attempts
            message = (
                gettext("Wrong code. {n} tries left.").format(n=left)
                if left > 0
                else gettext("Too many wrong tries: this code is locked. Get a new one.")
            )
            # The try is kept: the error is raised after this block has committed the counter.
            wrong = _errors({"code": [message]})
        else:
            row.used_at = clock.now()
            row.save(update_fields=["used_at"])
            return row
    raise wrong


def consents_sign_in(*, phone: str, code: str) -> str:
    """The phone's blind index once its holder entered a code sent for the consents page: the
    key the citizen's consents are found and withdrawn by.

    Raises:
        InvalidInput: not a mobile number (on ``phone``) or a bad code (on ``code``).
    """
    if not mobile_is_valid(phone):
        raise _errors({"phone": [gettext("Enter an 11-digit mobile number.")]})
    code_verify(phone=phone, purpose=CodePurpose.CONSENTS, code=code)
    return phone_index(phone)


def code_mark_used_for(row: VerificationCode, tracking_code: str) -> None:
    VerificationCode.objects.filter(pk=row.pk).update(used_for=tracking_code)


@dataclass(frozen=True, slots=True)
class Application:
    """What the citizen typed on the application form."""

    token: str  # the tracking code generated when the form was shown
    township: str
    village: str
    what_happened: str
    request: str
    other_party_name: str
    other_party_phone: str
    name: str
    phone: str
    id_number: str
    code: str
    consent: ConsentInput = field(default_factory=ConsentInput)


@dataclass(frozen=True, slots=True)
class Submitted:
    application: PortalApplication
    created: bool


def _application_errors(data: Application) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not tracking_code_is_wellformed(data.token):
        add("form", gettext("The form has expired. Please reload the page and try again."))
    if not data.what_happened.strip():
        add("what_happened", gettext("Tell us what happened."))
    elif len(data.what_happened) > 4000:
        add("what_happened", gettext("At most 4000 characters."))
    if len(data.request) > 2000:
        add("request", gettext("At most 2000 characters."))
    if not data.name.strip():
        add("name", gettext("Enter your name."))
    if not mobile_is_valid(data.phone):
        add("phone", gettext("Enter an 11-digit mobile number."))
    if not data.code.strip():
        add("code", gettext("Enter the verification code sent to your phone."))
    return errors


def application_submit(
    *, data: Application, uploads: list[Any], ip_address: str | None = None
) -> Submitted:
    """Register the application as a case of the chosen township, once per tracking code: a
    retried submit (same hidden token) returns the application it already made.

    Raises:
        InvalidInput: field errors in the portal's field names; nothing is stored.
    """
    errors = _application_errors(data)
    endpoint = selectors.endpoint_for_township(data.township)
    if endpoint is None:
        errors.setdefault("township", []).append(gettext("Choose your township from the list."))
    village = selectors.village_in(data.township, data.village) if endpoint else None
    if endpoint is not None and village is None:
        errors.setdefault("village", []).append(
            gettext("Choose your village (community) from the list.")
        )
    checked: list[CheckedUpload] = []
    if len(uploads) > attachments.max_per_case():
        errors.setdefault("files", []).append(
            gettext("At most {n} files.").format(n=attachments.max_per_case())
        )
    else:
        for upload in uploads:
            try:
                checked.append(attachments.upload_check(upload, field="files"))
            except InvalidInput as error:
                for message in error.errors.get("files", []):
                    errors.setdefault("files", []).append(message)
    needed = application_consents(data, uploads)
    index = phone_index(data.phone) if mobile_is_valid(data.phone) else ""
    errors.update(privacy.consent_errors(phone_idx=index, needed=needed, given=data.consent))
    if errors:
        raise _errors(errors)
    assert endpoint is not None  # noqa: S101  checked above
    assert village is not None  # noqa: S101  checked above
    draft = classified(_draft(data, endpoint, village))
    # Checked before the SMS code is spent, by the intake path's own rules (a wrong field must not
    # cost the citizen a new code); registration checks them again in its transaction.
    problems = dispute_errors(actor=endpoint.service_user, draft=draft)
    problems.pop("source_ref", None)  # a retry: the same tracking code is answered below
    if problems:
        raise _errors(_renamed(problems))
    # The phone's code first: only its holder learns anything about this tracking code.
    code_row = code_verify(
        phone=data.phone, purpose=CodePurpose.APPLY, code=data.code, reuse_for=data.token
    )
    existing = PortalApplication.objects.filter(tracking_code=data.token).first()
    if existing is not None and existing.phone_index != index:
        raise _errors(
            {"form": [gettext("The form has expired. Please reload the page and try again.")]}
        )
    if existing is not None:
        return Submitted(application=existing, created=False)
    try:
        return _register(data, endpoint, draft, checked, index, code_row, ip_address)
    except InvalidInput as error:
        raise _errors(_renamed(error.errors)) from None


APPLICATION_CONSENTS = (ConsentPurpose.MEDIATION, ConsentPurpose.MEDIATION_SENSITIVE)


def application_consents(data: Application, uploads: list[Any]) -> list[str]:
    """The consents an application needs: the notice always; the separate consent to sensitive
    personal information (art.29) when it carries an ID number or evidence."""
    needed: list[str] = [ConsentPurpose.MEDIATION]
    if data.id_number.strip() or uploads:
        needed.append(ConsentPurpose.MEDIATION_SENSITIVE)
    return needed


def _renamed(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Registration rules' field names (``CaseDraft``'s) as the portal form's fields."""
    out: dict[str, list[str]] = {}
    for name, messages in errors.items():
        if name.startswith("parties."):
            _prefix, index, field = [*name.split("."), "", ""][:3]
            key = ("applicant." if index == "0" else "other_party.") + field
            target = PARTY_FIELD_MAP.get(key, "name" if index == "0" else "other_party_name")
        else:
            target = FIELD_MAP.get(name, name)
        if target in PARTY_FIELD_MAP:
            target = PARTY_FIELD_MAP[target]
        out.setdefault(target, []).extend(messages)
    return out


def _draft(data: Application, endpoint: Any, village: Any) -> CaseDraft:
    text = data.what_happened.strip()
    parties = [
        PartyDraft(
            role=PartyRole.APPLICANT,
            name=data.name.strip(),
            phone=data.phone,
            id_number=data.id_number.strip(),
            region=village.code,
        )
    ]
    if data.other_party_name.strip():
        parties.append(
            PartyDraft(
                role=PartyRole.RESPONDENT,
                name=data.other_party_name.strip(),
                phone=data.other_party_phone.strip(),
            )
        )
    first_line = text.splitlines()[0] if text else ""
    return CaseDraft(
        org_id=endpoint.org_id,
        title=gettext("Online application: {summary}").format(summary=first_line[:40]),
        description=text,
        claims=data.request.strip(),
        channel=Channel.ONLINE,
        category="",  # the intake path classifies the citizen's words
        region=village.code,
        parties=tuple(parties),
        source_ref=data.token,
    )


@transaction.atomic
def _register(
    data: Application,
    endpoint: Any,
    draft: CaseDraft,
    checked: list[CheckedUpload],
    index: str,
    code_row: VerificationCode,
    ip_address: str | None,
) -> Submitted:
    # The consents first, in this transaction: a refused registration leaves neither.
    privacy.consents_record(
        phone=data.phone,
        needed=application_consents(data, checked),
        given=data.consent,
        source="portal.apply",
        offered=APPLICATION_CONSENTS,
    )
    payload = {
        "tracking_code": data.token,
        "township": data.township,
        "village": data.village,
        "what_happened": draft.description,
        "request": draft.claims,
        "other_party": {"name": data.other_party_name, "phone": data.other_party_phone},
        "applicant": {"name": data.name, "phone": data.phone, "id_number": data.id_number},
        "files": [{"name": c.name, "sha256": c.sha256} for c in checked],
    }
    received = register_dispute(
        actor=endpoint.service_user,
        draft=draft,
        submission=Submission(
            channel=endpoint.channel, source_ref=data.token, payload=payload, endpoint=endpoint
        ),
    )
    if not received.created:  # a racing twin registered it first
        application = PortalApplication.objects.get(tracking_code=data.token)
        return Submitted(application=application, created=False)
    phone = crypto.normalise_phone(data.phone)
    application = PortalApplication.objects.create(
        tracking_code=data.token,
        case=received.case,
        endpoint=endpoint,
        phone_encrypted=crypto.encrypt(phone, context=PHONE_CONTEXT),
        phone_index=index,
        phone_masked=crypto.mask_phone(phone),
    )
    attachments.attachments_add_many(
        case=received.case,
        uploads=checked,
        source="portal",
        uploaded_by_name=data.name.strip(),
        field="files",
    )
    code_mark_used_for(code_row, data.token)
    record(
        actor=None,
        action=AuditAction.RECORD_CREATED,
        target=application,
        org=endpoint.org,
        extra={"case": received.case.number, "channel": Channel.ONLINE, "ip": ip_address or ""},
    )
    text_sms = gettext(
        "[Fengqiao] Your application has been received. Tracking code: {code}. "
        "Use it with this phone number to follow your case online."
    ).format(code=data.token)
    transaction.on_commit(
        lambda: _send_sms(phone, text_sms, template="receipt", params={"code": data.token})
    )
    return Submitted(application=application, created=True)


# Registration errors, renamed to the portal form's fields.
FIELD_MAP = {
    "region": "village",
    "description": "what_happened",
    "title": "what_happened",
    "claims": "request",
    "category": "what_happened",
    "subcategory": "what_happened",
    "org_id": "township",
    "source_ref": "form",
    "parties": "name",
    "occurred_on": "what_happened",
}
PARTY_FIELD_MAP = {
    "applicant.name": "name",
    "applicant.phone": "phone",
    "applicant.id_number": "id_number",
    "applicant.residence_code": "village",
    "other_party.name": "other_party_name",
    "other_party.phone": "other_party_phone",
}


def application_for_tracking(*, tracking_code: str, phone: str) -> PortalApplication:
    """The application a tracking code and phone number open together.

    Raises:
        NotFound: no such pair (the two cases are not told apart).
    """
    code = tracking_code_normalise(tracking_code)
    if not tracking_code_is_wellformed(code) or not mobile_is_valid(phone):
        raise NotFound(gettext("No application matches this tracking code and phone number."))
    application = (
        PortalApplication.objects.select_related("case")
        .filter(tracking_code=code, phone_index=phone_index(phone))
        .first()
    )
    if application is None:
        raise NotFound(gettext("No application matches this tracking code and phone number."))
    return application


EVIDENCE_CONSENTS = (ConsentPurpose.MEDIATION, ConsentPurpose.MEDIATION_SENSITIVE)
RATING_CONSENTS = (ConsentPurpose.MEDIATION,)
# the rating in the 回访's words, so that the 回访满意率 reads one vocabulary from the timeline
AS_FOLLOW_UP_ANSWER = {
    SatisfactionChoice.SATISFIED: Satisfaction.SATISFIED,
    SatisfactionChoice.FAIRLY_SATISFIED: Satisfaction.FAIRLY,
    SatisfactionChoice.DISSATISFIED: Satisfaction.DISSATISFIED,
}


def _applicant_phone(application: PortalApplication) -> str:
    return crypto.decrypt(application.phone_encrypted, context=PHONE_CONTEXT)


def evidence_add(
    *, application: PortalApplication, uploads: list[Any], consent: ConsentInput | None = None
) -> int:
    """The applicant adds evidence while the case is open; all files or none. Evidence is
    sensitive personal information: it needs the notice and the separate consent, current
    (given with this phone against the notice in force and not withdrawn, or ticked now).

    Raises:
        InvalidInput: the case is no longer open, no file, or a bad file (on ``files``); a
        missing consent (on ``consent_<purpose>``).
    """
    case = selectors.handling_case(
        application.case
    )  # after 并案 the evidence belongs to the primary
    case.refresh_from_db(fields=["status"])
    if case.status not in OPEN_STATUSES:
        raise _errors({"files": [gettext("The case is closed; evidence can no longer be added.")]})
    if not uploads:
        raise _errors({"files": [gettext("Choose at least one file.")]})
    checked: list[CheckedUpload] = []
    messages: list[str] = []
    for upload in uploads:
        try:
            checked.append(attachments.upload_check(upload, field="files"))
        except InvalidInput as error:
            messages.extend(error.errors.get("files", []))
    refused = privacy.consent_errors(
        phone_idx=application.phone_index, needed=EVIDENCE_CONSENTS, given=consent or ConsentInput()
    )
    if messages or refused:
        raise _errors({**({"files": messages} if messages else {}), **refused})
    name = (
        application.case.parties.filter(role=PartyRole.APPLICANT)
        .values_list("name", flat=True)
        .first()
    )
    with transaction.atomic():
        privacy.consents_record(
            phone=_applicant_phone(application),
            needed=EVIDENCE_CONSENTS,
            given=consent or ConsentInput(),
            source="portal.evidence",
        )
        attachments.attachments_add_many(
            case=case, uploads=checked, source="portal", uploaded_by_name=name or "", field="files"
        )
    return len(checked)


@transaction.atomic
def rating_submit(
    *,
    application: PortalApplication,
    rating: str,
    comment: str = "",
    consent: ConsentInput | None = None,
) -> PortalOutcomeRating:
    """Record the applicant's rating once the case has an outcome; once only. The rating is
    tied to the applicant, so it needs a current consent like the application.

    The rating is also appended to the case's timeline (``outcome_rated``, by the portal's
    service account): the 回访满意率 is counted from the timeline, where it meets the 回访
    visits, and ``kpi`` sits below ``portal`` so it never reads this table.

    Raises:
        InvalidInput: no outcome yet, already rated, or an unknown rating; a missing consent
        (on ``consent_mediation``).
    """
    case = selectors.handling_case(application.case)  # a merged application is rated on its primary
    case.refresh_from_db(fields=["outcome", "status"])
    errors: dict[str, list[str]] = {}
    if not case.outcome:
        errors["rating"] = [gettext("The case has no outcome yet.")]
    elif PortalOutcomeRating.objects.filter(application=application).exists():
        errors["rating"] = [gettext("You have already rated this outcome.")]
    elif rating not in SatisfactionChoice.values:
        errors["rating"] = [gettext("Choose satisfied, fairly satisfied or dissatisfied.")]
    if len(comment) > 500:
        errors["comment"] = [gettext("At most 500 characters.")]
    given = consent or ConsentInput()
    errors.update(
        privacy.consent_errors(
            phone_idx=application.phone_index, needed=RATING_CONSENTS, given=given
        )
    )
    if errors:
        raise _errors(errors)
    privacy.consents_record(
        phone=_applicant_phone(application),
        needed=RATING_CONSENTS,
        given=given,
        source="portal.rating",
    )
    row = PortalOutcomeRating.objects.create(
        application=application, rating=rating, comment=comment.strip(), outcome=case.outcome
    )
    case_record_event(
        actor=application.endpoint.service_user,
        case_id=case.pk,
        kind=EventKind.OUTCOME_RATED,
        data={
            "rating": row.pk,
            "satisfaction": AS_FOLLOW_UP_ANSWER[SatisfactionChoice(rating)],
            "outcome": case.outcome,
        },
        scoped=False,  # the citizen acts, through the portal's account, on their own case only
    )
    record(
        actor=None,
        action=AuditAction.RECORD_CREATED,
        target=row,
        org=case.handling_org,
        extra={"case": case.number, "rating": rating},
    )
    return row
