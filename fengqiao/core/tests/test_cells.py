from datetime import date

import pytest

from fengqiao.core.cells import spreadsheet_row, spreadsheet_safe


@pytest.mark.parametrize("text", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_become_text(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "13800138000", 12, -3, 1.5, None, date(2026, 1, 1)])
def test_other_values_pass_unchanged(value):
    assert spreadsheet_safe(value) == value


def test_row():
    assert spreadsheet_row(["=x", 1]) == ["'=x", 1]
