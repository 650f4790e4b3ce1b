"""约谈 / 黄牌 / 红牌: escalation over school years, only where the evidence holds.

The school documents escalate "对教育质量下滑和位居末位的…履职谈话；连续两年…黄牌警告；连续三年…
红牌警告". One result per school year stands for the year: the spring 期末 by default
(:class:`qualitykit.standard.AlertRules`). For every school, class or teacher and subject:

* **position**: the mean Z of its pupils on that exam (Z within exam × grade × subject over
  everybody in the file: the school's grade, or every school of a 联考 — "同区域同学段同学科"),
  with its t interval, and its place among the units;
* **低位**: in the bottom band (last place, the bottom k, or the bottom x %) *and* its interval
  lies below the mean of all (Z < 0); in the band with an interval that reaches the mean is
  "不足以认定";
* **下滑**: the change of the mean Z since the year before, with the interval of a difference of
  two independent means (√(se₁² + se₀²), normal quantile); a decline whose interval lies below
  0 is a decline, a point decline whose interval reaches 0 is "不足以认定". (Z removes the
  change of paper from year to year; a school's 九年级 is a new cohort every year.)

A year is *established* (认定) when 下滑 or 低位 is; its level counts the consecutive
established years up to it: one → 约谈, two → 黄牌, three or more → 红牌. A year with only
unsupported signs is "不足以认定" and breaks the run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..schema import unit_keys
from ..standard import AlertRules, Standard, get_standard

__all__ = [
    "ALERT_COLUMNS",
    "NOT_ESTABLISHED",
    "Alerts",
    "alerts",
    "run_alerts",
    "school_year_exams",
    "write_alerts",
]

#: The verdict where the intervals do not support a sign.
NOT_ESTABLISHED = "不足以认定"
_EXAM = re.compile(r"^(\d{4}-\d{4})-([12])\s*(.*)$")
#: Columns of :attr:`Alerts.years`.
ALERT_COLUMNS = ["unit", "subject", "school_year", "exam", "n", "z_mean", "z_low", "z_high",
                 "rank", "n_units", "z_change", "z_change_low", "z_change_high", "decline",
                 "bottom", "established", "run", "alert", "evidence"]


@dataclass(frozen=True)
class Alerts:
    """The result of :func:`alerts`.

    Attributes
    ----------
    years : DataFrame
        One row per unit × subject × school year (:data:`ALERT_COLUMNS`): ``n`` pupils,
        ``z_mean`` with ``z_low``/``z_high``, ``rank`` of ``n_units``, ``z_change`` since the
        year before with its interval, ``decline`` and ``bottom`` (``"是"``, ``"否"`` or
        ``"不足以认定"``; ``decline`` empty in the first year), ``established`` (bool), ``run``
        (consecutive established years), ``alert`` (约谈/黄牌/红牌, 不足以认定 or empty) and
        ``evidence`` (that year in one Chinese sentence).
    alerts : DataFrame
        The rows of ``years`` with an ``alert``, and ``history``: the evidence of every year
        of the run.
    exams : list of str
        The exam read for each school year, in order.
    by : str
    rules : AlertRules
    """

    years: pd.DataFrame
    alerts: pd.DataFrame
    exams: list[str]
    by: str
    rules: AlertRules


def school_year_exams(exams, rules: AlertRules) -> list[str]:
    """The exam that stands for each school year, in order: the rule's term and exam.

    >>> school_year_exams(["2023-2024-2 期末", "2023-2024-1 期末", "2024-2025-2 期中",
    ...                    "2024-2025-2 期末"], AlertRules())
    ['2023-2024-2 期末', '2024-2025-2 期末']
    """
    chosen: dict[str, str] = {}
    unreadable = []
    for exam in dict.fromkeys(exams):
        m = _EXAM.match(str(exam).strip())
        if m is None:
            unreadable.append(str(exam))
        elif int(m[2]) == rules.term and rules.exam in m[3]:
            if m[1] in chosen:
                raise ValueError(f"{m[1]} 学年有两次考试都符合规则（{chosen[m[1]]}、{exam}）：每学年只取"
                                 "一次。请只给出其中一次的成绩，或在标准的 [alerts] 中写明 exam。")
            chosen[m[1]] = str(exam)
    if unreadable and not chosen:
        raise ValueError(f"考试名称 {unreadable[:3]} 看不出学年和学期：应写成“2024-2025-2 期末”"
                         "（学年-学期 考试），可用 --exams 指定。")
    return [chosen[year] for year in sorted(chosen)]


def alerts(scores: pd.DataFrame, *, by: str = "school", teachers: pd.DataFrame | None = None,
           standard: Standard | str | None = None) -> Alerts:
    """约谈 / 黄牌 / 红牌 of schools, classes or teachers over school years.

    Parameters
    ----------
    scores : DataFrame
        Canonical long table of several school years (a 联考 file per year, or the school's
        own sheets); exams named like ``2024-2025-2 期末``.
    by : {"school", "class_id", "teacher"}
        The unit. Classes are followed by their pupils (四(2) → 五(2),
        :func:`qualitykit.growth.trend.unit_lines`).
    teachers : DataFrame, optional
        The 教学编排表 of every year, for ``by="teacher"``.
    standard : Standard, preset name or TOML path
        Its ``alerts`` section (:class:`qualitykit.standard.AlertRules`).

    Returns
    -------
    Alerts
    """
    if by not in ("school", "class_id", "teacher"):
        raise ValueError(f"by 应为 school（学校）、class_id（班级）或 teacher（教师），收到 {by!r}。")
    rules = get_standard(standard).alerts
    order = school_year_exams(scores["exam"].unique(), rules)
    if len(order) < 1:
        raise ValueError(f"没有符合规则的考试（每学年第 {rules.term} 学期的{rules.exam}，名称如"
                         f"“2024-2025-{rules.term} {rules.exam}”）。")
    data = scores[scores["exam"].isin(order)]
    if by == "teacher":
        if teachers is None:
            raise ValueError("按教师预警需要各学年的教学编排表（teachers=，命令行 --teachers）。")
        from ..term.teachers import assign_teachers

        data = assign_teachers(data, teachers).dropna(subset=["teacher"])
    positions = _positions(data, by, rules)
    if positions["n_units"].max() < 2:
        raise ValueError(f"每次考试只有一个{_UNIT_NAMES[by]}：无从比较低位和相对下滑。按学校预警请给出"
                         "联考（多所学校）的成绩表，或改用 --by class / --by teacher。")
    positions["unit"] = _line_names(data, positions, order, by)
    years = pd.concat([_judge(part, rules) for _, part in
                       positions.groupby(["unit", "subject"], sort=False)], ignore_index=True)
    years = years[ALERT_COLUMNS]
    flagged = years[years["alert"].ne("")].copy()
    flagged["history"] = [_history(years, row) for row in flagged.itertuples()]
    return Alerts(years=years, alerts=flagged.reset_index(drop=True), exams=order, by=by,
                  rules=rules)


def _positions(data: pd.DataFrame, by: str, rules: AlertRules) -> pd.DataFrame:
    """Per exam × subject × unit: pupils, mean Z with its t interval, place among the units."""
    from ..growth.value_added import sat_z

    sat = pd.concat([sat_z(data[data["exam"].eq(e)]) for e in data["exam"].unique()],
                    ignore_index=True)  # per exam: a pupil sits every year
    # 同学段: units are compared within a grade; a school or teacher of several grades in one
    # exam has a line per grade
    several = "grade" in sat and bool((sat.groupby("exam")["grade"].nunique() > 1).any())
    peers = ["exam", "subject"] + (["grade"] if "grade" in sat and (by == "class_id" or several)
                                   else [])
    keys = list(dict.fromkeys(peers + unit_keys(sat, [by])))
    out = sat.groupby(keys, sort=False).agg(n=("z", "size"), z_mean=("z", "mean"),
                                            _sd=("z", "std")).reset_index()
    out["_se"] = out["_sd"] / np.sqrt(out["n"])
    half = stats.t.ppf((1 + rules.confidence) / 2, (out["n"] - 1).clip(lower=1)) * out["_se"]
    out["z_low"], out["z_high"] = out["z_mean"] - half, out["z_mean"] + half
    out["rank"] = out.groupby(peers)["z_mean"].rank(ascending=False, method="min").astype(int)
    out["n_units"] = out.groupby(peers)["z_mean"].transform("size")
    named = [k for k in keys if k not in peers] + (["grade"] if several and by != "class_id"
                                                   else [])
    out["_key"] = out[named].astype(str).agg(" ".join, axis=1)
    if several and by != "class_id":
        out["_key"] = out["_key"] + "年级"
    return out


def _line_names(data: pd.DataFrame, positions: pd.DataFrame, order: list[str],
                by: str) -> list[str]:
    """Each row's line: the unit itself, or for classes the line its pupils followed."""
    if by != "class_id":
        return positions["_key"].tolist()
    from ..growth.trend import unit_lines

    lines: dict = {}
    schools = data.groupby("school", sort=False) if "school" in data else [("", data)]
    for school, part in schools:
        for (exam, cls), name in unit_lines(part, order).items():
            lines[(exam, cls) if "school" not in positions else (exam, school, cls)] = \
                f"{school} {name}".strip()
    keys = ["exam", "class_id"] if "school" not in positions else ["exam", "school", "class_id"]
    return [lines.get(k, k[-1]) for k in positions[keys].itertuples(index=False, name=None)]


