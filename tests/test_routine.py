"""教学常规检查记录 (qualitykit.routine): counts, scores, requirements, missed months and the
order checked against a hand count; the school's variants read; every bad row reported; the
rules file's errors named; the join with the teacher evaluation; the command."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.routine.read import check_date
from qualitykit.routine.sample import SAMPLE_RECORD
from qualitykit.routine.workbooks import (
    RECORD_HEADERS,
    TEACHER_HEADERS,
    TEMPLATE,
    run_routine,
    write_record,
)

D = dt.date
#: A two-month term: 61 days, ⌈61 ÷ 7⌉ = 9 weeks.
RULES = qk.RoutineRules(
    term_start=D(2025, 9, 1), term_end=D(2025, 10, 31), spot_checks=2,
    required={"校长": {"听课": 3, "评课": 2}, "教研组长": {"听课": 4, "教研": "weekly"},
              "教师": {}},
    weights={"备课": 0.5, "作业批改": 0.3, "上课": 0.2},
    grades={"优": 95, "良": 85, "中": 75, "差": 60}, top=2)

TEACHERS = [("甲", "语文", "校长", ""), ("乙", "数学", "教研组长", ""), ("丙", "英语", "教师", ""),
            ("丁", "语文", "教师", ""), ("戊", "数学", "教师", "")]
# 日期, 检查类型, 教师, 学科, 项目, 数量, 等级或得分, 检查人, 备注
ROWS = [
    (D(2025, 9, 10), "月查", "甲", "语文", "备课", None, "优", "教导处", ""),
    (D(2025, 9, 10), "月查", "甲", "语文", "作业批改", None, "良", "教导处", ""),
    (D(2025, 10, 15), "月查", "甲", "语文", "备课", None, 88, "教导处", ""),
    (D(2025, 9, 20), "抽查", "甲", "语文", "上课", None, "中", "", ""),
    (D(2025, 10, 20), "抽查", "甲", "语文", "上课", None, "良", "", ""),
    (D(2025, 9, 30), "月查", "甲", "语文", "听课", 2, None, "", ""),
    (D(2025, 10, 31), "月查", "甲", "语文", "听课", None, None, "", ""),
    (D(2025, 10, 31), "月查", "甲", "语文", "评课", 2, None, "", ""),
    (D(2025, 9, 12), "月查", "乙", "数学", "备课", None, "良", "", ""),
    (D(2025, 9, 12), "月查", "乙", "数学", "作业批改", None, "良", "", ""),
    (D(2025, 9, 25), "抽查", "乙", "数学", "上课", None, "优", "", ""),
    (D(2025, 9, 25), "抽查", "乙", "数学", "备课", None, "优", "", ""),
    (D(2025, 10, 5), "月查", "乙", "数学", "听课", 3, None, "", ""),
    *[(D(2025, m, d), "月查", "乙", "数学", "教研", 1, None, "", "")
      for m, d in ((9, 3), (9, 10), (9, 17), (9, 24), (10, 8))],
    (D(2025, 9, 15), "月查", "丙", "英语", "备课", None, "差", "", ""),
    (D(2025, 10, 15), "月查", "丙", "英语", "作业批改", None, "中", "", ""),
    (D(2025, 9, 22), "抽查", "丙", "英语", "上课", None, "差", "", ""),
    (D(2025, 10, 22), "抽查", "丙", "英语", "辅导", None, "良", "", ""),
    (D(2025, 9, 15), "月查", "丁", "语文", "备课", None, "差", "", ""),
    (D(2025, 10, 15), "月查", "丁", "语文", "作业批改", None, "中", "", ""),
    (D(2025, 9, 22), "抽查", "丁", "语文", "上课", None, "差", "", ""),
    (D(2025, 10, 23), "抽查", "丁", "语文", "反思", None, "优", "", ""),
    (D(2025, 9, 11), "月查", "戊", "数学", "备课", None, "优", "", ""),
    (D(2025, 10, 16), "月查", "戊", "数学", "备课", None, 88, "", ""),
    (D(2025, 9, 11), "月查", "戊", "数学", "作业批改", None, "良", "", ""),
    (D(2025, 9, 21), "抽查", "戊", "数学", "上课", None, "中", "", ""),
    (D(2025, 10, 21), "抽查", "戊", "数学", "上课", None, "良", "", ""),
]
# The hand count (weights 备课 0.5, 作业批改 0.3, 上课 0.2; 优 95, 良 85, 中 75, 差 60):
#   甲: 备课 (95 + 88)/2 = 91.5, 作业批改 85, 上课 (75 + 85)/2 = 80
#       → 0.5·91.5 + 0.3·85 + 0.2·80 = 45.75 + 25.5 + 16 = 87.25; 抽查 on 2 dates;
#       听课 2 + 1 (blank 数量) = 3 ≥ 3, 评课 2 ≥ 2.
#   乙: 备课 (85 + 95)/2 = 90, 作业批改 85, 上课 95 → 45 + 25.5 + 19 = 89.5;
#       抽查: 上课 and 备课 on the same day = 1 of 2; 听课 3 of 4; 教研 5 of 9 weeks;
#       October has only a 听课 tally (not a check of her work) → October missed.
#   丙, 丁: 60, 75, 60 → 30 + 22.5 + 12 = 64.5 (辅导, 反思 unweighted: counted, not scored).
#   戊: as 甲 → 87.25.
#   Places: 乙 1, 甲 2, 戊 2 (tied), 丙 4, 丁 4 → 前二名 乙 甲 戊; 倒数最后一名 丙 丁.
SCORES = {"甲": 87.25, "乙": 89.5, "丙": 64.5, "丁": 64.5, "戊": 87.25}


@pytest.fixture
def record(tmp_path) -> Path:
    return write_record(tmp_path / "记录.xlsx", ROWS, TEACHERS)


@pytest.fixture
def result(record):
    records, teachers, report = qk.read_routine(record, rules=RULES)
    assert report.ok and report.problems.empty
    return qk.routine_summary(records, teachers, RULES)


def _items(result, teacher):
    return result.items[result.items["teacher"] == teacher].set_index("item")


def test_counts_and_means_per_item_equal_the_hand_count(result):
    a = _items(result, "甲")
    assert a.loc[["备课", "作业批改", "上课", "听课", "评课", "辅导"], "quantity"].tolist() == \
        [2, 1, 2, 3, 2, 0]
    assert a.loc[["备课", "作业批改", "上课"], "mean_points"].tolist() == [91.5, 85, 80]
    assert a.loc["听课", "n_records"] == 2 and a.loc["听课", "n_scored"] == 0
    b = _items(result, "乙")
    assert b.loc[["备课", "教研", "听课"], "quantity"].tolist() == [2, 5, 3]
    assert b.loc["备课", "mean_points"] == 90
    c = _items(result, "丙")
    assert c.loc["辅导", "quantity"] == 1 and c.loc["辅导", "mean_points"] == 85
    assert pd.isna(c.loc["辅导", "weight"]) and c.loc["备课", "weight"] == 0.5


def test_routine_score_equals_the_hand_computation(result):
    got = result.teachers.set_index("teacher")["routine_score"]
    assert got.to_dict() == pytest.approx(SCORES)
    assert result.for_evaluation.set_index("teacher")["routine"].to_dict() == pytest.approx(SCORES)


def test_requirements_done_required_and_shortfall(result):
    req = result.requirements.set_index(["teacher", "requirement"])
    assert req.loc[("甲", "抽查"), ["required", "done", "met"]].tolist() == [2, 2, True]
    assert req.loc[("甲", "听课"), ["required", "done", "met"]].tolist() == [3, 3, True]
    assert req.loc[("甲", "评课"), ["required", "done", "met"]].tolist() == [2, 2, True]
    assert req.loc[("乙", "抽查"), ["required", "done", "shortfall"]].tolist() == [2, 1, 1]
    assert req.loc[("乙", "听课"), ["required", "done", "shortfall"]].tolist() == [4, 3, 1]
    assert req.loc[("乙", "教研"), ["required", "done", "shortfall"]].tolist() == [9, 5, 4]
    assert set(req.loc["丙"].index) == {"抽查"}  # 教师: only the 抽查 rule
    unmet = result.requirements[~result.requirements["met"]]
    assert sorted(zip(unmet["teacher"], unmet["requirement"])) == \
        [("乙", "听课"), ("乙", "抽查"), ("乙", "教研")]
    assert result.teachers.set_index("teacher")["requirements_missed"].to_dict() == \
        {"甲": 0, "乙": 3, "丙": 0, "丁": 0, "戊": 0}


def test_missed_months(result):
    assert result.missed_months[["teacher", "month"]].values.tolist() == [["乙", "2025-10"]]


def test_ties_at_the_top_and_at_the_bottom(result):
    t = result.teachers.set_index("teacher")
    assert t["routine_rank"].to_dict() == {"甲": 2, "乙": 1, "丙": 4, "丁": 4, "戊": 2}
    assert t["routine_flag"].to_dict() == {"甲": "前二名", "乙": "前二名", "丙": "倒数最后一名",
                                           "丁": "倒数最后一名", "戊": "前二名"}


def test_a_teacher_without_records_is_not_placed(tmp_path):
    path = write_record(tmp_path / "记录.xlsx", ROWS, TEACHERS + [("己", "科学", "教师", "")])
    summary = qk.routine_summary(*qk.read_routine(path, rules=RULES)[:2], RULES)
    t = summary.teachers.set_index("teacher")
    assert pd.isna(t.loc["己", "routine_score"]) and pd.isna(t.loc["己", "routine_rank"])
    assert t.loc["己", "routine_flag"] == "" and "不计名次" in t.loc["己", "note"]
    assert t.loc["己", "months_missed"] == 2 and t.loc["己", "requirements_missed"] == 1
    assert t.drop(index="己")["routine_rank"].tolist() == [2, 1, 4, 4, 2]  # the others as before


def test_all_equal_scores_flag_nobody(record):
    records, teachers, _ = qk.read_routine(record, rules=RULES)
    same = records.assign(rating_points=80.0)
    t = qk.routine_summary(same, teachers, RULES).teachers
    assert t["routine_rank"].eq(1).all() and t["routine_flag"].eq("").all()


def test_a_missing_item_reweighted_or_zero(record):
    records, teachers, _ = qk.read_routine(record, rules=RULES)
    without = records[~((records["teacher"] == "丙") & (records["item"] == "上课"))]
    # 丙 without 上课: (0.5·60 + 0.3·75) ÷ 0.8 = 52.5 ÷ 0.8 = 65.625; as 0 points: 52.5
    for rule, expected in (("reweight", 65.625), ("zero", 52.5)):
        t = qk.routine_summary(without, teachers, replace(RULES, missing_item=rule)).teachers
        assert t.set_index("teacher").loc["丙", "routine_score"] == pytest.approx(expected)


# ---- the school's own variants -------------------------------------------------------------

def _school_workbook(path: Path) -> Path:
    """Month sheets with merged titles, other header words and orders, dates of every kind."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "9月"
    ws.append(["2025—2026学年第一学期教学常规检查记录（9月）"])
    ws.merge_cells("A1:G1")
    ws.append(["授课教师", "检查项目", "日期", "次数", "评价", "检查方式", "备注"])
    ws.append(["甲", "教案", dt.datetime(2025, 9, 10), None, "优", "月检", ""])  # row 3
    ws.append(["甲", "作业", "2025-09-10", None, "良", "月查", ""])  # row 4
    ws.append(["甲", "课堂教学", "9月20日", None, "中", "随机抽查", ""])  # row 5
    ws.append(["甲", "听课", "2025.9.30", "2节", None, "月查", ""])  # row 6
    ws.append(["乙", "备课", "12日", None, 85, "月查", "只写了日"])  # row 7
    ws.append(["合计", None, None, 6, None, None, None])  # row 8
    ws2 = wb.create_sheet("10月")
    ws2.append(["检查日期", "姓名", "内容", "节数", "等级", "类型"])
    ws2.append([45945, "甲", "备课", None, 88, "月查"])  # 45945 = 2025-10-15
    ws2.append(["10/20", "甲", "授课", None, "良", "抽检"])
    ws2.append(["10.31", "甲", "评课", 2, None, "月查"])
    staff = wb.create_sheet("教师名单")
    staff.append(["姓名", "任教学科", "职务"])
    staff.append(["甲", "语文", "校长"])
    staff.append(["乙", "数学", "教务主任"])
    guide = wb.create_sheet("填写说明")
    guide.append(["教师", "项目"])
    guide.append(["示例", "备课"])
    wb.save(path)
    return path


