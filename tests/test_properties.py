"""Property-based tests: ordinary grades (tiny classes, 100 % and 0 % rates, absentees, ties).

Each grade is drawn by hypothesis: 1–8 classes of 1–60 pupils, each class with a story (all
pass, nobody passes, all low, nobody low, anything, or entirely absent from a subject), scores on
a coarse grid (many ties) under a full mark of 100 or 120, random absentees. On every grade the
analyses and the charts of the term report must run, every interval must lie in its range and
contain its estimate, and the counts behind the rates must agree with a direct count.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import qualitykit as qk  # noqa: E402

STORIES = ("all_pass", "none_pass", "all_low", "none_low", "any", "absent")
SUBJECTS = ("语文", "数学")
RATES = ("pass_rate", "excellent_rate", "low_rate")


def _scores(rng, story: str, n: int, full: float, step: float) -> np.ndarray:
    """Scores on a grid of ``step`` points that give the class its story."""
    grid = np.arange(0, full + step / 2, step)
    bounds = {"all_pass": (0.6, 1.0), "none_pass": (0.0, 0.6), "all_low": (0.0, 0.4),
              "none_low": (0.4, 1.0)}.get(story, (0.0, 1.0))
    lo, hi = bounds[0] * full, bounds[1] * full
    inside = grid[(grid >= lo) & ((grid < hi) if hi < full else (grid <= hi))]
    return rng.choice(inside, size=n)


@st.composite
def grades(draw, subjects=SUBJECTS) -> pd.DataFrame:
    """A canonical long table of one exam: a grade of 1–8 classes."""
    sizes = draw(st.lists(st.integers(1, 60), min_size=1, max_size=8))
    full = draw(st.sampled_from([100.0, 120.0]))
    step = draw(st.sampled_from([5.0, 0.5, 10.0]))
    absent_share = draw(st.sampled_from([0.0, 0.05, 0.3]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = []
    for c, n in enumerate(sizes, start=1):
        stories = {s: draw(st.sampled_from(STORIES)) for s in subjects}
        for i in range(n):
            for subject in subjects:
                rows.append({"student_id": f"{c}-{i}", "name": f"生{c}{i}", "school": "试验小学",
                             "grade": 5, "class_id": f"5-{c}", "class_name": f"五({c})班",
                             "subject": subject, "exam": "2025-2026-1 期末", "_story": stories[subject]})
    table = pd.DataFrame(rows)
    table["full_mark"] = full
    table["score"] = np.nan
    for (klass, subject), part in table.groupby(["class_id", "subject"]):
        story = part["_story"].iloc[0]
        scores = _scores(rng, story, len(part), full, step)
        table.loc[part.index, "score"] = scores
    absent = table["_story"].eq("absent") | (rng.random(len(table)) < absent_share)
    table.loc[absent, "score"] = np.nan
    table["status"] = np.where(absent, "absent", "sat")
    table["grade"] = table["grade"].astype("Int64")
    return table.drop(columns="_story")


def teacher_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """教学编排表: each class × subject its own teacher, except classes 1 and 2 share."""
    pairs = scores[["grade", "class_id", "subject"]].drop_duplicates()
    number = pairs["class_id"].str.split("-").str[1].astype(int).clip(lower=2)
    return pairs.assign(teacher=pairs["subject"] + "教师" + number.astype(str))


def _in_order(low, estimate, high) -> None:
    """``low <= estimate <= high`` wherever the interval exists (NaN: not computable)."""
    low, estimate, high = (np.asarray(v, dtype=float) for v in (low, estimate, high))
    known = ~np.isnan(low) | ~np.isnan(high)
    assert not (known & np.isnan(estimate)).any()
    assert (np.isnan(low) == np.isnan(high)).all()
    ok = known & ~np.isnan(estimate)
    assert (low[ok] <= estimate[ok]).all() and (estimate[ok] <= high[ok]).all()


def _direct_counts(scores: pd.DataFrame) -> pd.DataFrame:
    """Pass / excellent / low counts by plain comparison with 60 %, 85 % and 40 % of full."""
    sat = scores[scores["status"].eq("sat")]
    share = sat["score"] / sat["full_mark"]
    flags = sat.assign(n_pass=share >= 0.6, n_excellent=share >= 0.85, n_low=share < 0.4, n=1)
    return flags.groupby(["class_id", "subject"])[["n", "n_pass", "n_excellent", "n_low"]].sum()


def examples(n: int):
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@examples(40)
@given(grades())
def test_rates_and_their_intervals(scores):
    table = qk.summary(scores)
    direct = _direct_counts(scores)
    for r in table.itertuples():
        n = direct.loc[(r.class_id, r.subject)] if (r.class_id, r.subject) in direct.index else None
        assert r.n_sat == (0 if n is None else n["n"])
        if r.n_sat == 0:  # a class absent from the subject: no rate, no interval
            assert all(np.isnan(getattr(r, f"{rate}{end}")) for rate in RATES
                       for end in ("", "_low", "_high"))
            continue
        for rate, count in zip(RATES, ("n_pass", "n_excellent", "n_low")):
            assert getattr(r, count) == n[count]
            p = getattr(r, rate)
            assert p == n[count] / n["n"]
            lo, hi = getattr(r, f"{rate}_low"), getattr(r, f"{rate}_high")
            assert 0.0 <= lo <= p <= hi <= 1.0
    ap = qk.all_pass_rate(scores)
    sat = scores[scores["status"].eq("sat")]
    passed_all = (sat["score"] / sat["full_mark"] >= 0.6).groupby(
        [sat["class_id"], sat["student_id"]]).all().groupby(level=0).agg(["size", "sum"])
    for r in ap.itertuples():
        assert (r.n_students, r.n_all_pass) == tuple(passed_all.loc[r.class_id])
        assert 0.0 <= r.all_pass_rate_low <= r.all_pass_rate <= r.all_pass_rate_high <= 1.0


# Games–Howell costs ~0.3 s a pair (scipy's studentized range), hence one subject here
@examples(10)
@given(grades(subjects=("数学",)))
def test_comparison_bands_and_standard_scores(scores):
    cmp = qk.compare_classes(scores)
    c = cmp.classes
    _in_order(c["mean_low"], c["mean"], c["mean_high"])
    _in_order(c["diff_low"], c["diff"], c["diff_high"])
    assert (c.loc[c["n_sat"] < 2, "reading"] == "人数太少，无法比较").all()
    assert (c["significant"] == ((c["diff_low"] > 0) | (c["diff_high"] < 0))).all()
    _in_order(cmp.pairs["diff_low"], cmp.pairs["diff"], cmp.pairs["diff_high"])
    sat = scores[scores["status"].eq("sat")]
    assert c.set_index(["subject", "class_id"])["n_sat"].sort_index().tolist() == \
        sat.groupby(["subject", "class_id"]).size().sort_index().tolist()
    bands = qk.score_bands(scores)
    counted = bands.groupby(["class_id", "subject"])["count"].sum()
    expected = sat.groupby(["class_id", "subject"]).size()
    assert counted[counted > 0].sort_index().equals(expected.sort_index())
    z = qk.standardize(scores)
    for _, part in z[z["z"].notna()].groupby("subject"):
        assert abs(part["z"].mean()) < 1e-9 and part["z"].std(ddof=1) == pytest.approx(1.0)
    assert z.loc[scores["status"].ne("sat"), "z"].isna().all()


@examples(6)
@given(grades())
def test_the_charts_of_the_term_report_draw(scores):
    by_class = qk.summary(scores)
    teachers = qk.teacher_table(scores, teacher_frame(scores))
    # the class table does not depend on the post-hoc test; Tukey's pairs are checked too
    cmp = qk.compare_classes(scores, posthoc="tukey")
    _in_order(cmp.pairs["diff_low"], cmp.pairs["diff"], cmp.pairs["diff_high"])
    figures = [qk.plot_rates(by_class), qk.plot_class_means(cmp.classes),
               qk.plot_score_bands(qk.score_bands(scores)), qk.plot_distributions(scores),
               qk.plot_teachers(teachers)]
    try:
        for fig in figures:
            if fig is not None:
                fig.canvas.draw()  # error bars and text are laid out only when drawn
        assert figures[0] is not None  # every grade has a 三率 table
    finally:
        plt.close("all")


def earlier(scores: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Last term for the same pupils: the score moved by up to a fifth of the paper, some of
    last term's absentees sat this time and the other way round."""
    rng = np.random.default_rng(seed)
    full = scores["full_mark"].to_numpy(float)
    moved = scores["score"] + rng.integers(-4, 5, len(scores)) * full / 20
    prior = scores.assign(exam="2024-2025-2 期末", score=moved.clip(0, full))
    absent = rng.random(len(prior)) < 0.05
    prior.loc[absent, "score"] = np.nan
    prior["status"] = np.where(prior["score"].isna(), "absent", "sat")
    return prior


