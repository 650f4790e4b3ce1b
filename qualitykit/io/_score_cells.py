"""Read the score cells of a sheet's pupils (private).

Each subject column is read in bulk (numbers as typed taken as they are, every other cell parsed
once); a blank is an absence or a subject not taken (electives, 7选3, one of several foreign
languages); cells that are wrong in their column (levels among scores, shares such as 0.85, a
score above the full mark) are errors with their place; and the sheet's own 总分 is checked
against the subjects read. A step of :class:`~qualitykit.io._sheet.ScoreImport`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_

import numpy as np
import pandas as pd

from .._text import norm
from ..subjects import COMBINATION_CHARS
from ._cells import STATUS_CODE, Cell, SpecialCell, parse_cell, taken_cells
from ._columns import TOTAL, Layout
from ._pupils import Students
from .problems import where

DEFAULT_FULL_MARK = 100.0
#: A 0 is questioned when the pupil's other subjects average at least this share of their full
#: marks (a pupil who scores 30 % elsewhere rarely scores nothing: an absence typed as 0?).
LONE_ZERO_SHARE = 0.3
FOREIGN_LANGUAGES = ("英语", "日语", "俄语", "外语")
#: Subjects of which a pupil takes only some: 7选3 / 3+1+2 electives, 理综 or 文综
ELECTIVE_GROUPS = (("物理", "化学", "生物", "政治", "历史", "地理", "技术"), ("理科综合", "文科综合"))
SEVERE_STATUS_NOTES = {
    "not_scanned": "试卷未扫描（not_scanned），不计入统计；请与阅卷系统核实该生是否参考",
    "cheated": "作弊（cheated），不计入统计",
    "excluded": "表中注明剔除/不计（excluded），不计入统计",
}
_CELL_FIX = "请改为数字分数，或缺考写“缺考”、请假写“请假”、未选考写“N”"


class CellSteps:
    """The score cells of a block's pupils, and the sheet's 总分 (a step of ``ScoreImport``)."""

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
        itself: nearly every pupil has the same number of them filled (or one of two adjacent
        numbers: a school where nobody took one of them, its column empty or absent), fewer
        than there are. A sheet of fewer than five pupils (one school's sheet of a 联考
        workbook) follows an earlier sheet of the file. A blank there is a subject not taken,
        not an absence (said in the report)."""
        found: set[str] = set()
        for group in ELECTIVE_GROUPS:
            present = [s for s in group if s in has_value]
            if len(present) < 2:
                continue
            if any_value.sum() < 5:
                taken = set(present) & self.electives_seen
                found |= taken
                if taken:
                    self._electives_note(sheet, present, "与前面的工作表相同")
                continue
            counts = sum(has_value[s].astype(int) for s in present)[any_value]
            usual = _usual_counts(counts)
            if usual and usual[0] >= 1 and usual[-1] < len(present):
                found |= set(present)
                self.electives_seen |= set(present)
                self._electives_note(
                    sheet, present, f"几乎每个学生只有其中 {'–'.join(map(str, usual))} 科有成绩")
        return found

    def _electives_note(self, sheet, present, why) -> None:
        self.problems.add(
            sheet, None, None, "", "、".join(present),
            f"{'、'.join(present)}：{why}，按选考科目处理 (electives detected)",
            "空白记为未选考（not_taken），不算缺考；选了却缺考的请写“缺考”", "info")

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
        """A column of shares (every value ≤ 1): one error for the column."""
        self.problems.add(
            sheet, students.excel_rows[0] if students.excel_rows else None, c.index, c.header, "",
            f"{where(self.file, sheet, None, c.index, c.header)}：{subject} 这一列的 {n} 个数值都不超过 1"
            f"（如 0.485），像是得分率或百分比格式，不是分数 (values look like shares, full mark "
            f"is not 1)。请换成原始分数后再导入。", "整列记为无效（invalid），不计入统计", "error")

    # ---- the sheet's own 总分 --------------------------------------------------------------
    def _check_totals(self, sheet, data_rows, layout: Layout, students: Students, scores,
                      frames) -> None:
        """Warn where the sheet's 总分 differs from the sum of the subjects read (rows where
        every subject the pupil took has a score: an elective he did not take, 7选3 or 3+1+2,
        counts as taken care of); many differing rows are one warning for the column."""
        col = layout.total
        if col is None or not scores or TOTAL in scores:
            return
        table = np.column_stack(list(scores.values()))
        taken = taken_cells(frames, len(table))
        complete = (~np.isnan(table) | ~taken).all(axis=1) & (~np.isnan(table)).any(axis=1)
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


    # ---- a 0 beside ordinary scores ---------------------------------------------------------
    def _check_lone_zeros(self, sheet, layout: Layout, students: Students, scores) -> None:
        """Warn where a pupil has 0 in a subject but ordinary scores in the others (on average
        at least :data:`LONE_ZERO_SHARE` of their full marks): usually an absence typed as 0.
        The 0 stays a score; many such cells in one column are one warning for the column."""
        subjects = [s for s in layout.subjects if s != TOTAL and s in scores]
        if len(subjects) < 2:
            return
        full = np.array([self.full_marks.get(s) or layout.subjects[s].full_mark
                         or DEFAULT_FULL_MARK for s in subjects], dtype=float)
        table = np.column_stack([scores[s] for s in subjects]) / full
        zero = table == 0
        with np.errstate(invalid="ignore"):
            others = (np.nansum(table, axis=1, keepdims=True) - table) / (
                (~np.isnan(table)).sum(axis=1, keepdims=True) - 1)
        lone = zero & (others >= LONE_ZERO_SHARE)
        for j in np.flatnonzero(lone.any(axis=0)).tolist():
            self._lone_zeros(sheet, subjects[j], layout.subjects[subjects[j]], students,
                             np.flatnonzero(lone[:, j]).tolist(), others[:, j])

    def _lone_zeros(self, sheet, subject, c, students: Students, rows: list[int], others) -> None:
        action = "按 0 分计入统计（请核对）"
        if len(rows) > 10 and len(rows) > 0.2 * len(students.ids):
            self.problems.add(
                sheet, None, c.index, c.header, "0",
                f"{where(self.file, sheet, None, c.index, c.header)}：{len(rows)} 名学生{subject} 为 0 分，"
                "而他们其他科目有正常成绩 (zeros beside ordinary scores)：这一科是否没有考，或成绩没有录入？"
                "没有考的请把这一列删去或写“缺考”后重新导入。", action, "warning")
            return
        for i in rows:
            r = students.excel_rows[i]
            self.problems.add(
                sheet, r, c.index, c.header, "0",
                f"{where(self.file, sheet, r, c.index, c.header)}：{subject} 为 0 分，而该生其他科目平均"
                f"得分率 {others[i]:.0%} (a 0 beside ordinary scores: absence not marked?)：可能是缺考"
                "没有标注。如是缺考，请在该格写“缺考”后重新导入，否则这个 0 分会计入平均分和及格率。",
                action, "warning")


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
        self.filled = is_number.copy()
        self.score_mask = is_number.copy()
        self.level_mask = np.zeros(n, dtype=bool)
        text = np.fromiter(map(is_, types, repeat(str)), bool, n) & ~is_number
        self.other: dict[int, Cell] = self._texts(values, np.flatnonzero(text))
        for i in np.flatnonzero(~is_number & ~text):  # blanks, markers of other types, errors
            self.other[int(i)] = self._flag(int(i), parse_cell(values[i]))

    def _flag(self, i, cell: Cell) -> Cell:
        """Record what cell ``i`` (or the cells ``i``, an array) holds: filled, a score, a level."""
        self.filled[i] = cell.status != "blank"
        self.score_mask[i] = cell.score is not None and cell.status == "sat"
        self.level_mask[i] = cell.level is not None
        if cell.score is not None and cell.status == "sat":
            self.number[i] = cell.score
        return cell

    def _texts(self, values: list, where: np.ndarray) -> dict[int, Cell]:
        """The text cells at ``where``: each distinct text parsed once (a CSV column holds a
        few hundred distinct scores over 100,000 rows)."""
        if not len(where):
            return {}
        codes, distinct = pd.factorize(np.array([values[i] for i in where], dtype=object))
        cells = [parse_cell(text) for text in distinct]
        sat = np.array([c.score is not None and c.status == "sat" for c in cells])[codes]
        self.filled[where] = np.array([c.status != "blank" for c in cells])[codes]
        self.level_mask[where] = np.array([c.level is not None for c in cells])[codes]
        self.score_mask[where] = sat
        scores = np.array([c.score if c.score is not None else np.nan for c in cells], float)
        self.number[where[sat]] = scores[codes][sat]
        return dict(zip(where.tolist(), map(cells.__getitem__, codes.tolist())))

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
        """The status of pupil ``i``'s blank cell in ``subject``: absent or not_taken."""
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


def _combination(value: object) -> set[str] | None:
    """The subjects a 选科组合 cell names (物化生 → 物理, 化学, 生物); None when it names none."""
    text = norm(value)
    if not text:
        return None
    chosen = {COMBINATION_CHARS[ch] for ch in text if ch in COMBINATION_CHARS}
    return chosen or None


def _usual_counts(counts: np.ndarray) -> list[int]:
    """The number of subjects (of a group) that at least 80 % of the pupils have filled: one
    number, or two adjacent ones (2 or 3 of them); empty when there is no such pattern."""
    values, freq = np.unique(counts, return_counts=True)
    order = np.argsort(freq, kind="stable")[::-1]
    if freq[order[0]] >= 0.8 * len(counts):
        return [int(values[order[0]])]
    if len(order) > 1 and abs(int(values[order[0]]) - int(values[order[1]])) == 1 \
            and freq[order[:2]].sum() >= 0.8 * len(counts):
        return sorted(int(v) for v in values[order[:2]])
    return []