def test_school_variants_are_read(tmp_path):
    records, teachers, report = qk.read_routine(_school_workbook(tmp_path / "常规.xlsx"),
                                                rules=RULES)
    assert report.errors.empty
    got = records[["sheet", "row", "date", "teacher", "item", "check_type", "quantity",
                   "rating_points"]]
    assert got.assign(date=got["date"].dt.date).values.tolist() == [
        ["9月", 3, D(2025, 9, 10), "甲", "备课", "月查", 1, 95],
        ["9月", 4, D(2025, 9, 10), "甲", "作业批改", "月查", 1, 85],
        ["9月", 5, D(2025, 9, 20), "甲", "上课", "抽查", 1, 75],
        ["9月", 6, D(2025, 9, 30), "甲", "听课", "月查", 2, pytest.approx(float("nan"), nan_ok=True)],
        ["9月", 7, D(2025, 9, 12), "乙", "备课", "月查", 1, 85],
        ["10月", 2, D(2025, 10, 15), "甲", "备课", "月查", 1, 88],
        ["10月", 3, D(2025, 10, 20), "甲", "上课", "抽查", 1, 85],
        ["10月", 4, D(2025, 10, 31), "甲", "评课", "月查", 2, pytest.approx(float("nan"), nan_ok=True)],
    ]
    assert teachers.set_index("teacher")["role"].to_dict() == {"甲": "校长", "乙": "教导主任"}
    assert records.set_index("row")["subject"].loc[7] == "数学"  # from the 教师 sheet
    sheets = report.sheets.set_index("sheet")
    assert not sheets.loc["填写说明", "used"]
    assert sheets.loc["9月", "header_row"] == 2
    assert report.rows_read == report.rows_imported + report.rows_skipped
    (total,) = report.problems[report.problems["row"] == 8].itertuples()
    assert total.severity == "info" and total.sheet == "9月"


