"""Give every column of a score sheet its role (private).

From the classified header (:mod:`._headers`): the id, name, class, school and combination
columns; one column per subject (a 赋分 column over its 原始分 partner, an identical copy set
aside, 数学(文)/数学(理) merged, two different columns of one subject an error); level columns;
the sheet's own 总分; and every other column set aside with its reason in the import report.
A step of :class:`~qualitykit.io._sheet.ScoreImport`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .._text import norm
from . import _headers as H
from ._cells import blank, parse_cell
from .problems import column_letter, where

#: The subject name of a sheet's total when it has no subject columns (中考总分 as entry score)
TOTAL = "总分"


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


class ColumnSteps:
    """The layout of a sheet's columns (a step of ``ScoreImport``)."""

    def _layout(self, sheet: str, cols: list[H.Column], data_rows, header_row: int) -> Layout:
        """The role of every column; the columns set aside are reported."""
        picked = {role: H.pick(cols, role) for role in ("student_id", "name", "school",
                                                        "combination")}
        klass = H.pick(cols, "class") or H.pick(cols, "class_code")
        used = {c.index for c in (picked["student_id"], picked["name"], klass, picked["school"])
                if c is not None}
        cols = _raw_partners(cols)
        subjects, levels, aside = _assign_subjects(cols, used, data_rows)
        subjects, aside = self._resolve_duplicates(sheet, subjects, aside, data_rows, header_row)
        subjects, aside = self._without_subjects(sheet, subjects, aside, data_rows, header_row)
        self._report_aside(sheet, aside, data_rows, header_row)
        notes = [c for c, reason in aside if reason in ("remark", "exam_status")]
        layout = Layout(picked["student_id"], picked["name"], klass, picked["school"],
                        picked["combination"], _sum_column(aside), subjects, levels,
                        {norm(c.header) for c in cols if c.header}, notes)
        if layout.id is None:
            self.problems.add(sheet, header_row, None, "", "",
                              "表中没有学号/考号列 (no student_id column)",
                              "用学校+班级+姓名生成代用编号 (surrogate id)，见每行的提醒；建议补上学号列",
                              "warning")
        return layout

    def _without_subjects(self, sheet, subjects, aside, data_rows, header_row):
        """A sheet whose subject columns are all empty (read as absent, an error when it has
        pupils) or that has only a 总分 column (read as the subject 总分)."""
        totals = [c for c, reason in aside if reason in ("total", "entry")]
        if not subjects and not totals:  # every subject column is empty
            empty = [c for c, reason in aside if reason == "empty_subject"]
            subjects = {c.subject: c for c in reversed(empty)}
            aside = [(c, r) for c, r in aside if c not in empty]
            if any(not blank(v) for row in data_rows for v in row):
                self.problems.add(
                    sheet, header_row, None, "", "",
                    f"{where(self.file, sheet, header_row)}：工作表有学生，但所有科目列都是空的 "
                    "(no scores in any subject column)。请填入成绩，或删除这个工作表、用 sheet= 指定要读的工作表。",
                    "各科记为缺考", "error")
        if not subjects:  # a sheet of totals only (e.g. 中考总分 as entry score)
            total = totals[0]
            aside = [(c, r) for c, r in aside if c is not total]
            subjects[TOTAL] = H.Column(total.index, total.header, "score", TOTAL)
            self.problems.add(
                sheet, header_row, total.index, total.header, total.header,
                f"表中没有单科成绩列，只有“{total.header}”(total only)",
                f"按科目“{TOTAL}”导入该列" + ("" if TOTAL in self.full_marks else
                                             "；满分未知，未检查上限（可用 full_marks={'总分': 满分}）"),
                "info")
        return subjects, aside

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
        """Every column set aside, with its reason; an unknown column full of numbers is a
        warning (a subject whose header is not recognised?)."""
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
