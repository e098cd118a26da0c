"""Issue #21: the 110 API answered "格式不正确。" for every empty or invalid field."""

from django.utils import translation

from fengqiao.core.api import field_errors


def test_each_kind_of_bad_field_says_what_to_enter():
    errors = [
        {"type": "string_too_short", "loc": ("body", "payload", "summary"), "ctx": {}},
        {"type": "int_parsing", "loc": ("body", "payload", "people_count")},
        {"type": "datetime_parsing", "loc": ("body", "payload", "reported_at")},
        {"type": "enum", "loc": ("body", "payload", "kind"), "ctx": {"expected": "'a' or 'b'"}},
    ]
    with translation.override("zh-hans"):
        fields = field_errors(errors)
    assert fields == {
        "summary": ["此项为必填项。"],
        "people_count": ["请填写整数。"],
        "reported_at": ["请按 YYYY-MM-DDTHH:MM:SS 格式填写日期时间。"],
        "kind": ["请从以下值中选择：a、b。"],
    }
    assert len({m for ms in fields.values() for m in ms}) == 4
