"""Read a county 成绩通报表 (positions of classes or teachers) and a table of teachers' outside
scores (教学常规检查得分, 问卷) the same way as every other sheet: the file is sniffed, the header
found among title rows, statistics and footer rows set aside, and every row that is not read
listed in the import report with its place and what to do.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._text import norm
from ..classes import parse_grade
from ..subjects import canonical_subject
from . import _headers as H
from ._cells import blank
from ._context import title_text
from ._grid import is_instruction_sheet, read_grids, select_sheets
from ._pupils import class_info
from ._rows import is_footer_text, is_stats_text
from .problems import (
    ImportReport,
    Problems,
    ScoreFileError,
    raise_if_errors,
    sheet_info,
    where,
)
from .titles import parse_school

__all__ = ["RANKING_COLUMNS", "read_rankings", "read_teacher_scores"]

PathLike = str | os.PathLike

#: The columns of :func:`read_rankings`.
RANKING_COLUMNS = ["school", "grade", "subject", "class_id", "class_name", "teacher", "rank",
                   "n_ranked"]
#: Header words of the number of units ranked (参评数).
_COUNT_WORDS = re.compile(r"^(参评|参与评比|参加评比|评比|参比)(数|单位数|班数|班级数|人数|个数|总数)?$"
                          r"|^(班级|单位)总数$")


def _count_column(cols: list[H.Column]) -> H.Column | None:
    return next((c for c in cols if _COUNT_WORDS.match(norm(c.header))), None)


def _accept_rankings(cols: list[H.Column]) -> bool:
    roles = {c.role for c in cols}
    return ("rank" in roles and "subject_name" in roles and _count_column(cols) is not None
            and bool(roles & {"teacher", "class", "class_code"}))


def _accept_teacher_scores(cols: list[H.Column]) -> bool:
    return any(c.role == "teacher" for c in cols)


@dataclass
class _Reading:
    """What one file's reading collects: its problems and one row of the report per sheet."""

    file: str
    problems: Problems
    sheets: list[dict] = field(default_factory=list)
    seen: dict = field(default_factory=dict)


def _data_rows(path: Path, sheet, accept, what: str, need: str):
    """Each used sheet with its header, as ``(sheet, header row, depth, columns, info)``."""
    grids, _ = read_grids(path)
    found_any = []
    reading = _Reading(path.name, Problems(path.name))
    for grid in select_sheets(grids, sheet, path.name):
        info = sheet_info(path.name, grid.name)
        skip = sheet is None and (grid.hidden or is_instruction_sheet(grid.name))
        found = None if skip else H.find_header(grid, accept)
        reading.sheets.append(info)
        if found is None:
            info["note"] = "隐藏或说明类工作表，或未找到表头，已跳过"
            continue
        found_any.append((grid, *found, info))
    if not found_any:
        raise ScoreFileError(f"文件 {path.name} 中没有找到{what}：表头需要{need}。请检查表头文字。",
                             file=path.name)
    return found_any, reading


def _number(text: str) -> float | None:
    try:
        return float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        return None


