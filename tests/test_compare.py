"""Class comparison checked against independent computations (scipy, statsmodels, by hand)."""

import numpy as np
import pytest
from scipy import stats

import qualitykit as qk
from test_indicators import frame


def classes_frame(groups: dict, subject="数学"):
    rows = [(f"{c}{i}", c, subject, float(x), "sat", 100, 5)
            for c, xs in groups.items() for i, x in enumerate(xs)]
    return frame(rows)


RNG = np.random.default_rng(7)
THREE = {"5-1": RNG.normal(80, 8, 30).round(1), "5-2": RNG.normal(75, 12, 25).round(1),
         "5-3": RNG.normal(85, 6, 28).round(1)}


def test_hedges_g_by_hand():
    a, b = np.array([1, 2, 3, 4.0]), np.array([2, 3, 4, 5.0])
    pooled = np.sqrt((3 * a.var(ddof=1) + 3 * b.var(ddof=1)) / 6)
    assert qk.hedges_g(a, b) == pytest.approx((1 - 3 / (4 * 8 - 9)) * (-1) / pooled)


def test_games_howell_with_two_groups_is_welchs_t_test():
    # with k = 2 the studentized range q = √2·|t| and its p value equals Welch's two-sided p
    a, b = THREE["5-1"], THREE["5-2"]
    gh = qk.games_howell({"x": a, "y": b}).iloc[0]
    welch = stats.ttest_ind(a, b, equal_var=False)
    assert gh["p_value"] == pytest.approx(welch.pvalue, rel=1e-6)
    ci = welch.confidence_interval(0.95)
    assert (gh["diff_low"], gh["diff_high"]) == pytest.approx((ci.low, ci.high), rel=1e-6)


# ---- the studentized range: our tabled quadrature against scipy's numerical integration --------
# Where the report uses it: k = 2 … 18 classes of a grade (up to 100 in a 联考), Welch degrees of
# freedom from a few (classes of 3 pupils) to a thousand, critical values at 95 %.
SR_GRID = [(k, df) for k in (3, 4, 7, 18, 60) for df in (2.5, 9.3, 37.9, 140.2, 1000.0)]


def test_the_range_table_is_scipys_cubic_spline():
    # the not-a-knot cubic spline of the range's distribution, built without scipy.interpolate
    from scipy.interpolate import CubicSpline

    from qualitykit.term.studentized import _CubicTable, _range_cdf

    rng = np.random.default_rng(7)
    for w in (np.linspace(0, 8, 3001), np.sort(rng.uniform(0, 10, 12))):
        for y in (_range_cdf(w, 5), np.sin(w)):
            at = np.r_[rng.uniform(w[0], w[-1], 2000), w[:4], w[-1]]
            ours, theirs = _CubicTable(w, y), CubicSpline(w, y)
            np.testing.assert_allclose(ours(at), theirs(at), rtol=0, atol=1e-14)
            np.testing.assert_allclose(ours(at, 1), theirs(at, 1), rtol=0, atol=1e-13)


@pytest.mark.parametrize("k, df", SR_GRID)
def test_studentized_range_p_values_equal_scipys(k, df):
    from qualitykit.term.studentized import studentized_range_sf

    q = np.array([0.5, 2.0, 3.3, 4.1, 5.2, 7.5])
    ours = studentized_range_sf(q, k, df)
    ref = np.array([stats.studentized_range.sf(x, k, df) for x in q])
    # the report prints p to 3 decimals and "<0.001": 10⁻⁸ is far below what it shows
    assert np.abs(ours - ref).max() < 1e-8


@pytest.mark.parametrize("k, df", [(3, 9.3), (4, 37.9), (4, 70.3), (7, 140.2), (18, 90.2),
                                   (18, 4.0), (60, 1000.0)])
def test_studentized_range_critical_values_equal_scipys(k, df):
    from qualitykit.term.studentized import studentized_range_cdf, studentized_range_ppf

    q = studentized_range_ppf(0.95, k, df)
    ref = stats.studentized_range.ppf(0.95, k, df)
    assert q == pytest.approx(ref, rel=1e-7)
    assert stats.studentized_range.cdf(q, k, df) == pytest.approx(0.95, abs=1e-9)
    assert studentized_range_cdf(q, k, df) == pytest.approx(0.95, abs=1e-10)


def test_studentized_range_against_published_tables_and_edge_cases():
    from qualitykit.term.studentized import (
        studentized_range_cdf,
        studentized_range_ppf,
        studentized_range_sf,
    )

    # the usual table of Tukey critical values (Harter 1960), to 2 decimals: q(0.95; k, ν)
    table = {(3, 10): 3.88, (4, 20): 3.96, (5, 30): 4.10, (10, 60): 4.65, (20, 120): 5.13}
    for (k, df), value in table.items():
        assert float(studentized_range_ppf(0.95, k, df)) == pytest.approx(value, abs=0.005)  # 2 decimals
    # k = 2 is Student's t: P(Q > q) = P(|T| > q/√2)
    assert float(studentized_range_sf(3.0, 2, 12.5)) == pytest.approx(
        2 * stats.t.sf(3 / np.sqrt(2), 12.5), rel=1e-12)
    # ν = ∞ is the range of k normals itself
    assert float(studentized_range_cdf(3.0, 5, np.inf)) == pytest.approx(
        stats.studentized_range.cdf(3.0, 5, np.inf), abs=1e-8)
    assert np.isnan(studentized_range_ppf([0.95, 0.95], 4, [np.nan, -1])).all()
    assert np.isnan(studentized_range_sf(np.nan, 4, 10.0))
    with pytest.raises(ValueError, match="k（组数）"):
        studentized_range_sf(3.0, 1, 10)


