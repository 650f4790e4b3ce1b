"""培优补差 lists, progress and the 学困生档案: hand-built cases at every boundary."""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk

EXAM = "2025-2026-1 期末"


def table(rows, exam=EXAM, full=100.0):
    """rows: (student_id, class_id, subject, score or a status word)."""
    out = []
    for sid, class_id, subject, value in rows:
        sat = not isinstance(value, str)
        out.append({"student_id": sid, "name": f"学生{sid}", "school": "实验小学", "grade": 5,
                    "class_id": class_id, "subject": subject, "exam": exam,
                    "score": float(value) if sat else np.nan,
                    "status": "sat" if sat else value, "full_mark": full})
    return pd.DataFrame(out)


def on(lists, sid, subject="数学"):
    rows = lists[(lists["student_id"] == sid) & (lists["subject"] == subject)]
    return dict(zip(rows["list"], rows["rule"]))


# ---- lines: exactly on, just under, inclusive and exclusive ends -------------------------------
LINE_CASES = [  # score: {list: rule} with pass 60, excellent and 培优线 85, k = 5, the rules above
    # the lines switched on, shares off
    (85, {"enrichment": "enrichment_line", "borderline": "near_excellent_above"}),
    (84.5, {"borderline": "near_excellent_below"}),
    (80, {"borderline": "near_excellent_below"}),           # excellent − k: inside
    (79.5, {}),
    (65, {}),                                                # pass + k: not at risk any more
    (64.5, {"borderline": "near_pass_above"}),
    (60, {"borderline": "near_pass_above"}),                 # on the pass line: passes
    (59.5, {"support": "below_pass", "borderline": "near_pass_below"}),
    (55, {"support": "below_pass", "borderline": "near_pass_below"}),  # pass − k: inside
    (54.5, {"support": "below_pass"}),
    (0, {"support": "below_pass"}),                          # a real 0 is a score
]
NO_SHARES = qk.Standard(enrichment_top=0, support_bottom=0, support_max=1)
EVERY_LINE = qk.Standard(enrichment_top=0, support_bottom=0, support_max=1,
                         enrichment_line=0.85, borderline_above=True)


@pytest.mark.parametrize("score, expected", LINE_CASES)
def test_each_line_at_its_boundary(score, expected):
    scores = table([("s", "5-1", "数学", score), ("o1", "5-1", "数学", 72), ("o2", "5-1", "数学", 73)])
    lists = qk.targets(scores, standard=EVERY_LINE, lists=("enrichment", "borderline", "support"))
    assert on(lists, "s") == expected


@pytest.mark.parametrize("score, expected", [  # the default standard, shares off: the lines
    (85, {}), (84.5, {"borderline": "near_excellent_below"}), (80, {"borderline": "near_excellent_below"}),
    (79.5, {}), (64.5, {}), (60, {}), (59.5, {"support": "below_pass", "borderline": "near_pass_below"}),
    (55, {"support": "below_pass", "borderline": "near_pass_below"}), (54.5, {"support": "below_pass"})])
def test_by_default_borderline_is_the_band_below_a_line_and_no_enrichment_line(score, expected):
    scores = table([("s", "5-1", "数学", score), ("o1", "5-1", "数学", 72), ("o2", "5-1", "数学", 73)])
    lists = qk.targets(scores, standard=NO_SHARES, lists=("enrichment", "borderline", "support"))
    assert on(lists, "s") == expected


def test_distance_line_and_reason_are_the_numbers_behind_the_row():
    scores = table([("a", "5-1", "数学", 57), ("b", "5-1", "数学", 83), ("c", "5-1", "数学", 70)])
    lists = qk.targets(scores, standard=NO_SHARES).set_index(["student_id", "list"])
    row = lists.loc[("a", "borderline")]
    assert (row["line"], row["distance"]) == (60.0, -3.0)
    assert row["reason"] == "数学 57 分：差 3 分达及格线 60 分"
    row = lists.loc[("b", "borderline")]
    assert (row["rule"], row["line"], row["distance"]) == ("near_excellent_below", 85.0, -2.0)
    assert lists.loc[("a", "support"), "reason"] == "数学 57 分：低于及格线 60 分"


