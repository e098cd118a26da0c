"""Cell values for spreadsheets written from user input (CSV/formula injection, OWASP)."""

from typing import Any

# A text cell starting with one of these is run by Excel/WPS as a formula (=HYPERLINK(...),
# +cmd|...); tab and carriage return are how a formula hides behind leading whitespace.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text a spreadsheet would evaluate is kept as text by a leading apostrophe; numbers, dates
    and other text pass unchanged. Every workbook or CSV holding typed-in text goes through it
    (issue #17: 排查 summary.xlsx and the 以案定补 export turned ``=...`` into live formulas)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_row(values: list[Any]) -> list[Any]:
    """``spreadsheet_safe`` over one row."""
    return [spreadsheet_safe(v) for v in values]
