"""Admission lines, 单科有效分, 双上线 and 临界生: hand cases, and the organiser's own sheet of a
real 10-school 联考 (../shared/realdata/cn-league-wenzhou, sheet 特殊控制线线单科有效贡献人数)."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import qualitykit as qk
from conftest import realdata
from qualitykit.district.lines import (
    AdmissionLine,
    admission_lines,
    critical_students,
    effective_scores,
    parse_lines,
)

# two schools, ten pupils, two subjects; 总分 = 语文 + 数学
PUPILS = [  # school, class, id, 语文, 数学  → 总分
    ("甲中", "1", "a1", 90, 95),   # 185
    ("甲中", "1", "a2", 85, 90),   # 175
    ("甲中", "2", "a3", 80, 90),   # 170
    ("甲中", "2", "a4", 88, 82),   # 170
    ("甲中", "2", "a5", 60, 70),   # 130
    ("乙中", "1", "b1", 70, 98),   # 168
    ("乙中", "1", "b2", 75, 80),   # 155
    ("乙中", "1", "b3", 65, 60),   # 125
    ("乙中", "1", "b4", 50, 55),   # 105
    ("乙中", "1", "b5", 40, 45),   # 85
]


def scores():
    rows = []
    for school, klass, sid, chinese, maths in PUPILS:
        for subject, value in (("语文", chinese), ("数学", maths)):
            rows.append({"student_id": sid, "name": f"学生{sid}", "school": school,
                         "class_id": klass, "subject": subject, "exam": "联考",
                         "score": float(value), "status": "sat", "full_mark": 100.0})
    rows.append({**rows[-1], "student_id": "b6", "score": np.nan, "status": "absent"})
    return pd.DataFrame(rows)


def test_parse_lines_scores_shares_percent_and_full_width():
    got = parse_lines("特控＝700，本科=0.40；一段=5%")
    assert got == (AdmissionLine("特控", score=700.0), AdmissionLine("本科", share=0.4),
                   AdmissionLine("一段", share=0.05))
    assert parse_lines({"特控": 0.05}) == (AdmissionLine("特控", share=0.05),)


@pytest.mark.parametrize("text, message", [
    ("特控", "名称=分数"), ("特控=abc", "不是数字"), ("特控=0.1,特控=0.2", "名称重复"),
    ("", "没有给出分数线"), ("=700", "名称=分数"), ("特控=-5", "大于 0 的分数"),
    ("特控=0", "线为 0 时人人上线"),
])
def test_parse_lines_refuses_in_chinese(text, message):
    with pytest.raises(ValueError, match=message):
        parse_lines(text)


def test_score_and_share_lines_by_school_and_district():
    t = admission_lines(scores(), lines="线A=170,前30%=0.3", by="school")
    t = t.set_index(["line_name", "school"])
    # 线A = 170: 甲中 185, 175, 170, 170 over (4 of 5); 乙中 none of 5 (168 is under)
    assert t.loc[("线A", "甲中"), ["n_sat", "n_over"]].tolist() == [5, 4]
    assert t.loc[("线A", "乙中"), ["n_sat", "n_over"]].tolist() == [5, 0]
    # 前30% of 10 sitters: rank ⌈3⌉ = 3 has 170, tied with rank 4: the line is 170
    assert t.loc[("前30%", "甲中"), "line_score"] == 170
    lo, hi = proportion_confint(4, 5, method="wilson")
    assert t.loc[("线A", "甲中"), "over_rate"] == pytest.approx(0.8)
    assert t.loc[("线A", "甲中"), ["over_rate_low", "over_rate_high"]].tolist() == \
        pytest.approx([lo, hi])
    district = admission_lines(scores(), lines="线A=170", by=())
    assert district[["n_sat", "n_over"]].values.tolist() == [[10, 4]]  # the absent pupil: no 总分


def test_by_class_names_the_class_within_its_school():
    t = admission_lines(scores(), lines="线=160", by="class_id")
    assert list(t.columns[:3]) == ["exam", "school", "class_id"]
    got = {(r.school, r.class_id): (r.n_sat, r.n_over) for r in t.itertuples()}
    assert got == {("甲中", "1"): (2, 2), ("甲中", "2"): (3, 2), ("乙中", "1"): (5, 1)}


def test_effective_lines_by_ratio_and_mean_by_hand():
    # 线 = 170 → 4 of 10 over, p = 0.4: 比例法 takes rank ⌈0.4 × 10⌉ = 4 of each subject
    ratio = effective_scores(scores(), line="线=170", by=()).set_index("subject")
    assert ratio.loc["语文", "effective_line"] == 80  # 语文 sorted: 90 88 85 80 75 …
    assert ratio.loc["数学", "effective_line"] == 90  # 数学: 98 95 90 90 82 …
    # 均值法: mean over the 4 pupils over the line: 语文 (90+85+80+88)/4, 数学 (95+90+90+82)/4
    mean = effective_scores(scores(), line="线=170", method="mean", by=()).set_index("subject")
    assert mean.loc["语文", "effective_line"] == pytest.approx(85.75)
    assert mean.loc["数学", "effective_line"] == pytest.approx(89.25)
    assert set(mean["effective_method"]) == {"mean"} and set(ratio["effective_method"]) == {"ratio"}
    # 语文 ≥ 80: a1 a2 a3 a4 (all over 总分) → 单科上线 4, 双上线 4
    assert ratio.loc["语文", ["n_over_subject", "n_double", "n_over_total"]].tolist() == [4, 4, 4]
    # 数学 ≥ 90: a1 a2 a3 b1 (b1's 总分 168 is under) → 单科 4, 双上线 3
    assert ratio.loc["数学", ["n_over_subject", "n_double"]].tolist() == [4, 3]
    assert ratio.loc["数学", "hit_rate"] == pytest.approx(3 / 4)
    assert ratio.loc["数学", "contribution_rate"] == pytest.approx(3 / 4)


def test_nobody_over_the_line_gives_no_effective_line():
    for method in ("ratio", "mean"):
        e = effective_scores(scores(), line="线=190", method=method, by=())
        assert e["effective_line"].isna().all() and (e["n_double"] == 0).all()
        assert e["contribution_rate"].isna().all()


def test_given_subject_lines_count_only_those_subjects():
    e = effective_scores(scores(), line="线=170", subject_lines={"数学": 95}, by="school")
    assert set(e["subject"]) == {"数学"} and set(e["effective_method"]) == {"given"}
    got = e.set_index("school")[["n_over_subject", "n_double"]]
    assert got.loc["甲中"].tolist() == [1, 1] and got.loc["乙中"].tolist() == [1, 0]
    with pytest.raises(ValueError, match="不在成绩表中"):
        effective_scores(scores(), line="线=170", subject_lines={"物理": 60})
    with pytest.raises(ValueError, match="有效分算法"):
        effective_scores(scores(), line="线=170", method="median")
    with pytest.raises(ValueError, match="一条总分线"):
        effective_scores(scores(), line="线=170,线2=150")


def test_critical_students_by_rank_band():
    # 线 = 170: 4 over (ranks 1, 2, 3, 3); band of 2 ranks: over with rank > 4 − 2 → the two
    # tied at rank 3; under with rank ≤ 4 + 2 → 168 (rank 5) and 155 (rank 6)
    c = critical_students(scores(), lines="线=170", band=2)
    assert sorted(c["student_id"]) == ["a3", "a4", "b1", "b2"]
    side = dict(zip(c["student_id"], c["side"]))
    assert side == {"a3": "above", "a4": "above", "b1": "below", "b2": "below"}
    assert dict(zip(c["student_id"], c["distance"]))["b1"] == -2
    assert dict(zip(c["student_id"], c["rank_gap"])) == {"a3": -1, "a4": -1, "b1": 1, "b2": 2}
    # a share: 0.1 of 10 sitters = 1 rank each side
    assert sorted(critical_students(scores(), lines="线=170", band=0.1)["student_id"]) == ["b1"]
    with pytest.raises(ValueError, match="整数"):
        critical_students(scores(), lines="线=170", band=2.5)


# ---- the organiser's sheet of a real 联考 -------------------------------------------------------
LEAGUE_MARKS = {"语文": 150, "数学": 150, "英语": 150, "日语": 150}
#: the organiser's 单科有效分 of 特控线 700, as its sheet heads them: 语文（108）…
ORGANISER_LINES = {"语文": 108, "数学": 94, "英语": 100, "物理": 70, "化学": 78, "生物": 72,
                   "政治": 79, "历史": 73, "地理": 73}


@pytest.fixture(scope="module")
def league():
    path = realdata("cn-league-wenzhou", "联盟考试A2026.2.4.xlsx")
    sheet = pd.read_excel(path, sheet_name="特殊控制线线单科有效贡献人数", header=None,
                          engine="calamine")
    return qk.read_scores(path, sheet="分数", full_marks=LEAGUE_MARKS), sheet


def organiser_rows(sheet):
    """(subject or 总分, what, school) → count from the organiser's sheet."""
    schools = sheet.iloc[1, 2:12].tolist()
    subject, out = None, {}
    for i in range(2, len(sheet)):
        head = sheet.iloc[i, 0]
        if isinstance(head, str) and head.strip():
            subject = ("总分" if head.startswith(("总分", "科目"))  # 科目（分数）: 总分's 参考人数
                       else qk.canonical_subject(head[:2]))
        for j, school in enumerate(schools):
            out[(subject, sheet.iloc[i, 1], school)] = int(sheet.iloc[i, 2 + j])
    return out