def test_a_sheet_named_for_its_check_type(tmp_path, xlsx):
    path = xlsx({"抽查记录": [["日期", "教师", "项目", "等级"], ["2025-09-10", "甲", "上课", "优"],
                             ["2025-09-20", "甲", "备课", "良"]]})
    records, _, report = qk.read_routine(path, rules=RULES)
    assert records["check_type"].tolist() == ["抽查", "抽查"]
    (note,) = report.problems[report.problems["severity"] == "info"].itertuples()
    assert note.sheet == "抽查记录" and "按工作表名" in note.problem
    summary = qk.routine_summary(records, qk.read_routine(path, rules=RULES)[1], RULES)
    assert summary.teachers["spot_checks"].tolist() == [2]


def test_the_sample_record_is_what_its_generator_writes(tmp_path):
    from qualitykit.routine.sample import write_sample_record

    assert write_sample_record(tmp_path / "s.xlsx").read_bytes() == SAMPLE_RECORD.read_bytes(), \
        "运行 make sample 重新生成示例"


def test_dates_without_a_year_take_the_terms():
    rules = replace(RULES, term_start=D(2025, 9, 1), term_end=D(2026, 1, 16))
    assert check_date("1月5日", rules)[0] == D(2026, 1, 5)
    assert check_date("12.30", rules)[0] == D(2025, 12, 30)
    no_term = replace(RULES, term_start=None, term_end=None, required={})
    date, why = check_date("3月5日", no_term)
    assert date is None and "term_start" in why


