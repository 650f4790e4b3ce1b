"""Real school exports from ../shared/realdata (skipped when absent; never copied here).

Reference figures are the organisers' own sheets (联考 平均分) and PROVENANCE.md's pandas checks.
"""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from conftest import realdata, zhixin_exams

LEAGUE_MARKS = {"语文": 150, "数学": 150, "英语": 150, "日语": 150}


@pytest.fixture(scope="module")
def league():
    path = realdata("cn-league-wenzhou", "联盟考试A2026.2.4.xlsx")
    return path, qk.check_scores(path, sheet="分数", full_marks=LEAGUE_MARKS)


def test_league_every_row_accounted_for(league):
    _, report = league
    assert report.ok
    assert report.rows_read == 9389
    assert report.rows_read == report.rows_imported + report.rows_skipped
    skipped = report.problems[report.problems["action"] == "已跳过此行"]
    assert len(skipped) == report.rows_skipped
    # 248 sitters have no 考号: surrogate ids, each listed
    scores = report.data
    sat = scores[scores["status"] == "sat"]
    no_id = sat.loc[sat["student_id"].str.startswith("X"), "student_id"].nunique()
    assert no_id == 248
    assert report.problems["problem"].str.contains("missing student_id").sum() >= 248


def test_league_sitters_and_school_means_equal_the_organisers_sheet(league):
    path, report = league
    scores = report.data
    sat = scores[scores["status"] == "sat"]
    assert sat["student_id"].nunique() == 6015  # rows with no score are not counted as sitting
    by_school = sat.groupby("student_id")["school"].first().value_counts()
    assert by_school["鳌江中学"] == 814 and by_school["温州外国语"] == 247
    # the organiser's 平均分 sheet: subject rows with 平均分 per school (columns C..L)
    sheet = pd.read_excel(path, sheet_name="平均分", header=None, engine="calamine")
    schools = sheet.iloc[1, 2:12].tolist()
    ours = qk.summary(scores, by=["school", "subject"]).set_index(["school", "subject"])["mean"]
    checked = 0
    for i in range(2, len(sheet)):
        subject, what = sheet.iloc[i, 0], sheet.iloc[i, 1]
        if what != "平均分" or qk.canonical_subject(subject) not in set(scores["subject"]):
            continue
        for j, school in enumerate(schools):
            expected = sheet.iloc[i, 2 + j]
            assert ours[(school, qk.canonical_subject(subject))] == pytest.approx(expected, abs=5e-7)
            checked += 1
    assert checked >= 90  # 9 subjects × 10 schools


EXPORTS = [
    ("pinghu-g7-2025/ph七上月考成绩.xlsx", {"语文": 40, "英语": 40}, 888,
     {"语文": (21.769, 873), "数学": (73.672, 879), "英语": (15.552, 874)}),
    # 61 (期中) and 13 (期末) pupils have 0 in all seven subjects: on the roster, not sitting
    # (pandas on the raw sheet without those rows gives the figures below)
    ("pinghu-g7-2025/ph七上期中成绩.xlsx", {"语文": 120}, 885,
     {"语文": (76.351, 824), "数学": (60.048, 824), "道德与法治": (28.620, 824)}),
    ("pinghu-g7-2025/ph七上期末成绩.xlsx", {"语文": 120}, 885,
     {"语文": (78.561, 872), "历史": (40.941, 872), "道德与法治": (34.424, 872)}),
    ("zhixin-g8-g9/zx八下期末成绩表.xlsx", {"语文": 120}, 303,
     {"语文": (86.104, 289), "数学": (70.472, 288), "化学": (32.236, 290)}),
    ("zhixin-g8-g9/zx九上期末成绩表.xlsx", {"语文": 120}, 303,
     {"语文": (86.921, 290), "物理": (48.974, 289), "道德与法治": (40.009, 290)}),
    ("pinghu-g9/九下二模学生成绩.xlsx", {"语文": 120}, 813,
     {"语文": (80.578, 804), "英语": (42.888, 808), "历史": (48.336, 806)}),
    ("pinghu-g9/九下二模学生成绩.csv", {"语文": 120}, 813,
     {"数学": (62.996, 804), "物理": (36.576, 807)}),
    ("pinghu-g9/907九下月考成绩.csv", {"语文": 120}, 46, {"语文": (79.522, 46), "历史": (38.707, 46)}),
    ("pinghu-g9/学生成绩(现班).csv", {"语文": 120}, 810, {"语文": (82.963, 808), "化学": (29.610, 807)}),
    ("highschool-g10-g11/高一上期末考试成绩（分班后名单）.xlsx", {"语文": 150, "数学": 150, "英语": 150},
     432, {"语文": (109.913, 425), "数学": (75.162, 425), "地理": (55.154, 423)}),
    ("highschool-g10-g11/测试_4_高一期末成绩_出口.xlsx", {"语文": 150, "数学": 150, "英语": 150}, 432,
     {"英语": (102.888, 423), "政治": (66.404, 423)}),
    ("highschool-g10-g11/测试_3_中考成绩_入口.xlsx", {}, 432, {"总分": (530.093, 432)}),
    ("highschool-g10-g11/高二上期末成绩中考对比.xlsx", {"语文": 150, "数学": 150, "英语": 150, "日语": 150},
     282, {}),
]


