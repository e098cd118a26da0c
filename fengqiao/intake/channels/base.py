"""What every channel adapter shares: the person schema, the category and place of a payload,
and ``receive``, which registers once and maps the registration rules' errors back onto the
channel's own field names."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext
from ninja import Field, Schema

from fengqiao.cases.choices import PartyRole
from fengqiao.cases.models import DisputeCategory
from fengqiao.cases.services import CaseDraft, PartyDraft
from fengqiao.core.exceptions import InvalidInput
from fengqiao.intake import classify
from fengqiao.intake.models import ChannelEndpoint
from fengqiao.intake.services import Received, submission_receive

FALLBACK_CATEGORY = "other"


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


def category_for(given: str, text: str) -> tuple[str, str]:
    """The (category, subcategory) codes of a payload: the source's own code when it names one
    of ours, else the classifier's suggestion, else 其他纠纷; a person confirms it later."""
    if given:
        return given, ""  # an unknown code is reported by the registration rules, as a field
    suggestion = classify.suggest(text)
    if suggestion is None:
        return FALLBACK_CATEGORY, ""
    category = suggestion.category
    subcategory = suggestion.subcategory or ""
    if not DisputeCategory.objects.filter(code=category, parent=None, is_active=True).exists():
        return FALLBACK_CATEGORY, ""
    return category, subcategory


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
) -> Received:
    """Register ``draft`` for ``endpoint`` once per ``source_ref``.

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
        return submission_receive(
            endpoint=endpoint, source_ref=source_ref, payload=payload, draft=draft
        )
    except InvalidInput as error:
        renamed: dict[str, list[str]] = {}
        for name, messages in error.errors.items():
            renamed.setdefault(_rename(name, field_map, party_lists), []).extend(messages)
        raise InvalidInput(gettext("Please correct the errors below."), errors=renamed) from None
