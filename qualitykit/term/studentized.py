"""The studentized range distribution, fast enough for every pair of classes in a report.

Games–Howell and Tukey's pairs need the distribution of Q = (range of k standard normals) / s,
with s² an independent χ²_ν / ν: a p value for each pair and the critical value for each
pair's Welch degrees of freedom. ``scipy.stats.studentized_range`` integrates it numerically
on every call (≈ 0.2 s for one critical value, 4 s for the sample school's 24 pairs, minutes
for a grade of 18 classes). statsmodels' ``qsturng``/``psturng`` interpolate a table instead,
but ``psturng`` only returns p between 0.001 and 0.9 and is 0.03 off at k = 18 (p = 0.80 for
0.77): not correct to the three decimals the report prints.

Here the distribution of the range, W_k(w) = k ∫ φ(z) [Φ(z) − Φ(z − w)]^(k−1) dz, is tabled
once per k (Gauss–Legendre quadrature over z, a cubic spline over 3,001 values of w) and the
mixture over s is a 200-point Gauss–Legendre rule in log s between the 10⁻¹⁴ and 1 − 10⁻¹⁴
quantiles of s. Everything is vectorised over the pairs. For k = 2 the exact relation with
Student's t is used: P(Q ≤ q) = 2 T_ν(q / √2) − 1. ``tests/test_compare.py`` checks the
results against ``scipy.stats.studentized_range`` on a grid of k, ν and q (agreement ≤ 10⁻⁸).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

__all__ = ["studentized_range_cdf", "studentized_range_ppf", "studentized_range_sf"]

_Z, _Z_WEIGHTS = np.polynomial.legendre.leggauss(160)
_LOG_S, _LOG_S_WEIGHTS = np.polynomial.legendre.leggauss(200)
_Z_EDGE = 9.0  # φ beyond ±9 is below 10⁻¹⁷
_TAIL = 1e-14  # the share of s left out at each end


def _range_cdf(w: np.ndarray, k: int) -> np.ndarray:
    """P(range of k standard normals ≤ w), by quadrature over z in [−9, 9]."""
    z = _Z_EDGE * _Z
    density = np.exp(-0.5 * z**2) / np.sqrt(2 * np.pi) * _Z_EDGE * _Z_WEIGHTS
    inner = np.clip(special.ndtr(z)[None, :] - special.ndtr(z[None, :] - w[:, None]), 0, 1)
    return np.clip(k * (inner ** (k - 1) * density).sum(axis=1), 0, 1)


class _CubicTable:
    """The not-a-knot cubic spline through (``x``, ``y``), ``x`` increasing (n ≥ 4), with its
    first derivative: ``scipy.interpolate.CubicSpline(x, y)`` (the same equations: the slopes at
    the knots from a tridiagonal system whose first and last rows hold the not-a-knot ends, then
    a cubic Hermite piece per interval; de Boor, *A Practical Guide to Splines*, ch. IV), without
    importing ``scipy.interpolate`` (and ``scipy.optimize`` with it: ≈ 0.15 s at every report's
    start). ``tests/test_compare.py`` checks it against scipy's."""

    def __init__(self, x: np.ndarray, y: np.ndarray):
        x, y = np.asarray(x, float), np.asarray(y, float)
        dx = np.diff(x)
        slope = np.diff(y) / dx
        n = len(x)
        lower, diag, upper, b = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
        diag[1:-1] = 2 * (dx[:-1] + dx[1:])
        lower[1:-1], upper[1:-1] = dx[1:], dx[:-1]  # row i: s[i-1], s[i], s[i+1]
        b[1:-1] = 3 * (dx[1:] * slope[:-1] + dx[:-1] * slope[1:])
        d = x[2] - x[0]  # not-a-knot at the start: one cubic over the first two intervals
        diag[0], upper[0] = dx[1], d
        b[0] = ((dx[0] + 2 * d) * dx[1] * slope[0] + dx[0] ** 2 * slope[1]) / d
        d = x[-1] - x[-3]  # and at the end
        diag[-1], lower[-1] = dx[-2], d
        b[-1] = (dx[-1] ** 2 * slope[-2] + (2 * d + dx[-1]) * dx[-2] * slope[-1]) / d
        s = _tridiagonal(lower, diag, upper, b)
        t = (s[:-1] + s[1:] - 2 * slope) / dx
        self.x = x
        self.c = np.array([t / dx, (slope - s[:-1]) / dx - t, s[:-1], y[:-1]])

    def __call__(self, w: np.ndarray, nu: int = 0) -> np.ndarray:
        """The spline (``nu=0``) or its derivative (``nu=1``) at ``w`` (within the knots)."""
        w = np.asarray(w, float)
        i = np.clip(np.searchsorted(self.x, w, side="right") - 1, 0, len(self.x) - 2)
        h = w - self.x[i]
        c0, c1, c2, c3 = (row[i] for row in self.c)
        if nu == 1:
            return (3 * c0 * h + 2 * c1) * h + c2
        return ((c0 * h + c1) * h + c2) * h + c3


