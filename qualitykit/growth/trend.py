"""趋势: classes, teachers or schools over several exams, and flags only where the evidence holds.

Districts attach 约谈, 黄牌 and 红牌 to two or three consecutive years of decline or of the bottom
position. A raw rank is not evidence: papers change, classes are small, and the last of four
classes is last even when all four are equal. So :func:`trend` gives, per unit and exam,

* its **position**: the mean Z of its pupils (against the grade, on each exam's own paper) with
  an interval, and its rank among the units;
* its **value added** from the previous exam (:func:`qualitykit.value_added`), with interval;

and flags a decline only where the value-added interval lies below 0, and a bottom position
only where the unit is last *and* its interval lies below the grade, in ``trend_periods``
consecutive periods (the standard; 2 by default). Each flag carries its evidence, period by
period; raw bottoms that the intervals do not support are listed as not supported.

A class is followed through its school years by its pupils (四(2)班 → 五(2)班): each class
continues the earlier class that most of its pupils came from (``unit``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..schema import GROWTH_COLUMNS, check_scores_table, unit_keys, unit_labels
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order
from .exams import exam_order
from .value_added import sat_z, value_added

__all__ = ["Trend", "trend", "FLAGS", "unit_lines"]

#: Kinds of flag.
FLAGS = ("decline", "bottom", "bottom_unsupported")


@dataclass(frozen=True)
class Trend:
    """The result of :func:`trend`.

    Attributes
    ----------
    positions : DataFrame
        One row per exam × subject × unit: ``unit`` (the unit followed over time), ``n``,
        ``z_mean`` with ``z_low``/``z_high``, ``rank`` among ``n_units`` (classes among the
        classes of their grade; teachers and schools per subject), ``teacher`` (when known).
    value_added : DataFrame
        One row per period (``prev_exam`` → ``exam``) × subject × unit: the columns of
        :attr:`qualitykit.ValueAdded.units` and ``unit``.
    flags : DataFrame
        One row per line × subject × kind (:data:`FLAGS`): ``periods`` (consecutive), ``exams``,
        ``evidence`` and ``supported``.
    exams : list of str
    by : str
    """

    positions: pd.DataFrame
    value_added: pd.DataFrame
    flags: pd.DataFrame
    exams: list[str]
    by: str

    def line(self, line: str, subject: str | None = None) -> pd.DataFrame:
        """One unit's trajectory: position and value added per exam."""
        p = self.positions[self.positions["unit"].eq(line)]
        v = self.value_added[self.value_added["unit"].eq(line)]
        if subject is not None:
            p, v = p[p["subject"].eq(subject)], v[v["subject"].eq(subject)]
        keys = ["exam", "subject"]
        cols = ["prev_exam", "estimate", "low", "high", "va_method"]
        return p.merge(v[keys + cols], on=keys, how="left").reset_index(drop=True)


def trend(scores: pd.DataFrame, *, by: str = "class_id", teachers: pd.DataFrame | None = None,
          exams: Sequence[str] | None = None, confidence: float = 0.95, scale: str = "z",
          standard: Standard | str | None = None) -> Trend:
    """趋势 of classes, teachers or schools over several exams.

    Parameters
    ----------
    scores : DataFrame
        Canonical long table of several exams (one grade or several; Z within exam × grade ×
        subject).
    by : str
        ``class_id``, ``teacher`` (with ``teachers``, the 教学编排表 of every term) or ``school``.
    teachers : DataFrame, optional
        Teachers per term: for ``by="teacher"``, and to show each class's teacher.
    exams : names, optional
        Which exams and in what order (default: all, in the order they were sat).
    confidence : float
        Of every interval.
    scale : {"z", "normal"}
        See :func:`qualitykit.value_added`.
    standard : Standard, preset name or TOML path
        ``trend_periods`` and ``va_min_students``.

    Returns
    -------
    Trend

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = pd.concat([qk.load_sample(exam=e) for e in
    ...                ("2024-2025-1 期末", "2024-2025-2 期末", "2025-2026-1 期末")])
    >>> t = qk.trend(s, teachers=qk.load_sample("teachers"))
    >>> t.line("4-2→5-2", "数学")[["exam", "class_id", "teacher", "z_mean"]].round(2)
                 exam class_id teacher  z_mean
    0  2024-2025-1 期末      4-2   教师058   -0.22
    1  2024-2025-2 期末      4-2   教师058   -0.18
    2  2025-2026-1 期末      5-2   教师116   -0.16
    """
    std = get_standard(standard)
    check_scores_table(scores, where="trend", required=GROWTH_COLUMNS, bounds=False)
    order = exam_order(scores, exams)
    scores = _with_teachers(scores[scores["exam"].isin(order)], by, teachers)
    positions = pd.concat([_positions(scores[scores["exam"].eq(e)], by, confidence, scale)
                           for e in order], ignore_index=True)
    added = _periods(scores, order, by, confidence, scale, std)
    keys = unit_keys(scores, [by])
    lines = _school_lines(scores, order, by) if len(keys) > 1 else unit_lines(scores, order, by)
    positions["unit"] = _line_names(positions, keys, lines)
    added["unit"] = _line_names(added, keys, lines)
    flags = _flags(positions, added, order, std.trend_periods)
    return Trend(positions=positions, value_added=added, flags=flags, exams=order, by=by)


