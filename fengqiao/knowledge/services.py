"""Writes of the knowledge base: entries by staff, a typical case drafted from a closed case
through anonymisation and published only after review, and citations from cases."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors as case_selectors
from fengqiao.cases.choices import CaseStatus, EventKind
from fengqiao.cases.models import Case, DisputeCategory
from fengqiao.cases.services import case_record_event
from fengqiao.core import clock
from fengqiao.core.exceptions import ConflictError, InvalidInput, NotFound, PermissionDeniedError
from fengqiao.knowledge.anonymise import Person, anonymise, leftovers
from fengqiao.knowledge.choices import CitedIn, EntryKind, EntryStatus, Visibility
from fengqiao.knowledge.models import Citation, Entry


@dataclass(frozen=True, slots=True)
class EntryDraft:
    """What staff type for an entry."""

    kind: str
    title: str
    body: str
    category_code: str = ""
    law_name: str = ""
    article_no: str = ""
    visibility: str = Visibility.PUBLIC
    code: str = ""


def _require_editor(actor: User) -> None:
    if not access.scope_prefixes(actor, Capability.KNOWLEDGE_EDIT):
        raise PermissionDeniedError(gettext("You are not allowed to edit the knowledge base."))


def _category(code: str) -> DisputeCategory | None:
    if not code:
        return None
    found = DisputeCategory.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"category": [gettext("Unknown dispute category.")]},
        )
    return found


def _draft_errors(draft: EntryDraft) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if draft.kind not in EntryKind.values:
        errors["kind"] = [gettext("Choose what kind of entry this is.")]
    if not draft.title.strip():
        errors["title"] = [gettext("This field is required.")]
    if not draft.body.strip():
        errors["body"] = [gettext("This field is required.")]
    if draft.kind == EntryKind.LAW and not draft.law_name.strip():
        errors["law_name"] = [gettext("Name the law or regulation the article belongs to.")]
    if draft.visibility not in Visibility.values:
        errors["visibility"] = [gettext("Choose who may read the entry.")]
    return errors


@transaction.atomic
def entry_create(*, actor: User, draft: EntryDraft) -> Entry:
    """A new entry written by an editor, published at once: staff entered the text themselves.

    Raises:
        PermissionDeniedError: the actor may not edit the knowledge base.
        InvalidInput: field-level errors.
    """
    _require_editor(actor)
    errors = _draft_errors(draft)
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    now = clock.now()
    code = draft.code.strip() or f"{draft.kind}-{get_random_string(10).lower()}"
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                code=code,
                kind=draft.kind,
                title=draft.title.strip(),
                body=draft.body.strip(),
                law_name=draft.law_name.strip(),
                article_no=draft.article_no.strip(),
                category=_category(draft.category_code),
                visibility=draft.visibility,
                status=EntryStatus.PUBLISHED,
                created_by=actor,
                reviewed_by=actor,
                published_at=now,
            )
    except IntegrityError:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"code": [gettext("An entry with this code exists already.")]},
        ) from None
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=entry, extra={"kind": entry.kind})
    return entry


def _people(case: Case) -> list[Person]:
    return [Person(p.name, p.address_plain()) for p in case.parties.all()]


@transaction.atomic
def case_example_draft(*, actor: User, case_id: int) -> Entry:
    """Draft a 典型案例 from a closed case: names become 张某, ID numbers, phones and addresses
    are removed; it stays an internal draft until ``entry_publish``.

    Raises:
        NotFound: the case is missing or outside the actor's jurisdiction.
        PermissionDeniedError: the actor may not edit the knowledge base.
        ConflictError: the case is not closed yet.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    _require_editor(actor)
    if case.status != CaseStatus.CLOSED:
        raise ConflictError(gettext("Only a closed case can become a typical case."))
    people = _people(case)
    addresses = [case.address]

    def clean(text: str) -> str:
        return anonymise(text, people=people, addresses=addresses)

    parts = [clean(case.description)]
    if case.claims:
        parts.append(gettext("Claims: {claims}").format(claims=clean(case.claims)))
    parts.append(gettext("Outcome: {outcome}").format(outcome=case.get_outcome_display()))
    entry = Entry.objects.create(
        code=f"case-{case.pk}-{get_random_string(6).lower()}",
        kind=EntryKind.CASE,
        title=clean(case.title),
        body="\n\n".join(parts),
        category=case.category,
        visibility=Visibility.INTERNAL,
        status=EntryStatus.DRAFT,
        source_case=case,
        created_by=actor,
    )
    record(
        actor=actor,
        action=AuditAction.RECORD_CREATED,
        target=entry,
        org=case.handling_org,
        extra={"kind": entry.kind, "from_case": case.pk},
    )
    return entry


