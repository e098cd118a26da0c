"""A party's particulars (当事人基本情况): what 人民调解法 arts.28–29 and the MoJ document formats
require of a natural person and of an organisation, how they are masked, and which are missing.

Name, ID number, phone and address have their own columns on ``Party``. The rest (性别, 民族,
出生日期, 职业或工作单位, 法定代表人/负责人 and 职务, 代理人) are held together as one encrypted
JSON value (``Party.particulars_encrypted``, like the ID number); their masked forms
(``Party.particulars_masked``) let pages and checks work without decrypting anything.
"""

import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from stdnum.cn import ric

from fengqiao.cases.choices import Gender, IdType, PartyKind
from fengqiao.core.validators import id_number_problem

if TYPE_CHECKING:
    from fengqiao.cases.models import Party

CONTEXT = "party.particulars"  # associated data of the encrypted value


@dataclass(frozen=True, slots=True)
class Particulars:
    """The encrypted part of a party's particulars; empty strings (or None) when not known."""

    gender: str = ""
    ethnicity: str = ""
    birth_date: date | None = None
    occupation: str = ""  # 职业或工作单位 (a person)
    representative: str = ""  # 法定代表人或负责人 (an organisation)
    representative_title: str = ""  # 职务 of the representative
    agent: str = ""  # 委托代理人, when there is one

    def to_json(self) -> str:
        """The filled values as JSON (ISO date), or "" when nothing is filled."""
        values = {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in asdict(self).items()
            if value
        }
        return json.dumps(values, ensure_ascii=False, sort_keys=True) if values else ""

    @classmethod
    def from_json(cls, text: str) -> "Particulars":
        if not text:
            return cls()
        raw: dict[str, Any] = json.loads(text)
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        if values.get("birth_date"):
            values["birth_date"] = date.fromisoformat(values["birth_date"])
        return cls(**values)

    def merged(self, **changes: Any) -> "Particulars":
        """A copy with the non-empty ``changes`` applied (empty means "keep what is held")."""
        current = asdict(self)
        current.update({k: v for k, v in changes.items() if v})
        return Particulars(**current)


def masked(values: Particulars) -> dict[str, str]:
    """What pages show of each filled value: the decade of birth, the first character of names
    and occupations, nothing of 性别 and 民族. The keys say which fields are filled."""
    shown: dict[str, str] = {}
    if values.gender:
        shown["gender"] = "*"
    if values.ethnicity:
        shown["ethnicity"] = "*"
    if values.birth_date:
        shown["birth_date"] = f"{values.birth_date.year // 10}*年"
    for name in ("occupation", "representative", "agent"):
        text = getattr(values, name)
        if text:
            shown[name] = text[0] + "**"
    if values.representative_title:
        shown["representative_title"] = values.representative_title  # a post, not a person
    return shown


def derived_from_id_number(id_number: str) -> Particulars:
    """性别 and 出生日期 read from a valid resident ID number (else nothing)."""
    number = id_number.strip().upper()
    if not number or id_number_problem(number) is not None:
        return Particulars()
    # GB 11643: the 17th character (顺序码's last) is odd for men, even for women
    return Particulars(
        gender=Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
        birth_date=ric.get_birth_date(number),
    )


def age_on(born: date, on: date) -> int:
    """Full years of age on ``on``."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


PERSON_REQUIRED = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "occupation",
    "address",
    "id_number",
    "phone",
)
ORGANISATION_REQUIRED = ("name", "address", "credit_code", "representative", "representative_title")


def label(field: str, kind: str = PartyKind.PERSON) -> str:
    """The Chinese name of a particular, as the MoJ forms print it."""
    person = kind != PartyKind.ORGANISATION
    return {
        "name": gettext("full name") if person else gettext("organisation name"),
        "gender": gettext("gender"),
        "ethnicity": gettext("ethnic group"),
        "birth_date": gettext("date of birth"),
        "occupation": gettext("occupation or employer"),
        "address": gettext("residential address") if person else gettext("domicile"),
        "id_number": gettext("ID type and number"),
        "phone": gettext("contact number"),
        "credit_code": gettext("unified social credit code"),
        "representative": gettext("legal representative or person in charge"),
        "representative_title": gettext("position of the representative"),
        "agent": gettext("agent"),
    }[field]


def missing(party: "Party") -> list[str]:
    """Codes of the particulars the party still lacks (人民调解法 art.29, MoJ formats); read from
    the masked columns, nothing is decrypted."""
    filled = set(party.particulars_masked or {})
    if party.name.strip() and not party.anonymised_at:
        filled.add("name")
    if party.address_encrypted:
        filled.add("address")
    if party.id_number_masked:
        filled.add("id_number")
        if party.id_type == IdType.CREDIT_CODE:
            filled.add("credit_code")
    if party.phone_masked:
        filled.add("phone")
    required = ORGANISATION_REQUIRED if party.kind == PartyKind.ORGANISATION else PERSON_REQUIRED
    return [code for code in required if code not in filled]


def missing_message(party: "Party") -> str:
    """ "当事人张三缺少：民族、职业或工作单位（人民调解法第二十九条）" or "" when complete."""
    lacking = missing(party)
    if not lacking:
        return ""
    return gettext("Party %(name)s lacks: %(fields)s (人民调解法 art.29).") % {
        "name": party.name,
        "fields": "、".join(label(code, party.kind) for code in lacking),
    }
