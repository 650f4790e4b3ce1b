"""质量目标与整改台账, 回头看, 两率名次 and 学习进步奖 (qualitykit.cycle): targets read from plain
Chinese, every number checked against a hand computation or statsmodels/scipy, and the 台账
carried over three exams of the sample school with teachers' edits typed in between."""

import numpy as np
import openpyxl
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.cycle.goals import change_interval, judge_target, mean_interval, parse_target
from qualitykit.cycle.register import RegisterError

EXAMS = ("2025-2026-1 期中", "2025-2026-1 期末", "2025-2026-2 期中")


def table(rows, exam="2025-2026-1 期末"):
    """rows: (student_id, class_id, subject, score)."""
    return pd.DataFrame([{"student_id": sid, "name": f"学生{sid}", "school": "实验小学",
                          "grade": 5, "class_id": c, "subject": s, "exam": exam,
                          "score": float(x), "status": "sat", "full_mark": 100.0}
                         for sid, c, s, x in rows])


# ---- targets as a teacher types them ---------------------------------------------------------
@pytest.mark.parametrize("text, row, expected", [
    ("及格率≥90%", "", ("pass_rate", "level", 0.90, ">=")),
    ("合格率不低于 85%", "", ("pass_rate", "level", 0.85, ">=")),
    ("优秀率30%以上", "", ("excellent_rate", "level", 0.30, ">=")),
    ("低分率≤5%", "", ("low_rate", "level", 0.05, "<=")),
    ("低分率5%", "", ("low_rate", "level", 0.05, "<=")),          # a rate with %: its better side
    ("平均分达到80分", "", ("mean", "level", 80.0, ">=")),
    ("优秀率+5", "", ("excellent_rate", "change", 0.05, ">=")),
    ("优秀率＋5个百分点", "", ("excellent_rate", "change", 0.05, ">=")),
    ("下降3个百分点", "低分率", ("low_rate", "change", -0.03, "<=")),
    ("平均分提高2分", "", ("mean", "change", 2.0, ">=")),
    ("位次上升2", "pass_rate", ("pass_rate", "rank", 2.0, ">=")),
    ("优秀率名次提高1位", "", ("excellent_rate", "rank", 1.0, ">=")),
    ("≥90%", "及格率", ("pass_rate", "level", 0.90, ">=")),
])
def test_targets_typed_in_plain_chinese_are_read(text, row, expected):
    t = parse_target(text, row)
    assert (t.indicator, t.kind, t.op) == (expected[0], expected[1], expected[3])
    assert t.value == pytest.approx(expected[2])


@pytest.mark.parametrize("text, row, match", [
    ("及格率大于九成", "", "看不懂"),
    ("≥90%", "", "没有写明指标"),
    ("及格率≥0.9", "", "百分数"),
    ("5", "优秀率", "只有一个数"),          # Excel turns a typed "+5" into the number 5
    ("平均分≥80%", "", "平均分的目标用分数"),
    ("及格率≥120%", "", "不能超过"),
])
def test_unreadable_targets_are_refused(text, row, match):
    with pytest.raises(qk.TargetError, match=match):
        parse_target(text, row)


def test_empty_target_is_none():
    assert parse_target("", "及格率") is None


# ---- intervals: against statsmodels and scipy ------------------------------------------------
def _unit(n, k_pass=0, k_exc=0, k_low=0, mean=np.nan, sd=np.nan, kind="class"):
    return pd.Series({"unit_kind": kind, "n_sat": n, "n_pass": k_pass, "n_excellent": k_exc,
                      "n_low": k_low, "pass_rate": k_pass / n, "excellent_rate": k_exc / n,
                      "low_rate": k_low / n, "mean": mean, "sd": sd})


def test_rate_change_interval_is_newcombes_hybrid_score_interval():
    now, then = _unit(41, k_pass=36), _unit(40, k_pass=28)
    d, low, high = change_interval(now, then, "pass_rate")
    ref = confint_proportions_2indep(36, 41, 28, 40, method="newcomb", compare="diff")
    assert d == pytest.approx(36 / 41 - 28 / 40)
    assert (low, high) == pytest.approx(ref, abs=1e-10)


