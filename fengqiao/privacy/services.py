"""Every write of the privacy side: publishing a notice version, recording consents (only
inside the transaction that accepts the personal data they cover, so a refused submission
leaves neither) and withdrawing one.

A form that sends personal data names the purposes it needs and hands in what the citizen
ticked (``ConsentInput``): ``consent_errors`` says, field by field, what is missing before
anything is stored; ``consents_record`` then writes the consents in the caller's transaction.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts.models import User
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import clock, crypto
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.privacy import selectors
from fengqiao.privacy.models import PHONE_CONTEXT, Consent, ConsentPurpose, PrivacyNotice


@dataclass(frozen=True, slots=True)
class ConsentInput:
    """What the citizen ticked on a form: the notice version the form showed and the purposes."""

    version: int | None = None
    purposes: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_form(cls, version: str, purposes: Iterable[str]) -> "ConsentInput":
        number = int(version) if version.strip().isdigit() else None
        return cls(version=number, purposes=frozenset(p for p in purposes if p))


def consent_field(purpose: str) -> str:
    """The form field a purpose's error belongs to (``consent_mediation``…)."""
    return f"consent_{purpose}"


def _missing_message(purpose: str) -> str:
    if purpose == ConsentPurpose.MEDIATION_SENSITIVE:
        return gettext(
            "You gave an ID number or evidence: please tick the separate consent to the "
            "processing of sensitive personal information, or leave them out."
        )
    return gettext("Please read the privacy notice and tick to agree before you submit.")


def consent_errors(
    *, phone_idx: str, needed: Iterable[str], given: ConsentInput
) -> dict[str, list[str]]:
    """Field errors for every purpose in ``needed`` that has no current consent: neither ticked
    now against the notice in force nor given before with this phone (index) and not withdrawn
    since. Reads only."""
    needed = list(dict.fromkeys(needed))
    if not needed:
        return {}
    notice = selectors.notice_current()
    if notice is None:
        message = gettext(
            "The privacy notice has not been published yet, so no personal information can "
            "be accepted. Please contact the mediation centre."
        )
        return {consent_field(p): [message] for p in needed}
    errors: dict[str, list[str]] = {}
    for purpose in needed:
        if selectors.consent_current(phone_idx=phone_idx, purpose=purpose, notice=notice):
            continue
        if purpose in given.purposes and given.version == notice.version:
            continue
        if purpose in given.purposes:
            message = gettext(
                "The privacy notice has been updated while this page was open. Please read "
                "the new version and tick again."
            )
        else:
            latest = selectors.consent_latest(phone_idx=phone_idx, purpose=purpose)
            if latest is not None and latest.withdrawn_at is not None:
                message = gettext(
                    "You withdrew this consent. To go on, read the notice and tick to agree again."
                )
            elif latest is not None:
                message = gettext(
                    "The privacy notice has been updated since you agreed. Please read the new "
                    "version and tick to agree again."
                )
            else:
                message = _missing_message(purpose)
        errors[consent_field(purpose)] = [message]
    return errors


def consents_record(
    *,
    phone: str,
    needed: Iterable[str],
    given: ConsentInput,
    source: str,
    offered: Iterable[str] = (),
) -> list[Consent]:
    """The current consents for ``needed``: those already given are kept, those ticked now are
    written and audited; so are the boxes of ``offered`` (the others the form showed) the
    citizen ticked though this submission did not need them. Call it inside the transaction
    that stores the data they cover.

    Raises:
        InvalidInput: a needed purpose has no current consent (``consent_errors``).
    """
    index = selectors.phone_index(phone)
    needed = list(dict.fromkeys(needed))
    extra = [p for p in offered if p in given.purposes and p not in needed]
    with transaction.atomic():
        errors = consent_errors(phone_idx=index, needed=needed, given=given)
        if errors:
            raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
        notice = selectors.notice_current()
        assert notice is not None  # noqa: S101  consent_errors refuses without one
        rows: list[Consent] = []
        plain = crypto.normalise_phone(phone)
        ticked = extra if given.version == notice.version else []
        for purpose in [*needed, *ticked]:
            row = selectors.consent_current(phone_idx=index, purpose=purpose, notice=notice)
            if row is None:
                row = Consent.objects.create(
                    notice=notice,
                    purpose=purpose,
                    phone_encrypted=crypto.encrypt(plain, context=PHONE_CONTEXT),
                    phone_index=index,
                    phone_masked=crypto.mask_phone(plain),
                    source=source,
                )
                record(
                    actor=None,
                    action=AuditAction.RECORD_CREATED,
                    target=row,
                    extra={
                        "consent": purpose,
                        "notice_version": notice.version,
                        "source": source,
                    },
                )
            rows.append(row)
    return rows


@transaction.atomic
def consent_withdraw(*, phone_idx: str, consent_id: int) -> Consent:
    """The citizen withdraws one of his consents (art.15): the time is stamped and audited;
    what was done before stays lawful and the records the law keeps are not deleted.
    Withdrawing twice changes nothing.

    Raises:
        NotFound: no such consent of this phone (the two are not told apart).
    """
    row = (
        Consent.objects.select_for_update().filter(pk=consent_id, phone_index=phone_idx).first()
        if phone_idx
        else None
    )
    if row is None:
        raise NotFound(gettext("No such consent."))
    if row.withdrawn_at is not None:
        return row
    row.withdrawn_at = clock.now()
    row.save(update_fields=["withdrawn_at"])
    record(
        actor=None,
        action=AuditAction.RECORD_CHANGED,
        target=row,
        changes={"withdrawn_at": [None, row.withdrawn_at.isoformat()]},
        extra={"consent": row.purpose, "notice_version": row.notice.version, "withdrawn": True},
    )
    return row


@transaction.atomic
def notice_publish(
    *,
    actor: User | None,
    title: str,
    text: str,
    controller_name: str,
    controller_contact: str,
    purposes: str,
    categories: str,
    sensitive: str,
    retention: str,
    recipients: str,
    rights: str,
    effective_from: datetime | None = None,
) -> PrivacyNotice:
    """Publish the next version of the notice; consents given against earlier versions then
    need renewing once it takes effect. Earlier versions are never changed.

    Raises:
        InvalidInput: an empty part (art.17 asks for every one of them).
    """
    parts = {
        "title": title,
        "text": text,
        "controller_name": controller_name,
        "controller_contact": controller_contact,
        "purposes": purposes,
        "categories": categories,
        "sensitive": sensitive,
        "retention": retention,
        "recipients": recipients,
        "rights": rights,
    }
    errors = {
        name: [gettext("This field is required.")]
        for name, value in parts.items()
        if not value.strip()
    }
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    last = PrivacyNotice.objects.select_for_update().order_by("-version").first()
    notice = PrivacyNotice.objects.create(
        version=(last.version + 1) if last else 1,
        effective_from=effective_from or clock.now(),
        created_by=actor,
        **{name: value.strip() for name, value in parts.items()},
    )
    record(
        actor=actor,
        action=AuditAction.SETTINGS_CHANGED,
        target=notice,
        extra={"privacy_notice": notice.version, "effective_from": notice.effective_from},
    )
    return notice
