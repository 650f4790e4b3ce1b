"""回头看: at a later exam, each problem of the 台账 judged against its target and its start.

For every open row of the 质量目标与整改台账 (not yet 达成) created at an earlier exam:

- the value now with its interval (Wilson for a rate, t for a mean), and whether the target is
  达成, 未达成, "未达成，但差距在偶然波动范围内" (the line lies inside the interval) or 无法判断
  (no target, the unit is not in this exam, no number stored for the start);
- whether the problem improved beyond chance since the exam its measure started (the exam it
  was raised at, or the last 回头看 that marked it 重新制定): the change with Newcombe's interval
  for a rate and Welch's for a mean (:func:`~qualitykit.cycle.goals.change_interval`);
- what to do: 完成 (达成), 继续 (not met but clearly better), 重新制定 (the measure did not work:
  a new measure and target are typed in, and the next 回头看 judges the row again from this
  exam on), 补填目标 (no target was typed), 待核对 (nothing could be judged: the unit is not in
  this exam).

Besides, the 两率名次 of every class and teacher: 及格率名次 and 优秀率名次 now and at the exam
before, separately (:func:`rate_ranks`, :func:`rank_changes`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..classes import changed_class
from .goals import INDICATORS, LOWER_IS_BETTER, UNIT_KINDS, judge_target
from .register import (
    RANK_COLUMNS,
    REVIEW_COLUMNS,
    Register,
    checked_targets,
    complete_rows,
    exam_seq,
    one_exam,
    opened,
    row_status,
    with_values,
)

__all__ = ["Review", "review", "rate_ranks", "rank_changes", "look_back_table",
           "look_back_ranks", "JUDGED_COLUMNS",
           "IMPROVEMENTS", "ACTIONS"]

#: Whether the problem improved since the start.
IMPROVEMENTS = ("改善（超出偶然波动）", "变差（超出偶然波动）", "变化在偶然波动范围内", "无法判断")
#: What to do with a row after a 回头看.
ACTIONS = ("完成", "继续", "重新制定", "补填目标", "待核对")
JUDGED_COLUMNS = ["row_id", "exam", "baseline", "subject", "unit_kind", "unit", "indicator",
                  "target", "baseline_value", "value", "value_low", "value_high", "judged",
                  "judged_low", "judged_high", "attainment", "note", "start_change",
                  "start_change_low", "start_change_high", "improvement", "action"]


@dataclass(frozen=True)
class Review:
    """What :func:`review` found.

    Attributes
    ----------
    register : Register
        The 台账 with this 回头看 in it.
    judged : DataFrame
        One row per problem judged (:data:`JUDGED_COLUMNS`): the start (``baseline``) and now,
        values as fractions (rates) or points (means); ``judged`` is what the target is about
        (the value, its change, or the positions risen for a 位次 target) with its interval;
        ``attainment`` (the target's verdict: :data:`~qualitykit.cycle.goals.VERDICTS`),
        ``note``, ``start_change`` (since the start) with its interval, ``improvement``
        (:data:`IMPROVEMENTS`) and ``action`` (:data:`ACTIONS`).
    ranks : DataFrame
        The 两率名次 of every class and teacher now and at the exam before
        (:func:`rank_changes`).
    """

    register: Register
    judged: pd.DataFrame
    ranks: pd.DataFrame


def rate_ranks(scores: pd.DataFrame, *, unit: str = "class_id",
               teachers: pd.DataFrame | None = None, standard=None) -> pd.DataFrame:
    """两率名次: each class's (or teacher's) 及格率 and 优秀率 position within its subject.

    Competition ranks (1 = the highest rate; equal rates share the better position). A teacher
    is measured over all the pupils she teaches in the subject.

    Parameters
    ----------
    unit : {"class_id", "teacher"}
    teachers : DataFrame, optional
        The 教学编排表 (needed for ``unit="teacher"``).

    Returns
    -------
    DataFrame
        ``unit`` column, ``subject``, ``n_sat``, ``pass_rate``, ``excellent_rate``,
        ``pass_rank``, ``excellent_rank``, ``n_units``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> r = rate_ranks(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> r[r["subject"] == "数学"][["class_id", "pass_rank", "excellent_rank"]].values.tolist()
    [['5-1', 1, 1], ['5-2', 3, 4], ['5-3', 2, 3], ['5-4', 4, 2]]
    """
    from .goals import measurements

    kinds = {"class_id": "class", "teacher": "teacher"}
    if unit not in kinds:
        raise ValueError(f"unit 应为 class_id 或 teacher，收到 {unit!r}。")
    if unit == "teacher" and teachers is None:
        raise ValueError("按教师排两率名次需要教学编排表（teachers）。")
    m = measurements(scores, teachers=teachers, standard=standard)
    m = m[m["unit_kind"] == kinds[unit]].rename(columns={"unit": unit})
    return m[[unit, "subject", "n_sat", "pass_rate", "excellent_rate", "pass_rank",
              "excellent_rank", "n_units"]].reset_index(drop=True)


def rank_changes(now: pd.DataFrame, before: pd.DataFrame | None) -> pd.DataFrame:
    """The 两率名次 of every class and teacher now and before (rows of two exams'
    :func:`~qualitykit.cycle.goals.measurements`), and the change (before − now: positive is a
    rise).

    Returns
    -------
    DataFrame
        ``unit_kind``, ``unit``, ``subject``, ``prev_pass_rank``, ``pass_rank``,
        ``pass_rank_change``, ``prev_excellent_rank``, ``excellent_rank``,
        ``excellent_rank_change``, ``n_units``. The previous columns are empty for a unit the
        earlier exam did not have, or when there is no earlier exam.
    """
    keys = ["unit_kind", "unit", "subject"]
    ranked = now[now["unit_kind"] != "grade"][keys + ["pass_rank", "excellent_rank", "n_units"]]
    if before is None or before.empty:
        before = pd.DataFrame(columns=keys + ["pass_rank", "excellent_rank"])
    prev = before[keys + ["pass_rank", "excellent_rank"]].rename(
        columns={"pass_rank": "prev_pass_rank", "excellent_rank": "prev_excellent_rank"})
    classes = ranked.loc[ranked["unit_kind"].eq("class"), "unit"]
    follow = {u: moved_up(str(u), classes) for u in prev.loc[prev["unit_kind"].eq("class"), "unit"]}
    prev["unit"] = [follow.get(u) or u if k == "class" else u  # 7-1 then, 8-1 now
                    for k, u in zip(prev["unit_kind"], prev["unit"])]
    out = ranked.merge(prev, on=keys, how="left")
    for rank in ("pass_rank", "excellent_rank"):
        out[f"prev_{rank}"] = pd.array(out[f"prev_{rank}"], dtype="Int64")
        out[f"{rank}_change"] = out[f"prev_{rank}"] - pd.array(out[rank], dtype="Int64")
    return out[keys + ["prev_pass_rank", "pass_rank", "pass_rank_change", "prev_excellent_rank",
                       "excellent_rank", "excellent_rank_change", "n_units"]]


def review(register: Register | str | Path, scores: pd.DataFrame, *,
           teachers: pd.DataFrame | None = None, standard=None,
           previous: pd.DataFrame | None = None, out: str | Path | None = None,
           write: bool = True) -> Review:
    """回头看 at a new exam: judge every open problem of the 台账 and add the 两率名次.

    Parameters
    ----------
    register : Register or path
        The 台账 (:func:`qualitykit.update_register` made it).
    scores : DataFrame
        The new exam's canonical long table (one exam, the same grade).
    teachers : DataFrame, optional
        The 教学编排表 of the new exam: rows about a teacher, and the teachers' 两率名次.
    standard : Standard, preset name or TOML path, optional
    previous : DataFrame, optional
        The exam before, for the 两率名次 change when the 台账 does not hold an earlier exam
        (by default the change is against the latest earlier exam of the file).
    out : path, optional
        Where to write; by default back to ``register`` when it is a path.
    write : bool
        False: judge only, change no file (what the term report does).

    Returns
    -------
    Review

    Raises
    ------
    RegisterError
        No 台账, a file that is not one, or a target that cannot be read (the row is named).
    """
    from .goals import measurements

    path = Path(register) if isinstance(register, (str, Path)) else None
    current = opened(register, must_exist=True)
    targets = checked_targets(current.rows, path.name if path else "整改台账")
    exam = one_exam(scores, "review")
    earlier = [e for e in current.exams if e != exam]
    current = replace(current, rows=complete_rows(current.rows, earlier[-1] if earlier else exam))
    current = with_values(current, exam, measurements(scores, teachers=teachers,
                                                      standard=standard))
    seq = exam_seq(current.values, exam)
    judged = _judged(current, targets, exam, seq)
    ranks = rank_changes(_at(current.values, seq), _before(current.values, seq, previous,
                                                           teachers, standard))
    reviews = current.reviews[current.reviews["exam"] != exam]
    reviews = pd.concat([reviews, _review_sheet(judged, seq)], ignore_index=True)
    rank_sheet = current.ranks[current.ranks["exam"] != exam]
    rank_sheet = pd.concat([rank_sheet, _rank_sheet(ranks, seq, exam, current, previous)],
                           ignore_index=True)
    result = replace(current, reviews=reviews.sort_values("seq", kind="stable"),
                     ranks=rank_sheet.sort_values("seq", kind="stable"),
                     rows=row_status(current.rows, reviews))
    target = out or path
    if write and target is not None:
        result.write(target)
    return Review(register=result, judged=judged, ranks=ranks)


def _at(values: pd.DataFrame, seq: int) -> pd.DataFrame:
    return values[values["seq"] == seq]


def _before(values: pd.DataFrame, seq: int, previous, teachers, standard) -> pd.DataFrame | None:
    """The units of the exam before: the file's latest earlier exam, else ``previous``."""
    earlier = values[values["seq"] < seq]
    if len(earlier):
        return _at(earlier, int(earlier["seq"].max()))
    if previous is not None:
        from .goals import measurements

        return measurements(previous, teachers=teachers, standard=standard)
    return None


def _judged(register: Register, targets: list, exam: str, seq: int) -> pd.DataFrame:
    """Every open row raised before this exam, judged."""
    values = register.values
    seqs = dict(zip(register.values["exam"], register.values["seq"]))
    earlier = register.reviews[register.reviews["seq"] < seq]
    closed = set(earlier.loc[earlier["action"] == "完成", "row_id"])
    rows = []
    for (_, row), target in zip(register.rows.iterrows(), targets):
        created = seqs.get(row["created"])
        if row["row_id"] in closed or (created is not None and created >= seq):
            continue
        restarted = earlier[(earlier["row_id"] == row["row_id"]) &
                            (earlier["action"] == "重新制定")]
        start = int(restarted["seq"].max()) if len(restarted) else created
        rows.append(_judge_row(row, target, exam, _unit_row(values, seq, row),
                               _unit_row(values, start, row) if start else None,
                               _exam_of(seqs, start, row["created"])))
    return pd.DataFrame(rows, columns=JUDGED_COLUMNS)


def _exam_of(seqs: dict, seq: int | None, fallback: str) -> str:
    return next((e for e, s in seqs.items() if s == seq), fallback)


def _unit_row(values: pd.DataFrame, seq: int, row: pd.Series) -> pd.Series | None:
    """The unit's measurement at exam ``seq`` (None when the file has none); a class that
    moved up a grade (7-1 at 七下期末 → 8-1 at 八上期末) is followed."""
    at = values[(values["seq"] == seq) & (values["unit_kind"] == row["unit_kind"])
                & (values["subject"] == row["subject"])]
    found = at[at["unit"] == str(row["unit"])]
    if found.empty and row["unit_kind"] == "class":
        found = at[at["unit"] == moved_up(str(row["unit"]), at["unit"])]
    return None if found.empty else found.iloc[0]


def moved_up(unit: str, units) -> str | None:
    """The class ``unit`` is now called after moving up a grade (the one class of ``units``
    with its number in a higher grade: ``7-1`` → ``8-1``); None when ``unit`` itself is among
    ``units`` or no single class continues it.

    >>> moved_up("7-1", ["8-1", "8-2"]), moved_up("7-1", ["7-1", "8-1"]), moved_up("7-3", ["8-1"])
    ('8-1', None, None)
    """
    names = [str(u) for u in units]
    if unit in names:
        return None
    follow = [u for u in dict.fromkeys(names) if not changed_class(unit, u)]
    return follow[0] if len(follow) == 1 else None


def _judge_row(row, target, exam: str, now, then, baseline: str) -> dict:
    """One row of :data:`JUDGED_COLUMNS`."""
    from .goals import change_interval

    indicator = target.indicator if target is not None else row["indicator"]
    result = judge_target(target, now, then)
    value = _indicator_value(now, indicator)
    change, low, high = (change_interval(now, then, indicator)
                         if now is not None and then is not None and indicator in INDICATORS
                         else (math.nan, math.nan, math.nan))
    improvement = _improvement(low, high, indicator)
    action = ("完成" if result["verdict"] == "达成" else
              "补填目标" if target is None else
              "继续" if improvement == IMPROVEMENTS[0] else
              "待核对" if result["verdict"] == "无法判断" and improvement == IMPROVEMENTS[3]
              else "重新制定")
    interval = _interval(now, indicator)
    if now is not None and str(now["unit"]) != str(row["unit"]):  # the class moved up a grade
        result["note"] = "；".join(t for t in (f"按升年级后的 {now['unit']} 班判断", result["note"]) if t)
    return {"row_id": row["row_id"], "exam": exam, "baseline": baseline,
            "subject": row["subject"], "unit_kind": row["unit_kind"], "unit": row["unit"],
            "indicator": indicator, "target": row["target"],
            "baseline_value": _indicator_value(then, indicator), "value": value,
            "value_low": interval[0], "value_high": interval[1], "judged": result["value"],
            "judged_low": result["low"], "judged_high": result["high"],
            "attainment": result["verdict"], "note": result["note"], "start_change": change,
            "start_change_low": low, "start_change_high": high, "improvement": improvement,
            "action": action}


def _indicator_value(unit: pd.Series | None, indicator: str) -> float:
    if unit is None or indicator not in INDICATORS:
        return math.nan
    return float(unit[indicator])


def _interval(unit: pd.Series | None, indicator: str) -> tuple[float, float]:
    from ..term.indicators import wilson_interval
    from .goals import mean_interval

    if unit is None or indicator not in INDICATORS:
        return (math.nan, math.nan)
    if indicator == "mean":
        return mean_interval(float(unit["mean"]), float(unit["sd"]), int(unit["n_sat"]))
    count = {"pass_rate": "n_pass", "excellent_rate": "n_excellent", "low_rate": "n_low"}
    low, high = wilson_interval(int(unit[count[indicator]]), int(unit["n_sat"]))
    return (float(low), float(high))


def _improvement(low: float, high: float, indicator: str) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return IMPROVEMENTS[3]
    better = -1 if indicator in LOWER_IS_BETTER else 1
    if (low > 0 and better > 0) or (high < 0 and better < 0):
        return IMPROVEMENTS[0]
    if (high < 0 and better > 0) or (low > 0 and better < 0):
        return IMPROVEMENTS[1]
    return IMPROVEMENTS[2]


def number(x: float, indicator: str, *, change: bool = False) -> str:
    """A value as the 台账 writes it: a rate in percent, a mean in points, "—" when empty.

    A change carries a full-width sign (＋/－, as Chinese documents write it): a cell of the
    workbook starting with an ASCII + or - would be shown with the apostrophe that keeps Excel
    from reading it as a formula.

    >>> number(0.875, "pass_rate"), number(0.052, "low_rate", change=True), number(-2.0, "mean", change=True)
    ('87.5%', '＋5.2 个百分点', '－2.0 分')
    """
    if x is None or not np.isfinite(x):
        return "—"
    if not change:
        return f"{x:.1f}" if indicator == "mean" else f"{100 * x:.1f}%"
    value = round(x if indicator == "mean" else 100 * x, 1) + 0.0  # no "－0.0"
    text = f"{value:+.1f}".replace("+", "＋").replace("-", "－") if value else "0.0"
    return f"{text} 分" if indicator == "mean" else f"{text} 个百分点"


def _span(low: float, high: float, indicator: str, *, change: bool = False) -> str:
    if not (np.isfinite(low) and np.isfinite(high)):
        return "—"
    return f"{number(low, indicator, change=change)} 至 {number(high, indicator, change=change)}"


def _review_sheet(judged: pd.DataFrame, seq: int) -> pd.DataFrame:
    """The 回头看 sheet's rows of this exam (values as a person reads them)."""
    from .goals import parse_target

    rows = []
    for _, j in judged.iterrows():
        ind = j["indicator"]
        kind = parse_target(j["target"], ind).kind if j["target"] else ""
        judged_text = (f"上升 {j['judged']:g} 位" if kind == "rank" and np.isfinite(j["judged"])
                       else number(j["judged"], ind, change=kind == "change"))
        rows.append({
            "seq": seq, **{k: j[k] for k in ("exam", "row_id", "baseline", "subject", "unit",
                                             "target", "note", "improvement", "action")},
            "verdict": j["attainment"],
            "unit_kind": UNIT_KINDS.get(j["unit_kind"], j["unit_kind"]),
            "indicator": INDICATORS[ind][0] if ind in INDICATORS else ind,
            "baseline_value": number(j["baseline_value"], ind), "value": number(j["value"], ind),
            "value_interval": _span(j["value_low"], j["value_high"], ind),
            "judged": judged_text,
            "judged_interval": _span(j["judged_low"], j["judged_high"], ind,
                                     change=kind == "change"),
            "change": number(j["start_change"], ind, change=True),
            "change_interval": _span(j["start_change_low"], j["start_change_high"], ind,
                                     change=True)})
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))


