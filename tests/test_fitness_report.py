"""The 体质健康分析 end to end on the sample school: ``qualitykit fitness`` writes the PDF, the Word
file and the workbook; what a person reads is there; every number of the report is the analysis
functions' number; a bad file is one Chinese line with exit code 2, never a traceback."""

import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.fitness.report import fitness_pages, fitness_report, report_sheets


@pytest.fixture(scope="module")
def years():
    now, report = qk.read_fitness(qk.fitness_sample_path(2025))
    before, _ = qk.read_fitness(qk.fitness_sample_path(2024))
    return qk.score_fitness(now), qk.score_fitness(before), report, now


def test_the_cli_writes_pdf_word_and_workbook(tmp_path, capsys):
    code = main(["fitness", "--out", str(tmp_path), "--mask-names"])
    out = capsys.readouterr()
    assert code == 0 and "Traceback" not in out.err
    assert "导入 1043 名学生；错误 5 个" in out.out
    for name in ("体质健康分析.pdf", "体质健康分析.docx", "体质健康分析.xlsx", "导入报告.xlsx"):
        assert (tmp_path / name).stat().st_size > 0, name
    # the PDF's glyphs may extract as CJK radicals (⼀ for 一): NFKC reads them as a person does
    text = unicodedata.normalize("NFKC", "".join(
        p.extract_text() for p in PdfReader(tmp_path / "体质健康分析.pdf").pages))
    for heading in ("各年级等级", "各班与年级比较", "体重指数", "与去年相比", "不及格学生名单",
                    "与年级无明显差别"):
        assert heading in text, heading
    sheets = pd.read_excel(tmp_path / "体质健康分析.xlsx", sheet_name=None, engine="calamine")
    assert {"各年级等级", "班级与年级比较", "BMI各班", "不及格名单", "与去年比较(年级)",
            "导入与计分问题"} <= set(sheets)
    names = sheets["不及格名单"]["姓名"].dropna()
    assert len(names) and names.str.contains("＊").all()  # --mask-names
    problems = sheets["导入与计分问题"]
    assert {"8..5", "1'75\""} <= set(problems["内容"].astype(str))


@pytest.mark.parametrize("content, says", [
    ("学号,姓名,语文\n1,甲,90\n", "没有找到体质测试表"),
    ("", "文件是空的"),
])
def test_a_bad_file_is_one_chinese_line_and_exit_code_2(tmp_path, capsys, content, says):
    bad = tmp_path / "体测.csv"
    bad.write_text(content, encoding="utf-8")
    code = main(["fitness", str(bad), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and says in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_the_report_shows_the_analysis_numbers(years):
    now, before, imported, measurements = years
    report = fitness_report(now, previous=before, import_problems=imported.problems,
                            measurements=measurements)
    rates = qk.fitness_rates(now.pupils, by="grade")
    # hand count from the scored pupils, independent of fitness_rates
    grade5 = now.pupils[now.pupils["grade"] == 5]
    graded = grade5["level"].dropna()
    assert rates.set_index("grade").loc[5, "n"] == len(graded)
    assert rates.set_index("grade").loc[5, "pass_rate"] == pytest.approx(
        graded.isin(["优秀", "良好", "及格"]).mean())
    sheet = report_sheets(report)["各年级等级"].set_index("年级")
    assert sheet.loc[5, "及格率(%)"] == pytest.approx(round(100 * graded.isin(
        ["优秀", "良好", "及格"]).mean(), 1))
    first = fitness_pages(report)[0].blocks[0].table
    assert first.iloc[4]["年级"] == "五年级" and first.iloc[4]["人数"] == str(len(graded))


def test_change_matches_the_same_pupils_across_the_two_sample_years(years):
    now, before, _, _ = years
    change = qk.fitness_change(now, before, by="grade")
    total = change.changes[change.changes["item"] == "total_score"].set_index("grade")
    # independently: pupils in grade 5 now with a 学年总分 in both years
    both = now.pupils[now.pupils["grade"] == 5].merge(
        before.pupils[["student_id", "total_score", "grade"]], on="student_id",
        suffixes=("", "_before")).dropna(subset=["total_score", "total_score_before"])
    assert (both["grade_before"] == 4).all()  # the sample's pupils moved up one grade
    assert total.loc[5, "n"] == len(both)
    assert total.loc[5, "mean_change"] == pytest.approx(
        (both["total_score"] - both["total_score_before"]).mean())
    assert 1 not in total.index  # 一年级 pupils were not at school last year


def test_the_notebook_runs_on_a_schools_own_csv_and_writes_the_report(tmp_path):
    import papermill as pm

    csv = tmp_path / "体测.csv"
    rows = ["学籍号,姓名,性别,年级,班级,身高,体重,肺活量,50米跑,坐位体前屈,1分钟跳绳,1分钟仰卧起坐"]
    rows += [f"G{i},学生{i},{'男' if i % 2 else '女'},三年级,三({1 + i % 2})班,{130 + i},{27 + i % 4},"
             f"{1200 + 40 * i},{10.5 - 0.1 * i:.1f},{5 + i},{80 + 5 * i},{20 + i}" for i in range(8)]
    rows.append("G9,学生9,女,三年级,三(1)班,131,28,免测,10.2,7,90,22")
    csv.write_text("\n".join(rows) + "\n", encoding="gbk")
    notebook = Path(qk.__file__).resolve().parents[1] / "notebooks" / "08-体质健康.ipynb"
    nb = pm.execute_notebook(str(notebook), str(tmp_path / "out.ipynb"), kernel_name="python3",
                             parameters={"fitness_file": str(csv), "output_dir": str(tmp_path / "报告"),
                                         "mask_names": True}, progress_bar=False, cwd=str(tmp_path))
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for c in nb.cells
                   for o in c.get("outputs", []))
    assert "没有去年的体测文件" in text
    for name in ("体质健康分析.pdf", "体质健康分析.docx", "体质健康分析.xlsx"):
        assert (tmp_path / "报告" / name).exists(), name
    pupils = pd.read_excel(tmp_path / "报告" / "体质健康分析.xlsx", sheet_name="学生成绩",
                           engine="calamine")
    assert len(pupils) == 9 and pupils["缺测项目"].astype(str).eq("肺活量").sum() == 1


def test_every_workbook_column_is_labelled_and_missing_items_are_named(years):
    # the pupils' ``missing`` is 缺测项目 here (the global label of ``missing`` is the 缺失处理
    # of 试卷分析); no identifier reaches the teacher as a column name
    now, before, imported, measurements = years
    report = fitness_report(now, previous=before, import_problems=imported.problems,
                            measurements=measurements)
    sheets = report_sheets(report)
    for name, sheet in sheets.items():
        english = [c for c in sheet.columns if str(c).isascii() and str(c).strip("_").isalpha()]
        assert not english and "缺失处理" not in sheet.columns, (name, english)
    assert "缺测项目" in sheets["学生成绩"].columns
    assert set(sheets["同一学生两年"]["去年有记录"]) <= {"是", "否"}
