"""体质健康分析 on a small hand-made set: every count below is a hand count; intervals are checked
against statsmodels (Wilson) and scipy (Welch, paired t)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from qualitykit.fitness.analysis import (
    bmi_categories,
    compare_fitness_classes,
    failing_pupils,
    fitness_change,
    fitness_rates,
    item_means,
    item_rates,
)

# student, class, sex, 学年总分, 等级, BMI category
NOW = [("a1", "5-1", "男", 92.0, "优秀", "正常"), ("a2", "5-1", "女", 85.0, "良好", "超重"),
       ("a3", "5-1", "男", 70.0, "及格", "正常"), ("a4", "5-1", "女", 50.0, "不及格", "肥胖"),
       ("b1", "5-2", "男", 95.0, "优秀", "正常"), ("b2", "5-2", "女", 91.0, "优秀", "低体重"),
       ("b3", "5-2", "男", 65.0, "及格", "正常"), ("b4", "5-2", "女", np.nan, np.nan, "正常")]
BEFORE = {"a1": (88.0, "良好"), "a2": (80.0, "良好"), "a3": (72.0, "及格"), "a4": (55.0, "不及格"),
          "b1": (90.0, "优秀"), "b2": (85.0, "良好"), "b4": (60.0, "及格")}


def _pupils(rows, grade):
    return pd.DataFrame(rows, columns=["student_id", "class_id", "sex", "total_score", "level",
                                       "bmi_category"]).assign(
        grade=grade, name=lambda d: "张" + d["student_id"])


def _items(pupils, scores):
    """Two items per pupil: (sprint score, sprint level, rope score, rope level)."""
    rows = []
    for p in pupils.itertuples():
        s1, l1, s2, l2 = scores[p.student_id]
        rows += [{"student_id": p.student_id, "name": p.name, "grade": p.grade,
                  "class_id": p.class_id, "sex": p.sex, "item": "sprint_50m",
                  "value": 9 + s1 / 100, "score": s1, "level": l1},
                 {"student_id": p.student_id, "name": p.name, "grade": p.grade,
                  "class_id": p.class_id, "sex": p.sex, "item": "rope_skipping",
                  "value": s2 + 50.0, "score": s2, "level": l2}]
    return pd.DataFrame(rows)


ITEM_SCORES = {"a1": (90, "优秀", 95, "优秀"), "a2": (80, "良好", 85, "良好"),
               "a3": (70, "及格", 50, "不及格"), "a4": (40, "不及格", 30, "不及格"),
               "b1": (100, "优秀", 90, "优秀"), "b2": (95, "优秀", 90, "优秀"),
               "b3": (62, "及格", 66, "及格"), "b4": (78, "及格", 80, "良好")}


@pytest.fixture
def now():
    pupils = _pupils(NOW, 5)
    return SimpleNamespace(pupils=pupils, items=_items(pupils, ITEM_SCORES))


@pytest.fixture
def before():
    rows = [(s, "4-1", "男", t, lvl, "正常") for s, (t, lvl) in BEFORE.items()]
    pupils = _pupils(rows, 4)
    previous = {s: (v[0] - 10, "及格", v[2] - 5, "及格") for s, v in ITEM_SCORES.items()}
    return SimpleNamespace(pupils=pupils, items=_items(pupils, previous))


def test_rates_by_class_are_the_hand_counts_with_wilson_intervals(now):
    rates = fitness_rates(now.pupils, by=("grade", "class_id")).set_index("class_id")
    a, b = rates.loc["5-1"], rates.loc["5-2"]
    assert (a["n"], a["n_incomplete"], a["n_excellent"], a["n_good"], a["n_pass_level"], a["n_fail"]) \
        == (4, 0, 1, 1, 1, 1)
    assert (b["n"], b["n_incomplete"], b["n_excellent"], b["n_pass_level"], b["n_fail"]) == (3, 1, 2, 1, 0)
    assert a["excellent_rate"] == 0.25 and a["excellent_good_rate"] == 0.5
    assert a["mean_total_score"] == (92 + 85 + 70 + 50) / 4 and b["mean_total_score"] == (95 + 91 + 65) / 3
    assert a["pass_rate"] == 0.75 and a["fail_rate"] == 0.25
    assert b["excellent_rate"] == pytest.approx(2 / 3) and b["pass_rate"] == 1.0
    lo, hi = proportion_confint(3, 4, method="wilson")  # statsmodels, independent
    assert (a["pass_rate_low"], a["pass_rate_high"]) == pytest.approx((lo, hi))
    lo, hi = proportion_confint(2, 3, method="wilson")
    assert (b["excellent_rate_low"], b["excellent_rate_high"]) == pytest.approx((lo, hi))


def test_rates_by_sex_and_for_the_school(now):
    by_sex = fitness_rates(now.pupils, by="sex").set_index("sex")
    # 男: a1 优秀, a3 及格, b1 优秀, b3 及格 -> 2/4 优秀, 4/4 及格
    assert by_sex.loc["男", "excellent_rate"] == 0.5 and by_sex.loc["男", "pass_rate"] == 1.0
    # 女: a2 良好, a4 不及格, b2 优秀 (b4 incomplete) -> n 3, 1 不及格
    assert by_sex.loc["女", "n"] == 3 and by_sex.loc["女", "fail_rate"] == pytest.approx(1 / 3)
    school = fitness_rates(now.pupils, by=())
    assert len(school) == 1 and school["n"].iloc[0] == 7 and school["n_incomplete"].iloc[0] == 1


def test_item_rates_count_the_item_levels(now):
    rates = item_rates(now.items, by="class_id").set_index(["item", "class_id"])
    rope = rates.loc[("rope_skipping", "5-1")]  # a1 优秀, a2 良好, a3 不及格, a4 不及格
    assert (rope["n"], rope["n_excellent"], rope["n_good"], rope["n_fail"]) == (4, 1, 1, 2)
    assert rope["pass_rate"] == 0.5 and rope["mean_score"] == (95 + 85 + 50 + 30) / 4
    sprint = rates.loc[("sprint_50m", "5-2")]  # b1, b2 优秀, b3, b4 及格
    assert sprint["excellent_rate"] == 0.5 and sprint["fail_rate"] == 0.0


def test_bmi_categories_by_class_are_the_hand_counts(now):
    bmi = bmi_categories(now.pupils, by="class_id").set_index(["class_id", "bmi_category"])
    assert bmi.loc[("5-1", "正常"), "count"] == 2 and bmi.loc[("5-1", "低体重"), "count"] == 0
    assert bmi.loc[("5-1", "肥胖"), "share"] == 0.25 and bmi.loc[("5-2", "正常"), "n_students"] == 4
    lo, hi = proportion_confint(3, 4, method="wilson")
    assert (bmi.loc[("5-2", "正常"), "share_low"], bmi.loc[("5-2", "正常"), "share_high"]) == \
        pytest.approx((lo, hi))


def test_failing_pupils_per_item_and_masked(now):
    fail = failing_pupils(now.items)
    assert list(zip(fail["item"], fail["student_id"])) == [
        ("rope_skipping", "a3"), ("rope_skipping", "a4"), ("sprint_50m", "a4")]
    assert failing_pupils(now.items, mask=True)["name"].tolist() == ["张＊＊"] * 3


def test_classes_against_the_grade_are_welchs_test_against_the_rest(now):
    comparison = compare_fitness_classes(now.pupils)
    row = comparison.classes.set_index("class_id").loc["5-1"]
    a = np.array([92.0, 85, 70, 50])
    rest = np.array([95.0, 91, 65])  # b4 has no 学年总分
    assert row["diff"] == pytest.approx(a.mean() - np.r_[a, rest].mean())
    p = stats.ttest_ind(a, rest, equal_var=False).pvalue
    assert row["p_value"] == pytest.approx(min(1.0, 2 * p))  # Bonferroni over 2 classes
    assert row["diff_low"] < 0 < row["diff_high"]


def test_change_since_last_year_pairs_the_same_pupils(now, before):
    change = fitness_change(now, before, by="class_id")
    total = change.changes[change.changes["item"] == "total_score"].set_index("class_id")
    diffs = np.array([92 - 88, 85 - 80, 70 - 72, 50 - 55.0])
    a = total.loc["5-1"]
    assert a["n"] == 4 and a["mean_change"] == pytest.approx(diffs.mean())
    ci = stats.ttest_rel(np.array([92, 85, 70, 50.0]), np.array([88, 80, 72, 55.0])) \
        .confidence_interval()
    assert (a["change_low"], a["change_high"]) == pytest.approx((ci.low, ci.high))
    assert a["reading"] == "无明显变化"
    assert total.loc["5-2", "n"] == 2  # b1, b2; b3 new, b4 without a 学年总分 now
    assert change.matched.set_index("student_id").loc["b3", "matched"] == np.False_
    moves = change.moves.set_index(["class_id", "level_before", "level_now"])["count"]
    assert moves.loc[("5-1", "良好", "优秀")] == 1 and moves.loc[("5-2", "良好", "优秀")] == 1
    assert moves.loc[("5-1", "不及格", "不及格")] == 1 and moves.sum() == 6
    sprint = change.changes.set_index(["class_id", "item"]).loc[("5-1", "sprint_50m")]
    # every pupil's sprint score rose by exactly 10: no spread, the change is certain
    assert sprint["mean_change"] == 10 and sprint["reading"] == "提高"
    assert (sprint["change_low"], sprint["change_high"]) == (10, 10)


def test_item_means_by_grade_and_sex(now):
    means = item_means(now.items).set_index(["item", "sex"])
    girls_rope = [85 + 50.0, 30 + 50, 90 + 50, 80 + 50]
    assert means.loc[("rope_skipping", "女"), "mean"] == pytest.approx(np.mean(girls_rope))
    assert means.loc[("rope_skipping", "女"), "sd"] == pytest.approx(np.std(girls_rope, ddof=1))
    assert means.loc[("sprint_50m", "男"), "n"] == 4
