"""Writes to a party's particulars (当事人基本情况), completed by the mediator once mediation
starts (人民调解法 arts.28–29); intake asks only for a name (issue #14)."""

from dataclasses import dataclass, fields
from datetime import date

from django.db import transaction
from django.utils.translation import gettext

from fengqiao.accounts import access
from fengqiao.accounts.models import User
from fengqiao.accounts.roles import Capability
from fengqiao.audit.models import AuditAction
from fengqiao.audit.services import record
from fengqiao.cases import selectors
from fengqiao.cases.choices import ETHNIC_GROUPS, Gender, IdType, PartyKind
from fengqiao.cases.models import Party
from fengqiao.cases.particulars import Particulars, derived_from_id_number
from fengqiao.core import clock, crypto
from fengqiao.core.exceptions import InvalidInput, NotFound
from fengqiao.core.validators import id_number_problem, phone_problem, uscc_problem

Errors = dict[str, list[str]]
PERSON_ID_TYPES = frozenset(IdType.values) - {IdType.CREDIT_CODE}
ORGANISATION_ID_TYPES = frozenset({IdType.CREDIT_CODE, IdType.OTHER})


@dataclass(frozen=True, slots=True)
class ParticularsDraft:
    """What the mediator entered; an empty value keeps what is held (the form never shows the
    held values in clear, so it cannot send them back)."""

    gender: str = ""
    ethnicity: str = ""
    birth_date: date | None = None
    occupation: str = ""
    address: str = ""
    id_type: str = ""
    id_number: str = ""
    phone: str = ""
    representative: str = ""
    representative_title: str = ""
    agent: str = ""


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _check_lengths(errors: Errors, draft: ParticularsDraft) -> None:
    for name, limit in (
        ("occupation", 100),
        ("address", 200),
        ("representative", 100),
        ("representative_title", 50),
        ("agent", 100),
    ):
        if len(getattr(draft, name).strip()) > limit:
            _add(errors, name, gettext("At most %(n)s characters.") % {"n": limit})


def _check_identity(errors: Errors, party: Party, draft: ParticularsDraft, id_type: str) -> None:
    allowed = ORGANISATION_ID_TYPES if party.kind == PartyKind.ORGANISATION else PERSON_ID_TYPES
    if id_type and id_type not in allowed:
        _add(errors, "id_type", gettext("Choose a value from the list."))
    number = crypto.normalise_id_number(draft.id_number)
    if number and not id_type:
        _add(errors, "id_type", gettext("Choose the type of the certificate."))
    if number and id_type == IdType.RESIDENT_ID and (problem := id_number_problem(number)):
        _add(errors, "id_number", problem)
    if number and id_type == IdType.CREDIT_CODE and (problem := uscc_problem(number)):
        _add(errors, "id_number", problem)
    if draft.phone and (problem := phone_problem(draft.phone)):
        _add(errors, "phone", problem)


def _check_person(errors: Errors, draft: ParticularsDraft, from_id: Particulars) -> None:
    if draft.gender and draft.gender not in Gender.values:
        _add(errors, "gender", gettext("Choose a value from the list."))
    if draft.ethnicity and draft.ethnicity not in ETHNIC_GROUPS:
        _add(errors, "ethnicity", gettext("Choose a value from the list."))
    if draft.birth_date and not date(1900, 1, 1) <= draft.birth_date <= clock.today():
        _add(errors, "birth_date", gettext("Enter a date of birth between 1900 and today."))
    if from_id.gender and draft.gender and draft.gender != from_id.gender:
        _add(errors, "gender", gettext("The gender does not match the resident ID number."))
    if from_id.birth_date and draft.birth_date and draft.birth_date != from_id.birth_date:
        _add(
            errors,
            "birth_date",
            gettext("The date of birth does not match the resident ID number."),
        )


@transaction.atomic
def party_particulars_record(
    *, actor: User, case_id: int, party_id: int, draft: ParticularsDraft
) -> Party:
    """Complete or correct one party's particulars; empty fields keep what is held. 性别 and
    出生日期 default to what a valid 居民身份证 number says. Audited with the names of the
    fields changed, never their values.

    Raises:
        NotFound: the case or party is not visible to the actor.
        PermissionDeniedError: the actor may not mediate this case.
        InvalidInput: the case is no longer open, or a value is invalid (field → messages).
    """
    case = selectors.case_get_for(actor=actor, case_id=case_id, lock=True)
    party = Party.objects.select_for_update(of=("self",)).filter(case=case, pk=party_id).first()
    if party is None:
        raise NotFound(gettext("Party not found."))
    access.require(actor, Capability.CASE_MEDIATE, prefix=case.handling_prefix)
    errors: Errors = {}
    if not case.is_open or party.anonymised_at:
        raise InvalidInput(gettext("The particulars of a closed case cannot be changed."))
    id_type = draft.id_type or party.id_type
    number = crypto.normalise_id_number(draft.id_number)
    if not id_type and party.kind == PartyKind.PERSON and (number or party.id_number_masked):
        id_type = IdType.RESIDENT_ID  # as at intake: a person's number is a 居民身份证's
    _check_lengths(errors, draft)
    _check_identity(errors, party, draft, id_type)
    held = party.particulars()
    # read, not shown: the number only serves to check and default 性别 and 出生日期
    known_number = number or crypto.decrypt(party.id_number_encrypted, context="party.id_number")
    from_id = (
        derived_from_id_number(known_number)
        if id_type == IdType.RESIDENT_ID and party.kind == PartyKind.PERSON
        else Particulars()
    )
    if party.kind == PartyKind.PERSON:
        _check_person(errors, draft, from_id)
    if errors:
        raise InvalidInput(gettext("Please correct the particulars."), errors=errors)
    values = held.merged(
        gender=draft.gender or (from_id.gender if number or not held.gender else ""),
        ethnicity=draft.ethnicity,
        birth_date=draft.birth_date
        or (from_id.birth_date if number or not held.birth_date else None),
        occupation=draft.occupation.strip(),
        representative=draft.representative.strip(),
        representative_title=draft.representative_title.strip(),
        agent=draft.agent.strip(),
    )
    changed = [f.name for f in fields(values) if getattr(values, f.name) != getattr(held, f.name)]
    update = ["particulars_encrypted", "particulars_masked"]
    party.set_particulars(values)
    if number:
        party.set_id_number(number)
        update += ["id_number_encrypted", "id_number_index", "id_number_masked"]
        changed.append("id_number")
    if id_type != party.id_type:
        party.id_type = id_type
        update.append("id_type")
        changed.append("id_type")
    if draft.phone:
        party.set_phone(draft.phone)
        update += ["phone_encrypted", "phone_index", "phone_tail_index", "phone_masked"]
        changed.append("phone")
    if draft.address.strip():
        party.set_address(draft.address)
        update += ["address_encrypted", "address_masked"]
        changed.append("address")
    party.save(update_fields=update)
    record(
        actor=actor,
        action=AuditAction.RECORD_CHANGED,
        target=case,
        org=case.handling_org,
        extra={"party": party.pk, "particulars": sorted(set(changed))},
    )
    return party
