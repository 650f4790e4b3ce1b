"""The Word report as a teacher opens it: tables that repeat their header, never split a number,
give the width to 解读, and set the Chinese font; charts that are the notebook's own PNG."""

import base64
import functools
import re
import unicodedata
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

import qualitykit as qk
from qualitykit.report import plots

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_WIDTH = round(170 / 25.4 * 1440)  # A4 less 2 × 20 mm margins, in twips
EXAM = "2025-2026-1 期末"


@pytest.fixture(scope="module")
def term_docx(tmp_path_factory):
    """The Word report of the sample school, from the tables the notebook shows."""
    term = qk.load_term("", exam=EXAM, grade=5)
    scores = term.scores
    comparison = qk.compare_classes(scores)
    by_class = qk.summary(scores, standard=term.standard)
    paper = qk.paper_analysis(term.items, standard=term.standard)
    tables = {"basic": qk.summary(scores, by="subject"), "summary": by_class,
              "omnibus": comparison.omnibus, "classes": comparison.classes,
              "teachers": qk.teacher_table(scores, term.teachers, previous=term.previous),
              "paper": paper.paper, "items": paper.items, "error_items": paper.error_items}
    figures = {"rates": qk.plot_rates(by_class), "means": qk.plot_class_means(comparison.classes)}
    out = qk.write_outputs(tmp_path_factory.mktemp("word"), term, tables=tables,
                           figures=figures)
    import docx

    yield docx.Document(out["docx"]), figures, out["docx"]
    plt.close("all")


def _real_width(text: str, size_pt: float) -> float:
    """Width in twips with the Noto Serif SC metrics (LibreOffice's stand-in for 宋体; SimSun's
    own digits are narrower, 0.5 em), and Word's quarter em between 汉字 and digits."""
    cmap, hmtx, upm = _font_metrics()
    em = sum(hmtx[cmap[ord(c)]][0] / upm if ord(c) in cmap else 1.0 for c in text)
    wide = [unicodedata.east_asian_width(c) in "WFA" for c in text if not c.isspace()]
    em += 0.25 * sum(a != b for a, b in zip(wide, wide[1:]))
    return em * size_pt * 20


@functools.lru_cache(maxsize=1)
def _font_metrics():
    import pylopdf_fonts_zh_cn
    from fontTools.ttLib import TTFont

    font = TTFont(Path(pylopdf_fonts_zh_cn.sans_path()).with_name("NotoSerifSC-Regular.otf"))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def _rows(table):
    return table._tbl.findall(f"{W}tr")


def test_every_table_repeats_its_header_and_keeps_rows_whole(term_docx):
    doc, _, _ = term_docx
    assert len(doc.tables) >= 8
    for table in doc.tables:
        rows = _rows(table)
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
        layout = table._tbl.find(f"{W}tblPr/{W}tblLayout")
        assert layout is not None and layout.get(f"{W}type") == "fixed"


