"""The importer against every quirk of school sheets and every error path (hand-built files)."""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk

TITLE = "实验小学2024—2025学年第一学期五年级期末检测成绩统计表"


def accounted(report):
    return report.rows_read == report.rows_imported + report.rows_skipped


def test_title_row_markers_zero_and_text_numbers(xlsx):
    path = xlsx({"五年级": [
        [TITLE],
        ["序号", "班级", "学号", "姓名", "语文", "数学", "总分", "班名次"],
        [1, "五(1)班", "001", "张三", 95, "缺考", 95, 2],
        [2, "五（1）班", "002", "李四", 0, "８８", 88, 3],
        [3, "5(2)", "003", "王五", "请假", "90.5", 90.5, 1],
        [4, "502", "004", "赵六", "转学", "作弊", None, None],
    ]}, merges={"五年级": [(0, 0, 0, 7, TITLE)]})
    report = qk.check_scores(path)
    d = report.data.set_index(["student_id", "subject"])
    assert report.ok and accounted(report) and report.rows_imported == 4
    assert d.loc[("001", "数学"), "status"] == "absent" and np.isnan(d.loc[("001", "数学"), "score"])
    assert d.loc[("002", "语文"), ["score", "status"]].tolist() == [0.0, "sat"]  # a real 0
    assert d.loc[("002", "数学"), "score"] == 88.0  # full-width digits
    assert d.loc[("003", "语文"), "status"] == "excused"
    assert d.loc[("003", "数学"), "score"] == 90.5  # number stored as text
    assert d.loc[("004", "语文"), "status"] == "transferred"
    assert d.loc[("004", "数学"), "status"] == "cheated"
    assert set(report.data["class_id"]) == {"5-1", "5-2"}
    assert set(report.data["exam"]) == {"2024-2025-1 期末"}
    assert set(report.data["school"]) == {"实验小学"}
    assert report.data["grade"].eq(5).all()
    aside = report.problems[report.problems["severity"] == "info"]
    assert {"序号", "总分", "班名次"} <= set(aside["header"])


def test_two_row_merged_header_takes_the_score_and_sets_ranks_aside(xlsx):
    rows = [
        ["成绩汇总--2025-2026学年第一学期七年级学情检测"],
        ["准考证号", "自定义考号", "班级", "姓名", "总分", None, None, "语文", None, None, "数学", None, None],
        [None, None, None, None, "得分", "校次", "班次", "得分", "校次", "班次", "得分", "校次", "班次"],
        ["3001", "71201", "七年级12班", "甲", 172, 1, 1, 37, 7, 2, 100, 1, 1],
        ["3002", "70403", "七年级4班", "乙", "缺考，不计排名", None, None, "未扫，不计排名", None, None,
         "0，不计排名", None, None],
    ]
    merges = [(1, 4, 1, 6, "总分"), (1, 7, 1, 9, "语文"), (1, 10, 1, 12, "数学")]
    report = qk.check_scores(xlsx({"全部考生": rows}, {"全部考生": merges}), full_marks={"语文": 40})
    d = report.data.set_index(["student_id", "subject"])
    assert sorted(report.data["subject"].unique()) == ["数学", "语文"]
    assert d.loc[("3001", "语文"), "score"] == 37 and d.loc[("3001", "数学"), "score"] == 100
    assert d.loc[("3002", "语文"), "status"] == "not_scanned"
    assert d.loc[("3002", "数学"), "status"] == "excluded"
    assert set(report.data["class_id"]) == {"7-12", "7-4"}
    assert report.data["exam"].iloc[0] == "2025-2026-1 学情检测"
    info = report.problems[report.problems["severity"] == "info"]
    assert {"语文/校次", "语文/班次", "总分/得分", "自定义考号"} <= set(info["header"])
    assert accounted(report)


def test_one_sheet_per_class_and_instruction_sheet(xlsx):
    path = xlsx({
        "填写说明": [["说明："], ["缺考填 Q"]],
        "五(1)班": [[TITLE], ["学号", "姓名", "语文"], ["a1", "甲", 80], ["a2", "乙", "Q"],
                   [None, "平均分", 80]],
        "五(2)班": [[TITLE], ["学号", "姓名", "语文"], ["b1", "丙", 70]],
    })
    report = qk.check_scores(path)
    assert report.data.groupby("class_id")["student_id"].apply(list).to_dict() == {
        "5-1": ["a1", "a2"], "5-2": ["b1"]}
    sheets = report.sheets.set_index("sheet")
    assert not sheets.loc["填写说明", "used"]
    skipped = report.problems[report.problems["problem"].str.contains("not a student row")]
    assert skipped["row"].tolist() == [5]  # the 平均分 row, by its Excel row number
    assert accounted(report)