def _rank_sheet(ranks: pd.DataFrame, seq: int, exam: str, register: Register,
                previous) -> pd.DataFrame:
    earlier = register.values[register.values["seq"] < seq]
    prev_exam = (str(earlier.loc[earlier["seq"].idxmax(), "exam"]) if len(earlier) else
                 str(previous["exam"].iloc[0]) if previous is not None and len(previous) else "")
    out = ranks.assign(seq=seq, exam=exam, prev_exam=prev_exam,
                       unit_kind=ranks["unit_kind"].map(UNIT_KINDS))
    return out[list(RANK_COLUMNS)]


#: The 回头看 columns the term report shows, in order: a value beside its interval in one cell
#: (the 回头看 sheet of the 台账 keeps them apart), so that the table fits a portrait page.
REPORT_COLUMNS = ("编号", "科目", "单位", "指标", "目标", "起始值", "现值（区间）", "目标达成情况",
                  "变化（区间）", "问题是否改善", "处理")


def with_interval(value: str, interval: str) -> str:
    """A value and its interval in one cell, the interval's unit written once.

    >>> with_interval("4.9%", "1.3% 至 16.1%")
    '4.9%（1.3% 至 16.1%）'
    >>> with_interval("+2.5 个百分点", "-8.1 个百分点 至 +13.9 个百分点")
    '+2.5 个百分点（-8.1 至 +13.9）'
    >>> with_interval("无法判断", "")
    '无法判断'
    """
    value, interval = str(value or ""), str(interval or "")
    if not interval:
        return value
    ends = re.fullmatch(r"(\S+) (\S+) 至 (\S+) (\S+)", interval)
    if ends and ends[2] == ends[4] and value.endswith(f" {ends[2]}"):
        return f"{value}（{ends[1]} 至 {ends[3]}）"
    return f"{value}（{interval}）"


