"""Score sheets in long form: one row per pupil × subject (private; see ``importing``).

教务 systems export 学号, 姓名, 班级, 科目, 成绩 (sometimes 满分) one row per pupil and
subject; some workbooks have one sheet per subject, the sheet named after it, with a single
成绩 column. Both become the canonical table here, with the same row checks (statistics,
footers, class headings) and the same cell checks as a wide sheet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..subjects import canonical_subject
from .._text import norm
from . import _headers as H
from ._cells import parse_cell
from ._grid import Sheet
from ._sheet import (
    DEFAULT_FULL_MARK,
    Layout,
    ScoreImport,
    blank,
    class_info,
    padded_rows,
    pick,
    surrogate_id,
    where,
)


def is_long(cols: list[H.Column], sheet_name: str, extra) -> bool:
    """A header with an id or name, a 成绩 column and no subject column: long form when it
    also has a 科目 column, or when the sheet is named after a subject."""
    roles = {c.role for c in cols}
    if not roles & {"student_id", "name"} or "value" not in roles:
        return False
    if any(c.role in ("score", "level") and c.subject for c in cols):
        return False
    return "subject_name" in roles or canonical_subject(sheet_name, extra) is not None


def read_long(imp: ScoreImport, sheet: Sheet, found) -> tuple[pd.DataFrame, dict]:
    """The canonical rows of a long sheet and its counts (rows read = imported + skipped)."""
    hdr, depth, cols = found
    first = hdr + depth + 1
    rows = padded_rows(sheet.rows[hdr + depth:], cols)
    context = imp._context(sheet, hdr)
    value = pick(cols, "value")
    layout = Layout(pick(cols, "student_id"), pick(cols, "name"),
                    pick(cols, "class") or pick(cols, "class_code"), pick(cols, "school"),
                    None, None, {"": value}, {}, {norm(c.header) for c in cols if c.header})
    subject_col, full_col = pick(cols, "subject_name"), pick(cols, "full_mark")
    exam_col = pick(cols, "exam")
    fixed = None if subject_col else canonical_subject(sheet.name, imp.extra)
    n = len(rows)
    sids = imp._student_ids(sheet.name, [r[layout.id.index] for r in rows] if layout.id
                            else [None] * n, first, layout.id)
    records, empty, skipped, heading = [], 0, 0, None
    other_exams: set[str] = set()
    for pos, row in enumerate(rows):
        excel_row = first + pos
        name = norm(row[layout.name.index]) if layout.name else ""
        kind = imp._row_kind(sheet.name, row, excel_row, sids[pos], name, layout, context)
        if kind == "empty":
            empty += 1
            continue
        if isinstance(kind, tuple):
            heading = kind
        if kind != "pupil":
            skipped += 1
            continue
        exam = _exam(row, exam_col, context.exam)
        if imp.exam and exam_col is not None and not _same_exam(exam, imp.exam):
            skipped += 1  # another exam of the file (exam= picks one)
            other_exams.add(exam)
            continue
        record = _record(imp, sheet.name, row, excel_row, sids[pos], name, layout, context,
                         heading, fixed or _subject(imp, sheet.name, row, excel_row, subject_col),
                         full_col, exam)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    frame = pd.DataFrame(records, columns=["student_id", "name", "school", "grade", "class_id",
                                           "class_name", "subject", "score", "status",
                                           "full_mark", "level", "source_row", "exam"])
    frame["source_file"], frame["source_sheet"] = imp.file, sheet.name
    if other_exams:
        imp.problems.add(sheet.name, None, exam_col.index, exam_col.header, "、".join(other_exams),
                         f"表中还有其他考试的成绩：{'、'.join(sorted(other_exams))} (other exams)",
                         f"按 exam={imp.exam!r} 只读取这次考试；其他考试的行已跳过", "info")
    exams = sorted(set(frame["exam"]))
    if len(exams) > 1:
        imp.problems.add(sheet.name, None, exam_col.index, exam_col.header, "、".join(exams),
                         f"表中有 {len(exams)} 次考试的成绩：{'、'.join(exams)} (several exams)",
                         "按考试分别导入（exam 列）；只分析其中一次时请用 exam=（命令行 --exam）指定",
                         "info")
    if frame.empty:
        imp._no_pupils(sheet.name, hdr + 1, skipped)
    counts = {"header_row": hdr + 1, "rows_read": n - empty, "rows_imported": len(records),
              "rows_skipped": skipped, "empty_rows": empty}
    return frame, counts


def _subject(imp: ScoreImport, sheet, row, excel_row, col) -> str | None:
    raw = norm(row[col.index])
    subject = canonical_subject(raw, imp.extra)
    if subject is None and raw:
        imp.problems.add(sheet, excel_row, col.index, col.header, raw,
                         f"{where(imp.file, sheet, excel_row, col.index, col.header)}：无法识别的科目"
                         f"“{raw}”(unknown subject)。请写科目全称（如“语文”），或用 subjects= 说明别名。",
                         "已跳过此行", "error")
    elif subject is None:
        imp.problems.add(sheet, excel_row, col.index, col.header, "",
                         f"{where(imp.file, sheet, excel_row, col.index, col.header)}：没有科目 "
                         "(missing subject)。请填写科目。", "已跳过此行", "error")
    return subject


def _exam(row, col, default: str) -> str:
    """The exam a row belongs to: its 考试名称 cell (as a canonical name when it reads as one)."""
    if col is None or blank(row[col.index]):
        return default
    from .titles import parse_exam

    text = norm(row[col.index])
    return parse_exam(text) or text


def _same_exam(exam: str, wanted: str) -> bool:
    from .titles import parse_exam

    return norm(exam) == norm(wanted) or norm(exam) == norm(parse_exam(wanted) or wanted)


def _record(imp: ScoreImport, sheet, row, excel_row, sid, name, layout: Layout, context,
            heading, subject, full_col, exam) -> dict | None:
    """One pupil × subject row of the canonical table; None (reported) when it cannot be."""
    if subject is None:
        return None
    raw_class = row[layout.klass.index] if layout.klass else None
    klass = (class_info(raw_class, context.grade_hint) if not blank(raw_class)
             else heading or context.no_class)
    school = (norm(row[layout.school.index]) if layout.school else "") or context.school
    klass, school = imp._roster_class(sheet, excel_row, sid, klass, school, layout, context)
    sid = sid or surrogate_id(school, klass[3], name)
    key = (sid, subject, exam)
    seen = imp.seen_pairs
    col = layout.subjects[""]
    if key in seen:
        imp.problems.add(sheet, excel_row, col.index, col.header, sid,
                         f"{where(imp.file, sheet, excel_row)}：学号 {sid} 的{subject}成绩出现两次 "
                         f"(duplicated student_id × subject)，另一次在工作表「{seen[key][0]}」第 "
                         f"{seen[key][1]} 行。请删除重复行。", "已跳过此行（保留第一次出现的行）", "error")
        return None
    seen[key] = (sheet, excel_row)
    full = imp.full_marks.get(subject) or _full_mark(row, full_col) or DEFAULT_FULL_MARK
    value = row[col.index]
    cell = parse_cell(value)
    status = "absent" if cell.status in ("blank", "not_taken") else cell.status
    status = imp._check_cell(sheet, subject, col, value, cell, status, full, excel_row)
    return {"student_id": sid, "name": name, "school": school, "grade": klass[2],
            "class_id": klass[3], "class_name": klass[0], "subject": subject,
            "score": cell.score if status == "sat" and cell.score is not None else np.nan,
            "status": status, "full_mark": float(full),
            "level": cell.level if status == "sat" else None, "source_row": excel_row,
            "exam": exam}


def _full_mark(row, col) -> float | None:
    if col is None:
        return None
    cell = parse_cell(row[col.index])
    return cell.score if cell.score and cell.score > 0 else None