def entry_findings(entry: Entry) -> list[str]:
    """What in a draft still identifies a party of its source case (the reviewer's check)."""
    people = _people(entry.source_case) if entry.source_case else []
    addresses = [entry.source_case.address] if entry.source_case else []
    return leftovers(entry.title + "\n" + entry.body, people=people, addresses=addresses)


@transaction.atomic
def entry_review(
    *, actor: User, entry_id: int, title: str, body: str, visibility: str, publish: bool
) -> Entry:
    """The reviewer edits a draft and publishes it; a draft promoted from a case is published
    only by someone other than its author and only once nothing identifying is left.

    Raises:
        NotFound, PermissionDeniedError, ConflictError (not a draft), InvalidInput (identifying
        text left, or the author reviewing their own draft).
    """
    _require_editor(actor)
    entry = Entry.objects.select_for_update(of=("self",)).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound(gettext("Entry not found."))
    if entry.status != EntryStatus.DRAFT:
        raise ConflictError(gettext("Only a draft can be reviewed."))
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [gettext("This field is required.")]
    if not body.strip():
        errors["body"] = [gettext("This field is required.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [gettext("Choose who may read the entry.")]
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)
    entry.title, entry.body, entry.visibility = title.strip(), body.strip(), visibility
    fields = ["title", "body", "visibility", "updated_at"]
    if publish:
        found = entry_findings(entry)
        if found:
            raise InvalidInput(
                gettext("Please correct the errors below."),
                errors={
                    "body": [
                        gettext("Still identifies someone: {found}").format(
                            found="、".join(sorted(set(found)))
                        )
                    ]
                },
            )
        if entry.source_case_id and entry.created_by_id == actor.pk:
            raise InvalidInput(
                gettext("Please correct the errors below."),
                errors={"form": [gettext("Another editor must review a case you drafted.")]},
            )
        entry.status, entry.reviewed_by, entry.published_at = (
            EntryStatus.PUBLISHED,
            actor,
            clock.now(),
        )
        fields += ["status", "reviewed_by", "published_at"]
    entry.save(update_fields=fields)
    record(
        actor=actor,
        action=AuditAction.RECORD_CHANGED,
        target=entry,
        changes={"status": entry.status, "visibility": entry.visibility},
    )
    return entry


@transaction.atomic
def citation_add(
    *, actor: User, case_id: int, entry_id: int, cited_in: str, note: str = ""
) -> Citation:
    """Cite a published entry in a case, its mediation record or its agreement; a timeline
    event says so.

    Raises:
        NotFound: case or entry missing or not visible; PermissionDeniedError: the actor may not
        mediate the case; InvalidInput: unknown place of citation; ConflictError: cited already.
    """
    case = case_selectors.case_get_for(actor=actor, case_id=case_id)
    access.require(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    if cited_in not in CitedIn.values:
        raise InvalidInput(
            gettext("Please correct the errors below."),
            errors={"cited_in": [gettext("Choose where the entry is cited.")]},
        )
    entry = Entry.objects.filter(pk=entry_id, status=EntryStatus.PUBLISHED).first()
    if entry is None:
        raise NotFound(gettext("Entry not found."))
    if Citation.objects.filter(entry=entry, case=case, cited_in=cited_in).exists():
        raise ConflictError(gettext("This entry is cited there already."))
    citation = Citation.objects.create(
        entry=entry, case=case, cited_in=cited_in, note=note.strip()[:200], cited_by=actor
    )
    case_record_event(
        actor=actor,
        case_id=case.pk,
        kind=EventKind.NOTE_ADDED,
        data={"note": entry.title, "citation": entry.code, "cited_in": cited_in},
    )
    record(
        actor=actor,
        action=AuditAction.CASE_RECORDED,
        target=case,
        org=case.handling_org,
        extra={"citation": entry.code, "cited_in": cited_in},
    )
    return citation
