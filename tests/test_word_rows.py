"""The Word tables' body rows copied from a row python-docx built (``pack_word``'s fast path)
are the XML python-docx builds cell by cell: the district report's and a school's 通报反馈's
``word/document.xml`` byte for byte against the cell-by-cell writer, with readings in colour,
empty cells and texts with spaces or line breaks among the rows."""

import zipfile

import pandas as pd
import pytest

from qualitykit.district.analysis import analyse_district
from qualitykit.district.feedback import district_conclusions, school_feedback
from qualitykit.district.load import load_district
from qualitykit.district.pages import district_pages, feedback_pages
from qualitykit.report import pack_word
from qualitykit.labels import label
from qualitykit.report.pack import TEXT_COLUMNS, Block, Page
from qualitykit.report.pack_word import write_pack_docx


def cell_by_cell(grid, table, style_id, widths, words, built):
    """The reference: every cell through python-docx (the writer before the fast path)."""
    for values in table.itertuples(index=False):
        row = grid.add_row()
        for cell, value, width, left in zip(row.cells, values, widths, words):
            pack_word._fill(cell, str(value), style_id, width=width, left=left)


def header_cell_by_cell(grid, table, style_id, widths, built):
    """The reference header: every cell through python-docx, then shaded."""
    header = grid.rows[0]
    pack_word._repeat_header(header)
    for cell, name, width in zip(header.cells, table.columns, widths):
        # broken into even lines by the kit, as the writer does (header_lines)
        room = (width.mm - pack_word._PAD_MM - 0.5) / (2 * pack_word._half_em(pack_word._TABLE_PT))
        text = "\n".join(pack_word.header_lines_of(str(name), 2, room))
        pack_word._fill(cell, text, style_id, width=width, left=False, bold=True)
        pack_word._shade(cell)


def document_xml(path):
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml")


def assert_same_document(tmp_path, monkeypatch, pages):
    fast = document_xml(write_pack_docx(pages, tmp_path / "fast.docx", title="t"))
    with monkeypatch.context() as m:
        m.setattr(pack_word, "_rows", cell_by_cell)
        m.setattr(pack_word, "_header", header_cell_by_cell)
        slow = document_xml(write_pack_docx(pages, tmp_path / "slow.docx", title="t"))
    assert fast == slow


@pytest.fixture(scope="module")
def league():
    data = load_district()
    return data, analyse_district(data)


def test_district_and_feedback_documents_are_unchanged(league, tmp_path, monkeypatch):
    data, analysis = league
    pages = district_pages(data, analysis, district_conclusions(data, analysis))
    assert sum(len(b.table) for p in pages for b in p.blocks if b.table is not None) > 50
    assert_same_document(tmp_path, monkeypatch, pages)
    school = feedback_pages(data, school_feedback(data, analysis, data.schools[0]))
    assert_same_document(tmp_path, monkeypatch, school)


def test_rows_that_are_not_plain_are_built_cell_by_cell(tmp_path, monkeypatch):
    verdict = label("verdict")  # a column of words: left-aligned, readings in colour
    assert verdict in TEXT_COLUMNS
    table = pd.DataFrame({"学校": ["甲", "乙", " 丙", "丁", "戊\n己", "", "庚", "辛"],
                          verdict: ["高于区域", "相近", "低于区域", "相近", "相近", "相近", "a\tb",
                                    "相近"],
                          "平均分": [1.5, 2.0, 3.25, float("nan"), 5, 6, 7, 8]})
    page = Page(kind="class", name="测试", title="测试", lines=(),
                blocks=(Block(heading="表", table=table),))
    assert_same_document(tmp_path, monkeypatch, [page])


def test_cells_of_rows_with_readings_are_copies_of_cells_built_before(tmp_path, monkeypatch):
    # every row holds a reading in colour (so no row is copied whole): its other cells, and
    # readings of a colour met before, are copies of the cell python-docx built for the
    # column (and colour) with the text replaced; the document is the cell-by-cell one
    verdict = label("verdict")
    readings = ["高于区域", "低于区域", "高于", "低于区域", "无差别", "高于区域", "低于", ""]
    table = pd.DataFrame({"班级": [f"{k}班" for k in range(1, 9)], verdict: readings,
                          "平均分": [81.5, 62.25, 70, 70, float("nan"), 99.9, 0, 55],
                          "学校": ["甲", "乙", "甲", " 丙", "丁", "甲", "戊", "己"]})
    page = Page(kind="class", name="测试", title="测试", lines=(),
                blocks=(Block(heading="表", table=table),))
    assert_same_document(tmp_path, monkeypatch, [page])
    text = document_xml(tmp_path / "fast.docx").decode()
    assert text.count("C0392B") == 3 and text.count("1A7F37") == 3  # the colours kept


def test_documents_start_from_a_copy_of_one_built_once(league, tmp_path, monkeypatch):
    # every part of the .docx (styles, footer, settings, core properties with the title) is
    # the one python-docx writes when it builds the empty document for each file
    data, analysis = league
    pages = feedback_pages(data, school_feedback(data, analysis, data.schools[1]))
    copied = write_pack_docx(pages, tmp_path / "copied.docx", title="乙校")

    def built(title):
        doc = pack_word._built_document()
        doc.core_properties.title = title
        return doc

    monkeypatch.setattr(pack_word, "_document", built)
    fresh = write_pack_docx(pages, tmp_path / "fresh.docx", title="乙校")
    with zipfile.ZipFile(copied) as a, zipfile.ZipFile(fresh) as b:
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist())
        assert "乙校" in a.read("docProps/core.xml").decode()