def test_lines_follow_the_full_mark_and_the_standard():
    # 150-point paper: pass 90, excellent 127.5; a school that uses 10 points for 临界
    scores = table([("a", "5-1", "语文", 80), ("b", "5-1", "语文", 79.5), ("c", "5-1", "语文", 120)],
                   full=150)
    std = qk.Standard(enrichment_top=0, support_bottom=0, borderline_points=10)
    default = qk.targets(scores, standard=NO_SHARES, lists=("borderline",))
    # the default band is 5 % of the full mark: 7.5 points below 90 and 127.5 on this paper
    assert on(default, "a", "语文") == {} and on(default, "c", "语文") == {"borderline": "near_excellent_below"}
    lists = qk.targets(scores, standard=std, lists=("borderline",))
    assert on(lists, "a", "语文") == {"borderline": "near_pass_below"}
    assert on(lists, "b", "语文") == {}
    assert on(lists, "c", "语文") == {"borderline": "near_excellent_below"}


def test_top_and_bottom_shares_include_ties_with_the_last_student_inside():
    # ten sitters: top 10 % is one student, but two share the top score; bottom 20 % is two
    # students, but the second lowest score is shared by two
    scores = [98, 98, 90, 88, 80, 75, 70, 62, 62, 55]
    ids = [f"s{i}" for i in range(10)]
    data = table([(sid, "5-1", "数学", x) for sid, x in zip(ids, scores)]
                 + [("gone", "5-1", "数学", "absent")])
    std = qk.Standard(excellent_line=0.99, pass_line=0.5, low_line=0.3, borderline_points=0,
                      support_bottom=0.2)
    lists = qk.targets(data, standard=std, lists=("enrichment", "support"))
    top = lists[lists["list"] == "enrichment"]
    assert set(top["student_id"]) == {"s0", "s1"} and set(top["rule"]) == {"top_share"}
    assert top["line"].eq(98).all()
    bottom = lists[lists["list"] == "support"]
    assert set(bottom["student_id"]) == {"s7", "s8", "s9"}
    assert set(bottom["rule"]) == {"bottom_share"} and bottom["line"].eq(62).all()


def test_an_absent_student_is_never_on_a_list_because_of_a_missing_score():
    data = table([("a", "5-1", "数学", "absent"), ("b", "5-1", "数学", "excused"),
                  ("c", "5-1", "数学", 40), ("d", "5-1", "数学", 90), ("e", "5-1", "数学", 75),
                  ("a", "5-1", "语文", 30), ("c", "5-1", "语文", 50), ("d", "5-1", "语文", 60),
                  ("e", "5-1", "语文", 70)])
    lists = qk.targets(data)
    assert "b" not in set(lists["student_id"])
    assert on(lists, "a", "数学") == {}          # absent in 数学: on no 数学 list
    assert "support" in on(lists, "a", "语文")    # but his 语文 score counts
    # the bottom 10 % of 数学 is counted among the 3 sitters only: one student, c
    assert lists[(lists["subject"] == "数学") & (lists["list"] == "support")]["student_id"].tolist() == ["c"]


def test_lopsided_by_hand_and_weakest_subject():
    # four students, three subjects; student a is strong in 语文/英语 and weak in 数学
    rows = {"a": (90, 40, 88), "b": (70, 80, 70), "c": (60, 70, 65), "d": (80, 90, 75)}
    data = table([(sid, "5-1", subject, x) for sid, xs in rows.items()
                  for subject, x in zip(("语文", "数学", "英语"), xs)])
    lists = qk.targets(data, lists=("lopsided",))
    z = {s: (np.array(col) - np.mean(col)) / np.std(col, ddof=1)
         for s, col in zip(("语文", "数学", "英语"), zip(*rows.values()))}
    za = {s: z[s][0] for s in z}
    gap = za["数学"] - np.mean(list(za.values()))
    assert gap <= -1.0
    row = lists.set_index("student_id").loc["a"]
    assert row["subject"] == "数学" and row["z"] == pytest.approx(za["数学"])
    assert row["weakest"] == "数学"
    assert f"低 {-gap:.2f}" in row["reason"]
    # nobody else is that uneven
    assert lists["student_id"].tolist() == ["a"]


def test_lopsided_needs_enough_subjects():
    data = table([("a", "5-1", "语文", 95), ("a", "5-1", "数学", 30), ("b", "5-1", "语文", 60),
                  ("b", "5-1", "数学", 90)])
    assert qk.targets(data, lists=("lopsided",)).empty  # two subjects < lopsided_min_subjects
    two = qk.Standard(lopsided_min_subjects=2, lopsided_z=0.5)
    assert set(qk.targets(data, standard=two, lists=("lopsided",))["student_id"]) == {"a", "b"}


