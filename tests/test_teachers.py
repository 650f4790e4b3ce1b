"""Teacher tables re-computed from students, checked by hand."""

import pandas as pd
import pytest

import qualitykit as qk
from test_indicators import frame


def teachers(rows):
    return pd.DataFrame(rows, columns=["teacher", "school_year", "term", "grade", "class_id",
                                       "subject"]).assign(teacher_id="", school="", class_name="")


SCORES = pd.concat([
    frame([("1", "5-1", "数学", 100, "sat", 100, 5), ("2", "5-1", "数学", 60, "sat", 100, 5),
           ("3", "5-2", "数学", 70, "sat", 100, 5), ("4", "5-2", "数学", 70, "sat", 100, 5),
           ("5", "5-2", "数学", 70, "sat", 100, 5), ("6", "5-2", "数学", 70, "sat", 100, 5),
           ("7", "5-3", "数学", 50, "sat", 100, 5), ("8", "5-3", "数学", 90, "sat", 100, 5)],
          exam="2025-2026-1 期末"),
])
TABLE = teachers([("王老师", "2025-2026", "1", 5, "5-1", "数学"),
                  ("王老师", "2025-2026", "1", 5, "5-2", "数学"),
                  ("李老师", "2025-2026", "1", 5, "5-3", "数学"),
                  ("李老师", "2025-2026", "2", 5, "5-2", "数学")])  # spring: not this exam


def test_a_teacher_of_two_classes_is_computed_from_her_students():
    t = qk.teacher_table(SCORES, TABLE).set_index("teacher")
    # 王: students 100, 60, 70×4 → mean 440/6 = 73.33, not the mean of class means (80 + 70)/2
    assert t.loc["王老师", "mean"] == pytest.approx(440 / 6)
    assert t.loc["王老师", "classes"] == "5-1、5-2" and t.loc["王老师", "n_classes"] == 2
    assert t.loc["李老师", "n_sat"] == 2  # the spring assignment does not apply to a 第一学期 exam
    assert t.loc["王老师", "diff_mean"] == pytest.approx(440 / 6 - 580 / 8)
    # class ranks by 综合分: 5-1 (80, 50 %优, 100 %及) …; the teacher's mean class rank averages them
    ranks = qk.summary(SCORES).set_index("class_id")["rank"]
    assert t.loc["王老师", "mean_class_rank"] == pytest.approx((ranks["5-1"] + ranks["5-2"]) / 2)


def test_overall_rank_averages_subjects_and_previous_exam_gives_the_change():
    english = SCORES.assign(subject="英语", score=SCORES["score"].to_numpy()[::-1])
    both = pd.concat([SCORES, english])
    table = pd.concat([TABLE, teachers([("王老师", "2025-2026", "1", 5, c, "英语")
                                        for c in ("5-1", "5-2", "5-3")])])
    t = qk.teacher_table(both, table)
    wang = t[t["teacher"] == "王老师"]
    assert wang["overall_mean_rank"].iloc[0] == pytest.approx(wang["rank"].astype(float).mean())
    before = SCORES.assign(exam="2024-2025-2 期末", grade=4,
                           class_id=SCORES["class_id"].str.replace("5-", "4-"))
    old = teachers([("王老师", "2024-2025", "2", 4, "4-3", "数学"),
                    ("李老师", "2024-2025", "2", 4, "4-1", "数学"),
                    ("李老师", "2024-2025", "2", 4, "4-2", "数学")])
    t = qk.teacher_table(SCORES, pd.concat([TABLE, old]), previous=before).set_index("teacher")
    assert t.loc["王老师", "prev_mean"] == pytest.approx(70)  # 4-3: 50 and 90
    assert t.loc["王老师", "rank_change"] == t.loc["王老师", "prev_rank"] - t.loc["王老师", "rank"]


def test_two_teachers_for_one_class_is_an_error_and_no_table_gives_an_empty_result():
    clash = pd.concat([TABLE, teachers([("赵老师", "2025-2026", "1", 5, "5-1", "数学")])])
    with pytest.raises(ValueError, match="5-1 班 数学 有两位教师"):
        qk.teacher_table(SCORES, clash)
    assert qk.teacher_table(SCORES, None).empty


