"""DIF (qualitykit.items.dif): Mantel–Haenszel and logistic regression, checked against
statsmodels and on generated data with one planted DIF item."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.miscmodels.ordinal_model import OrderedModel
from statsmodels.stats.contingency_tables import StratifiedTable
from statsmodels.stats.multitest import multipletests

import qualitykit as qk
from qualitykit.items.dif import adjust_p, mantel_haenszel

N_ITEMS = 15
PLANTED = "T7"


def _simulate(seed: int, n: int = 500, shift: float = 1.0, impact: float = 0.0):
    """Two groups of n pupils, 15 Rasch items; item T7 is ``shift`` logits harder for the
    focal group (girls here) at equal ability; the focal group's mean ability is ``impact``."""
    rng = np.random.default_rng(seed)
    b = np.linspace(-1.5, 1.5, N_ITEMS)
    girl = np.repeat([0, 1], n)
    theta = rng.standard_normal(2 * n) + impact * girl
    hard = b[None, :] + np.outer(girl, np.eye(N_ITEMS)[6] * shift)
    scores = (rng.random((2 * n, N_ITEMS)) < 1 / (1 + np.exp(-(theta[:, None] - hard)))).astype(int)
    wide = pd.DataFrame(scores, columns=[f"T{j + 1}" for j in range(N_ITEMS)])
    items = wide.rename_axis("student_id").reset_index().melt(
        id_vars="student_id", var_name="item_id", value_name="score")
    items["item_max"] = 1
    sex = pd.Series(np.where(girl == 1, "女", "男"), index=wide.index)
    return items, sex, wide


# ------------------------------------------------------------------------------ MH vs statsmodels
def test_mantel_haenszel_equals_statsmodels_stratified_table():
    items, sex, wide = _simulate(seed=1, shift=0.6)
    total = wide.sum(axis=1).to_numpy()
    focal = (sex == "女").to_numpy(dtype=float)
    for item in ["T1", "T7", "T12"]:
        y = wide[item].to_numpy()
        tables = []
        for k in np.unique(total):  # the same strata, built here with a crosstab
            at = total == k
            t = pd.crosstab(pd.Categorical(focal[at], [0.0, 1.0]),
                            pd.Categorical(y[at], [1, 0]), dropna=False).to_numpy()
            if (t.sum(axis=1) > 0).all():
                tables.append(t)
        st = StratifiedTable(np.dstack(tables).astype(float))
        null = st.test_null_odds(correction=True)
        got = mantel_haenszel(y.astype(float), focal, total.astype(float))
        assert got["mh_odds_ratio"] == pytest.approx(st.oddsratio_pooled, rel=1e-10)
        assert got["mh_chi2"] == pytest.approx(null.statistic, rel=1e-10)
        assert got["mh_p"] == pytest.approx(null.pvalue, rel=1e-8)
        assert got["ets_delta"] == pytest.approx(-2.35 * st.logodds_pooled, rel=1e-10)
        assert got["ets_delta_se"] == pytest.approx(2.35 * st.logodds_pooled_se, rel=1e-10)


def test_logistic_tests_equal_statsmodels_fits():
    # Binary item: statsmodels Logit; the item with partial credit: statsmodels OrderedModel.
    paper = qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items"))
    table = qk.dif(paper, "class_id", reference="5-1")
    wide, _ = qk.items.analysis.item_matrix(paper)
    classes = paper.groupby("student_id", sort=False)["class_id"].first().reindex(wide.index)
    for item, focal in [("8", "5-2"), ("14", "5-3")]:
        keep = classes.isin(["5-1", focal]).to_numpy()
        X = wide.fillna(0).to_numpy()[keep]
        g = (classes[keep] == focal).to_numpy(dtype=float)
        total = X.sum(axis=1)
        z = (total - total.mean()) / total.std()
        y = wide[item].fillna(0).to_numpy()[keep]
        designs = [np.column_stack(c) for c in ([z], [z, g], [z, g, z * g])]
        if len(np.unique(y)) == 2:
            ll = [sm.Logit((y == y.max()).astype(float), sm.add_constant(x)).fit(disp=0).llf
                  for x in designs]
        else:
            codes = np.unique(y, return_inverse=True)[1]
            ll = [OrderedModel(codes, x, distr="logit").fit(method="bfgs", disp=0, maxiter=2000,
                                                           gtol=1e-8).llf for x in designs]
        row = table[(table["item_id"] == item) & (table["focal"] == focal)].iloc[0]
        assert row["lr_uniform_chi2"] == pytest.approx(2 * (ll[1] - ll[0]), abs=1e-4)
        assert row["lr_nonuniform_chi2"] == pytest.approx(2 * (ll[2] - ll[1]), abs=1e-4)
        assert row["lr_chi2"] == pytest.approx(2 * (ll[2] - ll[0]), abs=1e-4)


