"""进步与退步: the pupils of each class whose place in the grade rose or fell most between two
exams, for the 班级质量分析单 (staff only: 学习进步奖 candidates and pupils to talk to)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..schema import unit_keys
from ..subjects import in_teaching_order

__all__ = ["movers", "DIRECTIONS"]

#: The two directions, in the order a class page lists them.
DIRECTIONS = ("up", "down")
_COLUMNS = ["direction", "order", "student_id", "name", "n_subjects", "z_change", "pct_change"]


def movers(students: pd.DataFrame, *, top: int = 3,
           by: Sequence[str] | str = ("class_id",)) -> pd.DataFrame:
    """The pupils of each unit who moved most up and most down in the grade between two exams.

    A pupil's change is the mean, over the subjects he sat in both exams, of his change in Z
    (his place in the grade of each exam × subject): the figure of the 全科 row of
    :func:`qualitykit.progress`'s 学习进步奖 candidates. Papers differ between exams, so raw
    scores are not subtracted.

    Parameters
    ----------
    students : DataFrame
        ``Progress.students`` of :func:`qualitykit.progress`: one row per pupil × subject with
        ``match``, ``z_change`` and ``pct_change``, and the unit columns.
    top : int
        How many pupils per unit and direction (the standard's ``improved_top``).
    by : column names
        The unit (the pupil's class at the later exam); ``school`` is put before a class when
        the table holds several schools.

    Returns
    -------
    DataFrame
        ``by`` columns, ``direction`` (``up``: rose most, ``down``: fell most; see
        :data:`DIRECTIONS`), ``order`` (1 = moved most), ``student_id``, ``name``,
        ``n_subjects`` (subjects sat in both exams), ``z_change`` (mean change in Z) and
        ``pct_change`` (mean change in 百分等级). Only pupils who moved that way (a mean change
        above 0 for ``up``, below 0 for ``down``); ties are broken by ``student_id``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> p = qk.progress(qk.load_sample(exam="2025-2026-1 期末", grade=5),
    ...                 qk.load_sample(exam="2024-2025-2 期末", grade=4))
    >>> m = movers(p.students, top=2)
    >>> m[m["class_id"] == "5-1"][["direction", "order", "n_subjects"]]
      direction  order  n_subjects
    0        up      1           4
    1        up      2           4
    2      down      1           4
    3      down      2           4
    """
    if top < 1:
        raise ValueError(f"top 应为不小于 1 的整数（每个班每个方向列出几人），收到 {top!r}。")
    units = unit_keys(students, [by] if isinstance(by, str) else list(by))
    missing = [c for c in [*units, "student_id", "match", "z_change"] if c not in students]
    if missing:
        raise ValueError(f"students 缺少列 {missing}：请传入 qualitykit.progress(...).students。")
    per_pupil = _mean_change(students, units)
    rows = [_extremes(per_pupil, units, direction, top) for direction in DIRECTIONS]
    out = pd.concat(rows, ignore_index=True)[units + _COLUMNS]
    order = out["direction"].map({d: i for i, d in enumerate(DIRECTIONS)})
    out = out.assign(_d=order).sort_values([*units, "_d", "order"], kind="stable")
    return in_teaching_order(out.drop(columns="_d"), units).reset_index(drop=True)


def _mean_change(students: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """One row per pupil of both exams: subjects sat in both, mean change in Z and 百分等级."""
    both = students[students["match"].eq("matched") & students["z_change"].notna()]
    names = both["name"] if "name" in both else pd.Series("", index=both.index)
    both = both.assign(name=names.fillna(""),
                       pct_change=both.get("pct_change", pd.Series(float("nan"),
                                                                   index=both.index)))
    return (both.groupby([*units, "student_id"], dropna=False, sort=True)
            .agg(name=("name", "first"), n_subjects=("z_change", "size"),
                 z_change=("z_change", "mean"), pct_change=("pct_change", "mean"))
            .reset_index())


def _extremes(per_pupil: pd.DataFrame, units: list[str], direction: str,
              top: int) -> pd.DataFrame:
    """The ``top`` pupils of each unit who moved furthest in ``direction``."""
    up = direction == "up"
    moved = per_pupil[per_pupil["z_change"] > 0] if up else \
        per_pupil[per_pupil["z_change"] < 0]
    moved = moved.sort_values(["z_change", "student_id"], ascending=[not up, True])
    best = moved.groupby(units, dropna=False, sort=False).head(top)
    best = best.assign(direction=direction)
    best["order"] = best.groupby(units, dropna=False, sort=False).cumcount() + 1
    return best
