"""Personal-data duties towards the parties (个人信息保护法): erase what is held once the
retention period of a closed case has run out (art.47), and tell a person everything held about
them when they ask (art.45). Both are audited."""

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases.choices import CaseStatus
from fengqiao.cases.models import Case, Party
from fengqiao.core import clock, crypto

ANONYMOUS = "（已匿名）"


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Cases closed before this moment have outlived FENGQIAO_PARTY_RETENTION_YEARS."""
    years = int(getattr(settings, "FENGQIAO_PARTY_RETENTION_YEARS", 30))
    return (now or clock.now()) - timedelta(days=round(365.25 * years))


def parties_anonymise_expired(
    *, actor: User, now: datetime | None = None, dry_run: bool = False
) -> int:
    """Erase the names, ID numbers, phones, addresses and particulars of the parties of cases
    closed longer ago than the retention period; the case, its figures and its ledger stay.
    Returns how many parties were (or, with ``dry_run``, would be) anonymised."""
    expired = Party.objects.filter(
        anonymised_at__isnull=True,
        case__status=CaseStatus.CLOSED,
        case__status_changed_at__lt=retention_cutoff(now),
    )
    if dry_run:
        return expired.count()
    total = 0
    while True:
        with transaction.atomic():
            batch = list(expired.select_for_update(of=("self",)).order_by("pk")[:500])
            if not batch:
                return total
            stamp = clock.now()
            for party in batch:
                party.set_name(ANONYMOUS)
                party.region = None
                party.particulars_masked = {}
                for field in (
                    "id_number_encrypted",
                    "id_number_index",
                    "id_number_masked",
                    "phone_encrypted",
                    "phone_index",
                    "phone_tail_index",
                    "phone_masked",
                    "particulars_encrypted",
                    "address_encrypted",
                    "address_masked",
                ):
                    setattr(party, field, "")
                party.anonymised_at = stamp
            Party.objects.bulk_update(
                batch,
                [
                    "name",
                    "name_key",
                    "region",
                    "id_number_encrypted",
                    "id_number_index",
                    "id_number_masked",
                    "phone_encrypted",
                    "phone_index",
                    "phone_tail_index",
                    "phone_masked",
                    "particulars_encrypted",
                    "particulars_masked",
                    "address_encrypted",
                    "address_masked",
                    "anonymised_at",
                ],
            )
            for case_id in sorted({p.case_id for p in batch}):
                record(
                    actor=actor,
                    action=AuditAction.RECORD_CHANGED,
                    target=Case.objects.get(pk=case_id),
                    extra={"anonymised_parties": sum(p.case_id == case_id for p in batch)},
                )
            total += len(batch)


@dataclass(frozen=True, slots=True)
class HeldRecord:
    case_number: str
    case_title: str
    registered: datetime
    status: str
    role: str
    name: str
    id_number: str
    phone: str
    address: str
    # 性别, 民族, 出生日期, 职业…: code → value, only those held (issue #14)
    particulars: dict[str, str] = dataclasses.field(default_factory=dict)


def person_report(*, actor: User, id_number: str = "", phone: str = "") -> list[HeldRecord]:
    """Everything held about the person with this ID number or phone, in the cases within the
    actor's reach for unmasking (an access request, 个人信息保护法 art.45). Audited without the
    identifier itself."""
    indexes = []
    if id_number:
        value = crypto.normalise_id_number(id_number)
        indexes.append(("id_number_index", crypto.blind_index(value, context="id_number")))
    if phone:
        value = crypto.normalise_phone(phone)
        indexes.append(("phone_index", crypto.blind_index(value, context="phone")))
    if not indexes:
        return []
    prefixes = access.scope_prefixes(actor, Capability.PII_UNMASK)
    parties = Party.objects.none()
    for field, index in indexes:
        parties = parties | Party.objects.filter(**{field: index})
    found = [
        p
        for p in parties.select_related("case").order_by("case__created_at", "pk")
        if any(p.case.handling_prefix.startswith(x) for x in prefixes)
    ]
    records = []
    for party in found:
        plain = party.reveal()
        records.append(
            HeldRecord(
                case_number=party.case.number,
                case_title=party.case.title,
                registered=party.case.created_at,
                status=str(party.case.get_status_display()),
                role=str(party.get_role_display()),
                name=party.name,
                id_number=plain["id_number"],
                phone=plain["phone"],
                address=plain["address"],
                particulars={
                    k: v for k, v in plain.items() if v and k not in ("id_number", "phone")
                },
            )
        )
    record(
        actor=actor,
        action=AuditAction.DATA_EXPORTED,
        target=actor,
        extra={"access_request": True, "records": len(records)},
    )
    return records