@pytest.mark.parametrize("name, marks, rows, means", EXPORTS, ids=[e[0] for e in EXPORTS])
def test_school_exports_import_with_rows_accounted_for(name, marks, rows, means):
    path = realdata("cn-school-exports", *name.split("/"))
    report = qk.check_scores(path, full_marks=marks)
    assert report.ok, report.errors["problem"].head().tolist()
    assert report.rows_read == rows
    assert report.rows_read == report.rows_imported + report.rows_skipped
    sat = report.data[report.data["status"] == "sat"]
    for subject, (mean, n) in means.items():
        got = sat.loc[sat["subject"] == subject, "score"]
        assert (round(got.mean(), 3), len(got)) == (mean, n), subject


def test_monthly_export_markers_are_statuses():
    path = realdata("cn-school-exports", "pinghu-g7-2025", "ph七上月考成绩.xlsx")
    d = qk.read_scores(path, full_marks={"语文": 40, "英语": 40})
    assert set(d["status"]) == {"sat", "not_scanned", "excluded", "absent"}
    assert d["grade"].eq(7).all() and d["class_id"].str.startswith("7-").all()


def test_term_sheets_joined_to_roster_for_the_class():
    folder = ("cn-school-exports", "pinghu-g7-2025")
    roster = qk.read_roster(realdata(*folder, "ph学生信息表.xlsx"))
    assert len(roster) == 885 and roster["class_id"].nunique() == 18
    for term in ("ph七上期中成绩.xlsx", "ph七上期末成绩.xlsx"):
        report = qk.check_scores(realdata(*folder, term), roster=roster, full_marks={"语文": 120})
        assert report.ok and (report.data["class_id"] != "").all()
        assert report.data["class_id"].nunique() == 18
        assert report.sheets.set_index("sheet").loc["填写说明", "used"] == False  # noqa: E712


def test_zhixin_blank_cells_are_absences_and_roster_teachers_read():
    folder = ("cn-school-exports", "zhixin-g8-g9")
    roster = qk.read_roster(realdata(*folder, "zx学生信息表.xlsx"))
    d = qk.read_scores(realdata(*folder, "zx九上期末成绩表.xlsx"), roster=roster, full_marks={"语文": 120})
    assert d.loc[d["status"] == "absent"].groupby("subject").size().between(13, 15).all()
    teachers = qk.read_teachers(realdata(*folder, "zx教学编排表.xlsx"))
    assert set(teachers["class_id"]) == set(roster["class_id"])
    assert set(teachers["subject"]) >= {"语文", "数学", "英语", "道德与法治"}


def test_high_school_dash_means_not_taken():
    path = realdata("cn-school-exports", "highschool-g10-g11", "高二上期末成绩中考对比.xlsx")
    d = qk.read_scores(path, full_marks={"语文": 150, "数学": 150, "英语": 150, "日语": 150})
    assert (d["status"] == "sat").all()  # every '-' is a subject not taken: no row at all
    assert d.groupby("subject").size()["日语"] < 30
    assert set(d["grade"]) == {11}


