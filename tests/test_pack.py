"""The 班级质量分析单 and 教师个人质量分析表 as a person reads them: one page per class and per
teacher, a bookmark for each, the numbers of the library on the page, names masked on request,
the same pages in Word."""

import dataclasses
import os
import re
import shutil
import subprocess
import unicodedata

import numpy as np
import pandas as pd
import pytest
from conftest import realdata

import qualitykit as qk
from qualitykit.report.pack import (
    GROUPS,
    TEXT_COLUMNS,
    class_pages,
    pack_data,
    pack_name,
    pack_pages,
    teacher_pages,
    write_pack,
)
from qualitykit.report.pack_pdf import add_bookmarks, write_pack_pdf
from qualitykit.report.pack_word import column_needs, column_widths, write_pack_docx
from qualitykit.report.runner import find_browser
from qualitykit.term.load import exam_title

EXAM, GRADE = "2025-2026-1 期末", 5
#: What no printed page may hold (issue 15): developer words, file and function names, log lines.
FORBIDDEN = ("DOMAIN.md", "笔记本", "qualitykit", "study_file", "trend_periods", "已写出")
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def page_text(path, page: int | None = None) -> str:
    """The text of a PDF (or of one page, 1-based) as a reader sees it, row by row, without
    whitespace (pdftotext maps Chromium's CJK glyphs back to their characters; see
    test_report.pdf_text; ``-layout`` keeps a table's row on one line)."""
    first_last = ["-f", str(page), "-l", str(page)] if page else []
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", *first_last, str(path), "-"],
                          check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).replace("\u2015", "\u2014"))


def docx_text(path) -> str:
    import docx

    doc = docx.Document(path)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture(scope="module")
def term():
    return qk.load_term(exam=EXAM, grade=GRADE)


@pytest.fixture(scope="module")
def data(term):
    return pack_data(term)


@pytest.fixture(scope="module")
def pack(tmp_path_factory, term, data):
    """The sample school's pack, written as ``qualitykit report`` writes it, and a masked copy."""
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is needed to read the pages")
    out = tmp_path_factory.mktemp("pack")
    pages = pack_pages(data)
    name = pack_name(term)
    files = {"pdf": write_pack_pdf(pages, out / f"{name}.pdf", title=name),
             "docx": write_pack_docx(pages, out / f"{name}.docx", title=name)}
    masked = pack_pages(data, mask=True)
    files["masked"] = write_pack_pdf(masked, out / "masked.pdf", title=name)
    return files, pages, masked


def test_one_page_per_class_and_per_teacher_each_bookmarked(pack, term):
    from pypdf import PdfReader

    files, pages, _ = pack
    classes = sorted(term.scores["class_id"].unique())
    teachers = qk.assign_teachers(term.scores, term.teachers)["teacher"].dropna().unique()
    assert len(classes) == 4 and len(teachers) == 16  # the sample school
    pdf = PdfReader(files["pdf"])
    assert len(pdf.pages) == len(classes) + len(teachers) == len(pages)
    assert pdf.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4
    outline = pdf.outline
    groups = [o for o in outline if not isinstance(o, list)]
    assert [g.title for g in groups] == list(GROUPS.values())
    children = [o for o in outline if isinstance(o, list)]
    class_marks, teacher_marks = children
    assert [m.title for m in class_marks] == [f"五年级{c[-1]}班" for c in classes]
    assert sorted(m.title for m in teacher_marks) == sorted(teachers)
    marks = class_marks + teacher_marks
    assert [pdf.get_destination_page_number(m) for m in marks] == list(range(len(pages)))
    for number, mark in enumerate(marks, start=1):  # each bookmark opens its own page
        assert mark.title in page_text(files["pdf"], number)


