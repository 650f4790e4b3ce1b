"""``write_sheets`` writes its cells without pandas' per-cell ``to_excel``: the files must be
the ones ``to_excel`` wrote (every part of the .xlsx byte for byte, but the creation time), on
the 联考 report's workbook and on columns of every kind the kit writes."""

import datetime
import zipfile

import numpy as np
import pandas as pd
import pytest

from qualitykit.district.analysis import analyse_district
from qualitykit.district.load import load_district
from qualitykit.district.report import workbook_sheets
from qualitykit.io.excel import safe_cell, write_sheets


def written_by_to_excel(path, sheets):
    """The reference: write_sheets as it was, through ``DataFrame.to_excel``."""
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            safe = frame.copy()
            for col in safe.columns:
                if safe[col].dtype == object or pd.api.types.is_string_dtype(safe[col]):
                    safe[col] = safe[col].map(safe_cell)
            safe.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, col in enumerate(safe.columns):
                width = max([len(str(col))] + [len(str(v)) for v in safe[col].head(200)]) + 2
                sheet.set_column(i, i, min(max(width, 6), 60))
    return path


def parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def assert_same_files(tmp_path, sheets):
    new = parts(write_sheets(tmp_path / "new.xlsx", sheets))
    old = parts(written_by_to_excel(tmp_path / "old.xlsx", sheets))
    assert list(new) == list(old)
    for name in old:
        assert new[name] == old[name], name


def test_the_district_workbook_is_the_one_to_excel_wrote(tmp_path):
    data = load_district()
    sheets = workbook_sheets(data, analyse_district(data))
    assert sum(len(t) for t in sheets.values()) > 800  # the pupils' sheet is in it
    assert_same_files(tmp_path, sheets)


def test_every_kind_of_cell(tmp_path):
    frame = pd.DataFrame({
        "float": [1.5, np.nan, np.inf, -np.inf], "float32": np.array([0.1, 2, 3, np.nan],
                                                                    dtype="float32"),
        "int": [1, 2, 3, 4], "bool": [True, False, True, False],
        "Int64": pd.array([1, None, 3, 4], dtype="Int64"),
        "text": pd.array(["五(1)班", None, "=SUM(A1)", "-"], dtype="str"),
        "mixed": pd.Series(["a", 2, 2.5, None], dtype=object),
        "url": ["http://example.com", "b", "", "c"], 3: [1, 2, 3, 4]})
    assert_same_files(tmp_path, {"cells": frame, "empty": pd.DataFrame(),
                                 "header only": pd.DataFrame(columns=["a", "b"])})


def test_a_sheet_with_dates_goes_through_to_excel(tmp_path):
    frame = pd.DataFrame({"day": [datetime.date(2026, 1, 2), None],
                          "when": pd.to_datetime(["2026-01-02 08:00", None]), "n": [1, 2]})
    assert_same_files(tmp_path, {"dates": frame})
    back = pd.read_excel(tmp_path / "new.xlsx", engine="calamine")
    assert back["n"].tolist() == [1, 2]


@pytest.mark.parametrize("name", ["a" * 40])
def test_long_sheet_names_are_cut_as_before(tmp_path, name):
    assert_same_files(tmp_path, {name: pd.DataFrame({"x": [1.0]})})


# ---- large sheets: their XML written directly (qualitykit.io._sheet_xml) ---------------------

def read_back(path):
    """Every sheet's cells as calamine and openpyxl read them (values with their types), and
    openpyxl's column widths."""
    import openpyxl
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    calamine = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
    wb = openpyxl.load_workbook(path)
    cells = {ws.title: [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()]
             for ws in wb.worksheets}
    widths = {ws.title: {k: d.width for k, d in ws.column_dimensions.items()}
              for ws in wb.worksheets}
    return calamine, cells, widths


def assert_same_values(tmp_path, sheets, monkeypatch, direct_cells=1):
    """Written with the direct XML (every sheet of ``direct_cells`` cells or more) and by
    ``to_excel``: calamine and openpyxl read the same cells, types and widths."""
    import qualitykit.io.excel as excel

    monkeypatch.setattr(excel, "DIRECT_CELLS", direct_cells)
    new = read_back(write_sheets(tmp_path / "direct.xlsx", sheets))
    old = read_back(written_by_to_excel(tmp_path / "old.xlsx", sheets))
    assert new == old
    return new


