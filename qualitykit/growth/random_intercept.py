"""A linear model with a random intercept per unit, fitted by REML in closed form per variance
ratio: the model of value added (:mod:`qualitykit.growth.value_added`).

    y_ij = x_ij'β + u_j + e_ij,   u_j ~ N(0, τ²),   e_ij ~ N(0, σ²)

For a given ratio λ = τ²/σ², each unit's covariance is σ²(I + λJ), whose inverse and
determinant are known (I − λ/(1 + n_jλ)·J and 1 + n_jλ), so β, σ² and the REML likelihood come
from the units' sums of x and y alone; the likelihood is then maximised over the one number
λ (a grid, then Brent's method around the best point, the boundary λ = 0 included). This is
the same model and the same REML criterion as statsmodels' ``MixedLM(y, X, groups).fit(reml=
True)``, whose general optimiser took ≈ 0.15 s per subject on a school's grade (the tests
compare both); here it is a few milliseconds. The units' effects are the BLUPs
τ²·1'V_j⁻¹(y_j − X_jβ) and their variances τ² − τ⁴·1'V_j⁻¹1 given the data, as
statsmodels' ``random_effects`` and ``random_effects_cov`` define them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["RandomIntercept", "fit_random_intercept", "brent_minimum"]

#: log λ searched from here to there on a grid before the refinement.
_LOG_RATIO_RANGE = (-18.0, 12.0)
_GRID = 61


@dataclass(frozen=True)
class RandomIntercept:
    """A fitted random-intercept model.

    Attributes
    ----------
    fe_params : ndarray
        β, in the order of the design's columns.
    between_var : float
        τ², the variance of the units' intercepts (0 on the boundary).
    scale : float
        σ², the variance of pupils within a unit.
    units : ndarray
        The units' labels, in the order of ``effects``.
    effects, effects_var : ndarray
        Each unit's predicted intercept (BLUP) and its variance given the data.
    reml : float
        The REML log-likelihood at the optimum (statsmodels' ``llf`` with ``reml=True``).
    """

    fe_params: np.ndarray
    between_var: float
    scale: float
    units: np.ndarray
    effects: np.ndarray
    effects_var: np.ndarray
    reml: float


class _Sums:
    """What the REML likelihood needs of the data: X'X, X'y, y'y and each unit's n, Σx, Σy."""

    def __init__(self, y: np.ndarray, x: np.ndarray, codes: np.ndarray, n_units: int):
        self.n_obs, self.p = x.shape
        self.xtx, self.xty, self.yty = x.T @ x, x.T @ y, float(y @ y)
        self.sizes = np.bincount(codes, minlength=n_units).astype(float)
        self.sum_x = np.stack([np.bincount(codes, x[:, k], n_units) for k in range(self.p)],
                              axis=1)
        self.sum_y = np.bincount(codes, y, n_units)

    def solve(self, ratio: float):
        """β, the weighted residual sum of squares and log|X'H⁻¹X| at λ = ``ratio``."""
        c = ratio / (1.0 + self.sizes * ratio)
        a = self.xtx - (self.sum_x * c[:, None]).T @ self.sum_x
        b = self.xty - self.sum_x.T @ (c * self.sum_y)
        beta = np.linalg.solve(a, b)
        rss = self.yty - float(c @ self.sum_y**2) - float(b @ beta)
        return beta, rss, np.linalg.slogdet(a)[1]

    def reml(self, ratio: float) -> float:
        """The REML log-likelihood profiled over β and σ² (statsmodels' constant included)."""
        _, rss, logdet = self.solve(ratio)
        dof = self.n_obs - self.p
        if rss <= 0:
            return -np.inf
        sigma2 = rss / dof
        return -0.5 * (dof * np.log(sigma2) + float(np.log1p(self.sizes * ratio).sum()) + logdet
                       + dof * (1.0 + np.log(2 * np.pi)))


def fit_random_intercept(y, x, groups) -> RandomIntercept | None:
    """Fit y = Xβ + u_unit + e by REML; None when the model cannot be fitted (fewer pupils
    than columns plus one, a design of less than full rank, or a perfect fit).

    Parameters
    ----------
    y : array-like of float, shape (n,)
    x : array-like of float, shape (n, p)
        The fixed effects' design, with its constant column.
    groups : array-like, shape (n,)
        Each pupil's unit.

    Examples
    --------
    40 units of 30 pupils, β = (1, 0.5), τ² = 0.25, σ² = 1:

    >>> rng = np.random.default_rng(1)
    >>> g = np.repeat(np.arange(40), 30)
    >>> x = np.column_stack([np.ones(1200), rng.normal(size=1200)])
    >>> y = x @ [1.0, 0.5] + rng.normal(0, 0.5, 40)[g] + rng.normal(size=1200)
    >>> fit = fit_random_intercept(y, x, g)
    >>> fit.fe_params.round(2).tolist(), round(fit.between_var, 2), round(fit.scale, 2)
    ([1.02, 0.44], 0.2, 1.03)
    """
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    units, codes = np.unique(np.asarray(groups), return_inverse=True)
    if x.shape[0] <= x.shape[1] or np.linalg.matrix_rank(x) < x.shape[1]:
        return None
    sums = _Sums(y, x, codes, len(units))
    ratio = _best_ratio(sums)
    if ratio is None:
        return None
    beta, rss, _ = sums.solve(ratio)
    scale = rss / (sums.n_obs - sums.p)
    shrink = ratio / (1.0 + sums.sizes * ratio)
    residual_sums = sums.sum_y - sums.sum_x @ beta
    return RandomIntercept(fe_params=beta, between_var=ratio * scale, scale=scale, units=units,
                           effects=shrink * residual_sums,
                           effects_var=ratio * scale / (1.0 + sums.sizes * ratio),
                           reml=sums.reml(ratio))


def _best_ratio(sums: _Sums) -> float | None:
    """λ maximising the REML likelihood: the best of a grid of log λ refined by Brent's method
    between its neighbours, or 0 when the boundary is better; None for a perfect fit."""
    grid = np.linspace(*_LOG_RATIO_RANGE, _GRID)
    values = np.array([sums.reml(np.exp(t)) for t in grid])
    at_zero = sums.reml(0.0)
    if not np.isfinite(at_zero) and not np.isfinite(values).any():
        return None
    best = int(np.nanargmax(np.where(np.isfinite(values), values, -np.inf)))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, _GRID - 1)]
    at, lowest = brent_minimum(lambda t: -sums.reml(np.exp(t)), low, high, xatol=1e-9)
    ratio, value = float(np.exp(at)), -float(lowest)
    return 0.0 if at_zero >= value else ratio


