"""Reading 体测 exports: layouts, header synonyms, 年级编号 and sex codes, every time format,
免测/缺测, and bad cells named in the import report with their Excel row and column."""

import datetime as dt

import openpyxl
import pytest

from qualitykit.fitness.read import read_fitness
from qualitykit.fitness.sample import fitness_sample_path
from qualitykit.fitness.values import minutes_dot_seconds, read_value
from qualitykit.io.problems import ScoreFileError


def _xlsx(path, rows, title=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "体测"
    if title:
        ws.append([title])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _value(m, sid, item):
    got = m[(m["student_id"] == sid) & (m["item"] == item)]["value"]
    return got.iloc[0] if len(got) else None


@pytest.mark.parametrize("written, seconds", [
    ("4'05\"", 245), ("4′05″", 245), ("4'05", 245), ("4’05”", 245), ("4:05", 245),
    ("4：05", 245), ("4分05秒", 245), ("4分5秒", 245), ("245", 245), ("245秒", 245),
    (245, 245), (dt.time(0, 4, 5), 245), (dt.timedelta(minutes=4, seconds=5), 245),
])
def test_every_written_time_is_seconds(written, seconds):
    assert read_value(written, "run_1000m").value == seconds


def test_minutes_dot_seconds_and_its_limits():
    # 4.05 = 4 min 05 s; 4.5 is 4.50 after Excel drops the trailing 0 = 4 min 50 s
    assert minutes_dot_seconds(4.05) == 245 and minutes_dot_seconds(4.5) == 290
    assert minutes_dot_seconds(1.48) == 108 and minutes_dot_seconds(4.75) is None
    assert read_value("8\"5", "sprint_50m").value == 8.5
    assert read_value(dt.time(4, 5), "run_1000m").value == 245  # typed 4:05, stored as h:mm
    assert "按 4 分 05 秒读取" in read_value(dt.time(4, 5), "run_1000m").note


def test_not_measured_words_are_kept_as_reasons():
    for word in ("免测", "缺测", "病假", "因病免测", "请假"):
        cell = read_value(word, "vital_capacity")
        assert cell.value is None and cell.reason == word and not cell.problem
    assert read_value("", "height").value is None and not read_value("", "height").reason


def test_a_school_sheet_with_synonyms_and_units(tmp_path):
    path = _xlsx(tmp_path / "体测.xlsx", [
        ["学号", "姓名", "性别", "年级", "班级", "身高(cm)", "体重（kg）", "肺活量(毫升)",
         "50米跑（秒）", "坐位体前屈", "一分钟跳绳", "仰卧起坐（次）", "50米×8往返跑", "耐力跑"],
        ["001", "张三", "男", "五年级", "五(1)班", 145.2, 38.5, 2100, 8.9, "12.5cm", "130次",
         40, "1'48\"", None],
        ["002", "李四", "女", "五年级", "五(1)班", 146, 36, "免测", "9.8秒", -2.5, 150, 38,
         "1:52", None],
        ["003", "王五", "男", "初一", "初一(2)班", 160, 50, 3000, 7.8, 8, None, None, None,
         "4'05\""],
        ["004", "赵六", "女", "初一", "初一(2)班", 158, 48, 2500, 8.8, 14, None, None, None,
         "3:58"],
    ], title="XX小学2025年体质健康测试成绩")
    m, report = read_fitness(path)
    assert _value(m, "001", "vital_capacity") == 2100 and _value(m, "001", "sit_and_reach") == 12.5
    assert _value(m, "001", "rope_skipping") == 130 and _value(m, "001", "shuttle_50x8") == 108
    assert _value(m, "002", "sprint_50m") == 9.8 and _value(m, "002", "sit_and_reach") == -2.5
    assert _value(m, "002", "vital_capacity") is None and _value(m, "002", "shuttle_50x8") == 112
    # 耐力跑 is 1000米 for boys and 800米 for girls from grade 7
    assert _value(m, "003", "run_1000m") == 245 and _value(m, "004", "run_800m") == 238
    assert m.set_index("student_id")["grade"].groupby(level=0).first().to_dict() == \
        {"001": 5, "002": 5, "003": 7, "004": 7}
    assert set(m[m["student_id"] == "003"]["class_id"]) == {"7-2"}
    exempt = report.problems[report.problems["value"] == "免测"].iloc[0]
    assert (exempt["row"], exempt["column"], exempt["severity"]) == (4, "H", "info")
    assert "肺活量 (vital_capacity)未测，原因：免测" in exempt["problem"]
    assert report.rows_read == 4 == report.rows_imported


def test_the_national_template_codes_and_minutes_dot_column(tmp_path):
    path = _xlsx(tmp_path / "上报.xlsx", [
        ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "身高", "体重",
         "1000米跑", "800米跑", "50米×8往返跑"],
        [15, 1, "五(1)班", "G1", 1, "甲", 1, 140, 35, None, None, 1.48],
        [16, 2, "六(2)班", "G2", 1, "乙", 2, 150, 40, None, None, 1.5],
        [21, 1, "初一(1)班", "G3", 1, "丙", 1, 160, 50, 4.05, None, None],
        [33, 3, "高三(3)班", "G4", 1, "丁", 2, 162, 52, None, 3.4, None],
    ])
    m, report = read_fitness(path)
    grades = m.groupby("student_id")["grade"].first().to_dict()
    assert grades == {"G1": 5, "G2": 6, "G3": 7, "G4": 12}
    assert m.groupby("student_id")["sex"].first().to_dict() == \
        {"G1": "男", "G2": "女", "G3": "男", "G4": "女"}
    assert _value(m, "G1", "shuttle_50x8") == 108 and _value(m, "G2", "shuttle_50x8") == 110
    assert _value(m, "G3", "run_1000m") == 245 and _value(m, "G4", "run_800m") == 220
    said = report.problems[report.problems["problem"].str.contains("按“分.秒”读取")]
    assert set(said["column"]) == {"J", "K", "L"} and (said["severity"] == "info").all()