def test_sample_school_mid_year_change_credits_each_teacher_with_his_term():
    s1 = qk.assign_teachers(qk.load_sample(exam="2024-2025-1 期末", grade=5), qk.load_sample("teachers"))
    s2 = qk.assign_teachers(qk.load_sample(exam="2024-2025-2 期末", grade=5), qk.load_sample("teachers"))
    t1 = s1[(s1.class_id == "5-2") & (s1.subject == "数学")]["teacher"].unique()
    t2 = s2[(s2.class_id == "5-2") & (s2.subject == "数学")]["teacher"].unique()
    assert len(t1) == len(t2) == 1 and t1[0] != t2[0]


def test_a_teacher_of_a_class_absent_from_the_sheet_is_named(tmp_path):
    """The 教学编排表 names 五(9)班 (a class the score sheet does not have, or writes another
    way): its teacher is listed, not silently dropped; other grades, subjects and terms of the
    编排表 are not."""
    from conftest import write_xlsx

    scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    rows = [["学年", "学期", "班级名称", "科目", "教师姓名"],
            ["2025-2026", "1", "五(1)班", "数学", "甲"], ["2025-2026", "1", "五(9)班", "数学", "赵磊"],
            ["2025-2026", "1", "五(9)班", "音乐", "乐老师"], ["2025-2026", "1", "四(9)班", "数学", "乙"],
            ["2024-2025", "2", "五(8)班", "数学", "丙"]]
    teachers = qk.read_teachers(write_xlsx(tmp_path / "编排.xlsx", {"编排": rows}))
    gaps = qk.unmatched_teachers(scores, teachers)
    assert gaps[["teacher", "class_id", "class_name", "subject"]].values.tolist() == [
        ["赵磊", "5-9", "五(9)班", "数学"]]
    from qualitykit.term.teachers import unmatched_note

    assert "五(9)班 数学（赵磊）" in unmatched_note(gaps)
    assert unmatched_note(gaps.iloc[:0]) == ""


def test_two_teachers_of_one_class_and_subject_name_the_file_and_rows(tmp_path):
    """A mid-term change written as two rows of one term: refused when the 编排表 is read, the
    message naming the file, sheet, both rows and teachers, and what to keep; the same teacher
    twice, or two teachers in two terms, are fine."""
    from conftest import write_xlsx

    head = ["学年", "学期", "班级名称", "科目", "教师姓名"]
    fine = [head, ["2025-2026", "1", "五(2)班", "语文", "甲"], ["2025-2026", "1", "五(2)班", "语文", "甲"],
            ["2025-2026", "2", "五(2)班", "语文", "乙"]]
    assert len(qk.read_teachers(write_xlsx(tmp_path / "好.xlsx", {"编排": fine}))) == 3
    rows = fine[:2] + [["2025-2026", "1", "五(2)班", "语文", "接任老师"]]
    with pytest.raises(qk.ScoreFileError) as info:
        qk.read_teachers(write_xlsx(tmp_path / "编排.xlsx", {"编排": rows}))
    text = str(info.value)
    assert text.startswith("教学编排表有 1 个错误")
    assert "文件 编排.xlsx，工作表「编排」，第 3 行：五(2)班 语文 有两位教师（第 2 行 甲，本行 接任老师）" in text
    assert "只保留本次考试时任课的一位" in text and "qualitykit check" not in text


def test_a_timetable_class_missing_from_the_scores_is_named_in_the_word_report(tmp_path):
    # the Word report the 教研组长 edits names the class the 编排表 has and the sheet lacks
    import docx

    term = qk.load_term(exam="2025-2026-1 期末", grade=5)
    unmatched = qk.unmatched_teachers(term.scores[term.scores["class_id"] != "5-4"],
                                      term.teachers)
    assert sorted(unmatched["class_id"].unique()) == ["5-4"] and len(unmatched) == 4
    files = qk.write_outputs(tmp_path, term, tables={"unmatched_teachers": unmatched})
    doc = docx.Document(files["docx"])
    text = "\n".join([p.text for p in doc.paragraphs] +
                     [c.text for t in doc.tables for row in t.rows for c in row.cells])
    assert "教学编排表中有、成绩表中没有的班级" in text
    assert all(name in text for name in unmatched["teacher"])
    sheets = pd.read_excel(files["xlsx"], sheet_name=None, engine="calamine")
    assert len(sheets["编排表中未对上的班级"]) == 4
    files = qk.write_outputs(tmp_path / "b", term, tables={"unmatched_teachers": unmatched.head(0)})
    doc = docx.Document(files["docx"])
    assert "教学编排表中有、成绩表中没有的班级" not in "\n".join(p.text for p in doc.paragraphs)