def _tridiagonal(lower: np.ndarray, diag: np.ndarray, upper: np.ndarray,
                 b: np.ndarray) -> np.ndarray:
    """The solution of the tridiagonal system whose row i is lower[i]·s[i−1] + diag[i]·s[i] +
    upper[i]·s[i+1] = b[i] (Thomas' elimination: the spline's system is diagonally dominant
    but for its two end rows, which elimination from the top and the bottom leaves stable)."""
    n = len(diag)
    c, d = np.empty(n), np.empty(n)
    c[0], d[0] = upper[0] / diag[0], b[0] / diag[0]
    for i in range(1, n):
        m = diag[i] - lower[i] * c[i - 1]
        c[i] = upper[i] / m if i < n - 1 else 0.0
        d[i] = (b[i] - lower[i] * d[i - 1]) / m
    s = np.empty(n)
    s[-1] = d[-1]
    for i in range(n - 2, -1, -1):
        s[i] = d[i] - c[i] * s[i + 1]
    return s


@lru_cache(maxsize=32)
def _range_table(k: int) -> tuple[_CubicTable, float]:
    """W_k as a cubic spline on [0, top], with W_k(top) within 10⁻¹⁵ of 1."""
    top = 1.0
    while 1 - _range_cdf(np.array([top]), k)[0] > 1e-15 and top < 60:
        top *= 1.25
    w = np.linspace(0, top, 3001)
    return _CubicTable(w, _range_cdf(w, k)), top