def test_class_page_shows_the_librarys_numbers(pack, term):
    files, _, _ = pack
    text = page_text(files["pdf"], 1)  # 五年级1班
    assert "班级质量分析单:五年级1班" in text
    scores = term.scores
    by_class = qk.summary(scores, standard=term.standard)
    vs_grade = qk.compare_classes(scores).classes
    grade = qk.summary(scores, by="subject", standard=term.standard).set_index("subject")
    for row in by_class[by_class["class_id"] == "5-1"].itertuples():
        c = vs_grade[(vs_grade["class_id"] == "5-1") & (vs_grade["subject"] == row.subject)].iloc[0]
        # the mean checked against pandas directly, not only against the library
        sat = scores[(scores["class_id"] == "5-1") & (scores["subject"] == row.subject)
                     & scores["status"].eq("sat")]
        assert row.mean == pytest.approx(sat["score"].mean())
        means = (f"{row.n_sat}{row.mean:.1f}({c.mean_low:.1f}~{c.mean_high:.1f})"
                 f"{grade.loc[row.subject, 'mean']:.1f}"
                 f"{c['diff']:+.1f}({c.diff_low:+.1f}~{c.diff_high:+.1f})")
        assert re.search(f"{row.subject}教师\\d{{3}}{re.escape(means)}", text), means
        rates = (f"{row.subject}{100 * row.pass_rate:.1f}%({100 * row.pass_rate_low:.1f}~"
                 f"{100 * row.pass_rate_high:.1f}){100 * grade.loc[row.subject, 'pass_rate']:.1f}%"
                 f"{100 * row.excellent_rate:.1f}%")
        assert rates in text, rates


def test_class_page_change_lists_and_movers_are_the_librarys(pack, term, data):
    files, _, _ = pack
    text = page_text(files["pdf"], 1)
    change = qk.compare_exams(term.scores, term.previous, standard=term.standard)
    lists = qk.targets(term.scores, standard=term.standard, teachers=term.teachers,
                       previous=term.previous)
    counts = qk.target_counts(lists, term.scores)
    for row in change[change["class_id"] == "5-1"].itertuples():
        cells = (f"{row.subject}{row.n_matched}{row.prev_mean:.1f}{row.mean:.1f}"
                 f"{100 * row.prev_above_mean_rate:.1f}%{100 * row.above_mean_rate:.1f}%"
                 f"{row.z_change:+.2f}")
        assert cells in text, cells
    for row in counts[counts["class_id"] == "5-1"].itertuples():
        cells = (f"{row.subject}{row.n_sat}{row.n_enrichment}{row.n_borderline}{row.n_support}"
                 f"{row.n_lopsided}{row.n_support_entered}")
        assert cells in text, cells
    p = qk.progress(term.scores, term.previous, standard=term.standard)
    best = p.improved[(p.improved["class_id"] == "5-1") & (p.improved["subject"] == "全科")]
    assert len(best) == term.standard.improved_top
    for row in best.itertuples():  # 学习进步奖 candidates = the page's 进步最多
        assert f"进步最多{row.student_id}{row.name}{row.n_subjects}{row.z_change:+.2f}" in text


def test_the_class_comparison_says_what_its_interval_says(data):
    pages = class_pages(data)
    table = pages[0].blocks[0].table
    shown = table.set_index(qk.label("subject"))[qk.label("verdict")]
    rows = data.vs_grade[data.vs_grade["class_id"] == "5-1"].set_index("subject")
    for subject, verdict in shown.items():
        r = rows.loc[subject]
        outside = r.diff_low > 0 or r.diff_high < 0
        assert outside == bool(r.significant)
        expected = ("高于年级" if r["diff"] > 0 else "低于年级") if outside else "与年级无明显差别"
        assert verdict.startswith(expected), (subject, verdict)