BAD_ROWS = [  # (row as written, the column letter the report names, a word of the message)
    ((D(2025, 9, 10), "月查", "甲", "语文", "卫生", None, "优", "", ""), "E", "不是常规检查项目"),
    ((D(2025, 9, 10), "月查", "王五", "语文", "备课", None, "优", "", ""), "C", "不在「教师」表中"),
    ((D(2025, 9, 10), "月查", "甲", "语文", "备课", None, "很好", "", ""), "G", "不在规则的等级表中"),
    (("2026-03-05", "月查", "甲", "语文", "备课", None, "优", "", ""), "A", "不在本学期"),
    (("下周", "月查", "甲", "语文", "备课", None, "优", "", ""), "A", "无法识别"),
    ((None, "月查", "甲", "语文", "备课", None, "优", "", ""), "A", "没有填写日期"),
    ((D(2025, 9, 10), "周查", "甲", "语文", "备课", None, "优", "", ""), "B", "应为 月查 或 抽查"),
    ((D(2025, 9, 10), "月查", "甲", "语文", "听课", "两节", None, "", ""), "F", "应为正整数"),
    ((D(2025, 9, 10), "月查", None, "语文", "备课", None, "优", "", ""), "C", "没有填写教师姓名"),
    ((D(2025, 9, 10), "月查", "甲", "语文", "备课", None, 120, "", ""), "G", "不在 0–100 之间"),
]


