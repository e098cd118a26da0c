"""The identifier formats every entry point shares (#16)."""

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn.ric import calc_check_digit

from fengqiao.core import validators


def _id(body: str) -> str:
    """A 17-character body with its right check character."""
    return body + calc_check_digit(body + "0")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (_id("43062419900101123"), None),
        ("43062419900101109x", None),  # a lower-case x is the check character X
        (_id("43062420000229123"), None),  # a leap day
        (_id("43062419901301123"), "出生日期（19901301）不存在"),  # issue #16: month 13
        (_id("43062419900230123"), "出生日期（19900230）不存在"),
        (_id("43062418890101123"), "不合理"),
        (_id("43062421990101123"), "不合理"),
        ("430624199001011234", "校验位不符"),
        ("43062419900101123", "应为 18 位，此号码为 17 位"),
        ("4306241990010112AB", "17 位数字"),
    ],
)
def test_resident_id_numbers_are_checked_by_check_character_and_birth_date(value, expected):
    problem = validators.id_number_problem(value)
    if expected is None:
        assert problem is None
    else:
        assert expected in problem


def test_an_unknown_region_code_only_warns():
    number = _id("99062419900101123")
    assert validators.id_number_problem(number) is None
    [warning] = validators.id_number_warnings(number)
    assert "地址码 990624" in warning
    assert number not in warning  # masked
    assert validators.id_number_warnings(_id("43062419900101123")) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("91350100M000100Y43", None),
        ("91110000600037341L", None),
        ("NOT-A-USCC-123", "应为 18 位"),  # issue #16
        ("91350100M000100Y44", "校验位不符"),
        ("91350100M000100IO3", "不含 I、O、Z、S、V"),
    ],
)
def test_unified_social_credit_codes(value, expected):
    problem = validators.uscc_problem(value)
    if expected is None:
        assert problem is None
    else:
        assert expected in problem


def test_a_party_is_checked_by_its_kind():
    assert validators.party_identifier_problem("person", "91350100M000100Y43")
    assert validators.party_identifier_problem("organisation", "91350100M000100Y43") is None
    assert validators.party_identifier_problem("organisation", "") is None


@pytest.mark.parametrize(
    ("value", "is_phone", "is_mobile"),
    [
        ("13800138000", True, True),
        ("+86 138-0013-8000", True, True),
        ("0730-5551234", True, False),
        ("010-12345678", True, False),
        ("12800138000", False, False),
        ("12345", False, False),
        ("1380013800a", False, False),
    ],
)
def test_phone_and_mobile_numbers(value, is_phone, is_mobile):
    assert (validators.phone_problem(value) is None) is is_phone
    assert (validators.mobile_problem(value) is None) is is_mobile


def test_validators_raise_field_errors_with_codes():
    with pytest.raises(ValidationError) as error:
        validators.validate_uscc("NOT-A-USCC-123")
    assert error.value.code == "invalid_uscc"
    with pytest.raises(ValidationError):
        validators.validate_id_number(_id("43062419901301123"))
    with pytest.raises(ValidationError):
        validators.validate_mobile("0730-5551234")
    validators.validate_phone("")