def look_back_table(result: Review | None) -> pd.DataFrame | None:
    """The 回头看 of the term report: one row per problem judged, in Chinese (headers
    :data:`REPORT_COLUMNS`); None without a 台账.

    The values are the 回头看 sheet's (:func:`review`), each beside its interval; the start
    exam is named beside the start value only when it is not the exam of the row's 编号 (a
    row re-made at a later exam).

    Examples
    --------
    >>> look_back_table(None) is None
    True
    """
    if result is None:
        return None
    sheet = _review_sheet(result.judged, 0)
    units = [f"{u} 班" if k == "班级" else f"教师 {u}" if k == "教师" else "全年级"
             for k, u in zip(sheet["unit_kind"], sheet["unit"])]
    start = [f"{v}（{b}）" if b and not str(r).startswith(f"{b}-") else str(v)
             for r, b, v in zip(sheet["row_id"], sheet["baseline"], sheet["baseline_value"])]
    shown = pd.DataFrame({
        "编号": sheet["row_id"], "科目": sheet["subject"], "单位": units,
        "指标": sheet["indicator"], "目标": sheet["target"], "起始值": start,
        "现值（区间）": list(map(with_interval, sheet["value"], sheet["value_interval"])),
        "目标达成情况": sheet["verdict"],
        "变化（区间）": list(map(with_interval, sheet["change"], sheet["change_interval"])),
        "问题是否改善": sheet["improvement"], "处理": sheet["action"]})
    return shown[list(REPORT_COLUMNS)].reset_index(drop=True)


def look_back_ranks(result: Review | None) -> pd.DataFrame | None:
    """The 两率名次 of every class and teacher now and at the exam before, as the 两率名次 sheet
    writes it; None without a 台账 (empty when the 台账 holds no earlier exam)."""
    if result is None:
        return None
    ranks = result.ranks
    if ranks["prev_pass_rank"].isna().all():
        return ranks.iloc[0:0]
    out = ranks.assign(unit_kind=ranks["unit_kind"].map(UNIT_KINDS))
    columns = [c for c in RANK_COLUMNS if c in out.columns]
    return out[columns].rename(columns=RANK_COLUMNS)
