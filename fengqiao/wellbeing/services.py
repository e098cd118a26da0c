"""Writes of 心理服务: a referral from a case (only with the person's recorded consent) and a crisis
intervention that alerts the named responders at once and stands on the case's timeline (the
timeline says that a crisis was raised and its level, never what was said)."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import EventKind
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock
from fengqiao.core.exceptions import InvalidInput
from fengqiao.notifications.services import notify
from fengqiao.wellbeing import selectors
from fengqiao.wellbeing.models import CrisisAlert, CrisisLevel, PsychReferral


def _invalid(errors: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(gettext("Please correct the errors below."), errors=errors)


@transaction.atomic
def referral_make(
    *,
    actor: User,
    case_id: int,
    counsellor_id: int,
    person_name: str,
    reason: str,
    consent_how: str,
) -> PsychReferral:
    """Refer a party of the case to a counsellor, who is told at once.

    Raises:
        NotFound: case not visible; PermissionDeniedError: the actor may not mediate it;
        InvalidInput: no consent recorded, no person or reason, or no such counsellor.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    access.require(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    errors: dict[str, list[str]] = {}
    if not consent_how.strip():
        errors["consent_how"] = [
            gettext("A referral needs the person's consent: say how it was given.")
        ]
    if not person_name.strip():
        errors["person_name"] = [gettext("This field is required.")]
    if not reason.strip():
        errors["reason"] = [gettext("This field is required.")]
    counsellor = selectors.counsellors_for(case).filter(pk=counsellor_id).first()
    if counsellor is None:
        errors["counsellor"] = [gettext("Choose a counsellor serving the place.")]
    if errors:
        raise _invalid(errors)
    assert counsellor is not None  # noqa: S101  checked above
    referral = PsychReferral.objects.create(
        case=case,
        person_name=person_name.strip()[:100],
        counsellor=counsellor,
        reason=reason.strip(),
        consent_how=consent_how.strip()[:100],
        consent_at=clock.now(),
        created_by=actor,
    )
    case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.REFERRAL_RECORDED,
        data={"psychological_referral": referral.pk},
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=referral, org=case.handling_org)
    if counsellor.user is not None:
        notify(
            recipients=[counsellor.user],
            title=gettext("A psychological referral for you"),
            kind="wellbeing.referral",
            url=reverse("wellbeing:case_panel", args=[case.pk]),
        )
    return referral


@transaction.atomic
def crisis_raise(*, actor: User, case_id: int, level: str, description: str) -> CrisisAlert:
    """心理危机干预: anyone who sees the case may raise it; every named responder is alerted at
    once (inbox now, SMS and robots by their channels on commit).

    Raises:
        NotFound: case not visible; InvalidInput: unknown level or no description.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    errors: dict[str, list[str]] = {}
    if level not in CrisisLevel.values:
        errors["level"] = [gettext("Choose how urgent it is.")]
    if not description.strip():
        errors["description"] = [gettext("Say what is happening.")]
    if errors:
        raise _invalid(errors)
    responders = selectors.responders_for(case)
    alert = CrisisAlert.objects.create(
        case=case, level=level, description=description.strip(), raised_by=actor
    )
    alert.responders.set(responders)
    case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.NOTE_ADDED,
        data={"crisis": alert.pk, "level": level},
    )
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=alert,
        org=case.handling_org,
        extra={"level": level, "responders": [u.pk for u in responders]},
    )
    notify(
        recipients=responders,
        title=gettext("Crisis intervention needed now: case {number}").format(number=case.number),
        body=gettext("Raised by {name}. Open the case's psychological services panel.").format(
            name=actor.get_full_name() or actor.get_username()
        ),
        kind="wellbeing.crisis",
        url=reverse("wellbeing:case_panel", args=[case.pk]),
    )
    return alert