def test_support_by_the_mean_of_the_last_exams():
    now = table([("a", "5-1", "数学", 62), ("b", "5-1", "数学", 58), ("c", "5-1", "数学", 90)])
    before = pd.concat([
        table([("a", "5-1", "数学", 50), ("b", "5-1", "数学", 70), ("c", "5-1", "数学", 90)],
              exam="2024-2025-2 期末"),
        table([("a", "5-1", "数学", 40), ("b", "5-1", "数学", 70), ("c", "5-1", "数学", 90)],
              exam="2024-2025-2 期中")])
    std = qk.Standard(support_exams=2, support_bottom=0, support_max=1)
    lists = qk.targets(now, standard=std, previous=before, lists=("support",))
    # a: (62 + 50) / 2 = 56 % < 60 %; b: (58 + 70) / 2 = 64 %: not on the list
    assert lists["student_id"].tolist() == ["a"]
    assert lists["rule"].iloc[0] == "mean_below_pass"
    assert "最近 2 次考试平均得分率 56.0%" in lists["reason"].iloc[0]
    three = qk.Standard(support_exams=3, support_bottom=0, support_max=1)
    lists = qk.targets(now, standard=three, previous=before, lists=("support",))
    assert lists["student_id"].tolist() == ["a"]  # (62 + 50 + 40) / 3 = 50.7 %
    assert "50.7%" in lists["reason"].iloc[0]


def test_change_against_the_previous_exam():
    before = table([("a", "5-1", "数学", 40), ("b", "5-1", "数学", 80), ("c", "5-1", "数学", 90)],
                   exam="2024-2025-2 期末")
    now = table([("a", "5-1", "数学", 45), ("b", "5-1", "数学", 50), ("c", "5-1", "数学", 90),
                 ("n", "5-1", "数学", 30)])
    lists = qk.targets(now, previous=before, standard=NO_SHARES, lists=("support",))
    assert dict(zip(lists["student_id"], lists["change"])) == {
        "a": "stayed", "b": "entered", "n": "new_student"}
    counts = qk.target_counts(lists, now)
    assert counts.loc[0, ["n_sat", "n_support", "n_support_entered"]].tolist() == [4, 3, 1]


def test_teacher_attached_from_the_assignment_table():
    data = table([("a", "5-1", "数学", 40), ("b", "5-2", "数学", 45), ("c", "5-2", "数学", 90)])
    teachers = pd.DataFrame({"teacher": ["王老师", "李老师"], "school_year": "", "term": "",
                             "grade": 5, "class_id": ["5-1", "5-2"], "subject": "数学"})
    lists = qk.targets(data, teachers=teachers, standard=NO_SHARES, lists=("support",))
    assert dict(zip(lists["student_id"], lists["teacher"])) == {"a": "王老师", "b": "李老师"}


def test_targets_refuses_several_exams_and_unknown_lists():
    two = pd.concat([table([("a", "5-1", "数学", 40)]), table([("a", "5-1", "数学", 40)], exam="期中")])
    with pytest.raises(ValueError, match="一次处理一次考试"):
        qk.targets(two)
    with pytest.raises(ValueError, match="未知的名单"):
        qk.targets(table([("a", "5-1", "数学", 40)]), lists=("top",))
    with pytest.raises(ValueError, match="enrichment_top"):
        qk.Standard(enrichment_top=10)
    with pytest.raises(ValueError, match="support_exams"):
        qk.Standard(support_exams=0)


