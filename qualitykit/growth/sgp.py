"""成长百分位 (student growth percentiles, SGP): how a pupil's score compares with the scores of
pupils who started where he started.

For each grade × subject the current score is regressed on the prior score(s) at the 100
quantiles τ = 0.005 … 0.995 (linear quantile regression on a cubic B-spline of each prior,
inner knots at the prior's quintiles, as in Betebenner's SGP package). A pupil's SGP is the
number of fitted conditional quantiles below his score, held within 1–99: SGP 70 means he
scored higher than 70 % of the pupils with the same prior score(s). The class median SGP is
the class's growth.

The growth a pupil needs is read from the same model: the lowest percentile that, from his
current score, would reach a line next time, *if the next paper relates to this one as this
one did to the last* (same full mark and similar difficulty). It is an aim, not a forecast.

A norm group is always fitted whole, never on a sample: above 5,000 pupils the solver enters
the pupils who share their prior score(s) and score as one row counted that many times (the
same loss function, so the same fit; see :mod:`qualitykit.external.frisch_newton`), and each
distinct combination's SGP is computed once. With whole- or half-point scores a 联考 of 100,000
pupils is a few thousand such rows per subject.

SGPs are norm-referenced: the whole grade's median is about 50 by construction. For staff:
like ranks, percentiles are not shown to pupils or parents (2021 rules).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..probability import binom_cdf
from ..schema import (
    GROWTH_COLUMNS,
    check_scores_table,
    check_unique_students,
    default_unit,
    sat_rows,
    student_keys,
    unit_keys,
)
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order
from .quantile import TAUS, bspline_basis, distinct_rows, quantile_fit, spline_knots

__all__ = ["Growth", "growth_percentiles"]


@dataclass(frozen=True)
class Growth:
    """The result of :func:`growth_percentiles`.

    Attributes
    ----------
    students : DataFrame
        One row per student × subject of the current exam: ``score``, ``prior_score`` (and
        ``prior_score_2`` …), ``n_priors``, ``sgp`` (1–99; missing without a prior score or
        when the grade is too small), ``sgp_to_pass`` / ``sgp_to_excellent`` (the percentile
        needed next time to reach the line; missing when beyond 99) and ``note``.
    groups : DataFrame
        One row per ``by`` × subject: ``n`` (pupils with an SGP), ``median_sgp`` with
        ``median_low``/``median_high`` (distribution-free interval of the median),
        ``mean_sgp``, ``low_growth`` (share with SGP < 35), ``high_growth`` (share > 65).
    models : DataFrame
        One row per fitted grade × subject × number of priors: ``grade``, ``subject``,
        ``n_priors``, ``n`` (pupils in the fit), ``knots`` (inner knots of each prior),
        ``solver``.
    """

    students: pd.DataFrame
    groups: pd.DataFrame
    models: pd.DataFrame


def growth_percentiles(current: pd.DataFrame, previous: pd.DataFrame | Sequence[pd.DataFrame], *,
                       by: str | None = None, standard: Standard | str | None = None,
                       confidence: float = 0.95, solver: str = "fn") -> Growth:
    """成长百分位: each pupil's growth against pupils with the same prior scores.

    Parameters
    ----------
    current : DataFrame
        The canonical long table of the exam whose growth is measured (may hold several grades,
        subjects and schools; each grade × subject is one model, its norm group everyone in it).
    previous : DataFrame or list of DataFrames
        The prior exam, or several, most recent first: a pupil with more priors is placed by
        all of them (up to the number given); one with only the latest, by that one.
    by : str, optional
        Groups for the median SGP (``class_id`` by default, ``teacher`` when ``current`` has
        it, ``school``; for a :func:`qualitykit.pre_post` pair, its unit). With several schools
        a class or teacher is identified within its school (``groups`` has a ``school``
        column) and so is a pupil.
    standard : Standard, preset name or TOML path
        ``sgp_min_students`` and the lines for ``sgp_to_pass`` / ``sgp_to_excellent``.
    confidence : float
        Of the interval of each group's median.
    solver : {"fn", "statsmodels"}
        ``"fn"``: Frisch–Newton interior point (exact, fast); ``"statsmodels"``: statsmodels
        ``QuantReg`` for every τ (the same estimates, much slower on large data).

    Returns
    -------
    Growth

    Raises
    ------
    ScoreFileError
        When a pupil has two rows for the same exam × subject (the message names them).

    Examples
    --------
    >>> import qualitykit as qk
    >>> g = qk.growth_percentiles(qk.load_sample(exam="2025-2026-2 期末", grade=5),
    ...                           qk.load_sample(exam="2024-2025-2 期末", grade=4))
    >>> g.groups.query("subject == '数学'")[["class_id", "n", "median_sgp", "median_low",
    ...                                      "median_high"]]
       class_id   n  median_sgp  median_low  median_high
    1       5-1  35        50.0        37.0         69.0
    5       5-2  40        60.0        48.0         80.0
    9       5-3  41        39.0        23.0         68.0
    13      5-4  44        40.5        31.0         55.0
    """
    std = get_standard(standard)
    priors = [previous] if isinstance(previous, pd.DataFrame) else list(previous)
    by, ids = _check_inputs(current, priors, by)
    rows, names = _with_priors(current, priors, ids, by)
    rows = _with_lines(rows, std)
    models = _fit_norm_groups(rows, names, std, solver)
    students = rows.drop(columns=["_pass", "_excellent"])
    students = in_teaching_order(students, unit_keys(students, ["class_id", "subject",
                                                                 "student_id"])
                                  if "class_id" in students else ["subject", "student_id"])
    groups = _groups(students, by, confidence)
    return Growth(students=students.reset_index(drop=True), groups=groups,
                  models=pd.DataFrame(models))


def _check_inputs(current: pd.DataFrame, priors: list[pd.DataFrame],
                  by: str | None) -> tuple[str, list[str]]:
    """The group column and the pupil keys; refuses no prior, a missing group column and a
    pupil with two rows for one subject."""
    if not priors:
        raise ValueError("growth_percentiles 需要至少一次之前的考试（previous）。")
    for name, table in (("current", current), *(("previous", t) for t in priors)):
        check_scores_table(table, where=f"growth_percentiles（{name}）",
                           required=GROWTH_COLUMNS, bounds=False)
    by = default_unit(current, by)
    if by is None or by not in current:
        raise ValueError(f"成绩表没有 {by} 列，无法按它汇总成长百分位。")
    ids = student_keys(current, *priors)
    check_unique_students(current, what="本次考试（current）", function="growth_percentiles",
                          keys=ids)
    for i, table in enumerate(priors):
        check_unique_students(table, what=f"第 {i + 1} 次前测（previous）",
                              function="growth_percentiles", keys=ids)
    return by, ids


def _with_priors(current: pd.DataFrame, priors: list[pd.DataFrame], ids: list[str],
                 by: str) -> tuple[pd.DataFrame, list[str]]:
    """The pupils who sat the current exam with ``prior_score`` (``prior_score_2`` …) and
    ``n_priors``, the number of consecutive priors, most recent first; and the prior columns."""
    now = sat_rows(current)
    info = [c for c in ("name", "school", "grade", "class_id", by) if c in now]
    rows = now[list(dict.fromkeys([*ids, "subject", *info, "score", "full_mark"]))]
    names = []
    for i, table in enumerate(priors):
        name = "prior_score" if i == 0 else f"prior_score_{i + 1}"
        names.append(name)
        before = sat_rows(table)[[*ids, "subject", "score"]].rename(columns={"score": name})
        rows = rows.merge(before, on=[*ids, "subject"], how="left")
    have = rows[names].notna().to_numpy()
    rows["n_priors"] = np.cumprod(have, axis=1).sum(axis=1)
    return rows, names


def _with_lines(rows: pd.DataFrame, std: Standard) -> pd.DataFrame:
    """Each pupil's pass and excellent lines (``_pass``, ``_excellent``) and the empty result
    columns ``sgp``, ``sgp_to_pass``, ``sgp_to_excellent``, ``note``."""
    from ..term.indicators import row_lines

    lines = row_lines(rows.assign(status="sat"), std)
    rows["_pass"], rows["_excellent"] = np.asarray(lines["pass"]), np.asarray(lines["excellent"])
    rows["sgp"] = np.nan
    rows["sgp_to_pass"] = rows["sgp_to_excellent"] = np.nan
    rows["note"] = np.where(rows["n_priors"].eq(0), "无上次成绩", "")
    return rows


def _fit_norm_groups(rows: pd.DataFrame, names: list[str], std: Standard,
                     solver: str) -> list[dict]:
    """Fit every grade × subject (its norm group: everyone passed in, all schools of a 联考)
    for each number of priors, writing ``sgp``, ``sgp_to_*`` and ``note`` into ``rows``;
    returns one model row per fit."""
    scope = [k for k in ("grade", "subject") if k in rows]
    models = []
    for key, part in rows.groupby(scope, sort=False, dropna=False):
        for order in range(len(names), 0, -1):
            use = part[part["n_priors"].eq(order) if order < len(names)
                       else part["n_priors"].ge(order)]
            fit = part[part["n_priors"] >= order]
            if use.empty and order > 1:
                continue
            if len(fit) < std.sgp_min_students:
                rows.loc[use.index, "note"] = (f"同年级同科有 {order} 次前测的学生 {len(fit)} 人，"
                                               f"少于 {std.sgp_min_students} 人，不计算")
                continue
            sgp, needs, knots = _fit(fit, use, names[:order], solver)
            rows.loc[use.index, "sgp"] = sgp
            if order == 1:  # the growth needed next time: from today's score as the one prior
                for line in ("pass", "excellent"):
                    rows.loc[part.index, f"sgp_to_{line}"] = needs(part["score"],
                                                                   part[f"_{line}"])
            models.append({**dict(zip(scope, key if isinstance(key, tuple) else (key,))),
                           "n_priors": order, "n": len(fit), "knots": knots, "solver": solver})
    return models


def _fit(fit: pd.DataFrame, use: pd.DataFrame, names: list[str], solver: str):
    """Fit the 100 quantile regressions; SGPs of ``use``; a function for the growth needed.

    A pupil's fitted quantiles depend only on his prior score(s), his SGP on those and his
    score: both are computed once per distinct combination (a few thousand among 100,000
    pupils with whole- or half-point scores) and copied to the pupils who share it."""
    bases = [spline_knots(fit[n].to_numpy(float)) for n in names]

    def design(priors: np.ndarray) -> np.ndarray:  # priors: (pupils, number of priors)
        parts = [np.ones((len(priors), 1))]
        for (knots, lo, hi), column in zip(bases, priors.T):
            parts.append(bspline_basis(column, knots, lo, hi))
        return np.hstack(parts)

    coef = quantile_fit(design(fit[names].to_numpy(float)), fit["score"].to_numpy(float), TAUS,
                        solver=solver)
    sgp = np.array([])
    if len(use):
        cases, back = distinct_rows(use[[*names, "score"]].to_numpy(float))
        predicted = np.sort(design(cases[:, :-1]) @ coef.T, axis=1)  # monotone in τ
        sgp = _percentile_among(predicted, cases[:, -1])[back]

    def needs(score: pd.Series, line: pd.Series) -> np.ndarray:
        # next time, from today's score as the prior: the lowest percentile reaching the line
        cases, back = distinct_rows(np.column_stack([score.to_numpy(float),
                                                     line.to_numpy(float)]))
        ahead = np.sort(design(cases[:, :1]) @ coef.T, axis=1)
        target = cases[:, 1:]
        k = (ahead < target - _on_line(target)).sum(axis=1) + 1  # first τ at or above
        return np.where(k <= 99, np.maximum(k, 1), np.nan)[back]

    knots = "; ".join(",".join(f"{v:g}" for v in k) for k, _, _ in bases)
    return sgp, needs, knots


def _on_line(score: np.ndarray) -> np.ndarray:
    """How close a prediction must be to a score to count as equal to it.

    A quantile fit passes exactly through some of the pupils it is fitted on (an LP optimum sits
    on a vertex), so many pupils lie *on* a fitted line up to the solver's rounding (~1e-9),
    while a line that merely passes near a score is ~1e-4 away or more: 1e-6 of the score's
    size separates the two."""
    return 1e-6 * (1.0 + np.abs(score))


def _percentile_among(predicted: np.ndarray, score: np.ndarray) -> np.ndarray:
    """SGP of each pupil: the fitted percentile lines below the score, a line through the score
    counted half (the mid-rank of ties, as for percentile ranks), rounded half up, in 1–99.

    ``predicted`` is (pupils, 100) in increasing τ; ``score`` (pupils,)."""
    score = score[:, None]
    tol = _on_line(score)
    below = (predicted < score - tol).sum(axis=1)
    equal = (np.abs(predicted - score) <= tol).sum(axis=1)
    return np.clip(np.floor(below + equal / 2 + 0.5), 1, 99)


def _groups(students: pd.DataFrame, by: str, confidence: float) -> pd.DataFrame:
    keys = unit_keys(students, [by, "subject"] if by == "class_id" else ["subject", by])
    have = students.dropna(subset=["sgp"])
    rows = []
    for key, part in have.groupby(keys, sort=False):
        x = np.sort(part["sgp"].to_numpy(float))
        n = len(x)
        lo, hi = _median_interval(n, confidence)
        rows.append({**dict(zip(keys, key)), "n": n, "median_sgp": float(np.median(x)),
                     "median_low": x[lo] if lo is not None else np.nan,
                     "median_high": x[hi] if hi is not None else np.nan,
                     "mean_sgp": float(x.mean()), "low_growth": float((x < 35).mean()),
                     "high_growth": float((x > 65).mean())})
    columns = keys + ["n", "median_sgp", "median_low", "median_high", "mean_sgp", "low_growth",
                      "high_growth"]
    out = pd.DataFrame(rows, columns=columns)
    return in_teaching_order(out, keys) if len(out) else out


def _median_interval(n: int, confidence: float) -> tuple[int | None, int | None]:
    """Order statistics (0-based) bracketing the median with at least ``confidence``."""
    if n < 6:
        return None, None
    # the largest k with P(X ≤ k − 1) ≤ α/2: the least k with P(X ≤ k) ≥ α/2 (binom.ppf)
    cdf = binom_cdf(np.arange(n + 1), n, 0.5)
    k = int(np.searchsorted(cdf, (1 - confidence) / 2, side="left"))
    while k > 0 and cdf[k - 1] > (1 - confidence) / 2:
        k -= 1
    return max(k - 1, 0), min(n - k, n - 1)
