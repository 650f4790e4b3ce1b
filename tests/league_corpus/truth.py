"""Expected numbers of a generated 联考, from the generator's values with plain pandas/numpy.

Definitions as 联考 organisers and DOMAIN.md state them: 参考 = at least one score; a subject's
rates over the pupils who sat it (pass ≥ 60 %, excellent ≥ 85 %, low < 40 % of the full mark);
总分 = sum of the subjects sat; 位次 = competition rank of 总分 (1, 2, 2, 4); a share line is the
总分 of the pupil at rank ⌈share × 参考⌉; 单科有效分 by 比例法 is the subject score at rank
⌈p × n⌉ with p = 总分上线 / 参考, by 均值法 the mean subject score of the pupils over the line.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def sitters(pupils: pd.DataFrame, subjects) -> pd.DataFrame:
    """Roster rows with at least one score, with 总分 and 位次 (联考) and 校位次."""
    x = pupils[pupils[list(subjects)].notna().any(axis=1)].copy()
    x["总分"] = x[list(subjects)].sum(axis=1, skipna=True)
    x["位次"] = x["总分"].rank(method="min", ascending=False).astype(int)
    x["校位次"] = x.groupby("学校")["总分"].rank(method="min", ascending=False).astype(int)
    return x


def school_table(pupils: pd.DataFrame, subjects: dict[str, float]) -> pd.DataFrame:
    """One row per school × subject: 实考人数, 平均分, 及格率, 优秀率, 低分率 (fractions)."""
    rows = []
    for school, group in pupils.groupby("学校", sort=False):
        for subject, full in subjects.items():
            values = group[subject].dropna().to_numpy(float)
            if not len(values):
                continue
            rows.append({"学校": school, "科目": subject, "实考人数": len(values),
                         "平均分": values.mean(), "及格率": np.mean(values >= 0.6 * full),
                         "优秀率": np.mean(values >= 0.85 * full),
                         "低分率": np.mean(values < 0.4 * full)})
    return pd.DataFrame(rows)


def line_score(totals: pd.Series, value: float) -> float:
    """The 总分 line: a score, or the 总分 at rank ⌈share × n⌉ for a share below 1."""
    if value >= 1:
        return value
    ordered = np.sort(totals.to_numpy(float))[::-1]
    return float(ordered[math.ceil(value * len(ordered) - 1e-9) - 1])


def over_by_school(x: pd.DataFrame, cut: float) -> pd.Series:
    """上线人数 per school (总分 ≥ line)."""
    return (x["总分"] >= cut).groupby(x["学校"], sort=False).sum()


def effective(x: pd.DataFrame, subject: str, cut: float, method: str) -> float:
    """单科有效分 of ``subject`` for the 总分 line ``cut``."""
    over = x["总分"] >= cut
    values = x[subject].dropna()
    if method == "mean":
        return float(x.loc[over, subject].dropna().mean())
    share = over.sum() / len(x)
    ordered = np.sort(values.to_numpy(float))[::-1]
    return float(ordered[max(1, math.ceil(share * len(ordered) - 1e-9)) - 1])


NATIONAL2021 = ((0.15, 100, 86), (0.50, 85, 71), (0.85, 70, 56), (0.98, 55, 41), (1.0, 40, 30))


def national2021(values: pd.Series) -> pd.Series:
    """等级赋分 (A–E 15/35/35/13/2 %): grade cut at the distinct score whose cumulative share
    is nearest each boundary (浙江's rule; on an exact tie the larger share), then (Y2 − Y)/(Y − Y1) = (T2 − T)/(T − T1), rounded half up."""
    raw = values.dropna()
    distinct = np.sort(raw.unique())[::-1]
    cumulative = np.array([(raw >= s).mean() for s in distinct])
    grade_of, start = {}, 0
    for g, (share, _, _) in enumerate(NATIONAL2021):
        if start >= len(distinct):
            break
        gaps = np.abs(cumulative[start:] - share)
        last_nearest = np.flatnonzero(gaps <= gaps.min() + 1e-12)[-1]  # a tie: the larger share
        end = len(distinct) if g == len(NATIONAL2021) - 1 else start + int(last_nearest)
        for s in distinct[start:end + 1]:
            grade_of[s] = g
        start = end + 1
    out = {}
    for i, y in raw.items():
        g = grade_of[y]
        ys = [s for s, k in grade_of.items() if k == g]
        y1, y2 = min(ys), max(ys)
        t2, t1 = NATIONAL2021[g][1], NATIONAL2021[g][2]
        t = t2 if y1 == y2 else t1 + (y - y1) * (t2 - t1) / (y2 - y1)
        out[i] = math.floor(t + 0.5)
    return pd.Series(out, dtype=float).reindex(values.index)
