"""One cell of a 体测 export as a measurement: numbers with their units, times in every way
schools write them, and the words that say an item was not measured.

Times become **seconds**. Written forms accepted for a time:

==========================  =====================================
``245``, ``245秒``           seconds
``4'05"``, ``4′05″``, ``4'05``, ``4’05”``  minutes and seconds (any prime or quote)
``4:05``, ``4：05``          minutes and seconds
``4分05秒``, ``4分5秒``        minutes and seconds
``4.05`` (a number)         *minutes.seconds* only when every number of the column is < 15
                            (:func:`minutes_dot_seconds`), else seconds; the import report
                            says which reading was taken
``8"5`` (50米跑 only)        8.5 s (the stop-watch way of writing tenths)
an Excel time 00:04:05      4 min 5 s; a time 04:05:00 (typed ``4:05``, which Excel reads as
                            hours:minutes) is read as 4 min 5 s and the report says so
==========================  =====================================
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import NamedTuple

from .._text import norm
from ..io._cells import MARKERS, SpecialCell, blank

__all__ = ["TIMED_ITEMS", "LONG_RUNS", "CellValue", "read_value", "minutes_dot_seconds",
           "not_measured_reason"]

#: Items measured as a time (seconds).
TIMED_ITEMS = frozenset({"sprint_50m", "shuttle_50x8", "run_800m", "run_1000m"})
#: Items whose times run to minutes (a bare ``4.05`` may mean 4 min 05 s).
LONG_RUNS = frozenset({"shuttle_50x8", "run_800m", "run_1000m"})
#: Below this, every number of a long-run column is read as minutes.seconds.
MINUTES_DOT_LIMIT = 15
#: Words (besides the score sheets' markers) that say an item was not measured.
_NOT_MEASURED = ("免测", "缺测", "未测", "病假", "伤病", "残疾", "免考", "请假", "缺考", "缺席",
                 "事假", "补测", "因病", "受伤", "不测")
_UNITS = re.compile(r"(秒|s|厘米|cm|毫升|ml|千克|公斤|kg|次|个|米|m)$", re.I)
_MIN_SEC = re.compile(r"^(\d{1,2})\s*(?:['′’‘:：]|分钟?)\s*(\d{1,2}(?:\.\d+)?)\s*(?:[\"″”“]|''|′′|秒)?$")
_TENTHS = re.compile(r"^(\d{1,2})(?:[\"″”]|′′)(\d)$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class CellValue(NamedTuple):
    """A cell read: ``value`` (None when there is none), ``reason`` (not measured: the word
    written), ``problem`` and ``fix`` (cannot be read), ``note`` (read, with a remark)."""

    value: float | None
    reason: str = ""
    problem: str = ""
    fix: str = ""
    note: str = ""


NOTHING = CellValue(None)


def not_measured_reason(text: str) -> str:
    """The word that says an item was not measured (免测, 缺测, 病假 …), or "".

    >>> not_measured_reason("免测"), not_measured_reason("因病免测"), not_measured_reason("8.5")
    ('免测', '因病免测', '')
    """
    low = text.lower()
    if low in MARKERS and low not in ("-", "--", "—", "/", "n"):
        return text
    return text if any(w in text for w in _NOT_MEASURED) else ""


def minutes_dot_seconds(number: float) -> float | None:
    """``4.05`` read as 4 min 05 s → 245.0; ``4.5`` (4.50 after Excel drops the 0) → 290.0;
    None when the part after the point is not 0–59 seconds.

    >>> minutes_dot_seconds(4.05), minutes_dot_seconds(4.5), minutes_dot_seconds(3.59)
    (245.0, 290.0, 239.0)
    >>> minutes_dot_seconds(4.75) is None
    True
    """
    minutes = math.floor(number)
    seconds = round((number - minutes) * 100, 6)
    if seconds >= 60 or abs(seconds - round(seconds)) > 1e-6:
        return None
    return float(minutes * 60 + round(seconds))


def _time_cell(value, item: str) -> CellValue:
    """An Excel time or duration in a time column."""
    if isinstance(value, _dt.timedelta):
        return CellValue(value.total_seconds())
    if isinstance(value, _dt.datetime):
        value = value.time()
    if value.hour == 0:
        return CellValue(value.minute * 60 + value.second + value.microsecond / 1e6)
    if value.second == 0 and item in LONG_RUNS:
        return CellValue(float(value.hour * 60 + value.minute),
                         note=f"单元格是时间 {value.hour}:{value.minute:02d}（Excel 按“时:分”存储），"
                              f"按 {value.hour} 分 {value.minute:02d} 秒读取")
    return CellValue(None, problem=f"时间 {value} 不是这个项目可能的成绩",
                     fix="请把该格改为“分'秒\"”（如 4'05\"）或秒数（如 245）")


def _text_time(text: str, item: str) -> CellValue | None:
    """A time written as text (None when the text is no time)."""
    m = _MIN_SEC.match(text)
    if m:
        minutes, seconds = int(m[1]), float(m[2])
        if seconds >= 60:
            return CellValue(None, problem=f"“{text}”的秒数 {m[2]} 不小于 60",
                             fix="请改为正确的分和秒，如 4'05\"")
        return CellValue(minutes * 60 + seconds)
    m = _TENTHS.match(text)
    if m and item == "sprint_50m":
        return CellValue(float(f"{m[1]}.{m[2]}"))
    return None


def read_value(value: object, item: str, *, minutes_dot: bool = False) -> CellValue:
    """Read one measurement cell of ``item``.

    Parameters
    ----------
    value : object
        The raw cell.
    item : str
        The item id (times are read as seconds for :data:`TIMED_ITEMS`).
    minutes_dot : bool
        The column's plain numbers are minutes.seconds (:func:`minutes_dot_seconds`).

    Examples
    --------
    >>> [read_value(v, "run_1000m").value for v in ("4'05\\"", "4′05″", "4:05", "4分05秒", 245)]
    [245.0, 245.0, 245.0, 245.0, 245.0]
    >>> read_value(4.05, "run_1000m", minutes_dot=True).value, read_value("8\\"5", "sprint_50m").value
    (245.0, 8.5)
    >>> read_value("免测", "height").reason, read_value("abc", "height").problem[:6]
    ('免测', '无法识别内容')
    """
    if blank(value):
        return NOTHING
    if isinstance(value, SpecialCell):
        return CellValue(None, problem=f"是 Excel 错误值或未计算的公式 {value.text}",
                         fix="请在 Excel 中改为测试成绩（未测写“缺测”或“免测”）")
    if isinstance(value, bool):
        return CellValue(None, problem="是布尔值，不是测试成绩", fix="请填写测试成绩")
    if isinstance(value, (_dt.time, _dt.timedelta, _dt.datetime)) and item in TIMED_ITEMS:
        return _time_cell(value, item)
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        return CellValue(None, problem="单元格是日期/时间格式，不是测试成绩",
                         fix="请把单元格格式改为数值（或文本）后重新填写")
    if isinstance(value, (int, float)):
        return _number_value(float(value), item, minutes_dot)
    return _text_value(norm(value), item, minutes_dot)


def _number_value(number: float, item: str, minutes_dot: bool) -> CellValue:
    if minutes_dot and item in LONG_RUNS:
        seconds = minutes_dot_seconds(number)
        if seconds is None:
            return CellValue(None, problem=f"{number:g} 按“分.秒”读时秒数不在 0–59 之间",
                             fix="请改为“分'秒\"”（如 4'05\"）或秒数（如 245）")
        return CellValue(seconds)
    return CellValue(number)


def _text_value(text: str, item: str, minutes_dot: bool) -> CellValue:
    reason = not_measured_reason(text)
    if reason:
        return CellValue(None, reason=reason)
    if item in TIMED_ITEMS:
        timed = _text_time(text, item)
        if timed is not None:
            return timed
    bare = _UNITS.sub("", text)
    if _NUMBER.match(bare):
        return _number_value(float(bare), item, minutes_dot)
    fix = ("请填写秒数（如 245）或“分'秒\"”（如 4'05\"）；未测写“缺测”，免测写“免测”"
           if item in TIMED_ITEMS else "请填写数值；未测写“缺测”，免测写“免测”")
    return CellValue(None, problem=f"无法识别内容“{text}”", fix=fix)
