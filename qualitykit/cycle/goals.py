"""Measurable targets of the 质量目标与整改台账: how a target is written, measured and judged.

A target names an indicator (及格率, 优秀率, 低分率, 平均分), a unit (a class × subject, a
teacher × subject, or the grade × subject) and what is wanted of it, in one of three forms a
教研组长 types in plain Chinese:

- a level: ``及格率≥90%``, ``低分率≤5%``, ``平均分达到80分``, ``优秀率30%以上``;
- a change from the exam the measure started at: ``优秀率+5`` (percentage points),
  ``低分率下降3个百分点``, ``平均分提高2分``;
- a change of position among the same units (the classes, or the teachers, of the subject):
  ``位次上升2``, ``及格率名次提高1位``.

The indicator may be left out when the row's 指标 column names it (``≥90%``, ``+5``). Rates
are written in percent. :func:`parse_target` reads a target; :func:`measurements` measures
every unit of one exam (counts, mean, sd, ranks) — what the 台账 stores exam by exam, so that a
later 回头看 compares with the stored numbers and needs no earlier score file;
:func:`judge_target` and :func:`change_interval` judge a target and the change since the start,
each with its interval.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Target", "TargetError", "parse_target", "indicator_code", "INDICATORS", "UNIT_KINDS",
           "measurements", "MEASURE_COLUMNS", "mean_interval", "change_interval",
           "judge_target", "VERDICTS"]

#: Indicator → the words a teacher writes for it (the first is what the 台账 writes).
INDICATORS = {"pass_rate": ("及格率", "合格率"), "excellent_rate": ("优秀率",),
              "low_rate": ("低分率",), "mean": ("平均分", "均分")}
_RATES = ("pass_rate", "excellent_rate", "low_rate")
#: Lower is better for these indicators (a target "≤", a change "−").
LOWER_IS_BETTER = frozenset({"low_rate"})
#: Unit kind → what the 台账 writes in 单位类型.
UNIT_KINDS = {"class": "班级", "teacher": "教师", "grade": "年级"}
#: The verdicts of a target.
VERDICTS = ("达成", "未达成", "未达成，但差距在偶然波动范围内", "无法判断")
MEASURE_COLUMNS = ["unit_kind", "unit", "subject", "n_sat", "mean", "sd", "n_pass",
                   "n_excellent", "n_low", "pass_rate", "excellent_rate", "low_rate",
                   "pass_rank", "excellent_rank", "low_rank", "mean_rank", "n_units"]
_RANK_OF = {"pass_rate": "pass_rank", "excellent_rate": "excellent_rank",
            "low_rate": "low_rank", "mean": "mean_rank"}
_COUNT_OF = {"pass_rate": "n_pass", "excellent_rate": "n_excellent", "low_rate": "n_low"}
_FORMS = "及格率≥90%、低分率≤5%、优秀率+5（个百分点）、平均分提高2分、位次上升2"


class TargetError(ValueError):
    """A target that cannot be read; the message says what was written and how to write it."""


@dataclass(frozen=True)
class Target:
    """A parsed target.

    Attributes
    ----------
    indicator : str
        A key of :data:`INDICATORS`.
    kind : {"level", "change", "rank"}
    value : float
        ``level``: the line (a rate as a fraction, a mean in points); ``change``: the wanted
        change (signed; fraction or points); ``rank``: positions to rise (> 0).
    op : {">=", "<="}
        ``level`` and ``change``: how the value (or the change) must stand to the line.
    text : str
        The target as written.
    """

    indicator: str
    kind: str
    value: float
    op: str
    text: str


_NUMBER = r"(\d+(?:\.\d+)?)"
_UP = ("+", "提高", "上升", "增加", "提升", "增长", "前进", "进")
_DOWN = ("-", "下降", "降低", "减少", "减")
_AT_LEAST = (">=", "≥", "不低于", "达到", "至少", ">", "高于")
_AT_MOST = ("<=", "≤", "不高于", "不超过", "控制在", "<", "低于")


def _clean(text: str) -> str:
    from .._text import norm

    s = norm(text).replace("＋", "+").replace("－", "-").replace("−", "-").replace("—", "-")
    s = s.replace("≧", "≥").replace("≦", "≤").replace("个百分点", "%").replace("百分点", "%")
    return s.rstrip("。.;；")


def _indicator_prefix(s: str) -> tuple[str | None, str]:
    """(the indicator the text starts with or None, the rest)."""
    for ident, words in INDICATORS.items():
        for word in sorted(words, key=len, reverse=True):
            if s.startswith(word):
                return ident, s[len(word):]
    return None, s


def parse_target(text: str, indicator: str | None = None) -> Target | None:
    """Read a target as a teacher typed it.

    Parameters
    ----------
    text : str
        The 目标 cell. Empty: no target (None).
    indicator : str, optional
        The row's indicator (a key of :data:`INDICATORS` or its Chinese word), used when the
        text does not name one.

    Returns
    -------
    Target or None

    Raises
    ------
    TargetError
        Text that is not one of the forms; a rate line written as a fraction (``0.9``); no
        indicator in the text nor in the row.

    Examples
    --------
    >>> parse_target("及格率≥90%")
    Target(indicator='pass_rate', kind='level', value=0.9, op='>=', text='及格率≥90%')
    >>> t = parse_target("下降3个百分点", "低分率"); (t.indicator, t.kind, round(t.value, 4))
    ('low_rate', 'change', -0.03)
    >>> parse_target("位次上升2", "pass_rate").value
    2.0
    """
    s = _clean(text)
    if not s:
        return None
    named, rest = _indicator_prefix(s)
    ident = named or indicator_code(indicator)
    if ident is None:
        raise TargetError(f"目标“{text}”没有写明指标，本行的“指标”也是空的：请写成 {_FORMS} 这样的形式。")
    rest = rest.lstrip("的")
    target = _rank_target(rest, ident, text) or _change_target(rest, ident, text) or \
        _level_target(rest, ident, text)
    if target is None:
        raise TargetError(f"目标“{text}”看不懂：请写成 {_FORMS} 这样的形式（比率用百分数）。")
    return target


def indicator_code(indicator: str | None) -> str | None:
    """The indicator's key from a key or a word a teacher wrote (None when neither).

    >>> indicator_code("合格率"), indicator_code("mean"), indicator_code("人数")
    ('pass_rate', 'mean', None)
    """
    if not indicator or (isinstance(indicator, float) and math.isnan(indicator)):
        return None
    if indicator in INDICATORS:
        return indicator
    return _indicator_prefix(_clean(str(indicator)))[0]


def _rank_target(rest: str, ident: str, text: str) -> Target | None:
    m = re.fullmatch(r"(?:位次|名次)(上升|提高|前进|提升)" + _NUMBER + r"(?:位|名|个位次)?", rest)
    if not m:
        return None
    return Target(ident, "rank", float(m[2]), ">=", text)


def _change_target(rest: str, ident: str, text: str) -> Target | None:
    words = "|".join(re.escape(w) for w in (*_UP, *_DOWN))
    m = re.fullmatch(rf"(?:比上次)?({words})" + _NUMBER + r"(%|分)?", rest)
    if not m:
        return None
    amount = _amount(float(m[2]), m[3], ident, text, change=True)
    sign = -1.0 if m[1] in _DOWN else 1.0
    return Target(ident, "change", sign * amount, "<=" if sign < 0 else ">=", text)


def _level_target(rest: str, ident: str, text: str) -> Target | None:
    words = "|".join(re.escape(w) for w in (*_AT_LEAST, *_AT_MOST))
    m = re.fullmatch(rf"({words})?" + _NUMBER + r"(%|分)?(以上|以下|以内)?", rest)
    if not m:
        return None
    if m[1] in _AT_MOST or m[4] in ("以下", "以内"):
        op = "<="
    elif m[1] or m[4]:
        op = ">="
    elif m[3] == "%" or m[3] == "分" and ident == "mean":  # 及格率90%: the better side
        op = "<=" if ident in LOWER_IS_BETTER else ">="
    else:  # a bare number: Excel turns a typed "+5" into 5, so a bare number is not read
        raise TargetError(f"目标“{text}”只有一个数，看不出是目标值还是变化：请写成 "
                          f"{INDICATORS[ident][0]}≥{m[2]}{'' if ident == 'mean' else '%'} 或 "
                          f"提高{m[2]}{'分' if ident == 'mean' else '个百分点'}（在 Excel 中直接输入 +5 会变成数字 5）。")
    return Target(ident, "level", _amount(float(m[2]), m[3], ident, text, change=False), op, text)


def _amount(number: float, unit: str | None, ident: str, text: str, *, change: bool) -> float:
    """A rate in percent → a fraction; a mean in points."""
    if ident in _RATES:
        if unit == "分":
            raise TargetError(f"目标“{text}”：比率的目标用百分数，如 {INDICATORS[ident][0]}≥90%。")
        if not change and unit != "%" and number <= 1:
            raise TargetError(f"目标“{text}”：比率请写成百分数（90% 写 90%，不写 0.9）。")
        if number > 100:
            raise TargetError(f"目标“{text}”：比率不能超过 100%。")
        return number / 100
    if unit == "%":
        raise TargetError(f"目标“{text}”：平均分的目标用分数，如 平均分≥80 或 平均分提高2分。")
    return number


def measurements(scores: pd.DataFrame, *, teachers: pd.DataFrame | None = None,
                 standard=None) -> pd.DataFrame:
    """Every unit of one exam, measured: classes, teachers and the grade, per subject.

    Parameters
    ----------
    scores : DataFrame
        One exam's canonical long table.
    teachers : DataFrame, optional
        The 教学编排表: teachers are units too (each over all the pupils she teaches in the
        subject, as the documents ask: "按所代班级学生的应试成绩重新归类核算").
    standard : Standard, preset name or TOML path, optional

    Returns
    -------
    DataFrame
        ``unit_kind`` (:data:`UNIT_KINDS`), ``unit`` (class id, teacher, or 年级), ``subject``,
        ``n_sat``, ``mean``, ``sd``, ``n_pass``, ``n_excellent``, ``n_low``, the three rates,
        ``pass_rank``, ``excellent_rank``, ``low_rank``, ``mean_rank`` (competition ranks among
        the units of the same kind and subject, 1 = best; a lower 低分率 is better; empty for
        the grade) and ``n_units`` (units ranked).

    Examples
    --------
    >>> import qualitykit as qk
    >>> m = measurements(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> m[m["subject"] == "数学"][["unit", "n_sat", "n_pass", "pass_rank"]].head(3).values.tolist()
    [['5-1', 38, 33, 1], ['5-2', 42, 30, 3], ['5-3', 43, 37, 2]]
    """
    from ..term.indicators import summary
    from ..term.teachers import assign_teachers

    parts = [_unit_part(summary(scores, by=["class_id", "subject"], standard=standard),
                        "class", "class_id")]
    if teachers is not None:
        taught = assign_teachers(scores, teachers)
        taught = taught[taught["teacher"].notna() & (taught["teacher"].astype(str) != "")]
        if len(taught):
            parts.append(_unit_part(summary(taught, by=["teacher", "subject"], standard=standard),
                                    "teacher", "teacher"))
    grade = summary(scores, by=["subject"], standard=standard).assign(unit="年级")
    parts.append(_unit_part(grade, "grade", "unit"))
    out = pd.concat(parts, ignore_index=True)[MEASURE_COLUMNS]
    for column in (*_RANK_OF.values(), "n_units"):
        out[column] = out[column].astype("Int64")
    return out


def _unit_part(table: pd.DataFrame, kind: str, column: str) -> pd.DataFrame:
    out = table.rename(columns={column: "unit"}).assign(unit_kind=kind)
    out["unit"] = out["unit"].astype(str)
    out = out[out["n_sat"] > 0].copy()
    if kind == "grade":
        for rank in _RANK_OF.values():
            out[rank] = np.nan
        out["n_units"] = np.nan
        return out
    groups = out.groupby("subject", sort=False)
    for ident, rank in _RANK_OF.items():
        out[rank] = groups[ident].rank(method="min", ascending=ident in LOWER_IS_BETTER)
    out["n_units"] = groups["unit"].transform("size")
    return out


def mean_interval(mean: float, sd: float, n: int, confidence: float = 0.95) -> tuple:
    """The t interval of a mean from its summary (NaN for fewer than two pupils).

    >>> [round(x, 3) for x in mean_interval(80.0, 10.0, 25)]
    [75.872, 84.128]
    """
    from ..probability import t_ppf

    if n < 2 or not np.isfinite(sd):
        return (math.nan, math.nan)
    half = t_ppf(0.5 + confidence / 2, n - 1) * sd / math.sqrt(n)
    return (float(mean - half), float(mean + half))


def change_interval(now: pd.Series, then: pd.Series, indicator: str,
                    confidence: float = 0.95) -> tuple[float, float, float]:
    """The change of an indicator between two measurements (rows of :func:`measurements`),
    with its interval: (change, low, high).

    A rate: the difference of the two proportions with Newcombe's hybrid score interval (built
    from the two Wilson intervals the term analysis shows). A mean: Welch's interval. Both treat
    the two exams as independent samples: the pupils are mostly the same, so the interval is
    wider than a paired one would be — it errs towards "within chance", never towards a change
    that is not there.
    """
    from ..term.indicators import wilson_interval

    if indicator == "mean":
        n1, n0 = float(now["n_sat"]), float(then["n_sat"])
        v1, v0 = float(now["sd"]) ** 2 / n1, float(then["sd"]) ** 2 / n0
        d = float(now["mean"]) - float(then["mean"])
        if n1 < 2 or n0 < 2 or not v1 + v0 > 0:
            return (d, math.nan, math.nan)
        from ..probability import t_ppf

        df = (v1 + v0) ** 2 / (v1**2 / (n1 - 1) + v0**2 / (n0 - 1))
        half = t_ppf(0.5 + confidence / 2, df) * math.sqrt(v1 + v0)
        return (d, d - half, d + half)
    count = _COUNT_OF[indicator]
    k1, n1, k0, n0 = (int(x) for x in (now[count], now["n_sat"], then[count], then["n_sat"]))
    p1, p0 = k1 / n1, k0 / n0
    (l1, l0), (u1, u0) = wilson_interval(np.array([k1, k0]), np.array([n1, n0]), confidence)
    d = p1 - p0
    return (d, d - math.hypot(p1 - l1, u0 - p0), d + math.hypot(u1 - p1, p0 - l0))


def judge_target(target: Target | None, now: pd.Series | None, then: pd.Series | None,
                 confidence: float = 0.95) -> dict:
    """Whether a target is met now, with the interval it was judged by.

    Parameters
    ----------
    target : Target or None
    now, then : Series or None
        The unit's row of :func:`measurements` at this exam and at the exam the measure started.

    Returns
    -------
    dict
        ``verdict`` (:data:`VERDICTS`), ``value`` (what the target is about now: the indicator,
        its change, or the positions risen), ``low``, ``high`` (its interval; NaN for ranks) and
        ``note`` (why it cannot be judged, or how a rank was read).
    """
    nan = math.nan
    if target is None:
        return {"verdict": "无法判断", "value": nan, "low": nan, "high": nan, "note": "未填写目标"}
    if now is None:
        return {"verdict": "无法判断", "value": nan, "low": nan, "high": nan,
                "note": "本次成绩中没有这个单位"}
    if target.kind == "level":
        value, (low, high) = _value_interval(now, target.indicator, confidence)
    elif then is None:
        return {"verdict": "无法判断", "value": nan, "low": nan, "high": nan,
                "note": "台账中没有起始考试的数值"}
    elif target.kind == "change":
        value, low, high = change_interval(now, then, target.indicator, confidence)
    else:
        return _judge_rank(target, now, then)
    return {"verdict": _verdict(value, low, high, target), "value": value, "low": low,
            "high": high, "note": ""}


def _value_interval(row: pd.Series, indicator: str, confidence: float):
    from ..term.indicators import wilson_interval

    if indicator == "mean":
        return float(row["mean"]), mean_interval(float(row["mean"]), float(row["sd"]),
                                                 int(row["n_sat"]), confidence)
    k, n = int(row[_COUNT_OF[indicator]]), int(row["n_sat"])
    low, high = wilson_interval(k, n, confidence)
    return k / n, (float(low), float(high))


def _verdict(value: float, low: float, high: float, target: Target) -> str:
    line = target.value
    met = value >= line - 1e-12 if target.op == ">=" else value <= line + 1e-12
    if met:
        return "达成"
    reach = high if target.op == ">=" else low
    if np.isfinite(reach) and (reach >= line if target.op == ">=" else reach <= line):
        return "未达成，但差距在偶然波动范围内"
    return "未达成"


def _judge_rank(target: Target, now: pd.Series, then: pd.Series) -> dict:
    rank = _RANK_OF[target.indicator]
    if now["unit_kind"] == "grade" or pd.isna(now[rank]) or pd.isna(then[rank]):
        return {"verdict": "无法判断", "value": math.nan, "low": math.nan, "high": math.nan,
                "note": "没有位次（年级不排位次）"}
    rise = float(then[rank]) - float(now[rank])
    return {"verdict": "达成" if rise >= target.value else "未达成", "value": rise,
            "low": math.nan, "high": math.nan,
            "note": f"{INDICATORS[target.indicator][0]}名次 {int(then[rank])}/{int(then['n_units'])}"
                    f" → {int(now[rank])}/{int(now['n_units'])}（名次没有区间）"}