def _with_teachers(scores: pd.DataFrame, by: str,
                   teachers: pd.DataFrame | None) -> pd.DataFrame:
    """The scores with each class's teacher, when the unit is the teacher or a 教学编排表 is
    given; refuses ``by="teacher"`` without one."""
    if by == "teacher" or (teachers is not None and "teacher" not in scores):
        if teachers is None:
            raise ValueError("按教师看趋势需要教学编排表（teachers=）。")
        from ..term.teachers import assign_teachers
        scores = assign_teachers(scores, teachers)
    return scores


def _periods(scores: pd.DataFrame, order: list[str], by: str, confidence: float, scale: str,
             std: Standard) -> pd.DataFrame:
    """:func:`value_added` of every pair of consecutive exams, with ``exam`` and
    ``prev_exam``."""
    periods = []
    for prev, cur in itertools.pairwise(order):
        va = value_added(scores[scores["exam"].eq(cur)], scores[scores["exam"].eq(prev)], by=by,
                         confidence=confidence, scale=scale, standard=std)
        if len(va.units):
            periods.append(va.units.assign(exam=cur, prev_exam=prev))
    return pd.concat(periods, ignore_index=True) if periods else pd.DataFrame(
        columns=[by, "subject", "exam", "prev_exam", "estimate", "low", "high", "va_method"])


def _positions(exam: pd.DataFrame, by: str, confidence: float, scale: str) -> pd.DataFrame:
    sat = sat_z(exam, scale)
    # classes are ranked among the classes of their grade; teachers and schools per subject
    peers = ["exam", "subject"] + (["grade"] if by == "class_id" and "grade" in sat else [])
    keys = list(dict.fromkeys(peers + unit_keys(sat, [by])))
    extra = ["teacher"] if "teacher" in sat and by != "teacher" else []
    g = sat.groupby(keys, sort=False)
    out = g.agg(n=("z", "size"), z_mean=("z", "mean"), _sd=("z", "std")).reset_index()
    if extra:
        out = out.merge(g["teacher"].agg(lambda t: "、".join(sorted(set(t.dropna()))))
                        .reset_index(), on=keys, how="left")
    half = stats.t.ppf((1 + confidence) / 2, (out["n"] - 1).clip(lower=1)) * out["_sd"] \
        / np.sqrt(out["n"])
    out["z_low"], out["z_high"] = out["z_mean"] - half, out["z_mean"] + half
    out["rank"] = out.groupby(peers)["z_mean"].rank(ascending=False, method="min").astype(int)
    out["n_units"] = out.groupby(peers)[by].transform("size")
    columns = [*keys, *extra, "n", "z_mean", "z_low", "z_high", "rank", "n_units"]
    return in_teaching_order(out[columns], unit_keys(out, [by, "subject"] if by == "class_id"
                                                      else ["subject", by]))


def _school_lines(scores: pd.DataFrame, order: list[str], by: str) -> dict[tuple, str]:
    """(exam, school, unit) → its line, named "学校 4-2→5-2": each school's classes are
    followed within the school (every school of a 联考 has its own 4-2)."""
    lines = {}
    for school, part in scores.groupby("school", sort=False):
        for (exam, unit), name in unit_lines(part, order, by).items():
            lines[(exam, school, unit)] = f"{school} {name}"
    return lines


def _line_names(table: pd.DataFrame, keys: list[str], lines: dict) -> list[str]:
    if table.empty:
        return []
    fallback = unit_labels(table, keys[-1]).tolist()
    return [lines.get(key, name) for key, name in
            zip(table[["exam", *keys]].itertuples(index=False, name=None), fallback)]


def unit_lines(scores: pd.DataFrame, order: list[str],
               by: str = "class_id") -> dict[tuple[str, str], str]:
    """Each unit of each exam → the line it continues, named by the units it went through.

    Classes are followed by their pupils: a class continues the class of the previous exam
    from which at least half of its pupils came; when two classes came from the same one, the
    one with more of its pupils continues it and the other starts a line of its own. So
    四(2)班 → 五(2)班 is the line ``"4-2→5-2"``. Other units (teachers, schools) are each
    their own line.

    Parameters
    ----------
    scores : DataFrame
        Canonical long table of the exams (one school).
    order : list of str
        The exams in the order they were sat.
    by : str
        The unit column.

    Returns
    -------
    dict
        ``(exam, unit)`` → line name.

    Examples
    --------
    >>> t = pd.DataFrame({"exam": ["a", "a", "b", "b"], "student_id": ["1", "2", "1", "2"],
    ...                   "class_id": ["4-2", "4-2", "5-2", "5-2"]})
    >>> unit_lines(t, ["a", "b"])
    {('a', '4-2'): '4-2→5-2', ('b', '5-2'): '4-2→5-2'}
    """
    units = scores.drop_duplicates(["exam", by])[["exam", by]].dropna()
    if by != "class_id":
        return {(e, u): u for e, u in units.itertuples(index=False)}
    members = scores.drop_duplicates(["exam", "student_id"])[["exam", "student_id", "class_id"]]
    root = _line_roots(members, order)
    names: dict[tuple[str, str], list[str]] = {}
    for (exam, cls) in sorted(root, key=lambda k: order.index(k[0])):
        path = names.setdefault(root[(exam, cls)], [])
        if not path or path[-1] != cls:
            path.append(cls)
    # a line is named by the classes it went through: 四(2) → 五(2) is "4-2→5-2"
    return {key: "→".join(names[r]) for key, r in root.items()}


