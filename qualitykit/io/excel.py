"""Writing Excel files for teachers (private): safe against formula injection."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ._sheet_xml import put_sheet_data, sheet_data_xml

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Data rows of one Excel sheet (1,048,576 rows with the header): a longer table is split
#: over several sheets (:func:`split_long_sheets`). A module constant so that a test can lower it.
ROW_LIMIT = 1_048_575
#: A sheet of at least this many cells is written as XML directly (``_sheet_xml``), not
#: cell by cell through xlsxwriter (the same values; a test can lower it).
DIRECT_CELLS = 100_000


def safe_cell(value: object) -> object:
    """Neutralise text that Excel would run as a formula.

    >>> safe_cell("=SUM(A1)"), safe_cell("-"), safe_cell(-3), safe_cell("五(1)班")
    ("'=SUM(A1)", "'-", -3, '五(1)班')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def unsafe_cell(value: object) -> object:
    """Undo :func:`safe_cell` when a file written by the kit is read back.

    >>> unsafe_cell("'=SUM(A1)"), unsafe_cell("'-"), unsafe_cell("'好"), unsafe_cell(3)
    ('=SUM(A1)', '-', "'好", 3)
    """
    if isinstance(value, str) and value.startswith("'") and value[1:2] and \
            value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def write_sheets(path: str | Path, sheets: dict[str, pd.DataFrame], *,
                 log: Callable[[str], None] | None = None) -> Path:
    """Write DataFrames to one workbook, one sheet each, text cells made formula-safe.

    The cells are those ``DataFrame.to_excel(index=False)`` writes (the same values, types and
    order), written column by column without pandas' per-cell machinery — a sheet of
    :data:`DIRECT_CELLS` cells or more as its XML directly (text as inline strings, the same
    values read back) —; a sheet with a column of another kind (dates …) goes through
    ``to_excel`` itself. A table longer than :data:`ROW_LIMIT` rows is split over several
    sheets (:func:`split_long_sheets`), and ``log`` is told so in Chinese.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sheets, notes = split_long_sheets(sheets)
    direct = {}
    with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            safe = _formula_safe(frame)
            xml = _write_frame(writer, safe, name[:31])
            sheet = writer.sheets[name[:31]]
            if xml is not None:
                direct[sheet.index] = xml
            for i, col in enumerate(safe.columns):
                width = max([len(str(col))] + [len(str(v)) for v in safe[col].head(200)]) + 2
                sheet.set_column(i, i, min(max(width, 6), 60))
    if direct:
        put_sheet_data(path, direct)
    for note in notes if log is not None else ():
        log(note)
    return path


def _formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell through :func:`safe_cell` (a column of pandas' text dtype
    at once: the same cells)."""
    safe = frame.copy()
    for i in range(safe.shape[1]):
        column = safe.iloc[:, i]
        if isinstance(column.dtype, pd.StringDtype):
            formula = column.str.startswith(_FORMULA_START).fillna(False).to_numpy(bool)
            if formula.any():
                safe.isetitem(i, column.where(~formula, "'" + column))
        elif column.dtype == object or pd.api.types.is_string_dtype(column):
            safe.isetitem(i, column.map(safe_cell))
    return safe


def split_long_sheets(sheets: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame],
                                                                list[str]]:
    """Sheets of at most :data:`ROW_LIMIT` rows: a longer table becomes ``name（1）``,
    ``name（2）`` … (rows in order, each part with the header), with a Chinese note per split.

    >>> import pandas as pd
    >>> parts, notes = split_long_sheets({"学生": pd.DataFrame({"x": [1, 2]})})
    >>> list(parts), notes
    (['学生'], [])
    """
    out, notes = {}, []
    for name, frame in sheets.items():
        if len(frame) <= ROW_LIMIT:
            out[name] = frame
            continue
        n = math.ceil(len(frame) / ROW_LIMIT)
        names = [f"{name[:31 - len(str(k)) - 2]}（{k}）" for k in range(1, n + 1)]
        for k, part in enumerate(names):
            out[part] = frame.iloc[k * ROW_LIMIT:(k + 1) * ROW_LIMIT]
        notes.append(f"工作表“{name}”有 {len(frame):,} 行，超过 Excel 一张工作表最多 "
                     f"{ROW_LIMIT:,} 行（另有表头一行），已按原顺序分成 {n} 张工作表："
                     f"{'、'.join(names)}（每张都有表头）。")
    return out, notes


def _write_frame(writer: pd.ExcelWriter, frame: pd.DataFrame,
                 name: str) -> tuple[str, str] | None:
    """One sheet: the header row, then each column's cells (:func:`_cells`) in the order
    ``to_excel`` writes them; ``to_excel`` for a frame :func:`_cells` does not take. A new
    sheet of :data:`DIRECT_CELLS` cells or more is left empty and its XML returned (for
    ``_sheet_xml.put_sheet_data``), unless a cell is not plain."""
    columns = [_cells(frame.iloc[:, i]) for i in range(frame.shape[1])]
    header = _cells(pd.Series(list(frame.columns), dtype=object))
    if isinstance(frame.columns, pd.MultiIndex) or header is None or \
            any(cells is None for cells in columns):
        frame.to_excel(writer, sheet_name=name, index=False)
        return None
    sheet = writer.book.get_worksheet_by_name(name)
    if sheet is None and frame.size >= DIRECT_CELLS:
        xml = sheet_data_xml(header, columns)
        if xml is not None:
            writer.book.add_worksheet(name)
            return xml
    sheet = sheet or writer.book.add_worksheet(name)
    sheet.write_row(0, 0, header)
    for i, cells in enumerate(columns):
        sheet.write_column(1, i, cells)
    return None


def _cells(column: pd.Series) -> list | None:
    """A column's cells as ``to_excel`` hands them to xlsxwriter: missing → "", ±inf →
    "inf" / "-inf", numpy numbers → Python ``int`` / ``float`` / ``bool``, text as it is;
    None when a value is of another kind (``to_excel`` then writes the sheet)."""
    numpy_dtype = isinstance(column.dtype, np.dtype)
    if numpy_dtype and column.dtype.kind in "iub":
        return column.to_numpy().tolist()  # Python ints / bools, none missing
    if numpy_dtype and column.dtype.kind == "f":
        values = column.to_numpy().tolist()  # Python floats
        bad = (~np.isfinite(column.to_numpy())).nonzero()[0]
    else:
        values = column.tolist()
        bad = range(len(values))
    for i in bad:
        cell = _cell(values[i])
        if cell is _OTHER:
            return None
        values[i] = cell
    return values


_OTHER = object()


def _cell(value: object) -> object:
    """One value as ``to_excel`` converts it (see :func:`_cells`), or ``_OTHER``."""
    if isinstance(value, str):
        return value
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if np.isnan(value):
            return ""
        return float(value) if np.isfinite(value) else ("inf" if value > 0 else "-inf")
    return _OTHER
