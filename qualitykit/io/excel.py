"""Writing Excel files for teachers (private): safe against formula injection."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def write_sheets(path: str | Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write DataFrames to one workbook, one sheet each, text cells made formula-safe."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
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
