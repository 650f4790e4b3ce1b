"""The workbook of a cohort-and-growth study: one sheet per table, Chinese headers, intervals kept."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..labels import to_display
from .display import in_view
from .excel import write_sheets

__all__ = ["write_growth"]

#: table key → (sheet, view)
SHEETS = {
    "cohort_indicators": ("届比较-指标", "cohort_indicators"),
    "cohort_effects": ("届比较-效应量", "cohort_effects"),
    "cohort_classes": ("追踪-各班去向", "cohort_classes"),
    "cohort_students": ("追踪-学生", "cohort_students"),
    "name_matches": ("追踪-按姓名匹配", "name_matches"),
    "value_added": ("增值-班级", None),
    "teacher_value_added": ("增值-教师", None),
    "va_models": ("增值-模型", None),
    "growth": ("成长百分位-班级", None),
    "growth_students": ("成长百分位-学生", "growth_students"),
    "trend": ("趋势", None),
    "trend_flags": ("趋势-提示", "trend_flags"),
}


def write_growth(path: str | Path, tables: dict[str, pd.DataFrame]) -> Path | None:
    """Write the tables of notebook 02 (keys of :data:`SHEETS`) to one workbook.

    Staff only: the student sheets hold growth percentiles, which are not shown to pupils or
    parents. Empty or missing tables are left out; an empty ``path`` writes nothing.
    """
    if not path:
        return None
    sheets = {}
    for key, (sheet, view) in SHEETS.items():
        table = tables.get(key)
        if table is not None and not table.empty:
            sheets[sheet] = to_display(in_view(table, view), intervals=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return write_sheets(Path(path), sheets)
