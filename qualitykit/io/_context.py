"""What a sheet's title rows, its name and the file's name say about all its rows (private).

The exam, the school, the grade, and the class of rows that carry none of their own (a sheet
per class, a title 五年级（2）班, a label 班级：3班, a file named 五(1)班数学成绩). A step of
:class:`~qualitykit.io._sheet.ScoreImport`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._text import norm
from ..classes import parse_class, parse_grade
from . import _rows
from ._cells import blank
from ._headers import pick
from ._pupils import grade_and_class_id
from ._sheet_grid import Sheet
from .problems import where
from .titles import EXAM_KIND, parse_exam, parse_school, parse_sheet_exam


@dataclass
class Context:
    """What the sheet's title, name and the options say about all its rows."""

    exam: str
    school: str
    grade_hint: int | None
    no_class: tuple  # (class_name, parsed, grade, class_id) for rows without a class of their own
    sheet_class: str | None = None  # the class_id the sheet's name gives


def title_text(rows, header_row: int) -> str:
    """The words above the header (title rows), once each."""
    parts: list[str] = []
    for row in rows[:header_row]:
        for v in row:
            t = norm(v)
            if t and t not in parts:
                parts.append(t)
    return " ".join(parts)


class ContextSteps:
    """The context of a sheet and of each later block (a step of ``ScoreImport``)."""

    def _context(self, sheet: Sheet, hdr: int) -> Context:
        """The exam, school, grade and class-for-all-rows of a sheet whose header is ``hdr``."""
        title = title_text(sheet.rows, hdr)
        exam = (self.exam or parse_exam(title) or _file_exam(self.path.stem)
                or parse_sheet_exam(sheet.name) or parse_exam(self.path.stem) or self.path.stem)
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

    def _block_context(self, sheet: Sheet, hdr: int, first: Context) -> Context:
        """A later block: the exam and school of the sheet; the class of its own title rows."""
        no_class = ("", None, first.grade_hint, "")
        heading = _title_class(sheet.rows, hdr, first.grade_hint, stop_at_data=True)
        if heading is not None:
            no_class = (heading.written, heading, *grade_and_class_id(heading, first.grade_hint))
        elif first.no_class[1] is not None and parse_class(sheet.name).number is not None:
            no_class = first.no_class
        return Context(first.exam, first.school, first.grade_hint, no_class, first.sheet_class)

    def _exam_column(self, sheet, cols, data_rows, header_row, context: Context) -> Context:
        """A 考试名称 column in a wide sheet: one exam names the exam; several are refused
        (one pupil's rows per exam cannot share one table row)."""
        col = pick(cols, "exam")
        if col is None:
            return context
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


def _file_exam(stem: str) -> str | None:
    """The exam a file's name gives when it names one (a kind of exam: 期中, 期末 …); a name
    that gives only years or nothing leaves it to the sheet's name (a workbook with a sheet per
    exam, 七年级历次考试成绩.xlsx with 七上期中, 七上期末 …).

    >>> _file_exam("2024-2025学年第一学期七年级期中"), _file_exam("2024-2025学年七年级成绩") is None
    ('2024-2025-1 期中', True)
    """
    exam = parse_exam(stem)
    return exam if exam and EXAM_KIND.search(norm(stem)) else None
