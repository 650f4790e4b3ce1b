"""The random-intercept model of value added (growth.random_intercept) against statsmodels'
MixedLM fitted by REML on the same data: the same estimates wherever statsmodels' general
optimiser converges, and a REML likelihood never below statsmodels' where it does not."""

import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.regression.mixed_linear_model import MixedLM

import qualitykit as qk
from qualitykit.growth.random_intercept import fit_random_intercept


def statsmodels_fit(y, x, groups):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MixedLM(y, x, groups=groups).fit(reml=True)


def dense_reml(y, x, groups, ratios):
    """The REML log-likelihood profiled over β and σ² at each λ of ``ratios``, from the whole
    covariance matrix V = I + λ·ZZ' (the textbook formula, no per-unit shortcut; ZZ' is
    diagonalised once, V⁻¹ = Q·diag(1 / (1 + λe))·Q')."""
    groups = np.asarray(groups)
    z = (groups[:, None] == np.unique(groups)[None, :]).astype(float)
    e, q = np.linalg.eigh(z @ z.T)
    qx, qy = q.T @ x, q.T @ y
    dof = len(y) - x.shape[1]
    values = []
    for ratio in np.atleast_1d(ratios):
        w = 1.0 / (1.0 + ratio * e)
        a = qx.T @ (w[:, None] * qx)
        beta = np.linalg.solve(a, qx.T @ (w * qy))
        r = qy - qx @ beta
        sigma2 = r @ (w * r) / dof
        values.append(-0.5 * (dof * np.log(2 * np.pi * sigma2) - np.log(w).sum()
                              + np.linalg.slogdet(a)[1] + dof))
    return np.array(values) if np.ndim(ratios) else values[0]


def max_on_grid(y, x, groups):
    """The best dense REML likelihood over λ = 0 and a fine grid of λ."""
    return dense_reml(y, x, groups, np.r_[0.0, np.geomspace(1e-6, 1e3, 400)]).max()


def random_case(rng, spread):
    units = int(rng.integers(3, 25))
    sizes = rng.integers(1, 60, units)
    groups = np.repeat(np.arange(units), sizes)
    n, p = len(groups), int(rng.integers(1, 4))
    x = np.column_stack([np.ones(n)] + [rng.normal(size=n) for _ in range(p)])
    y = x @ rng.normal(size=p + 1) + rng.normal(0, spread, units)[groups] + rng.normal(size=n)
    return y, x, groups


@pytest.mark.parametrize("seed", range(24))
def test_same_estimates_as_statsmodels_mixedlm(seed):
    rng = np.random.default_rng(seed)
    y, x, groups = random_case(rng, spread=[0.05, 0.3, 1.0][seed % 3])
    ours, theirs = fit_random_intercept(y, x, groups), statsmodels_fit(y, x, groups)
    assert ours.reml == pytest.approx(dense_reml(y, x, groups, ours.between_var / ours.scale))
    if not (theirs.converged and np.isfinite(theirs.llf)):  # statsmodels lost on the boundary
        assert ours.reml >= max_on_grid(y, x, groups) - 1e-9
        return
    assert ours.reml >= theirs.llf - 1e-9  # the optimum is at least as good
    effects = np.array([np.asarray(theirs.random_effects[k])[0] for k in ours.units])
    variances = np.array([np.asarray(theirs.random_effects_cov[k])[0, 0] for k in ours.units])
    assert ours.fe_params == pytest.approx(theirs.fe_params, abs=1e-4)
    assert ours.between_var == pytest.approx(np.asarray(theirs.cov_re)[0, 0], rel=1e-3, abs=1e-4)
    assert ours.scale == pytest.approx(theirs.scale, rel=1e-4)
    assert ours.effects == pytest.approx(effects, rel=1e-3, abs=1e-3)
    assert ours.effects_var == pytest.approx(variances, rel=1e-3, abs=1e-4)
    assert ours.reml == pytest.approx(theirs.llf, abs=1e-4)


def test_no_spread_between_units_is_the_boundary():
    # every unit has the same mean: τ² = 0, every effect 0, the fixed part is OLS
    rng = np.random.default_rng(3)
    base = rng.normal(size=20)
    y = np.concatenate([base - base.mean()] * 4)
    x = np.ones((80, 1))
    groups = np.repeat(np.arange(4), 20)
    fit = fit_random_intercept(y, x, groups)
    assert fit.between_var == 0 and (fit.effects == 0).all() and (fit.effects_var == 0).all()
    assert fit.fe_params[0] == pytest.approx(0, abs=1e-12)
    assert fit.scale == pytest.approx(y.var(ddof=1))


