"""Columns and rows of a school's wide score sheet: ids, names, classes, subjects, totals, and
the statistics rows and footers that schools put under their pupils."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence

import numpy as np

from .grid import Column, Formula, SheetBuilder, letter
from .model import Pupil
from .people import Writing, spell


def seq_col(header: str = "序号") -> Column:
    return Column(header, lambda p, k: k, role="seq")


def id_col(header: str | tuple = "学号", *, as_number: bool = False,
           form: Callable[[Pupil], object] | None = None) -> Column:
    def value(p: Pupil, k: int) -> object:
        if form is not None:
            return form(p)
        return int(p.student_id) if as_number else p.student_id
    return Column(header, value, role="id")


def name_col(header: str | tuple = "姓名", *, spaced: bool = False) -> Column:
    """``spaced`` pads two-character names with a space (张 三), as many sheets do."""
    def value(p: Pupil, k: int) -> str:
        return f"{p.name[0]} {p.name[1]}" if spaced and len(p.name) == 2 else p.name
    return Column(header, value, role="name")


def class_col(style: str = "五(1)班", header: str | tuple = "班级") -> Column:
    return Column(header, lambda p, k: spell(p, style), role="class")


def school_col(header: str = "学校") -> Column:
    return Column(header, lambda p, k: p.school, role="school")


def extra_col(header: str | tuple, key: str) -> Column:
    return Column(header, lambda p, k: p.extra.get(key), role="other")


def subject_col(subject: str, rng: np.random.Generator, writing: Writing | None = None,
                header: str | tuple | None = None) -> Column:
    writing = writing or Writing()
    return Column(header or subject, lambda p, k: writing.cell(p.results.get(subject), rng),
                  subject=subject, role="subject")


def sat_scores(pupils: Sequence[Pupil], subject: str) -> list[float]:
    return [p.results[subject].score for p in pupils
            if subject in p.results and p.results[subject].status == "sat"
            and p.results[subject].score is not None]


def total_of(p: Pupil, subjects: Sequence[str]) -> float | None:
    scores = [p.results[s].score for s in subjects
              if s in p.results and p.results[s].status == "sat" and p.results[s].score is not None]
    return float(sum(scores)) if scores else None


def total_col(subjects: Sequence[str], header: str | tuple = "总分") -> Column:
    def value(p: Pupil, k: int) -> object:
        t = total_of(p, subjects)
        return None if t is None else (int(t) if t.is_integer() else t)
    return Column(header, value, role="total")


def rank_col(pupils: Sequence[Pupil], subjects: Sequence[str], header: str | tuple = "班名次",
             within_class: bool = True) -> Column:
    """Competition rank of the total (within the class, or the whole file)."""
    ranks: dict[str, int | None] = {}
    groups: dict[object, list[Pupil]] = {}
    for p in pupils:
        groups.setdefault((p.school, p.class_id) if within_class else 0, []).append(p)
    for group in groups.values():
        totals = {p.student_id: total_of(p, subjects) for p in group}
        ranked = [t for t in totals.values() if t is not None]
        for p in group:
            t = totals[p.student_id]
            ranks[p.student_id] = None if t is None else 1 + sum(u > t for u in ranked)
    return Column(header, lambda p, k: ranks[p.student_id], role="rank")


def formulas_in_column(builder: SheetBuilder, rows: Sequence[int], col: int,
                       subjects: Sequence[str]) -> None:
    """Replace the cells of column ``col`` on ``rows`` by ``=SUM(..)`` over the subject columns."""
    idx = [i for i, c in enumerate(builder.columns) if c.subject in subjects]
    first, last = letter(min(idx)), letter(max(idx))
    for r in rows:
        builder.grid.rows[r - 1][col] = Formula(f"=SUM({first}{r}:{last}{r})")


# --------------------------------------------------------------------------------------------
# statistics rows and footers
# --------------------------------------------------------------------------------------------
def _stat(kind: str, scores: list[float], full: float) -> object:
    if kind == "slash":
        return "/"
    if not scores:
        return "/"
    n = len(scores)
    return {
        "mean": round(statistics.fmean(scores), 2),
        "sum": sum(scores),
        "max": max(scores),
        "min": min(scores),
        "median": statistics.median(scores),
        "std": round(statistics.stdev(scores), 2) if n > 1 else 0,
        "count": n,
        "pass": f"{100 * sum(s >= 0.6 * full for s in scores) / n:.1f}%",
        "excellent": f"{100 * sum(s >= 0.85 * full for s in scores) / n:.1f}%",
        "low": f"{100 * sum(s < 0.4 * full for s in scores) / n:.1f}%",
        "pass_fraction": round(sum(s >= 0.6 * full for s in scores) / n, 4),
    }[kind]


def stat_row(builder: SheetBuilder, pupils: Sequence[Pupil], label: str, kind: str, *,
             label_role: str = "name", full_marks: dict[str, float] | None = None,
             merge_label: bool = False) -> int:
    """A 平均分/合格率/… row: ``label`` in the column of ``label_role``, the statistic of each
    subject's sat scores under it (numbers, "95.2%" texts or "/"). Returns its Excel row."""
    cols = builder.columns
    values: list[object] = [None] * len(cols)
    at = next(i for i, c in enumerate(cols) if c.role == label_role)
    values[at] = label
    subjects = [c.subject for c in cols if c.subject]
    for i, c in enumerate(cols):
        if c.subject:
            full = (full_marks or {}).get(c.subject, 100)
            values[i] = _stat(kind, sat_scores(pupils, c.subject), full)
        elif c.role == "total":
            totals = [t for t in (total_of(p, subjects) for p in pupils) if t is not None]
            values[i] = _stat(kind, totals, 100 * len(subjects))
    excel_row = builder.row(values)
    if merge_label:
        end = at
        spanned = ("id", "name", "class", "seq", "other")
        while end + 1 < len(cols) and cols[end + 1].role in spanned and values[end + 1] is None:
            end += 1
        if end > at:
            builder.merge(excel_row - 1, at, excel_row - 1, end)
    return excel_row


FOOTERS = ("注：缺考学生不计入平均分。", "备注：本表由教务处统一导出。", "制表人：张老师",
           "班主任签字：", "打印日期：2025-01-10", "第1页，共1页")
