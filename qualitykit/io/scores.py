"""Read school score sheets, rosters and teacher tables into the canonical tables.

Everything a school's Excel or CSV export holds ends up either in the canonical long table
(see :mod:`qualitykit.schema`) or in the :class:`~qualitykit.ImportReport`, with file, sheet,
Excel row, column, value, the problem and what was done: rows read = rows imported + rows
reported.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from .._text import norm
from ..classes import parse_grade
from ..schema import ROSTER_COLUMNS, TEACHER_COLUMNS
from ..subjects import canonical_subject
from . import _headers as H
from ._cells import blank
from ._context import title_text
from ._grid import Sheet, is_instruction_sheet, read_grids, select_sheets
from ._pupils import class_info
from ._rows import is_footer_text, is_stats_text
from ._sheet import ScoreImport, check_grade
from .problems import (
    ImportReport,
    Problems,
    ScoreFileError,
    raise_if_errors,
    sheet_info,
    where,
)
from .titles import parse_school

__all__ = ["read_scores", "check_scores", "read_roster", "read_teachers"]

PathLike = str | os.PathLike


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while a sheet is read.

    An import allocates a million small objects that live until it ends; without the pause the
    collector rescans them over and over (≈ 12 % of the import time). Whatever cycles there
    are are collected as usual once it resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
def read_scores(
    path: PathLike,
    *,
    sheet: str | int | Iterable[str | int] | None = None,
    exam: str | None = None,
    grade: int | None = None,
    school: str | None = None,
    full_marks: Mapping[str, float] | None = None,
    roster: PathLike | pd.DataFrame | None = None,
    subjects: Mapping[str, str] | None = None,
    electives: Iterable[str] | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """Read a score sheet (Excel or CSV) into the canonical long table.

    Parameters
    ----------
    path : path
        An ``.xlsx``/``.xls``/``.xlsm``/``.ods`` workbook or a ``.csv`` (UTF-8, UTF-8 with
        BOM or GBK).
    sheet : str, int or list, optional
        Which sheets to read (names or 0-based positions). By default every sheet that has a
        score header; instruction sheets such as 填写说明 are skipped and reported.
    exam : str, optional
        Exam name, e.g. ``"2025-2026-1 期末"``. By default from the title row, else the file name.
    grade : int, optional
        Grade 1–12 when the file does not say (class names like ``二班``).
    school : str, optional
        School name when the file has no 学校 column or title.
    full_marks : mapping, optional
        Subject → full mark, e.g. ``{"语文": 120, "数学": 120}`` (aliases accepted). Default 100.
    roster : path or DataFrame, optional
        学生信息表, joined by ``student_id`` to give class (and school) when the score sheet
        has no class column. See :func:`read_roster`.
    subjects : mapping, optional
        Extra header aliases, e.g. ``{"数学A": "数学"}``.
    electives : list of str, optional
        Subjects that not every student takes: a blank there is ``not_taken``, not absent.
        Detected automatically from a 科类/选科组合 column when the sheet has one.
    strict : bool, default True
        Raise :class:`ScoreFileError` on any error. With ``strict=False`` bad cells get status
        ``invalid`` and duplicated rows are left out; :func:`check_scores` returns the report
        that lists them.

    Returns
    -------
    DataFrame
        One row per student × subject: ``student_id``, ``name``, ``school``, ``grade``,
        ``class_id``, ``class_name``, ``subject``, ``exam``, ``score``, ``status``,
        ``full_mark``, ``level``, ``source_file``, ``source_sheet``, ``source_row``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> scores = qk.read_scores(qk.sample_path("2025-2026-1 期末", grade=5))
    >>> scores[["class_id", "subject", "score", "status"]].head(3)
      class_id subject  score status
    0      5-1      语文   91.5    sat
    1      5-1      语文   47.0    sat
    2      5-1      语文   87.5    sat
    """
    report = check_scores(path, sheet=sheet, exam=exam, grade=grade, school=school,
                          full_marks=full_marks, roster=roster, subjects=subjects,
                          electives=electives)
    raise_if_errors(report, path, strict)
    return report.data


def check_scores(path: PathLike, **options) -> ImportReport:
    """Import a score sheet leniently and return the :class:`ImportReport`.

    Takes the options of :func:`read_scores` (except ``strict``). Never raises for problems
    in the data; ``report.ok`` is False when there are errors, and ``report.data`` holds what
    could be imported.

    Examples
    --------
    >>> import qualitykit as qk
    >>> report = qk.check_scores(qk.sample_path("2025-2026-1 期末", grade=5))
    >>> report.ok, report.rows_read == report.rows_imported + report.rows_skipped
    (True, True)
    """
    options.pop("strict", None)
    options["roster"] = _normalise_roster(options.get("roster"))
    with _gc_paused():
        return ScoreImport(Path(path), **options).run()


def read_roster(
    path: PathLike,
    *,
    sheet: str | int | Iterable[str | int] | None = None,
    grade: int | None = None,
    school: str | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """Read a 学生信息表 (roster) into the canonical roster table.

    Returns
    -------
    DataFrame
        ``student_id``, ``name``, ``school``, ``grade``, ``class_id``, ``class_name``
        (plus ``gender`` when the sheet has it), one row per student.

    Examples
    --------
    >>> import qualitykit as qk
    >>> roster = qk.read_roster(qk.sample_path("2025-2026-1 期末", kind="roster"))
    >>> roster.columns.tolist()
    ['student_id', 'name', 'school', 'grade', 'class_id', 'class_name']
    """
    return _read_table(path, strict, kind="roster", sheet=sheet, grade=grade, school=school)


def read_teachers(
    path: PathLike,
    *,
    sheet: str | int | Iterable[str | int] | None = None,
    grade: int | None = None,
    school: str | None = None,
    school_year: str | None = None,
    term: str | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """Read a 教学编排表 (teacher assignment) into the canonical teacher table.

    Returns
    -------
    DataFrame
        ``teacher``, ``teacher_id``, ``school``, ``school_year``, ``term``, ``grade``,
        ``class_id``, ``class_name``, ``subject``: one row per teacher × class × subject.

    Examples
    --------
    >>> import qualitykit as qk
    >>> teachers = qk.load_sample("teachers")
    >>> teachers.columns.tolist()
    ['teacher', 'teacher_id', 'school', 'school_year', 'term', 'grade', 'class_id', 'class_name', 'subject']
    """
    return _read_table(path, strict, kind="teachers", sheet=sheet, grade=grade, school=school,
                       school_year=school_year, term=term)


# --------------------------------------------------------------------------------------------
# shared machinery
# --------------------------------------------------------------------------------------------
def _read_table(path: PathLike, strict: bool, **options) -> pd.DataFrame:
    """A roster or teacher table read with ``options``; raises on errors when ``strict``."""
    table, report = _TableImport(Path(path), **options).run()
    what = "学生信息表" if options["kind"] == "roster" else "教学编排表"
    raise_if_errors(report, path, strict, what=what)
    return table


def _normalise_roster(roster) -> pd.DataFrame | None:
    if roster is None:
        return None
    if isinstance(roster, pd.DataFrame):
        return roster
    return read_roster(roster)


# --------------------------------------------------------------------------------------------
# rosters and teacher tables
# --------------------------------------------------------------------------------------------
_TABLE_ROLES = ("student_id", "name", "class", "class_code", "school", "gender", "teacher",
                "teacher_id", "subject_name", "grade", "school_year", "term")


class _TableImport:
    """A 学生信息表 (``kind="roster"``) or a 教学编排表 (``kind="teachers"``)."""

    def __init__(self, path: Path, *, kind: str, sheet=None, grade=None, school=None,
                 school_year=None, term=None):
        self.path, self.file, self.kind = path, path.name, kind
        self.sheet, self.grade, self.school = sheet, check_grade(grade), school
        self.school_year, self.term = school_year, term
        self.problems = Problems(self.file)
        self.seen: dict = {}  # 学号 → row (roster); class × subject × term → (row, teacher)

    def run(self):
        sheets, _ = read_grids(self.path)
        sheets = select_sheets(sheets, self.sheet, self.file)
        accept = _accept_roster if self.kind == "roster" else _accept_teachers
        frames, sheet_rows = [], []
        for sheet in sheets:
            info = sheet_info(self.file, sheet.name)
            skip = self.sheet is None and (sheet.hidden or is_instruction_sheet(sheet.name))
            found = None if skip else H.find_header(sheet, accept)
            if found is None:
                info["note"] = "隐藏或说明类工作表，或未找到表头，已跳过"
                sheet_rows.append(info)
                continue
            frame, counts = self._read(sheet, found)
            info.update(counts, used=True)
            sheet_rows.append(info)
            frames.append(frame)
        if not frames:
            need = ("“学号”和“姓名”列 (student_id, name)" if self.kind == "roster"
                    else "“教师姓名”“班级”“科目”列 (teacher, class, subject)")
            what = "学生信息表 (roster)" if self.kind == "roster" else "教学编排表 (teacher assignment)"
            raise ScoreFileError(f"文件 {self.file} 中没有找到{what}：表头需要{need}。请检查表头文字。",
                                 file=self.file)
        table = pd.concat(frames, ignore_index=True)
        report = ImportReport(problems=self.problems.frame(), sheets=pd.DataFrame(sheet_rows),
                              data=table)
        return table, report

    def _read(self, sheet: Sheet, found):
        hdr, depth, cols = found
        title = title_text(sheet.rows, hdr)
        hint = (self.grade or parse_grade(sheet.name) or parse_grade(title)
                or parse_grade(self.path.stem))
        default_school = self.school or parse_school(title) or ""
        picked = {role: H.pick(cols, role) for role in _TABLE_ROLES}
        out, empty, skipped = [], 0, 0
        first = hdr + depth + 1
        for pos, row in enumerate(sheet.rows[hdr + depth:]):
            if all(blank(v) for v in row):
                empty += 1
                continue
            rec = {k: norm(row[c.index]) if c is not None and c.index < len(row) else ""
                   for k, c in picked.items()}
            read = self._record(sheet.name, first + pos, rec, picked, hint, default_school)
            if read is None:
                skipped += 1
            else:
                out.append(read)
        columns = ROSTER_COLUMNS if self.kind == "roster" else TEACHER_COLUMNS
        if self.kind == "roster" and picked["gender"] is not None:
            columns = columns + ["gender"]
        frame = pd.DataFrame(out, columns=columns)
        frame["grade"] = frame["grade"].astype("Int64")
        counts = {"header_row": hdr + 1, "rows_read": len(sheet.rows) - hdr - depth - empty,
                  "rows_imported": len(out), "rows_skipped": skipped, "empty_rows": empty}
        return frame, counts

    def _record(self, sheet, excel_row, rec, picked, hint, default_school) -> dict | None:
        """One row as a roster or teacher record; None (and a problem) when it is not one."""
        raw_class = rec["class"] or rec["class_code"]
        grade = int(rec["grade"]) if rec["grade"].isdigit() else parse_grade(rec["grade"])
        class_name, _, grade, class_id = class_info(raw_class, grade or hint)
        school = rec["school"] or default_school
        label = " ".join(v for v in rec.values() if v)
        names = (rec["student_id"], rec["name"], rec["teacher"])
        if any(is_stats_text(v) or is_footer_text(v) for v in names if v):
            self.problems.add(sheet, excel_row, None, "", label,
                              "不是名单行（统计行或表尾）(not a record)", "已跳过此行", "info")
            return None
        if self.kind == "roster":
            return self._roster_record(sheet, excel_row, rec, picked, school, grade, class_id,
                                       class_name)
        subject = canonical_subject(rec["subject_name"]) or rec["subject_name"]
        if not rec["teacher"] or not class_name or not subject:
            self.problems.add(sheet, excel_row, None, "", label,
                              f"{where(self.file, sheet, excel_row)}：缺少教师姓名、班级或科目 "
                              "(teacher, class, subject)。请补全。", "已跳过此行", "error")
            return None
        item = {"teacher": rec["teacher"], "teacher_id": rec["teacher_id"], "school": school,
                "school_year": rec["school_year"] or self.school_year or "",
                "term": rec["term"] or self.term or "", "grade": grade,
                "class_id": class_id, "class_name": class_name, "subject": subject}
        return item if self._one_teacher(sheet, excel_row, item, picked) else None

    def _one_teacher(self, sheet, excel_row, item: dict, picked) -> bool:
        """A second teacher of the same class × subject × term is an error naming both rows
        (the analysis credits a class's results to one teacher)."""
        key = tuple(item[k] for k in ("school", "school_year", "term", "grade", "class_id",
                                      "subject"))
        first = self.seen.setdefault(key, (excel_row, item["teacher"]))
        if first[1] == item["teacher"]:
            return True
        col = picked["teacher"]
        self.problems.add(
            sheet, excel_row, col.index, col.header, item["teacher"],
            f"{where(self.file, sheet, excel_row)}：{item['class_name']} {item['subject']} "
            f"有两位教师（第 {first[0]} 行 {first[1]}，本行 {item['teacher']}）"
            "(two teachers of one class and subject)。成绩按一位教师计算：学期中换了老师的，"
            "只保留本次考试时任课的一位（另一位可写在另一个学期）。", "已跳过此行", "error")
        return False

    def _roster_record(self, sheet, excel_row, rec, picked, school, grade, class_id,
                       class_name) -> dict | None:
        sid = rec["student_id"].lstrip("'‘’")
        if not sid or not rec["name"]:
            missing = "学号 (student_id)" if not sid else "姓名 (name)"
            self.problems.add(sheet, excel_row, None, "", rec["name"] or sid,
                              f"{where(self.file, sheet, excel_row)}：缺少{missing}。请补全后再导入。",
                              "已跳过此行", "error")
            return None
        if sid in self.seen:
            col = picked["student_id"]
            self.problems.add(sheet, excel_row, col.index, col.header, sid,
                              f"{where(self.file, sheet, excel_row)}：学号 {sid} 重复 "
                              f"(duplicated student_id)，与第 {self.seen[sid]} 行相同。请删除重复行。",
                              "已跳过此行", "error")
            return None
        self.seen[sid] = excel_row
        item = {"student_id": sid, "name": rec["name"], "school": school, "grade": grade,
                "class_id": class_id, "class_name": class_name}
        if picked["gender"] is not None:
            item["gender"] = rec["gender"]
        return item


def _accept_roster(cols) -> bool:
    roles = {c.role for c in cols}
    return "student_id" in roles and "name" in roles


def _accept_teachers(cols) -> bool:
    roles = {c.role for c in cols}
    return "teacher" in roles and "subject_name" in roles and ("class" in roles or "class_code" in roles)
