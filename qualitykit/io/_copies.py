"""Pupils met in two sheets of one file (private).

A sheet all of whose pupils are in other sheets with the same scores is a copy (a 汇总 sheet
beside the class sheets, or the reverse): it is not read twice, and its classes fill classes
the kept rows lack. Sheets of different exams (a workbook with one sheet per exam) hold the
same pupils without repeating them. Any other repeat is an error, the first row kept. A step of
:class:`~qualitykit.io._sheet.ScoreImport`, run once every sheet is read.
"""

from __future__ import annotations

import pandas as pd

from .problems import where


class CopySteps:
    """Copies of sheets and repeated pupils across sheets (a step of ``ScoreImport``)."""

    def _copies_and_duplicates(self, data: pd.DataFrame, sheet_rows: list[dict]) -> pd.DataFrame:
        """The table without copy sheets and repeated pupils; ``sheet_rows`` (the report's
        sheets) counts them as skipped."""
        cross = pd.DataFrame(self.cross, columns=["sheet", "row", "sid", "first_sheet",
                                                  "first_row", "col", "header"])
        exam_of = data.groupby("source_sheet", sort=False)["exam"].first()
        # a workbook with one sheet per exam (七上期中, 七上期末 …): the same pupils, not repeats
        cross = cross[cross["sheet"].map(exam_of).eq(cross["first_sheet"].map(exam_of))]
        info = {r["sheet"]: r for r in sheet_rows}
        for sheet, dups in cross.groupby("sheet", sort=False):
            rows = data[data["source_sheet"] == sheet]
            if not self._is_copy(sheet, rows, dups, data):
                continue
            data = _adopt_classes(data[data["source_sheet"] != sheet], rows)
            self._report_copy(sheet, rows, info[sheet])
            cross = cross[cross["sheet"] != sheet]
        return self._drop_repeats(data, cross, info)

    def _is_copy(self, sheet: str, rows: pd.DataFrame, dups: pd.DataFrame,
                 data: pd.DataFrame) -> bool:
        """Whether every pupil of the sheet is in other sheets with the same subjects and
        scores; a copy with a few cells changed is one too, those cells reported."""
        if not set(rows["student_id"]) <= set(dups["sid"]):
            return False  # the sheet has pupils of its own
        others = data[(data["source_sheet"] != sheet) & data["student_id"].isin(dups["sid"])]
        first = others.drop_duplicates(["student_id", "subject"])
        m = rows.merge(first, on=["student_id", "subject"], how="left",
                       suffixes=("", "_first"), indicator=True)
        same = (m["_merge"] == "both") & (m["status"] == m["status_first"]) & (
            (m["score"] == m["score_first"]) | (m["score"].isna() & m["score_first"].isna()))
        if (m["_merge"] != "both").any():
            return False  # subjects of its own
        if not same.all():  # a copy with some cells changed: name those cells
            if (~same).sum() > len(m) / 2:
                return False
            self._differing_copy(sheet, m[~same])
        return True

    def _report_copy(self, sheet: str, rows: pd.DataFrame, info: dict) -> None:
        """A copy sheet: its rows counted as skipped, and an info line."""
        n = rows["student_id"].nunique()
        info.update(rows_imported=0, rows_skipped=info["rows_skipped"] + n,
                    note=f"与其他工作表重复（{n} 名学生、成绩相同），未重复读取")
        self.problems.add(sheet, None, None, "", sheet,
                          f"工作表「{sheet}」的 {n} 名学生都已在其他工作表中，成绩完全相同：是汇总表或副本 "
                          "(copy of other sheets)", "未重复读取", "info")

    def _drop_repeats(self, data: pd.DataFrame, cross: pd.DataFrame, info: dict) -> pd.DataFrame:
        """Every other pupil met again: an error, the later row left out."""
        for d in cross.itertuples():
            self.problems.add(
                d.sheet, d.row, d.col, d.header, d.sid,
                f"{where(self.file, d.sheet, d.row, d.col, d.header)}：学号 {d.sid} 重复 "
                f"(duplicated student_id)，与工作表「{d.first_sheet}」第 {d.first_row} 行相同。"
                "请核对学号，同一学生只保留一行。", "已跳过此行（保留第一次出现的行）", "error")
            drop = (data["source_sheet"] == d.sheet) & (data["source_row"] == d.row)
            data = data[~drop]
            info[d.sheet].update(rows_imported=info[d.sheet]["rows_imported"] - 1,
                                 rows_skipped=info[d.sheet]["rows_skipped"] + 1)
        return data.reset_index(drop=True)

    def _differing_copy(self, sheet: str, cells: pd.DataFrame) -> None:
        """Cells where a copy sheet (汇总) differs from the sheet it repeats: which is right?"""
        for c in cells.itertuples():
            index, header = self.subject_columns.get((sheet, c.subject), (None, c.subject))
            shown = f"{c.score:g}" if c.score == c.score else c.status
            first = f"{c.score_first:g}" if c.score_first == c.score_first else c.status_first
            self.problems.add(
                sheet, c.source_row, index, header, shown,
                f"{where(self.file, sheet, c.source_row, index, header)}：{c.name}的{c.subject}是 {shown}，"
                f"而工作表「{c.source_sheet_first}」第 {c.source_row_first} 行是 {first} "
                "(a copy sheet differs)。请核对哪一个是对的，两处改成一样后再导入。",
                f"暂按工作表「{c.source_sheet_first}」读取", "error")


def _adopt_classes(kept: pd.DataFrame, copy: pd.DataFrame) -> pd.DataFrame:
    """Kept rows without a class take the class of the same pupil in a copy sheet."""
    missing = kept["class_id"].isin(["", None]) | kept["class_id"].isna()
    if not missing.any():
        return kept
    classes = copy.drop_duplicates("student_id").set_index("student_id")
    kept = kept.copy()
    ids = kept.loc[missing, "student_id"]
    for col in ("class_id", "class_name", "grade"):
        kept.loc[missing, col] = ids.map(classes[col]).where(ids.isin(classes.index),
                                                             kept.loc[missing, col])
    return kept