def test_the_district_workbook_written_directly_reads_back_the_same(tmp_path, monkeypatch):
    data = load_district()
    sheets = workbook_sheets(data, analyse_district(data))
    new = assert_same_values(tmp_path, sheets, monkeypatch)
    pupils = new[0]["学生总分与排名（仅供教研室）"]
    assert len(pupils) == len(sheets["学生总分与排名（仅供教研室）"]) + 1
    with zipfile.ZipFile(tmp_path / "direct.xlsx") as z:  # the direct path was taken
        assert b"inlineStr" in z.read("xl/worksheets/sheet7.xml")


def test_every_kind_of_cell_written_directly(tmp_path, monkeypatch):
    frame = pd.DataFrame({
        "float": [1.5, np.nan, np.inf, -np.inf], "tiny": [1e-300, 0.1 + 0.2, 2 / 3, -0.0],
        "big": [12345678901234567890, 2**53 + 1, -7, 0],
        "float32": np.array([0.1, 2, 3, np.nan], dtype="float32"),
        "bool": [True, False, True, False],
        "Int64": pd.array([1, None, 3, 4], dtype="Int64"),
        "text": pd.array(["五(1)班", None, "=SUM(A1)", "-"], dtype="str"),
        "xml": ["a & b", "<b>粗</b>", " 前后空格 ", "x>y"],
        "mixed": pd.Series(["a", 2, 2.5, None], dtype=object), 3: [1, 2, 3, 4]})
    assert_same_values(tmp_path, {"cells": frame, "empty": pd.DataFrame(),
                                  "header only": pd.DataFrame(columns=["a", "b"]),
                                  "last row empty": pd.DataFrame({"a": [1.0, np.nan]})},
                       monkeypatch)
    with zipfile.ZipFile(tmp_path / "direct.xlsx") as z:
        assert b"inlineStr" in z.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("text", ["http://example.com", "_x0041_", "a\x01b", "{=1+1}",
                                  "x" * 40000])
def test_text_xlsxwriter_treats_otherwise_goes_through_it(tmp_path, monkeypatch, text):
    # a link, an escape-like text, a control character, an array formula, a too long text:
    # the sheet is written by xlsxwriter as before (byte for byte the file to_excel wrote)
    import qualitykit.io.excel as excel

    monkeypatch.setattr(excel, "DIRECT_CELLS", 1)
    assert_same_files(tmp_path, {"s": pd.DataFrame({"t": ["plain", text], "n": [1, 2]})})


def test_a_table_longer_than_a_sheet_is_split_over_sheets(tmp_path, monkeypatch):
    import qualitykit.io.excel as excel

    monkeypatch.setattr(excel, "ROW_LIMIT", 5)
    monkeypatch.setattr(excel, "DIRECT_CELLS", 1)
    pupils = pd.DataFrame({"考号": [f"s{i:02d}" for i in range(12)],
                           "总分": np.arange(12) * 1.5})
    notes = []
    path = write_sheets(tmp_path / "split.xlsx", {"均分": pd.DataFrame({"a": [1.0]}),
                                                  "学生总分": pupils}, log=notes.append)
    back = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert list(back) == ["均分", "学生总分（1）", "学生总分（2）", "学生总分（3）"]
    assert [len(back[f"学生总分（{k}）"]) for k in (1, 2, 3)] == [5, 5, 2]
    whole = pd.concat([back[f"学生总分（{k}）"] for k in (1, 2, 3)], ignore_index=True)
    pd.testing.assert_frame_equal(whole, pupils, check_dtype=False)
    assert notes == ["工作表“学生总分”有 12 行，超过 Excel 一张工作表最多 5 行（另有表头一行），"
                     "已按原顺序分成 3 张工作表：学生总分（1）、学生总分（2）、学生总分（3）"
                     "（每张都有表头）。"]


def test_split_sheet_names_stay_within_excel_s_31_characters(monkeypatch):
    import qualitykit.io.excel as excel

    monkeypatch.setattr(excel, "ROW_LIMIT", 1)
    parts, _ = excel.split_long_sheets({"名" * 40: pd.DataFrame({"a": [1, 2]})})
    assert [len(n) for n in parts] == [31, 31] and list(parts)[1].endswith("（2）")
