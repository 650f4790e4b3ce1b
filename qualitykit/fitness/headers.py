"""What each column of a 体测 export holds: the item headers and their synonyms, the pupil
columns (学籍号/学号/考号, 姓名, 性别, 年级/年级编号, 班级/班级编号/班级名称), and the codes of the
national upload template (年级编号 11–16, 21–23, 31–33; 性别 1 男 2 女)."""

from __future__ import annotations

import re

from .._text import norm
from ..classes import parse_grade

__all__ = ["ITEM_HEADERS", "item_of_header", "header_word", "pupil_role", "codes_in", "parse_sex", "grade_from_code",
           "parse_grade_cell", "ENDURANCE"]

#: Header words (after the unit is cut off) → item id. ``耐力跑`` is resolved per pupil.
ITEM_HEADERS = {
    "身高": "height", "体重": "weight", "体重指数": "bmi", "bmi": "bmi", "体重指数bmi": "bmi",
    "肺活量": "vital_capacity",
    "50米跑": "sprint_50m", "50米": "sprint_50m", "50m": "sprint_50m", "50m跑": "sprint_50m",
    "50米短跑": "sprint_50m",
    "坐位体前屈": "sit_and_reach",
    "1分钟跳绳": "rope_skipping", "一分钟跳绳": "rope_skipping", "跳绳": "rope_skipping",
    "1分钟仰卧起坐": "sit_ups", "一分钟仰卧起坐": "sit_ups", "仰卧起坐": "sit_ups",
    "50米×8往返跑": "shuttle_50x8", "50米x8往返跑": "shuttle_50x8", "50×8往返跑": "shuttle_50x8",
    "50x8往返跑": "shuttle_50x8", "50米*8往返跑": "shuttle_50x8", "50*8往返跑": "shuttle_50x8",
    "往返跑": "shuttle_50x8", "50米×8": "shuttle_50x8", "50米x8": "shuttle_50x8",
    "立定跳远": "standing_long_jump",
    "引体向上": "pull_ups",
    "800米跑": "run_800m", "800米": "run_800m", "800m": "run_800m", "800m跑": "run_800m",
    "1000米跑": "run_1000m", "1000米": "run_1000m", "1000m": "run_1000m", "1000m跑": "run_1000m",
    "耐力跑": "endurance", "800/1000米跑": "endurance", "1000/800米跑": "endurance",
    "800米/1000米跑": "endurance", "1000米/800米跑": "endurance",
}
#: ``耐力跑`` columns: the item by school stage and sex.
ENDURANCE = "endurance"
_UNIT = re.compile(r"\((秒|s|分'秒\"?|分秒|分\.秒|厘米|cm|毫升|ml|千克|公斤|kg|次|个|米|m|千克/米2|"
                   r"kg/m2|kg/m²|千克/米²)\)$|(\((秒|次|个|厘米|毫升|千克)\)|/(秒|次|厘米|毫升|千克))$",
                   re.I)

_PUPIL_HEADERS = {
    "student_id": ("学籍号", "全国学籍号", "学号", "学生学号", "考号", "学生编号", "学籍辅号",
                   "教育id号", "身份证号"),
    "name": ("姓名", "学生姓名", "名字"),
    "sex": ("性别",),
    "grade": ("年级", "年级名称"),
    "grade_code": ("年级编号", "年级代码", "年级号"),
    "class": ("班级", "班级名称", "班名", "班别", "行政班"),
    "class_code": ("班级编号", "班级代码", "班号"),
    "school": ("学校", "学校名称", "校名"),
}
#: Preference among the id columns: 学籍号 (what the national upload uses) first.
ID_PREFERENCE = _PUPIL_HEADERS["student_id"]
#: The national template's 年级编号: 11–16 小学一至六年级, 21–23 初一至初三, 31–33 高一至高三.
GRADE_CODES = {**{10 + g: g for g in range(1, 7)}, **{20 + g: 6 + g for g in range(1, 4)},
               **{30 + g: 9 + g for g in range(1, 4)}}


def _clean(text: object) -> str:
    return norm(text).lower().replace("（", "(").replace("）", ")")


def item_of_header(text: object) -> str | None:
    """The item id of a header (its unit cut off), or None.

    >>> [item_of_header(h) for h in ("50米跑（秒）", "肺活量(毫升)", "1000米跑", "耐力跑", "姓名")]
    ['sprint_50m', 'vital_capacity', 'run_1000m', 'endurance', None]
    """
    t = _UNIT.sub("", _clean(text))
    return ITEM_HEADERS.get(t)


def header_word(text: object) -> str:
    """A header as compared with the lists: normalised, lower case, no ``*`` or colon.

    >>> header_word("学籍号*："), header_word(" 性 别 ")
    ('学籍号', '性别')
    """
    return re.sub(r"[*:：]", "", _clean(text))


def pupil_role(text: object) -> str | None:
    """The pupil column a header names (``student_id``, ``name``, ``sex``, ``grade``,
    ``grade_code``, ``class``, ``class_code``, ``school``), or None.

    >>> pupil_role("学籍号"), pupil_role("年级编号"), pupil_role("班级名称"), pupil_role("身高")
    ('student_id', 'grade_code', 'class', None)
    """
    t = header_word(text)
    return next((role for role, words in _PUPIL_HEADERS.items() if t in words), None)


def parse_sex(value: object) -> str | None:
    """男/女 from 男, 女, 1, 2 (the national template's codes), m/f, male/female; else None.

    >>> [parse_sex(v) for v in ("男", "女 ", 1, "2", "M", "female", "3")]
    ['男', '女', '男', '女', '男', '女', None]
    """
    t = _clean(value)
    if t in ("男", "1", "m", "male", "男生"):
        return "男"
    if t in ("女", "2", "f", "female", "女生"):
        return "女"
    return None


def grade_from_code(value: object) -> int | None:
    """A 年级编号 of the national template as a school year 1–12.

    >>> grade_from_code(11), grade_from_code("16"), grade_from_code(21), grade_from_code(33)
    (1, 6, 7, 12)
    >>> grade_from_code(41) is None
    True
    """
    t = _clean(value)
    return GRADE_CODES.get(int(t)) if t.isdigit() else None


def parse_grade_cell(value: object, codes: bool) -> int | None:
    """A 年级 cell: 一年级…六年级, 初一/七年级…, 高一…, numbers 1–12; with ``codes`` the
    national template's 年级编号.

    >>> [parse_grade_cell(v, False) for v in ("五年级", "初一", "七年级", "高三", 4, "12")]
    [5, 7, 7, 12, 4, 12]
    >>> parse_grade_cell(15, True), parse_grade_cell(15, False)
    (5, None)
    """
    if codes:
        return grade_from_code(value)
    t = _clean(value)
    if t.isdigit():
        return int(t) if 1 <= int(t) <= 12 else None
    return parse_grade(t)


def codes_in(values: list[object]) -> bool:
    """A 年级 column holding the national template's codes: some value is 13–16, 21–23 or
    31–33 (11 and 12 alone are read as 高二/高三).

    >>> codes_in([11, 15, 16]), codes_in([11, 12]), codes_in(["五年级"])
    (True, False, False)
    """
    found = {_clean(v) for v in values}
    return any(t.isdigit() and int(t) in GRADE_CODES and int(t) > 12 for t in found)
