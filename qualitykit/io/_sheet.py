"""Read one school score file into the canonical long table (private; see ``scores``).

The import is one object, :class:`ScoreImport`; its steps are methods that live in the modules
of this folder, one module per step, and share the import's state (the options, the problem
list, the ids seen so far) as attributes of that object:

* ``_context``: what the title rows, the sheet's and the file's names say (exam, school,
  grade, a class for all rows);
* ``_columns``: the role of every column (``_layout``);
* ``_pupils``: which rows are pupils, and their id, name, school and class
  (``_read_students``);
* ``_notes``: statuses written in 备注 or after a name, and colours said to mark them;
* ``_score_cells``: every score cell, and the sheet's own 总分 (``_read_cells``,
  ``_check_totals``);
* ``_copies``: pupils met in two sheets, decided once every sheet is read;
* ``_long``: a sheet in long form, one row per pupil × subject (``_read_long``).

This module drives them: it finds each sheet's header, splits a sheet into blocks where the
header changes, reads each block and assembles the table. Whatever is not a pupil's score goes
to the problem list with its place and what was done.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .._text import norm
from ..classes import parse_grade
from ..schema import SCORE_COLUMNS, check_scores_table
from ..subjects import canonical_subject
from . import _headers as H
from ._cells import STATUSES
from ._columns import ColumnSteps, accept_scores, padded_rows
from ._context import Context, ContextSteps
from ._copies import CopySteps
from .full_marks import full_mark_hints
from ._grid import Sheet, is_instruction_sheet, read_grids, select_sheets
from ._long import LongSteps, is_long
from ._notes import NoteSteps
from ._pupils import PupilSteps, Students
from ._score_cells import CellSteps
from .problems import (
    ImportReport,
    Problems,
    ScoreFileError,
    column_letter,
    sheet_info,
    where,
)

STATUSES_ARRAY = np.array(STATUSES, dtype=object)


def check_grade(grade) -> int | None:
    """A grade option as an int 1–12 (五年级 → 5); a clear error otherwise.

    >>> check_grade("五年级"), check_grade(7), check_grade(None)
    (5, 7, None)
    """
    if grade is None:
        return None
    if isinstance(grade, str):
        grade = parse_grade(grade) or (int(grade) if grade.isdigit() else None)
    if not isinstance(grade, (int, np.integer)) or not 1 <= int(grade) <= 12:
        raise ValueError(f"年级 grade 应为 1–12 的整数（如五年级 grade=5，初一 grade=7），收到 {grade!r}。")
    return int(grade)


def parse_full_marks(full_marks, extra) -> dict[str, float]:
    """The ``full_marks`` option with canonical subject names; a clear error for a bad entry."""
    out = {}
    for key, value in (full_marks or {}).items():
        subject = canonical_subject(key, extra)
        if subject is None and norm(key) in extra.values():  # a name given by subjects=
            subject = norm(key)
        if subject is None:
            raise ValueError(f"full_marks 中的科目“{key}”无法识别 (unknown subject)；"
                             "请用科目名称，如 {'语文': 120}。")
        try:
            mark = float(value)
        except (TypeError, ValueError):
            mark = -1.0
        if not mark > 0:
            raise ValueError(f"full_marks 中 {key} 的满分应为正数 (full mark must be > 0)，收到 {value!r}。")
        out[subject] = mark
    return out


class ScoreImport(ContextSteps, ColumnSteps, PupilSteps, NoteSteps, CellSteps, CopySteps,
                  LongSteps):
    """One score file → the canonical table and its :class:`ImportReport`.

    The options of :func:`~qualitykit.read_scores` become attributes (``path``, ``file``,
    ``sheet``, ``exam``, ``grade``, ``school``, ``extra`` (subject aliases), ``full_marks``,
    ``roster``, ``electives``), and so does what the steps share while the file is read:
    ``problems`` (the problem list), ``seen_ids`` (id → its first sheet and row),
    ``seen_pairs`` (long sheets: pupil × subject × exam → first sheet and row), ``cross``
    (pupils met again in another sheet), ``subject_columns``, ``colour_noted`` and ``notes``.
    """

    def __init__(self, path: Path, *, sheet=None, exam=None, grade=None, school=None,
                 full_marks=None, roster: pd.DataFrame | None = None, subjects=None,
                 electives=None):
        self.path = path
        self.file = path.name
        self.sheet = sheet
        self.exam = exam
        self.grade = check_grade(grade)
        self.school = school
        self.extra = {norm(k): canonical_subject(v) or norm(v) for k, v in (subjects or {}).items()}
        self.full_marks = parse_full_marks(full_marks, self.extra)
        self.roster = roster
        self.electives = {canonical_subject(e, self.extra) or norm(e) for e in (electives or ())}
        self.electives_seen: set[str] = set()  # detected in an earlier sheet of the file
        self.problems = Problems(self.file)
        self.seen_ids: dict[str, tuple[str, int]] = {}
        self.seen_pairs: dict[tuple[str, str], tuple[str, int]] = {}  # long sheets
        self.cross: list[tuple] = []  # pupils met again in another sheet
        self.subject_columns: dict[tuple[str, str], tuple[int, str]] = {}  # (sheet, subject) → column
        self.colour_noted: dict[str, tuple] = {}  # sheet → (row, note) saying a colour marks a status
        self.notes: list[str] = []

    # ---- the file ---------------------------------------------------------------------------
    def run(self) -> ImportReport:
        """Read every sheet of the file; the report with the canonical table as its ``data``."""
        sheets, notes = read_grids(self.path)
        self.notes.extend(notes)
        sheets = select_sheets(sheets, self.sheet, self.file)
        frames, sheet_rows, column_rows = [], [], []
        for sheet in sheets:
            info = sheet_info(self.file, sheet.name)
            sheet_rows.append(info)
            read = self._read_any_sheet(sheet, info)
            if read is not None:
                frame, cols = read
                frames.append(frame)
                column_rows.extend({"file": self.file, "sheet": sheet.name,
                                    "column": column_letter(c.index), "header": c.header,
                                    "role": c.role, "subject": c.subject or ""} for c in cols)
        if not frames:
            raise ScoreFileError(self._no_sheet_message(sheets), file=self.file)
        data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if self.cross:
            data = self._copies_and_duplicates(data, sheet_rows)
        full_mark_hints(data, self.problems)
        return ImportReport(problems=self.problems.frame(), sheets=pd.DataFrame(sheet_rows),
                            columns=pd.DataFrame(column_rows), notes=self.notes,
                            data=finish_scores(data))

    def _read_any_sheet(self, sheet: Sheet, info: dict):
        """(table, columns) of a sheet, wide or long, its counts written into ``info``; None
        for a sheet skipped or without a score header (``info`` says why)."""
        skip = self._skip_reason(sheet)
        accept = (lambda cols: accept_scores(cols) or is_long(cols, sheet.name, self.extra))
        found = None if skip else H.find_header(sheet, accept, self.extra)
        if found is None:
            info["note"] = skip or "未找到成绩表头 (no score header: 学号/姓名 + 科目列)"
            return None
        cols = found[2]
        if is_long(cols, sheet.name, self.extra):
            frame, counts = self._read_long(sheet, found)
        else:
            frame, counts, cols = self._read_sheet(sheet, found)
        info.update(counts, used=True)
        return frame, cols

    def _skip_reason(self, sheet: Sheet) -> str | None:
        """Why a sheet is not read unless ``sheet=`` names it (hidden, instructions); None."""
        if self.sheet is None and sheet.hidden:
            self.problems.add(sheet.name, None, None, "", sheet.name,
                              f"工作表「{sheet.name}」是隐藏的工作表 (hidden sheet)",
                              f"已跳过；如确需读取，请用 sheet='{sheet.name}'（命令行 --sheet "
                              f"{sheet.name}）指定", "info")
            return "隐藏的工作表 (hidden sheet)，已跳过"
        if self.sheet is None and is_instruction_sheet(sheet.name):
            return "说明类工作表 (instruction sheet)，已跳过"
        return None

    def _no_sheet_message(self, sheets: list[Sheet]) -> str:
        names = "、".join(f"「{s.name}」" for s in sheets) or "（无）"
        hidden = [s.name for s in sheets if s.hidden]
        extra = (f"隐藏的工作表 {'、'.join(hidden)} 未读取（需要时用 sheet= 指定）。" if hidden
                 and self.sheet is None else "")
        return (f"文件 {self.file} 中没有找到成绩表 (no score sheet found)。已查看工作表 {names} "
                f"的前 {H.HEADER_SEARCH_ROWS} 行：成绩表需要一行表头，含“学号”或“姓名”列 "
                "(student_id / name) 和至少一个科目列（如“语文”“数学” (subject)）。" + extra +
                "请检查表头文字，或用 sheet= 指定工作表。")

    # ---- one sheet --------------------------------------------------------------------------
    def _read_sheet(self, sheet: Sheet, found):
        """A sheet, block by block: a header row that differs from the one above (columns in
        another order, one column fewer) starts a block read with its own header."""
        blocks = self._blocks(sheet, found)
        first = self._context(sheet, found[0])
        frames, all_cols = [], []
        counts = dict.fromkeys(("rows_read", "rows_imported", "rows_skipped", "empty_rows"), 0)
        for k, (block, end) in enumerate(blocks):
            context = first if k == 0 else self._block_context(sheet, block[0], first)
            out, block_counts = self._read_block(sheet, block, end, context)
            frames.append(out)
            all_cols += block[2]
            for key in counts:
                counts[key] += block_counts[key]
            counts["rows_read"] += k > 0  # the header row of a later block
            counts["rows_skipped"] += k > 0
        counts["header_row"] = found[0] + 1
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        return out, counts, all_cols

    def _read_block(self, sheet: Sheet, found, end: int, context: Context):
        """The table and counts of the rows under one header, down to row ``end``."""
        hdr, depth, cols = found
        first_excel_row = hdr + depth + 1
        data_rows = padded_rows(sheet.rows[hdr + depth:end], cols)
        layout = self._layout(sheet.name, cols, data_rows, hdr + 1)
        context = self._exam_column(sheet.name, cols, data_rows, hdr + 1, context)
        students = self._read_students(sheet.name, data_rows, first_excel_row, layout, context,
                                       sheet.specials)
        if not students.ids:
            self._no_pupils(sheet.name, hdr + 1, students.skipped)
        frames, scores = self._read_cells(sheet.name, data_rows, layout, students)
        self.subject_columns.update({(sheet.name, s): (c.index, c.header)
                                     for s, c in layout.subjects.items()})
        if students.hints:
            self._apply_hints(sheet.name, frames, scores, students)
        self._zero_rows(sheet.name, frames, scores, students)
        if sheet.name in self.colour_noted:
            self._coloured_cells(sheet.name, data_rows, layout, students, first_excel_row)
        self._check_totals(sheet.name, data_rows, layout, students, scores, frames)
        self._check_lone_zeros(sheet.name, layout, students, scores)
        out = _assemble(students, frames, context.exam, self.file, sheet.name)
        counts = {"rows_read": len(data_rows) - students.empty,
                  "rows_imported": len(students.ids), "rows_skipped": students.skipped,
                  "empty_rows": students.empty}
        return out, counts

    def _blocks(self, sheet: Sheet, found) -> list[tuple[tuple, int]]:
        """(header, end row) of each block of the sheet."""
        headers = [found]
        hdr, depth, cols = found
        signature, start = _signature(cols), hdr + depth
        while start is not None:
            positions, begin, start = _identity_positions(headers[-1][2]), start, None
            for i in _header_word_rows(sheet, begin, positions):
                header = H.header_at(sheet, i, accept_scores, self.extra)
                if header is None or _signature(header[2]) == signature:
                    continue  # a repeated header: skipped by the row reader
                headers.append(header)
                signature, start = _signature(header[2]), i + 1  # read on with its columns
                self.problems.add(sheet.name, i + 1, None, "", "",
                                  f"第 {i + 1} 行是另一个表头，列的顺序或科目与上面的表头不同 (new header)",
                                  "以下各行按这个表头读取", "info")
                break
        ends = [h[0] for h in headers[1:]] + [len(sheet.rows)]
        return list(zip(headers, ends))

    def _no_pupils(self, sheet: str, header_row: int, skipped: int) -> None:
        """A sheet with a score header and no pupil under it: an error."""
        what = ("表头下面没有任何学生行" if not skipped else
                f"表头下面的 {skipped} 行都不是可导入的学生行（见上面各条）")
        self.problems.add(
            sheet, header_row, None, "", "",
            f"{where(self.file, sheet, header_row)}：工作表有成绩表头，但{what} "
            "(no pupils under the header)。请填入学生成绩，或删除这个工作表、用 sheet= 指定要读的工作表。",
            "该工作表没有导入任何学生", "error")


def _signature(cols: list[H.Column]) -> tuple:
    return tuple((c.index, c.role, c.subject) for c in cols if c.role != "unnamed")


_HEADER_WORDS = set(H.ID_ALIASES) | set(H.NAME_ALIASES) | set(H.CLASS_ALIASES) | {"序号"}


def _maybe_header_word(v) -> bool:
    return isinstance(v, str) and (v in _HEADER_WORDS or norm(v).lower() in _HEADER_WORDS)


def _header_word_rows(sheet: Sheet, start: int, positions: list[int]) -> list[int]:
    """The rows from ``start`` on with a 学号/姓名/班级 word of their own in one of
    ``positions`` (a cell merged down from a header is not its own). Each distinct text of a
    column is looked at once: 100,000 pupils' names are not normalised one by one per row."""
    rows = sheet.rows[start:]
    hit = np.zeros(len(rows), dtype=bool)
    for j in positions:
        column = [row[j] if j < len(row) else None for row in rows]
        words = {v for v in {v for v in column if isinstance(v, str)} if _maybe_header_word(v)}
        if not words:
            continue
        for k, v in enumerate(column):
            if isinstance(v, str) and v in words and \
                    sheet.merged_from.get((start + k, j), (start + k,))[0] == start + k:
                hit[k] = True
    return (np.flatnonzero(hit) + start).tolist()


