"""Quantile regression for growth percentiles: a B-spline basis and a fast exact solver.

statsmodels' ``QuantReg`` solves the problem by iteratively reweighted least squares; on
100,000 students it needs about 175 iterations and 2 s per quantile, and SGP needs 100
quantiles. The same linear programme is solved here by the Frisch–Newton interior-point
method (Portnoy & Koenker 1997, as R quantreg's ``rq(method = "fn")``), which takes 15–30
iterations whatever the number of students, and above 10,000 students with their
preprocessing (``method = "pfn"``: solve on a sample, set aside the students surely above or
below the quantile, verify their signs). The tests check the solutions against QuantReg's
(``solver="statsmodels"`` uses QuantReg throughout).

Origin
------
The solver is a port to NumPy of code in the R package quantreg (Roger Koenker and
contributors, https://CRAN.R-project.org/package=quantreg). It follows that code closely
enough (below) that it must be read as a translation of it, not as an independent
re-implementation of the published algorithm:

* ``_lp_fnm`` follows the Fortran subroutine ``lpfnb`` (quantreg ``src/rqfnb.f``) step for
  step: the same starting point, affine step, corrector (μ·(g/μ)³/(2n)), step-length factor
  β = 0.99995 and limit of 50 iterations;
* ``_fn`` poses the problem as quantreg's R function ``rq.fit.fnb`` does (``a = t(x)``,
  ``c = -y``, right-hand side and starting point (1 − τ), coefficients = −y of the dual);
* ``_fn_preprocessed`` follows quantreg's R function ``rq.fit.pfn`` (band from a sample,
  globs of the students above and below it, fix-ups; ``Mm.factor`` 0.8, 3 fix-ups, the 10 %
  rule).

What differs from the original: the stopping gap is 1e-10·max(Σ|y|, 1) instead of 1e-6; a
singular normal matrix is solved by least squares instead of stopping; the preprocessing
starts above 10,000 students, with one sample of round(√p·n^(2/3)) students drawn with a
fixed seed for every τ (quantreg: a new random sample of round(((p + 1)·n)^(2/3)) each
round); a round with too many fix-ups widens the band (m doubled) around the latest
solution, and after four rounds the whole problem is solved.

Reference
---------
Portnoy, S. and Koenker, R. (1997). The Gaussian hare and the Laplacian tortoise:
computability of squared-error versus absolute-error estimators. *Statistical Science*
12(4), 279–300. doi:10.1214/ss/1030037960

Licence
-------
quantreg is distributed under the GNU General Public License, version 2 or later
(``GPL (>= 2)``); copyright Roger Koenker and the package's contributors. A translation of its
code is a derivative of it, so the MIT licence of qualitykit (``pyproject.toml``) does not
cover this module's solver: until the maintainers settle this (by licensing the module, or
the package, under the GPL, or by replacing the solver with one written from the paper
alone), treat ``_lp_fnm``, ``_fn`` and ``_fn_preprocessed`` as GPL-2.0-or-later code. The
B-spline basis (``spline_knots``, ``bspline_basis``) is not taken from quantreg: it uses
SciPy's B-splines, with the inner knots at the prior's quintiles as Betebenner's SGP package
places them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["quantile_regression"]

def _solve(normal: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(normal, rhs)
    except np.linalg.LinAlgError:  # a spline column without weight in this subproblem
        return np.linalg.lstsq(normal, rhs, rcond=None)[0]


def _bound(v: np.ndarray, dv: np.ndarray) -> float:
    neg = dv < 0
    return float(np.min(-v[neg] / dv[neg])) if neg.any() else 1e20


def _lp_fnm(a: np.ndarray, c: np.ndarray, b: np.ndarray, u: np.ndarray, x: np.ndarray,
            eps: float = 1e-6, max_it: int = 50) -> np.ndarray:
    """max b·y subject to A'y + z − w = c, by the primal–dual predictor–corrector method.

    The dual of the quantile regression (Koenker's ``lpfnb``): the returned ``y`` is minus the
    coefficients. ``x`` (0 < x < u, A x = b) is the starting primal point.
    """
    beta = 0.99995
    n = a.shape[1]
    y = _solve(a @ a.T, a @ c)
    s = c - a.T @ y
    z = np.maximum(s, 0.0) + np.where(np.abs(s) < eps, eps, 0.0)
    w = np.maximum(-s, 0.0) + np.where(np.abs(s) < eps, eps, 0.0)
    s = u - x
    gap = z @ x + w @ s
    it = 0
    while gap > eps and it < max_it:
        it += 1
        d = 1 / (z / x + w / s)
        r = z - w
        normal = (a * d) @ a.T
        rhs = b - a @ x + a @ (d * r)  # the primal residual is kept, as rounding builds it up
        dy = _solve(normal, rhs)
        dx = d * (a.T @ dy - r)
        ds = -dx
        dz = -z * (dx / x + 1)
        dw = -w * (ds / s + 1)
        fp = min(beta * min(_bound(x, dx), _bound(s, ds)), 1.0)
        fd = min(beta * min(_bound(z, dz), _bound(w, dw)), 1.0)
        if min(fp, fd) < 1:  # the affine step is cut short: add the centring corrector
            mu = x @ z + s @ w
            g = ((x + fp * dx) @ (z + fd * dz)) + ((s + fp * ds) @ (w + fd * dw))
            mu = mu * (g / mu) ** 3 / (2 * n)
            dxdz, dsdw = dx * dz, ds * dw
            dr = d * (mu * (1 / s - 1 / x) + dxdz / x - dsdw / s)
            dy = _solve(normal, rhs + a @ dr)
            dx = d * (a.T @ dy - r) - dr
            ds = -dx
            dz = -z + (mu - z * dx - dxdz) / x
            dw = -w + (mu - w * ds - dsdw) / s
            fp = min(beta * min(_bound(x, dx), _bound(s, ds)), 1.0)
            fd = min(beta * min(_bound(z, dz), _bound(w, dw)), 1.0)
        x = x + fp * dx
        s = s + fp * ds
        y = y + fd * dy
        z = z + fd * dz
        w = w + fd * dw
        gap = z @ x + w @ s
    return y


def quantile_regression(design: np.ndarray, y: np.ndarray, taus) -> np.ndarray:
    """Coefficients minimising Σ ρ_τ(y − design·b), one row per τ."""
    n, p = design.shape
    if n <= _DIRECT_MAX:
        return np.vstack([_fn(design, y, t) for t in taus])
    m = round(float(np.sqrt(p)) * n ** (2 / 3))
    rng = np.random.default_rng(_SEED)
    sample = rng.choice(n, size=m, replace=False)
    chol = np.linalg.cholesky(design[sample].T @ design[sample])
    band = np.sqrt((np.linalg.solve(chol, design.T) ** 2).sum(axis=0))
    return np.vstack([_fn_preprocessed(design, y, t, sample, band, m) for t in taus])


_DIRECT_MAX = 10000  # measured: below this the preprocessing does not pay
_SEED = 20240901


def _fn(design: np.ndarray, y: np.ndarray, tau: float) -> np.ndarray:
    n = len(y)
    u = np.ones(n)
    a = design.T
    # the duality gap is a sum over students: stop at a gap relative to the scale of y
    eps = 1e-10 * max(float(np.abs(y).sum()), 1.0)
    return -_lp_fnm(a, -y, a @ ((1 - tau) * u), u, (1 - tau) * u, eps=eps)


def _fn_preprocessed(design, y, tau, sample, band, m) -> np.ndarray:
    n = len(y)
    b = _fn(design[sample], y[sample], tau)
    for _ in range(4):  # at most a few rounds with a doubled band
        r = y - design @ b
        big = 0.8 * m
        lo_q, hi_q = max(1 / n, tau - big / (2 * n)), min(tau + big / (2 * n), (n - 1) / n)
        kappa = np.quantile(r / np.maximum(band, 1e-12), [lo_q, hi_q])
        below, above = r < band * kappa[0], r > band * kappa[1]
        for _fix in range(3):
            keep = ~(below | above)
            rows, ys = [design[keep]], [y[keep]]
            for glob in (below, above):
                if glob.any():
                    rows.append(design[glob].sum(axis=0)[None, :])
                    ys.append([y[glob].sum()])
            b = _fn(np.vstack(rows), np.concatenate(ys), tau)
            r = y - design @ b
            wrong_above, wrong_below = above & (r < 0), below & (r > 0)
            if not (wrong_above.any() or wrong_below.any()):
                return b
            if (wrong_above | wrong_below).sum() > 0.1 * big:
                break
            above &= ~wrong_above
            below &= ~wrong_below
        m = min(2 * m, n)
    return _fn(design, y, tau)  # fall back to the whole problem
