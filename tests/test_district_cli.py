"""``qualitykit lines``: the workbook a 教研员 gets, and one Chinese line for every mistake."""

import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.district.league_sample import league_sample_path
from qualitykit.district.lines import admission_lines, effective_scores


@pytest.fixture(scope="module")
def sample():
    return str(qk.sample_path("2025-2026-1 期末", grade=5))


def test_lines_writes_the_workbook_with_chinese_sheets(sample, tmp_path, capsys):
    out = tmp_path / "上线"
    assert main(["lines", sample, "--lines", "前20%=0.2,线=300", "--band", "5",
                 "--method", "mean", "--scale", "national2021", "--scale-subjects", "科学",
                 "--mask-names", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "单科有效分（均值法，对应 前20%=0.2）" in printed and "已保存" in printed
    book = pd.read_excel(out / "上线分析.xlsx", sheet_name=None, engine="calamine")
    assert list(book) == ["说明", "分数线", "上线_学校", "上线_班级", "临界生", "单科有效分",
                          "单科有效分_学校", "有效分两种算法", "赋分区间", "赋分"]
    scores = qk.read_scores(sample)
    lines = admission_lines(scores, lines="前20%=0.2,线=300", by=())
    assert book["分数线"]["上线人数"].tolist() == lines["n_over"].tolist()
    # 上线率 with its 95 % interval, as the README says (Wilson, from admission_lines)
    by_class = admission_lines(scores, lines="前20%=0.2,线=300", by="class_id")
    assert book["上线_班级"]["上线率下限(%)"].tolist() == pytest.approx(
        (by_class["over_rate_low"] * 100).round(2).tolist())
    assert (book["上线_班级"]["上线率下限(%)"] <= book["上线_班级"]["上线率(%)"]).all()
    assert (book["上线_班级"]["上线率(%)"] <= book["上线_班级"]["上线率上限(%)"]).all()
    mean = effective_scores(scores, line="前20%=0.2", method="mean", by=())
    assert book["单科有效分"]["单科有效分"].tolist() == pytest.approx(
        mean["effective_line"].round(2).tolist())
    assert set(book["单科有效分"]["有效分算法"]) == {"均值法"}
    assert "均值法" in book["说明"].set_index("项目").loc["单科有效分算法", "说明"]
    assert book["临界生"]["姓名"].str.contains("＊").all()
    assert set(book["赋分"]["科目"]) == {"科学"} and book["赋分"]["赋分"].max() == 100


@pytest.mark.parametrize("args, says", [
    (["--lines", "特控"], "名称=分数"),
    (["--lines", "特控=0.1", "--effective-line", "本科"], "不是 --lines 中的分数线"),
    (["--lines", "特控=0.1", "--subject-lines", "语文=abc"], "不是数字"),
    (["--lines", "特控=0.1", "--subject-lines", "物理=60"], "不在成绩表中"),
    (["--lines", "特控=0.1", "--band", "2.5"], "比例（如 0.05）或名次数"),
    (["--lines", "特控=0.1", "--scale", "beijing"], "无效"),
    (["--lines", "特控=0.1", "--scale", "national2021", "--scale-subjects", "物理"],
     "不在成绩表中"),
    # a line of 0 put every pupil over it; a scheme none of whose subjects the file has wrote
    # two empty 赋分 sheets: both without a word
    (["--lines", "特控=0"], "应为大于 0 的分数"),
    (["--lines", "特控=0.1", "--scale", "national2021"], "没有赋分方案 national2021 的科目"),
])
def test_a_mistake_is_one_chinese_line_and_exit_code_2(sample, tmp_path, capsys, args, says):
    try:
        code = main(["lines", sample, *args, "--out", str(tmp_path)])
    except SystemExit as stop:  # argparse's own complaints end the process with code 2
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert says in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_out_names_the_workbook_when_it_ends_in_xlsx_and_a_folder_otherwise(sample, tmp_path,
                                                                            capsys):
    # --out 上线.xlsx used to make a folder called 上线.xlsx; a person means that file
    wanted = tmp_path / "报告" / "五年级上线.xlsx"
    for _ in range(2):  # the second run replaces the file it wrote
        assert main(["lines", sample, "--lines", "线=300", "--out", str(wanted)]) == 0
        assert wanted.is_file() and not (wanted / "上线分析.xlsx").exists()
        assert f"已保存：{wanted}" in capsys.readouterr().out
    sheets = pd.read_excel(wanted, sheet_name=None, engine="calamine")
    assert list(sheets)[:2] == ["说明", "分数线"]
    # a folder (a name without .xlsx, or an existing folder) holds 上线分析.xlsx, as before
    for folder in (tmp_path / "上线", tmp_path / "旧的.xlsx"):
        if folder.suffix:
            folder.mkdir()
        assert main(["lines", sample, "--lines", "线=300", "--out", str(folder)]) == 0
        assert (folder / "上线分析.xlsx").is_file()


@pytest.mark.parametrize("name", ["上线.xls", "上线.csv"])
def test_out_of_another_spreadsheet_kind_is_refused_in_one_chinese_line(sample, tmp_path,
                                                                        capsys, name):
    code = main(["lines", sample, "--lines", "线=300", "--out", str(tmp_path / name)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "只能保存为 .xlsx 文件" in err and "上线.xlsx" in err and "--out" in err
    assert not (tmp_path / name).exists()


def test_an_earlier_league_of_other_pupils_is_refused(tmp_path, capsys):
    # --previous of another cohort (no 考号 in common): the 学校增值 table was empty and the
    # report said “0 个学校×科目高于预期，0 个低于预期，其余与预期无明显差别”
    sheet = pd.read_excel(league_sample_path(), engine="calamine")
    other = tmp_path / "另一届.xlsx"
    sheet.assign(考号=sheet["考号"].astype(str) + "X").to_excel(other, index=False)
    code = main(["district", str(league_sample_path()), "--previous", str(other),
                 "--full-marks", "语文=150,数学=150,英语=150", "--formats", "html",
                 "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "另一届.xlsx 与本次没有一名相同的学生（学校+考号都相同）" in err
