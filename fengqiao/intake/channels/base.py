"""What every channel adapter shares: the person schema, the parties of a payload, and
``receive``, which registers once and maps the registration rules' errors back onto the
channel's own field names."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext
from ninja import Field, Schema

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.pipeline import Registered, Submission, register_dispute


class PersonIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="姓名或单位名称")
    phone: str = Field("", max_length=20, description="联系电话（手机或带区号固话）")
    id_number: str = Field("", max_length=18, description="公民身份号码（18位）")
    address: str = Field("", max_length=200, description="住址")
    residence_code: str = Field("", max_length=12, description="居住地乡镇或村的12位区划代码")


def party(person: PersonIn, role: str) -> PartyDraft:
    return PartyDraft(
        role=role,
        name=person.name,
        id_number=person.id_number,
        phone=person.phone,
        address=person.address,
        region=person.residence_code,
    )


def parties(applicants: list[PersonIn], respondents: list[PersonIn]) -> tuple[PartyDraft, ...]:
    return tuple(
        [party(p, PartyRole.APPLICANT) for p in applicants]
        + [party(p, PartyRole.RESPONDENT) for p in respondents]
    )


PartyList = tuple[int, str, bool]  # (first index in the draft, payload field, is a list)


def _rename(name: str, mapping: dict[str, str], party_lists: list[PartyList]) -> str:
    if name.startswith("parties."):
        _prefix, index, field = [*name.split("."), "", ""][:3]
        position = int(index) if index.isdigit() else 0
        field = {"region": "residence_code"}.get(field, field)
        for start, payload_field, is_list in reversed(party_lists):
            if position >= start:
                where = f"{payload_field}.{position - start}" if is_list else payload_field
                return f"{where}.{field}".rstrip(".")
    return mapping.get(name, name)


def receive(
    *,
    endpoint: ChannelEndpoint,
    source_ref: str,
    payload: dict[str, Any],
    draft: CaseDraft,
    field_map: dict[str, str],
    party_lists: list[PartyList],
    adjust: Callable[[CaseDraft], CaseDraft] | None = None,
) -> Registered:
    """Register ``draft`` for ``endpoint`` once per ``source_ref`` (the one intake path).

    ``field_map`` names the payload field behind each ``CaseDraft`` field; ``party_lists`` says
    which payload field each run of parties came from (first index, field, is a list), so an error
    on ``parties.2.phone`` reads ``respondents.0.phone`` to the sender.

    Raises:
        InvalidInput: with the sender's field names; nothing is stored.
    """
    draft = replace(draft, org_id=endpoint.org_id, channel=endpoint.channel, source_ref=source_ref)
    if adjust is not None:
        draft = adjust(draft)
    try:
        return register_dispute(
            actor=endpoint.service_user,
            draft=draft,
            submission=Submission(
                channel=endpoint.channel, source_ref=source_ref, payload=payload, endpoint=endpoint
            ),
        )
    except InvalidInput as error:
        renamed: dict[str, list[str]] = {}
        for name, messages in error.errors.items():
            renamed.setdefault(_rename(name, field_map, party_lists), []).extend(messages)
        raise InvalidInput(gettext("Please correct the errors below."), errors=renamed) from None