def test_games_howell_equals_the_definition_with_scipys_distribution():
    # four groups of unequal size and spread; each pair by hand with scipy's studentized range
    rng = np.random.default_rng(3)
    groups = {"a": rng.normal(70, 8, 12), "b": rng.normal(76, 15, 30),
              "c": rng.normal(72, 5, 7), "d": rng.normal(80, 11, 45)}
    gh = qk.games_howell(groups).set_index(["a", "b"])
    for (a, b), row in gh.iterrows():
        xa, xb = groups[a], groups[b]
        va, vb = xa.var(ddof=1) / len(xa), xb.var(ddof=1) / len(xb)
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va**2 / (len(xa) - 1) + vb**2 / (len(xb) - 1))
        q = abs(xa.mean() - xb.mean()) / se * np.sqrt(2)
        half = stats.studentized_range.ppf(0.95, 4, df) / np.sqrt(2) * se
        assert (row["se"], row["df"]) == pytest.approx((se, df))
        assert row["p_value"] == pytest.approx(stats.studentized_range.sf(q, 4, df), abs=1e-8)
        assert row["diff_high"] - row["diff"] == pytest.approx(half, rel=1e-7)


def test_tukey_option_matches_statsmodels():
    from statsmodels.stats.multicomp import pairwise_tukeyhsd

    c = qk.compare_classes(classes_frame(THREE), posthoc="tukey")
    x = np.concatenate(list(THREE.values()))
    g = np.repeat(list(THREE), [len(v) for v in THREE.values()])
    ref = pairwise_tukeyhsd(x, g).summary().data[1:]  # group1, group2, meandiff(g2−g1), p, lo, hi
    for g1, g2, meandiff, p, lo, hi, _ in ref:
        row = c.pairs[(c.pairs["a"] == g1) & (c.pairs["b"] == g2)].iloc[0]
        assert -row["diff"] == pytest.approx(meandiff, abs=1e-4)
        assert row["p_value"] == pytest.approx(p, abs=1e-3)
        assert (-row["diff_high"], -row["diff_low"]) == pytest.approx((lo, hi), abs=1e-3)


def test_omnibus_equals_anova_and_kruskal():
    c = qk.compare_classes(classes_frame(THREE))
    o = c.omnibus.iloc[0]
    f = stats.f_oneway(*THREE.values())
    h = stats.kruskal(*THREE.values())
    assert (o["anova_f"], o["anova_p"]) == pytest.approx((f.statistic, f.pvalue))
    assert (o["kruskal_h"], o["kruskal_p"]) == pytest.approx((h.statistic, h.pvalue))
    # η² = SS_between / SS_total, by hand
    x = np.concatenate(list(THREE.values()))
    ssb = sum(len(v) * (v.mean() - x.mean()) ** 2 for v in THREE.values())
    assert o["eta_squared"] == pytest.approx(ssb / ((x - x.mean()) ** 2).sum())
    assert (o["anova_df1"], o["anova_df2"]) == (2, len(x) - 3)


def test_class_against_grade_interval_is_the_welch_interval_scaled():
    c = qk.compare_classes(classes_frame(THREE)).classes.set_index("class_id")
    a = THREE["5-2"]
    rest = np.concatenate([THREE["5-1"], THREE["5-3"]])
    n_all = len(a) + len(rest)
    # diff from the grade = (n_rest / n_all)(mean − rest mean); interval at 1 − 0.05/3 (Bonferroni)
    welch = stats.ttest_ind(a, rest, equal_var=False)
    ci = welch.confidence_interval(1 - 0.05 / 3)
    row = c.loc["5-2"]
    assert row["diff"] == pytest.approx(a.mean() - np.concatenate([a, rest]).mean())
    assert row["diff"] == pytest.approx(len(rest) / n_all * (a.mean() - rest.mean()))
    assert (row["diff_low"], row["diff_high"]) == pytest.approx(
        (len(rest) / n_all * ci.low, len(rest) / n_all * ci.high))
    assert row["p_value"] == pytest.approx(min(1, 3 * welch.pvalue))
    assert row["significant"] == (row["diff_low"] > 0 or row["diff_high"] < 0)