def _identity_positions(cols: list[H.Column]) -> list[int]:
    """Where a repeated header shows its 学号/姓名/班级 words."""
    own = {c.index for c in cols if c.role in ("student_id", "name", "class", "seq")}
    return sorted(own | set(range(min(4, len(cols)))))


def _assemble(students: Students, frames, exam, file, sheet) -> pd.DataFrame:
    """The long table of one sheet from the pupils and the per-subject cells."""
    pos = np.concatenate([f[0] for f in frames]) if frames else np.zeros(0, dtype=int)
    sizes = [len(f[0]) for f in frames]

    def repeat_students(values: list) -> pd.Series:
        # an object Series with its dtype given: pandas skips its type inference over 0.5 M cells
        return pd.Series(np.asarray(values, dtype=object)[pos], dtype=object, copy=False)

    def repeat_subjects(k: int, dtype) -> np.ndarray:
        return np.repeat(np.asarray([f[k] for f in frames], dtype=dtype), sizes)

    def stack(k: int, dtype) -> np.ndarray:
        return np.concatenate([f[k] for f in frames]) if frames else np.zeros(0, dtype=dtype)

    out = pd.DataFrame({
        "student_id": repeat_students(students.ids), "name": repeat_students(students.names),
        "school": repeat_students(students.schools),
        "grade": pd.array(students.grades, dtype="Int64")[pos],
        "class_id": repeat_students(students.class_ids),
        "class_name": repeat_students(students.class_names),
        "source_row": np.asarray(students.excel_rows, dtype=np.int64)[pos],
        "subject": pd.Series(repeat_subjects(1, object), dtype=object, copy=False),
        "score": stack(2, float),
        "status": pd.Series(STATUSES_ARRAY[stack(3, np.int8)], dtype=object, copy=False),
        "full_mark": repeat_subjects(4, float),
        "level": pd.Series(stack(5, object), dtype=object, copy=False),
    }, copy=False)
    out["exam"] = exam
    out["source_file"] = file
    out["source_sheet"] = sheet
    return out


def finish_scores(data: pd.DataFrame) -> pd.DataFrame:
    """The canonical column order and dtypes."""
    data = data.reindex(columns=SCORE_COLUMNS)
    data["score"] = data["score"].astype(float)
    data["full_mark"] = data["full_mark"].astype(float)
    data["grade"] = data["grade"].astype("Int64")
    data["source_row"] = data["source_row"].astype("Int64")
    for col in ("student_id", "name", "school", "class_id", "class_name", "subject", "exam",
                "status", "source_file", "source_sheet"):
        data[col] = data[col].astype("str")
    levels = data["level"].notna()
    if levels.any():
        data.loc[levels, "level"] = data.loc[levels, "level"].astype("str")
    check_scores_table(data, where="read_scores", required=SCORE_COLUMNS)
    return data