def test_every_bad_row_is_in_the_report_with_its_place_and_fix(tmp_path):
    good = (D(2025, 9, 11), "月查", "甲", "语文", "备课", None, "优", "", "")
    blank_type = (D(2025, 9, 12), None, "甲", "语文", "备课", None, "良", "", "")
    rows = [good] + [r for r, _, _ in BAD_ROWS] + [blank_type]
    path = write_record(tmp_path / "错.xlsx", rows, TEACHERS)
    records, _, report = qk.read_routine(path, rules=RULES)
    assert records["row"].tolist() == [2, len(rows) + 1]  # the good row and the blank type
    errors = report.errors.set_index("row")
    assert errors.index.tolist() == list(range(3, 3 + len(BAD_ROWS)))
    for row, (_, column, words) in enumerate(BAD_ROWS, start=3):
        assert errors.loc[row, "column"] == column and words in errors.loc[row, "problem"]
        assert "工作表「检查记录」" in errors.loc[row, "problem"]
        assert errors.loc[row, "action"].startswith("已跳过")
    warning = report.problems[report.problems["severity"] == "warning"]
    assert warning["row"].tolist() == [len(rows) + 1] and "检查类型" in warning["problem"].iloc[0]
    assert records["check_type"].iloc[1] == ""
    used = report.sheets.set_index("sheet").loc["检查记录"]
    assert (used["rows_read"], used["rows_imported"], used["rows_skipped"]) == \
        (len(rows), 2, len(BAD_ROWS))


def test_a_teacher_twice_on_the_teacher_sheet(tmp_path):
    teachers = TEACHERS + [("甲", "道德与法治", "校长", ""), ("乙", "数学", "教师", "")]
    path = write_record(tmp_path / "记录.xlsx", ROWS, teachers)
    _, staff, report = qk.read_routine(path, rules=RULES)
    assert staff.set_index("teacher").loc["甲", "subject"] == "语文、道德与法治"
    assert staff.set_index("teacher").loc["乙", "role"] == "教研组长"
    notes = report.problems.set_index("row")
    assert notes.loc[7, "severity"] == "info" and "按同一人合并" in notes.loc[7, "problem"]
    assert notes.loc[8, "severity"] == "error" and "职务却不同" in notes.loc[8, "problem"]


def test_a_record_without_a_teacher_sheet_is_read_with_a_warning(tmp_path, xlsx):
    path = xlsx({"检查记录": [RECORD_HEADERS, ["2025-09-10", "月查", "甲", "语文", "备课", None, "优"]]})
    records, teachers, report = qk.read_routine(path, rules=RULES)
    assert len(records) == 1 and teachers["role"].tolist() == ["教师"]
    assert "没有「教师」表" in report.problems["problem"].iloc[0]


