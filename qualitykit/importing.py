"""Read school score sheets, rosters and teacher tables into the canonical tables.

Everything a school's Excel or CSV export holds ends up either in the canonical long table
(see :mod:`qualitykit.schema`) or in the :class:`~qualitykit.ImportReport`, with file, sheet,
Excel row, column, value, the problem and what was done: rows read = rows imported + rows
reported.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import is_
from pathlib import Path

import numpy as np
import pandas as pd

from . import _headers as H
from ._cells import STATUSES, Cell, parse_cell
from ._exam import parse_exam, parse_school
from ._grid import read_grids
from ._text import norm, norm_all
from .classes import parse_class, parse_grade
from .import_report import PROBLEM_COLUMNS, ImportReport, ScoreFileError, column_letter
from .schema import ROSTER_COLUMNS, SCORE_COLUMNS, TEACHER_COLUMNS
from .subjects import COMBINATION_CHARS, canonical_subject

__all__ = ["read_scores", "check_scores", "read_roster", "read_teachers"]

PathLike = str | os.PathLike
DEFAULT_FULL_MARK = 100.0
TOTAL = "总分"
HEADER_SEARCH_ROWS = 30
INSTRUCTION_SHEET_WORDS = ("说明", "readme", "使用方法", "填表须知", "注意事项")
SUMMARY_ROW_WORDS = ("平均", "合计", "总计", "最高分", "最低分", "及格率", "优秀率", "统计",
                     "制表", "审核", "说明", "备注", "注：", "注:", "人数")
FOREIGN_LANGUAGES = ("英语", "日语", "俄语", "外语")
SEVERE_STATUS_NOTES = {
    "not_scanned": "试卷未扫描（not_scanned），不计入统计；请与阅卷系统核实该生是否参考",
    "cheated": "作弊（cheated），不计入统计",
    "excluded": "表中注明剔除/不计（excluded），不计入统计",
}


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
    _raise_if_errors(report, path, strict)
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
    with _gc_paused():
        return _ScoreImport(Path(path), **options).run()


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
    reader = _TableImport(Path(path), kind="roster", sheet=sheet, grade=grade, school=school)
    table, report = reader.run()
    _raise_if_errors(report, path, strict)
    return table


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
    reader = _TableImport(Path(path), kind="teachers", sheet=sheet, grade=grade, school=school,
                          school_year=school_year, term=term)
    table, report = reader.run()
    _raise_if_errors(report, path, strict)
    return table


# --------------------------------------------------------------------------------------------
# shared machinery
# --------------------------------------------------------------------------------------------
def _raise_if_errors(report: ImportReport, path, strict: bool) -> None:
    if strict and not report.ok:
        raise ScoreFileError(_error_message(report), file=str(path), report=report)


def _error_message(report: ImportReport, limit: int = 5) -> str:
    errors = report.errors
    lines = [f"成绩表有 {len(errors)} 个错误，未导入 (ScoreFileError)："]
    for e in errors.head(limit).itertuples():
        lines.append(f"- {e.problem}")
    if len(errors) > limit:
        lines.append(f"- ……另有 {len(errors) - limit} 个错误")
    lines.append("请按提示修改表格后重新导入；运行 `qualitykit check 文件名` 可查看完整的导入报告，"
                 "或用 strict=False 先导入能读的部分。")
    return "\n".join(lines)


@dataclass
class _Problems:
    file: str
    rows: list[dict] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, col: int | None, header: str, value: object,
            problem: str, action: str, severity: str) -> None:
        self.rows.append({
            "file": self.file, "sheet": sheet, "row": row,
            "column": column_letter(col) if col is not None else "",
            "header": header, "value": "" if value is None else str(value),
            "problem": problem, "action": action, "severity": severity})

    def frame(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS)
        return frame.astype({"row": "Int64"})


def _where(file: str, sheet: str, row: int | None, col: int | None = None, header: str = "") -> str:
    place = f"文件 {file}，工作表「{sheet}」"
    if row is not None:
        place += f"，第 {row} 行"
    if col is not None:
        place += f"，{column_letter(col)} 列"
        if header:
            place += f"「{header}」"
    return place


def _select_sheets(grids, sheet, file: str):
    if sheet is None:
        return grids
    wanted = [sheet] if isinstance(sheet, (str, int)) else list(sheet)
    names = [name for name, _ in grids]
    chosen = []
    for w in wanted:
        if isinstance(w, int):
            if not 0 <= w < len(grids):
                raise ScoreFileError(
                    f"文件 {file} 没有第 {w} 个工作表 (sheet={w!r})；工作表有：{'、'.join(names)}。",
                    file=file)
            chosen.append(grids[w])
        else:
            match = [g for g in grids if g[0] == w or norm(g[0]) == norm(w)]
            if not match:
                raise ScoreFileError(
                    f"文件 {file} 中找不到工作表「{w}」(sheet={w!r})；工作表有：{'、'.join(names)}。"
                    "请检查工作表名称。", file=file)
            chosen.append(match[0])
    return chosen


def _sheet_info(file: str, sheet: str) -> dict:
    """A row of ``ImportReport.sheets`` for a sheet not (yet) used."""
    return {"file": file, "sheet": sheet, "used": False, "note": "", "header_row": pd.NA,
            "rows_read": 0, "rows_imported": 0, "rows_skipped": 0, "empty_rows": 0}


def _is_instruction_sheet(name: str) -> bool:
    low = norm(name).lower()
    return any(w in low for w in INSTRUCTION_SHEET_WORDS)


def _find_header(rows: list[list[object]], accept, extra_subjects=None):
    """First row (0-based) that ``accept`` takes, with its columns; two-row headers merged."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cols = [H.classify(v, "", extra_subjects, j) for j, v in enumerate(row)]
        if not accept(cols):
            continue
        nxt = rows[i + 1] if i + 1 < len(rows) else []
        if nxt and H.looks_like_subheader(nxt):
            top, last = [], ""
            for j, v in enumerate(row):
                t = norm(v)
                sub = norm(nxt[j]) if j < len(nxt) else ""
                if t:
                    last = t
                elif sub:
                    t = last
                top.append(t)
            cols = [H.classify(top[j], nxt[j] if j < len(nxt) else "", extra_subjects, j)
                    for j in range(len(row))]
            return i, 2, cols
        return i, 1, cols
    return None


