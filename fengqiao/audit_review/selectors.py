"""Reading the audit log: only for audit administrators (三员分立), only within their
jurisdiction, newest first, paged by id so a log of millions of rows pages in constant time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from fengqiao.accounts import access
from fengqiao.accounts.models import Membership, User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditEntry
from fengqiao.core.exceptions import PermissionDeniedError
from fengqiao.regions.models import within_q

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class AuditQuery:
    actor: str = ""  # username, exact or a part of it
    action: str = ""
    target: str = ""  # part of the target's description (a case number, a username…)
    date_from: date | None = None
    date_to: date | None = None
    ip_address: str = ""


def audit_scope(actor: User) -> Q:
    """Entries of organisations in the administrator's subtrees, and entries without an
    organisation (sign-ins, jobs) by people who work there or by nobody signed in."""
    prefixes = access.scope_prefixes(actor, Capability.AUDIT_VIEW)
    if not prefixes:
        raise PermissionDeniedError("audit")
    people = Membership.objects.filter(within_q("region__code", prefixes)).values("user_id")
    return (
        Q(org__isnull=True, actor__isnull=True)
        | within_q("org__region__code", prefixes)
        | Q(org__isnull=True, actor_id__in=people)
    )


def audit_entries(*, actor: User, query: AuditQuery) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.filter(audit_scope(actor))
    if query.actor:
        entries = entries.filter(actor_name__icontains=query.actor)
    if query.action:
        entries = entries.filter(action=query.action)
    if query.target:
        entries = entries.filter(target_repr__icontains=query.target)
    if query.ip_address:
        entries = entries.filter(ip_address=query.ip_address)
    zone = timezone.get_current_timezone()
    if query.date_from:
        entries = entries.filter(occurred_at__gte=datetime.combine(query.date_from, time(), zone))
    if query.date_to:
        end = datetime.combine(query.date_to + timedelta(days=1), time(), zone)
        entries = entries.filter(occurred_at__lt=end)
    return entries.select_related("org").order_by("-id")


def audit_page(
    *, actor: User, query: AuditQuery, before: int | None = None
) -> tuple[list[AuditEntry], int | None]:
    """One page of entries older than id ``before``, and the id to ask for the next page."""
    entries = audit_entries(actor=actor, query=query)
    if before is not None:
        entries = entries.filter(id__lt=before)
    rows = list(entries[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (rows[-1].pk if more and rows else None)