def test_hand_case_with_known_variance_ratio():
    # balanced one-way layout: REML equals the ANOVA estimators when they are positive,
    # σ² = MSW, τ² = (MSB − MSW) / n; the effects are the shrunken unit means
    y = np.array([1.0, 2, 3, 4, 5, 6, 7, 9, 11, 3, 3, 6])
    groups = np.repeat(["a", "b", "c", "d"], 3)
    means = pd.Series(y).groupby(groups).mean().to_numpy()
    msw = sum(((y[groups == g] - y[groups == g].mean()) ** 2).sum() for g in "abcd") / 8
    msb = 3 * ((means - y.mean()) ** 2).sum() / 3
    fit = fit_random_intercept(y, np.ones((12, 1)), groups)
    assert fit.scale == pytest.approx(msw, rel=1e-6)
    assert fit.between_var == pytest.approx((msb - msw) / 3, rel=1e-6)
    shrink = fit.between_var / (fit.between_var + msw / 3)
    assert fit.effects == pytest.approx(shrink * (means - y.mean()), rel=1e-6)


def test_what_cannot_be_fitted_is_none():
    x = np.column_stack([np.ones(6), np.arange(6.0), 2 * np.arange(6.0)])  # collinear
    assert fit_random_intercept(np.arange(6.0), x, [0, 0, 1, 1, 2, 2]) is None
    assert fit_random_intercept([1.0, 2.0], np.ones((2, 2)), [0, 1]) is None  # n ≤ p


def test_value_added_of_the_sample_school_is_the_reml_optimum():
    # statsmodels' MixedLM fails on two of the four subjects here (a log-likelihood of +inf
    # and an intercept of exactly 0 on the boundary): the estimates are checked against it
    # where it converges and against the dense likelihood's best grid point everywhere
    term = qk.load_term(qk.sample_path(), previous_file=qk.sample_path("2025-2026-1 期中"))
    va = qk.value_added(term.scores, term.previous)
    pupils = va.students[va.students["match"].eq("matched")].dropna(subset=["z_entry", "z_exit"])
    for subject, part in pupils.groupby("subject"):
        x = np.column_stack([np.ones(len(part)), part["z_entry"]])
        y, groups = part["z_exit"].to_numpy(), part["class_id"].astype(str).to_numpy()
        ours = fit_random_intercept(y, x, groups)
        assert ours.reml >= max_on_grid(y, x, groups) - 1e-9
        model = va.models.set_index("subject").loc[subject]
        assert model["beta"] == pytest.approx(ours.fe_params[1], abs=1e-7)
        theirs = statsmodels_fit(y, x, groups)
        if not np.isfinite(theirs.llf):
            continue
        assert model["beta"] == pytest.approx(theirs.fe_params[1], abs=1e-4)
        assert model["between_sd"] ** 2 == pytest.approx(np.asarray(theirs.cov_re)[0, 0],
                                                         abs=1e-4)
        units = va.units[va.units["subject"].eq(subject)].set_index("class_id")
        for unit, row in units.iterrows():
            effect = np.asarray(theirs.random_effects[str(unit)])[0]
            assert row["va"] == pytest.approx(effect, abs=1e-3)


def test_brents_method_finds_the_minimum_scipys_bounded_search_finds():
    # the REML ratio is refined without scipy.optimize: the same steps, the same point
    import math

    from scipy.optimize import minimize_scalar

    from qualitykit.growth.random_intercept import brent_minimum

    rng = np.random.default_rng(11)
    shapes = [lambda t, c=c, s=s: s * (t - c) ** 2 + 0.1 * math.sin(3 * t)
              for c, s in rng.normal(0, 2, (20, 2))]
    shapes += [lambda t: abs(t - 0.3), math.exp, lambda t: -math.exp(-t * t),
               lambda t: (t - 1.7) ** 4]
    for f in shapes:
        for low, high in ((-3.0, 3.0), (-1.0, 0.5), (0.0, 2.0)):
            theirs = minimize_scalar(f, bounds=(low, high), method="bounded",
                                     options={"xatol": 1e-9})
            x, fx = brent_minimum(f, low, high, xatol=1e-9)
            assert x == pytest.approx(theirs.x, abs=1e-12) and fx == pytest.approx(theirs.fun)
