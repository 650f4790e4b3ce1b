"""The check of a score table handed to an analysis (schema.check_scores_table): a wrong table
stops with a Chinese message that names the function, the column (in Chinese and as its
identifier), what is wrong, the offending rows, and how to fix the table."""

import re

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.schema import check_scores_table

EXAM = "2025-2026-1 期末"


def table(scores=(88.0, 72.5, 0.0, 100.0), statuses=None, full=100.0) -> pd.DataFrame:
    """One class, one subject: a canonical table as a researcher would build it."""
    n = len(scores)
    return pd.DataFrame({
        "student_id": [str(i + 1) for i in range(n)], "name": [f"学生{i + 1}" for i in range(n)],
        "school": "实验小学", "grade": 5, "class_id": "5-1", "subject": "数学", "exam": EXAM,
        "score": list(scores), "status": list(statuses or ["sat"] * n), "full_mark": full})


def message(where, frame, **kwargs) -> str:
    with pytest.raises(ValueError) as caught:
        check_scores_table(frame, where=where, **kwargs)
    return str(caught.value)


def test_tables_the_importer_makes_pass():
    for grade in (1, 5):  # grade 1: levels and no scores
        check_scores_table(qk.load_sample(exam=EXAM, grade=grade), where="summary")
    check_scores_table(table(), where="summary")
    # a researcher's Z scores have no full mark: a negative score is not out of range there
    now, before = qk.pre_post(pd.DataFrame({"id": [1, 2], "c": ["a", "b"], "pre": [-1.2, 0.3],
                                            "post": [-0.4, 0.9]}),
                              entry="pre", exit="post", by="c", student_id="id")
    check_scores_table(now, where="progress（current）")


def test_a_missing_column_is_named_with_its_chinese_name():
    text = message("summary", table().drop(columns=["status"]))
    assert text.startswith("summary：成绩表缺少列 status（状态） (missing column ['status'])")
    assert "qk.read_scores" in text and "'score'" in text  # the columns it has are listed
    # only the columns the analysis reads are required
    check_scores_table(table().drop(columns=["full_mark"]), where="compare_classes",
                       required=("score", "status"))


def test_a_column_of_text_where_numbers_belong_is_refused():
    text = message("summary", table().astype({"score": str}))
    assert text.startswith("summary：成绩表 score（成绩）列应为数值 (numeric dtype)")
    assert "'88.0'" in text and "pd.to_numeric" in text
    text = message("summary", table().assign(full_mark="100"))
    assert "full_mark（满分）列应为数值" in text
    text = message("summary", table().assign(score=[True, False, True, True]))
    assert "score（成绩）列应为数值" in text and "bool" in text
    # numbers kept in an object column (e.g. after a concat with None) are numbers
    check_scores_table(table().astype({"score": object}), where="summary")


def test_an_unknown_or_empty_status_is_named_with_its_row():
    text = message("summary", table(statuses=["sat", "present", None, "absent"]))
    assert text.startswith("summary：成绩表 status（状态）列有 2 行的状态无法识别 (unknown status)")
    assert "表中第 2 行（从 1 数起，学号 2，数学）：'present'" in text
    assert "表中第 3 行（从 1 数起，学号 3，数学）：空" in text
    assert "absent（缺考）" in text  # the allowed statuses, in Chinese too


def test_a_score_over_the_full_mark_or_negative_is_named_where_it_is_on_the_sheet():
    text = message("summary", table(scores=(88.0, 105.0, -2.0, 100.0)))
    assert text.startswith("summary：成绩表 score（成绩）列有 2 个分数不在 0 与满分之间 "
                           "(score out of range [0, full_mark])")
    assert "表中第 2 行（从 1 数起，学号 2，数学）：105 超过满分 100" in text
    assert "表中第 3 行（从 1 数起，学号 3，数学）：-2 是负数" in text
    assert "full_marks=" in text  # how to give the real full mark
    on_sheet = table(scores=(88.0, 105.0, 50.0, 100.0)).assign(
        source_file="成绩.xlsx", source_sheet="五(1)班", source_row=[3, 4, 5, 6])
    assert "成绩.xlsx 工作表 五(1)班 第 4 行（学号 2，数学）：105 超过满分 100" in message(
        "summary", on_sheet)
    # exactly the full mark and exactly 0 are in range
    check_scores_table(table(scores=(0.0, 100.0)), where="summary")


def test_many_offending_rows_are_counted_and_three_shown():
    text = message("summary", table(scores=(101.0,) * 7))
    assert "有 7 个分数" in text and text.count("超过满分") == 3 and "等 7 处" in text


def test_bounds_are_judged_unless_the_analysis_asks_not_to():
    over = table(scores=(88.0, 105.0, 50.0, 100.0))
    with pytest.raises(ValueError, match="105 超过满分 100"):
        check_scores_table(over, where="targets")
    check_scores_table(over, where="compare_classes", required=("score", "status"), bounds=False)
    # compare_classes does not read full marks; summary takes simulated scores past them (the
    # growth analyses hand it some) and counts them as it always did
    assert qk.compare_classes(over).classes["n_sat"].tolist() == [4]
    assert qk.summary(over)["max"].tolist() == [105.0]
    with pytest.raises(ValueError, match="^targets：.*105 超过满分 100"):
        qk.targets(over)