# ---- the rules file ------------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ("[default\nx = 1", "不是有效的 TOML"),
    ("[default]\nspot = 2", "未知的设置 ['spot']"),
    ('[default]\nweights = { "卫生" = 1 }', "weights"),
    ('[default]\nrequired = { "教研组长" = { "教研" = "weekly" } }', "weeks"),
    ('[default]\nterm_start = 2026-01-01\nterm_end = 2025-09-01', "term_start"),
    ('[default]\nterm_start = "九月"', "term_start 应为日期"),
    ('[a]\nbase = "b"', "base"),
    ('[default]\ngrades = { "优" = 120 }', "grades"),
    ('[default]\ntop = 0', "top"),
    ('[default]\nmissing_item = "skip"', "missing_item"),
    ('[default.required]\n"校长" = 20', "required.校长 应写成"),
    ('[default]\nweights = 0.5', "weights 应写成"),
    ('[default]\nspot_checks = 1.5', "spot_checks"),
])
def test_a_bad_rules_file_names_the_key(tmp_path, text, words):
    path = tmp_path / "规则.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]")):
        qk.routine_rules(path)


def test_a_rules_file_that_is_not_text_or_not_there(tmp_path):
    with pytest.raises(ValueError, match="不是文本格式的 TOML"):
        qk.routine_rules(SAMPLE_RECORD)
    with pytest.raises(FileNotFoundError, match="找不到常规考核规则文件"):
        qk.routine_rules(tmp_path / "无.toml")


def test_summary_refuses_records_of_teachers_it_does_not_know(record):
    records, teachers, _ = qk.read_routine(record, rules=RULES)
    with pytest.raises(ValueError, match=r"\['甲'\] 不在教师表"):
        qk.routine_summary(records, teachers[teachers["teacher"] != "甲"], RULES)


def test_the_rules_template_holds_the_documents_numbers():
    rules = qk.routine_rules()
    assert rules.spot_checks == 2 and rules.top == 3 and rules.term_weeks == 20
    assert rules.requirements("校长") == {"听课": 20, "评课": 20}
    assert rules.requirements("教研组长") == {"听课": 30, "教研": 20}
    assert rules.requirements("副校长") == {}  # not in the documents: the 教师's
    assert sum(rules.weights.values()) == pytest.approx(1)
    assert qk.routine_rules("strict").missing_item == "zero"


# ---- template, sample, output, the evaluation, the command ---------------------------------

def test_template_is_what_the_generator_writes(tmp_path):
    written = qk.write_routine_template(tmp_path / "t.xlsx")
    assert written.read_bytes() == TEMPLATE.read_bytes(), "运行 make template 重新生成模板"
    wb = openpyxl.load_workbook(TEMPLATE)
    assert wb.sheetnames == ["检查记录", "教师", "填写说明"]
    assert [c.value for c in wb["检查记录"][1]] == RECORD_HEADERS
    assert [c.value for c in wb["教师"][1]] == TEACHER_HEADERS
    lists = {str(v.sqref): v.formula1 for v in wb["检查记录"].data_validations.dataValidation}
    assert lists["B2:B2001"] == '"月查,抽查"'
    assert lists["E2:E2001"] == '"备课,上课,作业批改,辅导,检测,反思,教研,听课,评课"'
    staff = {str(v.sqref): v.formula1 for v in wb["教师"].data_validations.dataValidation}
    assert staff["C2:C2001"] == '"校长,副校长,教导主任,教研组长,教师"'
    records, _, _ = qk.read_routine(TEMPLATE)  # the examples are in 填写说明: nothing counted
    assert records.empty


def _hand_count(path: Path) -> pd.DataFrame:
    """Σ 数量 (blank = 1) per teacher × item, counted straight from the cells."""
    ws = openpyxl.load_workbook(path, read_only=True)["检查记录"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if r[2]]
    counts = {}
    for r in rows:
        counts[(r[2], r[4])] = counts.get((r[2], r[4]), 0) + (r[5] or 1)
    return pd.Series(counts).sort_index()


