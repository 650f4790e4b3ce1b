"""常规考核 rules: required counts, item weights and grade points, kept in a TOML file of named
presets (``templates/常规考核.toml``), read into a typed, checked :class:`RoutineRules`."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType

__all__ = ["ITEMS", "CHECK_TYPES", "ROLES", "MISSING_ITEM", "RoutineRules", "routine_presets",
           "routine_rules"]

#: The items of a check (备、讲、批、辅、考、反、研, and the leaders' 听课/评课), in order.
ITEMS = ("备课", "上课", "作业批改", "辅导", "检测", "反思", "教研", "听课", "评课")
#: 月查 (every month) and 抽查 (unannounced, at least ``spot_checks`` a term).
CHECK_TYPES = ("月查", "抽查")
#: The roles of the 教师 sheet that the documents give their own counts.
ROLES = ("校长", "副校长", "教导主任", "教研组长", "教师")
#: How an item with no score counts in the 常规考核 score.
MISSING_ITEM = {"reweight": "该项不计，其余各项权重按比例放大",
                "zero": "该项按 0 分计"}
#: A required count written as this word is the number of weeks of the term (一周一次).
WEEKLY = "weekly"
RULES_FILE = Path(__file__).resolve().parents[2] / "templates" / "常规考核.toml"


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class RoutineRules:
    """The rules of the 常规考核 of one term.

    Parameters
    ----------
    name, source : str
        What the preset is called and the school text it follows.
    term_start, term_end : datetime.date, optional
        The term; a check dated outside it is an error, and "3月5日" takes its year from it.
        Not given: taken from the record (:func:`qualitykit.routine.read.record_term`).
    weeks : int, optional
        Weeks of the term (else counted from the dates: ⌈days ÷ 7⌉).
    spot_checks : int
        抽查: at least this many per teacher and term (2); counted as distinct dates.
    required : mapping
        职务 → {项目 → count}; a count of ``"weekly"`` is the number of weeks. A role not named
        here has the requirements of 教师.
    weights : mapping
        项目 → weight in the 常规考核 score (re-scaled to sum to 1).
    grades : mapping
        等级 → points (优 → 95 …); a number 0–100 in the sheet is taken as it is.
    missing_item : {"reweight", "zero"}
        An item without a score: left out with the other weights re-scaled, or 0 points.
    top : int
        前几名 to flag (3); 倒数最后一名 is always flagged.
    term_from_record : bool
        The term's dates were not in the rules but taken from the record's dates.
    """

    name: str = "default"
    source: str = ""
    term_start: dt.date | None = None
    term_end: dt.date | None = None
    weeks: int | None = None
    spot_checks: int = 2
    required: Mapping[str, Mapping[str, int | str]] = field(default_factory=lambda: _frozen({
        "校长": {"听课": 20, "评课": 20}, "教研组长": {"听课": 30}, "教师": {}}))
    weights: Mapping[str, float] = field(default_factory=lambda: _frozen({
        "备课": 0.25, "上课": 0.2, "作业批改": 0.25, "辅导": 0.1, "检测": 0.1, "反思": 0.1}))
    grades: Mapping[str, float] = field(default_factory=lambda: _frozen({
        "优": 95, "良": 85, "中": 75, "差": 60, "优秀": 95, "良好": 85, "合格": 75,
        "不合格": 60, "A": 95, "B": 85, "C": 75, "D": 60}))
    missing_item: str = "reweight"
    top: int = 3
    term_from_record: bool = False

    def __post_init__(self) -> None:
        shapes = {"required": self.required, "weights": self.weights, "grades": self.grades,
                  **{f"required.{role}": items for role, items in
                     (self.required.items() if isinstance(self.required, Mapping) else ())}}
        bad = [name for name, value in shapes.items() if not isinstance(value, Mapping)]
        if bad:
            raise ValueError(f"{bad[0]} 应写成 {{ 键 = 值 }} 或一节 [...]，如 "
                             "\"校长\" = { \"听课\" = 20 }；收到 " + repr(shapes[bad[0]]))
        object.__setattr__(self, "required", _frozen(
            {str(r): _frozen(items) for r, items in self.required.items()}))
        object.__setattr__(self, "weights", _frozen(self.weights))
        object.__setattr__(self, "grades", _frozen({str(k): v for k, v in self.grades.items()}))
        problem = _problem(self)
        if problem:
            raise ValueError(problem)

    @property
    def term_weeks(self) -> int | None:
        """The weeks of the term: ``weeks``, else ⌈(end − start + 1 day) ÷ 7⌉.

        >>> RoutineRules(term_start=dt.date(2025, 9, 1), term_end=dt.date(2026, 1, 16)).term_weeks
        20
        """
        if self.weeks is not None:
            return self.weeks
        if self.term_start and self.term_end:
            return math.ceil(((self.term_end - self.term_start).days + 1) / 7)
        return None

    def requirements(self, role: str) -> dict[str, int]:
        """项目 → required count for a role (``weekly`` as the term's weeks).

        >>> RoutineRules(weeks=18, required={"教研组长": {"听课": 30, "教研": "weekly"}}
        ...              ).requirements("教研组长")
        {'听课': 30, '教研': 18}
        """
        items = self.required.get(role, self.required.get("教师", {}))
        return {item: self.term_weeks if n == WEEKLY else int(n) for item, n in items.items()}

    def term_months(self) -> list[str]:
        """The months of the term as ``YYYY-MM`` (empty without its dates).

        >>> RoutineRules(term_start=dt.date(2025, 9, 1), term_end=dt.date(2026, 1, 16)).term_months()
        ['2025-09', '2025-10', '2025-11', '2025-12', '2026-01']
        """
        if not (self.term_start and self.term_end):
            return []
        months, (y, m) = [], (self.term_start.year, self.term_start.month)
        while (y, m) <= (self.term_end.year, self.term_end.month):
            months.append(f"{y}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return months


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _problem(r: RoutineRules) -> str | None:
    """The first thing wrong with the rules, in Chinese with the key named; None if none."""
    bad_weights = {k: v for k, v in r.weights.items()
                   if k not in ITEMS or not _is_number(v) or v < 0}
    bad_grades = {k: v for k, v in r.grades.items() if not _is_number(v) or not 0 <= v <= 100}
    bad_required = {f"{role}.{item}": n for role, items in r.required.items()
                    for item, n in items.items()
                    if item not in ITEMS or not (n == WEEKLY or (_is_number(n) and n >= 0
                                                                  and int(n) == n))}
    checks = (
        (bad_weights or not any(r.weights.values()),
         f"weights 的键应为项目 {list(ITEMS)}、值为非负数且不全为 0；有问题的：{bad_weights or dict(r.weights)}"),
        (bad_grades, f"grades 的值应为 0–100 的分数，如 优 = 95；有问题的：{bad_grades}"),
        (bad_required, f"required 应写成 职务 = {{ 项目 = 次数 }}，次数为非负整数或 \"weekly\"，"
                       f"项目为 {list(ITEMS)}；有问题的：{bad_required}"),
        (not (_is_number(r.spot_checks) and int(r.spot_checks) == r.spot_checks >= 0),
         f"spot_checks（每学期抽查次数）应为非负整数，收到 {r.spot_checks!r}"),
        (not (_is_number(r.top) and int(r.top) == r.top >= 1),
         f"top（标出前几名）应为正整数，收到 {r.top!r}"),
        (r.missing_item not in MISSING_ITEM,
         f"missing_item 应为 {list(MISSING_ITEM)}，收到 {r.missing_item!r}"),
        (r.term_start and r.term_end and r.term_start >= r.term_end,
         f"term_start（学期开始）应早于 term_end（学期结束），收到 {r.term_start} 与 {r.term_end}"),
        (r.weeks is not None and not (_is_number(r.weeks) and int(r.weeks) == r.weeks >= 1),
         f"weeks（学期周数）应为正整数，收到 {r.weeks!r}"),
        (any(n == WEEKLY for items in r.required.values() for n in items.values())
         and r.term_weeks is None,
         "required 中有 \"weekly\"（每周一次）：请写 weeks（学期周数）或 term_start 与 term_end（学期起止日期）"),
    )
    return next((msg for bad, msg in checks if bad), None)


def routine_presets(path: str | Path | None = None) -> dict[str, RoutineRules]:
    """The presets of a rules file (default: ``templates/常规考核.toml``).

    Each table is one preset; ``base = "default"`` starts from another preset of the file,
    whose settings the table's own replace.

    >>> sorted(routine_presets())
    ['default', 'strict']
    """
    path = Path(path) if path is not None else RULES_FILE
    if not path.is_file():
        raise FileNotFoundError(f"找不到常规考核规则文件 (rules file) {path}。模板见 templates/常规考核.toml。")
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except UnicodeDecodeError:
        raise ValueError(f"规则文件 {path.name} 不是文本格式的 TOML 文件：请给出 .toml 规则文件"
                         "（模板见 templates/常规考核.toml）。") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"规则文件 {path.name} 不是有效的 TOML：{exc}。请对照 templates/常规考核.toml 改正。") \
            from None
    presets: dict[str, RoutineRules] = {}
    for key, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"规则文件 {path.name} 中 {key} 应写成一节 [{key}]（每节是一套规则）。")
        presets[key] = _preset(key, table, presets, path.name)
    if not presets:
        raise ValueError(f"规则文件 {path.name} 中没有任何一节规则，如 [default]。")
    return presets


def _preset(key: str, table: dict, done: dict[str, RoutineRules], file: str) -> RoutineRules:
    """One ``[table]`` of the file as rules, on top of its ``base`` preset."""
    table = dict(table)
    base_name = table.pop("base", None)
    if base_name is not None and base_name not in done:
        raise ValueError(f"{file} 的 [{key}] 中 base = {base_name!r}：应为写在它前面的一节，"
                         f"可用：{sorted(done)}。")
    allowed = {f.name for f in fields(RoutineRules)} - {"term_from_record"}
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"{file} 的 [{key}] 中有未知的设置 {unknown}；可用：{sorted(allowed)}。")
    for name in ("term_start", "term_end"):
        if name in table:
            table[name] = _date_setting(table[name], f"{file} 的 [{key}] 中 {name}")
    table.setdefault("name", key)
    try:
        return replace(done[base_name] if base_name else RoutineRules(), **table)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{file} 的 [{key}] 有误：{exc}。") from None


def _date_setting(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{what} 应为日期，如 2025-09-01，收到 {value!r}。") from None


def routine_rules(rules: RoutineRules | str | Path | None = None, *,
                  preset: str = "default") -> RoutineRules:
    """The rules to use: given, a preset of ``templates/常规考核.toml``, or a preset of a
    school's own TOML file.

    >>> routine_rules().spot_checks, routine_rules("strict").spot_checks
    (2, 3)
    """
    if isinstance(rules, RoutineRules):
        return rules
    if isinstance(rules, str) and rules in routine_presets():  # a preset of the template
        rules, preset = None, rules
    presets = routine_presets(rules)
    if preset not in presets:
        raise ValueError(f"规则文件中没有 [{preset}] 这一节 (preset)；有：{sorted(presets)}。")
    return presets[preset]