def test_league_over_counts_by_school_equal_the_organisers_sheet(league):
    scores, sheet = league
    expected = organiser_rows(sheet)
    got = admission_lines(scores, lines="特控=700", by="school").set_index("school")
    for school, row in got.iterrows():
        assert row["n_sat"] == expected[("总分", "参考人数", school)], school
        assert row["n_over"] == expected[("总分", "上线人数", school)], school
    assert got["n_over"].sum() == 1123 and got["n_sat"].sum() == 6015


def test_league_single_subject_and_double_counts_equal_the_organisers_sheet(league):
    scores, sheet = league
    expected = organiser_rows(sheet)
    got = effective_scores(scores, line="特控=700", subject_lines=ORGANISER_LINES, by="school")
    checked = 0
    for row in got.itertuples():
        key = (row.subject, row.school)
        assert row.n_sat == expected[(row.subject, "参考人数", row.school)], key
        assert row.n_over_subject == expected[(row.subject, "单科上线", row.school)], key
        assert row.n_double == expected[(row.subject, "单科有效", row.school)], key
        checked += 1
    assert checked == 90  # 9 subjects × 10 schools


def test_league_organiser_used_the_ratio_method(league):
    """Which 有效分 method the organiser used: 比例法 lands on four of its nine lines and one
    point under the other five; 均值法 is off by 1.9 points on average and nearer only on 生物."""
    scores, _ = league
    ratio = effective_scores(scores, line="特控=700", by=()).set_index("subject")
    mean = effective_scores(scores, line="特控=700", method="mean", by=()).set_index("subject")
    gap_ratio = {s: ORGANISER_LINES[s] - ratio.loc[s, "effective_line"] for s in ORGANISER_LINES}
    gap_mean = {s: ORGANISER_LINES[s] - mean.loc[s, "effective_line"] for s in ORGANISER_LINES}
    assert set(gap_ratio.values()) <= {0, 1}
    assert sum(v == 0 for v in gap_ratio.values()) == 4  # 语文 物理 化学 地理 exactly
    assert np.mean(np.abs(list(gap_ratio.values()))) == pytest.approx(5 / 9)
    assert np.mean(np.abs(list(gap_mean.values()))) > 1.9
    nearer = [s for s in ORGANISER_LINES if abs(gap_ratio[s]) < abs(gap_mean[s])]
    assert len(nearer) == 8 and "生物" not in nearer