def _in_bottom(rank: int, n_units: int, rules: AlertRules) -> bool:
    """Whether a place is in the bottom band of the rule (a single unit has none)."""
    if n_units < 2:
        return False
    width = {"last": 1, "count": rules.bottom_count,
             "share": math.ceil(rules.bottom_share * n_units - 1e-9)}[rules.bottom]
    return rank > n_units - min(width, n_units - 1)


def _judge(part: pd.DataFrame, rules: AlertRules) -> pd.DataFrame:
    """The years of one unit × subject in order, each judged and given its level."""
    part = part.sort_values("exam", key=lambda s: s.map(lambda e: _EXAM.match(e)[1]))
    part = part.assign(school_year=part["exam"].map(lambda e: _EXAM.match(e)[1]))
    crit = stats.norm.ppf((1 + rules.confidence) / 2)
    prev = part.shift(1)
    consecutive = prev["school_year"].map(lambda y: y if isinstance(y, str) else "") \
        .eq(part["school_year"].map(_year_before))
    change = (part["z_mean"] - prev["z_mean"]).where(consecutive).round(12)
    half = crit * np.sqrt(part["_se"] ** 2 + prev["_se"] ** 2)
    part["z_change"], part["z_change_low"], part["z_change_high"] = \
        change, change - half, change + half
    part["decline"] = [_verdict(c < 0, hi < 0) if pd.notna(c) else ""
                       for c, hi in zip(change, part["z_change_high"])]
    part["bottom"] = [_verdict(_in_bottom(r, n, rules), hi < 0)
                      for r, n, hi in zip(part["rank"], part["n_units"], part["z_high"])]
    signs = (part["decline"].eq("是") & rules.use_decline) | (part["bottom"].eq("是")
                                                            & rules.use_bottom)
    unsupported = (part["decline"].eq(NOT_ESTABLISHED) & rules.use_decline) | \
        (part["bottom"].eq(NOT_ESTABLISHED) & rules.use_bottom)
    part["established"] = signs
    runs, run = [], 0
    for established, gap in zip(signs, ~consecutive):
        run = (1 if gap else run + 1) if established else 0
        runs.append(run)
    part["run"] = runs
    part["alert"] = [rules.levels[min(r, len(rules.levels)) - 1] if r else
                     (NOT_ESTABLISHED if u else "") for r, u in zip(runs, unsupported)]
    part["evidence"] = [_evidence(row) for row in part.itertuples()]
    return part


