"""Thresholds, weights and presets: the one typed place where a school's rules live.

Every line and weight the kit uses comes from a :class:`Standard`. Named presets record their
source; a school can keep its own rules in a TOML file (see ``templates/standard.toml``).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

__all__ = ["Standard", "PRESETS", "get_standard", "AlertRules", "EvaluationRules"]

ABOVE_MEAN_VARIANTS = ("relative_mean", "relative_rate", "share_above")
ROUNDING = ("none", "ceil", "round")
COMPOSITE_PARTS = ("mean", "pass_rate", "excellent_rate", "low_rate", "all_pass_rate",
                   "full_mark_rate")


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


class _Pickled:
    """Frozen rules pickle as their fields, the read-only mappings as plain dicts (a
    ``mappingproxy`` cannot be pickled); unpickling builds them again through ``__init__``,
    checked and frozen as when they were made. ``qualitykit report`` hands a term's standard
    from its kernel to the process that writes the Word files (:mod:`qualitykit.report.office`).
    """

    def __reduce__(self):
        values = {f.name: dict(v) if isinstance(v := getattr(self, f.name), MappingProxyType)
                  else v for f in fields(self) if f.init}
        return _rebuilt, (type(self), values)


def _rebuilt(kind: type, values: dict):
    return kind(**values)


def _whole(value: float, least: int) -> bool:
    return int(value) == value and value >= least


def _unknown_parts(weights: Mapping) -> list[str]:
    return sorted(set(weights) - set(COMPOSITE_PARTS))


def _bad_rank_lines(lines: Mapping) -> dict:
    return {k: v for k, v in lines.items() if k not in ("pass", "excellent") or not 0 < v <= 1}


def _bad_letters(letters: Mapping, bands) -> dict:
    names = [label for label, _ in bands]
    return {k: v for k, v in letters.items()
            if v not in names or not re.fullmatch(r"[A-Ea-e][+-]?", str(k))}


_ITEM_SHARES = ("item_group_share", "item_easy", "item_hard", "item_very_easy", "item_very_hard",
                "item_error_rate", "knowledge_weak_rate", "knowledge_weak_share",
                "distractor_min_share")


class _Rule(NamedTuple):
    """What some settings may be. ``each``: the test takes one setting's value and the message
    is filled with its ``name`` and ``value``; otherwise the test takes the values of all the
    settings together and the message is a function of them or a text with ``{0}``, ``{1}`` …"""

    settings: tuple[str, ...]
    test: Callable[..., bool]
    message: str | Callable[..., str]
    each: bool = True

    def problem(self, std: Standard) -> str | None:
        """The message of the first value that fails the test, or None."""
        values = [getattr(std, name) for name in self.settings]
        if self.each:
            return next((self.message.format(name=name, value=value)
                         for name, value in zip(self.settings, values) if not self.test(value)),
                        None)
        if self.test(*values):
            return None
        return self.message(*values) if callable(self.message) else self.message.format(*values)


#: The allowed values of the settings, checked in this order when a Standard is made.
_RULES = (
    _Rule(("pass_line", "excellent_line", "low_line", "lower_primary_excellent_line"),
          lambda v: 0 < v <= 1, "{name} 应为满分的比例 (0, 1]，如 0.6 表示 60%；收到 {value!r}。"),
    _Rule(("low_line", "pass_line", "excellent_line"), lambda low, pass_, exc: low <= pass_ <= exc,
          "应满足 low_line ≤ pass_line ≤ excellent_line（低分线 ≤ 及格线 ≤ 优秀线）；"
          "收到 {0}, {1}, {2}。", each=False),
    _Rule(("rounding",), lambda v: v in ROUNDING, f"{{name}} 应为 {ROUNDING} 之一，收到 {{value!r}}。"),
    _Rule(("above_mean_variant",), lambda v: v in ABOVE_MEAN_VARIANTS,
          f"{{name}} 应为 {ABOVE_MEAN_VARIANTS} 之一，收到 {{value!r}}。"),
    _Rule(("composite_weights",), lambda w: not _unknown_parts(w), each=False, message=lambda w:
          f"composite_weights 中有未知的指标 {_unknown_parts(w)}；可用：{COMPOSITE_PARTS}。"),
    _Rule(("rank_lines",), lambda lines: not _bad_rank_lines(lines), each=False,
          message=lambda lines: "rank_lines 的写法如 {\"excellent\": 0.2}（前 20% 为优秀），"
          f"键只能是 pass / excellent，比例在 (0, 1]；收到 {_bad_rank_lines(lines)}。"),
    _Rule(("enrichment_top", "support_bottom"), lambda v: 0 <= v < 1,
          "{name} 应为 [0, 1) 之间的比例，如 0.1 表示 10%（0 表示不用这条规则）；收到 {value!r}。"),
    _Rule(("enrichment_line",), lambda v: 0 <= v <= 1,
          "{name} 应为满分的比例 [0, 1]，如 0.9 表示 90%（0 表示不设培优线）；收到 {value!r}。"),
    _Rule(("support_bottom", "support_max"), lambda bottom, top: 0 < top <= 1 and bottom <= top,
          "support_max 应为 (0, 1] 之间的比例，且不小于 support_bottom（补差名单至多占年级该科的比例，"
          "1 表示不限）；收到 support_bottom={0!r}, support_max={1!r}。", each=False),
    _Rule(("borderline_share",), lambda v: 0 <= v < 0.5,
          "{name} 应为满分的比例 [0, 0.5)，如 0.05 表示线下满分的 5%（满分 100 即 5 分）；"
          "收到 {value!r}。"),
    _Rule(("borderline_above",), lambda v: isinstance(v, bool),
          "{name} 应为 true 或 false（是否把刚过线的学生也列入临界）；收到 {value!r}。"),
    _Rule(("borderline_points", "lopsided_z"), lambda points, z: points >= 0 and z > 0,
          "borderline_points 应 ≥ 0（分），lopsided_z 应 > 0（标准差）；收到 {0!r}, {1!r}。",
          each=False),
    _Rule(("support_exams", "lopsided_min_subjects", "improved_top"), lambda v: _whole(v, 1),
          "{name} 应为正整数；收到 {value!r}。"),
    _Rule(_ITEM_SHARES, lambda v: 0 < v < 1, "{name} 应为 (0, 1) 之间的比例；收到 {value!r}。"),
    _Rule(("item_very_hard", "item_hard", "item_easy", "item_very_easy", "item_group_share"),
          lambda very_hard, hard, easy, very_easy, group: (very_hard <= hard < easy <= very_easy
                                                           and group <= 0.5),
          "应满足 item_very_hard ≤ item_hard < item_easy ≤ item_very_easy，且 item_group_share ≤ 0.5。",
          each=False),
    _Rule(("item_min_students",), lambda v: _whole(v, 3), "{name} 应为 ≥ 3 的整数；收到 {value!r}。"),
    _Rule(("level_letters", "level_bands"), lambda letters, bands: not _bad_letters(letters, bands),
          each=False, message=lambda letters, bands:
          "level_letters 的写法如 {\"A\": \"优秀\", \"B\": \"良好\"}：键是等级字母 A–E（可带 + 或 -），"
          f"值是 level_bands 中的等级 {[label for label, _ in bands]}；"
          f"收到 {_bad_letters(letters, bands)}。"),
)


ALERT_BOTTOM = ("last", "count", "share")
EVALUATION_PARTS = ("across", "over_time", "balance", "value_added")


@dataclass(frozen=True)
class AlertRules(_Pickled):
    """约谈 / 黄牌 / 红牌: the ``[alerts]`` section of a standard's TOML.

    Parameters
    ----------
    term : int
        Which term's exam stands for the school year: 2 (the spring term) by default.
    exam : str
        Which exam of that term: 期末 by default (matched in the exam's name).
    bottom : {"last", "count", "share"}
        低位: the last place, the bottom ``bottom_count`` places, or the bottom
        ``bottom_share`` of the units (rounded up: 10 % of 12 is the last 2).
    bottom_count : int
    bottom_share : float
    use_decline, use_bottom : bool
        Whether 下滑 (a decline beyond chance since the year before) and 低位 count.
    levels : tuple of str
        What one, two and three (or more) consecutive years are called.
    confidence : float
        Of every interval the rule reads.
    """

    term: int = 2
    exam: str = "期末"
    bottom: str = "last"
    bottom_count: int = 1
    bottom_share: float = 0.10
    use_decline: bool = True
    use_bottom: bool = True
    levels: tuple[str, ...] = ("约谈", "黄牌", "红牌")
    confidence: float = 0.95

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(self.levels))
        problems = [
            (self.term in (1, 2), f"[alerts] term 应为 1 或 2（第一/第二学期），收到 {self.term!r}。"),
            (self.bottom in ALERT_BOTTOM, f"[alerts] bottom 应为 {ALERT_BOTTOM} 之一（末位 / 倒数几名 / "
                                          f"倒数百分之几），收到 {self.bottom!r}。"),
            (_whole(self.bottom_count, 1), f"[alerts] bottom_count 应为正整数，收到 {self.bottom_count!r}。"),
            (0 < self.bottom_share < 1, f"[alerts] bottom_share 应为 (0, 1) 之间的比例，如 0.1，"
                                        f"收到 {self.bottom_share!r}。"),
            (len(self.levels) >= 1, "[alerts] levels 至少要写一级，如 [\"约谈\", \"黄牌\", \"红牌\"]。"),
            (0.5 < self.confidence < 1, f"[alerts] confidence 应在 (0.5, 1) 之间，如 0.95，"
                                        f"收到 {self.confidence!r}。"),
            (self.use_decline or self.use_bottom,
             "[alerts] use_decline 和 use_bottom 至少要有一个为 true。")]
        problem = next((message for ok, message in problems if not ok), None)
        if problem:
            raise ValueError(problem)


@dataclass(frozen=True)
class EvaluationRules(_Pickled):
    """教师综合评价: the ``[evaluation]`` section of a standard's TOML.

    Parameters
    ----------
    weights : mapping
        Weight of each component in the combined score: ``across`` (横向, against the grade),
        ``over_time`` (纵向, against last time), ``balance`` (均衡), ``value_added`` (增值), and
        ``routine`` (教学常规考核: the 常规考核得分 of ``qualitykit routine``, given to
        ``qualitykit evaluate --routine``), and the name of any column of the school's own
        scores (教学常规检查得分, 问卷 …).
        Components that cannot be computed (no earlier exam) are left out and the others
        re-weighted; each weight is stated in the output.
    confidence : float
        Of every interval.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: _frozen(
        {"across": 0.4, "over_time": 0.2, "balance": 0.2, "value_added": 0.2, "routine": 0.2}))
    confidence: float = 0.95

    def __post_init__(self) -> None:
        object.__setattr__(self, "weights", _frozen(self.weights))
        bad = {k: v for k, v in self.weights.items()
               if not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0}
        if bad or not any(self.weights.values()):
            raise ValueError(f"[evaluation] weights 应为非负数且不全为 0，如 "
                             f"{{ across = 0.4, balance = 0.2 }}；收到 {dict(self.weights)}。")
        if not 0.5 < self.confidence < 1:
            raise ValueError(f"[evaluation] confidence 应在 (0.5, 1) 之间，收到 {self.confidence!r}。")


