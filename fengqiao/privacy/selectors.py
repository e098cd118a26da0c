"""What the privacy side reads: the notice in force, a phone's consents and whether one is
current (given against the notice in force and not withdrawn)."""

from dataclasses import dataclass
from datetime import datetime

from fengqiao.core import clock, crypto
from fengqiao.privacy.models import Consent, ConsentPurpose, PrivacyNotice


def phone_index(phone: str) -> str:
    """The blind index the portal keeps of a phone (the same key and context), so a consent
    and an application of one phone match."""
    return crypto.blind_index(crypto.normalise_phone(phone), context="phone")


def notice_current(now: datetime | None = None) -> PrivacyNotice | None:
    """The newest version whose effective date has come; None when none was published."""
    return (
        PrivacyNotice.objects.filter(effective_from__lte=now or clock.now())
        .order_by("-version")
        .first()
    )


def consent_current(
    *, phone_idx: str, purpose: str, notice: PrivacyNotice | None
) -> Consent | None:
    """The phone's consent for ``purpose`` given against ``notice`` and not withdrawn."""
    if not phone_idx or notice is None:
        return None
    return (
        Consent.objects.filter(
            phone_index=phone_idx, purpose=purpose, notice=notice, withdrawn_at__isnull=True
        )
        .order_by("-given_at", "-id")
        .first()
    )


def consent_latest(*, phone_idx: str, purpose: str) -> Consent | None:
    """The phone's latest consent for ``purpose``, whatever its state (to say why it no
    longer counts: withdrawn, or given against an older notice)."""
    if not phone_idx:
        return None
    return (
        Consent.objects.select_related("notice")
        .filter(phone_index=phone_idx, purpose=purpose)
        .order_by("-given_at", "-id")
        .first()
    )


class ConsentState:
    CURRENT = "current"
    OUTDATED = "outdated"  # given against a notice that has since been replaced
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class ConsentRow:
    """One consent as its citizen sees it."""

    consent: Consent
    state: str
    purpose_label: str

    @property
    def may_withdraw(self) -> bool:
        return self.state != ConsentState.WITHDRAWN


def consents_of(*, phone_idx: str) -> list[ConsentRow]:
    """Every consent given with this phone, newest first, with its state."""
    if not phone_idx:
        return []
    current = notice_current()
    rows: list[ConsentRow] = []
    for consent in Consent.objects.select_related("notice").filter(phone_index=phone_idx):
        if consent.withdrawn_at is not None:
            state = ConsentState.WITHDRAWN
        elif current is None or consent.notice_id != current.pk:
            state = ConsentState.OUTDATED
        else:
            state = ConsentState.CURRENT
        label = (
            str(ConsentPurpose(consent.purpose).label)
            if consent.purpose in ConsentPurpose.values
            else consent.purpose
        )
        rows.append(ConsentRow(consent=consent, state=state, purpose_label=label))
    return rows


def withdrawn(*, phone_idx: str, purpose: str) -> Consent | None:
    """The phone's latest consent for ``purpose`` if it was withdrawn (none given since): what
    the handling unit is told on the case page."""
    latest = consent_latest(phone_idx=phone_idx, purpose=purpose)
    return latest if latest is not None and latest.withdrawn_at is not None else None
