"""等级分析 on sheets graded in levels only (一、二年级): every count below is a hand count of the
sheet written in the test; intervals are checked against statsmodels, tests against hand
formulas and scipy on hand-coded pupils."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import qualitykit as qk

HEADER = ["学号", "姓名", "班级", "语文", "数学"]
# words with their synonyms in 语文, letters (A+, A-, E) in 数学; 缺考 and 请假 are not sat
NOW = [HEADER,
       ["1", "甲一", "一(1)班", "优秀", "A+"],
       ["2", "甲二", "一(1)班", "优", "A"],
       ["3", "甲三", "一(1)班", "良好", "B"],
       ["4", "甲四", "一(1)班", "及格", "C"],
       ["5", "甲五", "一(1)班", "待提高", "缺考"],
       ["6", "甲六", "一(1)班", "合格", "E"],
       ["7", "乙一", "一(2)班", "良", "D"],
       ["8", "乙二", "一(2)班", "待合格", "B"],
       ["9", "乙三", "一(2)班", "请假", "A-"],
       ["10", "乙四", "一(2)班", "优秀", "C"],
       ["11", "乙五", "一(2)班", "不合格", "B"]]
BEFORE = [["学号", "姓名", "班级", "语文"],
          ["1", "甲一", "一(1)班", "良好"], ["2", "甲二", "一(1)班", "优秀"],
          ["3", "甲三", "一(1)班", "良好"], ["4", "甲四", "一(1)班", "待合格"],
          ["5", "甲五", "一(1)班", "合格"], ["6", "甲六", "一(1)班", "合格"],
          ["7", "乙一", "一(2)班", "良好"], ["8", "乙二", "一(2)班", "合格"],
          ["9", "乙三", "一(2)班", "优秀"], ["10", "乙四", "一(2)班", "优秀"],
          ["11", "乙五", "一(2)班", "待合格"]]
# hand counts: (class, subject) -> enrolled, 优秀, 良好, 合格, 待合格
HAND = {("1-1", "语文"): (6, 2, 1, 2, 1),  # 优秀 优 | 良好 | 及格 合格 | 待提高
        ("1-1", "数学"): (6, 2, 1, 1, 1),  # A+ A | B | C | E   (缺考 not sat)
        ("1-2", "语文"): (5, 1, 1, 0, 2),  # 优秀 | 良 | – | 待合格 不合格   (请假 not sat)
        ("1-2", "数学"): (5, 1, 2, 1, 1)}  # A- | B B | C | D


@pytest.fixture
def sheets(xlsx):
    now = xlsx({"一年级": NOW}, name="一年级期中.xlsx")
    before = xlsx({"一年级": BEFORE}, name="一年级上学期期末.xlsx")
    return now, before


@pytest.fixture
def scores(sheets):
    return qk.read_scores(sheets[0], exam="2025-2026-2 期中", grade=1)


def test_the_sheet_imports_as_levels(scores):
    sat = scores[scores["status"].eq("sat")]
    assert sat["score"].isna().all() and sat["level"].notna().all()
    assert qk.level_subjects(scores) == ["语文", "数学"]


def test_level_counts_and_shares_equal_the_hand_count(scores):
    t = qk.level_summary(scores).set_index(["class_id", "subject"])
    assert len(t) == len(HAND)
    for key, (enrolled, *counts) in HAND.items():
        row = t.loc[key]
        n = sum(counts)
        assert (row["n_enrolled"], row["n_sat"], row["n_absent"]) == (enrolled, n, enrolled - n)
        got = [row[f"n_{lid}"] for lid in qk.LEVEL_IDS]
        assert got == counts, key
        assert [row[f"share_{lid}"] for lid in qk.LEVEL_IDS] == pytest.approx(
            [c / n for c in counts])
        assert row["excellent_rate"] == pytest.approx(counts[0] / n)
        assert row["good_rate"] == pytest.approx((counts[0] + counts[1]) / n)
        assert row["satisfactory_rate"] == pytest.approx(sum(counts[:3]) / n)
        assert row["basis"] == "level"


def test_level_rate_intervals_are_statsmodels_wilson(scores):
    t = qk.level_summary(scores)
    for rate, upto in (("excellent_rate", 1), ("good_rate", 2), ("satisfactory_rate", 3)):
        count = sum(t[f"n_{lid}"] for lid in qk.LEVEL_IDS[:upto])
        lo, hi = proportion_confint(count, t["n_sat"], alpha=0.05, method="wilson")
        np.testing.assert_allclose(t[f"{rate}_low"], lo, rtol=1e-12)
        np.testing.assert_allclose(t[f"{rate}_high"], hi, rtol=1e-12)


def test_grade_totals_by_subject(scores):
    t = qk.level_summary(scores, by="subject").set_index("subject")
    assert t.loc["语文", ["n_sat", "n_excellent", "n_unsatisfactory"]].tolist() == [10, 3, 3]
    assert t.loc["数学", "satisfactory_rate"] == pytest.approx(8 / 10)  # E and D are 待合格


def test_the_letter_scheme_comes_from_the_standard(scores):
    std = qk.Standard(level_letters={"A": "优秀", "B": "良好", "C": "合格", "D": "合格",
                                     "E": "待合格"})
    t = qk.level_summary(scores, standard=std).set_index(["class_id", "subject"])
    assert [t.loc[("1-2", "数学"), f"n_{lid}"] for lid in qk.LEVEL_IDS] == [1, 2, 2, 0]
    with pytest.raises(ValueError, match="level_letters"):
        qk.level_summary(scores, standard=qk.Standard(
            level_letters={"A": "优秀", "B": "良好", "C": "合格", "D": "待合格"}))  # no E
    with pytest.raises(ValueError, match="level_letters"):
        qk.Standard(level_letters={"A": "甲等"})


def test_level_letters_from_a_school_toml(tmp_path):
    path = tmp_path / "我校.toml"
    path.write_text('level_letters = { A = "优秀", B = "良好", C = "合格", D = "合格", '
                    'E = "待合格" }\n', encoding="utf-8")
    codes = qk.level_codes(pd.Series(["A+", "D", "E"]), qk.get_standard(path))
    assert codes.tolist() == [0, 2, 3]


def test_summary_takes_its_rates_from_the_levels_and_says_so(scores):
    s = qk.summary(scores).set_index(["class_id", "subject"])
    for key, (enrolled, *counts) in HAND.items():
        row = s.loc[key]
        n = sum(counts)
        assert row["basis"] == "level"
        assert (row["n_enrolled"], row["n_sat"]) == (enrolled, n)
        assert row["pass_rate"] == pytest.approx(sum(counts[:3]) / n)  # 合格 or better
        assert row["excellent_rate"] == pytest.approx(counts[0] / n)
        assert np.isnan(row["mean"]) and np.isnan(row["low_rate"]) and pd.isna(row["rank"])
    lo, hi = proportion_confint(5, 6, alpha=0.05, method="wilson")
    assert s.loc[("1-1", "语文"), ["pass_rate_low", "pass_rate_high"]].tolist() == \
        pytest.approx([lo, hi])


def test_summary_of_a_score_sheet_is_unchanged_and_says_score():
    s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    table = qk.summary(s)
    assert set(table["basis"]) == {"score"}
    assert (table["n_sat"] == table["n_enrolled"] - table["n_absent"]).all()


def test_compare_levels_tests_match_hand_formulas(scores):
    c = qk.compare_levels(scores)
    om = c.omnibus.set_index("subject").loc["语文"]
    observed = np.array([[2, 1, 2, 1], [1, 1, 0, 2]], float)  # 1-1, 1-2 语文 (hand count)
    expected = observed.sum(1, keepdims=True) * observed.sum(0) / observed.sum()
    chi2 = ((observed - expected) ** 2 / expected).sum()
    assert om["chi2"] == pytest.approx(chi2) and om["chi2_df"] == 3
    assert om["chi2_p"] == pytest.approx(stats.chi2.sf(chi2, 3))
    assert om["cramers_v"] == pytest.approx(np.sqrt(chi2 / 10))
    # 0 = 优秀 … 3 = 待合格, pupil by pupil as written on the sheet
    kw = stats.kruskal([0, 0, 1, 2, 2, 3], [1, 3, 0, 3])
    assert om["kruskal_h"] == pytest.approx(kw.statistic)
    assert om["kruskal_p"] == pytest.approx(kw.pvalue)
    assert om["sparse"]  # 8 cells, every expected count under 5
    assert "秩和检验" in om["reading"]


def test_class_rates_against_the_grade_with_adjusted_wilson_intervals(scores):
    cl = qk.compare_levels(scores).classes.set_index(["class_id", "subject"])
    row = cl.loc[("1-2", "语文")]
    assert row["satisfactory_rate"] == pytest.approx(2 / 4)
    assert row["grade_satisfactory_rate"] == pytest.approx(7 / 10)
    lo, hi = proportion_confint(2, 4, alpha=0.05 / 2, method="wilson")  # 2 classes: Bonferroni
    assert [row["satisfactory_rate_low"], row["satisfactory_rate_high"]] == pytest.approx([lo, hi])
    assert row["reading"] == "与年级无明显差别"


def test_a_class_clearly_below_the_grade_is_read_so():
    rows = []
    for k, (n_ok, n_low) in enumerate([(38, 2), (39, 1), (38, 2), (15, 25)], start=1):
        levels = ["合格"] * n_ok + ["待合格"] * n_low
        rows += [{"student_id": f"{k}{i:02d}", "class_id": f"1-{k}", "subject": "语文",
                  "exam": "期末", "grade": 1, "score": np.nan, "status": "sat",
                  "full_mark": 100.0, "level": lv} for i, lv in enumerate(levels)]
    c = qk.compare_levels(pd.DataFrame(rows))
    reading = c.classes.set_index("class_id")["reading"]
    assert reading["1-4"] == "合格率低于年级" and reading["1-1"] == "与年级无明显差别"
    assert bool(c.omnibus["significant"].iloc[0])
    f = qk.level_findings(c)
    assert f["class_id"].tolist() == ["", "1-4"] and "低于年级" in f["evidence"].iloc[1]


def test_change_since_the_last_exam_is_a_hand_count(sheets, scores):
    before = qk.read_scores(sheets[1], exam="2025-2026-1 期末", grade=1)
    c = qk.compare_level_exams(scores, before).set_index(["class_id", "subject"])
    assert list(c.index) == [("1-1", "语文"), ("1-2", "语文")]  # 数学 was not on the last sheet
    one, two = c.loc[("1-1", "语文")], c.loc[("1-2", "语文")]
    assert [one[k] for k in ("n_matched", "n_up", "n_same", "n_down")] == [6, 2, 3, 1]
    assert [two[k] for k in ("n_matched", "n_up", "n_same", "n_down")] == [4, 0, 3, 1]  # 9 请假
    assert [one["prev_satisfactory_rate"], one["satisfactory_rate"]] == pytest.approx([5 / 6, 5 / 6])
    assert [one["prev_excellent_rate"], one["excellent_rate"]] == pytest.approx([1 / 6, 2 / 6])
    assert two["satisfactory_change"] == pytest.approx(2 / 4 - 3 / 4)
    assert "rank" not in " ".join(c.columns)  # shares, no ranks
    assert qk.compare_level_exams(scores, None) is None


def test_levels_of_score_subjects_come_from_the_bands():
    s = pd.DataFrame({"student_id": list("abcd"), "class_id": "3-1", "subject": "数学",
                      "grade": 3, "score": [85.0, 84.5, 60.0, 59.5], "status": "sat",
                      "full_mark": 100.0, "level": None})
    t = qk.level_summary(s, by="subject")  # 85/75/60 % for grade 3
    assert [t[f"n_{lid}"].iloc[0] for lid in qk.LEVEL_IDS] == [1, 1, 1, 1]
    assert t["basis"].iloc[0] == "score"


def test_unknown_level_words_are_refused_with_a_fix():
    with pytest.raises(ValueError, match="无法识别"):
        qk.level_codes(pd.Series(["甲"]))


def test_plot_levels_draws_one_panel_per_subject(scores):
    fig = qk.plot_levels(qk.level_summary(scores))
    assert [ax.get_title() for ax in fig.axes] == ["语文：各班级等级分布", "数学：各班级等级分布"]
    # the segments of each bar add up to 100 %
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert sum(widths) == pytest.approx(200)
    assert qk.plot_levels(None) is None
