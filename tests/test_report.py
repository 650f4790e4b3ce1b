"""The term report as a person reads it: PDF text, Word tables, HTML without code."""

import re

import pytest

import qualitykit as qk
from qualitykit.report import run_report

HEADINGS = ["一、基本情况", "二、成绩分析", "三率一分", "分数段", "班级比较", "三、试卷分析",
            "四、与上次考试对比", "五、教师", "六、培优补差", "七、存在问题", "八、改进措施"]


def pdf_text(path) -> str:
    """The PDF's text as a reader sees it, without whitespace.

    poppler's pdftotext when the machine has it, else pypdf. (Chromium embeds the CJK font as
    Type 3 glyphs whose ToUnicode map may name a CJK-radical code point for a shared glyph,
    ⻘ for 青; pdftotext maps those back, pypdf does not.)
    """
    import shutil
    import subprocess
    import unicodedata

    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
    else:
        from pypdf import PdfReader

        text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\u2015", "\u2014"))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    result = run_report(None, out_dir=out, exam="2025-2026-1 期末", grade=5,
                        log=lambda _: None)
    scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    return result, qk.summary(scores)


def test_all_files_are_written(report):
    result, _ = report
    assert set(result["files"]) == {"html", "pdf", "docx", "xlsx"}
    assert all(p.stat().st_size > 10_000 for p in result["files"].values())
    assert set(result["timings"]) == {"import", "execute", "export_html", "export_pdf"}


def test_pdf_text_has_the_headings_and_the_numbers_of_the_table(report):
    from pypdf import PdfReader

    result, by_class = report
    pdf = PdfReader(result["files"]["pdf"])
    assert pdf.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    text = pdf_text(result["files"]["pdf"])
    assert result["title"] in text
    for heading in HEADINGS:
        assert heading in text, heading
    assert "第1页/共" in text  # page numbers
    assert "区分度为负" in text and "信度α" in text  # 试卷分析 from the sample's 小题分
    # every row of the 三率一分 table: class, subject, 平均分 and 及格率 as displayed
    for row in by_class.itertuples():
        cells = f"{row.class_id}{row.subject}{row.n_enrolled}{row.n_sat}{round(row.mean, 1):g}"
        assert cells in text, cells
        assert f"{round(100 * row.pass_rate, 1):g}" in text


