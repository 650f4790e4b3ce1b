"""教师综合评价: one row per teacher × subject, each component with its interval.

The school documents evaluate teachers "横向…纵向…并增设了学业发展均衡…等指数…综合评价". The
components, all on her pupils (the classes she teaches in the subject):

* ``across`` 横向: the mean Z of her pupils against the grade (Z within exam × grade ×
  subject; the grade's mean is 0), with its t interval;
* ``over_time`` 纵向: that mean Z now minus the mean Z of the pupils she taught at the earlier
  exam (papers differ, Z does not care), interval of a difference of two independent means;
* ``balance`` 均衡: the grade's 低分率 minus hers (positive: fewer low scores than the grade),
  with her Wilson interval moved by the same difference; shown beside it, not combined: her
  低分率, the share below the pass line (both Wilson) and the 差异系数 CV with the normal-theory
  interval CV ± z·CV·√((½ + CV²)/n);
* ``value_added`` 增值: :func:`qualitykit.value_added` by teacher (her pupils matched to the
  earlier exam);
* ``routine`` 教学常规考核: the 常规考核得分 of ``qualitykit routine`` (its 汇总 sheet), per
  teacher, without interval;
* the school's own scores (教学常规检查得分, 问卷 …), imported per teacher, without interval.

The combined score is Σ wᵢ·cᵢ/sᵢ over the components there are, with the weights of the
standard's ``[evaluation]`` section (re-scaled to sum to 1 over the components present) and
sᵢ the standard deviation of component i across the teachers of the table, so that every
component counts on the same scale. The computed components are 0 at the grade's level; the
school's own scores (``routine`` and those imported) are taken from the mean of the table's
teachers who have them (a score of 85 where the teachers average 85 counts 0), so that a
teacher without one is not moved by the other teachers' level of it. Its interval is ± z·√Σ(wᵢ/sᵢ)²·seᵢ² (components taken as
independent; the scale sᵢ is treated as known). Teachers whose combined intervals overlap
cannot be told apart and are listed as such: no league table (DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ..schema import unit_keys
from ..standard import EvaluationRules, Standard, get_standard

__all__ = ["COMPONENTS", "Evaluation", "cv_interval", "evaluate_teachers"]

#: The components, in order, with their Chinese names: the computed ones and ``routine``
#: (the 常规考核得分 of ``qualitykit routine``, joined like the school's own scores).
COMPONENTS = {"across": "横向（与年级比）", "over_time": "纵向（与上次比）",
              "balance": "均衡（低分率低于年级）", "value_added": "增值", "routine": "教学常规考核"}


@dataclass(frozen=True)
class Evaluation:
    """The result of :func:`evaluate_teachers`.

    Attributes
    ----------
    table : DataFrame
        One row per teacher × subject (``school`` too with several schools): ``classes``,
        ``n``; each component with ``_low``/``_high``; ``low_rate``, ``below_pass``, ``cv``
        (each with its interval) and ``grade_low_rate``; the school's own score columns;
        ``combined`` with ``combined_low``/``combined_high``; ``told_apart`` (the teachers
        clearly above and below) and ``not_told_apart`` (those whose intervals overlap hers).
    weights : dict
        The weight each component present was given (summing to 1).
    scales : dict
        The standard deviation across teachers each component was divided by.
    """

    table: pd.DataFrame
    weights: dict
    scales: dict


def cv_interval(cv, n, confidence: float = 0.95):
    """The normal-theory interval of a 差异系数: CV ± z·CV·√((½ + CV²)/n).

    >>> [round(float(v), 4) for v in cv_interval(0.2, 50)]  # 0.2 ± 1.96 × 0.2 × √(0.54/50)
    [0.1593, 0.2407]
    """
    z = stats.norm.ppf((1 + confidence) / 2)
    cv, n = np.asarray(cv, float), np.asarray(n, float)
    half = z * cv * np.sqrt((0.5 + cv ** 2) / n)
    return cv - half, cv + half


def evaluate_teachers(scores: pd.DataFrame, teachers: pd.DataFrame, *,
                      previous: pd.DataFrame | None = None,
                      outside: pd.DataFrame | None = None,
                      standard: Standard | str | None = None) -> Evaluation:
    """教师综合评价 of one exam (one grade), teacher by teacher.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table of the exam.
    teachers : DataFrame
        The 教学编排表 of this term (and of the earlier exam's term for 纵向).
    previous : DataFrame, optional
        The earlier exam (纵向 and 增值).
    outside : DataFrame, optional
        The school's own scores per teacher (:func:`qualitykit.read_teacher_scores`): their
        columns are components when the standard's weights name them.
    standard : Standard, preset name or TOML path
        Cut lines, and the ``[evaluation]`` section (weights, confidence).

    Returns
    -------
    Evaluation
    """
    from ..term.teachers import assign_teachers

    std = get_standard(standard)
    rules = std.evaluation
    now = assign_teachers(scores, teachers).dropna(subset=["teacher"])
    if now.empty:
        raise ValueError("教学编排表中找不到这次考试任何班级的教师：请检查学年、学期、班级与科目。")
    who = unit_keys(now, ["teacher"])
    table = _across_and_balance(now, who, std, rules)
    if previous is not None:
        table = _with_over_time(table, now, previous, teachers, who, rules)
        table = _with_value_added(table, now, previous, who, std, rules)
    if outside is not None:
        table = _with_outside(table, outside)
    return _combine(table, who, rules)


def _mean_z(sitters: pd.DataFrame, keys: list[str], confidence: float) -> pd.DataFrame:
    """Per group: pupils, mean Z, its standard error and t interval."""
    g = sitters.groupby(keys, sort=True)["z"]
    out = g.agg(n="size", z="mean", sd="std").reset_index()
    out["se"] = out["sd"] / np.sqrt(out["n"])
    half = stats.t.ppf((1 + confidence) / 2, (out["n"] - 1).clip(lower=1)) * out["se"]
    out["low"], out["high"] = out["z"] - half, out["z"] + half
    return out


def _across_and_balance(now: pd.DataFrame, who: list[str], std: Standard,
                        rules: EvaluationRules) -> pd.DataFrame:
    """横向 (mean Z against the grade) and 均衡 (低分率, below the pass line, CV)."""
    from ..growth.value_added import sat_z
    from ..term.indicators import summary

    keys = ["subject", *who]
    across = _mean_z(sat_z(now), keys, rules.confidence).rename(columns={
        "z": "across", "se": "across_se", "low": "across_low", "high": "across_high"})
    rates = summary(now, by=keys, standard=std, confidence=rules.confidence)
    grade = summary(now, by=["subject"], standard=std)[["subject", "low_rate"]].rename(
        columns={"low_rate": "grade_low_rate"})
    table = across[keys + ["n", "across", "across_se", "across_low", "across_high"]].merge(
        rates[keys + ["low_rate", "low_rate_low", "low_rate_high", "pass_rate_low",
                      "pass_rate_high", "pass_rate", "cv", "n_sat", "n_pass"]], on=keys).merge(
        grade, on="subject")
    table["below_pass"] = (table["n_sat"] - table["n_pass"]) / table["n_sat"]
    table["below_pass_low"], table["below_pass_high"] = (1 - table["pass_rate_high"],
                                                         1 - table["pass_rate_low"])
    table["cv_low"], table["cv_high"] = cv_interval(table["cv"], table["n"], rules.confidence)
    table["balance"] = table["grade_low_rate"] - table["low_rate"]
    table["balance_low"] = table["grade_low_rate"] - table["low_rate_high"]
    table["balance_high"] = table["grade_low_rate"] - table["low_rate_low"]
    z = stats.norm.ppf((1 + rules.confidence) / 2)
    table["balance_se"] = (table["balance_high"] - table["balance_low"]) / (2 * z)
    classes = now.drop_duplicates(keys + ["class_id"]).groupby(keys)["class_id"].agg(
        lambda c: "、".join(sorted(c))).rename("classes").reset_index()
    return classes.merge(table.drop(columns=["pass_rate", "pass_rate_low", "pass_rate_high",
                                             "n_sat", "n_pass"]), on=keys)


def _with_over_time(table: pd.DataFrame, now: pd.DataFrame, previous: pd.DataFrame,
                    teachers: pd.DataFrame, who: list[str],
                    rules: EvaluationRules) -> pd.DataFrame:
    """纵向: her pupils' mean Z now minus her pupils' mean Z at the earlier exam."""
    from ..growth.value_added import sat_z
    from ..term.teachers import assign_teachers

    before = assign_teachers(previous, teachers).dropna(subset=["teacher"])
    keys = ["subject", *who]
    if before.empty:
        return table
    then = _mean_z(sat_z(before), keys, rules.confidence)[keys + ["z", "se"]].rename(
        columns={"z": "prev_z", "se": "prev_se"})
    table = table.merge(then, on=keys, how="left")
    z = stats.norm.ppf((1 + rules.confidence) / 2)
    table["over_time"] = table["across"] - table["prev_z"]
    table["over_time_se"] = np.sqrt(table["across_se"] ** 2 + table["prev_se"] ** 2)
    table["over_time_low"] = table["over_time"] - z * table["over_time_se"]
    table["over_time_high"] = table["over_time"] + z * table["over_time_se"]
    return table.drop(columns=["prev_se"])


def _with_value_added(table: pd.DataFrame, now: pd.DataFrame, previous: pd.DataFrame,
                      who: list[str], std: Standard, rules: EvaluationRules) -> pd.DataFrame:
    """增值 of each teacher (:func:`qualitykit.value_added`), its interval and standard error."""
    from ..growth.value_added import value_added

    va = value_added(now, previous, by="teacher", standard=std, confidence=rules.confidence)
    keys = ["subject", *who]
    units = va.units[keys + ["estimate", "low", "high"]].rename(columns={
        "estimate": "value_added", "low": "value_added_low", "high": "value_added_high"})
    z = stats.norm.ppf((1 + rules.confidence) / 2)
    units["value_added_se"] = (units["value_added_high"] - units["value_added_low"]) / (2 * z)
    return table.merge(units, on=keys, how="left")


def _with_outside(table: pd.DataFrame, outside: pd.DataFrame) -> pd.DataFrame:
    """The school's own scores, joined on teacher (and school, subject where both have them)."""
    keys = [k for k in ("school", "subject") if k in outside and k in table] + ["teacher"]
    clash = sorted(set(outside.columns) & set(table.columns) - set(keys))
    if clash:
        raise ValueError(f"教师评分表中的列名 {clash} 与计算的指标同名，请改名后再导入。")
    missing = sorted(set(table["teacher"]) - set(outside["teacher"]))
    table = table.merge(outside, on=keys, how="left")
    table.attrs["outside_missing"] = missing
    return table


def _components(table: pd.DataFrame, rules: EvaluationRules) -> dict[str, float]:
    """The weighted components there are, with weights summing to 1."""
    present = {k: w for k, w in rules.weights.items()
               if w > 0 and k in table and table[k].notna().any()}
    if not present:
        raise ValueError(f"[evaluation] weights 中的指标 {sorted(rules.weights)} 都无法计算："
                         "纵向、增值需要上次考试的成绩，学校自评分需要教师评分表。")
    total = sum(present.values())
    return {k: w / total for k, w in present.items()}


#: The components computed from the scores, each 0 at the grade's level.
_COMPUTED = ("across", "over_time", "balance", "value_added")


def _combine(table: pd.DataFrame, who: list[str], rules: EvaluationRules) -> Evaluation:
    """The combined score with its interval, and who can be told apart from whom.

    A teacher without one of the components (no earlier exam of hers) is combined over the
    ones she has, their weights re-scaled to sum to 1; ``note`` says which is missing."""
    weights = _components(table, rules)
    scales = {k: float(table[k].std(ddof=1)) for k in weights}
    # the school's own scores from their mean; the computed ones are 0 at the grade's level
    centres = {k: 0.0 if k in _COMPUTED else float(table[k].mean()) for k in weights}
    z = stats.norm.ppf((1 + rules.confidence) / 2)
    has = pd.DataFrame({k: table[k].notna() for k in weights})
    share = has.mul(pd.Series(weights)).div(has.mul(pd.Series(weights)).sum(axis=1), axis=0)
    combined = sum(share[k] * (table[k] - centres[k]).fillna(0) / scales[k] for k in weights)
    variance = sum((share[k] / scales[k]) ** 2
                   * (table[f"{k}_se"].fillna(0) ** 2 if f"{k}_se" in table else 0)
                   for k in weights)
    table["combined"] = combined.where(has.any(axis=1))
    table["combined_low"] = table["combined"] - z * np.sqrt(variance)
    table["combined_high"] = table["combined"] + z * np.sqrt(variance)
    table["note"] = ["" if row.all() else "缺" + "、".join(COMPONENTS.get(k, k) for k in weights
                                                          if not row[k]) + "：按其余指标重新加权"
                     for _, row in has.iterrows()]
    table["told_apart"], table["not_told_apart"] = _separations(table, who)
    table = table.drop(columns=[c for c in table if c.endswith("_se")])
    return Evaluation(table=_in_order(table), weights=weights, scales=scales)


def _in_order(table: pd.DataFrame) -> pd.DataFrame:
    """Keys, the combined components, the 均衡 details, the school's scores, the result."""
    first = [c for c in ("subject", "school", "teacher", "classes", "n") if c in table]
    parts = [f"{k}{s}" for k in ("across", "prev_z", "over_time", "value_added", "balance",
                                 "grade_low_rate", "low_rate", "below_pass", "cv")
             for s in ("", "_low", "_high") if f"{k}{s}" in table]
    last = ["combined", "combined_low", "combined_high", "note", "told_apart", "not_told_apart"]
    own = [c for c in table if c not in first + parts + last]
    return table[first + parts + own + last].reset_index(drop=True)


def _separations(table: pd.DataFrame, who: list[str]) -> tuple[list[str], list[str]]:
    """For each row: the teachers clearly above and below (intervals apart), and the ones
    whose combined intervals overlap hers."""
    names = [f"{' '.join(str(v) for v in r[1:])}（{r[0]}）" for r in
             table[["subject", *who]].itertuples(index=False)]
    low, high = table["combined_low"].to_numpy(), table["combined_high"].to_numpy()
    apart, together = [], []
    for i in range(len(table)):
        if np.isnan(low[i]):
            apart.append("")
            together.append("")
            continue
        others = [j for j in range(len(table)) if j != i and not np.isnan(low[j])]
        above = [names[j] for j in others if low[j] > high[i]]
        below = [names[j] for j in others if high[j] < low[i]]
        apart.append("；".join(filter(None, (f"低于 {'、'.join(above)}" if above else "",
                                             f"高于 {'、'.join(below)}" if below else ""))))
        together.append("、".join(names[j] for j in others if names[j] not in above + below))
    return apart, together


def write_evaluation(result: Evaluation, path, *, title: str = "") -> Path:
    """``教师综合评价.xlsx``: the table in Chinese (intervals as their bounds) and the method."""
    from ..io.excel import write_sheets
    from ..labels import to_display

    shown = to_display(result.table, digits=1, intervals=True)
    method = [title or "教师综合评价",
              *(f"{COMPONENTS.get(k, k)}：权重 {w:.2f}，除以教师间标准差 {result.scales[k]:.3f}"
                for k, w in result.weights.items()),
              "综合评价分 = Σ 权重 × 指标 ÷ 教师间标准差；区间 = ± z × √Σ(权重 ÷ 标准差)² × 标准误²",
              "横向：任教学生的平均Z（年级平均为 0）；纵向：本次平均Z − 上次所教学生的平均Z",
              "均衡：年级低分率 − 本人低分率（正数表示低分学生比年级少）；未及格率、差异系数仅供参考",
              "增值：按教师的增值评价（学生与上次考试匹配）",
              "综合评价分的区间互相重叠的教师无法区分：不排名次，只列出区间明显高于或低于的教师。"]
    return Path(write_sheets(path, {"综合评价": shown, "方法": pd.DataFrame({"说明": method})}))


def _school_scores(outside, routine) -> pd.DataFrame | None:
    """The school's own scores (``--outside``) and the 常规考核得分 (``--routine``, as
    ``routine``), one row per teacher."""
    from ..io.rankings import read_teacher_scores
    from ..routine.workbooks import read_routine_scores

    own = read_teacher_scores(outside) if outside else None
    if not routine:
        return own
    scores = read_routine_scores(routine)
    if own is None:
        return scores
    if "routine" in own:
        raise ValueError("教师评分表 (--outside) 中已有 routine 一列，与 --routine 的常规考核得分同名：请改名。")
    return own.merge(scores, on="teacher", how="outer")


def run_evaluation(file, *, teachers=None, previous=None, outside=None, routine=None,
                   out="教师综合评价.xlsx", **term_options) -> list[str]:
    """``qualitykit evaluate``: read the term, evaluate, write ``教师综合评价.xlsx``; the lines
    to print (Chinese). ``routine`` is the ``教学常规考核.xlsx`` of ``qualitykit routine``."""
    from ..term.load import load_term
    from ..term.teachers import unmatched_note, unmatched_teachers

    term = load_term(file or None, teacher_file=teachers, previous_file=previous, **term_options)
    if term.teachers is None:
        raise ValueError("教师综合评价需要教学编排表：请用 --teachers 给出。")
    result = evaluate_teachers(term.scores, term.teachers, previous=term.previous,
                               outside=_school_scores(outside, routine),
                               standard=term.standard)
    path = write_evaluation(result, out, title=f"{term.title}：教师综合评价")
    lines = [f"教师综合评价：{len(result.table)} 位教师×科目；指标权重 " + "，".join(
        f"{COMPONENTS.get(k, k)} {w:.2f}" for k, w in result.weights.items()) + "。"]
    lines += [note for note in [unmatched_note(unmatched_teachers(term.scores, term.teachers))]
              if note]
    missing = result.table.attrs.get("outside_missing") or []
    if missing:
        lines.append(f"教师评分表中没有 {'、'.join(missing)}：其综合评价不含学校自评分。")
    if routine and "routine" not in result.weights:
        lines.append("已读入教学常规考核，但标准的 [evaluation] weights 中没有 routine（或为 0）：未计入综合评价。")
    return lines + [f"已保存：{path.resolve()}"]
