"""What notes on a score sheet say about pupils' sittings (private).

A 备注 or 考试状态 cell, or a mark after the name (张三(缺考)), can say a pupil was absent,
on leave or is not to be counted: the pupil's 0 or blank takes that status. A note saying a
colour marks a status (黄色表示缺考) is an error, since colours are not read. A step of
:class:`~qualitykit.io._sheet.ScoreImport`.
"""

from __future__ import annotations

import numpy as np

from .._text import norm
from . import _rows
from ._cells import STATUS_CODE, taken_cells
from ._columns import TOTAL, Layout
from ._grid import filled_cells
from ._pupils import Students
from .problems import where

STATUS_LABELS = {"absent": "缺考", "excused": "请假/免考", "transferred": "转学", "cheated": "作弊",
                 "excluded": "不计入统计"}


class NoteSteps:
    """Statuses written in notes, and colours said to mark them (a step of ``ScoreImport``)."""

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

    def _zero_rows(self, sheet, frames: list, scores: dict, students: Students) -> None:
        """A pupil with 0 in every subject of the sheet he took (two or more; electives he did
        not take aside) did not sit the exam: the row an export keeps for a pupil on the roster
        (缺考, 休学, 借读). Every 0 becomes absent, reported per row (a sheet with many: once,
        listing the rows)."""
        numeric = [s for s in scores if s != TOTAL]
        if len(numeric) < 2:
            return
        table = np.column_stack([scores[s] for s in numeric])
        taken = taken_cells(frames, len(table))[:, [list(scores).index(s) for s in numeric]]
        zero = table == 0  # an elective the pupil did not take (3+1+2) is no score
        rows = np.flatnonzero((zero | ~taken).all(axis=1) & (zero.sum(axis=1) >= 2)).tolist()
        if not rows:
            return
        where_in = [{int(i): k for k, i in enumerate(f[0])} for f in frames]
        for i in rows:
            self._hint_cells(frames, where_in, scores, i, "absent", ())
        action = "各科记为缺考（absent），不计入参考人数和各项统计"
        fix = "如确实参加了考试，请核对成绩；如是缺考，最好在成绩格写“缺考”。"
        excel_rows = [students.excel_rows[i] for i in rows]
        if len(rows) > 20:
            shown = "、".join(str(r) for r in excel_rows[:20])
            self.problems.add(
                sheet, None, None, "", "0",
                f"{where(self.file, sheet, None)}：第 {shown} 等 {len(rows)} 行的学生各科都是 0 分 "
                f"(every subject 0: did not sit)。{fix}", action, "warning")
            return
        for i, r in zip(rows, excel_rows):
            self.problems.add(
                sheet, r, None, "", "0",
                f"{where(self.file, sheet, r)}：{students.names[i] or students.ids[i]} 各科都是 0 分 "
                f"(every subject 0: did not sit)。{fix}", action, "warning")

    def _hint_cells(self, frames, where_in, scores, i, status, named):
        """Give pupil ``i``'s cells the status of a note; (subjects changed, (subject, score)
        of the scores the note contradicts)."""
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