@examples(20)
@given(grades(), st.integers(0, 2**32 - 1))
def test_value_added_and_growth_intervals_hold_their_estimates(scores, seed):
    before = earlier(scores, seed)
    va = qk.value_added(scores, before)
    u = va.units
    assert set(va.models["subject"]) == set(scores["subject"])  # every subject has a reading
    _in_order(u["low"], u["estimate"], u["high"])
    _in_order(u["ols_low"], u["ols"], u["ols_high"])
    if len(u):
        n_units = u.groupby("subject")["class_id"].transform("size")
        assert (1 <= u["rank_low"]).all() and (u["rank_high"] <= n_units).all()
        _in_order(u["rank_low"], u["rank"].astype(float), u["rank_high"])
    g = qk.growth_percentiles(scores, before, standard=qk.Standard(sgp_min_students=20))
    _in_order(g.groups["median_low"], g.groups["median_sgp"], g.groups["median_high"])
    assert g.students["sgp"].dropna().between(1, 99).all()


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_interval_holds_its_rate(k, extra, confidence):
    n = k + extra
    lo, hi = qk.wilson_interval(k, n, confidence)
    if n == 0:
        assert np.isnan(lo) and np.isnan(hi)
    else:
        assert 0.0 <= lo <= k / n <= hi <= 1.0