def test_teacher_page_has_her_classes_the_grade_the_change_and_value_added(pack, term, data):
    files, pages, _ = pack
    first = next(i for i, p in enumerate(pages) if p.kind == "teacher")
    page = pages[first]
    text = page_text(files["pdf"], first + 1)
    teacher = page.name
    row = qk.teacher_table(term.scores, term.teachers, previous=term.previous,
                           standard=term.standard).set_index("teacher").loc[teacher]
    assert f"教师个人质量分析表:{teacher}" in text
    assert f"任教:{row.subject}{row.classes}" in text
    assert (f"{row.subject}{row.classes}{row.n_sat}{row['mean']:.1f}{row.diff_mean:+.1f}"
            in text)
    assert f"{row.subject}年级" in text and f"{row.grade_mean:.1f}" in text
    assert (f"{exam_title(row.prev_exam)}{row.prev_mean:.1f}{row['mean']:.1f}"
            f"{100 * row.prev_above_mean_rate:.1f}%{100 * row.above_mean_rate:.1f}%"
            f"{100 * row.above_mean_change:+.1f}个百分点") in text
    va = qk.value_added(term.scores, term.previous, by="teacher", teachers=term.teachers,
                        standard=term.standard).units.set_index("teacher").loc[teacher]
    assert f"{va.estimate:+.2f}({va.low:+.2f}~{va.high:+.2f})" in text
    assert "个人分析" in text and "改进措施" in text


def test_a_teacher_of_two_classes_gets_a_row_for_all_her_pupils(term):
    # 教师054 teaches 数学 in 5-1; give her 5-2 too: the page adds 所教合计, from the library's
    # teacher comparison, and the 年级 row
    staff = term.teachers.copy()
    mask = (staff["class_id"] == "5-2") & (staff["subject"] == "数学") \
        & (staff["school_year"] == "2025-2026") & (staff["term"].astype(str) == "1")
    assert mask.sum() == 1
    staff.loc[mask, "teacher"] = "教师054"
    data = pack_data(dataclasses.replace(term, teachers=staff, previous=None))
    page = next(p for p in teacher_pages(data) if p.name == "教师054")
    table = page.blocks[0].table
    assert list(table[qk.label("class_id")]) == ["5-1", "5-2", "所教合计", "年级"]
    both = qk.compare_classes(qk.assign_teachers(term.scores, staff), group="teacher").classes
    mine = both[(both["teacher"] == "教师054") & (both["subject"] == "数学")].iloc[0]
    pupils = term.scores[term.scores["class_id"].isin(["5-1", "5-2"])
                         & term.scores["subject"].eq("数学") & term.scores["status"].eq("sat")]
    assert mine.n_sat == len(pupils) and mine["mean"] == pytest.approx(pupils["score"].mean())
    total = table.iloc[2]
    assert total[qk.label("n_sat")] == str(len(pupils))
    assert total[qk.label("mean")] == f"{pupils['score'].mean():.1f}"
    # without an earlier exam the pages say so and claim nothing
    assert page.blocks[1].note == "未提供上次考试成绩，本节从略。" and page.blocks[1].table is None
    cls = class_pages(data)[0]
    assert cls.blocks[2].table is None and cls.blocks[4].table is None


def test_names_are_masked_on_request(pack, term, data):
    files, _, masked = pack
    movers = data.movers[data.movers["class_id"] == "5-1"]
    real = movers["name"].tolist()
    assert real and all(len(n) >= 2 for n in real)
    plain, hidden = page_text(files["pdf"], 1), page_text(files["masked"], 1)
    assert all(n in plain for n in real)
    assert not any(n in hidden for n in real)
    assert all(f"{n[0]}{'*' * (len(n) - 1)}" in hidden for n in real)  # ＊ is * after NFKC
    shown = masked[0].blocks[4].table[qk.label("name")]
    assert shown.str.fullmatch(r".＊+").all()


def test_no_developer_words_on_any_page(pack):
    files, _, _ = pack
    for text in (page_text(files["pdf"]), docx_text(files["docx"])):
        for word in FORBIDDEN:
            assert word not in text, word
        assert not SNAKE.search(text), SNAKE.search(text)