def test_mean_change_interval_is_welchs():
    rng = np.random.default_rng(3)
    a, b = rng.normal(78, 12, 38), rng.normal(72, 15, 44)
    now = _unit(38, mean=a.mean(), sd=a.std(ddof=1))
    then = _unit(44, mean=b.mean(), sd=b.std(ddof=1))
    d, low, high = change_interval(now, then, "mean")
    ci = stats.ttest_ind(a, b, equal_var=False).confidence_interval(0.95)
    assert d == pytest.approx(a.mean() - b.mean())
    assert (low, high) == pytest.approx((ci.low, ci.high), rel=1e-9)


def test_mean_interval_is_the_t_interval():
    x = np.array([60, 70, 75, 80, 95.0])
    ci = stats.ttest_1samp(x, 0).confidence_interval(0.95)
    assert mean_interval(x.mean(), x.std(ddof=1), 5) == pytest.approx((ci.low, ci.high))


def test_verdicts_with_the_interval():
    # 36/41 = 87.8 %; Wilson 74.5 %–94.7 % (statsmodels): 90 % is inside, 95 % is not
    now = _unit(41, k_pass=36)
    low, high = proportion_confint(36, 41, method="wilson")
    assert low < 0.90 < high < 0.95
    assert judge_target(parse_target("及格率≥85%"), now, None)["verdict"] == "达成"
    assert judge_target(parse_target("及格率≥90%"), now, None)["verdict"] == \
        "未达成，但差距在偶然波动范围内"
    assert judge_target(parse_target("及格率≥95%"), now, None)["verdict"] == "未达成"
    judged = judge_target(parse_target("及格率≥90%"), now, None)
    assert (judged["low"], judged["high"]) == pytest.approx((low, high))
    # a change needs the start; a missing unit or target cannot be judged
    assert judge_target(parse_target("及格率+5"), now, None)["verdict"] == "无法判断"
    assert judge_target(None, now, None)["note"] == "未填写目标"
    assert judge_target(parse_target("及格率≥85%"), None, None)["verdict"] == "无法判断"


def test_change_and_rank_verdicts():
    then, now = _unit(40, k_pass=28), _unit(40, k_pass=34)        # +15 points
    assert judge_target(parse_target("及格率+10"), now, then)["verdict"] == "达成"
    # +20 wanted: 15 observed, and 20 inside Newcombe's interval (3 % to 32 %)
    assert judge_target(parse_target("及格率+20"), now, then)["verdict"] == \
        "未达成，但差距在偶然波动范围内"
    then_r = pd.concat([then, pd.Series({"pass_rank": 4, "n_units": 4})])
    now_r = pd.concat([now, pd.Series({"pass_rank": 2, "n_units": 4})])
    assert judge_target(parse_target("及格率位次上升2"), now_r, then_r)["verdict"] == "达成"
    assert judge_target(parse_target("及格率位次上升3"), now_r, then_r)["verdict"] == "未达成"


# ---- measurements and 两率名次 ------------------------------------------------------------------
def _three_classes(exam="2025-2026-1 期末", shift=0):
    rows = []
    # 5-1: 3 of 4 pass, 1 excellent; 5-2: 4 of 4 pass, 2 excellent; 5-3: 2 of 4 pass, 2 excellent
    for c, scores in {"5-1": [50, 65, 70, 90], "5-2": [60, 75, 88, 92],
                      "5-3": [30, 55, 86, 95]}.items():
        rows += [(f"{c}-{i}", c, "数学", s + shift) for i, s in enumerate(scores)]
    return table(rows, exam)


def test_measurements_and_rate_ranks_by_hand():
    m = qk.measurements(_three_classes())
    c = m[m["unit_kind"] == "class"].set_index("unit")
    assert c["n_pass"].tolist() == [3, 4, 2] and c["n_excellent"].tolist() == [1, 2, 2]
    assert c["pass_rank"].tolist() == [2, 1, 3]
    assert c["excellent_rank"].tolist() == [3, 1, 1]          # 50 % and 50 % share 1st
    assert c["low_rank"].tolist() == [1, 1, 3]                 # 30 < 40: 5-3 has the low score
    g = m[m["unit_kind"] == "grade"].iloc[0]
    assert (g["n_sat"], g["n_pass"]) == (12, 9) and pd.isna(g["pass_rank"])
    r = qk.rate_ranks(_three_classes())
    assert r[["class_id", "pass_rank", "excellent_rank", "n_units"]].values.tolist() == \
        [["5-1", 2, 3, 3], ["5-2", 1, 1, 3], ["5-3", 3, 1, 3]]