def read_rankings(path: PathLike, *, sheet: str | int | None = None, grade: int | None = None,
                  school: str | None = None, strict: bool = True) -> pd.DataFrame:
    """Read a county 成绩通报表: one row per class (or teacher) × subject with its 位次.

    The header needs 科目, 位次 (or 名次), 参评数 (参评单位数, 参评班数 …) and 教师 or 班级;
    学校 and 年级 are read when present (else taken from the title, the sheet or file name,
    or ``school``/``grade``).

    Parameters
    ----------
    path : str or path
        The 通报 file (.xlsx/.xls/.csv, as for :func:`qualitykit.read_scores`).
    sheet : name or index, optional
        Read only this sheet.
    grade, school : optional
        When neither the table nor its title says.
    strict : bool
        Raise :class:`qualitykit.ScoreFileError` when a row cannot be read (default); otherwise
        such rows are left out (they are in the import report either way).

    Returns
    -------
    DataFrame
        :data:`RANKING_COLUMNS`: ``school``, ``grade`` (Int64), ``subject``, ``class_id``,
        ``class_name``, ``teacher``, ``rank`` (位次, 1 = first), ``n_ranked`` (参评数).
        ``attrs["report"]`` holds the :class:`qualitykit.ImportReport`.
    """
    path = Path(path)
    found, reading = _data_rows(path, sheet, _accept_rankings, "成绩通报表 (ranking sheet)",
                                "“科目”“位次”“参评数”以及“教师”或“班级”列")
    rows = []
    for grid, hdr, depth, cols, info in found:
        title = title_text(grid.rows, hdr)
        context = {"grade": grade or parse_grade(grid.name) or parse_grade(title)
                   or parse_grade(path.stem),
                   "school": school or parse_school(title) or ""}
        picked = {role: H.pick(cols, role) for role in
                  ("school", "grade", "subject_name", "class", "class_code", "teacher", "rank")}
        picked["n_ranked"] = _count_column(cols)
        got = [_ranking_row(reading, grid.name, hdr + depth + 1 + i, row, picked, context)
               for i, row in enumerate(grid.rows[hdr + depth:]) if not all(blank(v) for v in row)]
        rows += [r for r in got if r is not None]
        info.update(header_row=hdr + 1, rows_imported=sum(r is not None for r in got),
                    rows_skipped=sum(r is None for r in got), used=True)
    table = pd.DataFrame(rows, columns=RANKING_COLUMNS).astype({"grade": "Int64"})
    report = ImportReport(problems=reading.problems.frame(), sheets=pd.DataFrame(reading.sheets))
    raise_if_errors(report, path, strict, what="成绩通报表")
    if table.empty:  # every row skipped: an empty 位次奖 would look like a result
        raise ScoreFileError(f"文件 {path.name} 的成绩通报表中没有读到任何一行位次："
                             "请检查表头下面是否有各班（或教师）的科目、位次和参评数。", file=path.name)
    table.attrs["report"] = report  # without its data: a table in its own attrs would recurse
    return table


def _ranking_row(reading: _Reading, sheet: str, excel_row: int, row: list, picked: dict,
                 context: dict) -> dict | None:
    """One row of a 通报 sheet as a record; None (and a problem in the report) otherwise."""
    rec = {k: norm(row[c.index]) if c is not None and c.index < len(row) else ""
           for k, c in picked.items()}
    label = " ".join(v for v in rec.values() if v)
    texts = [norm(v) for v in row if not blank(v)]
    if any(is_stats_text(v, bands=False) or is_footer_text(v) for v in texts if not _number(v)):
        reading.problems.add(sheet, excel_row, None, "", label,
                             "不是通报行（统计行或表尾）(not a record)", "已跳过此行", "info")
        return None
    raw_grade = rec["grade"]
    grade = int(raw_grade) if raw_grade.isdigit() else parse_grade(raw_grade) or context["grade"]
    raw_class = rec["class"] or rec["class_code"]
    class_name, _, grade, class_id = class_info(raw_class, grade) if raw_class \
        else ("", None, grade, "")
    rank, n_ranked = _number(rec["rank"]), _number(rec["n_ranked"])
    subject = canonical_subject(rec["subject_name"]) or rec["subject_name"]
    problem = _ranking_problem(rec, subject, rank, n_ranked)
    if problem:
        reading.problems.add(sheet, excel_row, None, "", label,
                             f"{where(reading.file, sheet, excel_row)}：{problem}", "已跳过此行",
                             "error")
        return None
    record = {"school": rec["school"] or context["school"], "grade": grade, "subject": subject,
              "class_id": class_id, "class_name": class_name, "teacher": rec["teacher"],
              "rank": int(rank), "n_ranked": int(n_ranked)}
    key = tuple(str(record[k]) for k in ("school", "grade", "subject", "class_id", "teacher"))
    if key in reading.seen:  # paid twice otherwise
        reading.problems.add(sheet, excel_row, None, "", label,
                             f"{where(reading.file, sheet, excel_row)}：与第 {reading.seen[key]} 行重复"
                             "（同一学校、年级、科目、班级、教师）(duplicated row)。请删除重复行。",
                             "已跳过此行", "error")
        return None
    reading.seen[key] = excel_row
    return record