def test_adjusted_p_equal_statsmodels_multipletests():
    p = np.array([0.001, 0.2, 0.03, np.nan, 0.04, 0.5, 0.012])
    ok = np.isfinite(p)
    for ours, theirs in (("bh", "fdr_bh"), ("holm", "holm")):
        got = adjust_p(p, ours)
        np.testing.assert_allclose(got[ok], multipletests(p[ok], method=theirs)[1], rtol=1e-12)
        assert np.isnan(got[~ok]).all()


def testets_classes_by_their_rule():
    from qualitykit.items.dif import ets_class  # the rule, case by case (Zwick 2012)
    assert ets_class(-1.6, 0.2, 0.001) == "C"  # (1.6 − 1)/0.2 = 3 > 1.645
    assert ets_class(-1.6, 0.5, 0.001) == "B"  # 1.2 < 1.645: not C; |Δ| ≥ 1 and significant
    assert ets_class(1.2, 0.3, 0.01) == "B"
    assert ets_class(1.2, 0.3, 0.2) == "A"  # not significant
    assert ets_class(0.8, 0.1, 1e-6) == "A"  # significant but small


# ------------------------------------------------------------------------ generated DIF
def test_the_planted_item_is_flagged_and_no_other():
    items, sex, _ = _simulate(seed=7, impact=-0.3)
    table = qk.dif(items, sex, reference="男")
    assert table.loc[table["flagged"], "item_id"].tolist() == [PLANTED]
    row = table.set_index("item_id").loc[PLANTED]
    assert row["ets_class"] == "C" and row["ets_delta"] < -1.5 and row["favours"] == "reference"
    assert row["lr_uniform_p"] < 1e-6 and row["lr_p_adjusted"] < 0.05
    assert (table["focal"] == "女").all() and (table["n_focal"] == 500).all()
    # purified: the planted item is left out of the others' matching score, kept in its own
    matching = table.set_index("item_id")["n_matching_items"]
    assert matching[PLANTED] == N_ITEMS and (matching.drop(PLANTED) == N_ITEMS - 1).all()


def test_false_flags_stay_at_the_nominal_rate_over_50_seeds():
    # 50 generated papers × 14 items without DIF = 700 null tests. A valid 5 % test rejects
    # 35 of them on average (binomial SD ≈ 5.8); the bound 0.05 + 3 SD ≈ 0.075 fails a
    # valid test with probability ≈ 0.2 %. MH with the continuity correction is conservative,
    # so only an upper bound is meaningful for it; the logistic test must also not be far
    # below the nominal rate (≥ 0.025). The flags (BH over the items, ETS B/C) must be no more
    # frequent than the nominal 5 %, and the planted item must be found in ≥ 45 of 50 papers
    # (its power at 500 + 500 pupils and a 1-logit shift is ≈ 1). Without purification the
    # planted item biases the matching score and the null rate rises to ≈ 0.07.
    lr, mh, flags, found = [], [], [], 0
    for seed in range(50):
        items, sex, _ = _simulate(seed=100 + seed)
        table = qk.dif(items, sex).set_index("item_id")
        null = table.drop(index=PLANTED)
        lr += list(null["lr_p"] < 0.05)
        mh += list(null["mh_p"] < 0.05)
        flags += list(null["flagged"])
        found += bool(table.loc[PLANTED, "flagged"])
    bound = 0.05 + 3 * np.sqrt(0.05 * 0.95 / 700)
    assert 0.025 <= np.mean(lr) <= bound
    assert np.mean(mh) <= bound
    assert np.mean(flags) <= 0.05
    assert found >= 45


# ------------------------------------------------------------------ groups and errors
def test_more_than_two_groups_each_against_the_rest_or_a_reference():
    paper = qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items"))
    rest = qk.dif(paper, "class_id")
    assert set(rest["reference"]) == {"其余"} and len(rest) == 4 * 20
    sizes = paper.groupby("class_id")["student_id"].nunique()
    one = rest[rest["focal"] == "5-1"]
    assert (one["n_focal"] == sizes["5-1"]).all()
    assert (one["n_reference"] == sizes.sum() - sizes["5-1"]).all()
    ref = qk.dif(paper, "class_id", reference="5-2")
    assert set(ref["focal"]) == {"5-1", "5-3", "5-4"} and set(ref["reference"]) == {"5-2"}
    # 选择题 scored 0/2 are right-or-wrong items: they get MH; 解答题 with partial credit do not
    assert rest.loc[rest["item_id"] == "1", "mh_odds_ratio"].notna().all()
    assert rest.loc[rest["item_id"] == "17", "ets_class"].isna().all()


def test_dif_errors_name_the_parameter():
    items, sex, _ = _simulate(seed=2, n=30)
    with pytest.raises(ValueError, match="correction 应为"):
        qk.dif(items, sex, correction="bonferroni")
    with pytest.raises(ValueError, match="没有分组列 'sex'"):
        qk.dif(items, "sex")
    with pytest.raises(ValueError, match="参照组"):
        qk.dif(items, sex, reference="未知")
    with pytest.raises(ValueError, match="少于两组"):
        qk.dif(items, sex.map(lambda s: "男"))
    with pytest.raises(ValueError, match="alpha"):
        qk.dif(items, sex, alpha=5)
