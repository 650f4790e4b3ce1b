"""Read the pupils of a score sheet: which rows are pupils, and their id, name, school, class.

Rows are told apart here (pupils, empty rows, statistics, footers, repeated headers, class
headings); ids are written out in full (Excel's numbers and 1.0E+05), surrogate ids made
where a sheet has none, duplicates refused; classes are read from the class column, a heading,
the sheet's name, the title or the roster, and a class (or school) written once per block is
filled down where that is certain. A step of :class:`~qualitykit.io._sheet.ScoreImport`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass, field
from itertools import repeat

import pandas as pd

from .._text import norm, norm_all
from ..classes import ClassName, parse_class
from . import _rows
from ._cells import SpecialCell, blank, parse_cell
from ._columns import Layout
from .problems import where

SECONDARY_SUBJECTS = {"物理", "化学", "生物", "历史", "地理", "政治"}


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
class _Identity:
    """The identity cells of a block's rows as read: ids, names, schools, the raw class cells
    and what each distinct class cell means (its :func:`class_info`)."""

    sids: list[str]
    names: list[str]
    schools: list[str]
    raw_classes: list
    classes: dict


def grade_and_class_id(parsed, grade_hint: int | None) -> tuple[int | None, str]:
    """The grade and class id of a parsed class name (the hint fills a missing grade).

    >>> grade_and_class_id(parse_class("二班"), 5), grade_and_class_id(None, 5)
    ((5, '5-2'), (5, ''))
    """
    if parsed is None:
        return grade_hint, ""
    g = parsed.grade if parsed.grade is not None else grade_hint
    class_id = parsed.class_id
    if parsed.grade is None and g is not None and parsed.number:
        class_id = f"{g}-{parsed.number}"
    return g, class_id


def class_info(raw, grade_hint) -> tuple:
    """(class_name, parsed, grade, class_id) of a class cell.

    A class typed as 5-1 that Excel turned into a date (5月1日) is read as 5-1.

    >>> class_info(_dt.date(2025, 5, 1), None)[2:]
    (5, '5-1')
    """
    if isinstance(raw, (_dt.date, _dt.datetime)):
        raw = f"{raw.month}-{raw.day}"
    parsed = parse_class(raw, grade_hint)
    return (norm(raw), parsed, *grade_and_class_id(parsed, grade_hint))


def surrogate_id(school: str, class_id: str, name: str) -> str:
    """The id of a pupil on a sheet without ids: ``X`` and a hash of school, class and name."""
    digest = hashlib.sha1(f"{school}|{class_id}|{name}".encode()).hexdigest()[:10]
    return f"X{digest}"


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


def _column_values(data_rows, col) -> list:
    return [None] * len(data_rows) if col is None else [r[col.index] for r in data_rows]


class PupilSteps:
    """The pupils of a block of rows (a step of ``ScoreImport``)."""

    def _read_students(self, sheet, data_rows, first_excel_row, layout: Layout,
                       context, specials: int = 1) -> Students:
        """The pupil rows of a block and their identity, every other row reported."""
        raws = [_column_values(data_rows, c) for c in (layout.id, layout.name, layout.klass)]
        if specials:
            for raw, col in zip(raws, (layout.id, layout.name, layout.klass)):
                self._special_identity(sheet, raw, col, first_excel_row, data_rows)
        raw_ids, raw_names, raw_classes = raws
        sids = self._student_ids(sheet, raw_ids, first_excel_row, layout.id)
        names = [name.lstrip("'‘’") for name in norm_all(raw_names)]
        schools = (norm_all(_column_values(data_rows, layout.school))
                   if layout.school is not None else [""] * len(data_rows))
        classes = {raw: class_info(raw, context.grade_hint)
                   for raw in dict.fromkeys(raw_classes) if not blank(raw)}
        self._date_classes(sheet, raw_classes, classes, layout.klass, first_excel_row)
        self._coded_classes(sheet, classes, layout, context)
        rows = _Identity(sids, names, schools, raw_classes, classes)
        school_column = layout.school is not None and any(schools)
        if (self._clean(sids, names, raw_classes, classes, layout, context)
                and not (school_column and not all(schools))):
            students = self._whole_columns(sheet, rows, first_excel_row, layout, context)
        else:
            students = self._row_by_row(sheet, data_rows, rows, first_excel_row, layout,
                                        context)
        self._check_students(sheet, data_rows, raw_classes, students, layout, context)
        return students

    def _whole_columns(self, sheet, rows: _Identity, first_excel_row, layout,
                       context) -> Students:
        """A clean sheet (see :meth:`_clean`): every row a pupil, the columns taken whole."""
        n = len(rows.sids)
        infos = [rows.classes.get(raw, context.no_class) for raw in rows.raw_classes]
        students = Students()
        students.pos, students.ids, students.names = list(range(n)), rows.sids, rows.names
        students.schools = [school or context.school for school in rows.schools]
        students.class_names = [info[0] for info in infos]
        students.grades = [info[2] for info in infos]
        students.class_ids = [info[3] for info in infos]
        students.excel_rows = list(range(first_excel_row, first_excel_row + n))
        self.seen_ids.update(zip(rows.sids, zip(repeat(sheet), students.excel_rows)))
        if not any(students.class_ids):
            self._fill_classes(sheet, students, list(range(n)), layout, context)
        return students

    def _row_by_row(self, sheet, data_rows, rows: _Identity, first_excel_row, layout,
                    context) -> Students:
        """Each row judged alone: pupils kept, other rows reported; classes and schools
        written once per block filled down."""
        students = Students()
        school_column = layout.school is not None and any(rows.schools)
        heading = None
        unclassed: list[int] = []  # positions in students of pupils with no class yet
        schoolless: list[int] = []
        breaks: set[int] = set()  # pupils right after a blank, statistics or heading row
        after_break = False
        for pos, row in enumerate(data_rows):
            excel_row = first_excel_row + pos
            sid, name = rows.sids[pos], rows.names[pos]
            kind = self._row_kind(sheet, row, excel_row, sid, name, layout, context)
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
            klass = rows.classes.get(rows.raw_classes[pos]) or heading or context.no_class
            school = rows.schools[pos] or ("" if school_column else context.school)
            klass, school = self._roster_class(sheet, excel_row, sid, klass, school, layout,
                                               context)
            sid = self._identity(sheet, excel_row, sid, name, school, klass, layout)
            if sid is None:
                students.skipped += 1
                continue
            if not klass[3]:
                unclassed.append(len(students.ids))
            if not school and school_column:
                schoolless.append(len(students.ids))
            students.add(pos, sid, name, school, klass, excel_row)
        self._fill_classes(sheet, students, unclassed, layout, context, breaks)
        self._fill_schools(sheet, students, schoolless, layout, breaks)
        return students

    def _check_students(self, sheet, data_rows, raw_classes, students, layout, context) -> None:
        """Checks on the pupils as read: classes typed as decimals, a class column that
        contradicts the sheet's name, statuses written in 备注 or after the name."""
        self._decimal_classes(sheet, raw_classes, students, layout)
        self._sheet_class_conflict(sheet, students, layout, context)
        self._collect_hints(data_rows, students, layout)

    # ---- ids ----------------------------------------------------------------------------
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
            return self._seen_before(sheet, excel_row, sid, col)
        self.seen_ids[sid] = (sheet, excel_row)
        return sid

    def _seen_before(self, sheet, excel_row, sid, col) -> str | None:
        """An id met before: in another sheet, decided once every sheet is read (a copy, or an
        error); in this sheet, an error and the row is skipped (None)."""
        first_sheet, first_row = self.seen_ids[sid]
        if first_sheet != sheet:
            self.cross.append((sheet, excel_row, sid, first_sheet, first_row, col.index,
                               col.header))
            return sid
        self.problems.add(
            sheet, excel_row, col.index, col.header, sid,
            f"{where(self.file, sheet, excel_row, col.index, col.header)}：学号 {sid} 重复 "
            f"(duplicated student_id)，与工作表「{first_sheet}」第 {first_row} 行相同。"
            "请核对学号，同一学生只保留一行。", "已跳过此行（保留第一次出现的行）", "error")
        return None

    # ---- rows that are not pupils -------------------------------------------------------
    def _row_kind(self, sheet, row, excel_row, sid, name, layout: Layout, context):
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
        """A row without an id or a name: skipped (a title, a note, scores of nobody — an
        error) or, with an id and no name, a pupil with a warning."""
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

    # ---- classes and schools ------------------------------------------------------------
    def _roster_class(self, sheet, excel_row, sid, klass, school, layout, context):
        """The roster's class (and school) for a pupil whose row has none."""
        if self.roster is None or not sid:
            return klass, school
        index = self._roster_index()
        if sid not in index.index:
            self.problems.add(sheet, excel_row, layout.id.index if layout.id else None,
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

    def _date_classes(self, sheet, raw_classes, classes, col, first_excel_row) -> None:
        """Class cells Excel turned into dates (5-1 → 5月1日): read back, with a warning."""
        for raw, info in classes.items():
            if isinstance(raw, (_dt.date, _dt.datetime)):
                r = first_excel_row + raw_classes.index(raw)
                self.problems.add(
                    sheet, r, col.index, col.header, str(raw),
                    f"{where(self.file, sheet, r, col.index, col.header)} 等行的班级被 Excel 识别成了日期"
                    f"（{raw.month}月{raw.day}日）(class stored as a date)",
                    f"已按班级 {info[0]} 读取；请把班级列设为“文本”格式", "warning")

    def _coded_classes(self, sheet, classes: dict, layout: Layout, context) -> None:
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
