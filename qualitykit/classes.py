"""Class and grade names as Chinese schools write them.

``五(1)班``, ``五（1）班``, ``5(1)``, ``5-1``, ``501``, ``初一12班``, ``七年级12班``,
``高一(1)班``, ``五年级一班`` all name a class; :func:`parse_class` turns each into a
canonical ``class_id`` ``"<grade>-<number>"`` (``"5-1"``). A name without a grade (``二班``,
``3``) keeps only its number and takes the grade from elsewhere (the sheet title, a file name
or the ``grade=`` option).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import cn_number, norm

__all__ = ["ClassName", "parse_class", "parse_grade", "make_class_id", "changed_class"]

_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# 初一 / 高二 / 七年级 / 五年级 / 五 / 5
_GRADE = rf"(?:(?P<stage>初|高|小)?(?P<g>{_NUM})(?:年级|年)?)"
_CLASS_RE = re.compile(
    rf"^{_GRADE}(?:\((?P<c1>{_NUM})\)|[-_.·/](?P<c2>{_NUM})|(?P<c3>{_NUM}))?班?$"
)
_ONLY_CLASS_RE = re.compile(rf"^(?:第)?(?P<c>{_NUM})班?$")
# explicit grade words, checked in order on titles and file names
_GRADE_HINTS = [
    (re.compile(r"初([一二三123])|([七八九789])年级|([七八九])[上下]"), "junior"),
    (re.compile(r"高([一二三123])"), "senior"),
    (re.compile(r"(1[0-2]|[1-9]|[一二三四五六])年级"), "plain"),
]


@dataclass(frozen=True)
class ClassName:
    """A parsed class name: ``grade`` (1–12 or None), ``number`` and the canonical ``class_id``."""

    grade: int | None
    number: int | None
    written: str

    @property
    def class_id(self) -> str:
        return make_class_id(self.grade, self.number, self.written)


def make_class_id(grade: int | None, number: int | None, written: str = "") -> str:
    """Canonical class id: ``"5-1"``; ``"1"`` when the grade is unknown; else the text as written.

    >>> make_class_id(5, 1), make_class_id(None, 3), make_class_id(None, None, "实验班")
    ('5-1', '3', '实验班')
    """
    if number is None:
        return written
    if grade is None:
        return str(number)
    return f"{grade}-{number}"


def _stage_grade(stage: str | None, g: int) -> int | None:
    if stage == "初":
        return g + 6 if 1 <= g <= 3 else (g if 7 <= g <= 9 else None)
    if stage == "高":
        return g + 9 if 1 <= g <= 3 else (g if 10 <= g <= 12 else None)
    return g if 1 <= g <= 12 else None


def parse_class(text: object, grade: int | None = None) -> ClassName:
    """Parse a class name as written on a score sheet.

    Parameters
    ----------
    text : str or number
        The class cell, e.g. ``"五(1)班"`` or ``501`` or ``"初一12班"``.
    grade : int, optional
        The grade to use when the name does not carry one (``"二班"``).

    Examples
    --------
    >>> [parse_class(s).class_id for s in ["五(1)班", "五（1）班", "5(1)", "5-1", "501"]]
    ['5-1', '5-1', '5-1', '5-1', '5-1']
    >>> [parse_class(s).class_id for s in ["初一12班", "七年级12班", "高一(1)班", "五年级一班"]]
    ['7-12', '7-12', '10-1', '5-1']
    >>> parse_class("二班", grade=5).class_id, parse_class(3.0).class_id
    ('5-2', '3')
    >>> parse_class("101", grade=10).class_id, parse_class("703", grade=7).class_id
    ('10-1', '7-3')
    """
    written = norm(text)
    s = written.replace("（", "(").replace("）", ")")
    if not s:
        return ClassName(grade, None, "")
    if s.isdigit() and len(s) in (3, 4):  # 501, 1203; 101 = 高一1班 when the grade is 10
        g, c = (int(s[0]), int(s[1:])) if len(s) == 3 else (int(s[:2]), int(s[2:]))
        if grade is not None and g != grade:
            stage_first = (grade >= 10 and g == grade - 9) or (7 <= grade <= 9 and g == grade - 6)
            if not stage_first:
                return ClassName(grade, None, written)  # 305 in a grade-5 sheet: not a class code
            g = grade
        if 1 <= g <= 12 and c >= 1:
            return ClassName(g, c, written)
    m = _ONLY_CLASS_RE.match(s)
    if m:
        return ClassName(grade, cn_number(m["c"]), written)
    m = _CLASS_RE.match(s)
    if m:
        c_text = m["c1"] or m["c2"] or m["c3"]
        g_num = cn_number(m["g"])
        if c_text is not None and g_num is not None:
            g = _stage_grade(m["stage"], g_num)
            c = cn_number(c_text)
            if g is not None and c:
                return ClassName(g, c, written)
    # a 班级 cell inside a longer text, e.g. "高二年级3班", "初三(7)班"
    m = re.search(rf"(初|高)?({_NUM})年?级?\(?({_NUM})\)?班", s)
    if m:
        g0, c0 = cn_number(m[2]), cn_number(m[3])
        if g0 is not None and c0:
            g = _stage_grade(m[1], g0)
            if g is not None:
                return ClassName(g, c0, written)
    return ClassName(grade, None, written)


def parse_grade(text: object) -> int | None:
    """Find a grade (1–12) in a title, sheet or file name; None when it names none.

    >>> parse_grade("XX小学2024—2025学年第一学期五年级期末检测成绩统计表")
    5
    >>> parse_grade("ph七上月考成绩"), parse_grade("高一上期末考试成绩"), parse_grade("初三")
    (7, 10, 9)
    >>> parse_grade("成绩数据") is None
    True
    """
    s = norm(text)
    if not s:
        return None
    for pattern, kind in _GRADE_HINTS:
        m = pattern.search(s)
        if not m:
            continue
        token = next(g for g in m.groups() if g)
        n = cn_number(token)
        if n is None:
            continue
        if kind == "junior":
            return n + 6 if n <= 3 else n
        if kind == "senior":
            return n + 9
        return n
    return None


_CLASS_ID_RE = re.compile(r"^(\d{1,2})-(\d{1,3})$")


def changed_class(before: object, after: object) -> bool:
    """Whether a pupil in class ``before`` then ``after`` (canonical ids) changed class
    (转班). Moving up a grade with the same class number (七(1)班 ``7-1`` → 八(1)班 ``8-1``) is
    not a change; a new number, or anything else that differs, is.

    >>> changed_class("7-1", "8-1"), changed_class("7-1", "8-2"), changed_class("7-1", "7-2")
    (False, True, True)
    >>> changed_class("8-1", "7-1"), changed_class("实验班", "实验班")
    (True, False)
    """
    a, b = str(before), str(after)
    if a == b:
        return False
    ma, mb = _CLASS_ID_RE.match(a), _CLASS_ID_RE.match(b)
    return not (ma and mb and ma[2] == mb[2] and int(mb[1]) > int(ma[1]))