def test_sample_totals_equal_a_hand_count_and_its_misses_are_flagged(tmp_path):
    lines, complete = run_routine(SAMPLE_RECORD, out=tmp_path)
    assert complete
    summary = qk.routine_summary(*qk.read_routine(SAMPLE_RECORD)[:2])
    got = summary.items[summary.items["quantity"] > 0].set_index(["teacher", "item"])["quantity"]
    assert got.sort_index().to_dict() == _hand_count(SAMPLE_RECORD).to_dict()
    unmet = summary.requirements[~summary.requirements["met"]]
    assert sorted(zip(unmet["teacher"], unmet["requirement"], unmet["done"])) == \
        [("教师037", "听课", 26), ("教师037", "教研", 17), ("教师094", "抽查", 1)]
    assert summary.missed_months[["teacher", "month"]].values.tolist() == \
        [["教师049", "2025-11"], ["教师070", "2025-12"], ["教师070", "2026-01"]]
    text = "\n".join(lines)
    assert "未达要求：教师037（教研组长）听课 完成 26/30（差 4）" in text
    assert "倒数最后一名：" in text and "前三名：" in text
    sheets = pd.read_excel(tmp_path / "教学常规考核.xlsx", sheet_name=None, engine="calamine")
    assert list(sheets) == ["汇总", "各项明细", "未达要求", "缺查月份", "说明", "导入问题"]
    assert {"教师", "职务", "常规考核得分", "常规考核名次", "标记"} <= set(sheets["汇总"])
    assert sheets["缺查月份"]["月份"].tolist() == ["2025年11月", "2025年12月", "2026年1月"]
    assert len(sheets["汇总"]) == 80


def test_the_output_joins_the_teacher_evaluation(tmp_path):
    run_routine(SAMPLE_RECORD, out=tmp_path)
    routine = qk.read_routine_scores(tmp_path / "教学常规考核.xlsx")
    term = qk.load_term(None, teacher_file=qk.sample_path(kind="teachers"))
    with_it = qk.evaluate_teachers(term.scores, term.teachers, outside=routine)
    t = with_it.table.set_index("teacher")
    assert "routine" in with_it.weights
    expected = routine.set_index("teacher")["routine"]
    assert t["routine"].to_dict() == expected[t.index].to_dict()
    assert with_it.scales["routine"] == pytest.approx(t["routine"].std(ddof=1))
    # combined = Σ wᵢ·cᵢ/sᵢ (the weights 横向 0.4, 均衡 0.2, 常规 0.2 re-scaled to sum to 1),
    # the 常规考核得分 from the teachers' mean (横向 and 均衡 are 0 at the grade's level)
    w = {"across": 0.4, "balance": 0.2, "routine": 0.2}
    assert with_it.weights == pytest.approx({k: v / 0.8 for k, v in w.items()})
    centre = {"across": 0, "balance": 0, "routine": t["routine"].mean()}
    hand = sum(v / 0.8 * (t[k] - centre[k]) / t[k].std(ddof=1) for k, v in w.items())
    assert t["combined"].to_dict() == pytest.approx(hand.to_dict())