def brent_minimum(f, low: float, high: float, *, xatol: float = 1e-5,
                  maxiter: int = 500) -> tuple[float, float]:
    """The x in [``low``, ``high``] at which ``f`` is least, to within about ``xatol``, and
    f(x): Brent's method (golden sections, and parabolas through the three best points when
    they step well inside the interval; Brent, R. P. (1973), *Algorithms for Minimization
    without Derivatives*, ch. 5, the procedure ``localmin``), as ``scipy.optimize``'s
    ``minimize_scalar(method="bounded")`` does it, without importing ``scipy.optimize`` (≈ 0.15 s
    at every report's start). ``tests/test_random_intercept.py`` checks the two agree."""
    golden = (3.0 - math.sqrt(5.0)) / 2
    sqrt_eps = math.sqrt(2.2e-16)
    a, b = float(low), float(high)
    x = w = v = a + golden * (b - a)
    fx = fw = fv = float(f(x))
    d = e = 0.0
    for _ in range(maxiter):
        middle = (a + b) / 2
        tol1 = sqrt_eps * abs(x) + xatol / 3
        tol2 = 2 * tol1
        if abs(x - middle) <= tol2 - (b - a) / 2:
            break
        parabola = False
        if abs(e) > tol1:  # a parabola through x, w and v
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = 2 * (q - r)
            if q > 0:
                p = -p
            q = abs(q)
            r, e = e, d
            if abs(p) < abs(q * r / 2) and q * (a - x) < p < q * (b - x):
                d = p / q
                u = x + d
                if u - a < tol2 or b - u < tol2:  # not too near an end
                    d = tol1 if middle >= x else -tol1
                parabola = True
        if not parabola:  # a golden section of the larger part
            e = (b - x) if x < middle else (a - x)
            d = golden * e
        u = x + (d if abs(d) >= tol1 else math.copysign(tol1, d))
        fu = float(f(u))
        if fu <= fx:
            if u < x:
                b = x
            else:
                a = x
            v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv, w, fw = w, fw, u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return x, fx
