"""The clean-room quantile-regression solver (qualitykit.external.frisch_newton).

Every optimum is checked against an independent solver: HiGHS through
``scipy.optimize.linprog`` on the same linear programme. The coefficients may differ from
HiGHS's where the minimiser is not unique (tied data), so the check is on the check loss
Σρ_τ, the quantity both minimise, to a relative 1e-9.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

import qualitykit.external.frisch_newton as fn
from qualitykit.external.frisch_newton import quantile_regression
from qualitykit.growth.quantile import bspline_basis, spline_knots

EXTREME_TAUS = (0.005, 0.02, 0.5, 0.98, 0.995)


def check_loss(design, y, coef, tau) -> float:
    """Σ_i ρ_τ(y_i − x_i·b), ρ_τ(u) = u·(τ − 1[u < 0]), written out as in the definition."""
    u = y - design @ coef
    return float(np.sum(u * (tau - (u < 0))))


def highs_optimum_dual(design, y, tau) -> float:
    """The LP optimum by HiGHS on the dual: max y·d s.t. Xᵀd = (1 − τ)Xᵀ1, 0 ≤ d ≤ 1;
    the optimal check loss is y·d − (1 − τ)·Σy (LP duality)."""
    res = linprog(-y, A_eq=design.T, b_eq=(1 - tau) * design.sum(axis=0), bounds=(0, 1),
                  method="highs")
    assert res.status == 0, res.message
    return float(-res.fun - (1 - tau) * y.sum())


def highs_optimum_primal(design, y, tau) -> float:
    """The LP optimum by HiGHS on the primal: min τ·1ᵀu⁺ + (1 − τ)·1ᵀu⁻ s.t.
    Xb + u⁺ − u⁻ = y, u± ≥ 0 (a formulation the solver under test does not use)."""
    n, p = design.shape
    cost = np.r_[np.zeros(p), np.full(n, tau), np.full(n, 1 - tau)]
    eq = sparse.hstack([sparse.csr_matrix(design), sparse.eye(n), -sparse.eye(n)]).tocsc()
    bounds = [(None, None)] * p + [(0, None)] * (2 * n)
    res = linprog(cost, A_eq=eq, b_eq=y, bounds=bounds, method="highs")
    assert res.status == 0, res.message
    return float(res.fun)


def random_problem(seed: int, n: int, p: int, tied: bool):
    """Heavy-tailed errors; with ``tied``, regressors and y on a half-point grid (scores)."""
    rng = np.random.default_rng(seed)
    design = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    if tied:
        design[:, 1:] = np.round(design[:, 1:] * 2) / 2
    y = design @ rng.normal(size=p) + rng.standard_t(3, size=n)
    if tied:
        y = np.round(y * 2) / 2
    return design, y


def score_problem(seed: int, n: int):
    """The growth-percentile case: the B-spline design (p = 8) of a prior score in half
    points, the current score in half points, both clipped to 0–100 (many ties)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=n)
    prior = np.clip(np.round((72 + 12 * (ability + rng.normal(0, 0.5, n))) * 2) / 2, 0, 100)
    now = np.clip(np.round((72 + 12 * (0.9 * ability + rng.normal(0, 0.5, n))) * 2) / 2, 0, 100)
    knots, lo, hi = spline_knots(prior)
    return np.column_stack([np.ones(n), bspline_basis(prior, knots, lo, hi)]), now


def assert_optimal(design, y, taus, coef, optimum=highs_optimum_dual):
    for tau, b in zip(taus, coef):
        best = optimum(design, y, tau)
        assert check_loss(design, y, b, tau) == pytest.approx(best, rel=1e-9, abs=1e-12), tau


CASES = [(seed, n, p, tied) for seed, (n, p) in enumerate(
    [(20, 2), (20, 4), (35, 8), (50, 3), (120, 5), (300, 8), (1000, 2), (1000, 6), (3000, 8)])
    for tied in (False, True)]


@pytest.mark.parametrize(("seed", "n", "p", "tied"), CASES)
def test_small_problems_reach_the_highs_optimum(seed, n, p, tied):
    design, y = random_problem(seed, n, p, tied)
    coef = quantile_regression(design, y, EXTREME_TAUS)
    assert coef.shape == (len(EXTREME_TAUS), p)
    assert_optimal(design, y, EXTREME_TAUS, coef)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_primal_formulation_agrees_too(seed):
    design, y = random_problem(100 + seed, 200, 4, tied=bool(seed))
    taus = (0.01, 0.25, 0.5, 0.9)
    assert_optimal(design, y, taus, quantile_regression(design, y, taus), highs_optimum_primal)