def test_teachers_are_measured_over_all_their_pupils():
    teachers = pd.DataFrame({"teacher": ["甲", "甲", "乙"], "grade": [5, 5, 5],
                             "class_id": ["5-1", "5-2", "5-3"], "subject": ["数学"] * 3})
    m = qk.measurements(_three_classes(), teachers=teachers)
    t = m[m["unit_kind"] == "teacher"].set_index("unit")
    assert t.loc["甲", "n_pass"] == 7 and t.loc["甲", "n_sat"] == 8       # 3 + 4 of 8
    assert t.loc["甲", "pass_rank"] == 1 and t.loc["乙", "pass_rank"] == 2
    assert t.loc["甲", "mean"] == pytest.approx((50 + 65 + 70 + 90 + 60 + 75 + 88 + 92) / 8)


def test_rank_changes_by_hand():
    before = qk.measurements(_three_classes())
    now_scores = _three_classes()
    now_scores.loc[now_scores["student_id"] == "5-3-1", "score"] = 62.0   # 5-3: 3 of 4 pass
    now_scores.loc[now_scores["student_id"] == "5-1-0", "score"] = 40.0   # 5-1: 3 of 4 still
    r = qk.rank_changes(qk.measurements(now_scores), before).set_index("unit")
    # pass rates now 75 %, 100 %, 75 %: ranks 2, 1, 2 (5-3 rises from 3rd to 2nd)
    assert r["pass_rank"].tolist() == [2, 1, 2]
    assert r["pass_rank_change"].tolist() == [0, 0, 1]
    assert r["excellent_rank_change"].tolist() == [0, 0, 0]


# ---- the 台账 over three exams of the sample school (the Done-when test) ------------------------
def _sheet(path, name="整改台账"):
    return pd.read_excel(path, sheet_name=name, dtype=object, engine="calamine")


def _edit(path, edits: dict, extra: dict | None = None, new_rows: list | None = None):
    """edits: 编号 → {header: value}; extra: 编号 → value of the teacher's own column."""
    wb = openpyxl.load_workbook(path)
    ws = wb["整改台账"]
    header = [c.value for c in ws[1]]
    if extra is not None and "备注（教研组）" not in header:
        ws.cell(1, len(header) + 1).value = "备注（教研组）"
        header.append("备注（教研组）")
    col = {h: i + 1 for i, h in enumerate(header)}
    for r in range(2, ws.max_row + 1):
        row_id = ws.cell(r, col["编号"]).value
        for h, v in edits.get(row_id, {}).items():
            ws.cell(r, col[h]).value = v
        if extra and row_id in extra:
            ws.cell(r, col["备注（教研组）"]).value = extra[row_id]
    for values in new_rows or []:
        r = ws.max_row + 1
        for h, v in values.items():
            ws.cell(r, col[h]).value = v
    wb.save(path)


def _raw_counts(exam, class_id, subject):
    """Pass/low counts of one class from the raw sample table (independent of the kit)."""
    s = qk.load_sample(exam=exam, grade=5)
    s = s[(s["class_id"] == class_id) & (s["subject"] == subject) & (s["status"] == "sat")]
    return len(s), int((s["score"] >= 60).sum()), int((s["score"] < 40).sum())


@pytest.fixture(scope="module")
def three_exams(tmp_path_factory):
    path = tmp_path_factory.mktemp("register") / "质量目标与整改台账.xlsx"
    teachers = qk.load_sample("teachers")
    scores = {e: qk.load_sample(exam=e, grade=5) for e in EXAMS}
    return path, teachers, scores


