"""常规考核 per teacher and term: counts and scores per item, checks done against the rules'
requirements, months without a 月查, the 常规考核 score and the order the school documents use
(前三名, 倒数最后一名) — a staff-internal order of teachers, never of pupils (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .rules import ITEMS, RoutineRules, routine_rules

__all__ = ["RoutineSummary", "routine_summary", "SPOT_CHECK", "top_label"]

#: The requirement name of the 抽查 count in :attr:`RoutineSummary.requirements`.
SPOT_CHECK = "抽查"


@dataclass(frozen=True)
class RoutineSummary:
    """The result of :func:`routine_summary`.

    Attributes
    ----------
    teachers : DataFrame
        One row per teacher: ``teacher``, ``subject``, ``role``, ``n_records`` (rows),
        ``spot_checks`` (distinct 抽查 dates), ``months_missed`` (months without a 月查),
        ``requirements_missed`` (requirements not met), ``routine_score`` (常规考核得分,
        0–100; NaN without any score), ``routine_rank`` (1 = best; ties share the better
        place), ``routine_flag`` (前三名 / 倒数最后一名 / ""), ``note``.
    items : DataFrame
        One row per teacher × item: ``teacher``, ``item``, ``quantity`` (Σ 数量), ``n_records``,
        ``n_scored``, ``mean_points``, ``weight`` (its share of the score, NaN when unweighted).
    requirements : DataFrame
        One row per teacher × requirement: ``teacher``, ``subject``, ``role``,
        ``requirement`` (an item or 抽查), ``required``, ``done``, ``shortfall`` (差额 ≥ 0),
        ``met``.
    missed_months : DataFrame
        ``teacher``, ``subject``, ``month`` (``YYYY-MM``): each month of the term without a 月查.
    for_evaluation : DataFrame
        ``teacher`` and ``routine`` (the 常规考核得分), to join the teacher evaluation.
    rules : RoutineRules
    """

    teachers: pd.DataFrame
    items: pd.DataFrame
    requirements: pd.DataFrame
    missed_months: pd.DataFrame
    for_evaluation: pd.DataFrame
    rules: RoutineRules


def routine_summary(records: pd.DataFrame, teachers: pd.DataFrame,
                    rules: RoutineRules | str | Path | None = None) -> RoutineSummary:
    """The 常规考核 of the term, teacher by teacher (:func:`qualitykit.read_routine`'s output).

    * counts are Σ 数量 of an item's rows (a blank 数量 is 1); an item's score is the mean of
      its rows' points; rows without a grade count but carry no score;
    * 抽查 is counted as distinct dates with a 抽查 row (several items checked on one day are
      one 抽查); the other requirements are counts of the item, by 职务 (``weekly`` = the
      term's weeks);
    * a month of the term without a 月查 row of a weighted item (备课、作业批改 …, not the
      tallies of 听课、评课、教研) of the teacher is a missed month;
    * 常规考核得分 = Σ wᵢ·scoreᵢ ÷ Σ wᵢ over the weighted items; an item without a score is
      left out (``missing_item = "reweight"``) or counts 0 (``"zero"``);
    * the order: competition ranking by the score (tied teachers share the better place:
      1, 2, 2, 4); 前三名 = place ≤ ``top`` (all tied at the last such place included);
      倒数最后一名 = every teacher with the lowest score; when all scores are equal nobody
      is flagged. Teachers without a score are not placed (``note`` says so).

    Parameters
    ----------
    records, teachers : DataFrame
        As :func:`qualitykit.read_routine` returns them.
    rules : RoutineRules, preset name or TOML path

    Returns
    -------
    RoutineSummary
    """
    rules = routine_rules(rules)
    _check_tables(records, teachers)
    teachers = teachers.reset_index(drop=True)
    items = _item_table(records, teachers, rules)
    requirements = _requirements(records, teachers, rules)
    missed = _missed_months(records, teachers, rules)
    table = _teacher_rows(records, teachers, items, requirements, missed, rules)
    return RoutineSummary(teachers=table, items=items, requirements=requirements,
                          missed_months=missed,
                          for_evaluation=table[["teacher", "routine_score"]].rename(
                              columns={"routine_score": "routine"}),
                          rules=rules)


def _check_tables(records: pd.DataFrame, teachers: pd.DataFrame) -> None:
    """The columns the summary needs, and every teacher of the records in the teachers table."""
    need = {"records": (records, ("date", "month", "check_type", "teacher", "item", "quantity",
                                  "rating_points")),
            "teachers": (teachers, ("teacher", "subject", "role"))}
    for name, (table, columns) in need.items():
        missing = [c for c in columns if c not in table]
        if missing:
            raise ValueError(f"{name} 缺少列 {missing}：请用 qualitykit.read_routine 读入的表。")
    unknown = sorted(set(records["teacher"]) - set(teachers["teacher"]))
    if unknown:
        raise ValueError(f"检查记录中的教师 {unknown} 不在教师表 (teachers) 中：请把他们加进教师表。")


def _item_table(records: pd.DataFrame, teachers: pd.DataFrame,
                rules: RoutineRules) -> pd.DataFrame:
    """Every teacher × item: Σ 数量, rows, rows with points, mean points, weight share."""
    grid = pd.MultiIndex.from_product([teachers["teacher"], ITEMS], names=["teacher", "item"])
    g = records.groupby(["teacher", "item"])
    table = pd.DataFrame({"quantity": g["quantity"].sum(), "n_records": g.size(),
                          "n_scored": g["rating_points"].count(), "mean_points": g["rating_points"].mean()})
    table = table.reindex(grid).reset_index()
    table[["quantity", "n_records", "n_scored"]] = table[["quantity", "n_records", "n_scored"]].fillna(0)
    table = table.astype({"n_records": int, "n_scored": int})
    total = sum(rules.weights.values())
    table["weight"] = table["item"].map({k: w / total for k, w in rules.weights.items() if w > 0})
    return table


def _requirements(records: pd.DataFrame, teachers: pd.DataFrame,
                  rules: RoutineRules) -> pd.DataFrame:
    """One row per teacher × requirement: 要求, 完成, 差额."""
    spot = records[records["check_type"] == "抽查"].groupby("teacher")["date"].nunique()
    counts = records.groupby(["teacher", "item"])["quantity"].sum()
    rows = []
    for t in teachers.itertuples(index=False):
        wanted = {SPOT_CHECK: rules.spot_checks, **rules.requirements(t.role)}
        for name, required in wanted.items():
            done = float(spot.get(t.teacher, 0) if name == SPOT_CHECK
                         else counts.get((t.teacher, name), 0))
            rows.append({"teacher": t.teacher, "subject": t.subject, "role": t.role,
                         "requirement": name, "required": int(required), "done": done,
                         "shortfall": max(required - done, 0.0), "met": done >= required})
    return pd.DataFrame(rows, columns=["teacher", "subject", "role", "requirement", "required",
                                       "done", "shortfall", "met"])


def _missed_months(records: pd.DataFrame, teachers: pd.DataFrame,
                   rules: RoutineRules) -> pd.DataFrame:
    """Each month of the term (without term dates: each month with any record) in which a
    teacher has no 月查 of a weighted item (备课、作业批改 …: the tallies of 听课、评课、教研 are
    counts of what she did, not checks of her work)."""
    months = rules.term_months() or sorted(records["month"].unique())
    checked = [k for k, w in rules.weights.items() if w > 0]
    monthly = records[(records["check_type"] == "月查") & records["item"].isin(checked)] \
        .groupby("teacher")["month"].agg(set)
    rows = [{"teacher": t.teacher, "subject": t.subject, "month": m}
            for t in teachers.itertuples(index=False) for m in months
            if m not in monthly.get(t.teacher, set())]
    return pd.DataFrame(rows, columns=["teacher", "subject", "month"])


def _scores(items: pd.DataFrame, rules: RoutineRules) -> pd.Series:
    """常规考核得分 per teacher: weighted mean of the item scores (missing items by the rule)."""
    weighted = items[items["weight"].notna()]
    points = weighted.pivot(index="teacher", columns="item", values="mean_points")
    weights = weighted.drop_duplicates("item").set_index("item")["weight"][points.columns]
    if rules.missing_item == "zero":
        score = points.fillna(0).mul(weights).sum(axis=1) / weights.sum()
        return score.where(points.notna().any(axis=1))
    present = points.notna().mul(weights)
    return points.fillna(0).mul(weights).sum(axis=1) / present.sum(axis=1).replace(0, np.nan)


def _places(score: pd.Series, top: int) -> tuple[pd.Series, pd.Series]:
    """Competition places (ties share the better place) and the flags 前N名 / 倒数最后一名."""
    place = score.rank(method="min", ascending=False).astype("Int64")
    flag = pd.Series("", index=score.index, dtype=object)
    scored = score.notna()
    if scored.sum() == 0 or score[scored].nunique() == 1:
        return place, flag
    lowest = score == score[scored].min()
    flag[scored & (place <= top) & ~lowest] = top_label(top)
    flag[lowest] = "倒数最后一名"
    return place, flag


def top_label(top: int) -> str:
    """The flag of the first places: 前三名 for 3.

    >>> top_label(3), top_label(12)
    ('前三名', '前12名')
    """
    return f"前{_CHINESE_NUMBERS.get(top, top)}名"


_CHINESE_NUMBERS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八",
                    9: "九", 10: "十"}


def _teacher_rows(records, teachers, items, requirements, missed, rules) -> pd.DataFrame:
    """The 汇总 table: one row per teacher."""
    table = teachers[["teacher", "subject", "role"]].copy()
    by_teacher = records.groupby("teacher")
    table["n_records"] = table["teacher"].map(by_teacher.size()).fillna(0).astype(int)
    spot = requirements[requirements["requirement"] == SPOT_CHECK].set_index("teacher")["done"]
    table["spot_checks"] = table["teacher"].map(spot).fillna(0).astype(int)
    table["months_missed"] = table["teacher"].map(missed.groupby("teacher").size()) \
        .fillna(0).astype(int)
    table["requirements_missed"] = table["teacher"].map(
        (~requirements["met"]).groupby(requirements["teacher"]).sum()).fillna(0).astype(int)
    table["routine_score"] = table["teacher"].map(_scores(items, rules)).astype(float)
    place, flag = _places(table["routine_score"], rules.top)
    table["routine_rank"], table["routine_flag"] = place, flag
    table["note"] = np.where(table["routine_score"].isna(), "没有任何计分项目的得分：不计名次", "")
    return table
