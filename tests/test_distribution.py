"""分数段, 标准分, 等级 and 总分 ranks checked by hand (comments give the arithmetic)."""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from test_indicators import frame

SCORES = frame([
    ("1", "a", "数学", 100, "sat", 100, 5), ("2", "a", "数学", 90, "sat", 100, 5),
    ("3", "a", "数学", 89.5, "sat", 100, 5), ("4", "a", "数学", 60, "sat", 100, 5),
    ("5", "a", "数学", 0, "sat", 100, 5), ("6", "a", "数学", np.nan, "absent", 100, 5),
])


def test_bands_include_the_lower_edge_and_the_full_mark_in_the_top_band():
    b = qk.score_bands(SCORES, by="subject").set_index("band")
    assert b.loc["90–100", "count"] == 2  # 100 and 90
    assert b.loc["80–<90", "count"] == 1  # 89.5
    assert b.loc["60–<70", "count"] == 1 and b.loc["0–<10", "count"] == 1
    assert b["count"].sum() == 5  # the absentee is not in any band
    assert b.loc["80–<90", "cum_count"] == 3 and b.loc["80–<90", "cum_share"] == pytest.approx(0.6)
    assert b.index[0] == "90–100" and len(b) == 10


def test_custom_bands_and_a_150_point_paper():
    b = qk.score_bands(SCORES, by="subject", edges=[0, 60, 85, 100]).set_index("band")
    # 100, 90, 89.5 ≥ 85; 60 in 60–<85; 0 in 0–<60
    assert b["count"].tolist() == [3, 1, 1]
    with pytest.raises(ValueError, match="从小到大"):
        qk.score_bands(SCORES, by="subject", edges=[0, 60, 50, 100])
    big = frame([("1", "a", "语文", 150, "sat", 150, 7), ("2", "a", "语文", 145, "sat", 150, 7)])
    b = qk.score_bands(big, by="subject")
    assert b["band"].iloc[0] == "140–150" and b["count"].iloc[0] == 2


def test_z_and_t_scores_by_hand():
    s = frame([("1", "a", "语文", 70, "sat", 100, 5), ("2", "a", "语文", 80, "sat", 100, 5),
               ("3", "a", "语文", 90, "sat", 100, 5), ("4", "a", "语文", np.nan, "absent", 100, 5)])
    z = qk.standardize(s)
    # mean 80, sample sd 10 → Z = −1, 0, 1; T = 40, 50, 60; the absentee has none
    assert z["z"].tolist()[:3] == pytest.approx([-1, 0, 1])
    assert z["t"].tolist()[:3] == pytest.approx([40, 50, 60]) and np.isnan(z["z"].iloc[3])
    pop = qk.standardize(s, ddof=0)  # population sd = sqrt(200/3)
    assert pop["z"].iloc[2] == pytest.approx(10 / np.sqrt(200 / 3))
    assert qk.standardize(s, t_mean=500, t_sd=100)["t"].iloc[2] == pytest.approx(600)


def test_standard_total_sums_t_over_subjects_sat():
    s = pd.concat([
        frame([("1", "a", "语文", 70, "sat", 100, 5), ("2", "a", "语文", 90, "sat", 100, 5)]),
        frame([("1", "a", "数学", 100, "sat", 120, 5), ("2", "a", "数学", 80, "sat", 120, 5)]),
    ])
    t = qk.standard_total(s).set_index("student_id")
    # each subject: Z = ±1/√2·… with two students: sd = |a−b|/√2, so Z = ∓0.7071
    zz = 1 / np.sqrt(2)
    assert t.loc["1", "t_total"] == pytest.approx(50 - 10 * zz + 50 + 10 * zz)
    assert t.loc["1", "n_subjects"] == 2


def test_grade_levels_at_the_band_edges():
    s = frame([("1", "a", "语文", 85, "sat", 100, 5), ("2", "a", "语文", 84.5, "sat", 100, 5),
               ("3", "a", "语文", 75, "sat", 100, 5), ("4", "a", "语文", 59.5, "sat", 100, 5),
               ("5", "b", "语文", 90, "sat", 100, 1), ("6", "b", "语文", 89, "sat", 100, 1),
               ("7", "b", "语文", np.nan, "absent", 100, 1)])
    levels = qk.grade_levels(s)["level"].tolist()
    # grades 3–6: 85/75/60 %; grades 1–2: 90/80/60 %
    assert levels[:6] == ["优秀", "良好", "良好", "待合格", "优秀", "良好"]
    assert pd.isna(levels[6])  # no score, no level


def test_student_totals_competition_rank_with_ties():
    s = pd.concat([
        frame([(i, "a", "语文", v, "sat", 100, 5) for i, v in zip("1234", [90, 80, 80, 70])]),
        frame([(i, "a", "数学", v, "sat", 100, 5) for i, v in zip("1234", [90, 85, 85, 60])]),
    ])
    t = qk.student_totals(s).set_index("student_id")
    assert t["total"].tolist() == [180, 165, 165, 130]
    assert t["rank"].tolist() == [1, 2, 2, 4]  # competition rank: 1, 2, 2, 4


def _bands_by_group_loop(scores, by, **options):
    """分数段 as the kit computed it before issue 18's scale work: pandas' group loop, one
    frame per group (the independent value for the one-pass :func:`qk.score_bands`)."""
    import itertools

    import numpy as np

    from qualitykit.schema import sat_mask
    from qualitykit.term.distribution import _band_label, _edges

    frames = []
    for group, part in scores.groupby(by, dropna=False, sort=True):
        x = part.loc[sat_mask(part), "score"].astype(float).to_numpy()
        full = float(part["full_mark"].astype(float).iloc[0])
        cuts = list(options["edges"]) if "edges" in options else _edges(
            full, options.get("width", 10), float(x.max()) if len(x) else options.get("width", 10))
        idx = np.searchsorted(cuts, x, side="right") - 1
        idx = np.where(x == cuts[-1], len(cuts) - 2, idx)
        counts = np.bincount(idx[(idx >= 0) & (idx < len(cuts) - 1)], minlength=len(cuts) - 1)
        rows = [{**dict(zip(by, group)), "band": _band_label(lo, hi, i == len(cuts) - 2),
                 "lower": lo, "upper": hi, "count": int(counts[i])}
                for i, (lo, hi) in enumerate(itertools.pairwise(cuts))][::-1]
        frame = pd.DataFrame(rows)
        frame["share"] = frame["count"] / len(x) if len(x) else np.nan
        frame["cum_count"] = frame["count"].cumsum()
        frame["cum_share"] = frame["cum_count"] / len(x) if len(x) else np.nan
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("by, options", [
    (["class_id", "subject"], {}), (["exam", "subject"], {"width": 20}),
    (["subject"], {"edges": [0, 60, 85, 100]}), (["class_id", "subject"], {"width": 7.5})])
def test_score_bands_equal_the_group_loop(by, options):
    from qualitykit.schema import group_keys
    from qualitykit.subjects import in_teaching_order

    scores = qk.load_sample()
    scores.loc[scores.index[:40], "status"] = "absent"  # a class with fewer sitters
    keys = group_keys(scores, by)  # exam in front: the sample holds several
    want = in_teaching_order(_bands_by_group_loop(scores, keys, **options), keys)
    pd.testing.assert_frame_equal(qk.score_bands(scores, by=by, **options), want,
                                  check_exact=True)