def test_word_file_has_the_same_pages_with_repeated_headers_and_fitting_columns(pack):
    import docx
    from docx.oxml.ns import qn

    files, pages, _ = pack
    doc = docx.Document(files["docx"])
    titles = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert titles == [p.title for p in pages]
    breaks = [p.paragraph_format.page_break_before for p in doc.paragraphs
              if p.style.name == "Heading 1"]
    assert breaks == [False] + [True] * (len(pages) - 1)
    tables = [b.table for p in pages for b in p.blocks if b.table is not None]
    assert len(doc.tables) == len(tables)
    text_width = doc.sections[0].page_width - doc.sections[0].left_margin \
        - doc.sections[0].right_margin
    for grid, table in zip(doc.tables, tables):
        header = grid.rows[0]._tr.trPr
        assert header is not None and header.find(qn("w:tblHeader")) is not None
        shown = [c.text for c in grid.rows[0].cells]
        assert ["".join(h.split()) for h in shown] == ["".join(c.split()) for c in table.columns]
        _assert_headers_break_evenly(shown, [c.width for c in grid.columns])
        assert [c.text for c in grid.rows[1].cells] == [str(v) for v in table.iloc[0]]
        widths = [c.width for c in grid.columns]
        assert sum(widths) <= text_width * 1.001
        for width, need, name in zip(widths, column_needs(table), table.columns):
            if name not in TEXT_COLUMNS:  # a figure is never squeezed onto two lines
                assert width.mm >= need - 0.1, (name, width.mm, need)
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"