def _line_roots(members: pd.DataFrame, order: list[str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(exam, class) → the (exam, class) its line starts at, following the pupils (``exam``,
    ``student_id``, ``class_id``) from each exam to the next."""
    root: dict[tuple[str, str], tuple[str, str]] = {}
    for i, exam in enumerate(order):
        here = members[members["exam"].eq(exam)]
        classes = list(here["class_id"].dropna().unique())
        candidates = []
        if i:
            before = members[members["exam"].eq(order[i - 1])]
            for cls in classes:  # the earlier class that most of its pupils came from
                ids = here.loc[here["class_id"].eq(cls), "student_id"]
                came = before.loc[before["student_id"].isin(ids), "class_id"].value_counts()
                if len(came) and came.iloc[0] >= 0.5 * len(ids):
                    candidates.append((int(came.iloc[0]), cls, came.index[0]))
        claimed = set()
        for _, cls, parent in sorted(candidates, reverse=True):  # one successor per class
            if parent not in claimed and (order[i - 1], parent) in root:
                claimed.add(parent)
                root[(exam, cls)] = root[(order[i - 1], parent)]
        for cls in classes:
            root.setdefault((exam, cls), (exam, cls))
    return root


def _runs(mask: pd.Series) -> int:
    """The length of the longest run of consecutive True."""
    return int(_longest_run(mask).sum())


def _longest_run(mask: pd.Series) -> pd.Series:
    """``mask`` with only its longest run of consecutive True kept (the latest of equal
    runs): the periods a flag rests on, not every period that happens to be True.

    >>> _longest_run(pd.Series([True, True, False, True])).tolist()
    [True, True, False, False]
    """
    values = [bool(v) for v in mask]
    best, best_end, run = 0, -1, 0
    for i, v in enumerate(values):
        run = run + 1 if v else 0
        if run and run >= best:
            best, best_end = run, i
    keep = [best_end - best < i <= best_end for i in range(len(values))]
    return pd.Series(keep, index=mask.index, dtype=bool)


def _flags(positions: pd.DataFrame, added: pd.DataFrame, order: list[str],
           periods: int) -> pd.DataFrame:
    rows = []
    rank_of = {e: i for i, e in enumerate(order)}
    for (line, subject), p in positions.groupby(["unit", "subject"], sort=False):
        p = p.sort_values("exam", key=lambda s: s.map(rank_of))
        v = added[added["unit"].eq(line) & added["subject"].eq(subject)].sort_values(
            "exam", key=lambda s: s.map(rank_of))
        # decline: the value-added interval below 0, period after period
        down = v["high"] < 0 if len(v) else pd.Series(dtype=bool)
        if _runs(down) >= periods:
            ev = "；".join(f"{r.prev_exam}→{r.exam} 增值 {r.estimate:.2f} [{r.low:.2f}, {r.high:.2f}]"
                          for r in v.itertuples())
            rows.append({"unit": line, "subject": subject, "flag": "decline",
                         "periods": _runs(down),
                         "exams": "、".join(v.loc[_longest_run(down), "exam"]),
                         "evidence": ev, "supported": True})
        last = p["rank"].eq(p["n_units"]) & p["n_units"].gt(1)
        below = last & (p["z_high"] < 0)
        if _runs(last) >= periods:
            supported = _runs(below) >= periods
            ev = "；".join(f"{r.exam} 第 {r.rank}/{r.n_units} 名，平均Z {r.z_mean:.2f} "
                          f"[{r.z_low:.2f}, {r.z_high:.2f}]" for r in p.itertuples())
            rows.append({"unit": line, "subject": subject,
                         "flag": "bottom" if supported else "bottom_unsupported",
                         "periods": _runs(below if supported else last),
                         "exams": "、".join(p.loc[_longest_run(below if supported else last),
                                                 "exam"]),
                         "evidence": ev + ("" if supported else
                                           "。区间与年级均值重叠：末位不足以认定为落后。"),
                         "supported": supported})
    return pd.DataFrame(rows, columns=["unit", "subject", "flag", "periods", "exams",
                                       "evidence", "supported"])
