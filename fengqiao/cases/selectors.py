"""Reads of cases, always scoped to what the actor may see; out of scope looks exactly like
missing."""

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases.choices import OPEN_STATUSES, CaseStatus
from fengqiao.cases.models import Case, CaseEvent, Party
from fengqiao.core import clock, crypto
from fengqiao.core.calendar import add_days
from fengqiao.core.collation import code_point_order
from fengqiao.core.exceptions import NotFound

FTS_MIN_CHARS = 3  # the trigram tokenizer cannot match shorter queries (STACK.md)
NAME_MAX_CHARS = 100  # Party.name's length: longer text cannot be a name


@dataclass(frozen=True, slots=True)
class CaseFilters:
    """The list filters shared by the case list page and the API (parsed by ``CaseFilterForm``)."""

    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    category: str = ""
    level: int | None = None
    region_prefix: str = ""
    created_from: date | None = None
    created_to: date | None = None
    overdue: bool | None = None
    text: str = ""
    mine: bool = False
    order: str = ""  # a CaseOrder


class CaseOrder(StrEnum):
    """How the case list is ordered: newest first, or by a unit's, place's or party's name in
    pinyin (issue #16), not by code point."""

    NEWEST = ""
    UNIT = "unit"
    PLACE = "place"
    PARTY = "party"


def _base(actor: User) -> QuerySet[Case]:
    return Case.objects.within(access.scope_prefixes(actor, Capability.CASE_VIEW))


