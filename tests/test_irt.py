"""Item response models (qualitykit.items.irt), each checked against an independent value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, optimize, special, stats

import qualitykit as qk
from tests.conftest import realdata


def _long(wide: pd.DataFrame, item_max: float = 1.0) -> pd.DataFrame:
    """A students × items frame as the kit's long item table."""
    out = wide.rename_axis("student_id").reset_index().melt(
        id_vars="student_id", var_name="item_id", value_name="score")
    out["item_max"] = item_max
    return out


@pytest.fixture(scope="module")
def lsat6() -> pd.DataFrame:
    wide = pd.read_csv(realdata("lsat-psych", "lsat6.csv"), index_col="rownames")
    return _long(wide)


# ------------------------------------------------------------------ an independent fit by quad
def _patterns(items: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    wide = items.pivot(index="student_id", columns="item_id", values="score")
    patterns, counts = np.unique(wide.to_numpy(dtype=int), axis=0, return_counts=True)
    return patterns, counts


def _quad_loglik(a: np.ndarray, b: np.ndarray, patterns: np.ndarray, counts: np.ndarray) -> float:
    """Marginal log-likelihood of a 2PL in the IRT parameterisation, each pattern's integral
    over N(0, 1) by adaptive quadrature (scipy quad_vec) — no Gauss–Hermite nodes involved."""
    def integrand(t):
        p = 1 / (1 + np.exp(-a * (t - b)))
        return np.prod(np.where(patterns == 1, p, 1 - p), axis=1) * stats.norm.pdf(t)

    like, _ = integrate.quad_vec(integrand, -10, 10, epsabs=1e-13, epsrel=1e-11)
    return float(counts @ np.log(like))


def _rasch_by_quad(patterns, counts) -> tuple[np.ndarray, np.ndarray]:
    """Rasch (one discrimination) by Nelder–Mead then L-BFGS on the quad likelihood; the
    standard errors from a finite-difference Hessian of that likelihood in (a, b)."""
    k = patterns.shape[1]

    def negative(v):
        return -_quad_loglik(np.full(k, v[0]), v[1:], patterns, counts)

    start = np.concatenate([[1.0], -special.logit(patterns.T @ counts / counts.sum())])
    res = optimize.minimize(negative, start, method="L-BFGS-B", options={"ftol": 1e-14, "gtol": 1e-8})
    h = 1e-3
    n = len(res.x)
    H = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            e_i, e_j = np.eye(n)[i] * h, np.eye(n)[j] * h
            H[i, j] = (negative(res.x + e_i + e_j) - negative(res.x + e_i - e_j)
                       - negative(res.x - e_i + e_j) + negative(res.x - e_i - e_j)) / (4 * h * h)
    return res.x, np.sqrt(np.diag(np.linalg.inv(H)))


# ------------------------------------------------------------------------------------ LSAT6
def test_lsat6_2pl_equals_ltm(lsat6):
    # R ltm::ltm(LSAT ~ z1), IRT parameterisation (Rizopoulos 2006, J. Stat. Softw. 17(5)).
    fit = qk.irt(lsat6, model="2pl")
    assert fit.converged
    b = [-3.360, -1.370, -0.280, -1.866, -3.124]
    a = [0.825, 0.723, 0.890, 0.689, 0.657]
    np.testing.assert_allclose(fit.items["b"], b, atol=0.01)
    np.testing.assert_allclose(fit.items["a"], a, atol=0.01)
    assert list(fit.items["item_id"]) == ["Q1", "Q2", "Q3", "Q4", "Q5"]


def test_lsat6_rasch_equals_an_independent_fit(lsat6):
    # Independent route: the same marginal likelihood, integrals by adaptive quadrature
    # (scipy quad_vec, not Gauss–Hermite), parameters (a, b) directly, derivative-free start,
    # numerical gradient, SEs from a finite-difference Hessian of that likelihood.
    fit = qk.irt(lsat6, model="rasch")
    patterns, counts = _patterns(lsat6)
    est, se = _rasch_by_quad(patterns, counts)
    np.testing.assert_allclose(fit.items["a"], est[0], atol=0.01)
    np.testing.assert_allclose(fit.items["b"], est[1:], atol=0.01)
    np.testing.assert_allclose(fit.items["a_se"], se[0], atol=0.01)
    np.testing.assert_allclose(fit.items["b_se"], se[1:], atol=0.01)
    assert fit.log_likelihood == pytest.approx(
        _quad_loglik(fit.items["a"].to_numpy(), fit.items["b"].to_numpy(), patterns, counts),
        abs=1e-4)
    assert fit.n_params == 6 and fit.aic == pytest.approx(-2 * fit.log_likelihood + 12)


def test_eap_equals_quad_on_the_posterior(lsat6):
    fit = qk.irt(lsat6, model="2pl")
    a, b = fit.items["a"].to_numpy(), fit.items["b"].to_numpy()
    wide = lsat6.pivot(index="student_id", columns="item_id", values="score")
    persons = fit.persons.set_index("student_id").loc[wide.index]
    for pattern in np.unique(wide.to_numpy(dtype=int), axis=0):
        def like(t):
            p = special.expit(a * (t - b))
            return np.prod(np.where(pattern == 1, p, 1 - p)) * stats.norm.pdf(t)
        m0 = integrate.quad(like, -np.inf, np.inf)[0]
        m1 = integrate.quad(lambda t: t * like(t), -np.inf, np.inf)[0] / m0
        m2 = integrate.quad(lambda t: t * t * like(t), -np.inf, np.inf)[0] / m0
        rows = persons[(wide.to_numpy(dtype=int) == pattern).all(axis=1)]
        np.testing.assert_allclose(rows["theta"], m1, atol=1e-3)
        np.testing.assert_allclose(rows["theta_se"], np.sqrt(m2 - m1 ** 2), atol=1e-3)
        assert (rows["total"] == pattern.sum()).all()


def test_2pl_information_is_a2pq(lsat6):
    # Hand formula for a 0/1 item: I(θ) = a²·P(θ)·(1 − P(θ)).
    fit = qk.irt(lsat6, model="2pl")
    theta = np.array([-3.0, -1.0, 0.0, 2.0])
    info = fit.information(theta)
    for _, r in fit.items.iterrows():
        p = 1 / (1 + np.exp(-r["a"] * (theta - r["b"])))
        got = info.loc[info["item_id"] == r["item_id"], "information"]
        np.testing.assert_allclose(got, r["a"] ** 2 * p * (1 - p), rtol=1e-10)
    test = fit.test_information(theta)
    np.testing.assert_allclose(test["information"], info.groupby("theta")["information"].sum())
    np.testing.assert_allclose(test["sem_theta"], 1 / np.sqrt(test["information"]))


# ------------------------------------------------------------------------------------- GRM
def _simulate_grm(seed: int, n: int):
    """Pupils θ ~ N(0, 1); items with known a and increasing steps b (scores 0 … K)."""
    rng = np.random.default_rng(seed)
    a = np.array([0.8, 1.2, 1.6, 2.0, 1.0, 1.4])
    b = [np.array([-1.0, 0.5]), np.array([-1.5, -0.2, 1.0]), np.array([0.0]),
         np.array([-0.8, 0.3, 1.2]), np.array([-2.0, -0.5]), np.array([0.2, 1.5])]
    theta = rng.standard_normal(n)
    scores = np.column_stack([
        (rng.random((n, 1)) < 1 / (1 + np.exp(-a[j] * (theta[:, None] - b[j])))).sum(axis=1)
        for j in range(len(a))])
    wide = pd.DataFrame(scores, columns=[f"T{j + 1}" for j in range(len(a))])
    items = _long(wide)
    items["item_max"] = items["item_id"].map({f"T{j + 1}": len(b[j]) for j in range(len(a))})
    return items, a, b


def test_grm_recovers_generated_parameters():
    # 3000 pupils: the SEs of a are ≈ 0.04–0.07 and of b ≈ 0.03–0.10; every estimate must
    # lie within 4 of its own SEs of the truth (a 4-SE miss has probability ≈ 6e-5 each,
    # ≈ 2e-3 over the 21 parameters), and the SEs must be of the size 3000 pupils give.
    items, a, b = _simulate_grm(seed=20, n=3000)
    fit = qk.irt(items, model="grm")
    assert fit.converged
    assert (np.abs(fit.items["a"] - a) < 4 * fit.items["a_se"]).all()
    assert fit.items["a_se"].between(0.02, 0.12).all()
    steps = fit.thresholds
    truth = np.concatenate(b)
    assert len(steps) == len(truth)
    assert (np.abs(steps["b"] - truth) < 4 * steps["b_se"]).all()
    assert steps["b_se"].between(0.01, 0.2).all()
    np.testing.assert_allclose(fit.items["b"], [bj.mean() for bj in b], atol=0.15)


def test_grm_information_equals_samejima_by_differences():
    # Samejima's information Σ P'_s²/P_s with P'_s by central differences of the category
    # probabilities rebuilt here from the step table.
    items, _, _ = _simulate_grm(seed=3, n=800)
    fit = qk.irt(items, model="grm")
    theta = np.array([-2.0, 0.0, 1.5])
    info = fit.information(theta)
    for _, r in fit.items.iterrows():
        steps = fit.thresholds.loc[fit.thresholds["item_id"] == r["item_id"], "b"].to_numpy()

        def probs(t):
            star = np.concatenate([[1.0], 1 / (1 + np.exp(-r["a"] * (t - steps))), [0.0]])
            return star[:-1] - star[1:]
        want = [np.sum(((probs(t + 1e-6) - probs(t - 1e-6)) / 2e-6) ** 2 / probs(t)) for t in theta]
        got = info.loc[info["item_id"] == r["item_id"], "information"]
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_grm_on_0_1_items_is_the_2pl(lsat6):
    two = qk.irt(lsat6, model="2pl")
    grm = qk.irt(lsat6, model="grm")
    np.testing.assert_allclose(grm.items[["a", "b"]], two.items[["a", "b"]], atol=1e-6)


def test_curves_are_expected_score_share():
    items, _, _ = _simulate_grm(seed=5, n=600)
    fit = qk.irt(items, model="grm")
    c = fit.curves(np.array([-6.0, 0.0, 6.0]))
    assert c["expected"].between(0, 1).all()
    low = c[c["theta"] == -6.0]["expected"]
    high = c[c["theta"] == 6.0]["expected"]
    assert (high.to_numpy() > low.to_numpy()).all()


# ------------------------------------------------------------------- the sample and errors
def _sample_paper():
    return qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items"))


def test_sample_maths_paper_fits_with_a_negative_item():
    fit = qk.irt(_sample_paper(), model="grm")
    assert fit.converged and len(fit.items) == 20
    # 选择题 6 is built with a distractor that draws the stronger pupils (io/sample.py)
    assert fit.items["a"].idxmin() == fit.items.index[fit.items["item_id"] == "6"][0]
    assert fit.items.loc[fit.items["item_id"] == "6", "a"].iloc[0] < 0
    assert fit.persons["theta"].corr(fit.persons["total"]) > 0.9


def test_blank_scores_zero_or_omitted(lsat6):
    holes = lsat6.copy()
    holes.loc[holes.index[:50], "score"] = np.nan
    zero = qk.irt(holes, model="2pl")
    filled = holes.fillna({"score": 0})
    np.testing.assert_allclose(zero.items["a"], qk.irt(filled, model="2pl").items["a"])
    omit = qk.irt(holes, model="2pl", missing="omit")
    assert omit.items["difficulty"].iloc[0] == pytest.approx(
        holes[holes["item_id"] == "Q1"]["score"].mean())
    assert zero.items["difficulty"].iloc[0] == pytest.approx(
        filled[filled["item_id"] == "Q1"]["score"].mean())


def test_errors_say_what_to_do(lsat6):
    with pytest.raises(ValueError, match="model 应为"):
        qk.irt(lsat6, model="3pl")
    with pytest.raises(ValueError, match="missing 应为"):
        qk.irt(lsat6, missing="pairwise")
    with pytest.raises(ValueError, match="model=\"grm\""):
        qk.irt(_sample_paper(), model="2pl")
    with pytest.raises(ValueError, match="多份试卷"):
        qk.irt(pd.concat([_sample_paper(), _sample_paper().assign(grade=6)]), model="grm")
    few = lsat6[lsat6["student_id"] <= 10]
    with pytest.raises(ValueError, match="item_min_students"):
        qk.irt(few)
    half = lsat6.astype({"score": float})
    half.loc[half.index[0], "score"] = 0.5
    with pytest.raises(ValueError, match="小数"):
        qk.irt(half, model="grm")


def test_an_item_everyone_answers_alike_is_left_out(lsat6):
    same = pd.concat([lsat6, lsat6[lsat6["item_id"] == "Q1"].assign(item_id="Q6", score=1)])
    fit = qk.irt(same, model="2pl")
    assert fit.excluded == ["Q6"] and len(fit.items) == 5


# ----------------------------------------------------------------------------- readings
def test_ability_lines_invert_the_test_characteristic_curve(lsat6):
    from qualitykit.items.irt_readings import ability_lines
    fit = qk.irt(lsat6, model="2pl")
    a, b = fit.items["a"].to_numpy(), fit.items["b"].to_numpy()

    def expected(t):  # hand formula: Σ P_j(θ) for 0/1 items
        return special.expit(a * (t - b)).sum()
    lines = ability_lines(fit, standard=qk.Standard(low_line=0.01)).set_index("cut")
    assert fit.paper_max == 5 and lines.loc["pass", "points"] == 3.0
    for which in ("pass", "excellent"):
        want = optimize.brentq(lambda t: expected(t) - lines.loc[which, "points"], -8, 8)
        assert lines.loc[which, "theta"] == pytest.approx(want, abs=1e-8)
        p = special.expit(a * (want - b))
        assert lines.loc[which, "sem_theta"] == pytest.approx(1 / np.sqrt(np.sum(a * a * p * (1 - p))))
        assert lines.loc[which, "reliability"] == pytest.approx(1 - lines.loc[which, "sem_theta"] ** 2)
    assert np.isnan(lines.loc["low", "theta"])  # 0.05 points: below every expected total (≈ 0.08)


def test_item_readings_on_the_sample_paper():
    from qualitykit.items.irt_readings import ability_lines, information_reading, irt_readings
    fit = qk.irt(_sample_paper(), model="grm")
    lines = ability_lines(fit)
    read = irt_readings(fit, lines).set_index("item_id")
    assert read.loc["6", "reading"].startswith("区分度为负") and pd.isna(read.loc["6", "targets"])
    at = lines.set_index("cut")["theta"]
    low = read[read["targets"] == "low"]
    assert (low["peak_theta"] < at["pass"]).all() and low["reading"].str.contains("能力较低").all()
    middle = read[read["targets"] == "middle"]
    assert middle["peak_theta"].between(at["pass"], at["excellent"]).all()
    text = information_reading(fit, lines)
    assert text[0].startswith("本卷在能力") and any("及格线（60 分" in t for t in text)


def test_a_0_1_items_information_peaks_at_b(lsat6):
    from qualitykit.items.irt_readings import ability_lines, irt_readings
    fit = qk.irt(lsat6, model="2pl")
    read = irt_readings(fit, ability_lines(fit), standard=qk.Standard(irt_low_a=0.7))
    np.testing.assert_allclose(read["peak_theta"], read["b"], atol=0.006)
    assert read.loc[read["a"] < 0.7, "reading"].str.startswith("区分度低").all()
