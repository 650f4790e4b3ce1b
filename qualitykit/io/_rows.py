"""What a row under the header of a score sheet is (private).

Below the pupils, school sheets carry statistics (平均分, 合计, 及格率 …), footers (制表人,
打印日期, 第1页，共1页) and, above each class block, heading rows ("五年级（2）班"). None of these
is a pupil. Each is recognised here from its words, so that the importer skips it and says so,
or, for a heading, takes the class of the rows below from it.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .._text import norm
from ..classes import ClassName, parse_class
from ._cells import SpecialCell

#: Words of a statistics row (checked in the id, name, class and other non-score cells).
STATS_RE = re.compile(
    r"平均|均分|均值|合计|总计|小计|标准差|方差|及格率|合格率|优秀率|优良率|低分率|得分率|满分率|"
    r"最高分|最低分|中位数|众数|人数|统计|分数段|分段|全距|极差|难度|区分度|标准分|超均率|"
    r"汇总|计数|求和|得分|名次|排名|三率|"
    r"^总分$|^满分$|^满分值$|^average$|^mean$|^total$|^sum$|^max$|^min$|^count$", re.M)
#: Words of a footer or note row.
FOOTER_RE = re.compile(
    r"^注[:：]|^注$|^注意|备注|制表|填表|审核|审批|签字|签名|盖章|打印|导出时间|^日期[:：]|"
    r"^时间[:：]|第\d+页|共\d+页|页码|^说明[:：]|^说明$|统计人|负责人|^班主任[:：]|^任课教师[:：]|"
    r"^教师[:：]|^校长[:：]|教导处|教务处|数据来源|以上成绩|本表|^任课教师$|^科任教师$|^任课老师$|"
    r"^\d{4}[年./-]\d{1,2}[月./-]\d{1,2}日?$", re.M)
#: Labels of score-band tables (90-100, 60分以下, <60 …).
BAND_RE = re.compile(r"^\d{1,3}(\.\d+)?分?[-~～—–至到]\d{1,3}(\.\d+)?分?$|"
                     r"^\d{1,3}分?(以上|以下|及以上|及以下)$|^[<>≤≥＜＞]=?\d{1,3}|^\[\d{1,3}", re.M)


def _split(pattern: re.Pattern) -> tuple[tuple[str, ...], str]:
    """The plain words of an alternation, and its other alternatives as one pattern."""
    parts = pattern.pattern.split("|")
    words = tuple(w for w in parts if w.isalpha() and not w.isascii())
    return words, "|".join(p for p in parts if p not in words)


_STATS_WORDS, _STATS_REST = _split(STATS_RE)
_FOOTER_WORDS, _FOOTER_REST = _split(FOOTER_RE)
_ANCHORED = [p[1:] for p in f"{_STATS_REST}|{_FOOTER_REST}".split("|") if p.startswith("^")]
_ANCHORED_RE = re.compile("^(?:" + "|".join(_ANCHORED) + ")", re.M)
_PAGE_RE = re.compile(r"[第共]\d+页")


def any_non_pupil_text(texts: list[str]) -> bool:
    """True when any text could be a statistics or footer label, fast over whole columns
    (substring tests for the plain words; the anchored patterns once over all lines).

    >>> any_non_pupil_text(["张三", "李四"]), any_non_pupil_text(["张三", "第1页"])
    (False, True)
    """
    joined = "\n".join(texts)
    if any(w in joined for w in _STATS_WORDS + _FOOTER_WORDS):
        return True
    if "页" in joined and _PAGE_RE.search(joined):
        return True
    return _ANCHORED_RE.search(joined.lower()) is not None


def is_stats_text(text: str, bands: bool = True) -> bool:
    """True for the label of a statistics row (with ``bands``, also a score band: 90-100).

    >>> [is_stats_text(t) for t in ["平均分", "及格率(%)", "参考人数", "90-100", "张三", "总分"]]
    [True, True, True, True, False, True]
    >>> is_stats_text("5-12", bands=False), is_stats_text("2025-2026")
    (False, False)
    """
    return bool(text) and bool(STATS_RE.search(text.lower()) or (bands and BAND_RE.match(text)))


def is_footer_text(text: str) -> bool:
    """True for a footer or note.

    >>> [is_footer_text(t) for t in ["制表人：王老师", "第1页，共1页", "注：缺考不计", "李注"]]
    [True, True, True, False]
    """
    return bool(text) and bool(FOOTER_RE.search(text))


#: A class named inside a text: 五年级（2）班, 3班, 初一12班 (not 班主任, 班长).
CLASS_MENTION = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})[)）]?班(?!主任|长|委|会)")


def heading_class(row: list[object], grade_hint: int | None) -> ClassName | None:
    """The class a heading row names ("五年级（2）班" alone on its row, possibly merged across,
    or followed by labels such as 班主任：王敏、人数：22).

    >>> heading_class(["五年级（2）班", "五年级（2）班", None], None).class_id
    '5-2'
    >>> heading_class(["五年级（2）班期末成绩统计表"], None).class_id
    '5-2'
    >>> heading_class(["五年级（1）班 班主任：李华 人数：40"], None).class_id
    '5-1'
    >>> heading_class(["五年级（2）班", "班主任：王敏", "人数：22"], None).class_id
    '5-2'
    >>> heading_class(["五年级（2）班", "张三", 88], None) is None
    True
    """
    texts = list(dict.fromkeys(norm(v) for v in row if isinstance(v, str) and norm(v)))
    numbers = [v for v in row if isinstance(v, (int, float)) and v == v]
    if not texts or numbers:
        return None
    named = [t for t in texts if CLASS_MENTION.search(t)]
    if len(named) != 1 or len(CLASS_MENTION.findall(named[0])) != 1 or is_footer_text(named[0]):
        return None
    if any(t != named[0] and ":" not in t and "：" not in t for t in texts):
        return None
    parsed = parse_class(named[0], grade_hint)
    return parsed if parsed.number is not None else None


_HINT_WORDS = {
    "absent": ("缺考", "缺席", "未考", "未参加", "旷考", "没考"),
    "excused": ("请假", "病假", "事假", "免考", "缓考", "休学"),
    "transferred": ("转学", "转出", "已转走", "离校"),
    "cheated": ("作弊", "违纪", "舞弊"),
    "excluded": ("随班就读", "不计入", "不计", "剔除", "不参与统计", "不参加统计"),
}
_NAME_MARK = re.compile(r"^(.+?)[(（\[【](缺考|缺|请假|病假|免考|转学|转出|休学|作弊|随班就读|"
                        r"不计|缓考)[)）\]】]$")
COLOUR_RE = re.compile(r"颜色|底纹|底色|背景色|填充色|标红|标黄|标绿|标蓝|涂色|[红黄绿蓝橙紫灰]色")


def status_hint(text: str) -> tuple[str, tuple[str, ...]] | None:
    """What a 备注 or 考试状态 cell says about the pupil's sitting: a status and the subjects it
    names (none named: every subject).

    >>> status_hint("语文缺考"), status_hint("随班就读，不计入统计"), status_hint("正常")
    (('absent', ('语文',)), ('excluded', ()), None)
    """
    from ..subjects import SUBJECT_ALIASES

    s = norm(text)
    if not s:
        return None
    status = next((st for st, words in _HINT_WORDS.items() if any(w in s for w in words)), None)
    if status is None:
        return None
    subjects = tuple(dict.fromkeys(
        SUBJECT_ALIASES[a] for a in sorted(SUBJECT_ALIASES, key=len, reverse=True)
        if len(a) >= 2 and not a.isascii() and a in s))
    return status, subjects


def name_mark(name: str) -> tuple[str, str] | None:
    """A status written after the name: ``张三(缺考)`` → ("张三", "缺考")."""
    m = _NAME_MARK.match(name)
    return (m[1], m[2]) if m else None


_SCIENTIFIC = re.compile(r"^[+]?\d(\.\d+)?[eE]\+?\d{1,2}$")


def normalise_id(value: object) -> tuple[str, str | None]:
    """A student id as text, and a note when it had to be repaired.

    Ids that Excel turned into numbers in scientific notation (``1.0051E+05``) are written out
    in full; a leading apostrophe (``'00123``, typed to keep the zeros) is dropped.

    >>> normalise_id("1.0051E+05"), normalise_id("'00123"), normalise_id(202301.0)
    (('100510', 'scientific'), ('00123', None), ('202301', None))
    """
    if isinstance(value, SpecialCell):
        return str(value), "special"
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e15:
        return str(int(value)), "long_number"
    text = norm(value)
    if text.startswith(("'", "‘", "’")):
        text = text[1:]
    if re.fullmatch(r"\d+\.0+", text):  # 2025001.0 from a program that wrote ids as floats
        return text.split(".")[0], None
    if _SCIENTIFIC.match(text):
        try:
            return str(int(Decimal(text))), "scientific"
        except (InvalidOperation, ValueError):
            return text, None
    return text, None