def case_list_for(*, actor: User, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the actor may view, narrowed by ``filters``, newest first, with what list pages
    show."""
    queryset = _base(actor).select_related("handling_org", "category", "region", "assignee")
    if filters is None:
        return queryset.order_by("-created_at", "-id")
    queryset = _apply_filters(queryset, filters, actor=actor)
    if filters.order == CaseOrder.PARTY:
        queryset = queryset.annotate(first_party_name=Subquery(_first_party().values("name")[:1]))
    return queryset.order_by(*_ordering(filters.order))


def _first_party() -> QuerySet[Party]:
    return Party.objects.filter(case=OuterRef("pk")).order_by("id")


def _ordering(order: str) -> list[Any]:
    """By the pinyin sort key stored with each name (``core.collation``), homophones by the name
    itself, then newest first; NULLs (a case without parties) last on both databases."""
    names: list[Any] = []
    if order == CaseOrder.UNIT:
        names = [F("handling_org__name_key"), F("handling_org__name")]
    elif order == CaseOrder.PLACE:
        names = [F("region__name_key"), F("region__name")]
    elif order == CaseOrder.PARTY:
        first = _first_party()
        names = [Subquery(first.values("name_key")[:1]), Subquery(first.values("name")[:1])]
    return [
        *(code_point_order(name).asc(nulls_last=True) for name in names),
        "-created_at",
        "-id",
    ]


def _apply_filters(
    queryset: QuerySet[Case], filters: CaseFilters, *, actor: User
) -> QuerySet[Case]:
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    if filters.channels:
        queryset = queryset.filter(channel__in=filters.channels)
    if filters.category:
        queryset = queryset.filter(
            Q(category__code=filters.category) | Q(subcategory__code=filters.category)
        )
    if filters.level is not None:
        queryset = queryset.filter(handling_org__region__level=filters.level)
    if filters.region_prefix:
        queryset = queryset.filter(place_prefix__startswith=filters.region_prefix)
    if filters.created_from:
        queryset = queryset.filter(created_at__date__gte=filters.created_from)
    if filters.created_to:
        queryset = queryset.filter(created_at__date__lte=filters.created_to)
    if filters.overdue is not None:
        overdue = Q(
            due_date__lt=clock.today(),
            status__in=OPEN_STATUSES,
            deadline_paused_at__isnull=True,
        )
        queryset = queryset.filter(overdue) if filters.overdue else queryset.exclude(overdue)
    if filters.mine:
        queryset = queryset.filter(assignee=actor)
    if filters.text:
        queryset = search(queryset, filters.text)
    return queryset


def search(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Find cases by what staff remember: a party's name (exact, leading part, or any part of
    3+ characters), a phone (full, or its last four digits), an ID number, the start of a case
    or source number, or words of the title and description.

    Each way is its own indexed branch of one ``UNION`` the scoped list then joins, so no branch
    scans the table for another's sake. Party identifiers match through blind indexes only; the
    plain values are never compared. An all-digit query (phone, tail, ID, number) skips the text
    branches: "8000" means a phone tail or a number, not every description with 8000 in it.
    """
    text = text.strip()
    if not text:
        return queryset
    branches: list[QuerySet[Any]] = [
        Case.objects.filter(number__startswith=text.upper()).values("pk"),
        Case.objects.filter(source_ref__startswith=text).values("pk"),
    ]
    people = _people_q(text)
    if people is not None:
        branches.append(Party.objects.filter(people).values("case_id"))
    if not _is_identifier(text):
        branches.append(_text_matches(text))
    first, *rest = (branch.order_by() for branch in branches)  # models' orderings: not in UNION
    return queryset.filter(pk__in=first.union(*rest))


def _is_identifier(text: str) -> bool:
    return re.fullmatch(r"[\d\s+\-xX]+", text) is not None


def _people_q(text: str) -> Q | None:
    """Parties matching ``text`` as an ID number, a phone, a phone tail, or a name."""
    compact = re.sub(r"[\s\-]", "", text)
    if re.fullmatch(r"\d{17}[\dXx]|\d{15}", compact):
        value = crypto.normalise_id_number(compact)
        return Q(id_number_index=crypto.blind_index(value, context="id_number"))
    if re.fullmatch(r"\d{4}", compact):
        return Q(phone_tail_index=crypto.phone_tail_index(compact))
    phone = crypto.normalise_phone(compact)
    if re.fullmatch(r"\+?\d{7,14}", compact):
        return Q(phone_index=crypto.blind_index(phone, context="phone"))
    if _is_identifier(text) or len(text) > NAME_MAX_CHARS:
        return None
    # Leading part on the btree; any part once the pg_trgm index can serve it (3+ characters).
    names = Q(name__startswith=text)
    if len(text) >= FTS_MIN_CHARS:
        names |= Q(name__contains=text)
    return names & Q(anonymised_at__isnull=True)


def _text_matches(text: str) -> QuerySet[Any]:
    """Cases whose title or description contains ``text``.

    SQLite: the FTS5 trigram index for 3+ characters; shorter queries scan the base table, because
    trigram cannot match them and SQLite 3.40's LIKE on the FTS table is broken for short CJK
    (STACK.md). PostgreSQL: ``LIKE`` served by the pg_trgm GIN indexes (``__contains``, never
    ``__icontains``, which the index cannot serve).
    """
    if connection.vendor == "sqlite" and len(text) >= FTS_MIN_CHARS:
        phrase = '"' + text.replace('"', '""') + '"'
        matches = RawSQL(
            "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s", (phrase,)
        )
        return Case.objects.filter(pk__in=matches).values("pk")
    return Case.objects.filter(Q(title__contains=text) | Q(description__contains=text)).values("pk")


DETAIL_RELATIONS = (
    "handling_org__region",
    "category",
    "subcategory",
    "region",
    "grid",
    "assignee",
    "lead",
    "registering_org",
    "registered_by",
    "transfer_from",
)


def case_get_for(*, actor: User, case_id: int, lock: bool = False) -> Case:
    """One case the actor may view; missing and out-of-jurisdiction raise the same ``NotFound``.

    With ``lock=True`` the row is locked until the caller's transaction ends.
    """
    if lock:
        # The executor needs only what guards and effects read. Each extra join costs PostgreSQL
        # planning time on every action (~20 ms for the page's twelve), paid inside the lock.
        queryset = (
            _base(actor)
            .select_related("handling_org__region", "transfer_from")
            .select_for_update(of=("self",))
        )
    else:
        queryset = _base(actor).select_related(*DETAIL_RELATIONS)
    try:
        return queryset.get(pk=case_id)
    except (Case.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("Case not found.")) from None


def case_events_for(*, actor: User, case: Case) -> QuerySet[CaseEvent]:
    """The timeline of a case already fetched through ``case_get_for``, oldest first; a primary
    case shows the events of the cases merged into it too (并案 keeps every event)."""
    ids = [case.pk, *merged_case_ids(case)]
    return (
        CaseEvent.objects.filter(case_id__in=ids)
        .select_related("org", "case")
        .order_by("occurred_at", "case_id", "seq")
    )


def merged_case_ids(case: Case) -> list[int]:
    """Every case merged into ``case``, directly or through a case merged into it."""
    found: list[int] = []
    frontier = [case.pk]
    while frontier:
        frontier = list(
            Case.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
        )
        found.extend(frontier)
    return found


def led_by_for(*, actor: User) -> QuerySet[Case]:
    """包案: open cases the actor leads as responsible leader, overdue first (issue #21: the
    leader had no list of them)."""
    return (
        case_list_for(actor=actor)
        .filter(lead=actor, status__in=OPEN_STATUSES)
        .order_by(F("due_date").asc(nulls_last=True), "-created_at", "-id")
    )


def todo_for(*, actor: User) -> QuerySet[Case]:
    """我的待办: open cases assigned to the actor or handled by the actor's units, overdue first."""
    mine = Q(assignee=actor) | Q(handling_org_id__in=access.home_org_ids(actor))
    return (
        case_list_for(actor=actor)
        .filter(mine, status__in=OPEN_STATUSES)
        .order_by(F("due_date").asc(nulls_last=True), "-created_at", "-id")  # overdue first
    )


class TodoQueue(StrEnum):
    """The work queues of 我的待办, in the order the page shows them."""

    TRANSFERS = "transfers"  # 移交/上报 waiting for me (or my unit) to receive
    LED = "led"  # 包案
    MINE = "mine"  # 我承办的
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UNIT = "unit"  # 本单位的, not assigned to me


def todo_queue_for(*, actor: User, queue: TodoQueue) -> QuerySet[Case]:
    """One queue of 我的待办, whole (the caller pages it), overdue first.

    Each queue is its own query, so a unit's thousands of cases never crowd the actor's own out
    of a shared cut-off (#16: "本单位的 200" of 5,015 hid the one case assigned to the clerk).
    """
    if queue == TodoQueue.LED:
        return led_by_for(actor=actor)
    cases = case_list_for(actor=actor).filter(status__in=OPEN_STATUSES)
    today = clock.today()
    running = Q(deadline_paused_at__isnull=True)
    ours = Q(assignee=actor) | Q(handling_org_id__in=access.home_org_ids(actor))
    if queue == TodoQueue.TRANSFERS:
        receivers = access.org_ids_with(actor, Capability.CASE_ACCEPT)
        cases = cases.filter(status=CaseStatus.TRANSFERRING, handling_org_id__in=receivers)
    elif queue == TodoQueue.MINE:
        cases = cases.filter(assignee=actor)
    elif queue == TodoQueue.UNIT:
        cases = cases.filter(handling_org_id__in=access.home_org_ids(actor)).exclude(assignee=actor)
    elif queue == TodoQueue.OVERDUE:
        cases = cases.filter(ours, running, due_date__lt=today)
    elif queue == TodoQueue.DUE_SOON:
        horizon = add_days(today, due_soon_days(), working=False)
        cases = cases.filter(ours, running, due_date__gte=today, due_date__lte=horizon)
    return cases.order_by(F("due_date").asc(nulls_last=True), "-created_at", "-id")


def due_soon_days() -> int:
    """Days ahead that count as "due soon" (the same setting as the due-soon notices)."""
    return int(settings.FENGQIAO_DUE_SOON_DAYS)
