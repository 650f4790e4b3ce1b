"""Exam, school and grade hints in sheet titles and file names (private)."""

from __future__ import annotations

import re

from ._text import norm

_YEARS = re.compile(r"(20\d\d)\s*[-—–~至到－_]\s*(20\d\d)\s*学?年?")
_TERM = re.compile(r"第?([一二12上下])学期|([上下])学期|([七八九]|初[一二三]|高[一二三])([上下])")
_OWN_TERM = re.compile(r"[-_—]([12])(?!\d)")
_KIND = re.compile(r"期中|期末|月考|一模|二模|三模|联考|学情检测|质量检测|单元检测|中考|模拟|"
                   r"第[一二三四五六七八九十\d]+次月考|开学考|学业水平")
_SCHOOL = re.compile(r"^(.*?(?:小学|中学|学校|一中|二中|三中|实验校|附中|附小))")


def parse_exam(text: str) -> str | None:
    """Canonical exam name from a title: ``"2024-2025-1 期末"``; None when nothing is found.

    >>> parse_exam("XX小学2024—2025学年第一学期五年级期末检测成绩统计表")
    '2024-2025-1 期末'
    >>> parse_exam("全部考生成绩汇总--2025-2026学年第一学期七年级学情检测")
    '2025-2026-1 学情检测'
    >>> parse_exam("2025-2026-1 期末 五年级 数学 小题分")
    '2025-2026-1 期末'
    >>> parse_exam("成绩数据") is None
    True
    """
    s = norm(text)
    years = _YEARS.search(s)
    kind = _KIND.search(s)
    if not (years or kind):
        return None
    parts = []
    if years:
        parts.append(f"{years[1]}-{years[2]}")
        own = _OWN_TERM.match(s[years.end():])  # the kit's own form: 2025-2026-1
        term = _TERM.search(s[years.end():]) or _TERM.search(s)
        if own:
            parts[-1] += f"-{own[1]}"
        elif term:
            token = term[1] or term[2] or term[4]
            parts[-1] += "-1" if token in ("一", "1", "上") else "-2"
    if kind:
        parts.append(kind[0])
    return " ".join(parts)


def parse_school(text: str) -> str | None:
    """School name at the start of a title.

    >>> parse_school("实验小学2024—2025学年第一学期五年级期末检测成绩统计表")
    '实验小学'
    """
    m = _SCHOOL.match(norm(text))
    if not m:
        return None
    name = _YEARS.split(m[1])[0]
    return name or None
