"""Subject names: canonical Chinese names and the aliases found on school sheets."""

from __future__ import annotations

from ._text import norm

__all__ = ["SUBJECTS", "SUBJECT_ALIASES", "canonical_subject", "teaching_order"]

#: Canonical subject names (Chinese, as in the 课程方案), in display order.
SUBJECTS: tuple[str, ...] = (
    "语文", "数学", "英语", "日语", "俄语", "外语", "科学", "道德与法治", "物理", "化学",
    "生物", "历史", "地理", "政治", "技术", "信息科技", "音乐", "美术", "体育与健康",
    "劳动", "综合实践", "书法",
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
    "音": "音乐", "美": "美术", "劳技": "劳动",
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
    >>> canonical_subject("总分") is None
    True
    """
    s = norm(name)
    if extra and s in extra:
        return extra[s]
    return SUBJECT_ALIASES.get(s)


def teaching_order(subject: object) -> int:
    """Sort key of a subject in the order of the 课程方案 (unknown subjects last).

    >>> sorted(["科学", "英语", "语文", "美术", "数学"], key=teaching_order)[:4]
    ['语文', '数学', '英语', '科学']
    """
    return _ORDER.get(subject, len(_ORDER))


_ORDER = {s: i for i, s in enumerate(SUBJECTS)}
