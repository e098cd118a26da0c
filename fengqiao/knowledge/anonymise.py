"""Strip what identifies people from a case before it becomes a published 典型案例: the parties'
names (kept as 张某 style), ID numbers, phone numbers and addresses (PIPL: publish only what
teaches, never who)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

ID_NUMBER = re.compile(r"(?<![0-9])(?:[1-9][0-9]{16}[0-9Xx]|[1-9][0-9]{14})(?![0-9Xx])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9])")
LANDLINE = re.compile(r"(?<![0-9])0[0-9]{2,3}-?[0-9]{7,8}(?![0-9])")
# House numbers and the like: 人民路18号, 3组12号, 5栋2单元301室; the street name before them
# goes too, but not the little words (因, 在, 住…) that only lead into it.
HOUSE_NUMBER = re.compile(
    r"(?:(?![因在住与和于到从向对把被的是])[\u4e00-\u9fa5A-Za-z0-9]){0,12}?"
    r"(?:路|街|巷|弄|大道|组|村)[0-9一二三四五六七八九十百零]+号"
    r"(?:[0-9]+(?:栋|幢|号楼))?(?:[0-9]+单元)?(?:[0-9]+室)?"
    r"|[0-9]+(?:栋|幢|号楼)(?:[0-9]+单元)?[0-9]+室"
)
PLACEHOLDER_ADDRESS = "某处"


@dataclass(frozen=True, slots=True)
class Person:
    """A party as the anonymiser sees them: the name to hide and the addresses to drop."""

    name: str
    address: str = ""


def pseudonym(name: str, *, index: int) -> str:
    """张三 → 张某; an organisation or a one-character name becomes 当事人甲/乙…"""
    name = name.strip()
    if 2 <= len(name) <= 4 and all("\u4e00" <= ch <= "\u9fa5" for ch in name):
        return name[0] + "某"
    return "当事人" + "甲乙丙丁戊己庚辛壬癸"[index % 10]


def anonymise(text: str, *, people: Iterable[Person], addresses: Iterable[str] = ()) -> str:
    """The text with every listed name replaced by its pseudonym and every ID number, phone,
    listed address and house number removed."""
    people = list(people)
    # Longest first, so 张三丰 is not left as 张某丰 by replacing 张三 first.
    names = sorted(
        ((p.name.strip(), pseudonym(p.name, index=i)) for i, p in enumerate(people)),
        key=lambda pair: -len(pair[0]),
    )
    for name, alias in names:
        if name:
            text = text.replace(name, alias)
    places = {a.strip() for a in addresses} | {p.address.strip() for p in people}
    for place in sorted((a for a in places if a), key=len, reverse=True):
        text = text.replace(place, PLACEHOLDER_ADDRESS)
    text = ID_NUMBER.sub("[身份证号已删除]", text)
    text = MOBILE.sub("[电话已删除]", text)
    text = LANDLINE.sub("[电话已删除]", text)
    return HOUSE_NUMBER.sub(PLACEHOLDER_ADDRESS, text)


def leftovers(text: str, *, people: Iterable[Person], addresses: Iterable[str] = ()) -> list[str]:
    """What in ``text`` still identifies someone: the reviewer's check before publication."""
    found = [p.name for p in people if p.name.strip() and p.name.strip() in text]
    found += [a for a in {*addresses, *(p.address for p in people)} if a.strip() and a in text]
    for pattern in (ID_NUMBER, MOBILE, LANDLINE, HOUSE_NUMBER):
        found += pattern.findall(text)
    return found
