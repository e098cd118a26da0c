"""Writes of the mediator roster (models in ``fengqiao.orgs.roster``): entries, training records
(人民调解法 art.14) and declared relationships (特邀调解规定 art.15 回避).

Whoever assigns cases over an organisation's region (``case.assign``) keeps its roster.
"""

from dataclasses import dataclass
from datetime import date
from typing import cast

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts.access import can
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.core import crypto, validators
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.orgs.models import (
    Mediator,
    MediatorConflict,
    MediatorKind,
    MediatorTraining,
    Organisation,
)

Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _raise(errors: Errors) -> None:
    if errors:
        raise InvalidInput(gettext("Please correct the errors below."), errors=errors)


def _keeper(actor: User, org: Organisation) -> None:
    """Outside the actor's reach an organisation is not found (404)."""
    if not can(actor, Capability.CASE_ASSIGN, prefix=org.region.code):
        raise NotFound(gettext("Not found."))


@dataclass(frozen=True, slots=True)
class MediatorDraft:
    """What the roster form sends, for a new entry or a change."""

    name: str
    kind: str
    specialties: tuple[str, ...] = ()
    dialects: str = ""
    area_prefix: str = ""
    court_id: int | None = None
    user_id: int | None = None


def _checked(draft: MediatorDraft) -> tuple[Organisation | None, User | None]:
    """The court and login the draft names; every problem at once, per field."""
    errors: Errors = {}
    if not draft.name.strip():
        _add(errors, "name", gettext("This field is required."))
    if draft.kind not in MediatorKind.values:
        _add(errors, "kind", gettext("Choose a value from the list."))
    court = None
    if draft.court_id:
        court = Organisation.objects.filter(pk=draft.court_id, kind="court").first()
        if court is None:
            _add(errors, "court_id", gettext("Choose a court."))
    if draft.kind == MediatorKind.INVITED and court is None:
        # 特邀调解规定 art.5: an invited mediator is on a court's name list.
        _add(errors, "court_id", gettext("An invited mediator is on a court's name list."))
    if draft.area_prefix and not draft.area_prefix.isdigit():
        _add(errors, "area_prefix", gettext("Enter a region code."))
    user = User.objects.filter(pk=draft.user_id).first() if draft.user_id else None
    if draft.user_id and user is None:
        _add(errors, "user_id", gettext("No such login."))
    _raise(errors)
    return court, user


@transaction.atomic
def mediator_create(
    *,
    actor: User,
    org_id: int,
    name: str,
    kind: str,
    specialties: list[str] | None = None,
    dialects: str = "",
    area_prefix: str = "",
    court_id: int | None = None,
    user_id: int | None = None,
) -> Mediator:
    org = Organisation.objects.select_related("region").filter(pk=org_id).first()
    if org is None:
        raise NotFound(gettext("Not found."))
    _keeper(actor, org)
    draft = MediatorDraft(
        name=name,
        kind=kind,
        specialties=tuple(specialties or ()),
        dialects=dialects,
        area_prefix=area_prefix,
        court_id=court_id,
        user_id=user_id,
    )
    court, user = _checked(draft)
    mediator = Mediator.objects.create(
        name=name.strip(),
        kind=kind,
        org=org,
        court=court,
        user=user,
        specialties=sorted(set(draft.specialties)),
        dialects=dialects.strip(),
        area_prefix=area_prefix,
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=mediator, org=org)
    return mediator


@transaction.atomic
def mediator_update(
    *, actor: User, mediator_id: int, draft: MediatorDraft, is_active: bool = True
) -> Mediator:
    """Change a roster entry; what changed is audited field by field. Taking someone off the
    roster (``is_active``) keeps their history and figures."""
    mediator = _mediator(actor, mediator_id)
    Mediator.objects.select_for_update().filter(pk=mediator.pk).first()
    court, user = _checked(draft)
    new = {
        "name": draft.name.strip(),
        "kind": draft.kind,
        "court_id": court.pk if court else None,
        "user_id": user.pk if user else None,
        "specialties": sorted(set(draft.specialties)),
        "dialects": draft.dialects.strip(),
        "area_prefix": draft.area_prefix,
        "is_active": is_active,
    }
    changes = {
        field: [getattr(mediator, field), value]
        for field, value in new.items()
        if getattr(mediator, field) != value
    }
    if changes:
        for field, value in new.items():
            setattr(mediator, field, value)
        mediator.save(update_fields=[f.removesuffix("_id") for f in changes])
        record(
            actor=actor,
            action=AuditAction.RECORD_CHANGED,
            target=mediator,
            org=mediator.org,
            changes=changes,
        )
    return mediator


def _mediator(actor: User, mediator_id: int) -> Mediator:
    mediator = Mediator.objects.select_related("org__region").filter(pk=mediator_id).first()
    if mediator is None:
        raise NotFound(gettext("Not found."))
    _keeper(actor, mediator.org)
    return mediator


@transaction.atomic
def mediator_set_availability(
    *, actor: User, mediator_id: int, is_available: bool, note: str = ""
) -> Mediator:
    mediator = _mediator(actor, mediator_id)
    mediator.is_available = is_available
    mediator.availability_note = note.strip()[:200]
    mediator.save(update_fields=["is_available", "availability_note"])
    record(
        actor=actor,
        action=AuditAction.RECORD_CHANGED,
        target=mediator,
        org=mediator.org,
        changes={"is_available": [not is_available, is_available]},
    )
    return mediator


@transaction.atomic
def training_add(
    *,
    actor: User,
    mediator_id: int,
    held_on: date | None,
    title: str,
    hours: float = 0,
    provider: str = "",
) -> MediatorTraining:
    """A training record (人民调解法 art.14: the justice bureau trains mediators regularly)."""
    mediator = _mediator(actor, mediator_id)
    errors: Errors = {}
    if held_on is None:
        _add(errors, "held_on", gettext("This field is required."))
    if not title.strip():
        _add(errors, "title", gettext("This field is required."))
    if hours < 0:
        _add(errors, "hours", gettext("Enter a number not below 0."))
    _raise(errors)
    item = MediatorTraining.objects.create(
        mediator=mediator,
        held_on=cast(date, held_on),
        title=title.strip(),
        hours=hours,
        provider=provider.strip(),
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=item, org=mediator.org)
    return item


@transaction.atomic
def conflict_declare(
    *,
    actor: User,
    mediator_id: int,
    person_name: str,
    relationship: str,
    declared_on: date,
    id_number: str = "",
) -> MediatorConflict:
    """A declared relationship: the mediator is not suggested for that person's cases
    (特邀调解规定 art.15; 深圳条例 art.23). The ID number is kept only as a blind index."""
    mediator = _mediator(actor, mediator_id)
    errors: Errors = {}
    if not person_name.strip():
        _add(errors, "person_name", gettext("This field is required."))
    if not relationship.strip():
        _add(errors, "relationship", gettext("This field is required."))
    if id_number.strip() and (problem := validators.id_number_problem(id_number)):
        _add(errors, "id_number", problem)
    _raise(errors)
    index = (
        crypto.blind_index(crypto.normalise_id_number(id_number), context="id_number")
        if id_number.strip()
        else ""
    )
    item = MediatorConflict.objects.create(
        mediator=mediator,
        person_name=person_name.strip(),
        relationship=relationship.strip(),
        declared_on=declared_on,
        id_number_index=index,
    )
    record(actor=actor, action=AuditAction.RECORD_CREATED, target=item, org=mediator.org)
    return item