def test_league_totals_and_ranks_equal_the_organisers_columns(league):
    # 联盟排名 and 总分校排名 are competition ranks of 总分 among sitters (PROVENANCE.md);
    # rows are matched by their Excel row, since 248 sitters have no 考号
    path, report = league
    raw = pd.read_excel(path, sheet_name="分数", engine="calamine")
    raw["source_row"] = raw.index + 2
    row_of = report.data.groupby("student_id")["source_row"].first()
    for within, column in (((), "联盟排名"), ("school", "总分校排名")):
        # this organiser ranks every sitter, also the 11 who missed a subject (rank_among="all")
        totals = qk.student_totals(report.data, rank_within=within, rank_among="all")
        merged = totals.assign(source_row=totals["student_id"].map(row_of)).merge(
            raw[["source_row", "总分", column]], on="source_row")
        assert len(merged) == len(totals) == 6015
        assert (merged["total"] - merged["总分"]).abs().max() < 1e-9
        assert (merged["rank"] == merged[column]).all()


def test_league_default_ranks_only_pupils_who_sat_every_subject(league):
    # 11 sitters missed a subject they have a row for: no rank by default, and the others are
    # ranked among themselves (checked against pandas' competition rank of the complete ones)
    scores = league[1].data
    totals = qk.student_totals(scores)
    incomplete = scores[scores["status"] != "sat"].groupby("student_id")["status"].size()
    sat_any = set(scores.loc[scores["status"] == "sat", "student_id"])
    assert (~totals["complete"]).sum() == len(set(incomplete.index) & sat_any) == 11
    assert totals.loc[~totals["complete"], "rank"].isna().all()
    complete = totals[totals["complete"]]
    hand = complete["total"].rank(ascending=False, method="min").astype(int)
    assert (complete["rank"] == hand).all() and complete["rank"].max() <= 6015 - 11


def test_league_classes_are_counted_within_their_school(league):
    _, report = league
    scores = report.data
    pairs = scores[["school", "class_id"]].drop_duplicates()
    assert scores["class_id"].nunique() < len(pairs) == 127  # "5" exists in several schools
    s = qk.summary(scores)
    assert s.groupby("subject").size().max() == 127
    assert len(s[["school", "class_id"]].drop_duplicates()) == len(pairs)
    # the classes still add up to the organiser's school means (平均分 sheet, checked above)
    by_class = s.assign(points=s["mean"] * s["n_sat"]).groupby(["school", "subject"])[
        ["points", "n_sat"]].sum()
    school = qk.summary(scores, by=["school", "subject"]).set_index(["school", "subject"])
    assert np.allclose(by_class["points"] / by_class["n_sat"], school.loc[by_class.index, "mean"])
    sheet = pd.read_excel(league[0], sheet_name="平均分", header=None, engine="calamine")
    names = sheet.iloc[1, 2:12].tolist()
    row = next(i for i in range(2, len(sheet)) if sheet.iloc[i, 0] == "数学"
               and sheet.iloc[i, 1] == "平均分")
    for j, name in enumerate(names):
        got = by_class.loc[(name, "数学")]
        assert got["points"] / got["n_sat"] == pytest.approx(sheet.iloc[row, 2 + j], abs=5e-7)
    lists = qk.targets(scores)
    counts = qk.target_counts(lists, scores)
    assert len(counts[["school", "class_id"]].drop_duplicates()) == 127
    assert counts["n_sat"].sum() == (scores["status"] == "sat").sum()
    # compare_classes on two schools (the Games–Howell pairs of all 127 classes take hours)
    two = scores[scores["school"].isin(["鳌江中学", "塘下中学"]) & scores["subject"].eq("语文")]
    c = qk.compare_classes(two)
    assert len(c.classes) == len(two[["school", "class_id"]].drop_duplicates())
    assert c.omnibus["n_groups"].iloc[0] == len(c.classes)


@pytest.mark.parametrize("file, grade, mean, pass_rate, excellent, low", [
    ("student-mat.csv", "G3", 10.4152, 0.6709, 0.1013, 0.1772),
    ("student-por.csv", "G3", 11.9060, 0.8459, 0.1263, 0.0462),
    ("student-mat.csv", "G1", 10.9089, 0.6405, 0.1038, 0.1772),
])
def test_uci_pass_rates_with_a_pass_mark_of_10_of_20(file, grade, mean, pass_rate, excellent, low):
    raw = pd.read_csv(realdata("uci-student-performance", file))
    scores = pd.DataFrame({"student_id": raw.index.astype(str), "school": raw["school"],
                           "subject": "数学", "exam": grade, "score": raw[grade].astype(float),
                           "status": "sat", "full_mark": 20.0})
    # pass ≥ 10 of 20 (50 %), "excellent" ≥ 16 (80 %), low < 8 (40 %), as in PROVENANCE.md
    std = qk.Standard(pass_line=0.5, excellent_line=0.8, low_line=0.4)
    s = qk.summary(scores, by="subject", standard=std).iloc[0]
    assert s["n_sat"] == len(raw)
    assert (s["mean"], s.pass_rate, s.excellent_rate, s.low_rate) == pytest.approx(
        (mean, pass_rate, excellent, low), abs=5e-5)
    if file == "student-mat.csv" and grade == "G3":
        by_school = qk.summary(scores, by="school", standard=std).set_index("school")
        assert by_school.loc["GP", "pass_rate"] == pytest.approx(0.6762, abs=5e-5)
        assert by_school.loc["MS", "mean"] == pytest.approx(9.8478, abs=5e-5)


