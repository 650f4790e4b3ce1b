"""The 等级 scale: four ordered levels (优秀 > 良好 > 合格 > 待合格), their identifiers, and how a
level written on a sheet (a word or a letter) finds its place on the scale.

The 三率一分 of level-graded groups (:func:`qualitykit.summary`) and the level analysis
(:mod:`qualitykit.term.levels`) both read levels through this module, which imports neither.
"""

from __future__ import annotations

import re

import pandas as pd

from .._text import norm
from ..schema import LEVEL_WORDS as _LEVEL_WORDS
from ..standard import Standard, get_standard

__all__ = ["LEVEL_IDS", "LEVEL_RATES", "level_names", "level_code", "level_codes"]

#: The four levels from the top, as column identifiers (``n_excellent``, ``share_good`` …).
LEVEL_IDS = ("excellent", "good", "satisfactory", "unsatisfactory")
#: What the importer writes for the level words it reads, in the order of LEVEL_IDS.
_CANONICAL = ("优秀", "良好", "合格", "待合格")
#: Level rates: the share at this level or better (优秀率, 良好及以上, 合格率).
LEVEL_RATES = {"excellent_rate": 1, "good_rate": 2, "satisfactory_rate": 3}
_LETTER = re.compile(r"[A-E][+-]?")


def level_names(std: Standard) -> tuple[str, ...]:
    """The standard's four level names from the top (``level_bands``).

    Raises
    ------
    ValueError
        When the standard does not have four levels.

    >>> level_names(Standard())
    ('优秀', '良好', '合格', '待合格')
    """
    if len(std.level_names) != len(LEVEL_IDS):
        raise ValueError("等级分析需要四个等级（level_bands 从高到低：优秀、良好、合格、待合格）；"
                         f"评价标准 {std.name} 中有 {len(std.level_names)} 个：{std.level_names}。")
    return std.level_names


def level_code(value: object, std: Standard) -> int:
    """0 = 优秀 … 3 = 待合格 for one written level.

    Raises
    ------
    ValueError
        When the value is none of the level words or letters (the message says how to fix the
        sheet or the standard).

    >>> level_code("良", Standard()), level_code("a-", Standard())
    (1, 0)
    """
    text = norm(value)
    names = level_names(std)
    if text in names:
        return names.index(text)
    if text in _LEVEL_WORDS:
        return _CANONICAL.index(_LEVEL_WORDS[text])
    letter = text.upper()
    if _LETTER.fullmatch(letter):
        level = std.level_letters.get(letter) or std.level_letters.get(letter[0])
        if level is not None:
            return names.index(level)
    raise ValueError(
        f"等级 {value!r} 无法识别 (unknown level)：能识别 {'/'.join(names)}（及 优、良、及格、待提高 等）"
        f"和字母等级 {'、'.join(sorted(std.level_letters))}。字母等级请在评价标准的 level_letters "
        "中写明是哪一级（如 E = \"待合格\"），或把成绩表中的这一格改成上述写法。")


def level_codes(levels: pd.Series, standard: Standard | str | None = None) -> pd.Series:
    """The position of each written level from the top: 0 = 优秀, 1 = 良好, 2 = 合格, 3 = 待合格.

    Words (优秀, 优, 良好, 良, 合格, 及格, 待合格, 不合格, 待提高 …) and letters (A–E with + or -,
    mapped by ``standard.level_letters``) are understood; missing levels give NaN.

    Raises
    ------
    ValueError
        For a level that is none of these (the message says how to fix the sheet or the
        standard).

    Examples
    --------
    >>> level_codes(pd.Series(["优", "良好", "及格", "待提高", "A+", "B", "C", "D", "E", None])).tolist()
    [0.0, 1.0, 2.0, 3.0, 0.0, 1.0, 2.0, 3.0, 3.0, nan]
    """
    std = get_standard(standard)
    present = levels.dropna()
    mapping = {v: float(level_code(v, std)) for v in pd.unique(present)}
    return levels.map(mapping).astype(float)
