"""Read a workbook or CSV into raw grids of cells, one per sheet (private).

Row ``i`` of a grid is Excel row ``i + 1``: leading empty rows are kept so that every row
number in the import report is the one a teacher sees in Excel.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .import_report import ScoreFileError

CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig also reads plain UTF-8; gb18030 ⊃ GBK
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def read_grids(path: Path) -> tuple[list[tuple[str, list[list[object]]]], str | None]:
    """Return ``[(sheet_name, rows), ...]`` and the CSV encoding used (None for workbooks)."""
    if not path.exists():
        raise ScoreFileError(
            f"找不到文件 (file not found)：{path}。请检查路径和文件名是否正确。",
            file=str(path))
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_workbook(path), None
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path)
    raise ScoreFileError(
        f"不支持的文件类型 (unsupported file type) “{path.suffix}”：{path.name}。"
        "请另存为 .xlsx、.xls 或 .csv 后再导入。", file=str(path))


def _read_workbook(path: Path) -> list[tuple[str, list[list[object]]]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise ScoreFileError(
            f"无法打开工作簿 (cannot open workbook) {path.name}：{exc}。"
            "文件可能已损坏或有密码保护；请用 Excel 打开后另存为 .xlsx 再试。",
            file=str(path)) from exc
    grids = []
    for name in wb.sheet_names:
        sheet = wb.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        grids.append((name, rows))
    return grids


def _read_csv(path: Path) -> tuple[list[tuple[str, list[list[object]]]], str]:
    raw = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise ScoreFileError(
            f"无法识别 CSV 文件的编码 (unknown text encoding)：{path.name}。"
            "请在 Excel 中另存为“CSV UTF-8”或 .xlsx 后再导入。", file=str(path))
    dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect=dialect)]
    return [(path.stem, rows)], encoding