def test_tables_fit_the_page_and_numbers_never_wrap(term_docx):
    doc, _, _ = term_docx
    margins = 2 * 57  # the table's left and right cell margins
    checked = 0
    for table in doc.tables:
        grid = [int(g.get(f"{W}w")) for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert sum(grid) <= TEXT_WIDTH
        for row in _rows(table)[1:]:
            for cell, width in zip(row.findall(f"{W}tc"), grid):
                assert int(cell.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) == width
                text = "".join(t.text or "" for t in cell.iter(f"{W}t"))
                size = int(cell.find(f".//{W}sz").get(f"{W}val")) / 2
                if not re.search(r"[\u4e00-\u9fff]", text):  # a number or a code
                    assert _real_width(text, size) <= width - margins, (text, width)
                    checked += 1
    assert checked > 300


def test_the_reading_column_gets_the_width(term_docx):
    doc, _, _ = term_docx
    with_reading = 0
    for table in doc.tables:
        header = [c.text.replace("\n", "") for c in table.rows[0].cells]
        if "解读" not in header:
            continue
        with_reading += 1
        grid = [int(g.get(f"{W}w")) for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
        assert grid[header.index("解读")] == max(grid)
        assert grid[header.index("解读")] >= 0.3 * sum(grid)
    assert with_reading >= 2  # 班级比较 (both tables) at least


def test_every_run_has_the_chinese_font(term_docx):
    doc, _, _ = term_docx
    normal = doc.styles["Normal"].element.rPr.find(f"{W}rFonts")
    assert normal.get(f"{W}eastAsia") == "宋体"
    for table in doc.tables:
        for run in table._tbl.iter(f"{W}r"):
            assert run.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "宋体"


def test_the_charts_are_the_bytes_the_notebook_showed(term_docx):
    doc, figures, _ = term_docx
    images = {rel.target_part.blob for rel in doc.part.rels.values()
              if rel.reltype.endswith("/image")}
    assert images == {plots.figure_png(fig) for fig in figures.values()}


def test_a_figure_is_rendered_once_for_the_notebook_and_the_word_file(monkeypatch):
    # a notebook shows a chart through IPython's display formatter; the Word export then takes
    # the same bytes: one savefig in all
    import IPython
    from IPython.core.formatters import DisplayFormatter
    from matplotlib.figure import Figure

    formatter = DisplayFormatter()

    class Shell:
        display_formatter = formatter

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    calls = []
    original = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: calls.append(1) or
                        original(self, *a, **k))
    scores = qk.load_sample(exam=EXAM, grade=5)
    fig = qk.plot_rates(qk.summary(scores))
    data, metadata = formatter.format(fig)
    shown = base64.b64decode(data["image/png"])
    assert plots.figure_png(fig) is plots.figure_png(fig)
    assert plots.figure_png(fig) == shown and len(calls) == 1
    # 150 dpi pixels, shown at the size the figure's own dpi gives
    width, height = fig.get_size_inches()
    assert shown[16:24] == int(width * 150).to_bytes(4, "big") + int(height * 150).to_bytes(4, "big")
    assert metadata["image/png"]["width"] == round(width * fig.dpi)
    # shown again (after a change): rendered again, and the Word file follows
    fig.axes[0].set_title("改过的标题")
    again = base64.b64decode(formatter.format(fig)[0]["image/png"])
    assert again != shown and plots.figure_png(fig) == again and len(calls) == 2
    plt.close(fig)


def test_a_table_too_wide_for_the_page_keeps_its_numbers_whole():
    from qualitykit.report.word_tables import (
        SIZES,
        column_widths,
        fit_table,
        text_width,
    )

    header = [f"指标{i}" for i in range(30)]
    rows = [[f"{1234.5 + i:.1f}" for i in range(30)]]
    assert all(column_widths(header, rows, TEXT_WIDTH, size) is None for size in SIZES)
    size, widths, _ = fit_table(header, rows, TEXT_WIDTH)
    assert size == SIZES[-1]
    assert all(w >= text_width("1263.5") * size * 20 + 2 * 57 for w in widths)


# --- headers: broken evenly, never one 汉字 alone on a line -------------------------------

def _lines_word_draws(cell, width: int, size: float) -> list[str]:
    """The lines of a cell as Word fills them: its own breaks, then as many characters a
    line as fit the cell (Noto Serif SC metrics, the cell margins off)."""
    lines = []
    for paragraph_line in _cell_lines(cell):
        line = ""
        for char in paragraph_line:
            if line and _real_width(line + char, size) > width - 2 * 57:
                lines.append(line)
                line = ""
            line += char
        lines.append(line)
    return lines


def _cell_lines(cell) -> list[str]:
    lines, line = [], ""
    for node in cell.iter(f"{W}t", f"{W}br"):
        if node.tag == f"{W}br":
            lines.append(line)
            line = ""
        else:
            line += node.text or ""
    return lines + [line]


def _orphans(docx_path) -> tuple[list, int]:
    """Headers of ≤ 10 汉字 that Word would draw with a lone 汉字 on a line beside a longer
    line, and how many headers were looked at."""
    import docx

    orphans, checked = [], 0
    for table in docx.Document(docx_path).tables:
        grid = [int(g.get(f"{W}w")) for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
        for cell, width in zip(_rows(table)[0].findall(f"{W}tc"), grid):
            size = int(cell.find(f".//{W}sz").get(f"{W}val")) / 2
            lines = _lines_word_draws(cell, width, size)
            if len(re.findall(r"[\u4e00-\u9fff]", "".join(lines))) > 10:
                continue
            checked += 1
            if len(lines) > 1 and max(map(len, lines)) > 1 and any(
                    len(line) == 1 and re.match(r"[\u4e00-\u9fff]", line) for line in lines):
                orphans.append(lines)
    return orphans, checked


def test_no_short_header_leaves_one_character_alone(term_docx, tmp_path):
    # the term report's tables, and the 体质健康 tables whose "与年级均分差区间" used to
    # wrap as 与年级均分差区 / 间
    term = qk.load_term("", exam=EXAM, grade=5)
    section = qk.fitness_section(qk.fitness_sample_path(2025), term.scores, grade=5)
    fitness = qk.write_outputs(tmp_path, term, tables=qk.fitness_section_tables(section),
                               fitness_text="体质健康")
    for path, least in ((term_docx[2], 60), (fitness["docx"], 15)):
        orphans, checked = _orphans(path)
        assert checked >= least and orphans == [], (path, orphans)


@pytest.mark.parametrize("header", ["与年级均分差区间", "缺项人数", "平均学年总分", "优秀率区间(%)",
                                    "不及格率区间(%)", "与年级比较", "班级", "及格率(%)",
                                    "良好率区间(%)", "与年级均分差（区间）", "人数"])
def test_a_header_is_broken_into_even_lines_at_every_width(header):
    from qualitykit.report.word_tables import header_lines, text_width

    natural = text_width(header)
    for tenth in range(10, int(natural * 10) + 11):
        width = tenth / 10
        lines = header_lines(header, 3, width)
        assert "".join(lines) == header.replace(" ", "")
        if width >= max(map(text_width, header_lines(header, 3))):  # the floor fits
            assert max(map(text_width, lines)) <= width + 1e-9, (width, lines)
            lone = [line for line in lines if len(line) == 1]
            assert not lone or max(map(len, lines)) == 1, (width, lines)
    if len(header) == 2:  # a word of two is never split
        assert header_lines(header, 3, 1.0) == [header]
