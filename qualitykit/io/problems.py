"""The import report: what was read, what was set aside, and every problem with its place."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..schema import ScoreFileError

__all__ = ["ImportReport", "ScoreFileError", "column_letter"]

PROBLEM_COLUMNS = ["file", "sheet", "row", "column", "header", "value", "problem", "action",
                   "severity"]
SEVERITY_LABELS = {"error": "错误", "warning": "提醒", "info": "说明"}


def column_letter(index: int) -> str:
    """Excel column letter for a 0-based index.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def where(file: str, sheet: str, row: int | None, col: int | None = None, header: str = "") -> str:
    """“文件 x，工作表「s」，第 n 行，C 列「语文」”: the place of a problem, for messages.

    >>> where("成绩.xlsx", "五(1)班", 4, 2, "语文")
    '文件 成绩.xlsx，工作表「五(1)班」，第 4 行，C 列「语文」'
    """
    place = f"文件 {file}，工作表「{sheet}」"
    if row is not None:
        place += f"，第 {row} 行"
    if col is not None:
        place += f"，{column_letter(col)} 列"
        if header:
            place += f"「{header}」"
    return place


class Problems:
    """The problem list of one import, built row by row (``ImportReport.problems``).

    Parameters
    ----------
    file : str
        The file's name, written into every row.
    """

    def __init__(self, file: str):
        self.file = file
        self.rows: list[dict] = []

    def add(self, sheet: str, row: int | None, col: int | None, header: str, value: object,
            problem: str, action: str, severity: str) -> None:
        """One problem: its place (sheet, Excel row, 0-based column, header), the value, what
        is wrong, what was done and its severity (``error``, ``warning`` or ``info``)."""
        self.rows.append({
            "file": self.file, "sheet": sheet, "row": row,
            "column": column_letter(col) if col is not None else "",
            "header": header, "value": "" if value is None else str(value),
            "problem": problem, "action": action, "severity": severity})

    def frame(self) -> pd.DataFrame:
        """The problems as ``ImportReport.problems`` (``PROBLEM_COLUMNS``, ``row`` as Int64)."""
        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS).astype({"row": "Int64"})


def sheet_info(file: str, sheet: str) -> dict:
    """A row of ``ImportReport.sheets`` for a sheet not (yet) used."""
    return {"file": file, "sheet": sheet, "used": False, "note": "", "header_row": pd.NA,
            "rows_read": 0, "rows_imported": 0, "rows_skipped": 0, "empty_rows": 0}