# ---- progress ------------------------------------------------------------------------------------
def test_progress_by_hand():
    before = table([("a", "4-1", "数学", 50), ("b", "4-1", "数学", 60), ("c", "4-2", "数学", 60),
                    ("d", "4-2", "数学", 70), ("gone", "4-2", "数学", 80)], exam="2024-2025-2 期末")
    now = table([("a", "5-1", "数学", 95), ("b", "5-1", "数学", 60), ("c", "5-2", "数学", 70),
                 ("d", "5-2", "数学", 65), ("new", "5-2", "数学", 99)])
    p = qk.progress(now, before)
    s = p.students.set_index("student_id")
    # before: ranks 80→1, 70→2, 60→3, 60→3, 50→5; now: 99→1, 95→2, 70→3, 65→4, 60→5
    assert s.loc["a", ["prev_rank", "rank", "rank_change"]].tolist() == [5, 2, 3]
    assert s.loc["a", "rank_change_coef"] == pytest.approx(3 / 5)
    assert s.loc["b", "rank_change_coef"] == pytest.approx((3 - 5) / 3)
    # 百分等级 = (below + half of equal) / n: 60 before = (1 + 1) / 5
    assert s.loc["b", "prev_pct"] == pytest.approx(40.0)
    x_before = np.array([50, 60, 60, 70, 80.0])
    z_b = (60 - x_before.mean()) / x_before.std(ddof=1)
    x_now = np.array([95, 60, 70, 65, 99.0])
    z_n = (60 - x_now.mean()) / x_now.std(ddof=1)
    assert s.loc["b", "z_change"] == pytest.approx(z_n - z_b)
    # the new student is new, not improved; the one who left is accounted for
    assert s.loc["new", "match"] == "new" and np.isnan(s.loc["new", "z_change"])
    assert s.loc["gone", "match"] == "left" and s.loc["gone", "prev_class_id"] == "4-2"
    assert dict(zip(p.accounting["student_id"], p.accounting["match"])) == {
        "a": "matched", "b": "matched", "c": "matched", "d": "matched", "new": "new",
        "gone": "left"}
    assert "new" not in set(p.improved["student_id"])
    # only a rise counts: in 5-2 c (60 → 70) and d (70 → 65) both fell in Z
    assert p.improved[p.improved["subject"] == "数学"].groupby("class_id")["student_id"].first() \
        .to_dict() == {"5-1": "a"}
    assert s.loc["c", "z_change"] < 0


def test_transitions_every_list_row_of_both_exams_is_accounted_for():
    before = table([("stay", "4-1", "数学", 40), ("up", "4-1", "数学", 45), ("down", "4-1", "数学", 90),
                    ("away", "4-1", "数学", 30), ("x", "4-1", "数学", 80)], exam="2024-2025-2 期末")
    now = table([("stay", "5-2", "数学", 50), ("up", "5-1", "数学", 75), ("down", "5-1", "数学", 55),
                 ("new", "5-1", "数学", 20), ("x", "5-1", "数学", 80)])
    p = qk.progress(now, before, standard=NO_SHARES, lists=("support",))
    t = dict(zip(p.transitions["student_id"], p.transitions["transition"]))
    assert t == {"stay": "stayed", "up": "left", "down": "entered", "new": "new_student",
                 "away": "gone"}
    # "up" left the list and is counted in his current class; "down" counts against 5-1
    row = p.transitions.set_index("student_id")
    assert row.loc["up", "class_id"] == "5-1" and row.loc["stay", "class_id"] == "5-2"
    summary = p.summary.set_index("class_id")
    assert summary.loc["5-1", ["entered", "left", "new_student"]].tolist() == [1, 1, 1]
    assert p.accounting.set_index("student_id").loc["stay", "class_changed"]