def _ranking_problem(rec: dict, subject: str, rank, n_ranked) -> str | None:
    """What is wrong with a 通报 row, in Chinese (None when nothing)."""
    if not subject or not (rec["teacher"] or rec["class"] or rec["class_code"]):
        return "缺少科目，或教师和班级都没有填写 (subject, teacher/class)。请补全。"
    if n_ranked is None or n_ranked != int(n_ranked) or n_ranked < 1:
        return f"参评数“{rec['n_ranked']}”应为正整数 (n_ranked)。请填写参加评比的单位数。"
    if rank is None or rank != int(rank) or not 1 <= rank <= n_ranked:
        return (f"位次“{rec['rank']}”应为 1 到参评数 {int(n_ranked)} 之间的整数 (rank)。"
                "请核对通报表。")
    return None


def read_teacher_scores(path: PathLike, *, sheet: str | int | None = None,
                        strict: bool = True) -> pd.DataFrame:
    """Read the school's own scores of its teachers (教学常规检查得分, 问卷 …): one row per teacher.

    The header needs a 教师 column; every other column whose cells are numbers becomes a
    score named by its header (学校 and 科目 are kept as keys when present).

    Returns
    -------
    DataFrame
        ``teacher`` (``school``, ``subject`` when given) and one float column per score.
    """
    path = Path(path)
    found, reading = _data_rows(path, sheet, _accept_teacher_scores, "教师评分表 (teacher scores)",
                                "“教师”列")
    frames = []
    for grid, hdr, depth, cols, info in found:
        frame = _teacher_score_frame(grid.rows[hdr + depth:], cols)
        info.update(header_row=hdr + 1, rows_imported=len(frame), used=True)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    if "subject" in table:
        table["subject"] = table["subject"].map(lambda s: canonical_subject(s) or s)
    report = ImportReport(problems=reading.problems.frame(), sheets=pd.DataFrame(reading.sheets),
                          data=table)
    raise_if_errors(report, path, strict)
    return table


#: Columns of a teacher-score sheet kept as keys; other named columns of numbers are scores.
_SCORE_KEYS = {"teacher": "teacher", "school": "school", "subject_name": "subject"}
_NOT_SCORES = {"seq", "school_code", "grade", "class", "class_code", "student_id", "name",
               "gender", "remark", "teacher_id", "rank"}


def _teacher_score_frame(body: list[list], cols: list[H.Column]) -> pd.DataFrame:
    """The rows under the header as ``teacher`` (``school``, ``subject``) and score columns;
    statistics and footer rows left out."""
    body = [r for r in body if not all(blank(v) for v in r)]

    def cells(index: int) -> list[str]:
        return [norm(r[index]) if index < len(r) else "" for r in body]

    data = {_SCORE_KEYS[c.role]: cells(c.index) for c in cols if c.role in _SCORE_KEYS}
    for c in cols:
        if c.role in _SCORE_KEYS or c.role in _NOT_SCORES or not norm(c.header):
            continue
        values = [_number(v) for v in cells(c.index)]
        if any(v is not None for v in values):
            data[norm(c.header)] = [float("nan") if v is None else v for v in values]
    frame = pd.DataFrame(data)
    keep = frame["teacher"].ne("") & ~frame["teacher"].map(
        lambda t: is_stats_text(t) or is_footer_text(t))
    return frame[keep].reset_index(drop=True)
