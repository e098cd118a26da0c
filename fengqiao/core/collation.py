"""Chinese sort order: people, units and places by pinyin, as a directory or a roster lists
them, not by Unicode code point (#16: 张 came before 李 and 王 because U+5F20 < U+674E)."""

from pypinyin import Style, lazy_pinyin


def pinyin_key(text: str) -> tuple[str, str]:
    """A sort key: the text's pinyin with tone numbers (li3 < wang2 < zhang1), then the text
    itself so that homophones keep a stable order. Latin letters and digits sort as themselves."""
    syllables = lazy_pinyin(text, style=Style.TONE3, errors="default")
    return (" ".join(s.lower() for s in syllables), text)