def test_cli_routine_and_evaluate_with_it(tmp_path, capsys):
    assert main(["routine", str(SAMPLE_RECORD), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "倒数最后一名" in out and "教学常规考核.xlsx" in out
    assert main(["evaluate", "--routine", str(tmp_path / "教学常规考核.xlsx"),
                 "--out", str(tmp_path / "评价.xlsx")]) == 0
    assert "教学常规考核 0." in capsys.readouterr().out
    table = pd.read_excel(tmp_path / "评价.xlsx", engine="calamine")
    assert table["教学常规考核"].notna().all()


def test_cli_errors_are_one_chinese_line(tmp_path, capsys, record):
    cases = [["routine", str(tmp_path / "无.xlsx")],
             ["routine", str(Path(qk.sample_path(kind="teachers")))],
             ["routine", str(record), "--preset", "nope"]]
    bad_rules = tmp_path / "r.toml"
    bad_rules.write_text("[default]\ntop = -1", encoding="utf-8")
    cases.append(["routine", str(record), "--rules", str(bad_rules)])
    for argv in cases:
        assert main(argv + ["--out", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err.strip()
        assert "Traceback" not in err and len(err.splitlines()) == 1 and err


def test_cli_a_record_with_errors_exits_1_and_says_so(tmp_path, capsys):
    rows = list(ROWS) + [BAD_ROWS[0][0]]
    path = write_record(tmp_path / "记录.xlsx", rows, TEACHERS)
    rules = tmp_path / "r.toml"
    rules.write_text('[default]\nterm_start = 2025-09-01\nterm_end = 2025-10-31\n', encoding="utf-8")
    assert main(["routine", str(path), "--rules", str(rules), "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "有 1 行有错误，未计入" in out and "卫生" in out
    problems = pd.read_excel(tmp_path / "教学常规考核.xlsx", sheet_name="导入问题", engine="calamine")
    assert problems["行"].tolist() == [len(rows) + 1]


def _shifted(rows, years: int, months: int):
    """ROWS (2025-09 … 2025-10) moved to another term, day kept."""
    def move(day):
        m = day.month - 1 + months
        return D(day.year + years + m // 12, m % 12 + 1, day.day)
    return [(move(r[0]), *r[1:]) for r in rows]


def test_a_school_s_record_of_another_term_is_read_with_the_template_s_rules(tmp_path):
    """The template does not name the term: a record of 2027's 第二学期 is read whole, and the
    term is taken from its dates (said in the report, the command's lines and the 说明)."""
    spring = _shifted(ROWS, 1, 7)  # 2025-09/10 → 2027-04/05
    path = write_record(tmp_path / "记录.xlsx", spring, TEACHERS)
    rules = qk.record_term(path)  # the template's [default]: no dates
    assert (rules.term_start, rules.term_end, rules.term_from_record) == \
        (min(r[0] for r in spring), max(r[0] for r in spring), True)
    assert rules.term_weeks == 20  # the template's weeks
    records, teachers, report = qk.read_routine(path)
    assert len(records) == len(ROWS) and report.errors.empty
    assert report.problems["problem"].str.contains("按检查记录中的日期推定本学期为 2027-04").any()
    summary = qk.routine_summary(records, teachers, rules)
    assert set(summary.missed_months["month"]) <= {"2027-04", "2027-05"}
    lines, complete = run_routine(path, out=tmp_path / "out")
    assert complete and any(line.startswith("学期：2027-04") and "推定" in line
                            for line in lines)
    notes = pd.read_excel(tmp_path / "out" / "教学常规考核.xlsx", sheet_name=None, engine="calamine")
    assert any(frame.astype(str).apply(lambda c: c.str.contains("按检查记录中第一次到最后一次")).any().any()
               for frame in notes.values())


def test_rows_of_another_term_in_the_record_are_reported_not_counted(tmp_path):
    autumn_2026 = _shifted(ROWS, 1, 0)  # the term most rows are in: 2026-09/10
    stray = [(D(2026, 3, 10), "月查", "甲", "语文", "备课", None, "优", "教导处", "上学期的")]
    path = write_record(tmp_path / "记录.xlsx", autumn_2026 + stray, TEACHERS)
    records, _, report = qk.read_routine(path)
    assert len(records) == len(ROWS)
    assert report.errors["problem"].str.contains("2026-03-10 不在本学期 2026-09").sum() == 1


def test_a_term_named_in_the_rules_is_kept_and_year_less_dates_need_one(tmp_path):
    path = write_record(tmp_path / "记录.xlsx", ROWS, TEACHERS)
    assert qk.record_term(path, RULES) is RULES  # named: as it is
    no_year = [(f"{r[0].month}月{r[0].day}日", *r[1:]) for r in ROWS]
    path = write_record(tmp_path / "无年份.xlsx", no_year, TEACHERS)
    rules = qk.record_term(path)
    assert rules.term_start is None and not rules.term_from_record
    records, _, report = qk.read_routine(path)
    assert records.empty and report.errors["problem"].str.contains("没有年份").all()


def test_the_rules_file_cannot_claim_its_term_came_from_a_record(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text("[default]\nterm_from_record = true\n", encoding="utf-8")
    with pytest.raises(ValueError, match="term_from_record"):
        qk.routine_rules(path)
