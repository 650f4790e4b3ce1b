import pandas as pd

from qualitykit.cli import main


def test_check_ok_and_error_exit_codes(tmp_path, capsys, xlsx):
    good = xlsx({"S": [["学号", "姓名", "班级", "语文"], ["1", "甲", "五(1)班", 90]]}, name="good.xlsx")
    assert main(["check", str(good), "--out", str(tmp_path / "r.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "读取 1 行 = 导入 1 行 + 跳过 0 行" in out and (tmp_path / "r.xlsx").exists()
    bad = xlsx({"S": [["学号", "姓名", "语文"], ["1", "甲", 120]]}, name="bad.xlsx")
    assert main(["check", str(bad)]) == 1
    assert "超过满分" in capsys.readouterr().out
    assert main(["check", str(bad), "--full-marks", "语文=120"]) == 0


def test_summary_prints_and_saves(tmp_path, capsys, xlsx):
    path = xlsx({"S": [["学号", "姓名", "班级", "语文", "数学"], ["1", "甲", "五(1)班", 90, 50],
                       ["2", "乙", "五(2)班", 70, "缺考"]]})
    assert main(["summary", str(path), "--out", str(tmp_path / "s.xlsx")]) == 0
    out = capsys.readouterr().out
    assert "及格率(%)" in out and "实考人数" in out
    table = pd.read_excel(tmp_path / "s.xlsx", engine="calamine")
    assert table["实考人数"].tolist() == [1, 1, 1, 0]  # 5-1 语文, 5-1 数学, 5-2 语文, 5-2 数学 (缺考)


def test_unreadable_file_is_a_clear_message(tmp_path, capsys):
    assert main(["summary", str(tmp_path / "none.xlsx")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_demo_writes_real_files(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "输出文件夹" in out and "PDF" in out and "DOCX" in out
    (workbook,) = tmp_path.glob("*教学质量分析.xlsx")
    table = pd.read_excel(workbook, sheet_name=None, engine="calamine")
    assert {"基本情况", "三率一分", "分数段", "教师", "与上次对比"} <= set(table)
    assert table["基本情况"]["实考人数"].gt(100).all()
    assert (tmp_path / "导入报告.xlsx").exists()
    assert len(list(tmp_path.glob("*.pdf"))) == len(list(tmp_path.glob("*.docx"))) == 1


def test_growth_command_writes_the_report_and_its_workbook(tmp_path, capsys):
    assert main(["growth", "--out", str(tmp_path), "--formats", "html,xlsx"]) == 0
    out = capsys.readouterr().out
    assert "纵向分析.xlsx" in out and "HTML" in out
    sheets = pd.read_excel(tmp_path / "纵向分析.xlsx", sheet_name=None, engine="calamine")
    assert {"届比较-指标", "追踪-各班去向", "增值-班级", "增值-教师", "成长百分位-班级", "趋势",
            "趋势-提示"} <= set(sheets)
    import qualitykit as qk

    exams = qk.load_exams(grade=5)
    va = qk.value_added(exams.last, exams.earlier[0])
    assert sheets["增值-班级"]["增值"].tolist() == va.units["estimate"].round(3).tolist()  # as shown
    (page,) = tmp_path.glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert "成长百分位" in html and "def " not in html
    assert main(["growth", str(tmp_path / "missing.xlsx"), "--out", str(tmp_path)]) == 2