_SECTIONS = {"alerts": AlertRules, "evaluation": EvaluationRules}


def _section(name: str, table: Mapping, file: str):
    """A ``[alerts]`` or ``[evaluation]`` table of a TOML file as its rules."""
    kind = _SECTIONS[name]
    if not isinstance(table, Mapping):
        raise ValueError(f"{file} 中 {name} 应写成一节 [{name}]。")
    unknown = sorted(set(table) - {f.name for f in fields(kind)})
    if unknown:
        raise ValueError(f"{file} 的 [{name}] 中有未知的设置 {unknown}；"
                         f"可用：{sorted(f.name for f in fields(kind))}。")
    return kind(**table)


@dataclass(frozen=True)
class Standard(_Pickled):
    """A school's or district's rules for the indicators.

    Parameters
    ----------
    name, source : str
        What the preset is called and where its numbers come from.
    pass_line, excellent_line, low_line : float
        Cut lines as a share of the full mark: pass = score ≥ 60 %, excellent ≥ 85 %,
        low = score < 40 % by default.
    rounding : {"none", "ceil", "round"}
        How a cut line in points is rounded (e.g. 60 % of 150 = 90; 85 % of 75 = 63.75 → 64).
    composite_weights : mapping
        Weights of 综合分 over ``mean`` (as a share of the full mark), ``pass_rate``,
        ``excellent_rate``, ``low_rate`` (give it a negative weight), ``all_pass_rate``,
        ``full_mark_rate``; the result is on a 0–100 scale.
    level_bands : tuple of (label, share)
        等级 bands from the top: a score at or above ``share × full_mark`` gets ``label``.
    lower_primary_grades, lower_primary_excellent_line, lower_primary_level_bands
        Grades 1–2 often use 90 % for 优秀 and 90/80/60 for 等级.
    level_letters : mapping
        Letter grades written on 等级-only sheets → the level they mean: A→优秀, B→良好,
        C→合格, D and E→待合格 by default. A key with a sign (``"A+"``) is looked up first,
        then its letter (A+, A, A- are all 优秀 unless ``"A-"`` is given its own level).
        The levels are the labels of ``level_bands`` (four, from the top).
    above_mean_variant : {"relative_mean", "relative_rate", "share_above"}
        超均率: (unit mean − reference mean) / reference mean (default); the same on the pass
        rate; or the share of students at or above the reference mean.
    full_marks : mapping
        Subject → full mark, used by the importer when the sheet does not say (default 100).
    rank_lines : mapping, optional
        Rank-relative lines instead of shares of the full mark, e.g. ``{"excellent": 0.2}``:
        优秀 = the top 20 % of the sitters of the same exam × subject (ties with the last
        student inside the share are included). Keys ``pass`` and ``excellent``.
    double_high_subject, double_high_all : float
        双高普九: every single-subject pass rate ≥ 90 % and the all-subject pass rate ≥ 85 %.
    enrichment_top : float
        培优: the grade's top share of the subject (10 %; pupils tied with the last one inside
        are included, so a list may be a little longer). 0 switches the rule off.
    enrichment_line : float
        培优 also takes every pupil at or above this share of the full mark (the school's own
        培优线, e.g. 0.9, or ``excellent_line`` to list everyone at 优秀). Default 0: none, so
        that the list stays about a tenth of the grade where half of it reaches 优秀.
    borderline_share : float
        临界: within this share of the full mark below the pass or excellent line (拟合格,
        拟优): 5 %, i.e. 5 points on a 100-point paper, 6 on 120, 7.5 on 150, 2 on a 40-point
        test, so that the band is as wide on every paper.
    borderline_points : float
        A band of this many points instead, on every paper (some schools use 5 or 10).
        Default 0: the band is ``borderline_share``.
    borderline_above : bool
        临界 also lists the pupils at or above a line by less than ``borderline_points`` (at
        risk of falling back, 易滑落). Default False: the list is the band below the lines.
    support_bottom : float
        补差: the grade's bottom share of the subject is always on the list (10 %).
    support_max : float
        补差: pupils below the pass line are listed up to this share of the grade (20 %): where
        more fail, the lowest 20 % are listed (the others near the line are on 临界). 1 lists
        every pupil below the pass line.
    support_exams : int
        Judge 补差 by the mean 得分率 of the student's last n exams (this one included) instead
        of this exam alone; 1 = this exam only.
    lopsided_z, lopsided_min_subjects : float, int
        偏科: a subject's Z at least ``lopsided_z`` below the student's own mean Z over the
        subjects he sat (at least ``lopsided_min_subjects`` of them).
    improved_top : int
        学习进步奖 candidates: the most improved students of each class (by the change in Z).
    item_group_share : float
        试卷分析: the upper and lower score groups for the discrimination D (27 %, Kelley).
    item_min_students : int
        No D, item–total correlation or α for fewer students than this (20).
    item_easy, item_hard : float
        难度 bands: P ≥ 0.70 容易, P < 0.40 较难, in between 中等.
    item_very_easy, item_very_hard : float
        Flags: P ≥ 0.90 (too easy to tell students apart), P ≤ 0.20 (too hard).
    item_error_rate : float
        Items listed for the meeting: 失分率 (1 − P) at or above 40 %.
    knowledge_weak_rate, knowledge_weak_share : float
        共性弱项: a knowledge point's 得分率 below 40 % with at least 30 % of the students
        below the pass share (``pass_line``) on it.
    distractor_min_share : float
        A distractor chosen by fewer than 5 % of the students does not work (无效干扰项).
    va_min_students : int
        增值评价: a class or teacher with fewer pupils matched between the two exams than this
        (10) is marked as too small to read.
    trend_periods : int
        趋势: a decline or a bottom position is flagged only when it holds, with intervals that
        support it, in this many consecutive periods (2; districts escalate at 2–3 years).
    sgp_min_students : int
        成长百分位: no growth percentiles for fewer pupils of one grade × subject than this (50).
    alerts : AlertRules
        约谈 / 黄牌 / 红牌 (:func:`qualitykit.alerts`): the ``[alerts]`` section of the TOML.
    evaluation : EvaluationRules
        教师综合评价 (:func:`qualitykit.evaluate_teachers`): the ``[evaluation]`` section.
    irt_low_a : float
        项目反应模型: a discrimination a below this (0.65) is low — Baker (2001, *The Basics of
        Item Response Theory*, ch. 2): 0.35–0.64 low, 0.65–1.34 moderate, ≥ 1.35 high.
    """

    name: str = "default"
    source: str = "DOMAIN.md 默认值：及格 60%、优秀 85%、低分 40%；综合分 均 0.4 / 及 0.3 / 优 0.3"
    pass_line: float = 0.60
    excellent_line: float = 0.85
    low_line: float = 0.40
    rounding: str = "none"
    composite_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"mean": 0.4, "pass_rate": 0.3, "excellent_rate": 0.3}))
    level_bands: tuple[tuple[str, float], ...] = (("优秀", 0.85), ("良好", 0.75), ("合格", 0.60),
                                                  ("待合格", 0.0))
    lower_primary_grades: tuple[int, ...] = (1, 2)
    lower_primary_excellent_line: float = 0.90
    lower_primary_level_bands: tuple[tuple[str, float], ...] = (
        ("优秀", 0.90), ("良好", 0.80), ("合格", 0.60), ("待合格", 0.0))
    level_letters: Mapping[str, str] = field(default_factory=lambda: _frozen(
        {"A": "优秀", "B": "良好", "C": "合格", "D": "待合格", "E": "待合格"}))
    above_mean_variant: str = "relative_mean"
    full_marks: Mapping[str, float] = field(default_factory=lambda: _frozen({}))
    rank_lines: Mapping[str, float] = field(default_factory=lambda: _frozen({}))
    double_high_subject: float = 0.90
    double_high_all: float = 0.85
    enrichment_top: float = 0.10
    enrichment_line: float = 0.0
    borderline_share: float = 0.05
    borderline_points: float = 0.0
    borderline_above: bool = False
    support_bottom: float = 0.10
    support_max: float = 0.20
    support_exams: int = 1
    lopsided_z: float = 1.0
    lopsided_min_subjects: int = 3
    improved_top: int = 3
    item_group_share: float = 0.27
    item_min_students: int = 20
    item_easy: float = 0.70
    item_hard: float = 0.40
    item_very_easy: float = 0.90
    item_very_hard: float = 0.20
    item_error_rate: float = 0.40
    knowledge_weak_rate: float = 0.40
    knowledge_weak_share: float = 0.30
    distractor_min_share: float = 0.05
    va_min_students: int = 10
    trend_periods: int = 2
    sgp_min_students: int = 50
    alerts: AlertRules = field(default_factory=AlertRules)
    evaluation: EvaluationRules = field(default_factory=EvaluationRules)
    irt_low_a: float = 0.65

    def __post_init__(self) -> None:
        problem = next(filter(None, (rule.problem(self) for rule in _RULES)), None)
        if problem:
            raise ValueError(problem)
        object.__setattr__(self, "composite_weights", _frozen(self.composite_weights))
        object.__setattr__(self, "rank_lines", _frozen(self.rank_lines))
        object.__setattr__(self, "full_marks", _frozen(self.full_marks))
        object.__setattr__(self, "level_bands", tuple(tuple(b) for b in self.level_bands))
        object.__setattr__(self, "lower_primary_level_bands",
                           tuple(tuple(b) for b in self.lower_primary_level_bands))
        object.__setattr__(self, "level_letters",
                           _frozen({str(k).upper(): v for k, v in self.level_letters.items()}))

    @property
    def level_names(self) -> tuple[str, ...]:
        """The 等级 from the top, as ``level_bands`` names them.

        >>> Standard().level_names
        ('优秀', '良好', '合格', '待合格')
        """
        return tuple(label for label, _ in self.level_bands)

    # ---- cut lines --------------------------------------------------------------------------
    def line(self, which: str, full_mark: float, grade: int | None = None) -> float:
        """A cut line in points.

        >>> Standard().line("pass", 150), Standard().line("excellent", 100, grade=1)
        (90.0, 90.0)
        >>> Standard(rounding="ceil").line("excellent", 75)
        64.0
        """
        share = {"pass": self.pass_line, "excellent": self.excellent_line,
                 "low": self.low_line, "enrichment": self.enrichment_line}[which]
        if which == "excellent" and grade is not None and grade in self.lower_primary_grades:
            share = self.lower_primary_excellent_line
        points = share * full_mark
        points = round(points, 9)  # 0.6 * 150 is 89.99999999999999 in binary
        if self.rounding == "ceil":
            return float(math.ceil(points))
        if self.rounding == "round":
            return float(math.floor(points + 0.5))
        return float(points)

    def bands(self, grade: int | None = None) -> tuple[tuple[str, float], ...]:
        if grade is not None and grade in self.lower_primary_grades:
            return self.lower_primary_level_bands
        return self.level_bands

    # ---- construction -----------------------------------------------------------------------

    def full_marks_with(self, given: Mapping[str, float] | None = None) -> dict[str, float]:
        """The standard's full marks with the ones given for this sheet on top.

        >>> Standard(full_marks={"语文": 120, "数学": 120}).full_marks_with({"数学": 150})
        {'语文': 120, '数学': 150}
        """
        return {**self.full_marks, **(given or {})}

    @classmethod
    def from_toml(cls, path: str | Path) -> Standard:
        """Read a school's standard from a TOML file (``preset = "…"`` starts from a preset)."""
        path = Path(path)
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        base = PRESETS[data.pop("preset", "default")]
        allowed = {f.name for f in fields(cls)}
        unknown = set(data) - allowed
        if unknown:
            raise ValueError(f"{path.name} 中有未知的设置 {sorted(unknown)}；可用：{sorted(allowed)}。")
        for key in ("level_bands", "lower_primary_level_bands"):
            if key in data:
                data[key] = tuple((str(label), float(share)) for label, share in data[key])
        for name in _SECTIONS:
            if name in data:
                data[name] = _section(name, data[name], path.name)
        if "lower_primary_grades" in data:
            data["lower_primary_grades"] = tuple(data["lower_primary_grades"])
        data.setdefault("name", path.stem)
        data.setdefault("source", f"{path.name}")
        return replace(base, **data)


