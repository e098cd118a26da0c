"""The formats of Chinese identifiers, for every form, API schema and importer that takes them.

One module so that each entry point says the same thing about the same number (#16): the
居民身份证号 (GB 11643-1999: length, ISO 7064 MOD 11-2 check character, a real birth date; an
administrative code missing from the division table is only a warning, since codes are retired
and people keep their numbers), the 统一社会信用代码 (GB 32100-2015: length, alphabet, check
character), mainland mobile numbers and landlines with an area code. python-stdnum does the
arithmetic; the messages are ours and name the part that is wrong.

``validate_*`` raise ``ValidationError`` (Django forms and model fields take them as they are);
``*_problem`` return the message or ``None`` for services that collect field errors in a dict.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from fengqiao.core import clock, crypto

_MOBILE = re.compile(r"1[3-9]\d{9}")
# An area code (3 or 4 digits starting with 0) and a 7- or 8-digit number, extension allowed.
_LANDLINE = re.compile(r"0\d{2,3}\d{7,8}")
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value).upper()


def id_number_problem(value: str) -> str | None:
    """What is wrong with a resident ID number, in Chinese, or ``None`` when it is right."""
    number = _compact(value)
    if len(number) != 18:
        return gettext("A resident ID number has 18 characters; this one has {count}.").format(
            count=len(number)
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return gettext("A resident ID number is 17 digits followed by a digit or X.")
    try:
        born = ric.get_birth_date(number)
    except StdnumError:
        return gettext(
            "The birth date in this ID number ({date}) does not exist; check characters 7–14."
        ).format(date=number[6:14])
    if born < _EARLIEST_BIRTH or born > clock.today():
        return gettext(
            "The birth date in this ID number ({date}) is not possible; check characters 7–14."
        ).format(date=number[6:14])
    if ric.calc_check_digit(number) != number[17]:
        return gettext(
            "The check character of this ID number is wrong; one of its characters was "
            "probably mistyped."
        )
    return None


def id_number_warnings(value: str) -> list[str]:
    """Doubts that do not block: the administrative code is not in the division table."""
    number = _compact(value)
    if id_number_problem(number) is not None:
        return []
    if not any(props for _part, props in numdb.get("cn/loc").info(number[:6])):
        return [
            gettext(
                "The region code {code} of ID number {masked} is not in the division table; "
                "please check it with the person."
            ).format(code=number[:6], masked=number[:4] + "**********" + number[-4:])
        ]
    return []


def validate_id_number(value: str) -> None:
    if value and (message := id_number_problem(value)):
        raise ValidationError(message, code="invalid_id_number")


def uscc_problem(value: str) -> str | None:
    """What is wrong with a 统一社会信用代码, in Chinese, or ``None`` when it is right."""
    code = _compact(value)
    if len(code) != 18:
        return gettext(
            "A unified social credit code has 18 characters; this one has {count}."
        ).format(count=len(code))
    try:
        uscc.validate(code)
    except StdnumError as error:
        if error.__class__.__name__ == "InvalidChecksum":
            return gettext(
                "The check character of this unified social credit code is wrong; one of its "
                "characters was probably mistyped."
            )
        return gettext(
            "A unified social credit code is 8 digits and 10 digits or capital letters "
            "(no I, O, Z, S or V)."
        )
    return None


def validate_uscc(value: str) -> None:
    if value and (message := uscc_problem(value)):
        raise ValidationError(message, code="invalid_uscc")


def party_identifier_problem(kind: str, value: str) -> str | None:
    """A person's 身份证号 or an organisation's 统一社会信用代码, by the party's kind."""
    if not value:
        return None
    if kind == "organisation":
        return uscc_problem(value)
    return id_number_problem(value)


def mobile_problem(value: str) -> str | None:
    """A mainland mobile number: 11 digits starting 13–19 (a +86 prefix is allowed)."""
    if re.search(r"[^\d\s\-+()]", value):
        return gettext("A phone number has only digits (spaces, - and +86 are allowed).")
    if not _MOBILE.fullmatch(crypto.normalise_phone(value)):
        return gettext("Enter an 11-digit mobile number starting with 13–19.")
    return None


def phone_problem(value: str) -> str | None:
    """A mobile number or a landline with its area code (0730-1234567)."""
    if re.search(r"[^\d\s\-+()]", value):
        return gettext("A phone number has only digits (spaces, - and +86 are allowed).")
    digits = crypto.normalise_phone(value)
    if _MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits):
        return None
    return gettext(
        "Enter an 11-digit mobile number or a landline with its area code (0730-1234567)."
    )


def validate_mobile(value: str) -> None:
    if value and (message := mobile_problem(value)):
        raise ValidationError(message, code="invalid_mobile")


def validate_phone(value: str) -> None:
    if value and (message := phone_problem(value)):
        raise ValidationError(message, code="invalid_phone")


def id_number_is_valid(value: str) -> bool:
    """Kept for callers that only need yes or no."""
    return id_number_problem(value) is None
