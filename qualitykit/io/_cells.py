"""Turn one score cell into (score, status, level) (private).

Markers never become scores; a real 0 stays a score; full-width digits and numbers stored as
text are scores; "36，剔除" is a score the sheet itself excludes.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import NamedTuple

from .._text import norm
from ..schema import LEVEL_WORDS as LEVELS
from ..schema import STATUSES

MARKERS: dict[str, str] = {}
for _status, _words in {
    "absent": "缺考 缺 q 缺席 缺测 未考 未参加 旷考 缺考生",
    "excused": "请假 病假 事假 免考 免 免试 免修 缓考 休学",
    "transferred": "转学 转出 转走 离校 已转学 转",
    "cheated": "作弊 违纪 舞弊",
    "not_scanned": "未扫 未扫描 未扫到 漏扫",
    "excluded": "剔除 不计 不计排名 不计入 随班就读 特殊 已剔除",
    "not_taken": "n 未选考 未选 不选 不考 未选科 - -- — / 无",
}.items():
    for _w in _words.split():
        MARKERS[_w] = _status

_LETTER_LEVEL = re.compile(r"^[A-E][+-]?$")
_SPLIT = re.compile(r"[,，;；、()（）\[\]【】]+")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)分?$")

#: Each status's code, its position in STATUSES ("sat" is 0): cells are read into int8 codes.
STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}


class Cell(NamedTuple):
    score: float | None
    status: str  # a STATUSES value, or "blank"
    level: str | None
    problem: str | None  # set when the cell could not be read
    fix: str | None = None  # how to fix the sheet, when the usual hint does not fit


class SpecialCell:
    """A cell whose stored value is not its content: an Excel error or a formula never calculated.

    Spreadsheet readers show both as blanks; the grid reader puts one of these in their place so
    that the import reports them instead of counting the pupil as absent.
    """

    __slots__ = ("kind", "text")

    def __init__(self, kind: str, text: str):
        self.kind = kind  # "error", "formula", or "empty_formula" (a .xls formula whose result is "")
        self.text = text  # "#N/A", or the formula "=SUM(C3:E3)"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"SpecialCell({self.kind!r}, {self.text!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, SpecialCell) and (self.kind, self.text) == (other.kind, other.text)

    def __hash__(self) -> int:
        return hash((self.kind, self.text))

    @property
    def cell(self) -> Cell:
        if self.kind == "error":
            return Cell(None, "invalid", None,
                        f"是 Excel 错误值 {self.text} (error cell)",
                        "请在 Excel 中改正该单元格的公式或填入分数（缺考写“缺考”）后再导入")
        if self.kind == "empty_formula":
            return Cell(None, "invalid", None,
                        "是公式，结果为空或从未计算 (formula with an empty result)",
                        "请把该格改为分数（缺考写“缺考”）；如果是程序生成的表，请在 Excel（或 WPS）中"
                        "打开并保存后再导入")
        return Cell(None, "invalid", None,
                    "是没有计算结果的公式 (formula without a cached value)",
                    "公式没有计算结果：请在 Excel（或 WPS）中打开并保存该文件后再导入")


BLANK = Cell(None, "blank", None, None)


def blank(v: object) -> bool:
    """True for an empty cell (None, '', spaces, NaN, a .xls formula whose result is "").

    >>> blank(None), blank(" "), blank(float("nan")), blank(0), blank("缺考")
    (True, True, True, False, False)
    """
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, float):
        return v != v
    return isinstance(v, SpecialCell) and v.kind == "empty_formula"


def parse_cell(value: object) -> Cell:
    """Read one score cell.

    >>> parse_cell(85.5)[:2], parse_cell("８５")[:2]
    ((85.5, 'sat'), (85.0, 'sat'))
    >>> parse_cell("缺考，不计排名").status, parse_cell("Q").status, parse_cell("36，剔除")[:2]
    ('absent', 'absent', (36.0, 'excluded'))
    >>> parse_cell(0).score, parse_cell("良好").level, parse_cell("A+").level
    (0.0, '良好', 'A+')
    """
    if value is None:
        return BLANK
    if isinstance(value, SpecialCell):
        return value.cell
    if isinstance(value, bool):
        return Cell(None, "invalid", None, "布尔值不是分数 (boolean is not a score)")
    if isinstance(value, (int, float)):
        if value != value:
            return BLANK
        return Cell(float(value), "sat", None, None)
    if isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        return Cell(None, "invalid", None,
                    "单元格是日期/时间格式，不是分数 (date cell is not a score)；请把单元格格式改为数值")
    return _parse_text(str(value))


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Cell:
    s = norm(text)
    if not s:
        return BLANK
    if NUMBER_RE.match(s):
        return Cell(float(s.rstrip("分")), "sat", None, None)
    low = s.lower()
    if low in MARKERS:
        return Cell(None, MARKERS[low], None, None)
    if s.endswith("%") and NUMBER_RE.match(s[:-1]):
        return Cell(None, "invalid", None, "是百分数（得分率），不是分数 (percentage is not a score)",
                    "请填写原始分数；如果整列是得分率，请换成分数列后再导入")
    if s in LEVELS:
        return Cell(None, "sat", LEVELS[s], None)
    if _LETTER_LEVEL.match(s.upper()) and len(s) <= 2:
        return Cell(None, "sat", s.upper(), None)
    tokens = [t for t in _SPLIT.split(low) if t]
    number = next((t for t in tokens if NUMBER_RE.match(t)), None)
    status = next((MARKERS[t] for t in tokens if t in MARKERS), None)
    if status is None and not any(ch.isdigit() for ch in low):  # "因病缺考", not "85缺考"
        for word in sorted(MARKERS, key=len, reverse=True):
            if len(word) >= 2 and word in low:
                status = MARKERS[word]
                break
    if status is not None:
        score = float(number.rstrip("分")) if number is not None else None
        if score is not None and status in ("absent", "not_taken"):
            return Cell(None, "invalid", None,
                        f"既有分数 {number} 又标记缺考/未选考 (score and absence marker in one cell)")
        return Cell(score, status, None, None)
    return Cell(None, "invalid", None, "无法识别的内容 (unparseable cell)")


def taken_cells(frames: list, n: int):
    """pupil × subject: True where the pupil has a cell in the subject's frame (sat, absent …),
    False for a subject he did not take (an elective, kept out of the frames)."""
    import numpy as np

    taken = np.zeros((n, len(frames)), dtype=bool)
    for j, frame in enumerate(frames):  # frame[0]: positions of the pupils with a cell
        taken[frame[0], j] = True
    return taken