def _title_text(rows, header_row: int) -> str:
    parts = []
    for row in rows[:header_row]:
        parts.extend(norm(v) for v in row if norm(v))
    return " ".join(parts)


def _normalise_roster(roster) -> pd.DataFrame | None:
    if roster is None:
        return None
    if isinstance(roster, pd.DataFrame):
        return roster
    return read_roster(roster)


def _surrogate_id(school: str, class_id: str, name: str) -> str:
    digest = hashlib.sha1(f"{school}|{class_id}|{name}".encode()).hexdigest()[:10]
    return f"X{digest}"


def _pick(cols: list[H.Column], role: str) -> H.Column | None:
    found = [c for c in cols if c.role == role]
    return min(found, key=lambda c: (c.priority, c.index)) if found else None


# --------------------------------------------------------------------------------------------
# score sheets
# --------------------------------------------------------------------------------------------
class _ScoreImport:
    def __init__(self, path: Path, *, sheet=None, exam=None, grade=None, school=None,
                 full_marks=None, roster=None, subjects=None, electives=None):
        self.path = path
        self.file = path.name
        self.sheet = sheet
        self.exam = exam
        self.grade = _check_grade(grade)
        self.school = school
        self.extra = {norm(k): canonical_subject(v) or norm(v) for k, v in (subjects or {}).items()}
        self.full_marks = _full_marks(full_marks, self.extra)
        self.roster = _normalise_roster(roster)
        self.electives = {canonical_subject(e, self.extra) or norm(e) for e in (electives or ())}
        self.problems = _Problems(self.file)
        self.seen_ids: dict[str, tuple[str, int]] = {}
        self.notes: list[str] = []

    # ---- driver -----------------------------------------------------------------------------
    def run(self) -> ImportReport:
        grids, encoding = read_grids(self.path)
        if encoding:
            self.notes.append(f"CSV 编码：{encoding}")
        grids = _select_sheets(grids, self.sheet, self.file)
        frames, sheet_rows, column_rows = [], [], []
        for name, rows in grids:
            info = _sheet_info(self.file, name)
            if self.sheet is None and _is_instruction_sheet(name):
                info["note"] = "说明类工作表 (instruction sheet)，已跳过"
                sheet_rows.append(info)
                continue
            found = _find_header(rows, _accept_scores, self.extra)
            if found is None:
                info["note"] = "未找到成绩表头 (no score header: 学号/姓名 + 科目列)"
                sheet_rows.append(info)
                continue
            frame, counts, cols = self._read_sheet(name, rows, found)
            info.update(counts, used=True)
            sheet_rows.append(info)
            column_rows.extend({"file": self.file, "sheet": name, "column": column_letter(c.index),
                                "header": c.header, "role": c.role, "subject": c.subject or ""}
                               for c in cols)
            frames.append(frame)
        if not frames:
            found_sheets = "、".join(f"「{n}」" for n, _ in grids) or "（无）"
            raise ScoreFileError(
                f"文件 {self.file} 中没有找到成绩表 (no score sheet found)。已查看工作表 {found_sheets} "
                "的前 30 行：成绩表需要一行表头，含“学号”或“姓名”列 (student_id / name) 和至少一个科目列"
                "（如“语文”“数学” (subject)）。请检查表头文字，或用 sheet= 指定工作表。",
                file=self.file)
        data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        data = _finish_scores(data)
        return ImportReport(problems=self.problems.frame(), sheets=pd.DataFrame(sheet_rows),
                            columns=pd.DataFrame(column_rows), notes=self.notes, data=data)

    # ---- one sheet --------------------------------------------------------------------------
    def _read_sheet(self, sheet: str, rows, found):
        hdr, depth, cols = found
        P = self.problems
        header_excel_row = hdr + 1
        title = _title_text(rows, hdr)
        exam = self.exam or parse_exam(title) or parse_exam(self.path.stem) or self.path.stem
        school_default = self.school or parse_school(title) or ""
        grade_hint = (self.grade or parse_grade(sheet) or parse_grade(title)
                      or parse_grade(self.path.stem))
        sheet_class = parse_class(sheet, grade_hint)
        sheet_class = sheet_class if sheet_class.number is not None else None

        id_col = _pick(cols, "student_id")
        name_col = _pick(cols, "name")
        class_col = _pick(cols, "class") or _pick(cols, "class_code")
        school_col = _pick(cols, "school")
        combo_col = _pick(cols, "combination")
        used = {c.index for c in (id_col, name_col, class_col, school_col) if c is not None}
        subject_cols: dict[str, H.Column] = {}
        level_cols: dict[str, H.Column] = {}
        aside: list[tuple[H.Column, str]] = []
        for c in cols:
            if c.index in used:
                continue
            if c.role == "score" and c.subject not in subject_cols:
                subject_cols[c.subject] = c
            elif c.role == "level" and c.subject and c.subject not in level_cols:
                level_cols[c.subject] = c
            elif c.role == "score":
                aside.append((c, "duplicate_subject"))
            elif c.role == "level":
                aside.append((c, "other"))
            elif c.role == "student_id":
                aside.append((c, "extra_id"))
            elif c.role in ("class", "class_code"):
                aside.append((c, "class_code"))
            elif c.role in ("name", "school"):
                aside.append((c, "other"))
            else:
                aside.append((c, c.role if c.role in H.ASIDE_REASONS else "other"))
        # a level column with no score column is the subject's value column (grades 1–2)
        for subject, c in list(level_cols.items()):
            if subject not in subject_cols:
                subject_cols[subject] = c
                del level_cols[subject]
        if not subject_cols:  # a sheet of totals only (e.g. 中考总分 as entry score)
            total = next(c for c, reason in aside if reason in ("total", "entry"))  # _accept_scores
            aside = [(c, r) for c, r in aside if c is not total]
            subject_cols[TOTAL] = H.Column(total.index, total.header, "score", TOTAL)
            P.add(sheet, header_excel_row, total.index, total.header, total.header,
                  f"表中没有单科成绩列，只有“{total.header}”(total only)",
                  f"按科目“{TOTAL}”导入该列" + ("" if TOTAL in self.full_marks else
                                               "；满分未知，未检查上限（可用 full_marks={'总分': 满分}）"),
                  "info")
        data_rows = rows[hdr + depth:]
        first_excel_row = hdr + depth + 1
        # columns that hold no value at all: set aside (e.g. 技术 nobody sat)
        for subject, c in list(subject_cols.items()):
            if all(_blank(r[c.index]) if c.index < len(r) else True for r in data_rows):
                aside.append((c, "empty_subject"))
                del subject_cols[subject]
        for c, reason in aside:
            if reason == "unnamed" and all(
                    _blank(r[c.index]) if c.index < len(r) else True for r in data_rows):
                continue  # an empty formatted column: nothing to set aside
            P.add(sheet, header_excel_row, c.index, c.header, c.header,
                  f"非成绩列：{c.header or '（无表头）'}", f"已搁置：{H.ASIDE_REASONS[reason]}", "info")
        if id_col is None:
            P.add(sheet, header_excel_row, None, "", "",
                  "表中没有学号/考号列 (no student_id column)",
                  "用学校+班级+姓名生成代用编号 (surrogate id)，见每行的提醒；建议补上学号列", "warning")
        if class_col is None and sheet_class is None and self.roster is None:
            P.add(sheet, header_excel_row, None, "", "",
                  "表中没有班级列 (no class column)，工作表名也不是班级名",
                  "class_id 留空；请补上“班级”列，或用 roster= 指定学生信息表按学号匹配班级", "warning")

        roster_index = None
        if self.roster is not None:
            roster_index = self.roster.drop_duplicates("student_id").set_index("student_id")

        # ---- students (one per data row) ------------------------------------------------------
        # Column-wise: every cell of the id, name and class columns is read once; the per-row
        # loop below only does the checks. Ragged rows (CSV) are padded so columns line up.
        lengths = set(map(len, data_rows))
        width = max(lengths | {c.index + 1 for c in cols})
        if min(lengths, default=width) < width:
            data_rows = [r if len(r) == width else list(r) + [None] * (width - len(r))
                         for r in data_rows]
        n_rows = len(data_rows)
        columns = list(zip(*data_rows)) if data_rows else [()] * width

        def column(c: H.Column | None) -> tuple | list:
            return [None] * n_rows if c is None else columns[c.index]

        all_sids, all_names = norm_all(column(id_col)), norm_all(column(name_col))
        raw_classes = column(class_col)
        class_of = {}  # raw cell -> (class_name, parsed class, grade, class_id)
        for raw in set(raw_classes):
            if not _blank(raw):
                parsed = _parse_class_cached(raw, grade_hint)
                class_of[raw] = (norm(raw), parsed, *_grade_and_class_id(parsed, grade_hint))
        no_class = ("", None, grade_hint, "")
        if sheet_class is not None:
            no_class = (norm(sheet), sheet_class, *_grade_and_class_id(sheet_class, grade_hint))
        all_schools = (norm_all(column(school_col)) if school_col is not None
                       else [""] * n_rows)

        keep_pos: list[int] = []
        ids, names, schools, grades, class_ids, class_names, excel_rows = [], [], [], [], [], [], []
        empty = skipped = 0
        header_texts = {norm(c.header) for c in cols if c.header}
        value_cols = [c.index for c in subject_cols.values()]
        seen_ids = self.seen_ids
        # A clean sheet (every row has an id and a name, ids unique, classes recognised, no
        # roster to join) needs no per-row checks: take the columns whole. Anything else goes
        # through the row loop below, which reports each irregular row.
        clean = (roster_index is None and all(all_sids) and all(all_names)
                 and header_texts.isdisjoint(all_sids) and header_texts.isdisjoint(all_names)
                 and len(set(all_sids)) == n_rows and seen_ids.keys().isdisjoint(all_sids)
                 and all(info[1] is None or info[1].number is not None
                         for info in [*class_of.values(), no_class]))
        if clean:
            keep_pos = list(range(n_rows))
            ids, names = all_sids, all_names
            schools = [school or school_default for school in all_schools]
            infos = [class_of.get(raw, no_class) for raw in raw_classes]
            class_names = [info[0] for info in infos]
            grades = [info[2] for info in infos]
            class_ids = [info[3] for info in infos]
            excel_rows = list(range(first_excel_row, first_excel_row + n_rows))
            seen_ids.update(zip(ids, zip([sheet] * n_rows, excel_rows)))
        for pos in ([] if clean else range(n_rows)):
            excel_row = first_excel_row + pos
            sid, name = all_sids[pos], all_names[pos]
            if not sid or not name or sid in header_texts or name in header_texts:
                verdict = self._irregular_row(sheet, data_rows[pos], excel_row, sid, name,
                                              id_col, name_col, header_texts, value_cols)
                if verdict == "empty":
                    empty += 1
                    continue
                if verdict == "skip":
                    skipped += 1
                    continue
            # class
            class_name, parsed, g, class_id = class_of.get(raw_classes[pos], no_class)
            school = all_schools[pos] or school_default
            if roster_index is not None and sid:
                if sid in roster_index.index:
                    r = roster_index.loc[sid]
                    if parsed is None:
                        class_name = r["class_name"]
                        parsed = parse_class(r["class_name"], _int_or_none(r["grade"]) or grade_hint)
                        g, class_id = _grade_and_class_id(parsed, grade_hint)
                    if not school:
                        school = r.get("school", "") or ""
                else:
                    P.add(sheet, excel_row, id_col.index, id_col.header, sid,
                          f"学号 {sid} 不在学生信息表中 (student_id not in roster)",
                          "保留成绩，班级按成绩表（如有）；请核对学号或更新学生信息表", "warning")
            if parsed is not None and parsed.number is None and class_name:
                P.add(sheet, excel_row, class_col.index if class_col else None,
                      class_col.header if class_col else "", class_name,
                      f"无法识别的班级名称 (unrecognised class name)「{class_name}」",
                      "class_id 按原文保留；建议写成“五(1)班”或“5-1”", "warning")
            if not sid:
                sid = _surrogate_id(school, class_id, name)
                P.add(sheet, excel_row, (id_col or name_col).index, (id_col or name_col).header,
                      name, "该行没有学号 (missing student_id)",
                      f"用学校+班级+姓名生成代用编号 {sid} (surrogate id)", "warning")
            if sid in seen_ids:
                first_sheet, first_row = seen_ids[sid]
                col = (id_col or name_col)
                P.add(sheet, excel_row, col.index, col.header, sid,
                      f"{_where(self.file, sheet, excel_row, col.index, col.header)}：学号 {sid} 重复 "
                      f"(duplicated student_id)，与工作表「{first_sheet}」第 {first_row} 行相同。"
                      "请核对学号，同一学生只保留一行。", "已跳过此行（保留第一次出现的行）", "error")
                skipped += 1
                continue
            seen_ids[sid] = (sheet, excel_row)
            keep_pos.append(pos)
            ids.append(sid)
            names.append(name)
            schools.append(school)
            grades.append(g)
            class_ids.append(class_id)
            class_names.append(class_name)
            excel_rows.append(excel_row)

        # ---- cells (one per student × subject) -----------------------------------------------
        everyone = len(keep_pos) == n_rows

        def kept_column(c: H.Column) -> list:
            values = columns[c.index]
            return list(values) if everyone else [values[p] for p in keep_pos]

        combos = None
        if combo_col is not None:
            combos = [_combination(v) for v in kept_column(combo_col)]
        elective_subjects = set(self.electives)
        if combos is not None:
            elective_subjects |= set(COMBINATION_CHARS.values())
        language_cols = [s for s in subject_cols if s in FOREIGN_LANGUAGES]
        n = len(keep_pos)
        # numbers as typed are read in bulk; every other cell (markers, text, blanks) by parse_cell
        numbers: dict[str, np.ndarray] = {}  # the cell's value where it is a number, else NaN
        others: dict[str, dict[int, Cell]] = {}
        has_value: dict[str, np.ndarray] = {}
        for subject, c in subject_cols.items():
            values = kept_column(c)
            types = list(map(type, values))
            typed = np.fromiter(map(is_, types, repeat(float)), bool, n)
            if int in set(types):
                typed |= np.fromiter(map(is_, types, repeat(int)), bool, n)
            number = np.full(n, np.nan)
            number[typed] = np.fromiter(compress(values, typed), float)
            is_number = ~np.isnan(number)
            other = {int(i): parse_cell(values[i]) for i in np.flatnonzero(~is_number)}
            filled = is_number.copy()
            for i, cell in other.items():
                filled[i] = cell.status != "blank"
            numbers[subject], others[subject], has_value[subject] = number, other, filled
        any_value = np.zeros(n, dtype=bool)
        for filled in has_value.values():
            any_value |= filled
        frames = []
        for subject, c in subject_cols.items():
            full = self.full_marks.get(subject, np.inf if subject == TOTAL else DEFAULT_FULL_MARK)
            level_c = level_cols.get(subject)
            number = numbers[subject]
            with np.errstate(invalid="ignore"):  # NaN compares False: not the common case
                common = (number >= 0) & (number <= full) & (level_c is None)
            score = np.where(common, number, np.nan)
            status = np.zeros(n, dtype=np.int8)  # codes into STATUSES; 0 is "sat"
            level = np.full(n, None, dtype=object)
            keep = np.ones(n, dtype=bool)
            for i in np.flatnonzero(~common).tolist():
                cell = others[subject].get(i) or parse_cell(float(number[i]))
                st = cell.status
                if st == "blank":
                    st = self._blank_status(subject, i, combos, elective_subjects, language_cols,
                                            has_value, any_value[i])
                if st == "not_taken":
                    keep[i] = False
                    continue
                value = data_rows[keep_pos[i]][c.index]
                where = None
                if cell.problem:
                    where = _where(self.file, sheet, excel_rows[i], c.index, c.header)
                    P.add(sheet, excel_rows[i], c.index, c.header, value,
                          f"{where}：{subject} 成绩“{value}”{cell.problem}。请改为数字分数，"
                          "或缺考写“缺考”、请假写“请假”、未选考写“N”。",
                          "记为无效（invalid），不计入统计", "error")
                elif cell.score is not None and (cell.score < 0 or cell.score > full):
                    where = _where(self.file, sheet, excel_rows[i], c.index, c.header)
                    if cell.score < 0:
                        msg = (f"{where}：{subject} 成绩 {cell.score:g} 是负数 (negative score)。"
                               "请核对该单元格。")
                    else:
                        msg = (f"{where}：{subject} 成绩 {cell.score:g} 超过满分 {full:g} "
                               f"(score > full_mark)。请核对该单元格；如果{subject}满分不是 {full:g}，"
                               f"请用 full_marks={{'{subject}': 满分}} 指定"
                               f"（命令行 --full-marks {subject}=满分）。")
                    P.add(sheet, excel_rows[i], c.index, c.header, value, msg,
                          "记为无效（invalid），不计入统计", "error")
                    st = "invalid"
                if st == "invalid":
                    status[i] = STATUS_CODE["invalid"]
                    continue
                if st in SEVERE_STATUS_NOTES:
                    P.add(sheet, excel_rows[i], c.index, c.header, value,
                          f"{subject}：{SEVERE_STATUS_NOTES[st]}", "status 记为 " + st, "warning")
                status[i] = STATUS_CODE[st]
                if st == "sat":
                    if cell.score is not None:
                        score[i] = cell.score
                    level[i] = cell.level
                if level_c is not None:
                    lv = parse_cell(data_rows[keep_pos[i]][level_c.index])
                    if lv.level is not None:
                        level[i] = lv.level
            idx = np.flatnonzero(keep)
            frames.append((idx, subject, score[idx], status[idx],
                           float(full) if np.isfinite(full) else np.nan, level[idx]))
        no_value = int((~any_value).sum())
        if no_value:
            P.add(sheet, None, None, "", "",
                  f"{no_value} 名学生在所有科目都没有成绩 (no score in any subject)",
                  "各科记为缺考（absent），计入应考人数、不计入实考人数", "info")
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
            "student_id": repeat_students(ids), "name": repeat_students(names),
            "school": repeat_students(schools),
            "grade": pd.array(grades, dtype="Int64")[pos],
            "class_id": repeat_students(class_ids), "class_name": repeat_students(class_names),
            "source_row": np.asarray(excel_rows, dtype=np.int64)[pos],
            "subject": pd.Series(repeat_subjects(1, object), dtype=object, copy=False),
            "score": stack(2, float),
            "status": pd.Series(STATUSES_ARRAY[stack(3, np.int8)], dtype=object, copy=False),
            "full_mark": repeat_subjects(4, float),
            "level": pd.Series(stack(5, object), dtype=object, copy=False),
        }, copy=False)
        out["exam"] = exam
        out["source_file"] = self.file
        out["source_sheet"] = sheet
        counts = {"header_row": header_excel_row, "rows_read": len(data_rows) - empty,
                  "rows_imported": len(ids), "rows_skipped": skipped, "empty_rows": empty}
        return out, counts, cols

    def _irregular_row(self, sheet, row, excel_row, sid, name, id_col, name_col, header_texts,
                       value_cols) -> str | None:
        """Classify a row with no id, no name, or header text in them.

        Returns "empty" (nothing in it), "skip" (reported and left out) or None (a student row).
        """
        if row.count("") + row.count(None) == len(row) or all(_blank(v) for v in row):
            return "empty"
        P = self.problems
        suspicious = not sid or not name or sid in header_texts or name in header_texts
        texts = [norm(v) for v in row[:6] if isinstance(v, str) and norm(v)] if suspicious else []
        if suspicious and ((sid in header_texts and name in header_texts) or (
                texts and sum(t in header_texts for t in texts) >= 2)):
            P.add(sheet, excel_row, None, "", " ".join(texts[:4]), "重复的表头行 (repeated header)",
                  "已跳过此行", "info")
            return "skip"
        if not sid or not name:
            has_values = any(not _blank(row[j]) for j in value_cols)
            label = name or sid or (texts[0] if texts else "")
            if any(w in label for w in SUMMARY_ROW_WORDS) or (not sid and not name and not has_values):
                P.add(sheet, excel_row, None, "", " ".join(texts[:4]),
                      "不是学生成绩行（如平均分、合计、备注行）(not a student row)",
                      "已跳过此行", "info")
                return "skip"
        if not sid and not name:
            col = id_col or name_col
            P.add(sheet, excel_row, col.index, col.header, "",
                  f"{_where(self.file, sheet, excel_row, col.index, col.header)}："
                  "有成绩但没有学号和姓名 (missing student_id and name)。请补上该生的学号或姓名。",
                  "已跳过此行", "error")
            return "skip"
        return None

    def _blank_status(self, subject, i, combos, elective_subjects, language_cols, has_value,
                      has_any) -> str:
        if subject in language_cols and len(language_cols) > 1:
            others = [s for s in language_cols if s != subject]
            if any(has_value[s][i] for s in others):
                return "not_taken"
            if subject != language_cols[0]:
                return "not_taken"
        if not has_any:
            return "absent"
        if subject in elective_subjects:
            if combos is not None and combos[i]:
                return "absent" if subject in combos[i] else "not_taken"
            if subject in self.electives:
                return "not_taken"
        return "absent"



STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}  # "sat" is 0
STATUSES_ARRAY = np.array(STATUSES, dtype=object)


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


def _grade_and_class_id(parsed, grade_hint: int | None) -> tuple[int | None, str]:
    """The grade and class id of a parsed class name (the hint fills a missing grade)."""
    if parsed is None:
        return grade_hint, ""
    g = parsed.grade if parsed.grade is not None else grade_hint
    class_id = parsed.class_id
    if parsed.grade is None and g is not None and parsed.number:
        class_id = f"{g}-{parsed.number}"
    return g, class_id


@lru_cache(maxsize=4096)
def _parse_class_cached(raw, grade_hint):
    return parse_class(raw, grade_hint)


def _accept_scores(cols: list[H.Column]) -> bool:
    has_person = any(c.role in ("student_id", "name") for c in cols)
    return has_person and any(
        (c.role in ("score", "level") and c.subject) or c.role in ("total", "entry") for c in cols)


def _blank(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, float):
        return v != v
    return False


def _get(row, col: H.Column | None):
    if col is None or col.index >= len(row):
        return None
    return row[col.index]


def _combination(value: object) -> set[str] | None:
    text = norm(value)
    if not text:
        return None
    chosen = {COMBINATION_CHARS[ch] for ch in text if ch in COMBINATION_CHARS}
    return chosen or None


