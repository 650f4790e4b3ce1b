"""Cohorts and growth: value added, growth percentiles, 届 comparison, 追踪 and trends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import qualitykit as qk
from qualitykit.growth.quantile import bspline_basis, quantile_fit, spline_knots


def long(ids, classes, scores, exam, subject="数学", grade=5, **extra):
    return pd.DataFrame({"student_id": [str(i) for i in ids], "class_id": classes,
                         "subject": subject, "exam": exam, "grade": grade,
                         "score": np.asarray(scores, float), "status": "sat",
                         "full_mark": 100.0, **extra})


def two_exams(seed=1, n_per=40, effects=(0.4, 0.0, -0.4), beta=0.7):
    rng = np.random.default_rng(seed)
    rows_in, rows_out = [], []
    sid = 0
    for k, eff in enumerate(effects):
        entry = rng.normal(70, 10, n_per)
        exit_ = 20 + beta * entry + 10 * eff + rng.normal(0, 6, n_per)
        ids = list(range(sid, sid + n_per))
        sid += n_per
        rows_in.append(long(ids, f"5-{k + 1}", entry, "2024-2025-2 期末", grade=4))
        rows_out.append(long(ids, f"5-{k + 1}", exit_, "2025-2026-2 期末"))
    return pd.concat(rows_out, ignore_index=True), pd.concat(rows_in, ignore_index=True)


# ---------------------------------------------------------------- value added

def test_ols_residual_means_equal_a_hand_regression():
    now, before = two_exams()
    va = qk.value_added(now, before)
    z_in = (before["score"] - before["score"].mean()) / before["score"].std()
    z_out = (now["score"] - now["score"].mean()) / now["score"].std()
    x = np.column_stack([np.ones(len(z_in)), z_in])
    coef, *_ = np.linalg.lstsq(x, z_out, rcond=None)
    resid = z_out - x @ coef
    for cls, part in resid.groupby(now["class_id"]):
        row = va.units.set_index("class_id").loc[cls]
        half = stats.t.ppf(0.975, len(part) - 1) * part.std() / np.sqrt(len(part))
        assert row["ols"] == pytest.approx(part.mean(), abs=1e-10)
        assert row["ols_low"] == pytest.approx(part.mean() - half, abs=1e-10)
    s = va.students.set_index("student_id")
    assert (s["value_added"] - (s["z_exit"] - va.models["beta"].iloc[0] * s["z_entry"])).abs().max() < 1e-12


def test_a_class_of_one_pupil_has_no_interval_and_could_rank_anywhere():
    # two classes (residual means, no mixed model): 5-2 holds one pupil, so its mean residual
    # has no t interval, and its rank interval is every rank, not the false certainty [k, k]
    now, before = two_exams(effects=(0.0, 0.0), n_per=30)
    keep = now["class_id"].eq("5-1") | now["student_id"].eq(now.loc[now["class_id"].eq("5-2"),
                                                                    "student_id"].iloc[0])
    va = qk.value_added(now[keep], before)
    units = va.units.set_index("class_id")
    assert units.loc["5-2", "n"] == 1 and np.isnan(units.loc["5-2", "low"])
    assert (units.loc["5-2", "rank_low"], units.loc["5-2", "rank_high"]) == (1, 2)
    for r in units.itertuples():
        assert r.rank_low <= r.rank <= r.rank_high
    # nobody sat twice in a subject: no units, but the subject's reading says why
    alone = qk.value_added(now.head(1), before)
    assert alone.units.empty and "不足 3 人" in alone.models["reading"].iloc[0]


def test_mixed_model_effects_are_the_shrunken_means_of_the_textbook_formula():
    # BLUP of a random intercept: σu² / (σu² + σe²/n) × mean of (y − Xβ) in the unit; its
    # conditional variance (1/σu² + n/σe²)⁻¹
    now, before = two_exams(n_per=25, effects=(0.5, 0.1, -0.2, -0.4, 0.3))
    va = qk.value_added(now, before)
    m = va.models.iloc[0]
    su2, se2 = m["between_sd"] ** 2, m["within_sd"] ** 2
    s = va.students.dropna(subset=["z_entry"])
    fixed = m["intercept"] + m["beta"] * s["z_entry"]
    for cls, part in (s["z_exit"] - fixed).groupby(s["class_id"]):
        n = len(part)
        row = va.units.set_index("class_id").loc[cls]
        assert row["va"] == pytest.approx(su2 / (su2 + se2 / n) * part.mean(), abs=1e-6)
        assert row["va_se"] == pytest.approx(np.sqrt(1 / (1 / su2 + n / se2)), abs=1e-6)
    assert (va.units["va_low"] < va.units["va"]).all() and (va.units["va"] < va.units["va_high"]).all()
    assert set(va.units["va_method"]) == {"mixed"}


def test_every_student_is_matched_or_says_why():
    now, before = two_exams()
    now = now[now["student_id"] != "0"]  # left before the exit exam
    before = before[before["student_id"] != "5"]  # new: no entry score
    now.loc[now["student_id"] == "7", ["score", "status"]] = [np.nan, "absent"]
    va = qk.value_added(now, before)
    m = va.students.set_index("student_id")["match"]
    assert m["0"] == "no_exit" and m["5"] == "no_entry" and m["7"] == "no_exit"
    assert len(m) == 120 and (m == "matched").sum() == 117
    assert va.units["n"].sum() == 117


def test_clear_effects_are_read_and_ranked_with_their_uncertainty():
    now, before = two_exams(n_per=60, effects=(0.8, 0.0, -0.8))
    va = qk.value_added(now, before)
    u = va.units.set_index("class_id")
    assert u.loc["5-1", "reading"].startswith("高于预期") and u.loc["5-3", "reading"].startswith("低于预期")
    assert u["rank"].tolist() == [1, 2, 3]
    assert (u["rank_low"] <= u["rank"]).all() and (u["rank"] <= u["rank_high"]).all()
    same = qk.value_added(*two_exams(n_per=30, effects=(0.0, 0.0, 0.0)))
    assert "重叠" in same.reading[0] or "0" in same.reading[0]
    assert not same.units["reading"].str.startswith("高于").any()


def test_teacher_units_need_a_teacher_table():
    now, before = two_exams()
    with pytest.raises(ValueError, match="teachers="):
        qk.value_added(now, before, by="teacher")
    with pytest.raises(ValueError, match="多次考试"):
        qk.value_added(pd.concat([now, before]), before)


def test_any_column_of_the_current_exam_can_be_the_unit():
    now, before = two_exams()
    now["group"] = np.where(now["class_id"].eq("5-1"), "A层", "B层")  # 分层教学 groups
    va = qk.value_added(now, before, by="group")
    assert va.units["group"].tolist() == ["A层", "B层"] and va.units["n"].sum() == 120


def test_covariates_enter_as_fixed_effects():
    now, before = two_exams()
    now["sex"] = np.where(now.index % 2, "男", "女")
    va = qk.value_added(now, before, covariates=["sex"])
    assert len(va.units) == 3 and va.units["va"].notna().all()
    with pytest.raises(ValueError, match="协变量"):
        qk.value_added(now, before, covariates=["ses"])


def test_sample_teacher_effects_are_recovered():
    # the generator's teachers add N(0, 0.25) a year to what their pupils know
    # (sample_data/truth/teacher_effects.csv); a year's value added estimates it
    truth = pd.read_csv(qk.sample_path().parents[2] / "truth" / "teacher_effects.csv") \
        .set_index("teacher")["effect"]
    teachers = qk.load_sample("teachers")
    units = []
    for prev, cur in (("2023-2024-2 期末", "2024-2025-2 期末"), ("2024-2025-2 期末", "2025-2026-2 期末")):
        va = qk.value_added(qk.load_sample(exam=cur), qk.load_sample(exam=prev), by="teacher",
                            teachers=teachers)
        units.append(va.units)
    u = pd.concat(units)
    assert len(u) == 104  # 13 teachers per subject and year of grades 4–6
    rho = stats.spearmanr(u["estimate"], u["teacher"].map(truth))[0]
    assert rho >= 0.8


# ---------------------------------------------------------------- growth percentiles

def test_the_fast_solver_finds_the_statsmodels_optimum():
    rng = np.random.default_rng(3)
    for n in (800, 12000):  # direct, and with preprocessing
        x = rng.normal(600, 50, n)
        y = np.round(0.8 * x + 120 + rng.normal(0, 25, n) * (1 + ((x - 600) / 100) ** 2))
        knots, lo, hi = spline_knots(x)
        design = np.column_stack([np.ones(n), bspline_basis(x, knots, lo, hi)])
        taus = [0.005, 0.25, 0.5, 0.9, 0.995]
        ours = quantile_fit(design, y, taus)
        ref = quantile_fit(design, y, taus, solver="statsmodels")
        for t, a, b in zip(taus, ours, ref):
            loss = [np.sum((y - design @ c) * (t - (y - design @ c < 0))) for c in (a, b)]
            assert loss[0] <= loss[1] * (1 + 1e-7)  # at least as low a check loss as QuantReg
            assert np.abs(design @ a - design @ b).max() < 0.05 * y.std()


def test_growth_percentiles_without_dependence_are_plain_percentile_ranks():
    rng = np.random.default_rng(5)
    n = 3000
    before = long(range(n), "5-1", rng.normal(70, 10, n), "2024-2025-2 期末", grade=4)
    now = long(range(n), "5-1", rng.normal(70, 10, n), "2025-2026-2 期末")
    g = qk.growth_percentiles(now, before)
    sgp = g.students.set_index("student_id")["sgp"]
    pr = (now.set_index("student_id")["score"].rank() - 0.5) / n * 100
    assert np.corrcoef(sgp, pr.loc[sgp.index])[0, 1] > 0.99
    assert (sgp - pr.loc[sgp.index]).abs().mean() < 3
    assert sgp.between(1, 99).all() and abs(sgp.median() - 50) <= 2


def test_a_pupil_on_a_fitted_line_gets_the_mid_rank_whatever_the_rounding():
    # whole-point scores: the fitted lines pass through pupils, and with ties many lines pass
    # through the same score; the SGP must not depend on which side rounding puts them
    rng = np.random.default_rng(11)
    n = 400
    prior = np.round(rng.normal(70, 12, n))
    score = np.clip(np.round(0.7 * prior + 25 + rng.normal(0, 8, n)), 0, 100)
    base = qk.growth_percentiles(long(range(n), "5-1", score, "2025-2026-2 期末"),
                                 long(range(n), "5-1", prior, "2024-2025-2 期末", grade=4))
    moved = qk.growth_percentiles(long(range(n), "5-1", score * 0.5 + 0.3, "2025-2026-2 期末"),
                                  long(range(n), "5-1", prior, "2024-2025-2 期末", grade=4))
    a = base.students.set_index("student_id")["sgp"]
    b = moved.students.set_index("student_id")["sgp"]
    assert (a == b.loc[a.index]).all()  # the same fits up to rounding: the same SGPs
    # by hand: one pupil below 3 lines, on 4 lines (tied), above the rest -> 3 + 4/2 = 5
    from qualitykit.growth.sgp import _percentile_among
    lines = np.array([[1.0, 2, 3, 5, 5 + 1e-9, 5 - 1e-9, 5, 7] + [9.0] * 92])
    assert _percentile_among(lines, np.array([5.0])).tolist() == [5.0]
    assert _percentile_among(lines, np.array([6.0])).tolist() == [7.0]
    assert _percentile_among(lines * 0 + 1, np.array([1.0])).tolist() == [50.0]


def test_each_distinct_prior_and_score_gets_the_sgp_of_the_pupil_by_pupil_route():
    # whole-point scores: 2,000 pupils share about 1,100 (prior, score) pairs; the kit
    # computes each pair once, here every pupil's 100 fitted quantiles are computed for him
    rng = np.random.default_rng(23)
    n = 2000
    prior = np.clip(np.round(rng.normal(70, 12, n)), 0, 100)
    score = np.clip(np.round(0.7 * prior + 25 + rng.normal(0, 8, n)), 0, 100)
    g = qk.growth_percentiles(long(range(n), "5-1", score, "2025-2026-2 期末"),
                              long(range(n), "5-1", prior, "2024-2025-2 期末", grade=4))
    got = g.students.set_index("student_id").loc[[str(i) for i in range(n)]]
    knots, lo, hi = spline_knots(prior)

    def design(x):
        return np.column_stack([np.ones(len(x)), bspline_basis(x, knots, lo, hi)])

    from qualitykit.growth.quantile import TAUS
    from qualitykit.growth.sgp import _percentile_among
    coef = quantile_fit(design(prior), score, TAUS)
    assert (got["sgp"].to_numpy() == _percentile_among(np.sort(design(prior) @ coef.T, axis=1),
                                                        score)).all()
    # the growth to the pass line (60) next time, from today's score as the prior
    ahead = np.sort(design(score) @ coef.T, axis=1)
    k = (ahead < 60 - 1e-6 * 61).sum(axis=1) + 1
    need = np.where(k <= 99, np.maximum(k, 1), np.nan)
    np.testing.assert_array_equal(got["sgp_to_pass"].to_numpy(float), need)
    assert len(np.unique(np.c_[prior, score], axis=0)) < 0.6 * n  # pairs were shared


def test_growth_needed_and_the_median_interval():
    now, before = two_exams(n_per=60)
    g = qk.growth_percentiles(now, before)
    s = g.students.dropna(subset=["sgp_to_pass"])
    # the higher today's score, the less growth reaches the pass line next time (the spline
    # may wiggle by a few percentiles between neighbouring scores)
    assert stats.spearmanr(s["score"], s["sgp_to_pass"])[0] < -0.95
    assert s.loc[s["score"] > 70, "sgp_to_pass"].max() <= 10  # well above 60: little needed
    assert s.loc[s["score"] <= 55, "sgp_to_pass"].min() >= 60  # below: more than typical growth
    # 85 is out of reach at any growth seen for most pupils of this weak paper: no number
    reach = g.students.dropna(subset=["sgp_to_excellent"])
    assert g.students["sgp_to_excellent"].isna().sum() > 60 and reach["score"].min() > 60
    # the median's interval: binomial order statistics; for n = 10, the 2nd and 9th values
    from qualitykit.growth.sgp import _median_interval
    assert _median_interval(10, 0.95) == (1, 8)
    assert 1 - 2 * stats.binom.cdf(1, 10, 0.5) >= 0.95
    g_row = g.groups.iloc[0]
    assert g_row["median_low"] <= g_row["median_sgp"] <= g_row["median_high"]


def test_pupils_without_a_prior_or_in_a_small_grade_get_no_percentile():
    now, before = two_exams(n_per=10)
    g = qk.growth_percentiles(now, before[before["student_id"] != "3"])
    s = g.students.set_index("student_id")
    assert s["sgp"].isna().all()  # 30 pupils: under sgp_min_students
    assert s.loc["3", "note"] == "无上次成绩" and "不计算" in s.loc["4", "note"]


# ---------------------------------------------------------------- cohorts, tracking, trend

def test_cohort_compare_effect_sizes_and_reference_positions_by_hand():
    rng = np.random.default_rng(2)
    a, b = rng.normal(80, 8, 120), rng.normal(76, 9, 130)
    s = pd.concat([long(range(120), "5-1", a, "2023-2024-2 期末"),
                   long(range(200, 330), "5-1", b, "2024-2025-2 期末")])
    ref = pd.DataFrame({"exam": ["2023-2024-2 期末", "2024-2025-2 期末"], "subject": "数学",
                        "mean": [78.0, 70.0], "sd": [10.0, 12.0]})
    c = qk.cohort_compare(s, reference=ref)
    e = c.effects.iloc[0]
    sp = np.sqrt((119 * a.var(ddof=1) + 129 * b.var(ddof=1)) / 248)
    g = (1 - 3 / (4 * 250 - 9)) * (b.mean() - a.mean()) / sp
    se = np.sqrt(250 / (120 * 130) + g**2 / 500)
    assert e["hedges_g"] == pytest.approx(g) and e["hedges_g_low"] == pytest.approx(g - 1.959964 * se, abs=1e-5)
    assert e["ref_change"] == pytest.approx((b.mean() - 70) / 12 - (a.mean() - 78) / 10)
    assert "共同参照" in e["comparison"]
    assert "试卷不同" in qk.cohort_compare(s).effects["comparison"].iloc[0]


def test_cohort_compare_against_an_anchor_school_in_every_year():
    rng = np.random.default_rng(8)
    frames = []
    for exam, shift in (("2023-2024-2 期末", 0.0), ("2024-2025-2 期末", -6.0)):  # a harder paper
        anchor = rng.normal(75 + shift, 10, 200)
        ours = rng.normal(78 + shift, 10, 150)
        frames += [long(range(200), "5-1", anchor, exam, school="县实验小学"),
                   long(range(1000, 1150), "5-1", ours, exam, school="本校")]
    s = pd.concat(frames)
    c = qk.cohort_compare(s, anchor={"school": "县实验小学"})
    ind = c.indicators.set_index("exam")
    assert (ind["n_sat"] == 150).all()  # the anchor's own rows are not compared
    for exam, part in s[s["school"] == "县实验小学"].groupby("exam"):
        ours = s[(s["school"] == "本校") & (s["exam"] == exam)]["score"]
        expected = (ours.mean() - part["score"].mean()) / part["score"].std()
        assert ind.loc[exam, "ref_position"] == pytest.approx(expected)
    e = c.effects.iloc[0]
    assert "锚定组" in e["comparison"] and abs(e["ref_change"]) < 0.3 < abs(e["hedges_g"])
    with pytest.raises(ValueError, match="anchor"):
        qk.cohort_compare(s, anchor={"district": "x"})


def test_track_cohort_accounts_for_everyone_and_reports_name_matches():
    first = long(["a1", "a2", "a3", "a4", "a5"], ["8-1", "8-1", "8-2", "8-2", "8-2"],
                 [60, 70, 80, 90, 50], "八下期末", grade=8, name=["张三", "李四", "王五", "赵六", "刘一"])
    second = long(["a1", "b2", "a3", "a6", "b7"], ["9-1", "9-1", "9-2", "9-2", "9-1"],
                  [65, 72, 78, 88, 55], "九上期末", grade=9, name=["张三", "李四", "王五", "钱七", "刘一"])
    t = qk.track_cohort(pd.concat([second, first]))
    assert t.exams == ["八下期末", "九上期末"]
    s = t.students.set_index("student_id")
    # a2 → b2: same name, same class number, id changed: joined and reported
    assert s.loc["a2", "path"] == "stayed" and s.loc["a2", "matched_by"] == "name"
    # 刘一 moved 8-2 → 9-1 with a new id: the only 刘一, joined and reported too
    assert s.loc["a5", "path"] == "stayed" and s.loc["a5", "class_changed"]
    assert s.loc["a4", "path"] == "left" and s.loc["a6", "path"] == "joined"
    assert len(s) == 6 and set(t.uncertain["name_match"]) == {"joined"}
    c = t.classes.set_index("unit")
    assert list(c.index) == ["8-1→9-1", "8-2→9-2"]  # each class followed into grade 9
    assert c["n_exit"].tolist() == [3, 2] and c["n_left"].tolist() == [0, 1]
    assert c["n_entry_class"].tolist() == [2, 3]
    assert len(t.entry_exit) == 4
    strict = qk.track_cohort(pd.concat([first, second]), match_names=False)
    assert (strict.students["path"] == "stayed").sum() == 2
    # a pupil whose class is not known is still present
    second.loc[second["student_id"] == "a3", "class_id"] = None
    s = qk.track_cohort(pd.concat([first, second])).students.set_index("student_id")
    assert s.loc["a3", "path"] == "stayed"


def test_trend_flags_only_what_the_intervals_support():
    rng = np.random.default_rng(4)
    exams = ["2023-2024-2 期末", "2024-2025-2 期末", "2025-2026-2 期末"]
    frames, level = [], {"5-1": 0.0, "5-2": 0.0, "5-3": 0.0}
    for i, exam in enumerate(exams):
        level["5-3"] -= 0.6 if i else 0.0  # a real decline, exam after exam
        for k, cls in enumerate(level):
            ids = range(k * 50, k * 50 + 50)
            base = np.random.default_rng(k).normal(0, 1, 50)  # the same pupils each time
            scores = 70 + 10 * (base + level[cls] + rng.normal(0, 0.3, 50))
            frames.append(long(ids, cls, scores, exam))
    t = qk.trend(pd.concat(frames))
    flags = t.flags.set_index(["unit", "flag"])
    assert ("5-3", "decline") in flags.index and flags.loc[("5-3", "decline"), "periods"] == 2
    assert not t.flags["unit"].isin(["5-1", "5-2"]).any() or \
        not t.flags.query("unit != '5-3'")["supported"].any()
    assert "增值" in flags.loc[("5-3", "decline"), "evidence"]


def test_sample_teacher_change_is_visible_in_the_trend():
    # the generator changes the 数学 teacher of 五(2)班 between the terms of 2024-2025
    exams = ["2024-2025-1 期中", "2024-2025-1 期末", "2024-2025-2 期中", "2024-2025-2 期末"]
    s = pd.concat([qk.load_sample(exam=e, grade=5) for e in exams])
    t = qk.trend(s, teachers=qk.load_sample("teachers"))
    line = t.line("5-2", "数学")
    assert line["teacher"].tolist() == ["教师087", "教师087", "教师088", "教师088"]
    # 教师088 adds 0.30 a year, 教师087 −0.07: the class moves up once he teaches it
    before, after = line["z_mean"].iloc[:2].mean(), line["z_mean"].iloc[2:].mean()
    assert after - before > 0.15
    by_teacher = qk.trend(s, by="teacher", teachers=qk.load_sample("teachers"))
    first = by_teacher.positions.query("teacher == '教师088'")["exam"].tolist()
    assert first == ["2024-2025-2 期中", "2024-2025-2 期末"]


def test_value_added_too_small_to_fit_still_has_its_columns():
    # two pupils: no subject can be fitted; the units table is empty with its documented
    # columns (a report reading u["low"] must not fail), and each subject says why
    now = long([1, 2], "5-1", [80, 95], "2025-2026-1 期末")
    before = long([1, 2], "5-1", [70, 85], "2024-2025-2 期末", grade=4)
    va = qk.value_added(now, before)
    assert va.units.empty and {"class_id", "estimate", "low", "high", "rank"} <= set(va.units)
    assert "不足 3 人" in va.models.set_index("subject").loc["数学", "reading"]


def test_the_b_spline_basis_is_scipys_design_matrix():
    # the cubic B-splines of the SGP model, computed without scipy.interpolate
    from scipy.interpolate import BSpline

    from qualitykit.growth.quantile import _design_matrix

    rng = np.random.default_rng(3)
    for n in (5, 40, 400):  # whole and half points, many pupils at the top mark
        x = np.round(rng.normal(80, 15, n).clip(0, 100) * 2) / 2
        knots, lo, hi = spline_knots(x)
        t = np.r_[[lo] * 4, knots, [hi] * 4]
        at = np.r_[x, lo, hi, knots, np.linspace(lo, hi, 57)]
        expected = BSpline.design_matrix(at, t, 3, extrapolate=False).toarray()
        np.testing.assert_allclose(_design_matrix(at, t, 3), expected, rtol=0, atol=1e-14)
    flat = np.full(8, 5.0)  # every knot at one value: zeros, as scipy gives
    assert not _design_matrix(np.array([5.0]), flat, 3).any()