def test_trailing_empty_rows_and_aliases(xlsx):
    rows = [["考号", "姓名", "班级", "语", "数", "英", "道法"], ["1", "甲", "初一12班", 100, 90, 80, 70]]
    rows += [[None] * 7] * 50
    report = qk.check_scores(xlsx({"Sheet1": rows}), full_marks={"语文": 120})
    assert sorted(report.data["subject"]) == sorted(["语文", "数学", "英语", "道德与法治"])
    assert report.data["full_mark"].tolist().count(120.0) == 1
    assert report.rows_read == 1 and accounted(report)


def test_class_without_grade_takes_grade_from_option_or_title(xlsx):
    rows = [["学号", "姓名", "班级", "语文"], ["1", "甲", "二班", 90]]
    assert qk.read_scores(xlsx({"S": rows}), grade=5)["class_id"].tolist() == ["5-2"]
    titled = [[TITLE]] + rows
    assert qk.read_scores(xlsx({"S": titled}, name="t.xlsx"))["class_id"].tolist() == ["5-2"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "成绩.csv"
    path.write_bytes("学号,姓名,班级,语文,数学\n1,张三,五(1)班,88,缺考\n2,李四,五(1)班,0,90\n"
                     .encode(encoding))
    d = qk.read_scores(path)
    assert d["name"].tolist()[:2] == ["张三", "李四"]
    assert d.set_index(["student_id", "subject"]).loc[("1", "数学"), "status"] == "absent"


def test_missing_student_id_gets_a_stable_surrogate_and_is_reported(xlsx):
    rows = [["姓名", "班级", "语文"], ["甲", "五(1)班", 90], ["乙", "五(1)班", 80]]
    r1 = qk.check_scores(xlsx({"S": rows}))
    r2 = qk.check_scores(xlsx({"S": rows}, name="again.xlsx"))
    assert r1.data["student_id"].tolist() == r2.data["student_id"].tolist()
    assert r1.data["student_id"].str.startswith("X").all()
    warned = r1.problems[r1.problems["problem"].str.contains("missing student_id")]
    assert warned["row"].tolist() == [2, 3] and r1.ok


def test_roster_gives_the_class(xlsx):
    roster = xlsx(name="学生信息表.xlsx", sheets={"学生信息": [
        ["学校名称", "学号", "姓名", "班级名称"], ["平湖中学", "01", "甲", "初一1班"],
        ["平湖中学", "02", "乙", "初一2班"]]})
    scores = xlsx(name="期中.xlsx", sheets={"成绩数据": [
        ["学号", "姓名", "语文"], ["01", "甲", 90], ["02", "乙", 80], ["03", "丙", 70]]})
    report = qk.check_scores(scores, roster=roster)
    assert report.data.set_index("student_id")["class_id"].to_dict() == {
        "01": "7-1", "02": "7-2", "03": ""}
    assert report.problems["problem"].str.contains("not in roster").sum() == 1


def test_teacher_table(xlsx):
    path = xlsx(name="教学编排表.xlsx", sheets={"教学编排": [
        ["班级名称", "教师姓名", "科目", "是否选课"], ["初一1班", "王老师", "语文", ""],
        ["初一2班", "王老师", "道法", ""], ["初一2班", "", "数学", ""]]})
    with pytest.raises(qk.ScoreFileError, match="teacher, class, subject"):
        qk.read_teachers(path)
    t = qk.read_teachers(path, strict=False, school_year="2025-2026", term="1")
    assert t[["teacher", "class_id", "subject"]].values.tolist() == [
        ["王老师", "7-1", "语文"], ["王老师", "7-2", "道德与法治"]]
    assert t["school_year"].eq("2025-2026").all()


# ---- errors: clear, in Chinese, with the English identifier and the place ----------------
def test_score_above_full_mark(xlsx):
    path = xlsx({"五(1)班": [["学号", "姓名", "语文"], ["1", "甲", 105]]})
    with pytest.raises(qk.ScoreFileError,
                       match=r"成绩\.xlsx，工作表「五\(1\)班」，第 2 行，C 列「语文」.*105 超过满分 100 "
                             r"\(score > full_mark\).*full_marks="):
        qk.read_scores(path)
    assert qk.read_scores(path, full_marks={"语": 120})["score"].tolist() == [105.0]
    lenient = qk.read_scores(path, strict=False)
    assert lenient["status"].tolist() == ["invalid"] and lenient["score"].isna().all()


def test_negative_score(xlsx):
    with pytest.raises(qk.ScoreFileError, match=r"第 2 行，C 列.*负数 \(negative score\)"):
        qk.read_scores(xlsx({"S": [["学号", "姓名", "数学"], ["1", "甲", -3]]}))


def test_unparseable_cell(xlsx):
    with pytest.raises(qk.ScoreFileError, match=r"“八十”无法识别的内容 \(unparseable cell\).*缺考写“缺考”"):
        qk.read_scores(xlsx({"S": [["学号", "姓名", "数学"], ["1", "甲", "八十"]]}))


def test_duplicated_student_id(xlsx):
    path = xlsx({"S": [["学号", "姓名", "数学"], ["1", "甲", 80], ["1", "乙", 70]]})
    with pytest.raises(qk.ScoreFileError, match=r"第 3 行.*学号 1 重复 \(duplicated student_id\).*第 2 行"):
        qk.read_scores(path)
    report = qk.check_scores(path)
    assert report.rows_imported == 1 and report.rows_skipped == 1 and accounted(report)


def test_missing_id_and_name_on_a_row_with_scores(xlsx):
    path = xlsx({"S": [["学号", "姓名", "数学"], ["1", "甲", 80], [None, None, 70]]})
    with pytest.raises(qk.ScoreFileError, match=r"第 3 行.*missing student_id and name"):
        qk.read_scores(path)


@pytest.mark.parametrize("header", [["学号", "姓名", "备注"], ["序号", "语文", "数学"]])
def test_missing_required_columns(xlsx, header):
    with pytest.raises(qk.ScoreFileError, match=r"没有找到成绩表 \(no score sheet found\).*student_id"):
        qk.read_scores(xlsx({"S": [header, ["1", "甲", "x"]]}))


def test_file_sheet_and_option_errors(tmp_path, xlsx):
    with pytest.raises(qk.ScoreFileError, match=r"找不到文件 \(file not found\)"):
        qk.read_scores(tmp_path / "nope.xlsx")
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(qk.ScoreFileError, match=r"unsupported file type"):
        qk.read_scores(tmp_path / "a.pdf")
    path = xlsx({"S": [["学号", "姓名", "数学"], ["1", "甲", 80]]})
    with pytest.raises(qk.ScoreFileError, match=r"找不到工作表「T」\(sheet='T'\)"):
        qk.read_scores(path, sheet="T")
    with pytest.raises(ValueError, match=r"full_marks 中的科目“体育课”无法识别"):
        qk.read_scores(path, full_marks={"体育课": 100})
    with pytest.raises(ValueError, match=r"年级 grade 应为 1–12"):
        qk.read_scores(path, grade=13)


def test_columns_that_are_not_scores_are_listed_never_silently_dropped(xlsx):
    rows = [["学号", "姓名", "语文", "数学", "总分", "名次", "语文等级", "科类", "门数", None, "神秘列"],
            ["1", "甲", 90, 80, 170, 1, "A", "物化生", 3, 5, "x"]]
    report = qk.check_scores(xlsx({"S": rows}))
    listed = set(report.problems.loc[report.problems["severity"] == "info", "column"])
    assert listed == {"E", "F", "H", "I", "J", "K"}  # G (语文等级) is read into `level`
    assert report.data.set_index("subject").loc["语文", "level"] == "A"


def test_electives_blank_is_not_an_absence(xlsx):
    rows = [["考号", "姓名", "班级", "语文", "数学", "英语", "日语", "物理", "历史", "科类"],
            ["1", "甲", 1, 100, 90, 120, None, 60, None, "物化生"],
            ["2", "乙", 1, 100, None, None, 110, None, 70, "政史地"],
            ["3", "丙", 1, None, None, None, None, None, None, None]]
    d = qk.read_scores(xlsx({"S": rows}), full_marks={"语文": 150, "数学": 150, "英语": 150, "日语": 150})
    got = d.groupby("student_id").apply(lambda g: dict(zip(g["subject"], g["status"])),
                                        include_groups=False).to_dict()
    assert got["1"] == {"语文": "sat", "数学": "sat", "英语": "sat", "物理": "sat"}
    assert got["2"] == {"语文": "sat", "数学": "absent", "日语": "sat", "历史": "sat"}
    # no score at all: absent everywhere but in the second foreign language
    assert set(got["3"].values()) == {"absent"} and "日语" not in got["3"]


def test_not_taken_marker_and_electives_option(xlsx):
    rows = [["学号", "姓名", "语文", "生物"], ["1", "甲", 90, "N"], ["2", "乙", 80, None]]
    d = qk.read_scores(xlsx({"S": rows}), electives=["生物"])
    assert d[d["subject"] == "生物"].empty


def test_level_only_sheet_for_grades_1_2(xlsx):
    rows = [["一年级期末"], ["学号", "姓名", "班级", "语文", "数学"],
            ["1", "甲", "一(1)班", "优秀", "良好"], ["2", "乙", "一(1)班", "待合格", "缺考"]]
    d = qk.read_scores(xlsx({"S": rows})).set_index(["student_id", "subject"])
    assert d.loc[("1", "语文"), ["level", "status"]].tolist() == ["优秀", "sat"]
    assert np.isnan(d.loc[("1", "语文"), "score"])
    assert d.loc[("2", "数学"), "status"] == "absent"


def test_repeated_header_row_is_skipped_and_reported(xlsx):
    rows = [["学号", "姓名", "语文"], ["1", "甲", 90], ["学号", "姓名", "语文"], ["2", "乙", 80]]
    report = qk.check_scores(xlsx({"S": rows}))
    assert report.rows_imported == 2 and report.rows_skipped == 1 and accounted(report)


def test_report_outputs(xlsx, tmp_path):
    report = qk.check_scores(xlsx({"S": [["学号", "姓名", "语文", "总分"], ["1", "甲", 90, 90]]}))
    text = report.to_text()
    assert "读取 1 行 = 导入 1 行 + 跳过 0 行" in text and "总分" in text
    report.to_excel(tmp_path / "r.xlsx")
    sheets = pd.read_excel(tmp_path / "r.xlsx", sheet_name=None, engine="calamine")
    assert list(sheets) == ["概况", "问题清单", "列识别"]
    assert "<ul>" in report._repr_html_()


def test_canonical_columns_and_dtypes(xlsx):
    d = qk.read_scores(xlsx({"S": [["学号", "姓名", "语文"], ["1", "甲", 90]]}))
    assert d.columns.tolist() == qk.SCORE_COLUMNS
    assert d["score"].dtype == float and str(d["grade"].dtype) == "Int64"


def test_clean_sheet_reads_the_same_as_the_row_by_row_checks(xlsx, tmp_path):
    # a clean sheet is taken column by column; a summary row sends the same sheet through the
    # per-row checks: both must give the same table for the student rows
    rows = [["学号", "姓名", "班级", "语文", "数学", "英语"]]
    rows += [[f"{i:03d}", f"学生{i}", f"五({i % 3 + 1})班", 60 + i % 40, "缺考" if i == 7 else 80,
              None if i == 9 else 70.5] for i in range(1, 31)]
    clean = qk.read_scores(xlsx({"五年级": rows}, name="clean.xlsx"), exam="期末")
    checked = qk.check_scores(xlsx({"五年级": [*rows, ["", "平均分", "", 70, 80, 70.5]]},
                                   name="checked.xlsx"), exam="期末")
    assert checked.rows_skipped == 1 and accounted(checked)
    pd.testing.assert_frame_equal(clean.drop(columns="source_file"),
                                  checked.data.drop(columns="source_file"))
    assert clean["class_id"].unique().tolist() == ["5-2", "5-3", "5-1"]
    assert clean.set_index(["student_id", "subject"]).loc[("009", "英语"), "status"] == "absent"


def test_duplicated_student_id_across_sheets(xlsx):
    path = xlsx({"五(1)班": [["学号", "姓名", "数学"], ["1", "甲", 80], ["2", "乙", 70]],
                 "五(2)班": [["学号", "姓名", "数学"], ["3", "丙", 60], ["1", "甲", 80]]})
    with pytest.raises(qk.ScoreFileError, match=r"五\(2\)班.*第 3 行.*学号 1 重复.*「五\(1\)班」第 2 行"):
        qk.read_scores(path)
    report = qk.check_scores(path)
    assert report.rows_imported == 3 and report.rows_skipped == 1 and accounted(report)


@pytest.mark.parametrize("header", ["学校", "学校名字", "所在学校", "就读学校", "校名", "单位名称"])
def test_school_column_under_its_usual_names(xlsx, header):
    # 学校名字 was read as a 校名(次) rank column: a 联考 file then had “one school only”
    rows = [[header, "考号", "姓名", "语文", "语文校名"], ["一中", "1", "甲", 90, 1],
            ["二中", "2", "乙", 80, 1]]
    report = qk.check_scores(xlsx({"S": rows}))
    assert report.data["school"].tolist() == ["一中", "二中"]
    assert report.columns.set_index("header").loc["语文校名", "role"] == "rank"
