"""Read one school score sheet into the canonical long table (private; see ``importing``).

The steps, each a method of :class:`ScoreImport`: find the header; give every column a role
(:meth:`~ScoreImport._layout`); read the pupils row by row, telling pupils from statistics,
footers and class headings (:meth:`~ScoreImport._read_students`); read every score cell
(:meth:`~ScoreImport._read_cells`); check the sheet's own 总分 against the subjects
(:meth:`~ScoreImport._check_totals`). Whatever is not a pupil's score goes to the problem list
with its place and what was done.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_
from pathlib import Path

import numpy as np
import pandas as pd

from ..classes import ClassName, parse_class, parse_grade
from ..subjects import COMBINATION_CHARS, canonical_subject
from .._text import norm, norm_all
from . import _headers as H
from . import _rows
from ._cells import STATUSES, Cell, SpecialCell, parse_cell
from ._grid import Sheet, read_grids
from .problems import ImportReport, ScoreFileError, column_letter
from .titles import parse_exam, parse_school

DEFAULT_FULL_MARK = 100.0
TOTAL = "总分"
FOREIGN_LANGUAGES = ("英语", "日语", "俄语", "外语")
SECONDARY_SUBJECTS = {"物理", "化学", "生物", "历史", "地理", "政治"}
#: Subjects of which a pupil takes only some: 7选3 / 3+1+2 electives, 理综 or 文综
ELECTIVE_GROUPS = (("物理", "化学", "生物", "政治", "历史", "地理", "技术"), ("理科综合", "文科综合"))
SEVERE_STATUS_NOTES = {
    "not_scanned": "试卷未扫描（not_scanned），不计入统计；请与阅卷系统核实该生是否参考",
    "cheated": "作弊（cheated），不计入统计",
    "excluded": "表中注明剔除/不计（excluded），不计入统计",
}
STATUS_CODE = {status: code for code, status in enumerate(STATUSES)}  # "sat" is 0
STATUSES_ARRAY = np.array(STATUSES, dtype=object)
STATUS_LABELS = {"absent": "缺考", "excused": "请假/免考", "transferred": "转学", "cheated": "作弊",
                 "excluded": "不计入统计"}
_CELL_FIX = "请改为数字分数，或缺考写“缺考”、请假写“请假”、未选考写“N”"


@dataclass
class Layout:
    """What the columns of one sheet hold."""

    id: H.Column | None
    name: H.Column | None
    klass: H.Column | None
    school: H.Column | None
    combination: H.Column | None
    total: H.Column | None
    subjects: dict[str, H.Column]
    levels: dict[str, H.Column]
    header_texts: set[str]
    notes: list[H.Column] = field(default_factory=list)  # 备注 and 考试状态 columns

    @property
    def identity_indexes(self) -> list[int]:
        """Columns whose words tell a pupil row from a statistics or footer row: every column
        left of the first subject, and the id, name and class columns wherever they are."""
        first = min((c.index for c in self.subjects.values()), default=0)
        own = [c.index for c in (self.id, self.name, self.klass) if c is not None]
        return sorted(set(range(first)) | set(own))


@dataclass
class Students:
    """The pupil rows of one sheet (positions into the data rows) and their identity."""

    pos: list[int] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    schools: list[str] = field(default_factory=list)
    grades: list[int | None] = field(default_factory=list)
    class_ids: list[str] = field(default_factory=list)
    class_names: list[str] = field(default_factory=list)
    excel_rows: list[int] = field(default_factory=list)
    empty: int = 0
    skipped: int = 0
    hints: dict[int, list[tuple]] = field(default_factory=dict)  # pupil → (text, column, header)

    def add(self, pos, sid, name, school, klass, excel_row) -> None:
        class_name, _, grade, class_id = klass
        for values, v in ((self.pos, pos), (self.ids, sid), (self.names, name),
                          (self.schools, school), (self.grades, grade),
                          (self.class_ids, class_id), (self.class_names, class_name),
                          (self.excel_rows, excel_row)):
            values.append(v)


@dataclass
class Context:
    """What the sheet's title, name and the options say about all its rows."""

    exam: str
    school: str
    grade_hint: int | None
    no_class: tuple  # (class_name, parsed, grade, class_id) for rows without a class of their own
    sheet_class: str | None = None  # the class_id the sheet's name gives


class Problems:
    """The problem list of one import (rows of ``ImportReport.problems``)."""

    def __init__(self, file: str):
        self.file = file
        self.rows: list[dict] = []

    def add(self, sheet: str, row: int | None, col: int | None, header: str, value: object,
            problem: str, action: str, severity: str) -> None:
        self.rows.append({
            "file": self.file, "sheet": sheet, "row": row,
            "column": column_letter(col) if col is not None else "",
            "header": header, "value": "" if value is None else str(value),
            "problem": problem, "action": action, "severity": severity})

    def frame(self) -> pd.DataFrame:
        from .problems import PROBLEM_COLUMNS

        return pd.DataFrame(self.rows, columns=PROBLEM_COLUMNS).astype({"row": "Int64"})


def where(file: str, sheet: str, row: int | None, col: int | None = None, header: str = "") -> str:
    """“文件 x，工作表「s」，第 n 行，C 列「语文」” for messages."""
    place = f"文件 {file}，工作表「{sheet}」"
    if row is not None:
        place += f"，第 {row} 行"
    if col is not None:
        place += f"，{column_letter(col)} 列"
        if header:
            place += f"「{header}」"
    return place


def blank(v: object) -> bool:
    """True for an empty cell (None, '', spaces, NaN, a .xls formula whose result is "")."""
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    if isinstance(v, float):
        return v != v
    return isinstance(v, SpecialCell) and v.kind == "empty_formula"


def title_text(rows, header_row: int) -> str:
    """The words above the header (title rows), once each."""
    parts: list[str] = []
    for row in rows[:header_row]:
        for v in row:
            t = norm(v)
            if t and t not in parts:
                parts.append(t)
    return " ".join(parts)


def pick(cols: list[H.Column], role: str) -> H.Column | None:
    """The preferred column of a role (lowest priority number, then leftmost)."""
    found = [c for c in cols if c.role == role]
    return min(found, key=lambda c: (c.priority, c.index)) if found else None


def grade_and_class_id(parsed, grade_hint: int | None) -> tuple[int | None, str]:
    """The grade and class id of a parsed class name (the hint fills a missing grade)."""
    if parsed is None:
        return grade_hint, ""
    g = parsed.grade if parsed.grade is not None else grade_hint
    class_id = parsed.class_id
    if parsed.grade is None and g is not None and parsed.number:
        class_id = f"{g}-{parsed.number}"
    return g, class_id


def class_info(raw, grade_hint) -> tuple:
    """(class_name, parsed, grade, class_id) of a class cell.

    A class typed as 5-1 that Excel turned into a date (5月1日) is read as 5-1."""
    if isinstance(raw, (_dt.date, _dt.datetime)):
        raw = f"{raw.month}-{raw.day}"
    parsed = parse_class(raw, grade_hint)
    return (norm(raw), parsed, *grade_and_class_id(parsed, grade_hint))


def check_grade(grade) -> int | None:
    """A grade option as an int 1–12 (五年级 → 5); a clear error otherwise."""
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


def _combination(value: object) -> set[str] | None:
    text = norm(value)
    if not text:
        return None
    chosen = {COMBINATION_CHARS[ch] for ch in text if ch in COMBINATION_CHARS}
    return chosen or None