def _int_or_none(v) -> int | None:
    try:
        return None if pd.isna(v) else int(v)
    except (TypeError, ValueError):
        return None


def _check_grade(grade) -> int | None:
    if grade is None:
        return None
    if isinstance(grade, str):
        parsed = parse_grade(grade) or (int(grade) if grade.isdigit() else None)
        grade = parsed
    if not isinstance(grade, (int, np.integer)) or not 1 <= int(grade) <= 12:
        raise ValueError(f"年级 grade 应为 1–12 的整数（如五年级 grade=5，初一 grade=7），收到 {grade!r}。")
    return int(grade)


def _full_marks(full_marks, extra) -> dict[str, float]:
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


def _finish_scores(data: pd.DataFrame) -> pd.DataFrame:
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
    return data


# --------------------------------------------------------------------------------------------
# rosters and teacher tables
# --------------------------------------------------------------------------------------------
class _TableImport:
    def __init__(self, path: Path, *, kind: str, sheet=None, grade=None, school=None,
                 school_year=None, term=None):
        self.path, self.file, self.kind = path, path.name, kind
        self.sheet, self.grade, self.school = sheet, _check_grade(grade), school
        self.school_year, self.term = school_year, term
        self.problems = _Problems(self.file)

    def run(self):
        grids, _ = read_grids(self.path)
        grids = _select_sheets(grids, self.sheet, self.file)
        accept = _accept_roster if self.kind == "roster" else _accept_teachers
        frames, sheet_rows = [], []
        for name, rows in grids:
            info = _sheet_info(self.file, name)
            found = None if (self.sheet is None and _is_instruction_sheet(name)) else _find_header(rows, accept)
            if found is None:
                info["note"] = "说明类工作表或未找到表头，已跳过"
                sheet_rows.append(info)
                continue
            frame, counts = self._read(name, rows, found)
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

    def _read(self, sheet, rows, found):
        hdr, depth, cols = found
        title = _title_text(rows, hdr)
        grade_hint = self.grade or parse_grade(sheet) or parse_grade(title) or parse_grade(self.path.stem)
        school_default = self.school or parse_school(title) or ""
        pick = {role: _pick(cols, role) for role in
                ("student_id", "name", "class", "class_code", "school", "gender", "teacher",
                 "teacher_id", "subject_name", "grade", "school_year", "term")}
        class_col = pick["class"] or pick["class_code"]
        P = self.problems
        out, empty, skipped = [], 0, 0
        first = hdr + depth + 1
        seen: dict[tuple, int] = {}
        for pos, row in enumerate(rows[hdr + depth:]):
            excel_row = first + pos
            if all(_blank(v) for v in row):
                empty += 1
                continue
            rec = {k: norm(_get(row, c)) for k, c in pick.items()}
            class_name = rec["class"] or rec["class_code"] if class_col is not None else ""
            g = _int_or_none(rec["grade"]) if rec["grade"].isdigit() else parse_grade(rec["grade"])
            parsed = parse_class(_get(row, class_col) if class_col is not None else "", g or grade_hint)
            grade = parsed.grade if parsed.grade is not None else (g or grade_hint)
            class_id = parsed.class_id
            if parsed.grade is None and grade is not None and parsed.number:
                class_id = f"{grade}-{parsed.number}"
            school = rec["school"] or school_default
            if self.kind == "roster":
                if not rec["student_id"] or not rec["name"]:
                    if any(w in (rec["name"] or rec["student_id"]) for w in SUMMARY_ROW_WORDS):
                        P.add(sheet, excel_row, None, "", rec["name"], "不是学生行 (not a student row)",
                              "已跳过此行", "info")
                    else:
                        missing = "学号 (student_id)" if not rec["student_id"] else "姓名 (name)"
                        P.add(sheet, excel_row, None, "", rec["name"] or rec["student_id"],
                              f"{_where(self.file, sheet, excel_row)}：缺少{missing}。请补全后再导入。",
                              "已跳过此行", "error")
                    skipped += 1
                    continue
                key = (rec["student_id"],)
                if key in seen:
                    P.add(sheet, excel_row, pick["student_id"].index, pick["student_id"].header,
                          rec["student_id"],
                          f"{_where(self.file, sheet, excel_row)}：学号 {rec['student_id']} 重复 "
                          f"(duplicated student_id)，与第 {seen[key]} 行相同。请删除重复行。",
                          "已跳过此行", "error")
                    skipped += 1
                    continue
                seen[key] = excel_row
                item = {"student_id": rec["student_id"], "name": rec["name"], "school": school,
                        "grade": grade, "class_id": class_id, "class_name": class_name}
                if pick["gender"] is not None:
                    item["gender"] = rec["gender"]
            else:
                subject = canonical_subject(rec["subject_name"]) or rec["subject_name"]
                if not rec["teacher"] or not class_name or not subject:
                    P.add(sheet, excel_row, None, "", " ".join(v for v in rec.values() if v),
                          f"{_where(self.file, sheet, excel_row)}：缺少教师姓名、班级或科目 "
                          "(teacher, class, subject)。请补全。", "已跳过此行", "error")
                    skipped += 1
                    continue
                item = {"teacher": rec["teacher"], "teacher_id": rec["teacher_id"], "school": school,
                        "school_year": rec["school_year"] or self.school_year or "",
                        "term": rec["term"] or self.term or "", "grade": grade,
                        "class_id": class_id, "class_name": class_name, "subject": subject}
            out.append(item)
        columns = ROSTER_COLUMNS if self.kind == "roster" else TEACHER_COLUMNS
        frame = pd.DataFrame(out, columns=columns + (["gender"] if self.kind == "roster"
                                                     and pick["gender"] is not None else []))
        frame["grade"] = frame["grade"].astype("Int64")
        counts = {"header_row": hdr + 1, "rows_read": len(rows) - hdr - depth - empty,
                  "rows_imported": len(out), "rows_skipped": skipped, "empty_rows": empty}
        return frame, counts


def _accept_roster(cols) -> bool:
    roles = {c.role for c in cols}
    return "student_id" in roles and "name" in roles


def _accept_teachers(cols) -> bool:
    roles = {c.role for c in cols}
    return "teacher" in roles and "subject_name" in roles and ("class" in roles or "class_code" in roles)
