"""Score sheets in long form: one row per pupil × subject (private).

教务 systems export 学号, 姓名, 班级, 科目, 成绩 (sometimes 满分) one row per pupil and
subject; some workbooks have one sheet per subject, the sheet named after it, with a single
成绩 column. Both become the canonical table here, with the same row checks (statistics,
footers, class headings) and the same cell checks as a wide sheet. A step of
:class:`~qualitykit.io._sheet.ScoreImport`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._text import norm
from ..subjects import canonical_subject
from . import _headers as H
from ._cells import blank, parse_cell
from ._columns import Layout, padded_rows
from ._context import Context
from ._headers import pick
from ._pupils import class_info, surrogate_id
from ._score_cells import DEFAULT_FULL_MARK
from ._sheet_grid import Sheet
from .problems import where
from .titles import parse_exam

#: The columns of the rows a long sheet gives (the canonical ones but the source file, sheet)
LONG_COLUMNS = ["student_id", "name", "school", "grade", "class_id", "class_name", "subject",
                "score", "status", "full_mark", "level", "source_row", "exam"]


def is_long(cols: list[H.Column], sheet_name: str, extra) -> bool:
    """A header with an id or name, a 成绩 column and no subject column: long form when it
    also has a 科目 column, or when the sheet is named after a subject."""
    roles = {c.role for c in cols}
    if not roles & {"student_id", "name"} or "value" not in roles:
        return False
    if any(c.role in ("score", "level") and c.subject for c in cols):
        return False
    return "subject_name" in roles or canonical_subject(sheet_name, extra) is not None


@dataclass
class _LongSheet:
    """What every row of a long sheet is read with: its layout (the 成绩 column is the one
    "subject" column, key ""), its context, and its 科目, 满分 and 考试名称 columns."""

    name: str
    layout: Layout
    context: Context
    subject: H.Column | None
    full_mark: H.Column | None
    exam: H.Column | None

    @classmethod
    def of(cls, name: str, cols: list[H.Column], context: Context) -> _LongSheet:
        """The long sheet ``name`` with header columns ``cols``."""
        layout = Layout(pick(cols, "student_id"), pick(cols, "name"),
                        pick(cols, "class") or pick(cols, "class_code"), pick(cols, "school"),
                        None, None, {"": pick(cols, "value")}, {},
                        {norm(c.header) for c in cols if c.header})
        return cls(name, layout, context, pick(cols, "subject_name"), pick(cols, "full_mark"),
                   pick(cols, "exam"))


class LongSteps:
    """A sheet in long form (a step of ``ScoreImport``)."""

    def _read_long(self, sheet: Sheet, found) -> tuple[pd.DataFrame, dict]:
        """The canonical rows of a long sheet and its counts (rows read = imported + skipped)."""
        hdr, depth, cols = found
        first = hdr + depth + 1
        rows = padded_rows(sheet.rows[hdr + depth:], cols)
        s = _LongSheet.of(sheet.name, cols, self._context(sheet, hdr))
        layout = s.layout
        ids = [r[layout.id.index] for r in rows] if layout.id else [None] * len(rows)
        sids = self._student_ids(sheet.name, ids, first, layout.id)
        records, counts, other_exams = [], {"empty": 0, "skipped": 0}, set()
        heading = None
        for pos, row in enumerate(rows):
            excel_row = first + pos
            name = norm(row[layout.name.index]) if layout.name else ""
            kind = self._row_kind(s.name, row, excel_row, sids[pos], name, layout, s.context)
            if isinstance(kind, tuple):
                heading = kind
            if kind != "pupil":
                counts["empty" if kind == "empty" else "skipped"] += 1
                continue
            exam = _exam(row, s.exam, s.context.exam)
            if self.exam and s.exam is not None and not _same_exam(exam, self.exam):
                counts["skipped"] += 1  # another exam of the file (exam= picks one)
                other_exams.add(exam)
                continue
            record = self._long_record(s, row, excel_row, sids[pos], name, heading, exam)
            if record is None:
                counts["skipped"] += 1
            else:
                records.append(record)
        frame = pd.DataFrame(records, columns=LONG_COLUMNS)
        frame["source_file"], frame["source_sheet"] = self.file, sheet.name
        self._report_exams(sheet.name, s.exam, other_exams, sorted(set(frame["exam"])))
        if frame.empty:
            self._no_pupils(sheet.name, hdr + 1, counts["skipped"])
        return frame, {"header_row": hdr + 1, "rows_read": len(rows) - counts["empty"],
                       "rows_imported": len(records), "rows_skipped": counts["skipped"],
                       "empty_rows": counts["empty"]}

    def _report_exams(self, sheet, exam_col, other_exams: set[str], exams: list[str]) -> None:
        """Rows of exams that ``exam=`` left out; several exams read (each its own rows)."""
        if other_exams:
            self.problems.add(sheet, None, exam_col.index, exam_col.header, "、".join(other_exams),
                              f"表中还有其他考试的成绩：{'、'.join(sorted(other_exams))} (other exams)",
                              f"按 exam={self.exam!r} 只读取这次考试；其他考试的行已跳过", "info")
        if len(exams) > 1:
            self.problems.add(sheet, None, exam_col.index, exam_col.header, "、".join(exams),
                              f"表中有 {len(exams)} 次考试的成绩：{'、'.join(exams)} (several exams)",
                              "按考试分别导入（exam 列）；只分析其中一次时请用 exam=（命令行 --exam）指定",
                              "info")

    def _long_subject(self, sheet, row, excel_row, col) -> str | None:
        """The subject of a row: the sheet's name, or the row's 科目 cell (reported when it
        is blank or not a subject)."""
        if col is None:
            return canonical_subject(sheet, self.extra)
        raw = norm(row[col.index])
        subject = canonical_subject(raw, self.extra)
        if subject is None and raw:
            self.problems.add(sheet, excel_row, col.index, col.header, raw,
                              f"{where(self.file, sheet, excel_row, col.index, col.header)}：无法识别的科目"
                              f"“{raw}”(unknown subject)。请写科目全称（如“语文”），或用 subjects= 说明别名。",
                              "已跳过此行", "error")
        elif subject is None:
            self.problems.add(sheet, excel_row, col.index, col.header, "",
                              f"{where(self.file, sheet, excel_row, col.index, col.header)}：没有科目 "
                              "(missing subject)。请填写科目。", "已跳过此行", "error")
        return subject

    def _long_record(self, s: _LongSheet, row, excel_row, sid, name, heading,
                     exam) -> dict | None:
        """One pupil × subject row of the canonical table; None (reported) when it cannot be."""
        sheet, layout, context = s.name, s.layout, s.context
        subject = self._long_subject(sheet, row, excel_row, s.subject)
        if subject is None:
            return None
        raw_class = row[layout.klass.index] if layout.klass else None
        klass = (class_info(raw_class, context.grade_hint) if not blank(raw_class)
                 else heading or context.no_class)
        school = (norm(row[layout.school.index]) if layout.school else "") or context.school
        klass, school = self._roster_class(sheet, excel_row, sid, klass, school, layout, context)
        sid = sid or surrogate_id(school, klass[3], name)
        col = layout.subjects[""]
        if not self._first_of_pair(sheet, excel_row, (sid, subject, exam), col):
            return None
        full = self.full_marks.get(subject) or _full_mark(row, s.full_mark) or DEFAULT_FULL_MARK
        value = row[col.index]
        cell = parse_cell(value)
        status = "absent" if cell.status in ("blank", "not_taken") else cell.status
        status = self._check_cell(sheet, subject, col, value, cell, status, full, excel_row)
        return {"student_id": sid, "name": name, "school": school, "grade": klass[2],
                "class_id": klass[3], "class_name": klass[0], "subject": subject,
                "score": cell.score if status == "sat" and cell.score is not None else np.nan,
                "status": status, "full_mark": float(full),
                "level": cell.level if status == "sat" else None, "source_row": excel_row,
                "exam": exam}

    def _first_of_pair(self, sheet, excel_row, key: tuple, col) -> bool:
        """Whether this is the first row of a pupil × subject × exam; a repeat is an error."""
        seen = self.seen_pairs
        if key in seen:
            sid, subject, _ = key
            self.problems.add(
                sheet, excel_row, col.index, col.header, sid,
                f"{where(self.file, sheet, excel_row)}：学号 {sid} 的{subject}成绩出现两次 "
                f"(duplicated student_id × subject)，另一次在工作表「{seen[key][0]}」第 "
                f"{seen[key][1]} 行。请删除重复行。", "已跳过此行（保留第一次出现的行）", "error")
            return False
        seen[key] = (sheet, excel_row)
        return True


def _exam(row, col, default: str) -> str:
    """The exam a row belongs to: its 考试名称 cell (as a canonical name when it reads as one)."""
    if col is None or blank(row[col.index]):
        return default
    text = norm(row[col.index])
    return parse_exam(text) or text


def _same_exam(exam: str, wanted: str) -> bool:
    return norm(exam) == norm(wanted) or norm(exam) == norm(parse_exam(wanted) or wanted)


def _full_mark(row, col) -> float | None:
    if col is None:
        return None
    cell = parse_cell(row[col.index])
    return cell.score if cell.score and cell.score > 0 else None