def _assert_headers_break_evenly(headers, widths):
    """Each header line fits its column at 8 pt (Word adds no break of its own: a wide
    character is an em, the rest 0.55 em, and Word's quarter em where 汉字 meet a Latin letter
    or digit, less the cell margins) and no header of ≤ 10 汉字 leaves one 汉字 alone on a
    line ("平均Z变" over "化" was the defect)."""
    import re
    import unicodedata

    half_em = 8 / 2 * 25.4 / 72  # mm
    for header, width in zip(headers, widths):
        lines = header.split("\n")
        for line in lines:
            wide = [unicodedata.east_asian_width(c) in "WF" for c in line if not c.isspace()]
            units = sum(2 if w else 1.1 for w in wide) + 0.5 * sum(
                a != b for a, b in zip(wide, wide[1:]))
            assert units * half_em <= width.mm - 3.9, (header, width.mm)
        if len(re.findall(r"[\u4e00-\u9fff]", header)) <= 10 and len(lines) > 1:
            assert not any(len(line) == 1 for line in lines), header


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_word_file_keeps_one_page_per_class_and_teacher_in_libreoffice(pack, tmp_path):
    from pypdf import PdfReader

    from qualitykit.report.fonts import cjk_font

    files, pages, _ = pack
    profile = (tmp_path / "profile").as_uri()
    # a machine without a Chinese system font shows boxes of another width than 宋体's: give
    # LibreOffice the kit's own font (as Word on a teacher's machine has 宋体)
    fonts = tmp_path / "fonts.conf"
    fonts.write_text("<?xml version='1.0'?><!DOCTYPE fontconfig SYSTEM 'fonts.dtd'><fontconfig>"
                     "<include ignore_missing='yes'>/etc/fonts/fonts.conf</include>"
                     f"<dir>{cjk_font()[1].parent}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
                     "</fontconfig>", encoding="utf-8")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(files["docx"])],
                   check=True, capture_output=True,
                   env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
    (converted,) = tmp_path.glob("*.pdf")
    assert len(PdfReader(converted).pages) == len(pages)
    assert "班级质量分析单:五年级1班" in page_text(converted, 1)
    # the Chinese glyphs are drawn in a font that has them (the kit's, or a Chinese system font
    # the machine prefers), not as boxes of a Latin one
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    chinese = set(subprocess.run(["fc-list", ":lang=zh", "postscriptname"], check=True, env=env,
                                 capture_output=True, text=True).stdout.replace(
                                     ":postscriptname=", "").split())
    assert chinese, "fontconfig lists no font with Chinese glyphs"
    listing = subprocess.run(["pdffonts", str(converted)], check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    used = [line.split()[0].split("+")[-1] for line in listing if line.strip()]
    assert any(name.startswith(tuple(chinese)) for name in used), (used, sorted(chinese))


def test_bookmarks_fall_back_to_one_page_each_when_the_engine_made_none(pack, tmp_path):
    from pypdf import PdfReader, PdfWriter

    files, pages, _ = pack
    bare = PdfWriter()
    bare.append(PdfReader(files["pdf"]), import_outline=False)
    path = tmp_path / "bare.pdf"
    bare.write(path)
    assert add_bookmarks(path, pages, title="t")
    marks = [m for group in PdfReader(path).outline if isinstance(group, list) for m in group]
    assert len(marks) == len(pages)
    short = PdfWriter()
    short.append(PdfReader(path), pages=(0, 3), import_outline=False)  # 3 pages: cannot tell
    short.write(tmp_path / "short.pdf")
    assert not add_bookmarks(tmp_path / "short.pdf", pages, title="t")


def test_column_widths_keep_figures_whole_and_wrap_words():
    t = pd.DataFrame({"科目": ["语文", "数学"], "平均分（95%区间）": ["81.1（76.0～86.3）", "9.5"],
                      "与年级比较": ["与年级无明显差别（人数少，仅供参考）", "高于年级"]})
    wide = column_widths(t, 180)
    assert sum(wide) == pytest.approx(180)
    # room enough: every header on one line ("与年级比较" needs 5 wide characters = 10 half-ems)
    assert all(w >= n for w, n in zip(wide, column_needs(t, header_lines=1)))
    assert column_needs(t, header_lines=1)[0] == pytest.approx(4 * 8 / 2 * 25.4 / 72 + 4.9)
    narrow = column_widths(t, 75)
    assert sum(narrow) == pytest.approx(75)
    # hand computation: 8 pt → a half-em of 1.411 mm; "81.1（76.0～86.3）" = 12 figures (1.1 each)
    # + 3 wide characters (2 each) + 5 places where a wide character meets a figure (0.6
    # each, Word's quarter em and a little) = 22.2 half-ems → 31.3 mm + 4.9 mm of margins
    assert narrow[1] == pytest.approx(22.2 * 8 / 2 * 25.4 / 72 + 4.9)
    assert narrow[2] < wide[2]


def test_write_pack_writes_nothing_for_formats_it_does_not_write_or_without_a_folder(term,
                                                                                    tmp_path):
    assert write_pack(term, tmp_path, formats=("xlsx",)) == {}
    assert write_pack(term, "", formats=("pdf", "docx")) == {}  # as write_outputs: no folder
    assert not list(tmp_path.iterdir())
    assert not list(tmp_path.iterdir())


def test_movers_up_are_the_progress_candidates_and_down_are_the_mirror():
    # three pupils in one class, two subjects; Z changes by hand: A +1.0/+0.5, B -0.2/-0.6, C 0/0
    students = pd.DataFrame({
        "class_id": ["5-1"] * 6, "student_id": ["A", "A", "B", "B", "C", "C"],
        "name": ["甲", "甲", "乙", "乙", "丙", "丙"], "subject": ["语文", "数学"] * 3,
        "match": ["matched"] * 6, "z_change": [1.0, 0.5, -0.2, -0.6, 0.0, 0.0],
        "pct_change": [20.0, 10.0, -4.0, -12.0, 0.0, 0.0]})
    m = qk.movers(students, top=3)
    assert m[["direction", "student_id"]].values.tolist() == [["up", "A"], ["down", "B"]]
    assert m["z_change"].tolist() == pytest.approx([0.75, -0.4])
    assert m["pct_change"].tolist() == pytest.approx([15.0, -8.0])
    assert m["n_subjects"].tolist() == [2, 2]
    with pytest.raises(ValueError, match="top"):
        qk.movers(students, top=0)
    with pytest.raises(ValueError, match="progress"):
        qk.movers(students.drop(columns="z_change"))


def test_movers_agree_with_the_progress_candidates_on_the_sample():
    now, before = qk.load_sample(exam=EXAM, grade=GRADE), qk.load_sample(exam="2024-2025-2 期末",
                                                                          grade=4)
    p = qk.progress(now, before)
    m = qk.movers(p.students, top=3)
    up = m[m["direction"] == "up"].reset_index(drop=True)
    best = p.improved[p.improved["subject"] == "全科"].reset_index(drop=True)
    assert up["student_id"].tolist() == best["student_id"].tolist()
    assert np.allclose(up["z_change"], best["z_change"])
    down = m[m["direction"] == "down"]
    # each class's fallers: the lowest mean Z change among its pupils (checked with pandas)
    both = p.students[p.students["match"].eq("matched")].dropna(subset=["z_change"])
    mean = both.groupby(["class_id", "student_id"])["z_change"].mean().reset_index()
    for cls, part in down.groupby("class_id"):
        lowest = mean[mean["class_id"] == cls].nsmallest(3, "z_change")
        assert part["student_id"].tolist() == lowest["student_id"].tolist()


def test_run_pack_reads_the_term_as_the_report_does_and_masks_on_request(monkeypatch, tmp_path):
    from qualitykit.report import pack as pack_module

    seen = {}

    def fake_write(term, out_dir, **options):
        seen.update(options, title=term.title, previous=term.previous is not None)
        return {"pdf": tmp_path / "x.pdf"}

    monkeypatch.setattr(pack_module, "write_pack", fake_write)
    files = pack_module.run_pack(None, out_dir=tmp_path, exam=EXAM, grade=GRADE,
                                 mask_names=True, formats=("pdf", "html"), log=lambda _: None)
    assert files == {"pdf": tmp_path / "x.pdf"}
    assert seen["mask"] is True and seen["formats"] == ("pdf", "html")
    assert seen["title"] == qk.load_term(exam=EXAM, grade=GRADE).title and seen["previous"]


def notebook_tables(term) -> dict:
    """The tables the term-analysis notebook hands to write_pack, computed as its cells do."""
    std, scores, previous, staff = term.standard, term.scores, term.previous, term.teachers
    comparison = qk.compare_classes(scores)
    va = qk.value_added(scores, previous, standard=std)
    teacher_va = qk.value_added(scores, previous, by="teacher", teachers=staff, standard=std)
    teacher_cmp = qk.compare_classes(qk.assign_teachers(scores, staff), group="teacher")
    return {
        "basic": qk.summary(scores, by="subject", standard=std),
        "summary": qk.rank_groups(qk.against_grade(qk.summary(scores, standard=std),
                                                   comparison), comparison),
        "classes": comparison.classes,
        "change": qk.against_expected(qk.compare_exams(scores, previous, standard=std), va),
        "counts": qk.target_counts(qk.targets(scores, standard=std, teachers=staff,
                                              previous=previous), scores),
        "value_added": va.units, "teacher_va": teacher_va.units,
        "teachers": qk.rank_groups(qk.against_expected(qk.against_grade(
            qk.teacher_table(scores, staff, previous=previous, standard=std), teacher_cmp,
            unit="teacher"), teacher_va, unit="teacher"), teacher_cmp, unit="teacher"),
        "teacher_classes": teacher_cmp.classes, "paper": None}


def test_the_pack_from_the_reports_tables_is_the_pack_computed_alone(term, data):
    # the notebook's tables carry the report's readings as extra columns; the pages are the same
    from_report = pack_pages(pack_data(term, notebook_tables(term)))
    alone = pack_pages(data)
    assert [(p.kind, p.name, p.title, p.lines) for p in from_report] == \
        [(p.kind, p.name, p.title, p.lines) for p in alone]
    for mine, theirs in zip(from_report, alone):
        for b1, b2 in zip(mine.blocks, theirs.blocks, strict=True):
            assert (b1.heading, b1.note, b1.prompts) == (b2.heading, b2.note, b2.prompts)
            if b2.table is None:
                assert b1.table is None
            else:
                pd.testing.assert_frame_equal(b1.table, b2.table)


def test_write_pack_html_prints_as_the_pdf_with_its_bookmarks(term, data, tmp_path):
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is needed to read the pages")
    from pypdf import PdfReader

    from qualitykit.report.pack_pdf import pack_outline, print_pack

    files = write_pack(term, tmp_path, tables=notebook_tables(term), formats=("html", "docx"))
    assert set(files) == {"html", "docx"}  # nothing printed yet: the runner prints the HTML
    title, outline = pack_outline(files["html"])
    pages = pack_pages(data)
    assert title == pack_name(term) and outline == [(p.kind, p.name) for p in pages]
    pdf = print_pack(files["html"], tmp_path / "pack.pdf")
    marks = [[m.title for m in group] for group in PdfReader(pdf).outline
             if isinstance(group, list)]
    assert marks == [[p.name for p in pages if p.kind == kind] for kind in GROUPS]
    assert "班级质量分析单:五年级1班" in page_text(pdf, 1)


def test_the_packs_bookmarks_are_grouped_from_its_page_headings(term, data):
    from dataclasses import replace

    from qualitykit.report.pack_pdf import pack_bookmarks, pack_html
    from qualitykit.report.pdf_outline import mark_headings

    pages = pack_pages(data)
    marked = mark_headings(pack_html(pages, "t"))
    grouped = pack_bookmarks(marked)
    anchors = [h.anchor for h in marked.headings]  # one <h1> a page
    assert len(anchors) == len(pages) and grouped.show_outline
    expected = []
    for kind in GROUPS:
        mine = [(page, anchor) for page, anchor in zip(pages, anchors) if page.kind == kind]
        expected += [(1, GROUPS[kind], mine[0][1])] + [(2, p.name, a) for p, a in mine]
    assert [(h.level, h.title, h.anchor) for h in grouped.headings] == expected
    assert grouped.text == marked.text
    # headings that are not one a page: the page's own bookmarks, as Chromium makes them
    odd = replace(marked, headings=marked.headings[:-1])
    assert pack_bookmarks(odd) is odd


@pytest.mark.skipif(not find_browser(), reason="needs Chromium")
def test_the_pack_printed_untagged_has_the_bookmarks_of_the_tagged_print(term, tmp_path):
    from pypdf import PdfReader

    from qualitykit.report.browser import Browser
    from qualitykit.report.pack_pdf import pack_bookmarks, print_pack
    from qualitykit.report.print_queue import PrintQueue

    html = write_pack(term, tmp_path, tables=notebook_tables(term), formats=("html",))["html"]
    tagged = print_pack(html, tmp_path / "tagged.pdf", engine="chromium")  # + pypdf's outline
    with Browser(find_browser()) as browser:
        queue = PrintQueue(browser, own_outline=pack_bookmarks)
        queue.add(html, tmp_path / "untagged.pdf")
        assert queue.finish() == {}

    def marks(path):
        reader = PdfReader(path)
        return reader.page_mode, [
            [(m.title, reader.get_destination_page_number(m)) for m in o]
            if isinstance(o, list) else (o.title, reader.get_destination_page_number(o))
            for o in reader.outline]

    assert marks(tmp_path / "untagged.pdf") == marks(tagged)
    assert marks(tagged)[0] == "/UseOutlines" and len(marks(tagged)[1]) == 4


def test_the_report_command_prints_the_pack_the_report_wrote(monkeypatch, tmp_path, capsys):
    from qualitykit.cli import main
    from qualitykit.report import term_report

    calls = {}

    def fake_report(score_file, **options):
        calls["report"] = options
        return {"files": {}, "timings": {}, "pdf_engine": None, "title": "t",
                "pack": {"pdf": tmp_path / "p.pdf"}}

    monkeypatch.setattr(term_report, "run_report", fake_report)
    assert main(["report", "--out", str(tmp_path), "--mask-names", "--formats", "pdf"]) == 0
    out = capsys.readouterr().out
    assert calls["report"]["mask_names"] is True and calls["report"]["formats"] == ("pdf",)
    assert "班级质量分析单与教师个人质量分析表" in out and str(tmp_path / "p.pdf") in out


def test_a_real_schools_pack_has_one_page_per_class_and_teacher(tmp_path):
    """平湖中学 七年级 (18 classes; 期中 → 期末; 语文 teachers of one or two classes)."""
    from pypdf import PdfReader

    folder = realdata("cn-school-exports", "pinghu-g7-2025")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftotext) is needed to read the pages")
    term = qk.load_term(folder / "ph七上期末成绩.xlsx", exam="七上期末", subjects=["语文"],
                        previous_file=folder / "ph七上期中成绩.xlsx", full_marks={"语文": 120},
                        teacher_file=folder / "ph教学编排表.xlsx",
                        roster_file=folder / "ph学生信息表.xlsx")
    files = write_pack(term, tmp_path, log=lambda _: None)
    teachers = qk.assign_teachers(term.scores, term.teachers)
    per_teacher = teachers.dropna(subset=["teacher"]).groupby("teacher")["class_id"].unique()
    assert term.scores["class_id"].nunique() == 18 and per_teacher.map(len).max() == 2
    pdf = PdfReader(files["pdf"])
    assert len(pdf.pages) == 18 + len(per_teacher)
    class_marks, teacher_marks = [o for o in pdf.outline if isinstance(o, list)]
    assert [m.title for m in class_marks] == [f"初一{i}班" for i in range(1, 19)]
    assert sorted(m.title for m in teacher_marks) == sorted(per_teacher.index)
    # 初一10班 (class 7-10, the 10th page): its 语文 mean as pandas computes it
    sat = term.scores[term.scores["class_id"].eq("7-10") & term.scores["status"].eq("sat")]
    text = page_text(files["pdf"], 10)
    assert "班级质量分析单:初一10班" in text
    assert f"语文{per_teacher[per_teacher.map(lambda c: '7-10' in c)].index[0]}{len(sat)}" \
           f"{sat['score'].mean():.1f}(" in text
    # a teacher of two classes: both classes, then all her pupils together
    two = per_teacher[per_teacher.map(len) == 2].index[0]
    number = 19 + [m.title for m in teacher_marks].index(two)
    pupils = term.scores[term.scores["class_id"].isin(per_teacher[two])
                         & term.scores["status"].eq("sat")]
    text = page_text(files["pdf"], number)
    first, second = sorted(per_teacher[two], key=lambda c: int(c.split("-")[1]))
    assert f"任教:语文{first}、{second}" in text
    assert f"语文所教合计{len(pupils)}{pupils['score'].mean():.1f}" in text


def test_movers_note_explains_a_percentile_change_against_the_z_change(data):
    # the sample's 5-1 movers: Z and 百分等级 change the same way, no extra sentence
    rows = data.movers[data.movers["class_id"] == "5-1"]
    assert (rows["z_change"] * rows["pct_change"] > 0).all()
    assert "方向相反" not in class_pages(data)[0].blocks[4].note
    # a pupil whose Z rose while his 百分等级 fell (as on a real school after a 期中 with many
    # low scores): the page says why the two columns disagree
    flipped = data.movers.copy()
    first = flipped.index[flipped["class_id"] == "5-1"][0]
    flipped.loc[first, "pct_change"] = -abs(flipped.loc[first, "pct_change"])
    page = class_pages(dataclasses.replace(data, movers=flipped))[0]
    assert "方向相反" in page.blocks[4].note
    assert page.blocks[4].table[qk.label("pct_change")].iloc[0].startswith("-")