def test_zhixin_cohort_transitions_account_for_every_student():
    # one cohort, 八下期末 → 九上期末; both files are joined to the (current) 学生信息表
    before, now = zhixin_exams()
    folder = ("cn-school-exports", "zhixin-g8-g9")
    roster = qk.read_roster(realdata(*folder, "zx学生信息表.xlsx"))
    teachers = qk.read_teachers(realdata(*folder, "zx教学编排表.xlsx"))
    p = qk.progress(now, before, teachers=teachers)
    ids_now, ids_before = set(now["student_id"]), set(before["student_id"])
    a = p.accounting.set_index("student_id")["match"]
    assert a.index.is_unique and set(a.index) == ids_now | ids_before
    assert (a == "matched").sum() == len(ids_now & ids_before) == 303
    assert (a == "new").sum() == len(ids_now - ids_before) and (a == "left").sum() == len(ids_before - ids_now)
    # every student × subject × list of either exam's lists is in exactly one transition
    lists_now, lists_before = qk.targets(now), qk.targets(before)
    key = ["student_id", "subject", "list"]
    t = p.transitions
    assert not t.duplicated(key).any()
    counts = t["transition"].value_counts()
    assert len(lists_now) == counts.get("stayed", 0) + counts.get("entered", 0) + counts.get("new_student", 0)
    assert len(lists_before) == counts.get("stayed", 0) + counts.get("left", 0) + counts.get("gone", 0)
    assert set(map(tuple, t[key].to_numpy())) == (set(map(tuple, lists_now[key].to_numpy()))
                                                  | set(map(tuple, lists_before[key].to_numpy())))
    # new names are attributed to the current class and its teacher
    entered = t[t["transition"] == "entered"]
    assert entered["class_id"].isin(roster["class_id"]).all() and entered["teacher"].notna().all()
    # an absentee is never on a list for the subject he missed
    absent = now[now["status"] == "absent"][["student_id", "subject"]]
    assert absent.merge(lists_now, on=["student_id", "subject"]).empty


@pytest.mark.parametrize("sheet, total", [("物理类", "选考总分"), ("历史类", "原始分")])
def test_high_school_rank_change_reproduces_the_files_jintuibu(sheet, total):
    # 进退步 = 中考排名 − 校次 on every row. 校次 ranks 选考总分 in 物理类; in 历史类 it ranks
    # the 原始分 total (before 赋分), which we found by checking both columns.
    path = realdata("cn-school-exports", "highschool-g10-g11", "高二上期末成绩中考对比.xlsx")
    d = qk.read_scores(path, sheet=sheet, subjects={total: "本次总分", "中考分": "中考分"},
                       full_marks={"语文": 150, "数学": 150, "英语": 150, "日语": 150,
                                   "本次总分": 1000, "中考分": 1000})
    now = d[d["subject"] == "本次总分"].assign(subject="总分", exam="高二上期末")
    entry = d[d["subject"] == "中考分"].assign(subject="总分", exam="中考")
    p = qk.progress(now, entry)
    raw = pd.read_excel(path, sheet_name=sheet, engine="calamine")
    raw["source_row"] = raw.index + 2
    got = p.students.merge(now[["student_id", "source_row"]], on="student_id").merge(
        raw[["source_row", "校次", "中考排名", "进退步"]], on="source_row")
    assert len(got) == len(raw) and (p.accounting["match"] == "matched").all()
    assert (got["rank"] == got["校次"]).all() and (got["prev_rank"] == got["中考排名"]).all()
    assert (got["rank_change"] == got["进退步"]).all()
    assert np.allclose(got["rank_change_coef"], got["进退步"] / got["中考排名"])