def test_a_half_point_gap_is_not_read_as_a_ranking():
    rng = np.random.default_rng(1)
    base = rng.normal(0, 10, 40)
    c = qk.compare_classes(classes_frame({"5-1": 80 + base, "5-2": 80.5 + base[::-1]}))
    assert not c.classes["significant"].any()
    assert set(c.classes["reading"]) == {"与年级均分差异不显著"}
    assert "不显著" in c.omnibus["reading"].iloc[0]


def test_small_classes_are_flagged():
    c = qk.compare_classes(classes_frame({"5-1": np.arange(50, 100, 2.5), "5-2": [60, 70, 80.0]}))
    small = c.classes.set_index("class_id")["small_group"]
    assert small["5-2"] and not small["5-1"]  # 3 sitters < 20; 20 sitters are enough
    assert c.classes.set_index("class_id").loc["5-2", "reading"].startswith("实考仅 3 人")


def test_bad_arguments_say_what_is_allowed():
    with pytest.raises(ValueError, match="games-howell"):
        qk.compare_classes(classes_frame(THREE), posthoc="scheffe")
    with pytest.raises(ValueError, match="teacher"):
        qk.compare_classes(classes_frame(THREE), group="teacher")


def test_compare_exams_follows_pupils_into_their_new_class():
    now = frame([("1", "5-1", "语文", 90, "sat", 100, 5), ("2", "5-1", "语文", 70, "sat", 100, 5),
                 ("3", "5-2", "语文", 80, "sat", 100, 5)], exam="2025-2026-1 期末")
    before = frame([("1", "4-2", "语文", 60, "sat", 100, 4), ("2", "4-1", "语文", 80, "sat", 100, 4),
                    ("3", "4-1", "语文", 70, "sat", 100, 4), ("9", "4-1", "语文", 50, "sat", 100, 4)],
                   exam="2024-2025-2 期末")
    t = qk.compare_exams(now, before).set_index("class_id")
    # 5-1 holds pupils 1 and 2: their earlier mean (60 + 80) / 2 = 70, whatever their old class
    assert t.loc["5-1", "prev_mean"] == 70 and t.loc["5-1", "n_matched"] == 2
    # 超均率 of the earlier exam is against that exam's whole grade (mean 65, pupil 9 included)
    assert t.loc["5-1", "prev_above_mean_rate"] == pytest.approx((70 - 65) / 65)
    assert t.loc["5-1", "above_mean_rate"] == pytest.approx((80 - 80) / 80)
    assert qk.compare_exams(now, None).empty


def _scipy_omnibus(groups):
    f, h = stats.f_oneway(*groups), stats.kruskal(*groups)
    return [f.statistic, f.pvalue, h.statistic, h.pvalue]


def _kit_omnibus(groups):
    from qualitykit.term.compare import kruskal_wallis, one_way_anova

    values, sizes = np.concatenate(groups).astype(float), np.array([len(g) for g in groups])
    a, k = one_way_anova(values, sizes), kruskal_wallis(values, sizes)
    return [a["f"], a["p"], k["h"], k["p"]]


@pytest.mark.parametrize("seed", range(6))
def test_anova_and_kruskal_from_moments_and_ranks_equal_scipy(seed):
    # many groups of unequal sizes, scores on half points: ties everywhere (scipy is the
    # independent value; the kit computes both from one pass over the concatenated scores)
    rng = np.random.default_rng(seed)
    groups = [(rng.normal(70 + rng.normal(0, 3), 12, rng.integers(2, 60)) * 2).round() / 2
              for _ in range(rng.integers(2, 300))]
    assert _kit_omnibus(groups) == pytest.approx(_scipy_omnibus(groups), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize("groups", [
    [[1, 2, 3], [4, 5, 6]],                  # by hand: F = 13.5 / 1 = 13.5, H = 3.857…
    [[5, 5, 5], [7, 7], [5, 9]],             # one constant group, ties across groups
    [[3, 3], [4, 4, 4]],                     # every group constant, groups differ: F = inf
    [[6, 6], [6, 6, 6]],                     # every score the same: F and H NaN
    [[0.1, 0.1, 0.1], [0.2, 0.2]],           # constant groups whose mean is not exact
    [[1, 2], [1, 2], [1, 2]],                # equal groups: F = 0, H = 0
])
def test_anova_and_kruskal_edge_cases_equal_scipy(groups):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scipy warns on constant input
        want = _scipy_omnibus(groups)
    assert _kit_omnibus(groups) == pytest.approx(want, rel=1e-12, nan_ok=True)


def test_omnibus_on_the_league_sample_equals_scipy():
    from qualitykit.district.load import load_district
    from qualitykit.schema import sat_rows

    scores = sat_rows(load_district().scores)
    c = qk.compare_classes(scores, posthoc=None)
    for _, row in c.omnibus.iterrows():
        part = scores[scores["subject"] == row["subject"]]
        groups = [g["score"].to_numpy(float) for _, g in part.groupby(["school", "class_id"])]
        want = _scipy_omnibus(groups)
        got = [row["anova_f"], row["anova_p"], row["kruskal_h"], row["kruskal_p"]]
        assert got == pytest.approx(want, rel=1e-9), row["subject"]