def test_docx_has_the_filled_tables_and_editable_sections(report):
    import docx

    result, by_class = report
    doc = docx.Document(result["files"]["docx"])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{" not in text and "{%" not in text
    for heading in ("一、基本情况", "三、试卷分析", "七、存在问题", "八、改进措施"):
        assert heading in text
    assert "优生拓展" in text and "学困生补基础" in text
    tables = {"|".join(c.text for c in t.rows[0].cells[:3]): t for t in doc.tables}
    summary = tables["班级|科目|应考人数"]
    first = by_class.iloc[0]
    assert [c.text for c in summary.rows[1].cells[:5]] == [
        first.class_id, first.subject, str(first.n_enrolled), str(first.n_sat),
        f"{round(first['mean'], 1):g}"]
    assert len(summary.rows) == len(by_class) + 1
    assert len(doc.inline_shapes) >= 4  # charts
    assert "教师|科目" not in tables and "科目|教师|任教班级" in tables  # the teacher section is filled
    # 培优补差: counts per class × subject, with the new entries on the 补差 list
    counts = tables["班级|科目|实考人数"]
    header = [c.text for c in counts.rows[0].cells]
    assert header[3:] == ["培优人数", "临界人数", "补差人数", "偏科人数", "补差新增人数"]
    assert len(counts.rows) == len(by_class) + 1
    assert "学困生补基础（语文 补差" in text and "新进入补差名单" in text
    # 试卷分析 from the sample's 小题分: every item, the flagged item 6 among 失分率 ≥ 40 %
    items = [t for t in doc.tables if "区分度评价" in [c.text for c in t.rows[0].cells]]
    assert len(items) == 1 and len(items[0].rows) == 21
    error_items = [t for t in doc.tables if "失分率(%)" in [c.text for c in t.rows[0].cells]]
    assert error_items and any(r.cells[0].text == "6" and "区分度为负" in r.cells[-1].text
                               for r in error_items[0].rows)
    assert "科目|学生数|题数" in tables


def test_html_hides_the_code(report):
    result, _ = report
    html = result["files"]["html"].read_text(encoding="utf-8")
    assert "import qualitykit" not in html and "load_term(" not in html
    assert "三率一分" in html and "<img" in html and "@font-face" in html


def test_report_cli_stops_on_a_broken_sheet_before_running_anything(tmp_path, capsys):
    from qualitykit.cli import main

    bad = tmp_path / "成绩.csv"
    bad.write_text("学号,姓名,班级,语文\n1,张三,五(1)班,abc\n", encoding="utf-8")
    assert main(["report", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "abc" in err and "ScoreFileError" in err
    assert not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("engine", ["weasyprint", "chromium"])
def test_both_pdf_engines_print_chinese_text(report, tmp_path, engine):
    from qualitykit.report import find_browser, html_to_pdf

    import shutil

    if engine == "chromium" and not (find_browser() and shutil.which("pdftotext")):
        pytest.skip("needs Chromium/Chrome/Edge and poppler's pdftotext (else WeasyPrint is used)")
    result, _ = report
    pdf, used = html_to_pdf(result["files"]["html"], tmp_path / "r.pdf", engine=engine)
    text = pdf_text(pdf)
    assert used == engine
    assert all(h in text for h in HEADINGS) and "第1页/共" in text


def test_value_added_and_growth_sections_show_the_librarys_numbers(report):
    import docx
    import pandas as pd

    result, _ = report
    now = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    before = qk.load_sample(exam="2024-2025-2 期末", grade=4)
    va = qk.value_added(now, before)
    growth = qk.growth_percentiles(now, before)
    doc = docx.Document(result["files"]["docx"])
    tables = [t for t in doc.tables if "估计方法" in [c.text for c in t.rows[0].cells]]
    assert len(tables) == 2  # classes (section 四) and teachers (section 五)
    classes = tables[0]
    assert len(classes.rows) == len(va.units) + 1
    for row, unit in zip(classes.rows[1:], va.units.itertuples()):
        cells = [c.text for c in row.cells]
        assert cells[:3] == [unit.class_id, unit.subject, str(unit.n)]
        assert cells[5] == f"{round(unit.estimate, 3):g}"
    sheets = pd.read_excel(result["files"]["xlsx"], sheet_name=None, engine="calamine")
    g = sheets["成长百分位-班级"]
    assert g["成长百分位中位数"].tolist() == growth.groups["median_sgp"].tolist()
    text = pdf_text(result["files"]["pdf"])
    assert "增值评价" in text and "成长百分位" in text and "各位教师所教学生的增值" in text


def test_report_on_ordinary_classes_of_every_size(tmp_path):
    # classes of 1, 2, 28, 38, 41, 42 and 60 pupils; 五(3)班 passes everything and has nobody
    # low (100 % / 0 %: the Wilson bound used to come out 1e-17 past the rate and stop the 三率
    # chart), nobody in 五(5)班 passes 数学, 五(6)班 is entirely absent from 英语; with the
    # teacher table, last term and a 小题分 file, every section runs and the Word file too
    import docx

    from generated import ABSENT, ALL_PASS, FULL_MARKS, NONE_PASS, write_grade

    files = write_grade(tmp_path / "in")
    result = run_report(files["scores"], out_dir=tmp_path / "out", teacher_file=files["teachers"],
                        previous_file=files["previous"], item_file=files["items"],
                        full_marks=FULL_MARKS, log=lambda _: None)
    assert set(result["files"]) == {"html", "pdf", "docx", "xlsx"}
    scores = qk.read_scores(files["scores"], full_marks=FULL_MARKS)
    table = qk.summary(scores).set_index(["class_id", "subject"])
    assert (table.loc[f"5-{ALL_PASS}", ["pass_rate", "pass_rate_high"]] == 1).all().all()
    assert (table.loc[f"5-{ALL_PASS}", ["low_rate", "low_rate_low"]] == 0).all().all()
    assert table.loc[(f"5-{NONE_PASS}", "数学"), "pass_rate"] == 0
    assert table.loc[(f"5-{ABSENT[0]}", ABSENT[1]), "n_sat"] == 0
    text = pdf_text(result["files"]["pdf"])
    for heading in HEADINGS:
        assert heading in text, heading
    # the absent class: 应考 42, 实考 0, and a dash for every number that cannot exist
    assert f"5-{ABSENT[0]}{ABSENT[1]}420——" in text
    # the class of one pupil against the grade: no interval, no g, and why (text is NFKC)
    # (a header row that wraps may be extracted between the row's first cells and the rest)
    assert re.search(r"5-11\D{0,60}[\d.]+[\d.]+-?[\d.]+———人数太少,无法比较", text)
    doc = docx.Document(result["files"]["docx"])
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "—" in cells and "nan" not in cells and "<NA>" not in cells


def test_report_on_a_grade_of_one_class(tmp_path):
    from generated import FULL_MARKS, write_grade

    files = write_grade(tmp_path / "in", sizes=(35,))
    result = run_report(files["scores"], out_dir=tmp_path / "out", formats=("pdf",),
                        teacher_file=files["teachers"], previous_file=files["previous"],
                        full_marks=FULL_MARKS, log=lambda _: None)
    text = pdf_text(result["files"]["pdf"])
    assert "只有一个班,无需比较" in text and "五、教师" in text