# ---- 学困生档案 ----------------------------------------------------------------------------------
def _edit_measures(path, notes):
    """What a teacher does: open the file, type in 帮扶措施, save (the other sheets kept)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["学困生档案"]
    header = [c.value for c in ws[1]]
    sid_col, note_col = header.index("学号") + 1, header.index("帮扶措施（教师填写）") + 1
    ws.cell(1, len(header) + 1, "家长联系")  # a column of the school's own
    for row in range(2, ws.max_row + 1):
        sid = str(ws.cell(row, sid_col).value)
        if sid in notes:
            ws.cell(row, note_col, notes[sid])
            ws.cell(row, len(header) + 1, "已联系")
    wb.save(path)


def test_tracking_survives_three_updates_with_a_transfer_and_a_class_change(tmp_path):
    path = tmp_path / "学困生档案.xlsx"
    std = qk.Standard(support_bottom=0, support_max=1)
    common = [("ok1", "5-1", 90), ("ok2", "5-2", 85), ("ok3", "5-1", 88)]

    def exam(name, rows):
        return table([(sid, c, "数学", x) for sid, c, x in rows + common], exam=name)

    e1 = exam("2024-2025-2 期中", [("a", "5-1", 40), ("b", "5-1", 50), ("c", "5-2", 55), ("d", "5-2", 70)])
    e2 = exam("2024-2025-2 期末", [("a", "5-2", 45), ("c", "5-2", 75), ("d", "5-2", 52)])  # b left; a moved
    e3 = exam("2025-2026-1 期中", [("a", "5-2", 62), ("c", "5-2", 56), ("d", "5-2", 50),
                                 ("b", "5-1", 30)])  # b is back
    e3 = pd.concat([e3, table([("t", "5-1", "数学", "transferred")], exam="2025-2026-1 期中")])

    t1 = qk.update_tracking(path, e1, standard=std)
    assert set(t1.archive["student_id"]) == {"a", "b", "c"}
    _edit_measures(path, {"a": "每周二课后辅导", "b": "-同桌互助"})  # a note that starts like a formula
    t2 = qk.update_tracking(path, e2, standard=std)
    arch = t2.archive.set_index("student_id")
    assert set(arch.index) == {"a", "b", "c", "d"} and arch.index.is_unique
    assert arch.loc["a", "measures"] == "每周二课后辅导" and arch.loc["b", "measures"] == "-同桌互助"
    assert arch.loc["a", "家长联系"] == "已联系"
    assert arch.loc["a", "class_id"] == "5-2" and arch.loc["a", "class_history"] == "5-1 → 5-2"
    assert arch.loc["b", "status"] == "未参加最近考试" and arch.loc["c", "status"] == "已出列"
    assert arch.loc["d", ["first_flagged", "status"]].tolist() == ["2024-2025-2 期末", "在列"]
    _edit_measures(path, {"d": "错题本"})
    t3 = qk.update_tracking(path, e3, standard=std)
    arch = t3.archive.set_index("student_id")
    assert set(arch.index) == {"a", "b", "c", "d"} and arch.index.is_unique
    assert arch.loc["a", ["status", "n_flagged"]].tolist() == ["已出列", 2]
    assert arch.loc["b", ["status", "n_flagged", "exams_flagged"]].tolist() == [
        "在列", 2, "2024-2025-2 期中；2025-2026-1 期中"]
    assert arch.loc["c", ["status", "n_flagged"]].tolist() == ["在列", 2]
    assert (arch.loc[["a", "b", "d"], "measures"].tolist()
            == ["每周二课后辅导", "-同桌互助", "错题本"])
    # every tracked student has one record per exam
    assert t3.history.groupby("exam").size().tolist() == [3, 4, 4]
    assert t3.exams == ["2024-2025-2 期中", "2024-2025-2 期末", "2025-2026-1 期中"]
    # re-running the same exam changes nothing
    again = qk.update_tracking(path, e3, standard=std)
    pd.testing.assert_frame_equal(again.archive, t3.archive)
    pd.testing.assert_frame_equal(again.history, t3.history)
    back = qk.Tracking.read(path)
    pd.testing.assert_frame_equal(back.archive.astype(str), t3.archive.astype(str))


def test_tracking_transfer_out_and_a_mistake_corrected(tmp_path):
    std = qk.Standard(support_bottom=0, support_max=1)
    e1 = table([("a", "5-1", "数学", 40), ("b", "5-1", "数学", 50), ("c", "5-1", "数学", 90)],
               exam="2025-2026-1 期中")
    t = qk.update_tracking(None, e1, standard=std)
    e2 = table([("a", "5-1", "数学", "transferred"), ("b", "5-1", "数学", 58),
                ("c", "5-1", "数学", 9)], exam="2025-2026-1 期末")  # c: 9 is a typo for 90
    t = qk.update_tracking(t, e2, standard=std)
    assert t.archive.set_index("student_id").loc["a", "status"] == "已转出"
    assert "c" in set(t.archive["student_id"])
    fixed = e2.assign(score=e2["score"].where(e2["student_id"] != "c", 90.0))
    t = qk.update_tracking(t, fixed, standard=std)
    assert set(t.archive["student_id"]) == {"a", "b"}  # the wrongly flagged student is gone


def test_tracking_file_errors_in_chinese(tmp_path):
    bad = tmp_path / "x.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(bad, index=False)
    with pytest.raises(ValueError, match="不是 qualitykit 的学困生档案"):
        qk.Tracking.read(bad)


# ---- the workbook and the command --------------------------------------------------------------
def test_workbook_one_sheet_per_class_masked_and_formula_safe(tmp_path):
    data = table([("a", "5-1", "数学", 40), ("b", "5-2", "数学", 95), ("c", "5-2", "数学", 70)])
    data.loc[data["student_id"] == "a", "name"] = "=HYPERLINK(\"x\")"
    lists = qk.targets(data)
    path = qk.write_targets(tmp_path / "培优补差.xlsx", lists, scores=data, mask=True)
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(sheets) == ["汇总", "5-1班", "5-2班"]
    assert sheets["5-1班"]["姓名"].iloc[0].startswith("'=＊")  # masked, and made safe
    unmasked = pd.read_excel(qk.write_targets(tmp_path / "b.xlsx", lists), sheet_name="5-1班",
                             engine="calamine")
    assert unmasked["姓名"].iloc[0].startswith("'=")
    assert "名次" not in " ".join(sheets["5-2班"].columns)  # no ranks on the lists
    assert set(sheets["5-2班"]["名单"]) <= {"培优", "临界", "补差", "偏科"}


def test_cli_targets_on_the_sample_school(tmp_path, capsys):
    from qualitykit.cli import main

    out, tracking = tmp_path / "培优补差.xlsx", tmp_path / "学困生档案.xlsx"
    assert main(["targets", "--out", str(out), "--tracking", str(tracking)]) == 0
    text = capsys.readouterr().out
    assert "培优补差名单已保存" in text and "学困生档案已更新" in text
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert {"汇总", "进步之星候选", "名单变动", "学习进步奖候选", "5-1班"} <= set(sheets)
    # 学习进步奖: the library's list among the 后进生, as the teachers get it
    award = qk.progress_award(qk.load_term(exam="2025-2026-1 期末", grade=5).scores,
                              qk.load_term(exam="2025-2026-1 期末", grade=5).previous)
    shown = sheets["学习进步奖候选"]
    assert shown["学号"].astype(str).tolist() == award["student_id"].tolist()
    assert shown["平均Z变化"].round(3).tolist() == award["z_change"].round(3).tolist()
    t = qk.Tracking.read(tracking)
    assert t.exams == ["2024-2025-2 期末", "2025-2026-1 期末"]  # seeded with last time
    assert main(["targets", "--out", str(out), "--tracking", str(tracking)]) == 0
    again = qk.Tracking.read(tracking)
    pd.testing.assert_frame_equal(again.archive, t.archive)


def test_a_class_with_nobody_on_a_list_still_gets_its_sheet(tmp_path):
    # 5-3: three pupils in the middle of the grade, no list rule applies to any of them
    data = table([("a", "5-1", "数学", 30), ("b", "5-2", "数学", 99), ("c", "5-3", "数学", 75),
                  ("d", "5-3", "数学", 76), ("e", "5-3", "数学", 74), ("f", "5-1", "数学", 73),
                  ("g", "5-2", "数学", 77), ("h", "5-2", "数学", 78), ("i", "5-1", "数学", 72)])
    lists = qk.targets(data)
    assert "5-3" not in set(lists["class_id"]) and {"5-1", "5-2"} <= set(lists["class_id"])
    sheets = pd.read_excel(qk.write_targets(tmp_path / "t.xlsx", lists, scores=data),
                           sheet_name=None, engine="calamine")
    assert list(sheets) == ["汇总", "5-1班", "5-2班", "5-3班"]
    assert sheets["5-3班"]["说明"].iloc[0].startswith("本次考试本班没有学生进入")
    assert "5-3班" not in pd.read_excel(qk.write_targets(tmp_path / "u.xlsx", lists),
                                        sheet_name=None, engine="calamine")  # no scores: lists only


def test_progress_without_lists_has_the_same_pupils_and_no_transition():
    # the pack's movers ask for the pupils' changes only: the lists are not computed
    current = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    previous = qk.load_sample(exam="2024-2025-2 期末", grade=4)
    full, bare = qk.progress(current, previous), qk.progress(current, previous, lists=())
    pd.testing.assert_frame_equal(bare.students, full.students)
    pd.testing.assert_frame_equal(bare.accounting, full.accounting)
    assert len(full.transitions) > 0 and bare.transitions.empty and bare.summary.empty
    assert list(bare.transitions.columns) == list(full.transitions.columns)
