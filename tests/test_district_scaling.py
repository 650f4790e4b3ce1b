"""等级赋分: a published worked example, hand cases at the band edges, the presets, properties.

Published example (浙江, 2022 选考赋分细化, reported at http://m.ddtbk.com/jiaoyu/246498.html and
http://xw588.com/jiaoyu/238793.html): 赋分区间 87–85 whose 卷面得分区间 is 84–81; a 卷面得分 of
83 gives t = 86.3, 四舍五入 86. (A page at http://m.xuexi1.com/news/800116.html states a 2021
national example, raw 78 in B band 65–83 → 71–85, as “78”; the formula it states gives 81.1, so
that page is not used as a reference.)
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualitykit.district.scaling import (
    SCHEMES,
    ScaleBand,
    ScalingScheme,
    get_scheme,
    scaled_scores,
    scaling_bands,
)


def table(raw, subject="化学", exam="期末"):
    return pd.DataFrame({"student_id": [f"s{i}" for i in range(len(raw))], "subject": subject,
                         "exam": exam, "score": np.asarray(raw, dtype=float), "status": "sat",
                         "full_mark": 150.0})


def by_raw(out):
    return dict(zip(out["score"], zip(out["scale_band"], out["scaled_exact"], out["scaled"])))


def test_zhejiang_published_example_83_in_84_to_81_gives_86():
    # 100 pupils in the 20 intervals' proportions; interval 5 (6 %, 赋分 87–85) holds raw 84..81
    raw = list(range(100, 85, -1)) + [84, 83, 83, 82, 81, 81] + list(range(79, 0, -1))[:79]
    assert len(raw) == 100  # intervals 1–4 hold 3+3+4+5 = 15 pupils, interval 5 the next 6
    out = scaled_scores(table(raw, subject="物理"), scheme="zhejiang2022")
    row = out[out["score"] == 83].iloc[0]
    assert (row["scale_band"], row["raw_high"], row["raw_low"]) == ("5", 84, 81)
    assert (row["scaled_high"], row["scaled_low"]) == (87, 85)
    assert row["scaled_exact"] == pytest.approx(85 + 2 / 3 * 2)  # 86.33…
    assert round(row["scaled_exact"], 1) == 86.3 and row["scaled"] == 86
    assert out.groupby("scale_band")["scaled"].size().sum() == 100


def test_national_hand_case_top_bottom_and_half_up():
    # A: 15 pupils 150..138, 123 and 122 (Y2 = 150, Y1 = 122, span 28); B..E: 121..37
    raw = list(range(150, 137, -1)) + [123, 122] + list(range(121, 36, -1))
    got = by_raw(scaled_scores(table(raw)))
    assert got[150] == ("A", 100, 100) and got[122] == ("A", 86, 86)
    assert got[123][1] == pytest.approx(86.5) and got[123][2] == 87  # half up, not to even
    assert got[149][1] == pytest.approx(99.5) and got[149][2] == 100
    assert got[121] == ("B", 85, 85) and got[87] == ("B", 71, 71)
    assert got[104][1] == pytest.approx(71 + (104 - 87) / (121 - 87) * 14)  # 78.0
    assert got[86][0] == "C" and got[52] == ("C", 56, 56)
    assert got[51][0] == "D" and got[39] == ("D", 41, 41)
    assert got[38] == ("E", 40, 40) and got[37] == ("E", 30, 30)  # bottom raw → 30


def test_empty_bottom_band_leaves_the_lowest_to_the_band_above():
    # 20 pupils: A 3, B 7, C 7; 13 % + 2 % of 20 = 3.4 pupils: D takes the last 3, E is empty
    raw = [98, 95, 90, 88, 85, 80, 79, 75, 72, 70, 69, 65, 60, 58, 55, 50, 45, 40, 35, 30]
    for rule in ("nearest", "include_ties"):
        scheme = ScalingScheme("t", "test", SCHEMES["national2021"].bands, cut_rule=rule)
        out = scaled_scores(table(raw), scheme=scheme)
        got = by_raw(out)
        assert got[95][1] == pytest.approx(86 + (95 - 90) / (98 - 90) * 14)  # 94.75
        assert got[95][2] == 95
        assert got[80][1] == pytest.approx(71 + (80 - 70) / (88 - 70) * 14) and got[80][2] == 79
        assert got[60][1] == pytest.approx(56 + (60 - 45) / (69 - 45) * 14) and got[60][2] == 65
        assert got[35] == ("D", 48, 48) and got[30] == ("D", 41, 41)
        bands = scaling_bands(out, scheme=scheme).set_index("scale_band")
        assert bands["n"].tolist() == [3, 7, 7, 3, 0]
        assert np.isnan(bands.loc["E", "raw_high"]) and bands.loc["E", "scaled_low"] == 30
        assert bands.loc["D", "actual_share"] == pytest.approx(0.15)


def test_ties_at_a_band_edge_stay_together_and_the_rule_decides_where():
    # 40 pupils, 15 % = 6: ranks 6–8 tie at 95
    raw = [100, 99, 98, 97, 96, 95, 95, 95] + list(range(94, 62, -1))
    nearest = scaled_scores(table(raw))  # share at 96: 5/40 (off .025); at 95: 8/40 (off .05)
    assert set(nearest.loc[nearest["score"] == 95, "scale_band"]) == {"B"}
    assert (nearest["scale_band"] == "A").sum() == 5
    ties = ScalingScheme("t", "test", SCHEMES["national2021"].bands, cut_rule="include_ties")
    inclusive = scaled_scores(table(raw), scheme=ties)
    assert set(inclusive.loc[inclusive["score"] == 95, "scale_band"]) == {"A"}
    assert (inclusive["scale_band"] == "A").sum() == 8
    assert set(inclusive.loc[inclusive["score"] == 95, "scaled"]) == {86}


def test_nearest_rule_on_an_exact_tie_takes_the_larger_share():
    raw = [100, 99, 98, 98] + list(range(90, 74, -1))  # 20 pupils; 15 % = 3 → 2/20 or 4/20
    out = scaled_scores(table(raw))
    assert (out["scale_band"] == "A").sum() == 4


def test_single_score_band_gets_its_top_and_groups_are_ranked_apart():
    raw = [90.0] * 3 + list(range(80, 63, -1))  # A: three pupils, all 90
    two = pd.concat([table(raw, subject="化学"), table([r - 50 for r in raw], subject="生物")])
    out = scaled_scores(two)
    assert set(out.loc[out["scale_band"] == "A", "scaled"]) == {100}
    assert out.groupby("subject")["scaled"].max().tolist() == [100, 100]
    assert out["student_id"].tolist() == two["student_id"].tolist()


def test_only_scheme_subjects_and_sitters_are_scaled():
    t = pd.concat([table(range(100, 80, -1), subject="语文"), table(range(100, 80, -1))],
                  ignore_index=True)
    t.loc[t.index[-1], ["status", "score"]] = ["absent", np.nan]
    out = scaled_scores(t)
    assert set(out["subject"]) == {"化学"} and len(out) == 19
    assert len(scaled_scores(t, subjects=["语文"])) == 20
    with pytest.raises(ValueError, match="不在成绩表中"):
        scaled_scores(t, subjects=["物理"])


def test_presets_hold_their_published_ranges():
    assert [(b.label, b.share, b.top, b.bottom) for b in SCHEMES["national2021"].bands] == [
        ("A", .15, 100, 86), ("B", .35, 85, 71), ("C", .35, 70, 56), ("D", .13, 55, 41),
        ("E", .02, 40, 30)]
    zj = SCHEMES["zhejiang2022"].bands
    assert len(zj) == 20 and (zj[0].top, zj[0].bottom, zj[1].top, zj[1].bottom) == (100, 97, 96, 94)
    assert (zj[4].top, zj[4].bottom, zj[4].share) == (87, 85, 0.06)
    assert (zj[-1].top, zj[-1].bottom) == (42, 40)
    sd = SCHEMES["shandong2017"].bands
    assert [(b.top, b.bottom) for b in sd][::7] == [(100, 91), (30, 21)]
    assert get_scheme("national2021") is SCHEMES["national2021"]


@pytest.mark.parametrize("bands, rule, message", [
    ((("A", 0.5, 100, 71), ("B", 0.4, 70, 30)), "nearest", "比例之和"),
    ((("A", 0.5, 100, 70), ("B", 0.5, 70, 30)), "nearest", "低于上一等级"),
    ((("A", 0.5, 60, 70), ("B", 0.5, 50, 30)), "nearest", "上限"),
    ((("A", 0.5, 100, 71), ("B", 0.5, 70, 30)), "closest", "cut_rule"),
    ((("A", 1.0, 100, 30),), "nearest", "至少要有两个等级"),
    ((("A", 0.5, 100),), "nearest", "等级, 比例, 赋分上限, 赋分下限"),
])
def test_a_wrong_scheme_is_refused_in_chinese(bands, rule, message):
    with pytest.raises(ValueError, match=message):
        ScalingScheme("mine", "test", bands, cut_rule=rule)


def test_unknown_scheme_name():
    with pytest.raises(ValueError, match="national2021"):
        scaled_scores(table([1, 2]), scheme="beijing")
    assert isinstance(SCHEMES["national2021"].bands[0], ScaleBand)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 100), min_size=1, max_size=120),
       st.sampled_from(sorted(SCHEMES)), st.sampled_from(["nearest", "include_ties"]))
def test_scaling_keeps_the_order_and_stays_in_range(raw, name, rule):
    base = SCHEMES[name]
    scheme = ScalingScheme(name, "test", base.bands, cut_rule=rule)
    out = scaled_scores(table(raw, subject="物理"), scheme=scheme,
                        subjects=["物理"]).sort_values("score")
    lo, hi = base.bands[-1].bottom, base.bands[0].top
    assert out["scaled"].between(lo, hi).all()
    assert out["scaled_exact"].is_monotonic_increasing  # a higher raw score never scales lower
    assert out.groupby("score")["scale_band"].nunique().eq(1).all()  # ties share a band
    top = out.iloc[-1]  # the top raw score gets its band's top (the full mark unless
    assert top["scaled"] == top["scaled_high"]  # "nearest" leaves the top band empty)
    assert out["scaled"].max() == hi or rule == "nearest"
    inside = out["scaled_exact"].between(out["scaled_low"], out["scaled_high"])
    assert inside.all()