def _bad_status(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(status=["sat"] * (len(frame) - 1) + ["present"])


ENTRY_POINTS = [  # (where the message says it happened, the call on a table with a bad status)
    ("summary", lambda bad, good: qk.summary(bad)),
    ("all_pass_rate", lambda bad, good: qk.all_pass_rate(bad)),
    ("double_high_check", lambda bad, good: qk.double_high_check(bad)),
    ("score_bands", lambda bad, good: qk.score_bands(bad)),
    ("standardize", lambda bad, good: qk.standardize(bad)),
    ("student_totals", lambda bad, good: qk.student_totals(bad)),
    ("level_summary", lambda bad, good: qk.level_summary(bad)),
    ("compare_classes", lambda bad, good: qk.compare_classes(bad)),
    ("compare_exams（current）", lambda bad, good: qk.compare_exams(bad, good)),
    ("compare_exams（previous）", lambda bad, good: qk.compare_exams(good, bad)),
    ("teacher_table", lambda bad, good: qk.teacher_table(
        bad, pd.DataFrame({"grade": [5], "class_id": ["5-1"], "subject": ["数学"],
                           "teacher": ["王老师"]}))),
    ("targets", lambda bad, good: qk.targets(bad)),
    ("targets（previous）", lambda bad, good: qk.targets(good, previous=bad)),
    ("progress（current）", lambda bad, good: qk.progress(bad, good)),
    ("progress（previous）", lambda bad, good: qk.progress(good, bad)),
    ("update_tracking", lambda bad, good: qk.update_tracking(None, bad)),
]


@pytest.mark.parametrize(("where", "call"), ENTRY_POINTS, ids=[w for w, _ in ENTRY_POINTS])
def test_every_analysis_checks_the_table_it_is_handed(where, call):
    good = table()
    with pytest.raises(ValueError, match="^" + re.escape(f"{where}：成绩表 status（状态）列")):
        call(_bad_status(good), good)


def test_a_bad_score_among_100000_rows_is_found_by_its_position():
    # 100,000 rows with one bad score at the end: found, and named by its position
    n = 100_000
    rng = np.random.default_rng(0)
    big = pd.DataFrame({"student_id": np.arange(n).astype(str), "subject": "数学",
                        "score": rng.integers(0, 101, n).astype(float), "status": "sat",
                        "full_mark": 100.0})
    check_scores_table(big, where="summary")
    big.loc[n - 1, "score"] = 130.0
    assert f"表中第 {n} 行（从 1 数起，学号 {n - 1}，数学）：130 超过满分 100" in message("summary", big)


def test_align_student_ids_leading_zeros_one_to_one():
    """学号 012001 this term, 12001 last term (typed as a number, Excel dropped the zero): the
    same pupil. Ambiguous forms (1 and 01 both present, or 05 and 005 in the reference) and an
    id the table already uses are left alone, so two pupils are never joined."""
    from qualitykit.schema import align_student_ids

    before = pd.DataFrame({"student_id": ["12001", "12002", "12003", "1", "01", "5", "8", "008"],
                           "score": range(8)})
    now = pd.DataFrame({"student_id": ["012001", "012002", "99", "001", "05", "005", "008"]})
    out = align_student_ids(before, now)
    assert out["student_id"].tolist() == ["012001", "012002", "12003", "1", "01", "5", "8",
                                          "008"]
    assert out.attrs["aligned_ids"] == 2
    assert out["score"].tolist() == list(range(8))
    assert before["student_id"].iloc[0] == "12001"  # the input is not changed


def test_previous_exam_matched_across_leading_zeros(tmp_path):
    """load_term: last term's sheet with 学号 as numbers matches this term's text 学号."""
    import qualitykit as qk
    from conftest import write_xlsx

    head = ["学号", "姓名", "班级", "语文"]
    now = write_xlsx(tmp_path / "2025-2026-1 期末.xlsx", {"成绩": [
        head, ["00101", "甲", "五(1)班", 80], ["00102", "乙", "五(1)班", 70],
        ["00103", "丙", "五(1)班", 60]]})
    before = write_xlsx(tmp_path / "2024-2025-2 期末.xlsx", {"成绩": [
        head, [101, "甲", "四(1)班", 75], [102, "乙", "四(1)班", 65], [104, "丁", "四(1)班", 50]]})
    term = qk.load_term(now, previous_file=before, grade=5)
    assert sorted(set(term.previous["student_id"])) == ["00101", "00102", "104"]


def test_growth_exams_matched_across_leading_zeros(tmp_path):
    """load_exams (qualitykit growth, alerts): the earlier sheets' 学号 are written as the
    later ones write them, so the same pupil is one pupil across the exams."""
    from conftest import write_xlsx

    from qualitykit.growth.exams import load_exams

    head = ["学号", "姓名", "班级", "语文"]
    first = write_xlsx(tmp_path / "2024-2025-2 期末.xlsx", {"成绩": [
        head, [101, "甲", "四(1)班", 75], [102, "乙", "四(1)班", 65]]})
    second = write_xlsx(tmp_path / "2025-2026-1 期末.xlsx", {"成绩": [
        head, ["00101", "甲", "五(1)班", 80], ["00102", "乙", "五(1)班", 70]]})
    scores = load_exams([first, second]).scores
    assert scores.groupby("student_id")["exam"].nunique().to_dict() == {"00101": 2, "00102": 2}