def test_register_review_three_exams_with_teachers_edits(three_exams):
    path, teachers, scores = three_exams
    first = qk.update_register(path, scores[EXAMS[0]], teachers=teachers)
    rows = first.rows.set_index("row_id")
    low = rows[(rows["topic"] == "低分率") & (rows["subject"] == "语文")].index[0]   # 5-2 语文
    grade_pass = rows[(rows["topic"] == "合格率") & (rows["subject"] == "数学")].index[0]
    # a re-run on the same exam changes nothing
    written = {name: _sheet(path, name) for name in ("整改台账", "历次数值")}
    qk.update_register(path, scores[EXAMS[0]], teachers=teachers)
    for name, frame in written.items():
        pd.testing.assert_frame_equal(frame, _sheet(path, name))

    # the 教研组长 types measures, owners, targets, a column of his own and a row of his own
    teacher = qk.assign_teachers(scores[EXAMS[0]], teachers).query(
        "class_id == '5-1' and subject == '数学'")["teacher"].iloc[0]
    _edit(path, {low: {"措施（填写）": "每周两次面批", "责任人（填写）": "语文组长",
                       "期限（填写）": "期末前", "目标（填写）": "低分率≤1%"},
                 grade_pass: {"措施（填写）": "分层作业", "目标（填写）": "≥75%"}},
          extra={low: "重点跟踪"},
          new_rows=[{"科目": "数学", "单位类型": "教师", "单位": teacher, "指标": "及格率",
                     "存在问题（依据）": "数学及格率偏低（教研组观察）", "目标（填写）": "位次上升1",
                     "措施（填写）": "课后辅导"}])

    second = qk.review(path, scores[EXAMS[1]], teachers=teachers)
    j = second.judged.set_index("row_id")
    assert set(j["baseline"]) == {EXAMS[0]}
    # 5-2 语文 低分率 at 期末, by hand from the raw table; Wilson interval from statsmodels
    n, _, k_low = _raw_counts(EXAMS[1], "5-2", "语文")
    assert j.loc[low, "value"] == pytest.approx(k_low / n)
    lo, hi = proportion_confint(k_low, n, method="wilson")
    assert (j.loc[low, "value_low"], j.loc[low, "value_high"]) == pytest.approx((lo, hi))
    assert lo > 0.01 and j.loc[low, "attainment"] == "未达成"
    n0, _, k0 = _raw_counts(EXAMS[0], "5-2", "语文")
    ref = confint_proportions_2indep(k_low, n, k0, n0, method="newcomb", compare="diff")
    assert (j.loc[low, "start_change_low"], j.loc[low, "start_change_high"]) == pytest.approx(ref)
    assert j.loc[low, "improvement"] == "变化在偶然波动范围内" and j.loc[low, "action"] == "重新制定"
    # the grade's 数学 pass rate: 达成 ≥ 75 % (by hand), closed
    s = scores[EXAMS[1]].query("subject == '数学' and status == 'sat'")
    assert (s["score"] >= 60).mean() >= 0.75
    assert j.loc[grade_pass, "attainment"] == "达成" and j.loc[grade_pass, "action"] == "完成"
    # the typed row got a number, its exam (the 台账's latest) and a rank verdict
    typed = second.register.rows[second.register.rows["evidence"] == "数学及格率偏低（教研组观察）"]
    typed_id = typed["row_id"].iloc[0]
    assert typed_id.startswith(EXAMS[0]) and typed["unit_kind"].iloc[0] == "teacher"
    # its 位次 by hand: the teacher's pupils pooled, ranked among the 数学 teachers
    def teacher_rank(exam):
        s = qk.assign_teachers(scores[exam], teachers).query("subject == '数学' and status == 'sat'")
        rate = s.groupby("teacher")["score"].apply(lambda x: (x >= 60).mean())
        return int(rate.rank(ascending=False, method="min")[teacher])

    rise = teacher_rank(EXAMS[0]) - teacher_rank(EXAMS[1])
    assert j.loc[typed_id, "judged"] == rise
    assert j.loc[typed_id, "attainment"] == ("达成" if rise >= 1 else "未达成")
    assert "名次" in j.loc[typed_id, "note"]

    # rows nobody gave a target: 无法判断, and the 台账 asks for one
    untouched = j.drop(index=[low, grade_pass, typed_id])
    assert set(untouched["attainment"]) == {"无法判断"} and set(untouched["action"]) == {"补填目标"}
    # 重新制定: a new measure and target, judged again at the third exam from the second
    _edit(path, {low: {"措施（填写）": "新措施：小组互助", "目标（填写）": "低分率≤20%"}})
    third = qk.review(path, scores[EXAMS[2]], teachers=teachers)
    j3 = third.judged.set_index("row_id")
    assert grade_pass not in j3.index                       # 达成 rows are closed
    assert j3.loc[low, "baseline"] == EXAMS[1] and j3.loc[low, "target"] == "低分率≤20%"
    n3, _, k3 = _raw_counts(EXAMS[2], "5-2", "语文")
    assert j3.loc[low, "value"] == pytest.approx(k3 / n3)
    assert j3.loc[low, "attainment"] == ("达成" if k3 / n3 <= 0.20 else "未达成")
    ref = confint_proportions_2indep(k3, n3, k_low, n, method="newcomb", compare="diff")
    assert (j3.loc[low, "start_change_low"], j3.loc[low, "start_change_high"]) == \
        pytest.approx(ref)

    # every edit is still there; nothing was dropped; the 回头看 sheet keeps both exams
    sheet = _sheet(path).set_index("编号")
    assert sheet.loc[low, "措施（填写）"] == "新措施：小组互助"
    assert sheet.loc[low, "责任人（填写）"] == "语文组长" and sheet.loc[low, "期限（填写）"] == "期末前"
    assert sheet.loc[low, "备注（教研组）"] == "重点跟踪"
    assert sheet.loc[grade_pass, "措施（填写）"] == "分层作业" and sheet.loc[grade_pass, "状态"] == "已达成"
    assert sheet.loc[typed_id, "措施（填写）"] == "课后辅导"
    assert len(sheet) == len(first.rows) + 1
    looked = _sheet(path, "回头看")
    assert looked.groupby("回头看考试")["编号"].apply(lambda s: low in set(s)).all()
    assert list(looked["回头看考试"].drop_duplicates()) == [EXAMS[1], EXAMS[2]]

    # a re-run of the last 回头看 changes nothing
    before = {name: _sheet(path, name) for name in ("整改台账", "回头看", "两率名次", "历次数值")}
    qk.review(path, scores[EXAMS[2]], teachers=teachers)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, _sheet(path, name), check_dtype=False)


