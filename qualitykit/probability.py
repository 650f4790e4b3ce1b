"""The few probability functions the term report needs, straight from ``scipy.special``.

``scipy.stats`` computes its t, F, χ², normal and binomial tails with the ``scipy.special``
functions used here (``stats.t.ppf`` is ``special.stdtrit``, ``stats.f.sf`` is
``special.fdtrc``…), but importing it costs about half a second of CPU (it loads
``scipy.spatial``, ``scipy.ndimage``, ``scipy.integrate`` and hundreds of distributions): paid
twice by ``qualitykit report`` (the command and its notebook's kernel), for a handful of
quantiles. The functions below take the same arguments in the order ``scipy.stats`` does and
give the same numbers (``tests/test_probability.py`` checks them against it); like it they give
NaN where a degree of freedom is not positive.
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = ["t_ppf", "t_sf", "f_sf", "f_isf", "chi2_sf", "norm_ppf", "binom_cdf",
           "average_ranks", "min_ranks"]


def _positive(*dfs) -> np.ndarray:
    return np.logical_and.reduce([np.asarray(df, float) > 0 for df in dfs])


def t_ppf(q, df):
    """Student's t quantile (``scipy.stats.t.ppf(q, df)``).

    >>> round(float(t_ppf(0.975, 10)), 6)  # the table's t(0.025; 10)
    2.228139
    """
    df = np.asarray(df, float)
    with np.errstate(invalid="ignore"):
        return np.where(_positive(df), special.stdtrit(np.where(df > 0, df, 1.0), q), np.nan)[()]


def t_sf(x, df):
    """Student's t upper tail P(T > x) (``scipy.stats.t.sf(x, df)``)."""
    df = np.asarray(df, float)
    with np.errstate(invalid="ignore"):
        return np.where(_positive(df), special.stdtr(np.where(df > 0, df, 1.0),
                                                     -np.asarray(x, float)), np.nan)[()]


def f_sf(x, dfn, dfd):
    """The F distribution's upper tail (``scipy.stats.f.sf(x, dfn, dfd)``)."""
    ok = _positive(dfn, dfd)
    with np.errstate(invalid="ignore"):
        return np.where(ok, special.fdtrc(np.where(ok, dfn, 1.0), np.where(ok, dfd, 1.0), x),
                        np.nan)[()]


def f_isf(q, dfn, dfd):
    """The F value with upper tail ``q`` (``scipy.stats.f.isf(q, dfn, dfd)``).

    >>> round(float(f_isf(0.05, 3, 20)), 4)  # the table's F(0.05; 3, 20)
    3.0984
    """
    ok = _positive(dfn, dfd)
    with np.errstate(invalid="ignore"):
        return np.where(ok, special.fdtri(np.where(ok, dfn, 1.0), np.where(ok, dfd, 1.0),
                                          1.0 - np.asarray(q, float)), np.nan)[()]


def chi2_sf(x, df):
    """The χ² upper tail (``scipy.stats.chi2.sf(x, df)``)."""
    ok = _positive(df)
    with np.errstate(invalid="ignore"):
        return np.where(ok, special.chdtrc(np.where(ok, df, 1.0), x), np.nan)[()]


def norm_ppf(q):
    """The standard normal quantile (``scipy.stats.norm.ppf(q)``).

    >>> round(float(norm_ppf(0.975)), 6)
    1.959964
    """
    return special.ndtri(q)


def binom_cdf(k, n, p):
    """The binomial P(X ≤ k) (``scipy.stats.binom.cdf(k, n, p)``): 0 below 0, 1 from ``n``."""
    k = np.floor(np.asarray(k, float))
    inside = special.bdtr(np.clip(k, 0, n), n, p)
    return np.where(k < 0, 0.0, np.where(k >= n, 1.0, inside))[()]


def average_ranks(values) -> np.ndarray:
    """Ranks 1…n, ties sharing their average rank (``scipy.stats.rankdata(values)``)."""
    values = np.asarray(values)
    order = np.argsort(values, kind="mergesort")
    starts = np.r_[True, values[order][1:] != values[order][:-1]]
    group = np.cumsum(starts) - 1                  # tie group of each sorted position
    bounds = np.r_[np.flatnonzero(starts), len(values)]
    ranks = np.empty(len(values), float)
    ranks[order] = (bounds[group] + bounds[group + 1] + 1) / 2
    return ranks


def min_ranks(rows: np.ndarray) -> np.ndarray:
    """Each row ranked 1…n, ties sharing their best rank
    (``scipy.stats.rankdata(rows, method="min", axis=1)``).

    >>> min_ranks(np.array([[3.0, 1.0, 3.0], [0.5, 0.5, 0.2]])).tolist()
    [[2, 1, 2], [2, 2, 1]]
    """
    rows = np.asarray(rows)
    order = np.argsort(rows, axis=1, kind="mergesort")
    ordered = np.take_along_axis(rows, order, axis=1)
    position = np.broadcast_to(np.arange(rows.shape[1]), rows.shape)
    starts = np.concatenate([np.ones((rows.shape[0], 1), bool),
                             ordered[:, 1:] != ordered[:, :-1]], axis=1)
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)  # tie group's start
    ranks = np.empty(rows.shape, np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks
