"""教师综合评价: every component against a hand computation (numpy, statsmodels)."""

import numpy as np
import openpyxl
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import qualitykit as qk
from qualitykit.cycle.evaluation import cv_interval, evaluate_teachers
from qualitykit.io.rankings import read_teacher_scores
from qualitykit.standard import EvaluationRules, Standard

NOW = {"7-1": [95, 90, 88, 85, 80, 78, 75, 70, 65, 60],
       "7-2": [85, 80, 76, 70, 66, 62, 58, 50, 38, 30],
       "7-3": [92, 84, 79, 72, 68, 64, 61, 55, 45, 35]}
BEFORE = {"6-1": [90, 85, 80, 80, 75, 70, 70, 65, 60, 55],
          "6-2": [88, 84, 80, 72, 70, 65, 60, 52, 45, 35],
          "6-3": [85, 80, 75, 70, 65, 60, 55, 50, 40, 30]}
TEACHER_NOW = {"7-1": "甲老师", "7-2": "乙老师", "7-3": "丙老师"}
TEACHER_BEFORE = {"6-1": "甲老师", "6-2": "乙老师", "6-3": "丁老师"}  # 丙老师 is new
Z975 = stats.norm.ppf(0.975)


def _scores(table, exam, grade):
    return pd.DataFrame([{"student_id": f"s{c[-1]}{i}", "name": f"生{c[-1]}{i}", "school": "",
                          "grade": grade, "class_id": c, "subject": "数学", "exam": exam,
                          "score": float(v), "status": "sat", "full_mark": 100.0}
                         for c, vs in table.items() for i, v in enumerate(vs)])


def _teachers():
    rows = [(t, "2025-2026", "1", 7, c) for c, t in TEACHER_NOW.items()]
    rows += [(t, "2024-2025", "2", 6, c) for c, t in TEACHER_BEFORE.items()]
    return pd.DataFrame([{"teacher": t, "teacher_id": "", "school": "", "school_year": y,
                          "term": term, "grade": g, "class_id": c, "class_name": c,
                          "subject": "数学"} for t, y, term, g, c in rows])


@pytest.fixture(scope="module")
def pair():
    return _scores(NOW, "2025-2026-1 期末", 7), _scores(BEFORE, "2024-2025-2 期末", 6)


@pytest.fixture(scope="module")
def result(pair):
    now, before = pair
    return evaluate_teachers(now, _teachers(), previous=before)


def _z(table):
    x = np.concatenate([np.array(v, float) for v in table.values()])
    z = (x - x.mean()) / x.std(ddof=1)
    return {c: z[10 * i:10 * (i + 1)] for i, c in enumerate(table)}


def _row(result, teacher):
    return result.table.set_index("teacher").loc[teacher]


def test_across_is_the_mean_z_with_its_t_interval(result):
    for cls, z in _z(NOW).items():
        row = _row(result, TEACHER_NOW[cls])
        half = stats.t.ppf(0.975, 9) * z.std(ddof=1) / np.sqrt(10)
        assert row["across"] == pytest.approx(z.mean(), abs=1e-12)
        assert (row["across_low"], row["across_high"]) == pytest.approx(
            (z.mean() - half, z.mean() + half))


def test_over_time_against_the_pupils_she_taught_before(result):
    now, before = _z(NOW), _z(BEFORE)
    for cls_now, cls_before in (("7-1", "6-1"), ("7-2", "6-2")):
        row = _row(result, TEACHER_NOW[cls_now])
        change = now[cls_now].mean() - before[cls_before].mean()
        se = np.sqrt(now[cls_now].var(ddof=1) / 10 + before[cls_before].var(ddof=1) / 10)
        assert row["over_time"] == pytest.approx(change)
        assert row["over_time_high"] == pytest.approx(change + Z975 * se)
    assert np.isnan(_row(result, "丙老师")["over_time"])  # taught elsewhere last time
    assert "缺纵向" in _row(result, "丙老师")["note"]


def test_balance_rates_and_cv_by_hand(result):
    low = {"7-1": 0, "7-2": 2, "7-3": 1}  # scores < 40
    below = {"7-1": 0, "7-2": 4, "7-3": 3}  # scores < 60
    for cls, values in NOW.items():
        row = _row(result, TEACHER_NOW[cls])
        x = np.array(values, float)
        assert row["low_rate"] == low[cls] / 10 and row["below_pass"] == below[cls] / 10
        lo, hi = proportion_confint(low[cls], 10, alpha=0.05, method="wilson")
        assert (row["low_rate_low"], row["low_rate_high"]) == pytest.approx((lo, hi))
        lo, hi = proportion_confint(10 - below[cls], 10, alpha=0.05, method="wilson")
        assert (row["below_pass_low"], row["below_pass_high"]) == pytest.approx((1 - hi, 1 - lo))
        assert row["grade_low_rate"] == pytest.approx(3 / 30)
        assert row["balance"] == pytest.approx(3 / 30 - low[cls] / 10)
        cv = x.std(ddof=1) / x.mean()
        assert row["cv"] == pytest.approx(cv)
        half = Z975 * cv * np.sqrt((0.5 + cv ** 2) / 10)
        assert (row["cv_low"], row["cv_high"]) == pytest.approx((cv - half, cv + half))


def test_cv_interval_covers_as_it_says():
    # the normal-theory standard error against the spread of 4000 simulated CVs (n = 50)
    rng = np.random.default_rng(7)
    samples = rng.normal(100, 20, size=(4000, 50))
    cvs = samples.std(axis=1, ddof=1) / samples.mean(axis=1)
    low, high = cv_interval(0.2, 50)
    assert (high - low) / (2 * Z975) == pytest.approx(cvs.std(), rel=0.05)


def test_value_added_is_the_kits_by_teacher(result, pair):
    now, before = pair
    va = qk.value_added(qk.assign_teachers(now, _teachers()), before, by="teacher").units
    for t in TEACHER_NOW.values():
        assert _row(result, t)["value_added"] == pytest.approx(
            va.set_index("teacher").loc[t, "estimate"])


def test_combined_score_by_hand(result, pair):
    t = result.table.set_index("teacher")
    w = {"across": 0.4, "over_time": 0.2, "balance": 0.2, "value_added": 0.2}
    s = {k: t[k].std(ddof=1) for k in w}  # over_time: over the two teachers who have it
    assert result.scales == pytest.approx(s)
    z = _z(NOW)
    se = {"across": {TEACHER_NOW[c]: v.std(ddof=1) / np.sqrt(10) for c, v in z.items()}}
    se["over_time"] = {n: (t.loc[n, "over_time_high"] - t.loc[n, "over_time"]) / Z975
                       for n in ("甲老师", "乙老师")}
    se["balance"] = {n: (t.loc[n, "balance_high"] - t.loc[n, "balance_low"]) / (2 * Z975)
                     for n in t.index}
    se["value_added"] = {n: (t.loc[n, "value_added_high"] - t.loc[n, "value_added_low"])
                         / (2 * Z975) for n in t.index}
    for name in t.index:
        parts = [k for k in w if not np.isnan(t.loc[name, k])]
        total = sum(w[k] for k in parts)  # 丙老师: 0.8 without 纵向
        combined = sum(w[k] / total * t.loc[name, k] / s[k] for k in parts)
        sd = np.sqrt(sum((w[k] / total / s[k]) ** 2 * se[k][name] ** 2 for k in parts))
        assert t.loc[name, "combined"] == pytest.approx(combined)
        assert t.loc[name, "combined_high"] == pytest.approx(combined + Z975 * sd)


def test_overlapping_teachers_are_not_told_apart(result):
    t = result.table.set_index("teacher")
    for a in t.index:
        for b in t.index.drop(a):
            overlap = not (t.loc[b, "combined_low"] > t.loc[a, "combined_high"]
                           or t.loc[b, "combined_high"] < t.loc[a, "combined_low"])
            assert (f"{b}（数学）" in t.loc[a, "not_told_apart"]) == overlap
            assert (f"{b}（数学）" in t.loc[a, "told_apart"]) != overlap


def test_outside_scores_weighted_from_the_standard(pair, tmp_path):
    path = tmp_path / "教学常规检查.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["2025-2026学年第一学期教学常规检查得分"])
    wb.active.append(["序号", "教师", "教学常规检查得分", "问卷"])
    for i, (name, score, survey) in enumerate((("甲老师", 92, 88), ("乙老师", 85, 90),
                                               ("丙老师", 78, 70)), 1):
        wb.active.append([i, name, score, survey])
    wb.save(path)
    outside = read_teacher_scores(path)
    assert outside.set_index("teacher").loc["乙老师", "问卷"] == 90
    std = Standard(evaluation=EvaluationRules(weights={"across": 0.5, "教学常规检查得分": 0.5}))
    now, _ = pair
    t = evaluate_teachers(now, _teachers(), outside=outside, standard=std).table
    t = t.set_index("teacher")
    s_across, s_check = t["across"].std(ddof=1), t["教学常规检查得分"].std(ddof=1)
    mean_check = (92 + 85 + 78) / 3  # the school's score from the teachers' mean
    for name in t.index:
        expected = 0.5 * t.loc[name, "across"] / s_across \
            + 0.5 * (t.loc[name, "教学常规检查得分"] - mean_check) / s_check
        assert t.loc[name, "combined"] == pytest.approx(expected)
        # the school's score has no sampling interval: only 横向's enters
        half = 0.5 / s_across * (t.loc[name, "across_high"] - t.loc[name, "across_low"]) / 2 \
            / stats.t.ppf(0.975, 9) * Z975
        assert t.loc[name, "combined_high"] - t.loc[name, "combined"] == pytest.approx(half)
    assert "问卷" in t.columns  # shown, not weighted


def test_weights_are_checked_in_chinese():
    with pytest.raises(ValueError, match="weights 应为非负数"):
        EvaluationRules(weights={"across": -1})


def test_cli_evaluate_on_the_sample_school(tmp_path, capsys):
    from qualitykit.cli import main

    out = tmp_path / "教师综合评价.xlsx"
    assert main(["evaluate", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    table = sheets["综合评价"]
    assert {"横向(平均Z)", "横向(平均Z)下限", "综合评价分", "综合评价分上限", "无法区分的教师"} <= set(
        table.columns)
    assert len(table) == 16 and "教师综合评价" in capsys.readouterr().out
    assert main(["evaluate", "--outside", str(tmp_path / "无此文件.xlsx")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_a_teacher_without_the_school_s_score_is_not_moved_by_its_level(pair):
    """The school's score counts from the teachers' mean: a teacher without it is combined as
    one at that mean would be, whatever its scale (85 points or 0.85)."""
    now, _ = pair
    std = Standard(evaluation=EvaluationRules(weights={"across": 0.5, "常规": 0.5}))
    results = {}
    for level in (0.0, 85.0, 1000.0):
        outside = pd.DataFrame({"teacher": ["甲老师", "乙老师"], "常规": [level + 5, level - 5]})
        t = evaluate_teachers(now, _teachers(), outside=outside, standard=std).table
        results[level] = t.set_index("teacher")["combined"]
    assert results[0.0].to_dict() == pytest.approx(results[85.0].to_dict())
    assert results[0.0].to_dict() == pytest.approx(results[1000.0].to_dict())
    t = results[85.0]
    s_across = evaluate_teachers(now, _teachers()).table.set_index("teacher")["across"]
    assert t["丙老师"] == pytest.approx(s_across["丙老师"] / s_across.std(ddof=1))  # only 横向
