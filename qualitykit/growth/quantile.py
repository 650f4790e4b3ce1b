"""Linear quantile regression for growth percentiles: the B-spline basis of a prior score and
the fits at the 100 quantiles SGP needs.

The basis puts its inner knots at the prior's quintiles, as Betebenner's SGP package does.
The fits are exact solutions of the quantile-regression linear programme, by an interior-point
solver (``solver="fn"``, see :mod:`qualitykit.external`) or by statsmodels' ``QuantReg``
(``solver="statsmodels"``: the same optimum, much slower on large data).
"""

from __future__ import annotations

import numpy as np

__all__ = ["TAUS", "spline_knots", "bspline_basis", "quantile_fit", "distinct_rows"]

#: The 100 quantiles of SGP: 0.005, 0.015, …, 0.995.
TAUS = (np.arange(1, 101) - 0.5) / 100


def spline_knots(x: np.ndarray, inner=(0.2, 0.4, 0.6, 0.8)) -> tuple[np.ndarray, float, float]:
    """Inner knots at the prior score's quintiles (as the SGP package) and the boundary."""
    x = np.asarray(x, float)
    knots = np.unique(np.quantile(x, inner))
    lo, hi = float(x.min()), float(x.max())
    knots = knots[(knots > lo) & (knots < hi)]
    return knots, lo, hi


def bspline_basis(x, knots: np.ndarray, lo: float, hi: float, degree: int = 3) -> np.ndarray:
    """The cubic B-spline basis of ``x`` without one column (the intercept is separate).

    Values outside ``[lo, hi]`` are held at the boundary: a prior score beyond the range the
    model saw gets the prediction of the nearest score it saw.
    """
    x = np.clip(np.asarray(x, float), lo, hi)
    t = np.r_[[lo] * (degree + 1), knots, [hi] * (degree + 1)]
    basis = _design_matrix(x, t, degree)
    return basis[:, 1:]  # the columns sum to one: drop one to keep the intercept identified


def _design_matrix(x: np.ndarray, t: np.ndarray, k: int) -> np.ndarray:
    """The values at ``x`` (within ``t[k]`` … ``t[-k-1]``) of the B-splines of degree ``k`` on
    the knots ``t``, one column each: ``scipy.interpolate.BSpline.design_matrix(x, t, k)``
    as a dense array, by the Cox–de Boor recursion over the k + 1 B-splines that are not zero at
    each x (de Boor, *A Practical Guide to Splines*, ch. X), without importing
    ``scipy.interpolate`` (and ``scipy.optimize`` with it). ``tests/test_growth.py`` checks it
    against scipy's."""
    n = len(t) - k - 1
    spans = np.flatnonzero(t[:-1] < t[1:])
    if not len(spans):  # every knot at one value (all prior scores equal): as scipy, zeros
        return np.zeros((len(x), n))
    # the knot interval t[i] ≤ x < t[i+1] of each x; the right end in the last one not empty
    i = np.minimum(np.searchsorted(t, x, side="right") - 1, spans[-1])
    values = np.zeros((len(x), k + 1))
    values[:, 0] = 1.0
    left, right = np.zeros((len(x), k + 1)), np.zeros((len(x), k + 1))
    for j in range(1, k + 1):
        left[:, j], right[:, j] = x - t[i + 1 - j], t[i + j] - x
        saved = np.zeros(len(x))
        for r in range(j):
            term = values[:, r] / (right[:, r + 1] + left[:, j - r])
            values[:, r] = saved + right[:, r + 1] * term
            saved = left[:, j - r] * term
        values[:, j] = saved
    out = np.zeros((len(x), n))
    out[np.arange(len(x))[:, None], i[:, None] - k + np.arange(k + 1)] = values
    return out


def quantile_fit(design: np.ndarray, y: np.ndarray, taus=TAUS, *,
                 solver: str = "fn") -> np.ndarray:
    """Coefficients of the linear quantile regressions of ``y`` on ``design`` (one row per τ).

    ``solver="fn"`` (default) is the interior-point solver of :mod:`qualitykit.external`;
    ``"statsmodels"`` fits each τ with ``statsmodels``' ``QuantReg`` (slower on large data).
    """
    design = np.asarray(design, float)
    y = np.asarray(y, float)
    taus = np.atleast_1d(np.asarray(taus, float))
    if solver == "statsmodels":
        return _statsmodels_fit(design, y, taus)
    if solver != "fn":
        raise ValueError(f"solver 应为 'fn' 或 'statsmodels'，收到 {solver!r}。")
    from ..external.frisch_newton import quantile_regression

    return quantile_regression(design, y, taus)


def distinct_rows(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of a 2-d array, in lexicographic order, and for each row of
    ``values`` the index of its distinct row (``distinct[inverse]`` gives ``values`` back).

    A row holding NaN is equal to no other row (it is kept once per occurrence).

    Examples
    --------
    >>> distinct, inverse = distinct_rows(np.array([[2.0, 1], [1, 5], [2, 1]]))
    >>> distinct.tolist(), inverse.tolist()
    ([[1.0, 5.0], [2.0, 1.0]], [1, 0, 1])
    """
    values = np.asarray(values, float)
    if len(values) == 0:
        return values, np.zeros(0, np.intp)
    order = np.lexsort(values.T[::-1])
    ordered = values[order]
    first = np.r_[True, (ordered[1:] != ordered[:-1]).any(axis=1)]
    inverse = np.empty(len(values), np.intp)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def _statsmodels_fit(design: np.ndarray, y: np.ndarray, taus: np.ndarray) -> np.ndarray:
    import warnings

    from statsmodels.regression.quantile_regression import QuantReg
    from statsmodels.tools.sm_exceptions import IterationLimitWarning

    model = QuantReg(y, design)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IterationLimitWarning)
        return np.vstack([model.fit(q=t, max_iter=5000).params for t in taus])
