"""Exam, school and grade hints in sheet titles and file names (private)."""

from __future__ import annotations

import re

from .._text import norm

_YEARS = re.compile(r"(20\d\d)\s*[-—–~至到－_]\s*(20\d\d)\s*学?年?")
_TERM = re.compile(r"第?([一二12上下])学期|([上下])学期|([七八九]|初[一二三]|高[一二三])([上下])")
_OWN_TERM = re.compile(r"[-_—]([12])(?!\d)")
#: The words that name a kind of exam (期中, 期末, 月考 …).
EXAM_KIND = re.compile(r"期中|期末|月考|一模|二模|三模|联考|学情检测|质量检测|单元检测|中考|模拟|"
                       r"第[一二三四五六七八九十\d]+次月考|开学考|学业水平")
_SCHOOL = re.compile(r"^(.*?(?:小学|中学|学校|实验校|附中|附小))")
_SCHOOL_SHORT = re.compile(r"^(.*?(?:一中|二中|三中|四中|五中|六中|七中|八中|九中|十中))")


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
    kind = EXAM_KIND.search(s)
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


_SHEET_TERM = re.compile(r"([一二三四五六七八九]|初[一二三]|高[一二三])(?:年级)?([上下])(?:学期|册)?")


def parse_sheet_exam(name: str) -> str | None:
    """The exam a worksheet's name gives on its own (a workbook with one sheet per exam):
    a year and term (``2024-2025-1 期中``) or a grade and term (``七上期中``, also written
    七年级上学期期中), with the kind of exam; None for a name that says less (期末, 成绩).

    >>> parse_sheet_exam("七上期中"), parse_sheet_exam("七年级下学期期末")
    ('七上期中', '七下期末')
    >>> parse_sheet_exam("2024-2025学年第二学期期末"), parse_sheet_exam("期末成绩") is None
    ('2024-2025-2 期末', True)
    """
    s = norm(name)
    kind = EXAM_KIND.search(s)
    if not kind:
        return None
    exam = parse_exam(s)
    if exam and _YEARS.search(s):
        return exam
    term = _SHEET_TERM.search(s)
    return f"{term[1]}{term[2]}{kind[0]}" if term else None


def parse_school(text: str) -> str | None:
    """School name at the start of a title.

    >>> parse_school("实验小学2024—2025学年第一学期五年级期末检测成绩统计表")
    '实验小学'
    >>> parse_school("城关第一中学"), parse_school("瑞安一中九年级")
    ('城关第一中学', '瑞安一中')
    """
    m = _SCHOOL.match(norm(text)) or _SCHOOL_SHORT.match(norm(text))
    if not m:
        return None
    name = _YEARS.split(m[1])[0]
    return name or None


_YEAR_TERM = re.compile(r"(20\d\d)-20\d\d-([12])")
_GRADE_TERM = re.compile(r"([一二三四五六七八九]|初[一二三]|高[一二三])([上下])")
_GRADE_NUMBER = {c: i for i, c in enumerate("一二三四五六七八九", start=1)} | {
    "初一": 7, "初二": 8, "初三": 9, "高一": 10, "高二": 11, "高三": 12}
_KIND_ORDER = ("开学考", "第一次月考", "月考", "期中", "第二次月考", "第三次月考", "学情检测",
               "质量检测", "联考", "期末")


def order_exams(exams) -> list[str]:
    """The exams in the order they were sat, read from their names.

    ``2024-2025-2 期末`` (year, term) and ``八下期末`` / ``九上期末`` (grade, term) are read;
    within a term 开学考 < 月考 < 期中 < 期末. Names that say nothing keep the order given.

    >>> order_exams(["2025-2026-1 期末", "2024-2025-2 期末", "2025-2026-1 期中"])
    ['2024-2025-2 期末', '2025-2026-1 期中', '2025-2026-1 期末']
    >>> order_exams(["九上期末", "八下期末"])
    ['八下期末', '九上期末']
    """
    names = list(dict.fromkeys(str(e) for e in exams))

    def key(item):
        position, name = item
        s = norm(name)
        m = _YEAR_TERM.search(s)
        g = _GRADE_TERM.search(s)
        when = ((int(m[1]), int(m[2])) if m else
                (_GRADE_NUMBER[g[1]], 1 if g[2] == "上" else 2) if g else None)
        kind = next((i for i, k in enumerate(_KIND_ORDER) if k in s), len(_KIND_ORDER))
        return (0, when, kind, position) if when else (1, (0, 0), 0, position)

    return [name for _, name in sorted(enumerate(names), key=key)]