@dataclass
class ImportReport:
    """What :func:`qualitykit.read_scores` did with a file.

    Attributes
    ----------
    problems : DataFrame
        One row per problem or set-aside item: ``file``, ``sheet``, ``row`` (Excel row),
        ``column`` (Excel letter), ``header``, ``value``, ``problem``, ``action``,
        ``severity`` (``error``, ``warning`` or ``info``).
    sheets : DataFrame
        One row per sheet: ``file``, ``sheet``, ``used`` (bool), ``note``, ``header_row``,
        ``rows_read``, ``rows_imported``, ``rows_skipped``, ``empty_rows``.
    columns : DataFrame
        One row per column of each used sheet: ``file``, ``sheet``, ``column``, ``header``,
        ``role``, ``subject``.
    data : DataFrame or None
        The canonical table that was imported (lenient mode keeps what could be read).
    """

    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PROBLEM_COLUMNS))
    sheets: pd.DataFrame = field(default_factory=pd.DataFrame)
    columns: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)
    data: pd.DataFrame | None = None

    # ---- counts -------------------------------------------------------------------------
    @property
    def rows_read(self) -> int:
        """Non-empty data rows read below the header, over all used sheets."""
        return int(self.sheets["rows_read"].sum()) if len(self.sheets) else 0

    @property
    def rows_imported(self) -> int:
        return int(self.sheets["rows_imported"].sum()) if len(self.sheets) else 0

    @property
    def rows_skipped(self) -> int:
        return int(self.sheets["rows_skipped"].sum()) if len(self.sheets) else 0

    @property
    def errors(self) -> pd.DataFrame:
        return self.problems[self.problems["severity"] == "error"].reset_index(drop=True)

    @property
    def ok(self) -> bool:
        """True when nothing is an error (warnings and notes may remain)."""
        return self.errors.empty

    # ---- display ------------------------------------------------------------------------
    def summary_lines(self) -> list[str]:
        lines = []
        for s in self.sheets.itertuples():
            if s.used:
                lines.append(
                    f"工作表「{s.sheet}」：表头在第 {s.header_row} 行，读取 {s.rows_read} 行，"
                    f"导入 {s.rows_imported} 行，跳过 {s.rows_skipped} 行（均列在下表），"
                    f"空行 {s.empty_rows} 行")
            else:
                lines.append(f"工作表「{s.sheet}」：未使用（{s.note}）")
        counts = self.problems["severity"].value_counts()
        lines.append("合计：读取 {} 行 = 导入 {} 行 + 跳过 {} 行；错误 {} 个，提醒 {} 个，说明 {} 个".format(
            self.rows_read, self.rows_imported, self.rows_skipped, counts.get("error", 0),
            counts.get("warning", 0), counts.get("info", 0)))
        lines.extend(self.notes)
        return lines

    def display_table(self) -> pd.DataFrame:
        """The problems table with Chinese column names, errors first."""
        order = {"error": 0, "warning": 1, "info": 2}
        table = self.problems.assign(_o=self.problems["severity"].map(order))
        table = table.sort_values(["_o", "file", "sheet", "row"], kind="stable").drop(columns="_o")
        table = table.assign(severity=table["severity"].map(SEVERITY_LABELS))
        return table.rename(columns={
            "file": "文件", "sheet": "工作表", "row": "行", "column": "列", "header": "表头",
            "value": "内容", "problem": "问题", "action": "处理", "severity": "级别"})

    def to_text(self, max_rows: int = 40) -> str:
        lines = ["导入报告 (import report)", *self.summary_lines()]
        table = self.display_table()
        if len(table):
            shown = table.head(max_rows)
            lines.append(shown.to_string(index=False, max_colwidth=60))
            if len(table) > max_rows:
                lines.append(f"……另有 {len(table) - max_rows} 条，完整列表请用 --out 导出到 Excel。")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{line}</li>" for line in self.summary_lines())
        return f"<p><b>导入报告</b></p><ul>{items}</ul>" + self.display_table().to_html(index=False)

    def to_excel(self, path) -> None:
        """Write the report (summary, problems, columns) to an .xlsx file."""
        from .excel import write_sheets

        summary = pd.DataFrame({"导入报告": self.summary_lines()})
        write_sheets(path, {"概况": summary, "问题清单": self.display_table(),
                            "列识别": self.columns})


def raise_if_errors(report: ImportReport, path, strict: bool, *, what: str = "成绩表") -> None:
    """Stop with :func:`error_message` when ``strict`` and the report has errors; ``what`` names
    the kind of table (成绩表, 学生信息表, 教学编排表)."""
    if strict and not report.ok:
        raise ScoreFileError(error_message(report, what=what), file=str(path), report=report)


def error_message(report: ImportReport, limit: int = 5, *, what: str = "成绩表") -> str:
    from .full_marks import over_full_mark_lines

    errors = report.errors
    lines = [f"{what}有 {len(errors)} 个错误，未导入 (ScoreFileError)："]
    lines += [f"- {line}" for line in over_full_mark_lines(errors["problem"].astype(str))]
    for e in errors.head(limit).itertuples():
        lines.append(f"- {e.problem}")
    if len(errors) > limit:
        lines.append(f"- ……另有 {len(errors) - limit} 个错误")
    if what == "成绩表":
        lines.append("请按提示修改表格后重新导入；运行 `qualitykit check 文件名` 可查看完整的导入报告，"
                     "或用 strict=False 先导入能读的部分。")
    else:
        lines.append(f"请按提示修改{what}后重新运行。")
    return "\n".join(lines)