def test_an_intercept_only_fit_is_the_sample_quantile():
    # hand: n = 10, τ = 0.35 → nτ = 3.5 is not an integer, so the unique minimiser is the
    # ⌈nτ⌉ = 4th smallest value; τ = 0.95 → the 10th (the maximum)
    y = np.array([7.0, 1, 9, 3, 3, 12, 5, 8, 2, 4])
    coef = quantile_regression(np.ones((10, 1)), y, [0.35, 0.95])
    np.testing.assert_allclose(coef[:, 0], [3.0, 12.0], atol=1e-9)


def test_a_line_through_all_points_is_found_at_every_tau():
    x = np.arange(30.0)
    design = np.column_stack([np.ones(30), x])
    coef = quantile_regression(design, 5 - 0.5 * x, [0.005, 0.5, 0.995])
    np.testing.assert_allclose(coef, [[5, -0.5]] * 3, atol=1e-8)


def test_the_answer_does_not_depend_on_the_unit_of_y():
    design, y = random_problem(7, 400, 3, tied=False)
    taus = (0.1, 0.5)
    base = quantile_regression(design, y, taus)
    for factor in (1e-3, 1e4):
        scaled = quantile_regression(design, y * factor, taus)
        for tau, b in zip(taus, scaled):
            assert check_loss(design, y * factor, b, tau) == pytest.approx(
                check_loss(design, y, base[taus.index(tau)], tau) * factor, rel=1e-9)


# ------------------------------------------------------------------ large n: preprocessing

def no_fallback(monkeypatch):
    """Make the full-problem fallback fail: an answer then comes from the preprocessing (or,
    when the repeated rows collapse to at most DIRECT_MAX_ROWS distinct ones, from the direct
    solve of the collapsed problem, which is not a fallback)."""
    whole = fn._solve_or_fail

    def refuse(X, y, tau):
        if len(y) > fn.DIRECT_MAX_ROWS:
            raise AssertionError("the preprocessing fell back to the full problem")
        return whole(X, y, tau)

    monkeypatch.setattr(fn, "_solve_or_fail", refuse)


@pytest.mark.parametrize(("seed", "n", "p", "tied"), [
    (0, 8000, 2, False), (1, 8000, 5, True), (2, 20000, 8, False), (3, 20000, 3, True)])
def test_large_problems_are_solved_by_preprocessing_to_the_same_optimum(
        monkeypatch, seed, n, p, tied):
    assert n > fn.DIRECT_MAX_ROWS
    no_fallback(monkeypatch)
    design, y = random_problem(seed, n, p, tied)
    assert_optimal(design, y, EXTREME_TAUS, quantile_regression(design, y, EXTREME_TAUS))


def test_a_single_tau_uses_the_subsample_and_the_globs(monkeypatch):
    no_fallback(monkeypatch)
    design, y = random_problem(11, 12000, 4, tied=True)
    for tau in (0.005, 0.5, 0.995):  # one τ per call: no neighbouring fit to start from
        assert_optimal(design, y, [tau], quantile_regression(design, y, [tau]))


def test_tied_scores_on_the_growth_spline_basis(monkeypatch):
    # the SGP case: 20,000 pupils, half-point scores, the 8-column B-spline design
    no_fallback(monkeypatch)
    design, y = score_problem(5, 20000)
    taus = np.array([0.005, 0.015, 0.105, 0.495, 0.505, 0.895, 0.985, 0.995])
    assert_optimal(design, y, taus, quantile_regression(design, y, taus))


def test_a_column_nearly_empty_in_a_subsample_does_not_fail():
    # a dummy on 3 of 15,000 rows: full rank on the whole data, but absent from most
    # subsamples and from the band; the fit must still be the optimum
    design, y = random_problem(13, 15000, 3, tied=True)
    rare = np.zeros(15000)
    rare[[10, 5000, 14000]] = 1.0
    design = np.column_stack([design, rare])
    y[[10, 5000, 14000]] += 40.0
    taus = (0.02, 0.5, 0.98)
    assert_optimal(design, y, taus, quantile_regression(design, y, taus))


@pytest.mark.parametrize("n", [300, 9000])
def test_an_empty_or_repeated_column_still_gives_an_optimal_fit(n):
    # outside the documented contract (full column rank), but a subproblem can come close:
    # the ridge keeps the factorisation going and the fit is still a minimiser
    design, y = random_problem(17, n, 3, tied=True)
    taus = (0.05, 0.5)
    for bad in (np.zeros(n), design[:, 1]):
        wide = np.column_stack([design, bad])
        assert_optimal(wide, y, taus, quantile_regression(wide, y, taus))