PRESETS: dict[str, Standard] = {
    "default": Standard(),
    "county_teacher": Standard(
        name="county_teacher",
        source="县级教师考核方案常用：综合分 均 0.5 / 及 0.3 / 优 0.2（DOMAIN.md）",
        composite_weights={"mean": 0.5, "pass_rate": 0.3, "excellent_rate": 0.2}),
    "pass_focus": Standard(
        name="pass_focus", source="重合格率方案：综合分 均 0.3 / 及 0.5 / 优 0.2（DOMAIN.md）",
        composite_weights={"mean": 0.3, "pass_rate": 0.5, "excellent_rate": 0.2}),
    "primary_grade": Standard(
        name="primary_grade",
        source="小学年级综合分：均 0.1 / 及 0.4 / 优 0.3 / 全科合格 0.2（DOMAIN.md）",
        composite_weights={"mean": 0.1, "pass_rate": 0.4, "excellent_rate": 0.3,
                           "all_pass_rate": 0.2}),
}


def get_standard(standard: Standard | str | Path | None) -> Standard:
    """A Standard from an instance, a preset name, a TOML path, or None (the default)."""
    if standard is None:
        return PRESETS["default"]
    if isinstance(standard, Standard):
        return standard
    if isinstance(standard, str) and standard in PRESETS:
        return PRESETS[standard]
    path = Path(standard)
    if path.suffix == ".toml":
        if not path.exists():
            raise FileNotFoundError(f"找不到标准文件 (standard file) {path}。")
        return Standard.from_toml(path)
    raise ValueError(f"standard 应为预设名 {sorted(PRESETS)}、.toml 文件或 Standard 对象，收到 {standard!r}。")