class ScoreImport:
    """One score file → the canonical table and its :class:`ImportReport`."""

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
        self.problems = Problems(self.file)
        self.seen_ids: dict[str, tuple[str, int]] = {}
        self.seen_pairs: dict[tuple[str, str], tuple[str, int]] = {}  # long sheets
        self.cross: list[tuple] = []  # pupils met again in another sheet
        self.subject_columns: dict[tuple[str, str], tuple[int, str]] = {}  # (sheet, subject) → column
        self.colour_noted: dict[str, tuple] = {}  # sheet → (row, note) saying a colour marks a status
        self.notes: list[str] = []

    # ---- the file ---------------------------------------------------------------------------
    def run(self) -> ImportReport:
        from .scores import select_sheets, sheet_info

        sheets, notes = read_grids(self.path)
        self.notes.extend(notes)
        sheets = select_sheets(sheets, self.sheet, self.file)
        frames, sheet_rows, column_rows = [], [], []
        for sheet in sheets:
            info = sheet_info(self.file, sheet.name)
            skip = self._skip_reason(sheet)
            from ._long import is_long, read_long

            accept = (lambda cols, name=sheet.name: accept_scores(cols)
                      or is_long(cols, name, self.extra))
            found = None if skip else H.find_header(sheet, accept, self.extra)
            if found is None:
                info["note"] = skip or "未找到成绩表头 (no score header: 学号/姓名 + 科目列)"
                sheet_rows.append(info)
                continue
            cols = found[2]
            if is_long(cols, sheet.name, self.extra):
                frame, counts = read_long(self, sheet, found)
            else:
                frame, counts, cols = self._read_sheet(sheet, found)
            info.update(counts, used=True)
            sheet_rows.append(info)
            column_rows.extend({"file": self.file, "sheet": sheet.name,
                                "column": column_letter(c.index), "header": c.header,
                                "role": c.role, "subject": c.subject or ""} for c in cols)
            frames.append(frame)
        if not frames:
            raise ScoreFileError(self._no_sheet_message(sheets), file=self.file)
        data = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        if self.cross:
            data = self._copies_and_duplicates(data, sheet_rows)
        return ImportReport(problems=self.problems.frame(), sheets=pd.DataFrame(sheet_rows),
                            columns=pd.DataFrame(column_rows), notes=self.notes,
                            data=finish_scores(data))

    def _copies_and_duplicates(self, data: pd.DataFrame, sheet_rows: list[dict]) -> pd.DataFrame:
        """Pupils met in two sheets. A sheet all of whose pupils are in other sheets with the
        same scores is a copy (a 汇总 sheet beside the class sheets, or the reverse): it is
        not read twice, and its classes fill classes the kept rows lack. Any other repeat is an
        error, the first row kept."""
        cross = pd.DataFrame(self.cross, columns=["sheet", "row", "sid", "first_sheet",
                                                  "first_row", "col", "header"])
        info = {r["sheet"]: r for r in sheet_rows}
        for sheet, dups in cross.groupby("sheet", sort=False):
            rows = data[data["source_sheet"] == sheet]
            if not set(rows["student_id"]) <= set(dups["sid"]):
                continue  # the sheet has pupils of its own
            others = data[(data["source_sheet"] != sheet) & data["student_id"].isin(dups["sid"])]
            first = others.drop_duplicates(["student_id", "subject"])
            m = rows.merge(first, on=["student_id", "subject"], how="left",
                           suffixes=("", "_first"), indicator=True)
            same = (m["_merge"] == "both") & (m["status"] == m["status_first"]) & (
                (m["score"] == m["score_first"]) | (m["score"].isna() & m["score_first"].isna()))
            if (m["_merge"] != "both").any():
                continue  # subjects of its own
            if not same.all():  # a copy with some cells changed: name those cells
                if (~same).sum() > len(m) / 2:
                    continue
                self._differing_copy(sheet, m[~same])
            data = _adopt_classes(data[data["source_sheet"] != sheet], rows)
            n = rows["student_id"].nunique()
            info[sheet].update(rows_imported=0, rows_skipped=info[sheet]["rows_skipped"] + n,
                               note=f"与其他工作表重复（{n} 名学生、成绩相同），未重复读取")
            self.problems.add(sheet, None, None, "", sheet,
                              f"工作表「{sheet}」的 {n} 名学生都已在其他工作表中，成绩完全相同：是汇总表或副本 "
                              "(copy of other sheets)", "未重复读取", "info")
            cross = cross[cross["sheet"] != sheet]
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

    def _skip_reason(self, sheet: Sheet) -> str | None:
        from .scores import is_instruction_sheet

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
        if sheet.name in self.colour_noted:
            self._coloured_cells(sheet.name, data_rows, layout, students, first_excel_row)
        self._check_totals(sheet.name, data_rows, layout, students, scores)
        out = _assemble(students, frames, context.exam, self.file, sheet.name)
        counts = {"rows_read": len(data_rows) - students.empty,
                  "rows_imported": len(students.ids), "rows_skipped": students.skipped,
                  "empty_rows": students.empty}
        return out, counts

    def _blocks(self, sheet: Sheet, found) -> list[tuple[tuple, int]]:
        """(header, end row) of each block of the sheet."""
        headers = [found]
        hdr, depth, cols = found
        signature = _signature(cols)
        for i in range(hdr + depth, len(sheet.rows)):
            row = sheet.rows[i]
            positions = _identity_positions(headers[-1][2])
            if not any(_maybe_header_word(row[j]) and sheet.merged_from.get((i, j), (i,))[0] == i
                       for j in positions if j < len(row)):
                continue  # no 学号/姓名 word of its own (a cell merged down from a header is not)
            header = H.header_at(sheet, i, accept_scores, self.extra)
            if header is None or _signature(header[2]) == signature:
                continue  # a repeated header: skipped by the row reader
            headers.append(header)
            signature = _signature(header[2])
            self.problems.add(sheet.name, i + 1, None, "", "",
                              f"第 {i + 1} 行是另一个表头，列的顺序或科目与上面的表头不同 (new header)",
                              "以下各行按这个表头读取", "info")
        ends = [h[0] for h in headers[1:]] + [len(sheet.rows)]
        return list(zip(headers, ends))

    def _block_context(self, sheet: Sheet, hdr: int, first: Context) -> Context:
        """A later block: the exam and school of the sheet; the class of its own title rows."""
        no_class = ("", None, first.grade_hint, "")
        heading = _title_class(sheet.rows, hdr, first.grade_hint, stop_at_data=True)
        if heading is not None:
            no_class = (heading.written, heading, *grade_and_class_id(heading, first.grade_hint))
        elif first.no_class[1] is not None and parse_class(sheet.name).number is not None:
            no_class = first.no_class
        return Context(first.exam, first.school, first.grade_hint, no_class, first.sheet_class)

    def _context(self, sheet: Sheet, hdr: int) -> Context:
        title = title_text(sheet.rows, hdr)
        exam = self.exam or parse_exam(title) or parse_exam(self.path.stem) or self.path.stem
        grade_hint = (self.grade or parse_grade(sheet.name) or _labelled_grade(title)
                      or parse_grade(title) or parse_grade(self.path.stem))
        no_class = ("", None, grade_hint, "")
        named = parse_class(sheet.name, grade_hint)
        heading = None if named.number is not None else (
            _title_class(sheet.rows, hdr, grade_hint) or _file_class(self.path.stem, grade_hint))
        if named.number is not None:  # one sheet per class: the sheet name is the class
            no_class = (norm(sheet.name), named, *grade_and_class_id(named, grade_hint))
        elif heading is not None:  # a title or a file name naming one class
            no_class = (heading.written, heading, *grade_and_class_id(heading, grade_hint))
        self._colour_note(sheet.name, None, [title])
        school = self.school or parse_school(title) or parse_school(sheet.name) or ""
        return Context(exam, school, grade_hint, no_class,
                       no_class[3] if named.number is not None else None)

    def _exam_column(self, sheet, cols, data_rows, header_row, context: Context) -> Context:
        """A 考试名称 column in a wide sheet: one exam names the exam; several are refused
        (one pupil's rows per exam cannot share one table row)."""
        col = pick(cols, "exam")
        if col is None:
            return context
        from .titles import parse_exam

        exams = list(dict.fromkeys(parse_exam(norm(r[col.index])) or norm(r[col.index])
                                   for r in data_rows if not blank(r[col.index])))
        if len(exams) == 1 and not self.exam:
            return Context(exams[0], context.school, context.grade_hint, context.no_class,
                           context.sheet_class)
        if len(exams) > 1:
            self.problems.add(
                sheet, header_row, col.index, col.header, "、".join(exams[:4]),
                f"{where(self.file, sheet, header_row, col.index, col.header)}：这个工作表有 {len(exams)} "
                f"次考试的成绩（{'、'.join(exams[:4])}）(several exams in one sheet)。请把每次考试分开"
                "（每次一个文件或工作表）后再导入。", "无法按一次考试读取", "error")
        return context

    def _no_pupils(self, sheet: str, header_row: int, skipped: int) -> None:
        what = ("表头下面没有任何学生行" if not skipped else
                f"表头下面的 {skipped} 行都不是可导入的学生行（见上面各条）")
        self.problems.add(
            sheet, header_row, None, "", "",
            f"{where(self.file, sheet, header_row)}：工作表有成绩表头，但{what} "
            "(no pupils under the header)。请填入学生成绩，或删除这个工作表、用 sheet= 指定要读的工作表。",
            "该工作表没有导入任何学生", "error")

    # ---- columns ----------------------------------------------------------------------------
    def _layout(self, sheet: str, cols: list[H.Column], data_rows, header_row: int) -> Layout:
        P = self.problems
        picked = {role: pick(cols, role) for role in ("student_id", "name", "school", "combination")}
        klass = pick(cols, "class") or pick(cols, "class_code")
        used = {c.index for c in (picked["student_id"], picked["name"], klass, picked["school"])
                if c is not None}
        cols = _raw_partners(cols)
        subjects, levels, aside = _assign_subjects(cols, used, data_rows)
        subjects, aside = self._resolve_duplicates(sheet, subjects, aside, data_rows, header_row)
        totals = [c for c, reason in aside if reason in ("total", "entry")]
        if not subjects and not totals:  # every subject column is empty
            empty = [c for c, reason in aside if reason == "empty_subject"]
            subjects = {c.subject: c for c in reversed(empty)}
            aside = [(c, r) for c, r in aside if c not in empty]
            if any(not blank(v) for row in data_rows for v in row):
                P.add(sheet, header_row, None, "", "",
                      f"{where(self.file, sheet, header_row)}：工作表有学生，但所有科目列都是空的 "
                      "(no scores in any subject column)。请填入成绩，或删除这个工作表、用 sheet= 指定要读的工作表。",
                      "各科记为缺考", "error")
        if not subjects:  # a sheet of totals only (e.g. 中考总分 as entry score)
            total = totals[0]
            aside = [(c, r) for c, r in aside if c is not total]
            subjects[TOTAL] = H.Column(total.index, total.header, "score", TOTAL)
            P.add(sheet, header_row, total.index, total.header, total.header,
                  f"表中没有单科成绩列，只有“{total.header}”(total only)",
                  f"按科目“{TOTAL}”导入该列" + ("" if TOTAL in self.full_marks else
                                               "；满分未知，未检查上限（可用 full_marks={'总分': 满分}）"),
                  "info")
        self._report_aside(sheet, aside, data_rows, header_row)
        notes = [c for c, reason in aside if reason in ("remark", "exam_status")]
        layout = Layout(picked["student_id"], picked["name"], klass, picked["school"],
                        picked["combination"], _sum_column(aside), subjects, levels,
                        {norm(c.header) for c in cols if c.header}, notes)
        if layout.id is None:
            P.add(sheet, header_row, None, "", "", "表中没有学号/考号列 (no student_id column)",
                  "用学校+班级+姓名生成代用编号 (surrogate id)，见每行的提醒；建议补上学号列", "warning")
        return layout

    def _resolve_duplicates(self, sheet, subjects: dict[str, list[H.Column]], aside, data_rows,
                            header_row):
        """One column per subject. A 赋分 column wins over its 原始分/得分 partner; an empty or
        identical copy is set aside; two different columns of one subject are an error."""
        chosen: dict[str, H.Column] = {}
        for subject, columns in subjects.items():
            columns = [c for c in columns if not _empty_column(data_rows, c)]
            aside += [(c, "empty_subject") for c in subjects[subject] if c not in columns]
            if not columns:  # e.g. 技术 that nobody sat
                continue
            scaled = [c for c in columns if c.priority < 0]
            if scaled and len(columns) > 1:
                columns = scaled + [c for c in columns if c.priority >= 0]
                aside += [(c, "raw") for c in columns[1:]]
            else:
                same = [c for c in columns[1:] if _same_values(data_rows, columns[0], c)]
                aside += [(c, "duplicate_subject") for c in same]
                others = [c for c in columns[1:] if c not in same]
                if others and _complementary(data_rows, [columns[0], *others]):
                    columns = [self._coalesce(sheet, subject, [columns[0], *others], data_rows,
                                              header_row)]
                elif others:
                    self._duplicate_error(sheet, subject, [columns[0], *others], header_row)
            chosen[subject] = columns[0]
        return chosen, aside

    def _coalesce(self, sheet, subject, columns, data_rows, header_row) -> H.Column:
        """Columns of one subject of which every pupil has at most one (数学(文) / 数学(理)):
        one column holding each pupil's value, added at the right of the rows."""
        index = len(data_rows[0]) if data_rows else max(c.index for c in columns) + 1
        for row in data_rows:
            row.append(next((row[c.index] for c in columns if not blank(row[c.index])), None))
        headers = "、".join(f"{column_letter(c.index)} 列“{c.header}”" for c in columns)
        self.problems.add(sheet, header_row, columns[0].index, columns[0].header, "",
                          f"{headers}都是{subject}，每个学生只在其中一列有成绩 (one of several "
                          f"{subject} columns)", f"合并为一科“{subject}”读取", "info")
        full = next((c.full_mark for c in columns if c.full_mark), None)
        return H.Column(index, "/".join(c.header for c in columns), "score", subject,
                        full_mark=full)

    def _duplicate_error(self, sheet, subject, columns, header_row) -> None:
        listed = "、".join(f"{column_letter(c.index)} 列“{c.header}”" for c in columns)
        for c in columns[1:]:
            self.problems.add(
                sheet, header_row, c.index, c.header, c.header,
                f"{where(self.file, sheet, header_row, c.index, c.header)}：表中有 {len(columns)} 列都是"
                f"「{subject}」（{listed}），内容不同，无法确定用哪一列 (duplicate subject column)。"
                "请删除多余的列，或把表头改成能区分的名字（如“数学原始分”与“数学赋分”）。",
                f"暂按 {column_letter(columns[0].index)} 列导入", "error")

    def _report_aside(self, sheet, aside, data_rows, header_row) -> None:
        for c, reason in aside:
            if reason == "unnamed" and _empty_column(data_rows, c):
                continue  # an empty formatted column: nothing to set aside
            numbers = 0
            if reason in ("unknown", "unnamed"):
                numbers = sum(isinstance(r[c.index], (int, float)) and r[c.index] == r[c.index]
                              or parse_cell(r[c.index]).score is not None for r in data_rows)
            if numbers >= max(3, len(data_rows) // 2):
                self.problems.add(
                    sheet, header_row, c.index, c.header, c.header,
                    f"{where(self.file, sheet, header_row, c.index, c.header)}：无法识别的列 "
                    f"“{c.header or '（无表头）'}”，其中有 {numbers} 个数字 (unknown column with numbers)",
                    "未导入；如果这是一门科目，请把表头改为科目名，或用 subjects={'表头': '科目'} 说明",
                    "warning")
                continue
            self.problems.add(sheet, header_row, c.index, c.header, c.header,
                              f"非成绩列：{c.header or '（无表头）'}",
                              f"已搁置：{H.ASIDE_REASONS[reason]}", "info")

    # ---- pupils -----------------------------------------------------------------------------
    def _read_students(self, sheet, data_rows, first_excel_row, layout: Layout,
                       context: Context, specials: int = 1) -> Students:
        n = len(data_rows)
        column = (lambda c: [None] * n if c is None else [r[c.index] for r in data_rows])
        raw_ids, raw_names = column(layout.id), column(layout.name)
        raw_classes = column(layout.klass)
        for raw, col in ((raw_ids, layout.id), (raw_names, layout.name), (raw_classes, layout.klass)):
            if specials:
                self._special_identity(sheet, raw, col, first_excel_row, data_rows)
        sids = self._student_ids(sheet, raw_ids, first_excel_row, layout.id)
        names = [name.lstrip("'‘’") for name in norm_all(raw_names)]
        schools = norm_all(column(layout.school)) if layout.school is not None else [""] * n
        classes = {raw: class_info(raw, context.grade_hint)
                   for raw in set(raw_classes) if not blank(raw)}
        self._date_classes(sheet, raw_classes, classes, layout.klass, first_excel_row)
        self._coded_classes(sheet, classes, layout, context)
        students = Students()
        school_column = layout.school is not None and any(schools)
        schoolless: list[int] = []
        if self._clean(sids, names, raw_classes, classes, layout, context) and not (
                school_column and not all(schools)):
            infos = [classes.get(raw, context.no_class) for raw in raw_classes]
            students.pos, students.ids, students.names = list(range(n)), sids, names
            students.schools = [school or context.school for school in schools]
            students.class_names = [info[0] for info in infos]
            students.grades = [info[2] for info in infos]
            students.class_ids = [info[3] for info in infos]
            students.excel_rows = list(range(first_excel_row, first_excel_row + n))
            self.seen_ids.update(zip(sids, zip(repeat(sheet), students.excel_rows)))
            if not any(students.class_ids):
                self._fill_classes(sheet, students, list(range(n)), layout, context)
            self._check_students(sheet, data_rows, raw_classes, students, layout, context)
            return students
        heading = None
        unclassed: list[int] = []  # positions in students of pupils with no class yet
        breaks: set[int] = set()  # pupils right after a blank, statistics or heading row
        after_break = False
        for pos, row in enumerate(data_rows):
            excel_row = first_excel_row + pos
            kind = self._row_kind(sheet, row, excel_row, sids[pos], names[pos], layout, context)
            if kind == "empty":
                students.empty += 1
                after_break = True
                continue
            if isinstance(kind, tuple):  # a class heading
                heading = kind
            if kind != "pupil":
                students.skipped += 1
                after_break = True
                continue
            if after_break:
                breaks.add(len(students.ids))
                after_break = False
            klass = classes.get(raw_classes[pos]) or heading or context.no_class
            school = schools[pos] or ("" if school_column else context.school)
            klass, school = self._roster_class(sheet, excel_row, sids[pos], klass, school, layout,
                                               context)
            sid = self._identity(sheet, excel_row, sids[pos], names[pos], school, klass, layout)
            if sid is None:
                students.skipped += 1
                continue
            if not klass[3]:
                unclassed.append(len(students.ids))
            if not school and school_column:
                schoolless.append(len(students.ids))
            students.add(pos, sid, names[pos], school, klass, excel_row)
        self._fill_classes(sheet, students, unclassed, layout, context, breaks)
        self._fill_schools(sheet, students, schoolless, layout, breaks)
        self._check_students(sheet, data_rows, raw_classes, students, layout, context)
        return students

    def _check_students(self, sheet, data_rows, raw_classes, students, layout, context) -> None:
        """Checks on the pupils as read: classes typed as decimals, a class column that
        contradicts the sheet's name, statuses written in 备注 or after the name."""
        self._decimal_classes(sheet, raw_classes, students, layout)
        self._sheet_class_conflict(sheet, students, layout, context)
        self._collect_hints(data_rows, students, layout)

    def _collect_hints(self, data_rows, students: Students, layout: Layout) -> None:
        """What 备注/考试状态 cells and a mark after the name (张三(缺考)) say about a pupil's
        sitting; the name keeps only the name."""
        for i, pos in enumerate(students.pos):
            mark = _rows.name_mark(students.names[i])
            if mark is not None:
                students.names[i] = mark[0]
                col = layout.name
                students.hints.setdefault(i, []).append((mark[1], col.index, col.header))
            for col in layout.notes:
                value = data_rows[pos][col.index]
                if isinstance(value, str) and _rows.status_hint(value) is not None:
                    students.hints.setdefault(i, []).append((norm(value), col.index, col.header))

    def _apply_hints(self, sheet, frames: list, scores: dict, students: Students) -> None:
        """A pupil whose 备注 (or 考试状态, or a mark after the name) says 缺考/请假/…: a 0 or a
        blank in the subjects it names (all, when it names none) takes that status; a score
        above 0 in a named subject is an error; 随班就读/不计入统计 excludes every score."""
        where_in = [{int(i): k for k, i in enumerate(f[0])} for f in frames]
        for i, hints in students.hints.items():
            for text, col, header in hints:
                status, named = _rows.status_hint(text)
                changed, conflicts = self._hint_cells(frames, where_in, scores, i, status, named)
                r = students.excel_rows[i]
                place = where(self.file, sheet, r, col, header)
                for subject, value in conflicts:
                    self.problems.add(
                        sheet, r, col, header, text,
                        f"{place}：写明“{text}”，但{subject}成绩是 {value:g} (status note contradicts the "
                        "score)。请核对：是缺考就把成绩格改成“缺考”，参加了考试就改正备注。",
                        "成绩保留", "error")
                if changed:
                    self.problems.add(
                        sheet, r, col, header, text,
                        f"{place}：写明“{text}” (status note)",
                        f"{'、'.join(changed)}记为{STATUS_LABELS[status]}（{status}），不计入统计",
                        "warning")

    def _hint_cells(self, frames, where_in, scores, i, status, named):
        changed, conflicts = [], []
        code = STATUS_CODE[status]
        for f, positions in zip(frames, where_in):
            subject = f[1]
            k = positions.get(i)
            if k is None or (named and subject not in named):
                continue
            score, st = f[2][k], int(f[3][k])
            if status == "excluded":
                if st == 0:
                    f[3][k] = code
                    scores[subject][i] = np.nan
                    changed.append(subject)
                continue
            if st == 0 and score == score and score > 0:
                if named:
                    conflicts.append((subject, float(score)))
                continue
            if st in (0, STATUS_CODE["absent"]):
                f[2][k] = np.nan
                f[3][k] = code
                scores[subject][i] = np.nan
                changed.append(subject)
        return changed, conflicts

    def _sheet_class_conflict(self, sheet, students: Students, layout, context) -> None:
        """A sheet named after a class whose class column names another class (a copied sheet
        whose classes were not changed) is an error: which class is it?"""
        named = context.sheet_class
        if named is None or layout.klass is None:
            return
        col = layout.klass
        for i, class_id in enumerate(students.class_ids):
            if class_id and class_id != named:
                r = students.excel_rows[i]
                self.problems.add(
                    sheet, r, col.index, col.header, students.class_names[i],
                    f"{where(self.file, sheet, r, col.index, col.header)}：工作表名是「{sheet}」，"
                    f"班级列却写「{students.class_names[i]}」(class differs from the sheet name)。"
                    "请核对：复制工作表后没有改班级？请改正班级列或工作表名。", "无法确定班级", "error")
                return

    def _decimal_classes(self, sheet, raw_classes, students: Students, layout) -> None:
        """Classes typed as numbers 7.1 … 7.10: Excel keeps 7.10 as 7.1, so class 10 and class
        1 may be one. Certain only when the sheet is ordered by class and 7.1 comes back after
        other classes (an error); otherwise a warning."""
        decimals = {raw for raw in raw_classes if isinstance(raw, float) and not raw.is_integer()}
        if not decimals:
            return
        col = layout.klass
        ids = [students.class_ids[i] for i, p in enumerate(students.pos)
               if raw_classes[p] in decimals]
        rows = [students.excel_rows[i] for i, p in enumerate(students.pos)
                if raw_classes[p] in decimals]
        runs = [(c, r) for k, (c, r) in enumerate(zip(ids, rows)) if k == 0 or c != ids[k - 1]]
        seen, again = set(), []
        for c, r in runs:
            if c in seen:
                again.append((c, r))
            seen.add(c)
        for c, r in again:
            self.problems.add(
                sheet, r, col.index, col.header, c,
                f"{where(self.file, sheet, r, col.index, col.header)}：班级写成小数（如 7.1），而 {c} 在前面已经"
                "出现过：Excel 会把 7.10 存成 7.1，1 班和 10 班无法区分 (class typed as a decimal)。"
                "请把班级列设为“文本”格式并写成“7-10”或“初一10班”。", "无法确定班级", "error")
        if not again:
            self.problems.add(sheet, rows[0], col.index, col.header, ids[0],
                              "班级写成小数（如 7.1）(class typed as a decimal)：Excel 会把 7.10 存成 7.1",
                              "已按 7.1 → 7-1 读取；如有 10 班、20 班，请把班级改成文本“7-10”后重新导入",
                              "warning")

    def _fill_schools(self, sheet, students: Students, missing: list[int], layout,
                      breaks: set[int] = frozenset()) -> None:
        """Pupils with a blank 学校 cell in a sheet whose other pupils have one (a 联考 file):
        the school above in a sheet ordered by school, else an error — never the school=
        option, which picks one school of such a file."""
        col = layout.school
        sources = fill_down(students.schools, missing, breaks)
        for i, source in sources.items():
            r = students.excel_rows[i]
            if source is None:
                self.problems.add(
                    sheet, r, col.index, col.header, "",
                    f"{where(self.file, sheet, r, col.index, col.header)}：没有学校 (missing school)，"
                    "而表中其他学生都有学校。请填写该生的学校。", "school 留空", "error")
            else:
                students.schools[i] = students.schools[source]
        filled = [i for i, source in sources.items() if source is not None]
        if filled:
            rows = [students.excel_rows[i] for i in filled]
            self.problems.add(sheet, rows[0], col.index, col.header, "",
                              f"{len(rows)} 名学生的学校为空（第 {rows[0]} 行等）(school written once "
                              "per block)", "已按上方最近的学校填写；请核对", "warning")

    def _coded_classes(self, sheet, classes: dict, layout: Layout, context: Context) -> None:
        """Class codes like 101–312 with no grade in the file name, title or options: in a
        primary sheet 301 is 三年级1班, but in a sheet with 物理/化学/历史… 101 may be 初一 or
        高一. There the grade is left empty (never grade 1) and the sheet says so."""
        if context.grade_hint is not None or not SECONDARY_SUBJECTS & set(layout.subjects):
            return
        coded = [raw for raw, info in classes.items()
                 if info[1] is not None and info[1].grade in (1, 2, 3)
                 and re.fullmatch(r"\d{3,4}", info[0] or "")]
        for raw in coded:
            parsed = ClassName(None, int(classes[raw][0]), classes[raw][0])
            classes[raw] = (classes[raw][0], parsed, None, parsed.class_id)
        if coded:
            col = layout.klass
            names = sorted(classes[raw][0] for raw in coded)
            self.problems.add(
                sheet, None, col.index, col.header, "、".join(names[:3]),
                f"班级写成 {names[0]} 这样的编号，而表中有物理、化学等科目：年级无法确定"
                "（初一还是高一？）(grade unknown from class code)",
                "按编号读取班级，年级留空；请用 grade=（命令行 --grade）指定年级", "warning")

    def _date_classes(self, sheet, raw_classes, classes, col, first_excel_row) -> None:
        for raw, info in classes.items():
            if isinstance(raw, (_dt.date, _dt.datetime)):
                r = first_excel_row + raw_classes.index(raw)
                self.problems.add(
                    sheet, r, col.index, col.header, str(raw),
                    f"{where(self.file, sheet, r, col.index, col.header)} 等行的班级被 Excel 识别成了日期"
                    f"（{raw.month}月{raw.day}日）(class stored as a date)",
                    f"已按班级 {info[0]} 读取；请把班级列设为“文本”格式", "warning")

    def _special_identity(self, sheet, raw: list, col, first_excel_row: int, rows) -> None:
        """An error cell or an uncalculated formula in the id, name or class column of a row
        that is not empty: an error, and the cell is read as blank."""
        for i, value in enumerate(raw):
            if isinstance(value, SpecialCell) and not all(blank(v) for v in rows[i]):
                r = first_excel_row + i
                cell = value.cell
                self.problems.add(
                    sheet, r, col.index, col.header, value.text,
                    f"{where(self.file, sheet, r, col.index, col.header)}：单元格“{value.text}”"
                    f"{cell.problem}。{cell.fix}。", "按空白处理", "error")
                raw[i] = None

    def _student_ids(self, sheet, raw: list, first_excel_row: int, col) -> list[str]:
        """Ids as text; ids Excel turned into numbers or scientific notation are written out
        in full, and the sheet says so (they may have lost their last digits)."""
        sids = norm_all(raw)
        odd = [i for i, s in enumerate(sids) if s[:1] in "'‘’" or "E+" in s or "e+" in s
               or s.endswith(".0") or isinstance(raw[i], float)]
        repaired: dict[str, list[int]] = {}
        for i in odd:
            sids[i], note = _rows.normalise_id(raw[i])
            if note in ("scientific", "long_number"):
                repaired.setdefault(note, []).append(first_excel_row + i)
        for note, rows in repaired.items():
            example = rows[0]
            text = ("以科学计数法保存（如 1.0051E+05）" if note == "scientific"
                    else "是超过 15 位的数字（Excel 只保留 15 位有效数字）")
            self.problems.add(
                sheet, example, col.index, col.header, sids[example - first_excel_row],
                f"{where(self.file, sheet, example, col.index, col.header)} 等 {len(rows)} 行的学号"
                f"{text} (student_id stored as a number)",
                "已还原为完整数字；如果学号的位数多于显示的有效数字，末几位已经丢失，"
                "请把学号列设为“文本”格式后重新导出", "warning")
        return sids

    def _clean(self, sids, names, raw_classes, classes, layout, context) -> bool:
        """A sheet whose every row is a pupil with an id, a name and a recognised class (or none
        at all), nothing to join, no statistics: take the columns whole, skip the row loop."""
        if self.roster is not None or not all(sids) or not all(names):
            return False
        if len(set(sids)) != len(sids) or not self.seen_ids.keys().isdisjoint(sids):
            return False
        if not layout.header_texts.isdisjoint(sids) or not layout.header_texts.isdisjoint(names):
            return False
        if any(isinstance(v, SpecialCell) for v in raw_classes):
            return False
        if layout.klass is not None and any(blank(v) for v in raw_classes):
            return False
        if any(info[1].number is None for info in classes.values()):
            return False
        if not all(any(ch.isalpha() for ch in name) for name in names):
            return False
        return not _rows.any_non_pupil_text(sids + names)

    def _row_kind(self, sheet, row, excel_row, sid, name, layout: Layout, context: Context):
        """"pupil", "empty", "skip" (reported), or a class heading (its class info)."""
        if all(blank(v) for v in row):
            return "empty"
        P = self.problems
        texts = [norm(v) for v in row if isinstance(v, str) and norm(v)]
        header_hits = sum(t in layout.header_texts for t in texts[:8])
        if header_hits >= 2 and (sid in layout.header_texts or name in layout.header_texts):
            P.add(sheet, excel_row, None, "", " ".join(texts[:4]), "重复的表头行 (repeated header)",
                  "已跳过此行", "info")
            return "skip"
        heading = _rows.heading_class(row, context.grade_hint)
        if heading is not None and not (sid and name and sid != name):
            klass = (heading.written, heading, *grade_and_class_id(heading, context.grade_hint))
            P.add(sheet, excel_row, None, "", heading.written,
                  f"班级标题行「{heading.written}」(class heading)",
                  f"已跳过此行；以下各行记为 {klass[3]} 班，直到下一个班级标题", "info")
            return klass
        label = self._non_pupil_label(row, sid, name, layout)
        if label is not None:
            kind, text = label
            what = ("统计行（如平均分、合计、及格率）" if kind == "stats"
                    else "表尾或备注行（如制表人、打印日期、页码）")
            P.add(sheet, excel_row, None, "", text, f"不是学生成绩行 (not a student row)：{what}",
                  "已跳过此行", "info")
            self._colour_note(sheet, excel_row, texts)
            return "skip"
        if sid and name:
            return "pupil"
        return self._incomplete_row(sheet, row, excel_row, sid, name, texts, layout)

    def _colour_note(self, sheet, excel_row, texts) -> None:
        """A note saying a colour marks a status (黄色表示缺考): colours are not read, so such a
        sheet would count those pupils with their 0 — an error, once per sheet."""
        for text in texts:
            if (_rows.COLOUR_RE.search(text) and _rows.status_hint(text) is not None
                    and sheet not in self.colour_noted):
                self.colour_noted[sheet] = (excel_row, text)

    def _coloured_cells(self, sheet, data_rows, layout: Layout, students: Students,
                        first_excel_row: int) -> None:
        """The sheet says a colour marks a status: name the coloured score cells (from the
        .xlsx styles) so that the teacher writes the status into them."""
        excel_row, text = self.colour_noted[sheet]
        from ._grid import filled_cells

        fills = filled_cells(self.path, sheet)
        subjects = {c.index: c for c in layout.subjects.values()}
        rows = set(students.excel_rows)
        cells = sorted((r + 1, c) for (r, c) in fills if c in subjects and r + 1 in rows)
        fix = ("请在这些单元格里写上“缺考”“请假”等（不要只用颜色）后再导入。")
        for r, c in cells:
            col = subjects[c]
            self.problems.add(
                sheet, r, c, col.header, "",
                f"{where(self.file, sheet, r, c, col.header)}：单元格有底色，而表中说明“{text}” "
                f"(status marked by colour)：导入时读不到颜色。{fix}", "无法确定该生是否参考", "error")
        if not cells:
            self.problems.add(
                sheet, excel_row, None, "", text,
                f"{where(self.file, sheet, excel_row)}：表中说明“{text}”(status marked by colour)："
                f"导入时读不到单元格的颜色，用颜色标出的缺考等会被当成分数。{fix}",
                "无法区分颜色标记的学生", "error")

    def _non_pupil_label(self, row, sid, name, layout: Layout):
        """("stats" | "footer", the words) when the row is a statistics or footer row.

        Score-band labels (90-100) count only where the row has no real name: ids and class
        names such as 5-12 look the same."""
        real = (bool(sid) or layout.id is None) and any(ch.isalpha() for ch in name)
        if not sid and name and _rows.CLASS_MENTION.search(name):
            return "stats", name  # 五(1)班 in the name column: the class's own summary row
        indexes = layout.identity_indexes if real else range(len(row))
        scores = {c.index for c in layout.subjects.values()}
        for j in indexes:
            if j >= len(row) or not isinstance(row[j], str):
                continue
            if j in scores and parse_cell(row[j]).status != "invalid":
                continue  # a marker such as 缺考，不计排名 in a score cell
            text = norm(row[j])
            if _rows.is_footer_text(text):
                return "footer", text
            if _rows.is_stats_text(text, bands=not real):
                return "stats", text
        return None

    def _incomplete_row(self, sheet, row, excel_row, sid, name, texts, layout):
        P = self.problems
        has_values = any(not blank(row[c.index]) for c in layout.subjects.values())
        filled = {norm(v) for v in row if not blank(v)}
        if len(filled) == 1 and not has_values:
            self._colour_note(sheet, excel_row, list(filled))
            P.add(sheet, excel_row, None, "", next(iter(filled)),
                  "不是学生成绩行 (not a student row)：整行只有一项内容（如标题、日期、说明）",
                  "已跳过此行", "info")
            return "skip"
        if not sid and not name:
            if not has_values:
                P.add(sheet, excel_row, None, "", " ".join(texts[:4]),
                      "不是学生成绩行（没有学号、姓名和成绩，如标题或说明）(not a student row)",
                      "已跳过此行", "info")
                return "skip"
            col = layout.id or layout.name
            P.add(sheet, excel_row, col.index, col.header, "",
                  f"{where(self.file, sheet, excel_row, col.index, col.header)}："
                  "有成绩但没有学号和姓名 (missing student_id and name)。请补上该生的学号或姓名；"
                  "如果这是统计行，请删除它。", "已跳过此行", "error")
            return "skip"
        if not name and layout.name is not None:
            P.add(sheet, excel_row, layout.name.index, layout.name.header, sid,
                  f"{where(self.file, sheet, excel_row, layout.name.index, layout.name.header)}："
                  f"学号 {sid} 没有姓名 (missing name)", "保留该生成绩；请补上姓名", "warning")
        return "pupil"

    def _roster_class(self, sheet, excel_row, sid, klass, school, layout, context):
        """The roster's class (and school) for a pupil whose row has none."""
        if self.roster is None or not sid:
            return klass, school
        index = self._roster_index()
        if sid not in index.index:
            P = self.problems
            P.add(sheet, excel_row, layout.id.index if layout.id else None,
                  layout.id.header if layout.id else "", sid,
                  f"学号 {sid} 不在学生信息表中 (student_id not in roster)",
                  "保留成绩，班级按成绩表（如有）；请核对学号或更新学生信息表", "warning")
            return klass, school
        r = index.loc[sid]
        if not klass[3]:
            raw = r["class_name"]
            grade = pd.to_numeric(r["grade"], errors="coerce")
            hint = int(grade) if pd.notna(grade) else context.grade_hint
            klass = class_info(raw, hint)
        return klass, school or (r.get("school", "") or "")

    def _roster_index(self) -> pd.DataFrame:
        if not hasattr(self, "_roster_by_id"):
            self._roster_by_id = self.roster.drop_duplicates("student_id").set_index("student_id")
        return self._roster_by_id

    def _identity(self, sheet, excel_row, sid, name, school, klass, layout) -> str | None:
        """The pupil's id (a surrogate when the sheet has none); None for a duplicate."""
        P = self.problems
        col = layout.id or layout.name
        class_name, parsed, _, class_id = klass
        if parsed is not None and parsed.number is None and class_name:
            P.add(sheet, excel_row, layout.klass.index if layout.klass else None,
                  layout.klass.header if layout.klass else "", class_name,
                  f"无法识别的班级名称 (unrecognised class name)「{class_name}」",
                  "class_id 按原文保留；建议写成“五(1)班”或“5-1”", "warning")
        surrogate = not sid
        if surrogate:
            sid = surrogate_id(school, class_id, name)
            P.add(sheet, excel_row, col.index, col.header, name, "该行没有学号 (missing student_id)",
                  f"用学校+班级+姓名生成代用编号 {sid} (surrogate id)；如果这是统计或说明行，请删除它",
                  "warning")
        if surrogate and sid in self.seen_ids:
            first_sheet, first_row = self.seen_ids[sid]
            P.add(sheet, excel_row, col.index, col.header, name,
                  f"{where(self.file, sheet, excel_row, col.index, col.header)}：同一班有两个同名学生「{name}」"
                  f"（另一个在工作表「{first_sheet}」第 {first_row} 行），表中没有学号，无法区分 "
                  "(same name, no student_id)。请加上学号列。", "已跳过此行", "error")
            return None
        if sid in self.seen_ids:
            first_sheet, first_row = self.seen_ids[sid]
            if first_sheet != sheet:  # decided once every sheet is read: a copy, or an error
                self.cross.append((sheet, excel_row, sid, first_sheet, first_row, col.index,
                                   col.header))
                return sid
            P.add(sheet, excel_row, col.index, col.header, sid,
                  f"{where(self.file, sheet, excel_row, col.index, col.header)}：学号 {sid} 重复 "
                  f"(duplicated student_id)，与工作表「{first_sheet}」第 {first_row} 行相同。"
                  "请核对学号，同一学生只保留一行。", "已跳过此行（保留第一次出现的行）", "error")
            return None
        self.seen_ids[sid] = (sheet, excel_row)
        return sid

    def _fill_classes(self, sheet, students: Students, unclassed: list[int], layout, context,
                      breaks: set[int] = frozenset()):
        """Pupils with no class: in a sheet ordered by class (each class one block), a blank
        class cell continues the class above (written once per block); where other pupils have
        a class and this cannot be known, an error; no class anywhere, one warning."""
        if not unclassed:
            return
        col = layout.klass
        index, header = (col.index, col.header) if col is not None else (None, "班级")
        if not any(students.class_ids):
            self.problems.add(sheet, None, index, header, "",
                              "表中没有班级 (no class column)，工作表名和标题也不是班级名",
                              "class_id 留空；请补上“班级”列，或用 roster= 指定学生信息表按学号匹配班级",
                              "warning")
            return
        sources = fill_down(students.class_ids, unclassed, breaks) if col is not None else \
            dict.fromkeys(unclassed)
        run_start = None
        for i in range(len(students.ids) + 1):
            source = sources.get(i)
            if source is not None:
                for values in (students.class_ids, students.class_names, students.grades):
                    values[i] = values[source]
                run_start = i if run_start is None else run_start
                continue
            if run_start is not None:
                self._report_fill(sheet, students, run_start, i - 1, col)
                run_start = None
            if i in sources:
                r = students.excel_rows[i]
                self.problems.add(
                    sheet, r, index, header, "",
                    f"{where(self.file, sheet, r, index, header)}：没有班级 (missing class)，"
                    "而表中其他学生都有班级。请填写该生的班级。", "class_id 留空", "error")

    def _report_fill(self, sheet, students: Students, first: int, last: int, col) -> None:
        rows = students.excel_rows
        span = f"第 {rows[first]} 行" if first == last else f"第 {rows[first]}–{rows[last]} 行"
        self.problems.add(
            sheet, rows[first], col.index, col.header, "",
            f"{span}的班级为空 (class written once per block)",
            f"已按上方最近的班级「{students.class_names[first]}」填写；请核对", "warning")

    # ---- cells ------------------------------------------------------------------------------
    def _read_cells(self, sheet, data_rows, layout: Layout, students: Students):
        """Per subject: the kept pupils, scores, statuses and levels; and the score of every
        pupil × subject (NaN unless sat) for the 总分 check."""
        kept = students.pos
        if kept and len(kept) == len(data_rows):  # every row a pupil: one transpose, whole columns
            transposed = list(zip(*data_rows))
            columns = {s: list(transposed[c.index]) for s, c in layout.subjects.items()}
        else:
            columns = {s: [data_rows[p][c.index] for p in kept]
                       for s, c in layout.subjects.items()}
        parsed = {s: _Parsed(values) for s, values in columns.items()}
        has_value = {s: p.filled for s, p in parsed.items()}
        any_value = np.zeros(len(kept), dtype=bool)
        for filled in has_value.values():
            any_value |= filled
        combos = None
        if layout.combination is not None:
            combos = [_combination(data_rows[p][layout.combination.index]) for p in kept]
        electives = set(self.electives)
        if combos is None and not electives:
            electives = self._elective_pattern(sheet, has_value, any_value)
        context = _BlankContext(combos, electives, layout.subjects, has_value, any_value)
        frames, scores = [], {}
        for subject, c in layout.subjects.items():
            frame, score = self._read_subject(sheet, subject, c, columns[subject], parsed[subject],
                                              layout, data_rows, students, context)
            frames.append(frame)
            scores[subject] = score
        no_value = int((~any_value).sum())
        if no_value:
            self.problems.add(sheet, None, None, "", "",
                              f"{no_value} 名学生在所有科目都没有成绩 (no score in any subject)",
                              "各科记为缺考（absent），计入应考人数、不计入实考人数", "info")
        return frames, scores

    def _elective_pattern(self, sheet, has_value, any_value) -> set[str]:
        """Subjects of which each pupil takes some (7选3, 3+1+2, 理综 or 文综), seen in the sheet
        itself: nearly every pupil has the same number of them filled, fewer than there are.
        A blank there is a subject not taken, not an absence (said in the report)."""
        found: set[str] = set()
        for group in ELECTIVE_GROUPS:
            present = [s for s in group if s in has_value]
            if len(present) < 2 or any_value.sum() < 5:
                continue
            counts = sum(has_value[s].astype(int) for s in present)[any_value]
            values, freq = np.unique(counts, return_counts=True)
            mode = int(values[np.argmax(freq)])
            if 1 <= mode < len(present) and freq.max() >= 0.8 * len(counts):
                found |= set(present)
                self.problems.add(
                    sheet, None, None, "", "、".join(present),
                    f"{'、'.join(present)}：几乎每个学生只有其中 {mode} 科有成绩，按选考科目处理 "
                    "(electives detected)", "空白记为未选考（not_taken），不算缺考；选了却缺考的请写“缺考”",
                    "info")
        return found

    def _read_subject(self, sheet, subject, c, values, parsed: _Parsed, layout, data_rows,
                      students: Students, blanks: _BlankContext):
        full = self.full_marks.get(subject) or c.full_mark or (
            np.inf if subject == TOTAL else DEFAULT_FULL_MARK)
        level_c = layout.levels.get(subject)
        odd = self._odd_cells(sheet, subject, c, parsed, full, students)
        number = parsed.number
        with np.errstate(invalid="ignore"):  # NaN compares False: not the common case
            common = (number >= 0) & (number <= full) & (level_c is None) & ~odd
        score = np.where(common, number, np.nan)
        status = np.zeros(len(values), dtype=np.int8)  # codes into STATUSES; 0 is "sat"
        level = np.full(len(values), None, dtype=object)
        keep = np.ones(len(values), dtype=bool)
        for i in np.flatnonzero(~common).tolist():
            cell = parsed.cell(i)
            st = cell.status
            if st == "blank":
                st = blanks.status(subject, i)
            if st == "not_taken":
                keep[i] = False
                continue
            st = self._check_cell(sheet, subject, c, values[i], cell, st, full,
                                  students.excel_rows[i])
            status[i] = STATUS_CODE[st]
            if st == "sat":
                if cell.score is not None:
                    score[i] = cell.score
                level[i] = cell.level
            if level_c is not None and st == "sat":
                lv = parse_cell(data_rows[students.pos[i]][level_c.index])
                if lv.level is not None:
                    level[i] = lv.level
        sat_scores = np.where(status == 0, score, np.nan)
        idx = np.flatnonzero(keep)
        frame = (idx, subject, score[idx], status[idx],
                 float(full) if np.isfinite(full) else np.nan, level[idx])
        return frame, sat_scores

    def _check_cell(self, sheet, subject, c, value, cell: Cell, st, full, excel_row) -> str:
        """Report a cell that cannot be read or is out of range; returns its status."""
        P = self.problems
        if cell.problem:
            place = where(self.file, sheet, excel_row, c.index, c.header)
            shown = str(value) if not isinstance(value, SpecialCell) else value.text
            P.add(sheet, excel_row, c.index, c.header, shown,
                  f"{place}：{subject} 成绩“{shown}”{cell.problem}。{cell.fix or _CELL_FIX}。",
                  "记为无效（invalid），不计入统计", "error")
            return "invalid"
        if cell.score is not None and (cell.score < 0 or cell.score > full):
            place = where(self.file, sheet, excel_row, c.index, c.header)
            if cell.score < 0:
                msg = f"{place}：{subject} 成绩 {cell.score:g} 是负数 (negative score)。请核对该单元格。"
            else:
                msg = (f"{place}：{subject} 成绩 {cell.score:g} 超过满分 {full:g} "
                       f"(score > full_mark)。请核对该单元格；如果{subject}满分不是 {full:g}，"
                       f"请用 full_marks={{'{subject}': 满分}} 指定（命令行 --full-marks {subject}=满分）。")
            P.add(sheet, excel_row, c.index, c.header, value, msg,
                  "记为无效（invalid），不计入统计", "error")
            return "invalid"
        if st in SEVERE_STATUS_NOTES:
            P.add(sheet, excel_row, c.index, c.header, value,
                  f"{subject}：{SEVERE_STATUS_NOTES[st]}", "status 记为 " + st, "warning")
        return st

    def _odd_cells(self, sheet, subject, c, parsed: _Parsed, full, students) -> np.ndarray:
        """Cells that are valid alone but wrong in their column: level words among scores (or
        scores among levels), and a column of shares (every value ≤ 1) where the full mark is
        more than 1. Returns the mask of those cells (reported here as errors)."""
        odd = np.zeros(len(parsed.number), dtype=bool)
        scores = parsed.score_mask
        levels = parsed.level_mask
        n_scores, n_levels = int(scores.sum()), int(levels.sum())
        if n_scores and n_levels:
            wrong = levels if n_levels <= n_scores else scores
            kind = "等级" if n_levels <= n_scores else "分数"
            other = "分数" if kind == "等级" else "等级"
            for i in np.flatnonzero(wrong).tolist():
                parsed.replace(i, Cell(None, "invalid", None,
                                       f"是{kind}，而这一列其他单元格是{other} (mixed scores and levels)",
                                       "请统一：这一列要么都填分数，要么都填等级（优秀/良好/合格/待合格）"))
            return wrong
        values = parsed.number[scores & ~np.isnan(parsed.number)]
        with np.errstate(invalid="ignore"):
            # 0.85 typed as 85% (a usual score read as a percentage); real fractional scores
            # (0.1, 0.5 in the exports we have seen) stay scores
            fraction = scores & (parsed.number >= 0.6) & (parsed.number < 1) & (
                np.mod(parsed.number * 4, 1) != 0)
        if full > 1 and len(values) and values.max() > 1 and fraction.any():
            for i in np.flatnonzero(fraction).tolist():
                parsed.replace(i, Cell(None, "invalid", None,
                                       "小于 1，像是百分数（如 85% 存成了 0.85）或得分率 (share, not a score)",
                                       "请改为分数"))
            return fraction
        if full > 1 and len(values) >= 2 and values.max() <= 1 and values.max() > 0:
            self._share_column(sheet, subject, c, len(values), students)
            odd |= scores
            for i in np.flatnonzero(scores).tolist():  # reported once, for the column
                parsed.replace(i, Cell(None, "invalid", None, None))
        return odd

    def _share_column(self, sheet, subject, c, n, students) -> None:
        self.problems.add(
            sheet, students.excel_rows[0] if students.excel_rows else None, c.index, c.header, "",
            f"{where(self.file, sheet, None, c.index, c.header)}：{subject} 这一列的 {n} 个数值都不超过 1"
            f"（如 0.485），像是得分率或百分比格式，不是分数 (values look like shares, full mark "
            f"is not 1)。请换成原始分数后再导入。", "整列记为无效（invalid），不计入统计", "error")

    # ---- the sheet's own 总分 --------------------------------------------------------------
    def _check_totals(self, sheet, data_rows, layout: Layout, students: Students, scores) -> None:
        """Warn where the sheet's 总分 differs from the sum of the subjects read (rows where
        every subject has a score); many differing rows are one warning for the column."""
        col = layout.total
        if col is None or not scores or TOTAL in scores:
            return
        table = np.column_stack(list(scores.values()))
        complete = ~np.isnan(table).any(axis=1)
        sums = np.nansum(table, axis=1)
        cells = [parse_cell(data_rows[p][col.index]) for p in students.pos]
        totals = np.array([c.score if c.status == "sat" else None for c in cells], dtype=float)
        check = complete & ~np.isnan(totals)
        diff = np.abs(totals - sums)
        rounding = (np.mod(totals, 1) == 0) & (np.mod(sums, 1) != 0) & (diff <= 0.5 + 1e-9)
        wrong = check & (diff > 0.01) & ~rounding
        if not wrong.any():
            return
        n_check, n_wrong = int(check.sum()), int(wrong.sum())
        if n_check >= 5 and n_wrong > n_check / 2:
            self.problems.add(
                sheet, None, col.index, col.header, "",
                f"{where(self.file, sheet, None, col.index, col.header)}：{n_wrong} / {n_check} 行的"
                f"“{col.header}”与表中各科成绩之和不同 (total differs from the sum of subjects)："
                "总分可能包含表中没有的科目，或按赋分/折算计算", "以各科成绩为准（总分列不导入）", "warning")
            return
        for i in np.flatnonzero(wrong).tolist():
            r = students.excel_rows[i]
            self.problems.add(
                sheet, r, col.index, col.header, f"{totals[i]:g}",
                f"{where(self.file, sheet, r, col.index, col.header)}：总分 {totals[i]:g} 与各科成绩之和 "
                f"{sums[i]:g} 不同 (total differs from the sum of subjects)。请核对该行的各科成绩和总分。",
                "以各科成绩为准（总分列不导入）", "warning")


# --------------------------------------------------------------------------------------------
# cells of one column
# --------------------------------------------------------------------------------------------
class _Parsed:
    """One subject column read in bulk: numbers as typed are taken as they are; every other
    cell (markers, text, blanks, errors) goes through :func:`parse_cell` once."""

    def __init__(self, values: list):
        n = len(values)
        types = list(map(type, values))
        typed = np.fromiter(map(is_, types, repeat(float)), bool, n)
        if int in set(types):
            typed |= np.fromiter(map(is_, types, repeat(int)), bool, n)
        self.number = np.full(n, np.nan)
        self.number[typed] = np.fromiter(compress(values, typed), float)
        is_number = ~np.isnan(self.number)
        self.other: dict[int, Cell] = {int(i): parse_cell(values[i])
                                       for i in np.flatnonzero(~is_number)}
        self.filled = is_number.copy()
        self.score_mask = is_number.copy()
        self.level_mask = np.zeros(n, dtype=bool)
        for i, cell in self.other.items():
            self.filled[i] = cell.status != "blank"
            self.score_mask[i] = cell.score is not None and cell.status == "sat"
            self.level_mask[i] = cell.level is not None
            if self.score_mask[i]:
                self.number[i] = cell.score

    def replace(self, i: int, cell: Cell) -> None:
        self.other[i] = cell

    def cell(self, i: int) -> Cell:
        """Cell ``i`` parsed (numbers typed as numbers are parsed here, when needed)."""
        cell = self.other.get(i)
        return cell if cell is not None else parse_cell(float(self.number[i]))


@dataclass
class _BlankContext:
    """What a blank score cell means: absent, or a subject the pupil does not take."""

    combos: list | None
    electives: set[str]
    subjects: dict
    has_value: dict[str, np.ndarray]
    any_value: np.ndarray

    def __post_init__(self):
        self.languages = [s for s in self.subjects if s in FOREIGN_LANGUAGES]
        self.elective_subjects = set(self.electives)
        if self.combos is not None:
            self.elective_subjects |= set(COMBINATION_CHARS.values())

    def status(self, subject: str, i: int) -> str:
        if subject in self.languages and len(self.languages) > 1:
            if any(self.has_value[s][i] for s in self.languages if s != subject):
                return "not_taken"
            if subject != self.languages[0]:
                return "not_taken"
        if not self.any_value[i]:
            return "absent"
        if subject in self.elective_subjects:
            if self.combos is not None and self.combos[i]:
                return "absent" if subject in self.combos[i] else "not_taken"
            if subject in self.electives:
                return "not_taken"
        return "absent"


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def accept_scores(cols: list[H.Column]) -> bool:
    """A score header: an id or name column and a subject (or total) column."""
    has_person = any(c.role in ("student_id", "name") for c in cols)
    return has_person and any(
        (c.role in ("score", "level") and c.subject) or c.role in ("total", "entry") for c in cols)


def padded_rows(rows: list[list[object]], cols: list[H.Column]) -> list[list[object]]:
    """Rows of one width (CSV rows are ragged), so that columns line up."""
    lengths = set(map(len, rows))
    width = max(lengths | {c.index + 1 for c in cols})
    if min(lengths, default=width) < width:
        return [r if len(r) == width else list(r) + [None] * (width - len(r)) for r in rows]
    return rows


def _empty_column(rows, c: H.Column) -> bool:
    return all(blank(r[c.index]) if c.index < len(r) else True for r in rows)


def _complementary(rows, columns: list[H.Column]) -> bool:
    """No row has a value in two of the columns (and every column has some)."""
    return all(sum(not blank(r[c.index]) for c in columns) <= 1 for r in rows)


def _same_values(rows, a: H.Column, b: H.Column) -> bool:
    return all(norm(r[a.index]) == norm(r[b.index]) for r in rows)


def _raw_partners(cols: list[H.Column]) -> list[H.Column]:
    """A bare 原始分 column right of a subject's score column is that subject's raw score
    (新高考 exports: 政治 (赋分), 原始分, 历史, 地理 (赋分), 原始分), even when ``subjects=``
    names 原始分 as a subject of its own elsewhere in the sheet."""
    out = list(cols)
    for k, c in enumerate(cols):
        left = cols[k - 1] if k else None
        if (c.role == "score" and norm(c.header) in H.SUB_RAW and left is not None
                and left.role == "score" and left.subject != c.subject):
            out[k] = H.Column(c.index, c.header, "raw", left.subject)
    return out


def _assign_subjects(cols, used: set[int], data_rows):
    """Subject columns (all candidates per subject), level columns, and the columns set aside."""
    subjects: dict[str, list[H.Column]] = {}
    levels: dict[str, H.Column] = {}
    aside: list[tuple[H.Column, str]] = []
    for c in cols:
        if c.index in used:
            continue
        if c.role == "score":
            subjects.setdefault(c.subject, []).append(c)
        elif c.role == "level" and c.subject and c.subject not in levels:
            levels[c.subject] = c
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
    for subject, c in list(levels.items()):
        if subject not in subjects:
            subjects[subject] = [c]
            del levels[subject]
    return subjects, levels, aside


_PARTIAL_TOTAL = ("语数英", "三科", "主科", "选考", "7选3", "赋分", "原始", "名", "次")


def _sum_column(aside) -> H.Column | None:
    """The sheet's 总分 of all its subjects (not 语数英 or 三科 partial totals)."""
    for c, reason in aside:
        header = norm(c.header).lower()
        if reason == "total" and ("总分" in header or "总成绩" in header or header in ("合计", "total",
                                                                                "totalscore")):
            if not any(w in header for w in _PARTIAL_TOTAL):
                return c
    return None


def _signature(cols: list[H.Column]) -> tuple:
    return tuple((c.index, c.role, c.subject) for c in cols if c.role != "unnamed")


_HEADER_WORDS = set(H.ID_ALIASES) | set(H.NAME_ALIASES) | set(H.CLASS_ALIASES) | {"序号"}


def _maybe_header_word(v) -> bool:
    return isinstance(v, str) and (v in _HEADER_WORDS or norm(v).lower() in _HEADER_WORDS)


def _identity_positions(cols: list[H.Column]) -> list[int]:
    """Where a repeated header shows its 学号/姓名/班级 words."""
    own = {c.index for c in cols if c.role in ("student_id", "name", "class", "seq")}
    return sorted(own | set(range(min(4, len(cols)))))


_CLASS_LABEL = re.compile(r"班级[:：]\s*([^\s,，;；]*?班(?!主任|长)|[^\s,，;；]+)")
_GRADE_LABEL = re.compile(r"年级[:：]\s*([^\s,，;；]*?年级|[^\s,，;；]+)")


def _labelled_grade(title: str) -> int | None:
    m = _GRADE_LABEL.search(title)
    return parse_grade(m[1]) or parse_grade(m[1] + "年级") if m else None


def _title_class(rows, hdr: int, grade_hint, stop_at_data: bool = False):
    """The class a title row above the header names: a heading (五年级（2）班, also with
    班主任/人数 after it) or a label (班级：3班)."""
    for row in reversed(rows[:hdr]):
        texts = [norm(v) for v in row if isinstance(v, str) and norm(v)]
        numbers = [v for v in row if isinstance(v, (int, float)) and v == v]
        if stop_at_data and (numbers or len(set(texts)) > 2):
            return None
        for text in dict.fromkeys(texts):
            m = _CLASS_LABEL.search(text)
            if m:
                parsed = parse_class(m[1], grade_hint)
                if parsed.number is not None:
                    return parsed
        heading = _rows.heading_class(row, grade_hint)
        if heading is not None:
            return heading
    return None


def _file_class(stem: str, grade_hint):
    """The class a file name names (五(1)班数学成绩), when it names exactly one."""
    text = norm(stem)
    if len(_rows.CLASS_MENTION.findall(text)) != 1:
        return None
    parsed = parse_class(text, grade_hint)
    return parsed if parsed.number is not None else None


def fill_down(values: list[str], missing: list[int],
              breaks: set[int] = frozenset()) -> dict[int, int | None]:
    """For each blank position, the position whose value it continues, or None.

    A blank continues the value above only in a column ordered in blocks (every value one
    unbroken run), as when a class or school is written once per block, and never across a
    break (a blank, statistics or heading row between the two pupils).

    >>> fill_down(["a", "", "b", ""], [1, 3])
    {1: 0, 3: 2}
    >>> fill_down(["a", "b", "", "a"], [2]), fill_down(["a", "", "b"], [1], breaks={1})
    ({2: None}, {1: None})
    """
    written = [v for v in values if v]
    runs = [v for i, v in enumerate(written) if i == 0 or v != written[i - 1]]
    blocks = len(runs) == len(set(runs))
    out: dict[int, int | None] = {}
    for i in sorted(missing):
        source = out.get(i - 1, i - 1) if i - 1 in out else i - 1
        out[i] = (source if blocks and i > 0 and i not in breaks and source is not None
                  and values[source] else None)
    return out


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


def surrogate_id(school: str, class_id: str, name: str) -> str:
    import hashlib

    digest = hashlib.sha1(f"{school}|{class_id}|{name}".encode()).hexdigest()[:10]
    return f"X{digest}"


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
    from ..schema import SCORE_COLUMNS

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
