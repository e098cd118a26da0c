"""Chinese sort order: people, units and places by pinyin, as a directory or a roster lists
them, not by Unicode code point (#16: 张 came before 李 and 王 because U+5F20 < U+674E).

Short lists sort in Python with ``pinyin_key``. Long ones (the case list) sort in SQL on a column
that holds ``pinyin_sort_key(name)``, written with the name; ``code_point_order`` compares it
byte by byte on both databases, so SQL gives the order Python gives.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Expression, F
from django.db.models.functions import Collate
from pypinyin import Style, lazy_pinyin

SORT_KEY_MAX_LENGTH = 800  # 100 characters of the longest syllable ("zhuang1 ")


def pinyin_key(text: str) -> tuple[str, str]:
    """A sort key: the text's pinyin with tone numbers (li3 < wang2 < zhang1), then the text
    itself so that homophones keep a stable order. Latin letters and digits sort as themselves."""
    syllables = lazy_pinyin(text, style=Style.TONE3, errors="default")
    return (" ".join(s.lower() for s in syllables), text)


def pinyin_sort_key(text: str) -> str:
    """The first part of ``pinyin_key`` as a column value; order by it, then by the name."""
    return pinyin_key(text)[0][:SORT_KEY_MAX_LENGTH]


def code_point_order(expression: str | Expression) -> Collate:
    """``expression`` compared by code point on either database (PostgreSQL's "C", SQLite's
    BINARY), not by the server locale's rules, which skip spaces and would disagree with
    ``pinyin_key``."""
    value = F(expression) if isinstance(expression, str) else expression
    return Collate(value, "BINARY" if connection.vendor == "sqlite" else "C")


def with_name_key(update_fields: Iterable[str] | None) -> list[str] | None:
    """A model's ``save(update_fields=…)`` that writes the name writes its sort key too."""
    if update_fields is None:
        return None
    fields = list(update_fields)
    return [*fields, "name_key"] if "name" in fields and "name_key" not in fields else fields
