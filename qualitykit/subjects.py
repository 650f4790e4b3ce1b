"""Subject names: canonical Chinese names and the aliases found on school sheets."""

from __future__ import annotations

import re

from typing import TYPE_CHECKING

from ._text import norm

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["SUBJECTS", "SUBJECT_ALIASES", "canonical_subject", "teaching_order",
           "in_teaching_order",
           "subjects_in_order"]

#: Canonical subject names (Chinese, as in the 课程方案), in display order.
SUBJECTS: tuple[str, ...] = (
    "语文", "数学", "英语", "日语", "俄语", "外语", "科学", "道德与法治", "物理", "化学",
    "生物", "历史", "地理", "政治", "技术", "信息科技", "音乐", "美术", "体育与健康",
    "劳动", "综合实践", "书法", "理科综合", "文科综合", "心理健康",
)

#: Alias (as written on a sheet, after normalisation) -> canonical name.
SUBJECT_ALIASES: dict[str, str] = {
    **{s: s for s in SUBJECTS},
    "语": "语文", "数": "数学", "英": "英语", "英文": "英语", "外": "外语",
    "科": "科学", "道法": "道德与法治", "道德法治": "道德与法治", "品德": "道德与法治",
    "品社": "道德与法治", "思品": "道德与法治", "思想品德": "道德与法治",
    "品德与社会": "道德与法治", "品德与生活": "道德与法治", "德法": "道德与法治",
    "物": "物理", "化": "化学", "生": "生物", "生物学": "生物", "史": "历史",
    "地": "地理", "政": "政治", "思想政治": "政治", "思政": "政治",
    "信息技术": "技术", "通用技术": "技术", "信息": "信息科技", "体育": "体育与健康",
    "音": "音乐", "美": "美术", "劳技": "劳动", "理综": "理科综合", "文综": "文科综合",
    "心理": "心理健康", "写字": "书法",
    # English headers (matched in lower case, spaces removed)
    "chinese": "语文", "yuwen": "语文", "math": "数学", "maths": "数学", "mathematics": "数学",
    "english": "英语", "japanese": "日语", "russian": "俄语", "science": "科学",
    "physics": "物理", "chemistry": "化学", "biology": "生物", "history": "历史",
    "geography": "地理", "politics": "政治", "morality": "道德与法治",
    "moralityandlaw": "道德与法治", "ethics": "道德与法治", "music": "音乐", "art": "美术",
    "arts": "美术", "fineart": "美术", "pe": "体育与健康", "physicaleducation": "体育与健康",
    "it": "信息科技", "informationtechnology": "信息科技", "technology": "技术",
}

#: First characters used in 选科组合 strings such as "物化生" or "物化生政历地".
COMBINATION_CHARS: dict[str, str] = {
    "物": "物理", "化": "化学", "生": "生物", "政": "政治", "历": "历史", "史": "历史",
    "地": "地理", "技": "技术",
}


def canonical_subject(name: object, extra: dict[str, str] | None = None) -> str | None:
    """Canonical subject for a header or option key, or None.

    >>> canonical_subject("道法"), canonical_subject("数"), canonical_subject(" 英 语 ")
    ('道德与法治', '数学', '英语')
    >>> canonical_subject("总分") is None, canonical_subject("Math"), canonical_subject("P E")
    (True, '数学', '体育与健康')
    """
    s = norm(name)
    if extra and s in extra:
        return extra[s]
    found = SUBJECT_ALIASES.get(s)
    if found is None and s.isascii():
        found = SUBJECT_ALIASES.get(s.lower())
    return found


def teaching_order(subject: object) -> int:
    """Sort key of a subject in the order of the 课程方案 (unknown subjects last).

    >>> sorted(["科学", "英语", "语文", "美术", "数学"], key=teaching_order)[:4]
    ['语文', '数学', '英语', '科学']
    """
    return _ORDER.get(subject, len(_ORDER))


_ORDER = {s: i for i, s in enumerate(SUBJECTS)}


#: Columns whose values a school counts rather than spells: 5-2 before 5-10, 初二(2)班 before
#: 初二(10)班 (:func:`counted_order`).
COUNTED = ("class_id", "class_name", "exit_class")


def counted_order(value: object) -> str:
    """Sort key of a class (or any name with numbers) as a school counts: the numbers in it
    compared as numbers.

    >>> sorted(["5-10", "5-2", "5-1", "初二(12)班", "初二(3)班"], key=counted_order)
    ['5-1', '5-2', '5-10', '初二(3)班', '初二(12)班']
    """
    return re.sub(r"\d+", lambda m: m.group().zfill(12), str(value))


def in_teaching_order(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sorted by ``keys`` as a teacher reads them: subjects in the order of the 课程方案 (语文,
    数学, 英语, …), classes as the school counts them (5-2 before 5-10), not by character code;
    other keys as they are (a stable sort: rows equal in ``keys`` keep their order)."""
    if not any(k == "subject" or k in COUNTED for k in keys):
        return table
    return table.sort_values(keys, kind="stable", key=_reading_order).reset_index(drop=True)


def _reading_order(column: pd.Series) -> pd.Series:
    if column.name == "subject":
        return column.map(teaching_order)
    if column.name in COUNTED:
        return column.map(counted_order, na_action="ignore")
    return column


def subjects_in_order(subjects) -> list[str]:
    """Subject names in teaching order, then by name (subjects the 课程方案 does not list).

    >>> subjects_in_order(["书法", "科学", "语文", "劳动"])
    ['语文', '科学', '劳动', '书法']
    """
    return sorted(subjects, key=lambda s: (teaching_order(s), s))
