"""三率一分 checked against hand computation (comments give the arithmetic)."""

import math
import statistics

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk


def frame(rows, exam="期末"):
    out = pd.DataFrame(rows, columns=["student_id", "class_id", "subject", "score", "status",
                                      "full_mark", "grade"])
    out["exam"] = exam
    return out


BOUNDARY = frame([
    ("1", "5-1", "数学", 100, "sat", 100, 5), ("2", "5-1", "数学", 85, "sat", 100, 5),
    ("3", "5-1", "数学", 84.9, "sat", 100, 5), ("4", "5-1", "数学", 60, "sat", 100, 5),
    ("5", "5-1", "数学", 59.5, "sat", 100, 5), ("6", "5-1", "数学", 0, "sat", 100, 5),
    ("7", "5-1", "数学", np.nan, "absent", 100, 5),
])


def test_boundaries_zeros_and_absentees_by_hand():
    s = qk.summary(BOUNDARY).iloc[0]
    sat = [100, 85, 84.9, 60, 59.5, 0]
    assert (s.n_enrolled, s.n_sat, s.n_absent) == (7, 6, 1)  # the absentee is enrolled, not sat
    assert s["mean"] == pytest.approx(389.4 / 6)
    assert s["sd"] == pytest.approx(statistics.stdev(sat))
    assert s["median"] == pytest.approx((60 + 84.9) / 2)
    assert s.pass_rate == pytest.approx(4 / 6)  # 60 is on the line and passes; 59.5 does not
    assert s.excellent_rate == pytest.approx(2 / 6)  # 85 is on the line; 84.9 is not
    assert s.low_rate == pytest.approx(1 / 6)  # the real 0 counts as a low score
    assert s.full_mark_rate == pytest.approx(1 / 6)
    assert s.difficulty == pytest.approx(389.4 / 6 / 100)
    assert s.cv == pytest.approx(statistics.stdev(sat) / (389.4 / 6))
    # 综合分 0.4·均分率 + 0.3·及格率 + 0.3·优秀率, on 0–100
    assert s.composite == pytest.approx(100 * (0.4 * 0.649 + 0.3 * 4 / 6 + 0.3 * 2 / 6))


def test_wilson_interval_matches_the_textbook_value():
    # Wilson 95 % interval for 8/10: 0.4902–0.9433, and statsmodels' independent implementation
    from statsmodels.stats.proportion import proportion_confint

    s = qk.summary(frame([(str(i), "a", "语文", 90 if i < 8 else 10, "sat", 100, 5) for i in range(10)]))
    assert (round(s.pass_rate_low[0], 4), round(s.pass_rate_high[0], 4)) == (0.4902, 0.9433)
    for k, n in [(0, 5), (3, 7), (45, 46), (46, 46)]:
        lo, hi = qk.wilson_interval(k, n)
        assert (lo, hi) == pytest.approx(proportion_confint(k, n, method="wilson"))


def test_wilson_bounds_are_statsmodels_held_to_their_rate_for_every_class_size():
    # every k of every class of 1–60 pupils: statsmodels' Wilson bounds wherever they already
    # contain p = k/n, and always 0 <= low <= p <= high <= 1 exactly (0 % and 100 % included:
    # statsmodels gives 1.4e-17 for 0/28 and 0.9999999999999999 for 28/28)
    from statsmodels.stats.proportion import proportion_confint

    n = np.concatenate([np.full(m + 1, m) for m in range(1, 61)])
    k = np.concatenate([np.arange(m + 1) for m in range(1, 61)])
    lo, hi = qk.wilson_interval(k, n)
    ref_lo, ref_hi = proportion_confint(k, n, method="wilson")
    p = k / n
    assert ((0 <= lo) & (lo <= p) & (p <= hi) & (hi <= 1)).all()
    inside = (ref_lo <= p) & (p <= ref_hi)
    assert np.abs(lo - ref_lo)[inside].max() <= 1e-12
    assert np.abs(hi - ref_hi)[inside].max() <= 1e-12
    crossed = ~inside  # only a rounding hair at 0 % and 100 %, held at the rate
    assert set(k[crossed & (ref_lo > p)]) <= {0} and set((n - k)[crossed & (ref_hi < p)]) <= {0}
    assert (lo[k == 0] == 0).all() and (hi[k == n] == 1).all()
    assert np.abs(np.concatenate([lo - ref_lo, hi - ref_hi])).max() < 1e-15
    lo0, hi0 = qk.wilson_interval([0, 3], [0, 0])  # nobody sat: no interval
    assert np.isnan(lo0).all() and np.isnan(hi0).all()


def test_line_of_a_150_point_paper_and_lower_primary_excellence():
    s = qk.summary(frame([("1", "a", "语文", 90, "sat", 150, 7), ("2", "a", "语文", 89.5, "sat", 150, 7)]))
    assert s.pass_rate[0] == 0.5  # 60 % of 150 = 90 exactly (no binary rounding loss)
    s = qk.summary(frame([("1", "a", "语文", 88, "sat", 100, 1), ("2", "a", "语文", 90, "sat", 100, 1)]))
    assert s.excellent_rate[0] == 0.5  # grades 1–2 use 90 % for 优秀


def test_competition_rank_with_ties():
    rows = []
    for cls, scores in {"5-1": [80, 90], "5-2": [90, 80], "5-3": [50, 60], "5-4": [95, 95]}.items():
        rows += [(f"{cls}{i}", cls, "数学", x, "sat", 100, 5) for i, x in enumerate(scores)]
    s = qk.summary(frame(rows)).set_index("class_id")["rank"]
    assert s.to_dict() == {"5-1": 2, "5-2": 2, "5-3": 4, "5-4": 1}