def test_the_same_data_give_the_same_coefficients():
    design, y = score_problem(9, 9000)
    taus = (0.05, 0.5, 0.95)
    np.testing.assert_array_equal(quantile_regression(design, y, taus),
                                  quantile_regression(design, y, taus))


# ------------------------------------------------------------------ large n: repeated rows

def whole_point_scores(seed: int, n: int):
    """Whole-point scores 0–150 and a prior in whole points: the 联考 case, where 100,000
    pupils give a few thousand distinct (prior, score) pairs."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=n)
    prior = np.clip(np.round(100 + 20 * (ability + rng.normal(0, 0.5, n))), 0, 150)
    now = np.clip(np.round(100 + 20 * (0.9 * ability + rng.normal(0, 0.5, n))), 0, 150)
    knots, lo, hi = spline_knots(prior)
    return np.column_stack([np.ones(n), bspline_basis(prior, knots, lo, hi)]), now


def test_repeated_rows_collapse_to_the_same_loss_function():
    design, y = whole_point_scores(21, 30000)
    X, yc, count = fn._collapsed(design, y)
    assert count.sum() == 30000 and len(yc) < 30000 / 5
    # each distinct row once: the collapsed rows divided by their counts are the originals
    distinct = np.unique(np.column_stack([design, y]), axis=0)
    np.testing.assert_allclose(np.column_stack([X, yc]) / count[:, None], distinct, rtol=1e-15)
    rng = np.random.default_rng(2)
    for tau in (0.005, 0.37, 0.995):  # the same check loss for any coefficients
        b = np.linalg.lstsq(design, y, rcond=None)[0] + rng.normal(0, 3, design.shape[1])
        assert check_loss(X, yc, b, tau) == pytest.approx(check_loss(design, y, b, tau),
                                                          rel=1e-12)
    once, y_once = random_problem(0, 50, 3, tied=False)  # nothing repeated: left as it is
    X, yc, count = fn._collapsed(once, y_once)
    assert count is None and X is once and yc is y_once


def test_the_weighted_band_is_the_band_of_the_repeated_rows():
    rng = np.random.default_rng(4)
    u = np.round(rng.normal(size=400), 1)  # ties in u, as residuals of tied scores have
    weight = rng.integers(1, 30, 400).astype(float)
    repeated = np.repeat(u, weight.astype(int))
    total = len(repeated)
    for below, above in ((-3.0, 40.0), (100.0, 300.0), (0.3 * total, 0.5 * total),
                         (total - 90.0, total + 10.0)):
        low, high = fn._outside_band(u, weight, below, above)
        low_r, high_r = fn._outside_band(repeated, None, below, above)
        assert (np.repeat(low, weight.astype(int)) == low_r).all()
        assert (np.repeat(high, weight.astype(int)) == high_r).all()


@pytest.mark.parametrize("n", [12000, 60000])
def test_collapsed_problems_reach_the_optimum_of_the_whole_data(monkeypatch, n):
    # 12,000 pupils collapse to under DIRECT_MAX_ROWS distinct rows (solved directly), 60,000
    # to more (preprocessing on counted rows); HiGHS solves the whole, uncollapsed problem
    no_fallback(monkeypatch)
    design, y = whole_point_scores(n, n)
    assert (len(fn._collapsed(design, y)[1]) > fn.DIRECT_MAX_ROWS) == (n == 60000)
    taus = [0.005, 0.3, 0.5, 0.995]
    assert_optimal(design, y, taus, quantile_regression(design, y, taus))


# ------------------------------------------------------------------ inputs

@pytest.mark.parametrize(("design", "y", "taus", "match"), [
    (np.ones((4, 1)), np.array([1.0, np.nan, 2, 3]), [0.5], "NaN"),
    (np.ones((4, 1)), np.arange(4.0), [0.0], "taus"),
    (np.ones((4, 1)), np.arange(4.0), [1.2], "taus"),
    (np.ones((4, 1)), np.arange(3.0), [0.5], "design"),
    (np.ones((2, 3)), np.arange(2.0), [0.5], "p=3"),
])
def test_bad_inputs_are_refused_with_a_message(design, y, taus, match):
    with pytest.raises(ValueError, match=match):
        quantile_regression(design, y, taus)
