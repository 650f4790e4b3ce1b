"""The term report as a person reads it: PDF text, Word tables, HTML without code."""

import re

import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.report import run_report

HEADINGS = ["一、主要结论", "二、基本情况", "三、成绩分析", "三率一分", "分数段", "班级比较",
            "四、试卷分析", "五、与上次考试对比", "六、教师", "七、培优补差", "八、存在问题",
            "九、改进措施", "附录：方法与术语"]


def pdf_text(path, layout: bool = False) -> str:
    """The PDF's text as a reader sees it, without whitespace.

    poppler's pdftotext when the machine has it, else pypdf. (Chromium embeds the CJK font as
    Type 3 glyphs whose ToUnicode map may name a CJK-radical code point for a shared glyph,
    ⻘ for 青; pdftotext maps those back, pypdf does not.)
    """
    import shutil
    import subprocess
    import unicodedata

    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8",
                               str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
    else:
        from pypdf import PdfReader

        text = "".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\u2015", "\u2014"))


def nfkc(text: str) -> str:
    """``text`` as :func:`pdf_text` normalises it (full-width colons become ":")."""
    import unicodedata

    return unicodedata.normalize("NFKC", text)


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
    assert set(result["timings"]) == {"import", "execute", "export_html", "export_pdf",
                                     "pack_pdf", "office"}
    # the workbook speaks Chinese: no column header is an identifier (ULI is the index's name)
    sheets = pd.read_excel(result["files"]["xlsx"], sheet_name=None, engine="calamine")
    english = {name: [c for c in t.columns if re.fullmatch(r"[A-Za-z_0-9]+", str(c))]
               for name, t in sheets.items()}
    assert {k: v for k, v in english.items() if set(v) - {"ULI"}} == {}


def test_the_pack_printed_while_the_notebook_ran_is_bookmarked(report):
    # the pack's PDF is printed and bookmarked in the early print's thread (runner.EarlyPrint)
    from pypdf import PdfReader

    result, by_class = report
    pdf = PdfReader(result["pack"]["pdf"])
    groups = [o.title for o in pdf.outline if not isinstance(o, list)]
    children = [[c.title for c in o] for o in pdf.outline if isinstance(o, list)]
    assert groups == ["班级质量分析单", "教师个人质量分析表"]
    assert children[0] == [f"五年级{i}班" for i in range(1, 5)]
    assert len(children[1]) == 16 and pdf.page_mode == "/UseOutlines"


def test_pdf_text_has_the_headings_and_the_numbers_of_the_table(report):
    from pypdf import PdfReader

    result, by_class = report
    pdf = PdfReader(result["files"]["pdf"])
    assert pdf.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    text = pdf_text(result["files"]["pdf"])
    assert result["title"] in text
    for heading in HEADINGS:
        assert nfkc(heading) in text, heading
    assert "第1页/共" in text  # page numbers
    assert "区分度为负" in text and "信度α" in text  # 试卷分析 from the sample's 小题分
    # every row of the 三率一分 table: class, subject, 平均分 and 及格率 as displayed (the
    # layout keeps a row on its line)
    text = pdf_text(result["files"]["pdf"], layout=True)
    for row in by_class.itertuples():
        cells = f"{row.class_id}{row.subject}{row.n_enrolled}{row.n_sat}{row.mean:.1f}"
        assert cells in text, cells
        assert f"{100 * row.pass_rate:.1f}" in text  # rates: one decimal, also 50.0


def _header(table) -> list[str]:
    """A Word table's header as a person reads it (a header the kit broke onto two lines is
    one header: 应考 / 人数 is 应考人数)."""
    return [c.text.replace("\n", "") for c in table.rows[0].cells]


