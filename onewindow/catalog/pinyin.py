"""Pinyin keys for search: full pinyin and initials of an item's name and keywords.

`最低生活保障申请` indexes as `zuidishenghuobaozhangshenqing` and `zdshbzsq`; keyword `低保申请`
adds `dibaoshenqing` / `dbsq`. Heteronyms take pypinyin's most common reading, which fits item names.
"""

import re

from pypinyin import Style, lazy_pinyin

_SPLIT_KEYWORDS = re.compile(r"[,，、;；\s]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def split_keywords(keywords: str) -> list[str]:
    return [k for k in _SPLIT_KEYWORDS.split(keywords or "") if k]


def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of text, lower case, letters and digits only."""
    full = "".join(lazy_pinyin(text, style=Style.NORMAL, errors="default"))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"))
    return _NOT_ALNUM.sub("", full.lower()), _NOT_ALNUM.sub("", initials.lower())


def search_pinyin(name: str, keywords: str) -> str:
    """One line per phrase: `full initials` — what the search matches a Latin query against."""
    lines = []
    for phrase in [name, *split_keywords(keywords)]:
        full, initials = pinyin_keys(phrase)
        lines.append(f"{full} {initials}")
    return "\n".join(lines)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalize_query(q: str) -> str:
    # Control characters (a NUL from `?q=%00`) are not text: PostgreSQL refuses NUL in a parameter.
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", q or "").strip())[:60]


def latin_key(term: str) -> str | None:
    """A query term as a pinyin key when it is Latin letters (`dbsq`, `di bao`, `DiBao`), else None."""
    key = _NOT_ALNUM.sub("", term.lower())
    return key if key and key.isascii() and re.fullmatch(r"[a-z0-9]+", key) and re.search("[a-z]", key) else None