def _s_rule(df: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes s and weights of the density of s = √(χ²_ν / ν), one row per ν (finite)."""
    df = df[:, None]
    lo = np.log(special.chdtri(df, 1 - _TAIL) / df) / 2  # chdtri: inverse of the upper tail
    hi = np.log(special.chdtri(df, _TAIL) / df) / 2
    log_s = (hi - lo) / 2 * _LOG_S[None, :] + (hi + lo) / 2
    s = np.exp(log_s)
    # density of log s: 2 (ν/2)^(ν/2) s^ν e^(−ν s²/2) / Γ(ν/2)
    log_density = (np.log(2) + df / 2 * np.log(df / 2) + df * log_s - df * s**2 / 2
                   - special.gammaln(df / 2))
    return s, np.exp(log_density) * (hi - lo) / 2 * _LOG_S_WEIGHTS[None, :]


def _mixture(q: np.ndarray, k: int, df: np.ndarray, derivative: bool = False) -> np.ndarray:
    """P(Q ≤ q) (or its density) for finite ``df`` and k ≥ 3, q ≥ 0."""
    table, top = _range_table(k)
    s, weights = _s_rule(df)
    w = q[:, None] * s
    if derivative:
        values = np.where(w < top, table(np.minimum(w, top), 1), 0.0) * s
    else:
        values = np.where(w < top, table(np.minimum(w, top)), 1.0)
    return (values * weights).sum(axis=1)


def _broadcast(q, k: int, df) -> tuple[np.ndarray, np.ndarray, tuple]:
    if int(k) != k or k < 2:
        raise ValueError(f"k（组数）应为 ≥ 2 的整数；收到 {k!r}。")
    q, df = np.broadcast_arrays(np.asarray(q, float), np.asarray(df, float))
    return q.ravel(), df.ravel(), q.shape


def studentized_range_cdf(q, k: int, df) -> np.ndarray:
    """P(Q ≤ q) for the studentized range of ``k`` groups and ``df`` degrees of freedom.

    Vectorised over ``q`` and ``df`` (``df`` may be ``inf``); NaN where either is NaN or
    ``df`` ≤ 0.

    >>> float(studentized_range_cdf(3.0, 2, 10).round(6))  # 2·T₁₀(3/√2) − 1; scipy: 0.940110
    0.94011
    """
    q, df, shape = _broadcast(q, k, df)
    out = np.full(q.shape, np.nan)
    ok = ~np.isnan(q) & (df > 0)
    qq = np.maximum(q[ok], 0.0)
    if k == 2:
        out[ok] = 2 * special.stdtr(df[ok], qq / np.sqrt(2)) - 1
    else:
        finite = np.isfinite(df[ok])
        part = np.empty(qq.shape)
        part[~finite] = _range_table(int(k))[0](np.minimum(qq[~finite], _range_table(int(k))[1]))
        part[finite] = _mixture(qq[finite], int(k), df[ok][finite])
        out[ok] = part
    return np.clip(out, 0, 1).reshape(shape)


def studentized_range_sf(q, k: int, df) -> np.ndarray:
    """P(Q > q): the p value of a pair whose studentized range statistic is ``q``.

    >>> float(studentized_range_sf(3.0, 2, 10).round(6))  # scipy.stats.studentized_range: 0.059890
    0.05989
    """
    q, df, shape = _broadcast(q, k, df)
    if k == 2:  # exact, and accurate far into the tail
        sf = np.where(df > 0, 2 * special.stdtr(df, -np.abs(q) / np.sqrt(2)), np.nan)
        return np.where(q <= 0, 1.0, sf).reshape(shape)
    return (1 - studentized_range_cdf(q, k, df)).reshape(shape)


def studentized_range_ppf(p, k: int, df) -> np.ndarray:
    """The q with P(Q ≤ q) = ``p``: the critical value of k groups at ``df`` (finite).

    Safeguarded Newton steps inside a bracket that is halved when a step leaves it, to
    |Δq| < 10⁻¹⁰.

    >>> float(studentized_range_ppf(0.95, 3, 10).round(4))  # Tukey's table: 3.88; scipy: 3.8768
    3.8768
    """
    p, df, shape = _broadcast(p, k, df)
    if k == 2:
        return (np.sqrt(2) * special.stdtrit(df, (1 + p) / 2)).reshape(shape)
    bad = np.isnan(p) | np.isnan(df) | (df <= 0) | (p <= 0) | (p >= 1)
    p, df = np.where(bad, 0.5, p), np.where(bad, 1.0, df)
    return np.where(bad, np.nan, _newton(p, int(k), df)).reshape(shape)


def _newton(p: np.ndarray, k: int, df: np.ndarray) -> np.ndarray:
    """The quantiles of :func:`studentized_range_ppf` for valid ``p`` and ``df``."""
    lo, hi = np.zeros(p.shape), np.full(p.shape, 1.0)
    while np.any(grow := studentized_range_cdf(hi, k, df) < p):  # bracket the root
        hi = np.where(grow, hi * 2, hi)
        if hi.max() > 1e6:
            break
    q = (lo + hi) / 2
    for _ in range(100):
        f = studentized_range_cdf(q, k, df) - p
        lo, hi = np.where(f < 0, q, lo), np.where(f < 0, hi, q)
        density = _density(q, k, df)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = q - f / density
        inside = (step > lo) & (step < hi) & np.isfinite(step)
        new = np.where(inside, step, (lo + hi) / 2)
        if np.all(np.abs(new - q) < 1e-10):
            return new
        q = new
    return q


def _density(q: np.ndarray, k: int, df: np.ndarray) -> np.ndarray:
    """dP(Q ≤ q)/dq for k ≥ 3 (finite ``df``, or the range itself for ``inf``)."""
    finite = np.isfinite(df)
    out = np.empty(q.shape)
    table, top = _range_table(k)
    out[~finite] = np.where(q[~finite] < top, table(np.minimum(q[~finite], top), 1), 0.0)
    out[finite] = _mixture(q[finite], k, df[finite], derivative=True)
    return out