def test_two_rate_ranks_of_classes_and_teachers_by_hand(three_exams):
    path, teachers, scores = three_exams
    register = qk.update_register(None, scores[EXAMS[0]], teachers=teachers)
    result = qk.review(register, scores[EXAMS[1]], teachers=teachers, write=False)
    ranks = result.ranks[(result.ranks["unit_kind"] == "class") & (result.ranks["subject"] == "数学")]

    def ranks_by_hand(exam):
        s = scores[exam].query("subject == '数学' and status == 'sat'")
        rate = s.groupby("class_id")["score"].apply(lambda x: (x >= 60).mean())
        return rate.rank(ascending=False, method="min").astype(int)

    now, then = ranks_by_hand(EXAMS[1]), ranks_by_hand(EXAMS[0])
    got = ranks.set_index("unit")
    assert got["pass_rank"].astype(int).to_dict() == now.to_dict()
    assert got["prev_pass_rank"].astype(int).to_dict() == then.to_dict()
    assert got["pass_rank_change"].astype(int).to_dict() == (then - now).to_dict()
    assert set(result.ranks["unit_kind"]) == {"class", "teacher"}


def test_an_unreadable_target_names_the_sheet_row(tmp_path):
    path = tmp_path / "台账.xlsx"
    qk.update_register(path, qk.load_sample(exam=EXAMS[0], grade=5))
    wb = openpyxl.load_workbook(path)
    ws = wb["整改台账"]
    col = [c.value for c in ws[1]].index("目标（填写）") + 1
    ws.cell(4, col).value = "及格率大于九成"
    wb.save(path)
    with pytest.raises(RegisterError, match="「整改台账」第 4 行.*看不懂.*及格率≥90%"):
        qk.review(path, qk.load_sample(exam=EXAMS[1], grade=5))