def _year_before(year: str) -> str:
    start = int(year[:4])
    return f"{start - 1}-{start}"


def _verdict(sign: bool, supported: bool) -> str:
    if not sign:
        return "否"
    return "是" if supported else NOT_ESTABLISHED


def _evidence(row) -> str:
    """One year in one Chinese sentence."""
    text = (f"{row.school_year} 学年（{row.exam}）：平均Z {row.z_mean:.2f} "
            f"[{row.z_low:.2f}, {row.z_high:.2f}]，第 {row.rank}/{row.n_units} 名")
    if row.bottom != "否":
        text += "，低位" + ("（区间低于平均，认定）" if row.bottom == "是"
                           else "（区间与平均重叠，不足以认定）")
    if row.decline:
        text += (f"；较上年 {row.z_change:+.2f} [{row.z_change_low:.2f}, {row.z_change_high:.2f}]"
                 + {"是": "，下滑（认定）", "否": "",
                    NOT_ESTABLISHED: "，下降在偶然波动范围内（不足以认定）"}[row.decline])
    return text


def _history(years: pd.DataFrame, row) -> str:
    """The evidence of the years of a run (or of the one year of a 不足以认定)."""
    same = years[years["unit"].eq(row.unit) & years["subject"].eq(row.subject)
                 & (years["school_year"] <= row.school_year)]
    return "；\n".join(same["evidence"].tail(max(int(row.run), 1)))