def test_docx_has_the_filled_tables_and_editable_sections(report):
    import docx

    result, by_class = report
    doc = docx.Document(result["files"]["docx"])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{" not in text and "{%" not in text
    for heading in ("一、主要结论", "二、基本情况", "四、试卷分析", "八、存在问题", "九、改进措施",
                    "附录：方法与术语"):
        assert heading in text
    assert "优生拓展" in text and "学困生补基础" in text
    tables = {"|".join(_header(t)[:3]): t for t in doc.tables}
    summary = tables["班级|科目|应考人数"]
    first = by_class.iloc[0]
    assert [c.text for c in summary.rows[1].cells[:5]] == [
        first.class_id, first.subject, str(first.n_enrolled), str(first.n_sat),
        f"{first['mean']:.1f}"]
    assert len(summary.rows) == len(by_class) + 1
    assert len(doc.inline_shapes) >= 4  # charts
    assert "教师|科目" not in tables and "科目|教师|任教班级" in tables  # the teacher section is filled
    # 培优补差: counts per class × subject, with the new entries on the 补差 list
    counts = tables["班级|科目|实考人数"]
    header = _header(counts)
    assert header[3:] == ["培优人数", "临界人数", "补差人数", "偏科人数", "补差新增人数"]
    assert len(counts.rows) == len(by_class) + 1
    assert "学困生补基础（语文 补差" in text and "新进入补差名单" in text
    # 试卷分析 from the sample's 小题分: every item, the flagged item 6 among 失分率 ≥ 40 %
    items = [t for t in doc.tables if "区分度评价" in _header(t)]
    assert len(items) == 1 and len(items[0].rows) == 21
    error_items = [t for t in doc.tables if "失分率(%)" in _header(t)]
    assert error_items and any(r.cells[0].text == "6" and "区分度为负" in r.cells[-1].text
                               for r in error_items[0].rows)
    assert "科目|学生数|题数" in tables


#: What no printed page may show: file and module names, settings, log lines, code.
DEVELOPER_WORDS = ("DOMAIN.md", "笔记本", "qualitykit", "study_file", "trend_periods", "已写出",
                   ".ipynb", ".py", "nan", "<NA>", "None", "Traceback")
SNAKE_CASE = re.compile(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+")
CLI_OPTION = re.compile(r"(?<![\w-])--[a-z]")


def html_text(path) -> str:
    """The text a reader sees in the HTML report (no style, no script, no tags)."""
    from html.parser import HTMLParser

    class Visible(HTMLParser):
        def __init__(self):
            super().__init__()
            self.skip, self.parts = 0, []

        def handle_starttag(self, tag, attrs):
            self.skip += tag in ("style", "script")

        def handle_endtag(self, tag):
            self.skip -= tag in ("style", "script")

        def handle_data(self, data):
            if not self.skip:
                self.parts.append(data)

    parser = Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return "\n".join(parser.parts)


def docx_text(path) -> str:
    """Every paragraph, table cell, header and footer of the Word report."""
    import docx

    doc = docx.Document(path)
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def developer_words(text: str) -> list[str]:
    """Developer words, snake_case identifiers and command-line options found in ``text``."""
    found = [w for w in DEVELOPER_WORDS if re.search(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])", text)]
    return list(dict.fromkeys(found + SNAKE_CASE.findall(text) + CLI_OPTION.findall(text)))


def test_no_printed_page_shows_developer_words(report):
    # the PDF (every page), the HTML as a browser shows it, and the Word file
    result, _ = report
    files = result["files"]
    for kind, text in (("pdf", pdf_text(files["pdf"])), ("html", html_text(files["html"])),
                       ("docx", docx_text(files["docx"]))):
        assert developer_words(text) == [], kind
        assert "<0.001" in text, kind  # a p value under a thousandth, not "0"
    cells = html_text(files["html"]).split("\n")
    assert "0.000" not in cells and "0" not in [c for c in cells if c.startswith("0.0")]


def test_developer_words_are_found_where_they_are():
    # the checker itself finds what it must (and not the words a report does use)
    assert developer_words("评价标准 default（DOMAIN.md 默认值）见笔记本 02，参数 trend_periods") == [
        "DOMAIN.md", "笔记本", "trend_periods"]
    assert developer_words("已写出 报告.docx；qualitykit targets --teachers 表") == [
        "qualitykit", "已写出", "--t"]
    assert developer_words("Games–Howell 两两比较；Welch t 检验；KR-20；p <0.001；5-1 班") == []


def test_the_first_page_opens_with_the_main_findings(report):
    import subprocess

    result, _ = report
    page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8",
                           str(result["files"]["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    head, _, body = page.partition("一、主要结论")
    assert body, "一、主要结论 is not on the first page"
    # before it: only the title block (its last row is the date of the analysis)
    assert "分析日期" in head and not any(h in head for h in HEADINGS if h != "一、主要结论")
    findings = body.split("二、基本情况")[0]
    items = re.split(r"(?m)^(\d+)．", findings)[1:]
    numbers, sentences = items[::2], items[1::2]
    assert len(sentences) >= 4 and numbers == [str(i) for i in range(1, len(numbers) + 1)]
    assert all(re.search(r"\d", s.split("（见")[0]) for s in sentences)  # each has its number
    assert all("（见" in s for s in sentences)  # and says where the evidence is


def test_html_hides_the_code(report):
    result, _ = report
    html = result["files"]["html"].read_text(encoding="utf-8")
    assert "import qualitykit" not in html and "load_term(" not in html
    assert "三率一分" in html and "<img" in html and "@font-face" in html


def test_every_chart_of_the_page_is_a_whole_picture(report):
    # the command renders the charts itself (report.office): none may stay a stand-in
    import base64

    result, _ = report
    html = result["files"]["html"].read_text(encoding="utf-8")
    pictures = [base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([^"]+)"',
                                                        html)]
    assert len(pictures) == 8  # rates, bands, distributions, means, knowledge, teachers, …
    assert all(p.startswith(b"\x89PNG") and len(p) > 10_000 for p in pictures)


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
    assert all(nfkc(h) in text for h in HEADINGS) and "第1页/共" in text


def test_value_added_and_growth_sections_show_the_librarys_numbers(report):
    import docx
    import pandas as pd

    result, _ = report
    now = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    before = qk.load_sample(exam="2024-2025-2 期末", grade=4)
    va = qk.value_added(now, before)
    growth = qk.growth_percentiles(now, before)
    doc = docx.Document(result["files"]["docx"])
    tables = [t for t in doc.tables if "估计方法" in _header(t)]
    assert len(tables) == 2  # classes (section 四) and teachers (section 五)
    classes = tables[0]
    assert len(classes.rows) == len(va.units) + 1
    for row, unit in zip(classes.rows[1:], va.units.itertuples()):
        cells = [c.text for c in row.cells]
        assert cells[:3] == [unit.class_id, unit.subject, str(unit.n)]
        assert cells[5] == f"{unit.estimate:.2f}"
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
        assert nfkc(heading) in text, heading
    # the absent class: 应考 42, 实考 0, and a dash for every number that cannot exist
    assert f"5-{ABSENT[0]}{ABSENT[1]}420——" in text
    # the class of one pupil against the grade: no interval, no g, and why (text is NFKC)
    # (the appendix's tests: mean, difference from the grade, no interval, p or g; a header row
    # that wraps may be extracted between the row's first cells and the rest)
    assert re.search(r"5-11\D{0,60}[\d.]+-?[\d.]+———人数太少,无法比较", text)
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
    assert "只有一个班,无需比较" in text and "六、教师" in text


def test_the_meeting_chooses_what_the_report_stresses(report, tmp_path):
    # 期末 (from the exam's name): the term's result first, and next term's targets to fill in
    result, _ = report
    final = html_text(result["files"]["html"])
    assert "期末质量分析会" in final and "下学期质量目标" in final
    # the same exam read at a 期中 meeting: 查漏补缺 first, no targets for next term
    mid = run_report(None, out_dir=tmp_path, exam="2025-2026-1 期末", grade=5, meeting="期中",
                     formats=("html",), log=lambda _: None)
    text = html_text(mid["files"]["html"])
    assert "期中质量分析会" in text and "下学期质量目标" not in text
    assert "期中检测重在查漏补缺" in text and "下半学期的分层辅导" in text
    first = text.split("一、主要结论")[1].split("二、基本情况")[0]
    assert re.search(r"1．数学失分率在 40% 以上的小题有 \d+ 道", first)


def test_a_meeting_other_than_midterm_or_final_stops_before_anything_runs(tmp_path):
    with pytest.raises(ValueError, match="期中 或 期末"):
        run_report(None, out_dir=tmp_path, meeting="年终", log=lambda _: None)
    assert not list(tmp_path.iterdir())


def test_without_a_fitness_file_the_report_has_no_fitness_section(report):
    # the 体质健康 section (tests/test_fitness_term.py) appears only with --fitness
    files = report[0]["files"]
    for kind, text in (("pdf", pdf_text(files["pdf"])), ("html", html_text(files["html"])),
                       ("docx", docx_text(files["docx"]))):
        assert "体质健康" not in text and "体测" not in text, kind