def test_cli_register_and_review(tmp_path, capsys):
    path = tmp_path / "台账.xlsx"
    assert main(["register", "--exam", EXAMS[0], "--grade", "5", "--out", str(path)]) == 0
    assert "整改台账已保存" in capsys.readouterr().out
    assert main(["review", str(path), "--exam", EXAMS[1], "--grade", "5"]) == 0
    assert "回头看 2025-2026-1 期末" in capsys.readouterr().out
    wb = openpyxl.load_workbook(path)
    ws = wb["整改台账"]
    ws.cell(2, [c.value for c in ws[1]].index("目标（填写）") + 1).value = "优秀率多一些"
    wb.save(path)
    assert main(["review", str(path), "--exam", EXAMS[2], "--grade", "5"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "第 2 行" in err and "Traceback" not in err
    assert main(["review", str(tmp_path / "没有.xlsx")]) == 2
    assert "整改台账" in capsys.readouterr().err


# ---- 后进生 added by teachers, and 学习进步奖 among them --------------------------------------
def test_teacher_added_pupil_is_kept_on_update(tmp_path):
    path = tmp_path / "学困生档案.xlsx"
    first = qk.update_tracking(path, qk.load_sample(exam=EXAMS[0], grade=5))
    s = qk.load_sample(exam=EXAMS[0], grade=5)
    pupil = s[~s["student_id"].isin(first.archive["student_id"])].iloc[0]
    wb = openpyxl.load_workbook(path)
    ws = wb["学困生档案"]
    header = [c.value for c in ws[1]]
    r = ws.max_row + 1
    for h, v in {"学号": pupil["student_id"], "姓名": pupil["name"], "班级": pupil["class_id"],
                 "列入原因（教师观察列入的后进生填写）": "上课注意力差，作业常缺"}.items():
        ws.cell(r, header.index(h) + 1).value = v
    wb.save(path)
    for exam in EXAMS[1:]:
        t = qk.update_tracking(path, qk.load_sample(exam=exam, grade=5))
    row = t.archive.set_index("student_id").loc[pupil["student_id"]]
    assert row["added_reason"] == "上课注意力差，作业常缺"
    assert row["status"] in ("教师列入", "在列", "未参加最近考试", "已转出")
    assert (t.history["student_id"] == pupil["student_id"]).sum() == 2   # both later exams


def test_a_tracking_file_without_the_reason_column_still_reads(tmp_path):
    path = tmp_path / "学困生档案.xlsx"
    qk.update_tracking(path, qk.load_sample(exam=EXAMS[0], grade=5))
    wb = openpyxl.load_workbook(path)
    ws = wb["学困生档案"]
    ws.delete_cols([c.value for c in ws[1]].index("列入原因（教师观察列入的后进生填写）") + 1)
    wb.save(path)
    t = qk.update_tracking(path, qk.load_sample(exam=EXAMS[1], grade=5))
    assert (t.archive["added_reason"] == "").all() and "教师列入" not in set(t.archive["status"])


def test_progress_award_by_hand():
    # 补差 at the earlier exam: below 60. Z by hand within the grade × subject.
    before = table([("a", "5-1", "数学", 40), ("b", "5-1", "数学", 50), ("c", "5-1", "数学", 80),
                    ("d", "5-1", "数学", 90), ("e", "5-2", "数学", 55), ("f", "5-2", "数学", 85)],
                   exam="2025-2026-1 期中")
    now = table([("a", "5-1", "数学", 70), ("b", "5-1", "数学", 45), ("c", "5-1", "数学", 82),
                 ("d", "5-1", "数学", 88), ("e", "5-2", "数学", 65), ("f", "5-2", "数学", 84)])
    def z(x):  # the kit's Z: sample SD (ddof = 1) within the exam × subject
        return (x - x.mean()) / x.std(ddof=1)

    z0 = z(before.set_index("student_id")["score"])
    z1 = z(now.set_index("student_id")["score"])
    # 补差 by the default rule: below 60 and in the bottom 20 % of the grade → a only;
    # e is a 后进生 by his teacher's observation (the 学困生档案's 列入原因)
    assert qk.targets(before, lists=("support",))["student_id"].tolist() == ["a"]
    archive = pd.DataFrame({"student_id": ["e", "c"], "added_reason": ["作业常缺", ""]})
    tracking = qk.Tracking(archive, qk.Tracking.empty().history)
    award = qk.progress_award(now, before, top=1, tracking=tracking)
    assert award["student_id"].tolist() == ["a", "e"]        # b fell and c, d, f are not 后进生
    assert award["basis"].tolist() == ["补差名单", "教师观察列入"]
    assert award["reason"].tolist() == ["", "作业常缺"]
    assert qk.progress_award(now, before, top=1)["student_id"].tolist() == ["a"]
    got = award.set_index("student_id")["z_change"]
    assert got["a"] == pytest.approx(z1["a"] - z0["a"])
    assert got["e"] == pytest.approx(z1["e"] - z0["e"])