def test_above_mean_rate_variants():
    rows = [("1", "a", "语", 80, "sat", 100, 5), ("2", "a", "语", 60, "sat", 100, 5),
            ("3", "b", "语", 40, "sat", 100, 5), ("4", "b", "语", 100, "sat", 100, 5)]
    # grade mean 70; class a mean 70 → 0; class b mean 70 → 0
    assert qk.summary(frame(rows))["above_mean_rate"].tolist() == [0.0, 0.0]
    share = qk.summary(frame(rows), standard=qk.Standard(above_mean_variant="share_above"))
    assert share["above_mean_rate"].tolist() == [0.5, 0.5]  # 80 in a; 100 in b
    rel = qk.summary(frame(rows), standard=qk.Standard(above_mean_variant="relative_rate"))
    # pass rates: a 2/2, b 1/2, grade 3/4 → (1 − .75)/.75, (.5 − .75)/.75
    assert rel["above_mean_rate"].tolist() == pytest.approx([1 / 3, -1 / 3])


def test_all_pass_rate_ignores_absent_subjects():
    rows = [("1", "a", "语文", 70, "sat", 100, 5), ("1", "a", "数学", 65, "sat", 100, 5),
            ("2", "a", "语文", 70, "sat", 100, 5), ("2", "a", "数学", 50, "sat", 100, 5),
            ("3", "a", "语文", 90, "sat", 100, 5), ("3", "a", "数学", np.nan, "absent", 100, 5),
            ("4", "a", "语文", np.nan, "absent", 100, 5)]
    t = qk.all_pass_rate(frame(rows)).iloc[0]
    assert (t.n_students, t.n_all_pass) == (3, 2)  # student 4 sat nothing; 3 passed what he sat
    assert t.all_pass_rate == pytest.approx(2 / 3)
    comp = qk.summary(frame(rows), by=["class_id", "subject"], standard="primary_grade")
    assert comp["all_pass_rate"].tolist() == pytest.approx([2 / 3, 2 / 3])


def test_standard_presets_toml_and_validation(tmp_path):
    assert set(qk.PRESETS) >= {"default", "county_teacher", "pass_focus", "primary_grade"}
    assert all(p.source for p in qk.PRESETS.values())
    path = tmp_path / "我校.toml"
    path.write_text('preset = "county_teacher"\npass_line = 0.6\nexcellent_line = 0.8\n'
                    'full_marks = { "语文" = 120 }\n', encoding="utf-8")
    std = qk.get_standard(path)
    assert (std.excellent_line, std.composite_weights["mean"], std.full_marks["语文"]) == (0.8, 0.5, 120)
    with pytest.raises(ValueError, match="low_line ≤ pass_line ≤ excellent_line"):
        qk.Standard(pass_line=0.9, excellent_line=0.85)
    with pytest.raises(ValueError, match="composite_weights 中有未知的指标"):
        qk.Standard(composite_weights={"bogus": 1})
    with pytest.raises(ValueError, match="standard 应为预设名"):
        qk.get_standard("nope")


def test_summary_errors_and_exam_grouping():
    with pytest.raises(ValueError, match=r"by= 中的列 \['teacher'\] 不在成绩表中"):
        qk.summary(BOUNDARY, by=["teacher"])
    two = pd.concat([BOUNDARY, BOUNDARY.assign(exam="期中")])
    assert qk.summary(two)["exam"].tolist() == ["期中", "期末"]


def test_templates_standard_toml_loads():
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "templates" / "standard.toml"
    std = qk.get_standard(path)
    assert math.isclose(std.pass_line, 0.6)


def test_double_high_check_by_hand():
    rows = []
    # 语文: 10 of 10 pass; 数学: 9 of 10 pass (exactly 90 %, on the line)
    for i in range(10):
        rows.append((str(i), "a", "语文", 70, "sat", 100, 5))
        rows.append((str(i), "a", "数学", 50 if i == 0 else 70, "sat", 100, 5))
    s = frame(rows).assign(school="X")
    t = qk.double_high_check(s).iloc[0]
    assert t.min_pass_rate == pytest.approx(0.9) and t.weakest_subject == "数学"
    assert t.meets_subject and t.subjects_below == ""
    assert t.all_pass_rate == pytest.approx(0.9) and t.meets_all and t.meets
    # a failure in 语文 by another student: 语文 still 9/10 = 90 %, but all-pass 8/10 < 85 %
    s.loc[(s.student_id == "1") & (s.subject == "语文"), "score"] = 10
    t = qk.double_high_check(s).iloc[0]
    assert t.meets_subject and t.all_pass_rate == pytest.approx(0.8) and not t.meets
    # and a second one: 语文 8/10 < 90 %
    s.loc[(s.student_id == "2") & (s.subject == "语文"), "score"] = 10
    t = qk.double_high_check(s).iloc[0]
    assert not t.meets_subject and t.subjects_below == "语文"


def test_rank_relative_lines():
    # 优秀 = top 20 % of 10 sitters = 2 students; the third ties with the second and is in too
    s = frame([(str(i), "a", "语文", v, "sat", 100, 5)
               for i, v in enumerate([95, 90, 90, 80, 70, 60, 50, 40, 30, 20])])
    std = qk.Standard(rank_lines={"excellent": 0.2})
    assert qk.summary(s, standard=std).excellent_rate[0] == pytest.approx(0.3)
    assert qk.cut_lines(s, standard=std).excellent_line[0] == 90
    with pytest.raises(ValueError, match="rank_lines"):
        qk.Standard(rank_lines={"low": 0.2})
