"""Reads of the knowledge base. Citizens (no account) see published public entries; staff see
every published entry, and drafts only where they may edit the base (they review them)."""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.cases.models import Case
from fengqiao.core.exceptions import NotFound
from fengqiao.knowledge.choices import EntryStatus, Visibility
from fengqiao.knowledge.models import Citation, Entry

FTS_MIN_CHARS = 3  # the trigram tokenizer cannot match shorter queries (STACK.md)


@dataclass(frozen=True, slots=True)
class EntryFilters:
    text: str = ""
    kind: str = ""
    category: str = ""  # a category code; its subcategories are included
    status: str = ""  # only for editors: "draft" lists what awaits review


def is_staff(actor: User | AnonymousUser) -> bool:
    return isinstance(actor, User) and bool(access.grants_for(actor))


def can_edit(actor: User | AnonymousUser) -> bool:
    return isinstance(actor, User) and bool(access.scope_prefixes(actor, Capability.KNOWLEDGE_EDIT))


def _visible(actor: User | AnonymousUser, *, public_only: bool) -> QuerySet[Entry]:
    entries = Entry.objects.all()
    if public_only or not is_staff(actor):
        return entries.filter(status=EntryStatus.PUBLISHED, visibility=Visibility.PUBLIC)
    if can_edit(actor):
        return entries
    return entries.filter(status=EntryStatus.PUBLISHED)


def search(queryset: QuerySet[Entry], text: str) -> QuerySet[Entry]:
    """Chinese substring search over title and text, on the same engines as case search:
    SQLite FTS5 trigram for 3+ characters, else a scan of the base table (SQLite 3.40's LIKE on
    the FTS table fails on short CJK); PostgreSQL ``LIKE`` served by pg_trgm GIN indexes."""
    text = text.strip()
    if not text:
        return queryset
    if connection.vendor == "sqlite" and len(text) >= FTS_MIN_CHARS:
        phrase = '"' + text.replace('"', '""') + '"'
        matches = RawSQL(
            "SELECT rowid FROM knowledge_entry_fts WHERE knowledge_entry_fts MATCH %s", (phrase,)
        )
        # law names are short and few: scanned, so 民法典 finds every article of it
        return queryset.filter(Q(pk__in=matches) | Q(law_name__contains=text))
    return queryset.filter(
        Q(title__contains=text) | Q(body__contains=text) | Q(law_name__contains=text)
    )


def entry_list_for(
    *, actor: User | AnonymousUser, filters: EntryFilters, public_only: bool = False
) -> QuerySet[Entry]:
    """Entries the actor may read, narrowed by ``filters``: laws first, then cases and Q&A."""
    entries = _visible(actor, public_only=public_only).select_related("category")
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.category:
        entries = entries.filter(
            Q(category__code=filters.category) | Q(category__parent__code=filters.category)
        )
    if filters.status and can_edit(actor) and not public_only:
        entries = entries.filter(status=filters.status)
    return search(entries, filters.text).order_by("kind", "code")


def entry_get_for(
    *, actor: User | AnonymousUser, entry_id: int, public_only: bool = False
) -> Entry:
    """One readable entry; a draft or internal entry looks missing to those who may not read it.

    Raises:
        NotFound: missing or not readable by the actor.
    """
    try:
        return (
            _visible(actor, public_only=public_only)
            .select_related("category", "source_case", "created_by", "reviewed_by")
            .get(pk=entry_id)
        )
    except (Entry.DoesNotExist, ValueError, TypeError):
        raise NotFound(gettext("Entry not found.")) from None


def entries_by_code(*, codes: list[str], public_only: bool) -> list[Entry]:
    """Published entries named by code, in the order given (self-help outcomes list them)."""
    entries = Entry.objects.filter(code__in=codes, status=EntryStatus.PUBLISHED)
    if public_only:
        entries = entries.filter(visibility=Visibility.PUBLIC)
    found = {e.code: e for e in entries}
    return [found[c] for c in codes if c in found]


def citations_of(*, case: Case) -> QuerySet[Citation]:
    """The entries cited in a case already fetched through ``case_get_for``."""
    return Citation.objects.filter(case=case).select_related("entry", "cited_by")
