"""Text as school sheets write it: full-width forms, spaces, invisible characters, Chinese numerals."""

from __future__ import annotations

import re
import unicodedata

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}


def norm(value: object) -> str:
    """Return *value* as text: NFKC (full-width → half-width), no spaces, '' for empty.

    >>> norm("  五（1）班 ")
    '五(1)班'
    >>> norm(None)
    ''
    >>> norm(202301001.0), norm("\u200b78")
    ('202301001', '78')
    """
    if type(value) is str and value.isascii():  # NFKC is the identity on ASCII
        return "".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


_SEPARATOR = "\x00"  # never in a cell; NFKC leaves it alone and nothing composes across it
_WHITESPACE = re.compile(r"\s+")
#: zero-width spaces and joiners, the byte-order mark, soft hyphens: invisible in Excel
_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


def norm_all(values) -> list[str]:
    """``[norm(v) for v in values]``, in one pass over one string when all values are text.

    >>> norm_all(["  五（1）班 ", "张 三", "ｘ", ""])
    ['五(1)班', '张三', 'x', '']
    """
    values = list(values)
    if set(map(type, values)) <= {str}:
        joined = _SEPARATOR.join(values)
        if joined.count(_SEPARATOR) == len(values) - 1:
            if not joined.isascii():
                joined = unicodedata.normalize("NFKC", joined)
                if _INVISIBLE.search(joined):
                    joined = _INVISIBLE.sub("", joined)
            return _WHITESPACE.sub("", joined).split(_SEPARATOR) if values else []
    return list(map(norm, values))


def cn_number(text: str) -> int | None:
    """Parse a small Chinese or Arabic numeral (0–99).

    >>> cn_number("十二"), cn_number("二十"), cn_number("五"), cn_number("12"), cn_number("甲")
    (12, 20, 5, 12, None)
    """
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CN_DIGITS.get(tens, None) if tens else 1
        o = _CN_DIGITS.get(ones, None) if ones else 0
        if t is None or o is None:
            return None
        return t * 10 + o
    if len(text) == 1:
        return _CN_DIGITS.get(text)
    return None
