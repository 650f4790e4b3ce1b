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