_UNIT_NAMES = {"school": "学校", "class_id": "班级", "teacher": "教师"}


def rule_lines(rules: AlertRules) -> list[str]:
    """The rule of an :class:`AlertRules` in Chinese, one line per setting."""
    bottom = {"last": "末位（最后一名）", "count": f"倒数 {rules.bottom_count} 名以内",
              "share": f"倒数 {rules.bottom_share:.0%} 以内（向上取整）"}[rules.bottom]
    signs = "、".join(filter(None, ("下滑" if rules.use_decline else "",
                                    "低位" if rules.use_bottom else "")))
    return [f"每学年取第 {rules.term} 学期的{rules.exam}考试",
            f"低位：{bottom}，且平均Z的 {rules.confidence:.0%} 区间整体低于全体平均（0）",
            f"下滑：平均Z较上一学年下降，且差值的 {rules.confidence:.0%} 区间整体低于 0",
            f"认定：{signs}之一；连续认定的学年数 1、2、3… 依次为 {'、'.join(rules.levels)}",
            f"{NOT_ESTABLISHED}：有低位或下降的迹象，但区间不支持（在偶然波动范围内）；中断连续年数"]


def write_alerts(result: Alerts, path) -> Path:
    """``预警.xlsx``: the alerts with their history, every year's evidence, and the rule."""
    from ..io.excel import write_sheets
    from ..labels import to_display

    unit = _UNIT_NAMES[result.by]
    own = {"unit": unit, "evidence": "本学年证据", "history": "各学年证据"}
    shown = {name: to_display(table.drop(columns=["established"]).rename(columns=own),
                              digits=2, intervals=True)
             for name, table in (("预警", result.alerts), ("逐年证据", result.years))}
    rules = pd.DataFrame({"规则": rule_lines(result.rules)
                          + [f"各学年所用考试：{'、'.join(result.exams)}"]})
    return Path(write_sheets(path, {**shown, "规则": rules}))


def run_alerts(files, *, by: str = "school", exams=None, teachers=None, standard=None,
               full_marks: dict | None = None, out="预警.xlsx") -> list[str]:
    """``qualitykit alerts``: read the years' sheets, judge, write ``预警.xlsx``; the lines to
    print (Chinese)."""
    from ..growth.exams import load_exams

    loaded = load_exams(files or None, exams=exams, cohort=True, teacher_file=teachers,
                        full_marks=full_marks, standard=standard)
    result = alerts(loaded.scores, by=by, teachers=loaded.teachers, standard=loaded.standard)
    path = write_alerts(result, out)
    counts = result.alerts["alert"].value_counts()
    told = "，".join(f"{level} {counts.get(level, 0)} 条" for level in
                    (*result.rules.levels, NOT_ESTABLISHED))
    return [f"预警（{_UNIT_NAMES[by]}，{len(result.exams)} 个学年：{'、'.join(result.exams)}）：{told}。",
            f"已保存：{path.resolve()}"]
