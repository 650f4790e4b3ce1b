"""均衡 indices: how far apart the schools (or the classes) of a district are.

* 差异系数 (CV) of unit means: ``S / X̄`` with ``X̄ = Σ nᵢ x̄ᵢ / N`` and
  ``S = √(Σ nᵢ (x̄ᵢ − X̄)² / N)``, each unit weighted by its sitters — the formula of the
  national 义务教育均衡发展督导评估 (校际差异系数), applied to the units' mean scores.
* ICC (between-unit share of variance): the one-way random-effects ANOVA estimator
  ``(MSB − MSW) / (MSB + (n₀ − 1) MSW)`` with ``n₀ = (N − Σ nᵢ² / N) / (k − 1)`` (unequal
  unit sizes). It can be below 0 when units differ less than chance would make them; it is
  reported as computed.
* 高低分组差距 (quartile gap): the mean of the unit means of the top quarter of units minus
  that of the bottom quarter (``q = ⌈k / 4⌉`` units each), also in SD units of the pupils.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..schema import group_arrays, sat_rows, unit_keys
from ..subjects import in_teaching_order

__all__ = ["balance_indices", "weighted_cv", "icc_oneway", "quartile_gap"]

_COLUMNS = ["n_units", "n_sat", "mean", "sd", "unit_mean_min", "unit_mean_max", "cv_means",
            "icc", "quartile_units", "quartile_gap", "quartile_gap_sd"]


def weighted_cv(means, sizes) -> float:
    """差异系数 of unit means weighted by their sizes (均衡督导评估 formula).

    >>> round(weighted_cv([80, 70], [10, 30]), 6)  # X̄ = 72.5, S = √((10·7.5² + 30·2.5²)/40)
    0.059726
    """
    x, n = np.asarray(means, float), np.asarray(sizes, float)
    if len(x) < 2 or n.sum() <= 0:
        return np.nan
    centre = float((n * x).sum() / n.sum())
    spread = math.sqrt(float((n * (x - centre) ** 2).sum() / n.sum()))
    return spread / centre if centre else np.nan


def icc_oneway(groups: Sequence) -> float:
    """ICC(1) of the one-way random-effects ANOVA with unequal group sizes.

    >>> round(icc_oneway([[1, 2, 3], [4, 5, 6]]), 4)  # MSB 13.5, MSW 1, n₀ 3: 12.5 / 15.5
    0.8065
    """
    data = [np.asarray(g, float) for g in groups if len(g)]
    k = len(data)
    n = np.array([len(g) for g in data], float)
    total = n.sum()
    if k < 2 or total - k < 1:
        return np.nan
    grand = np.concatenate(data).mean()
    means = [g.mean() for g in data]  # each once (the same figures as computed in place)
    msb = sum(len(g) * (m - grand) ** 2 for g, m in zip(data, means)) / (k - 1)
    msw = sum(((g - m) ** 2).sum() for g, m in zip(data, means)) / (total - k)
    n0 = (total - (n ** 2).sum() / total) / (k - 1)
    denominator = msb + (n0 - 1) * msw
    return float((msb - msw) / denominator) if denominator > 0 else np.nan


def quartile_gap(means) -> tuple[int, float]:
    """(units in each quarter, mean of the top quarter's means − the bottom quarter's).

    >>> quartile_gap([50, 60, 70, 80, 90])  # q = 2: (90 + 80)/2 − (50 + 60)/2
    (2, 30.0)
    """
    x = np.sort(np.asarray(means, float)[~np.isnan(np.asarray(means, float))])
    if len(x) < 2:
        return 0, np.nan
    q = math.ceil(len(x) / 4)
    return q, float(x[-q:].mean() - x[:q].mean())


def balance_indices(scores: pd.DataFrame, *, unit: str = "school",
                    within: Sequence[str] | str = ("subject",)) -> pd.DataFrame:
    """均衡 indices of the units (schools, or classes within their schools) per subject.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table (sitters count: ``status == "sat"`` with a score).
    unit : str
        ``school`` (校际) or ``class_id`` (班际: a class within its school).
    within : column names
        The groups the indices are computed in (default: per subject); ``("school",
        "subject")`` with ``unit="class_id"`` gives each school's classes.

    Returns
    -------
    DataFrame
        ``within`` columns, ``n_units``, ``n_sat``, ``mean`` and ``sd`` (of the pupils),
        ``unit_mean_min``, ``unit_mean_max``, ``cv_means`` (差异系数 of unit means),
        ``icc`` (between-unit share of variance), ``quartile_units`` (units in each quarter),
        ``quartile_gap`` (points), ``quartile_gap_sd`` (gap / ``sd``).

    Examples
    --------
    >>> from qualitykit.district.load import load_district
    >>> t = balance_indices(load_district().scores)
    >>> t[["subject", "n_units", "quartile_units"]].head(2).values.tolist()
    [['语文', 6, 2], ['数学', 6, 2]]
    """
    within = [within] if isinstance(within, str) else list(within)
    units = [k for k in unit_keys(scores, [unit]) if k not in within]
    rows = [{**dict(zip(within, ident)), **_indices(x, groups)}
            for ident, (x, groups) in _unit_scores(sat_rows(scores), within, units).items()]
    out = pd.DataFrame(rows, columns=within + _COLUMNS)
    return in_teaching_order(out, within) if "subject" in within else out


def _unit_scores(sat: pd.DataFrame, within: list[str], units: list[str]) -> dict:
    """Each ``within`` group (a tuple, in sorted order): its sitters' scores (table order) and
    the scores of each of its units (sorted; rows without a unit left out), from two
    group-bys of the whole table."""
    pupils = group_arrays(sat, within, dropna=False)
    if sat[within].isna().any().any():  # a missing ``within`` value: one group-by per group
        frames = dict(iter(sat.groupby(within, sort=True, dropna=False)))
        return {key: (x, list(group_arrays(frames[key], units, dropna=True).values()))
                for key, x in pupils.items()}
    found: dict = {key: (x, []) for key, x in pupils.items()}
    for key, x in group_arrays(sat, within + units, dropna=True).items():
        found[key[:len(within)]][1].append(x)
    return found


def _indices(scores: np.ndarray, groups: list[np.ndarray]) -> dict:
    """The indices of one subject's sitters (``scores``) grouped in units (``groups``)."""
    x = pd.Series(scores, dtype=float)
    means = np.array([g.mean() for g in groups])
    sizes = np.array([len(g) for g in groups])
    q, gap = quartile_gap(means)
    sd = float(x.std(ddof=1)) if len(x) > 1 else np.nan
    return {"n_units": len(groups), "n_sat": int(sizes.sum()), "mean": float(x.mean()),
            "sd": sd, "unit_mean_min": float(means.min()), "unit_mean_max": float(means.max()),
            "cv_means": weighted_cv(means, sizes), "icc": icc_oneway(groups),
            "quartile_units": q, "quartile_gap": gap,
            "quartile_gap_sd": gap / sd if sd and sd > 0 else np.nan}