def test_bad_cells_and_rows_are_in_the_report_with_row_and_column(tmp_path):
    path = _xlsx(tmp_path / "乱.xlsx", [
        ["学籍号", "姓名", "性别", "班级", "身高", "50米跑", "1000米跑"],
        ["S1", "甲", "男", "初二(1)班", 165, "8..5", 250],
        ["S2", "乙", "X", "初二(1)班", 160, 8.1, 240],
        ["S3", "丙", "男", "初二(1)班", 170, 7.9, "4'75\""],
        ["S4", "丁", "男", "初二(1)班", 168, 8.0, 4.1],  # 4.1 among seconds: 分.秒?
        ["S1", "甲", "男", "初二(1)班", 165, 8.5, 250],
        ["平均", "", "", "", 165, 8.1, 245],
        ["制表人：王老师"],
    ])
    m, report = read_fitness(path)
    p = report.problems.set_index(["row", "column"])
    assert "无法识别内容“8..5”" in p.loc[(2, "F"), "problem"]
    assert "第 2 行，F 列「50米跑」" in p.loc[(2, "F"), "problem"]
    assert "性别“X”无法识别 (sex)" in p.loc[(3, "C"), "problem"]
    assert "秒数 75 不小于 60" in p.loc[(4, "G"), "problem"]
    assert "像是“分.秒”的写法" in p.loc[(5, "G"), "problem"]
    assert "duplicated student_id" in p.loc[(6, "A"), "problem"]
    assert (p.loc[(2, "F"), "severity"], p.loc[(6, "A"), "severity"]) == ("error", "error")
    skipped = report.problems[report.problems["action"] == "已跳过此行"]["row"].tolist()
    assert skipped == [3, 7, 8] or sorted(skipped) == [3, 7, 8]
    assert report.rows_read == 7 and report.rows_imported == 3 and report.rows_skipped == 4
    assert _value(m, "S1", "sprint_50m") is None and _value(m, "S1", "height") == 165
    assert set(m["student_id"]) == {"S1", "S3", "S4"}


def test_a_gbk_csv_export(tmp_path):
    path = tmp_path / "体测.csv"
    path.write_bytes("考号,姓名,性别,年级,身高,体重,坐位体前屈\n"
                     "C1,甲,女,三年级,130,27,15\nC2,乙,男,三年级,131,缺测,6\n".encode("gbk"))
    m, report = read_fitness(path)
    assert len(m) == 5 and _value(m, "C2", "weight") is None and m["grade"].eq(3).all()


def test_a_file_without_a_fitness_header_is_one_chinese_error(tmp_path):
    path = _xlsx(tmp_path / "成绩.xlsx", [["学号", "姓名", "语文"], ["1", "甲", 90]])
    with pytest.raises(ScoreFileError, match="没有找到体质测试表"):
        read_fitness(path)


def test_the_sample_files_are_read_whole():
    m, report = read_fitness(fitness_sample_path(2025))
    assert report.rows_read == report.rows_imported + report.rows_skipped
    # the generator's messy cells: 8..5, a blank 性别, a pasted row, 1'75", 未到, 平均, 制表人
    assert len(report.errors) == 5 and report.rows_skipped == 4
    old, old_report = read_fitness(fitness_sample_path(2024))
    assert old_report.errors.empty and old["student_id"].isin(m["student_id"]).any()
