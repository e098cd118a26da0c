"""Validators for Chinese identifiers used across forms, API schemas and importers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number_is_valid(value: str) -> bool:
    """A mainland resident ID (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check
    character."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def validate_id_number(value: str) -> None:
    if value and not id_number_is_valid(value):
        raise ValidationError(
            _("Enter a valid 18-character resident ID number."), code="invalid_id_number"
        )


def validate_phone(value: str) -> None:
    digits = re.sub(r"[\s\-+()]", "", value)
    if value and not re.fullmatch(r"(86|0086)?1[3-9]\d{9}|0\d{9,11}", digits):
        raise ValidationError(
            _("Enter a mobile number (11 digits) or a landline with area code."),
            code="invalid_phone",
        )
