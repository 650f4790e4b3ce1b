"""Read item-level (小题) scores into the canonical item table.

Marking systems export item scores in three shapes, all read here with the score importer's
rules (every row is in the data or in the import report; errors name file, sheet, Excel row
and column, and say how to fix the sheet):

* **wide**: one row per student, one column per item (第1题, 1, T1, 17(2), 选择3, ``1(2分)``);
  the items' 满分, 知识点, 题型 and 答案 in a second sheet (小题信息: 题号, 满分 …), in rows
  right under the header (a row starting 满分 / 分值 / 知识点 / 题型 / 答案), in the header
  itself (``1(2分)``) or given with ``info=``;
* **long**: one row per student × item (学号, 题号, 得分);
* **raw answers**: the letters students chose (A–E, ``ABD`` for multiple answers) in a
  multiple-choice column, scored here against the key (答案 in the info, or ``key=``): the
  item's full mark when the answer equals the key, else 0. A blank answer of a student who
  sat the paper is scored 0 and kept as option ``""`` (未作答).

A blank *score* cell stays missing (NaN) and is listed in the report; how the analysis treats
it is chosen there (:func:`qualitykit.item_analysis`, ``missing=``). A student with no item
score at all, or marked 缺考 / 请假 …, did not sit the paper: the row is reported, not imported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..classes import parse_class, parse_grade
from ..subjects import SUBJECT_ALIASES, canonical_subject
from .._text import norm
from . import _headers as H
from ._cells import MARKERS, NUMBER_RE
from ._grid import read_grids
from ._headers import HEADER_SEARCH_ROWS
from ._rows import is_footer_text, is_stats_text
from ._sheet import Problems as _Problems
from ._sheet import blank as _blank
from ._sheet import check_grade as _check_grade
from ._sheet import grade_and_class_id as _grade_and_class_id
from ._sheet import pick as _pick
from ._sheet import where as _where
from .problems import ImportReport, ScoreFileError, error_message
from .scores import select_sheets
from .scores import sheet_info as _sheet_info
from .titles import parse_exam, parse_school

__all__ = ["read_items", "check_items", "item_table", "ITEM_COLUMNS"]

PathLike = str | os.PathLike

ITEM_COLUMNS = ["student_id", "name", "school", "grade", "class_id", "class_name", "exam",
                "subject", "item_id", "score", "item_max", "knowledge_point", "item_type",
                "option", "key", "source_file", "source_sheet", "source_row"]

_ITEM_RE = re.compile(
    r"^(?:第|t|q|item|题|小题|no\.?)?(\d{1,3})(?:[-.．_](\d{1,2})|\((\d{1,2})\))?"
    r"(?:小?题)?(?:\((\d+(?:\.\d+)?)分\))?$")
_TYPED_ITEM_RE = re.compile(r"^(选择|单选|多选|填空|判断|解答|计算|应用|作图|简答|阅读|作文)题?"
                            r"(\d{1,3})(?:\((\d{1,2})\))?(?:\((\d+(?:\.\d+)?)分\))?$")
_OPTION_RE = re.compile(r"^[A-Ga-g]{1,7}$")
#: Words that start an info row under the header, or head an info sheet's columns.
INFO_WORDS = {
    "item_max": ("满分", "分值", "题分", "本题满分", "满分值", "item_max"),
    "knowledge_point": ("知识点", "考点", "知识模块", "考查内容", "考查知识点", "knowledge_point"),
    "item_type": ("题型", "题目类型", "类型", "item_type"),
    "key": ("答案", "正确答案", "标准答案", "参考答案", "key"),
}
ITEM_ID_WORDS = ("题号", "小题", "题目", "题次", "小题号", "item_id", "item")
SCORE_WORDS = ("得分", "分数", "成绩", "小题得分", "score")
OPTION_WORDS = ("作答", "选项", "所选", "option")
_TYPE_NAMES = {"选择": "选择题", "单选": "选择题", "多选": "多选题", "填空": "填空题",
               "判断": "判断题", "解答": "解答题", "计算": "计算题", "应用": "应用题",
               "作图": "作图题", "简答": "简答题", "阅读": "阅读题", "作文": "作文"}


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
def read_items(
    path: PathLike,
    *,
    sheet: str | int | Iterable[str | int] | None = None,
    info: PathLike | pd.DataFrame | None = None,
    key: Mapping[str, str] | Iterable[str] | None = None,
    item_max: float | Mapping[str, float] | None = None,
    exam: str | None = None,
    subject: str | None = None,
    grade: int | None = None,
    school: str | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """Read a 小题分 file (Excel or CSV) into the canonical item table.

    Parameters
    ----------
    path : path
        The item file: wide (one column per item), long (学号, 题号, 得分) or raw answers.
    sheet : str, int or list, optional
        The sheet(s) with the students' rows; by default every sheet with a student header.
        An info sheet (题号 + 满分/知识点/题型/答案) is found by its header.
    info : path or DataFrame, optional
        The items' 满分, 知识点, 题型, 答案 when the file does not hold them: columns 题号 (or
        ``item_id``), 满分 (``item_max``), 知识点 (``knowledge_point``; several separated by
        、or ;), 题型 (``item_type``), 答案 (``key``).
    key : mapping or list, optional
        The answer key for multiple-choice items: ``{"1": "B", …}`` or the letters in item
        order. Overrides 答案 in the info.
    item_max : float or mapping, optional
        Full mark of every item, or per item, when neither the file nor ``info`` says.
    exam, subject, grade, school : optional
        When the title and the file name do not say (e.g. ``subject="数学"``).
    strict : bool, default True
        Raise :class:`~qualitykit.ScoreFileError` on any error; with ``strict=False`` use
        :func:`check_items` to see the report.

    Returns
    -------
    DataFrame
        One row per student × item: see :data:`ITEM_COLUMNS`. ``score`` is NaN for a blank
        score cell; ``option``/``key`` are set for multiple-choice answers.

    Examples
    --------
    >>> import qualitykit as qk
    >>> items = qk.read_items(qk.sample_path(kind="items", grade=5))
    >>> items[["class_id", "item_id", "score", "item_max", "option", "key"]].head(2)
      class_id item_id  score  item_max option key
    0      5-1       1    2.0       2.0      A   A
    1      5-1       2    2.0       2.0      A   A
    """
    report = check_items(path, sheet=sheet, info=info, key=key, item_max=item_max, exam=exam,
                         subject=subject, grade=grade, school=school)
    if strict and not report.ok:
        raise ScoreFileError(error_message(report).replace("成绩表", "小题分表"),
                             file=str(path), report=report)
    return report.data


def check_items(path: PathLike, **options) -> ImportReport:
    """Import an item file leniently and return its :class:`~qualitykit.ImportReport`.

    Takes the options of :func:`read_items` (except ``strict``); ``report.data`` holds what
    could be imported and ``report.ok`` is False when there are errors.
    """
    options.pop("strict", None)
    return _ItemImport(Path(path), **options).run()


def item_table(data: pd.DataFrame, *, item_max: float | Mapping[str, float] | None = None,
               key: Mapping[str, str] | Iterable[str] | None = None,
               info: pd.DataFrame | None = None, student_id: str | None = None,
               exam: str = "", subject: str = "", class_id: str = "") -> pd.DataFrame:
    """The canonical item table from a DataFrame already in memory (a researcher's data).

    Parameters
    ----------
    data : DataFrame
        Wide: one row per student, one column per item (other columns are kept out by
        ``student_id`` or by not being items: pass only the item columns plus the id).
        Long: columns ``student_id``, ``item_id``, ``score`` (and optionally ``item_max``,
        ``knowledge_point``, ``item_type``, ``option``, ``key``, ``class_id``).
    item_max : float or mapping, optional
        Full mark per item; by default the info's, else the highest score seen (said in a
        warning, since nobody may have reached the full mark).
    key : mapping or list, optional
        Answer key: the wide cells are then the chosen options, scored here.
    info : DataFrame, optional
        ``item_id`` with ``item_max``, ``knowledge_point``, ``item_type``, ``key``.
    student_id : str, optional
        The id column of a wide table; rows are numbered 1, 2, … without one.

    Examples
    --------
    >>> wide = pd.DataFrame({"Q1": [1, 0, 1], "Q2": [2, 1, 0]})
    >>> item_table(wide, item_max={"Q1": 1, "Q2": 2})[["student_id", "item_id", "score", "item_max"]]
      student_id item_id  score  item_max
    0          1      Q1    1.0       1.0
    1          1      Q2    2.0       2.0
    2          2      Q1    0.0       1.0
    3          2      Q2    1.0       2.0
    4          3      Q1    1.0       1.0
    5          3      Q2    0.0       2.0
    """
    import warnings

    frame = data.copy()
    if {"student_id", "item_id", "score"} <= set(frame.columns):
        long = frame
        long["item_id"] = long["item_id"].astype(str)
    else:
        if student_id is not None:
            ids = frame.pop(student_id).astype(str).to_numpy()
        else:
            ids = np.arange(1, len(frame) + 1).astype(str)
        frame.columns = [str(c) for c in frame.columns]
        long = frame.assign(student_id=ids).melt(id_vars="student_id", var_name="item_id",
                                                  value_name="_cell")
        # melt stacks column by column; put each student's items together, in column order
        long["_row"] = np.tile(np.arange(len(frame)), len(frame.columns))
        long = long.sort_values("_row", kind="stable").drop(columns="_row")
        keys = _key_map(key, list(frame.columns))
        keyed = long["item_id"].isin(keys.keys())
        long["score"] = pd.to_numeric(long["_cell"].where(~keyed), errors="coerce")
        if keys:
            option = long["_cell"].map(lambda v: _norm_option(v) if not _blank(v) else "")
            long["option"] = option.where(keyed, None)
            long["key"] = long["item_id"].map(keys)
        long = long.drop(columns="_cell")
    info_t = _info_frame(info) if info is not None else None
    if info_t is not None:
        long = long.drop(columns=[c for c in ("item_max", "knowledge_point", "item_type", "key")
                                  if c in long and c in info_t], errors="ignore")
        long = long.merge(info_t, on="item_id", how="left")
    if item_max is not None:
        if isinstance(item_max, Mapping):
            long["item_max"] = long["item_id"].map({str(k): float(v) for k, v in item_max.items()})
        else:
            long["item_max"] = float(item_max)
    if "key" in long and "option" in long:
        mc = long["option"].notna() & long["key"].notna()
        if "item_max" not in long:
            long["item_max"] = np.where(mc, 1.0, np.nan)
        long["item_max"] = long["item_max"].where(long["item_max"].notna() | ~mc, 1.0)
        correct = long["option"] == long["key"].map(lambda k: _norm_option(k) if isinstance(k, str) else k)
        long.loc[mc, "score"] = np.where(correct[mc], long.loc[mc, "item_max"], 0.0)
    if "item_max" not in long or long["item_max"].isna().any():
        seen = long.groupby("item_id", sort=False)["score"].max()
        fill = long["item_id"].map(seen)
        if "item_max" in long:
            fill = long["item_max"].fillna(fill)
        long["item_max"] = fill
        warnings.warn("未给出部分小题的满分 (item_max)，暂以最高得分作为满分；"
                      "请用 item_max= 或 info= 写明。", stacklevel=2)
    for col, value in (("exam", exam), ("subject", subject), ("class_id", class_id)):
        if col not in long:
            long[col] = value
    return _finish_items(long.reset_index(drop=True))


# --------------------------------------------------------------------------------------------
# helpers shared by the file importer and item_table
# --------------------------------------------------------------------------------------------
def parse_item_header(text: object) -> tuple[str, str | None, float | None] | None:
    """``(item_id, item_type, item_max)`` of an item column header, or None.

    >>> parse_item_header("第3题"), parse_item_header("17(2)"), parse_item_header("T5")
    (('3', None, None), ('17(2)', None, None), ('5', None, None))
    >>> parse_item_header("选择2"), parse_item_header("1（2分）"), parse_item_header("Item 12")
    (('2', '选择题', None), ('1', None, 2.0), ('12', None, None))
    >>> parse_item_header("总分") is None
    True
    """
    s = norm(text).lower()
    if not s:
        return None
    m = _TYPED_ITEM_RE.match(s)
    if m:
        item = m[2] + (f"({m[3]})" if m[3] else "")
        return item, _TYPE_NAMES[m[1]], float(m[4]) if m[4] else None
    m = _ITEM_RE.match(s)
    if m:
        sub = m[2] or m[3]
        item = m[1] + (f"({sub})" if sub else "")
        return item, None, float(m[4]) if m[4] else None
    return None


def _norm_option(value: object) -> str:
    """An answer as sorted capital letters: ``"db a"`` → ``"ABD"``."""
    return "".join(sorted(set(norm(value).upper())))


def _key_map(key, items: list[str]) -> dict[str, str]:
    if key is None:
        return {}
    if isinstance(key, Mapping):
        return {str(k): _norm_option(v) for k, v in key.items() if not _blank(v)}
    letters = list(key)
    if len(letters) != len(items):
        raise ValueError(f"key 给出了 {len(letters)} 个答案，但有 {len(items)} 道题；"
                         "请按题号给出 {{题号: 答案}}，或按题目顺序给出全部答案。")
    return {i: _norm_option(v) for i, v in zip(items, letters) if not _blank(v)}


def _info_word(text: object) -> str | None:
    s = norm(text).lower()
    for field, words in INFO_WORDS.items():
        if s in words:
            return field
    return None


def _info_frame(info) -> pd.DataFrame:
    """An info table (题号, 满分, 知识点, 题型, 答案) in canonical column names."""
    if not isinstance(info, pd.DataFrame):
        path = Path(info)
        grids, _ = read_grids(path)
        for name, rows in ((g.name, g.rows) for g in grids if not g.hidden):
            found = _find_info_header(rows)
            if found is not None:
                return _info_from_rows(rows, found, path.name, name, None)[0]
        raise ScoreFileError(f"文件 {path.name} 中没有找到小题信息表：表头需要“题号”和“满分”"
                             "（或知识点、题型、答案）列 (item_id, item_max …)。", file=path.name)
    frame = info.copy()
    rename = {}
    for col in frame.columns:
        s = norm(col).lower()
        if s in ITEM_ID_WORDS:
            rename[col] = "item_id"
        elif _info_word(col):
            rename[col] = _info_word(col)
    frame = frame.rename(columns=rename)
    if "item_id" not in frame:
        raise ValueError("info 需要题号列（题号 或 item_id）。")
    frame["item_id"] = frame["item_id"].map(_item_id_text)
    if "item_max" in frame:
        frame["item_max"] = pd.to_numeric(frame["item_max"], errors="coerce")
    return frame[[c for c in ("item_id", "item_max", "knowledge_point", "item_type", "key")
                  if c in frame]]


def _item_id_text(value: object) -> str:
    parsed = parse_item_header(value)
    return parsed[0] if parsed else norm(value)


def _find_info_header(rows):
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        words = [norm(v).lower() for v in row]
        id_col = next((j for j, w in enumerate(words) if w in ITEM_ID_WORDS), None)
        fields = {j: _info_word(v) for j, v in enumerate(row) if _info_word(v)}
        if id_col is not None and fields:
            return i, id_col, fields
    return None


def _info_from_rows(rows, found, file, sheet, problems: _Problems | None):
    hdr, id_col, fields = found
    out, read = [], 0
    for pos, row in enumerate(rows[hdr + 1:]):
        excel_row = hdr + 2 + pos
        if all(_blank(v) for v in row):
            continue
        read += 1
        item = _item_id_text(row[id_col] if id_col < len(row) else "")
        if not item:
            if problems is not None:
                problems.add(sheet, excel_row, id_col, "题号", "", "小题信息行没有题号 (no item_id)",
                             "已跳过此行", "warning")
            continue
        rec = {"item_id": item}
        for j, field in fields.items():
            value = row[j] if j < len(row) else None
            if field == "item_max":
                number = _number(value)
                if number is None or number <= 0:
                    msg = (f"{_where(file, sheet, excel_row, j, '满分')}：第 {item} 题的满分 "
                           f"(item_max) “{norm(value)}” 不是正数。请填写该题满分，如 2 或 12。")
                    if problems is not None:
                        problems.add(sheet, excel_row, j, "满分", value, msg, "该题满分未知", "error")
                    else:
                        raise ScoreFileError(msg, file=file)
                    number = np.nan
                rec["item_max"] = number
            else:
                rec[field] = norm(value) if not _blank(value) else None
        out.append(rec)
    frame = pd.DataFrame(out)
    if "item_max" in frame:
        frame["item_max"] = frame["item_max"].astype(float)
    return frame, read


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return None if np.isnan(value) else float(value)
    s = norm(value)
    return float(s.rstrip("分")) if NUMBER_RE.match(s) else None


def _subject_from(text: str) -> str | None:
    s = norm(text)
    for alias in sorted(SUBJECT_ALIASES, key=len, reverse=True):
        if len(alias) >= 2 and not alias.isascii() and alias in s:
            return SUBJECT_ALIASES[alias]
    return None


def _finish_items(data: pd.DataFrame) -> pd.DataFrame:
    data = data.reindex(columns=ITEM_COLUMNS)
    for col in ("score", "item_max"):
        data[col] = data[col].astype(float)
    data["grade"] = data["grade"].astype("Int64")
    data["source_row"] = data["source_row"].astype("Int64")
    for col in ("student_id", "name", "school", "class_id", "class_name", "exam", "subject",
                "item_id", "source_file", "source_sheet"):
        data[col] = data[col].astype(object).fillna("").astype(str)
    for col in ("knowledge_point", "item_type", "option", "key"):
        data[col] = data[col].astype(object).where(data[col].notna(), None)
    return data


# --------------------------------------------------------------------------------------------
# the file importer
# --------------------------------------------------------------------------------------------
class _ItemImport:
    def __init__(self, path: Path, *, sheet=None, info=None, key=None, item_max=None,
                 exam=None, subject=None, grade=None, school=None):
        self.path, self.file = path, path.name
        self.sheet, self.info, self.key, self.item_max = sheet, info, key, item_max
        self.exam, self.school = exam, school
        self.subject = (canonical_subject(subject) or subject) if subject else None
        self.grade = _check_grade(grade)
        self.problems = _Problems(self.file)

    def run(self) -> ImportReport:
        grids, _ = read_grids(self.path)
        P = self.problems
        sheets, info_parts, data_sheets = [], [], []
        for name, rows in ((g.name, g.rows) for g in grids if not g.hidden or self.sheet):
            found = _find_info_header(rows)
            student = self._student_header(rows)
            if found is not None and (student is None or found[0] <= student[0]):
                frame, read = _info_from_rows(rows, found, self.file, name, P)
                info_parts.append(frame)
                sheets.append({**_sheet_info(self.file, name), "used": True,
                               "note": f"小题信息表：{read} 道题", "header_row": found[0] + 1,
                               "rows_read": read, "rows_imported": len(frame),
                               "rows_skipped": read - len(frame)})
            else:
                data_sheets.append((name, rows, student))
        if self.sheet is not None:
            from ._grid import Sheet

            chosen = {g.name for g in select_sheets([Sheet(n, r) for n, r, _ in data_sheets],
                                                    self.sheet, self.file)}
            data_sheets = [d for d in data_sheets if d[0] in chosen]
        info = pd.concat(info_parts, ignore_index=True) if info_parts else pd.DataFrame(
            columns=["item_id"])
        if self.info is not None:  # info= wins over the file's own info sheet
            extra = _info_frame(self.info)
            info = pd.concat([extra, info[~info["item_id"].isin(extra["item_id"])]],
                             ignore_index=True)
        frames = []
        for name, rows, student in data_sheets:
            row = _sheet_info(self.file, name)
            if student is None:
                row["note"] = "没有学号/姓名和小题列的表头，已跳过"
                sheets.append(row)
                continue
            frame, counts = self._read_sheet(name, rows, student, info)
            row.update(counts, used=True)
            sheets.append(row)
            frames.append(frame)
        if not frames:
            raise ScoreFileError(
                f"文件 {self.file} 中没有找到小题分表：表头需要“学号”或“姓名”列 (student_id, "
                "name)，以及每题一列（第1题、1、T1…）或“题号”“得分”两列。请检查表头。",
                file=self.file)
        data = pd.concat(frames, ignore_index=True)
        dup = data.duplicated(["student_id", "exam", "subject", "item_id"], keep="first")
        if dup.any():
            for r in data[dup].drop_duplicates(["student_id", "source_sheet"]).itertuples():
                P.add(r.source_sheet, r.source_row, None, "学号", r.student_id,
                      f"{_where(self.file, r.source_sheet, r.source_row)}：学号 {r.student_id} "
                      "的小题分重复出现 (duplicated student_id)。请删除重复行。",
                      "重复的行未导入", "error")
            data = data[~dup]
        report = ImportReport(problems=P.frame(), sheets=pd.DataFrame(sheets),
                              data=_finish_items(data.reset_index(drop=True)))
        return report

    # ---- header -------------------------------------------------------------------------
    def _student_header(self, rows):
        """(row, columns, item columns, long columns) of the first student header, or None."""
        for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            cols = [H.classify(v, "", None, j) for j, v in enumerate(row)]
            if not any(c.role in ("student_id", "name") for c in cols):
                continue
            items = {j: parse_item_header(v) for j, v in enumerate(row)
                     if cols[j].role not in ("student_id", "name", "class", "class_code", "school")
                     and parse_item_header(v)}
            words = [norm(v).lower() for v in row]
            long = {"item": next((j for j, w in enumerate(words) if w in ITEM_ID_WORDS), None),
                    "score": next((j for j, w in enumerate(words) if w in SCORE_WORDS), None),
                    "option": next((j for j, w in enumerate(words) if w in OPTION_WORDS), None)}
            if len(items) >= 2 or (long["item"] is not None
                                   and (long["score"] is not None or long["option"] is not None)):
                return i, cols, items, long
        return None

    # ---- one sheet ------------------------------------------------------------------------
    def _read_sheet(self, sheet, rows, found, info):
        hdr, cols, item_cols, long_cols = found
        P = self.problems
        title = " ".join(norm(v) for r in rows[:hdr] for v in r if norm(v))
        exam = self.exam or parse_exam(title) or parse_exam(self.path.stem) or self.path.stem
        subject = (self.subject or _subject_from(title) or _subject_from(self.path.stem)
                   or _subject_from(sheet) or "")
        grade_hint = self.grade or parse_grade(title) or parse_grade(self.path.stem) or \
            parse_grade(sheet)
        school = self.school or parse_school(title) or ""
        id_col, name_col = _pick(cols, "student_id"), _pick(cols, "name")
        class_col = _pick(cols, "class") or _pick(cols, "class_code")
        school_col = _pick(cols, "school")
        is_long = len(item_cols) < 2
        if not is_long:
            for j, c in enumerate(cols):
                if j in item_cols or c.role in ("student_id", "name", "class", "class_code",
                                                "school") or not norm(rows[hdr][j]):
                    continue
                P.add(sheet, hdr + 1, j, norm(rows[hdr][j]), "",
                      f"“{norm(rows[hdr][j])}”列不是小题分（{H.ASIDE_REASONS.get(c.role, '非小题列')}）",
                      "该列未导入", "info")
        meta = {}  # item → field → value, from info rows under the header
        out, counts = [], {"read": 0, "skipped": 0, "empty": 0}
        start = hdr + 1
        for pos, row in enumerate(rows[start:]):
            excel_row = start + pos + 1
            if all(_blank(v) for v in row):
                counts["empty"] += 1
                continue
            counts["read"] += 1
            lead = [row[c.index] for c in (id_col, name_col, class_col) if c is not None
                    and c.index < len(row)] + [row[j] for j in range(min(3, len(row)))]
            field = next((_info_word(v) for v in lead if _info_word(v)), None)
            if field and not is_long:
                for j, (item, _t, _m) in item_cols.items():
                    value = row[j] if j < len(row) else None
                    if not _blank(value):
                        meta.setdefault(item, {})[field] = value
                P.add(sheet, excel_row, None, "", field, f"小题信息行（{field}），不是学生",
                      "已读作各题的" + {"item_max": "满分", "knowledge_point": "知识点",
                                      "item_type": "题型", "key": "答案"}[field], "info")
                counts["skipped"] += 1
                continue
            sid = norm(row[id_col.index]) if id_col is not None and id_col.index < len(row) else ""
            name = norm(row[name_col.index]) if name_col is not None and name_col.index < len(row) \
                else ""
            label = name or sid
            if (is_stats_text(label) or is_footer_text(label)) and not (sid and name):
                P.add(sheet, excel_row, None, "", name or sid, "不是学生行 (not a student row)",
                      "已跳过此行", "info")
                counts["skipped"] += 1
                continue
            if not sid:
                where = _where(self.file, sheet, excel_row, id_col.index if id_col else None,
                               id_col.header if id_col else "学号")
                P.add(sheet, excel_row, id_col.index if id_col else None, "学号", name,
                      f"{where}：缺少学号 (student_id)。小题分要按学号与成绩对应，请补上学号。",
                      "已跳过此行", "error")
                counts["skipped"] += 1
                continue
            raw_class = row[class_col.index] if class_col is not None and \
                class_col.index < len(row) else ""
            g, class_id = _grade_and_class_id(
                parse_class(raw_class, grade_hint) if not _blank(raw_class) else None,
                grade_hint)
            base = {"student_id": sid, "name": name, "grade": g, "class_id": class_id,
                    "class_name": norm(raw_class), "exam": exam, "subject": subject,
                    "school": norm(row[school_col.index]) if school_col is not None
                    and school_col.index < len(row) else school,
                    "source_file": self.file, "source_sheet": sheet, "source_row": excel_row}
            cells = ([(j, item_cols[j][0], row[j] if j < len(row) else None)
                      for j in item_cols] if not is_long else
                     [(long_cols["score"] if long_cols["score"] is not None else long_cols["option"],
                       _item_id_text(row[long_cols["item"]]),
                       row[long_cols["score"] if long_cols["score"] is not None
                           else long_cols["option"]])])
            marker = next((MARKERS[norm(v).lower()] for _, _, v in cells
                           if isinstance(v, str) and norm(v).lower() in MARKERS), None)
            if marker is not None or all(_blank(v) for _, _, v in cells):
                if is_long and marker is None:
                    P.add(sheet, excel_row, cells[0][0], "得分", "", "该行没有得分",
                          "已跳过此行", "warning")
                else:
                    what = "标记为" + {"absent": "缺考", "excused": "请假/免考",
                                      "transferred": "转学", "cheated": "作弊",
                                      "not_scanned": "未扫描", "excluded": "剔除",
                                      "not_taken": "未选考"}.get(marker, "缺考") if marker \
                        else "没有任何小题得分"
                    P.add(sheet, excel_row, None, "", f"{sid} {name}",
                          f"{sid} {name} {what}，视为未参加本卷 (did not sit)",
                          "不计入小题分析", "info")
                counts["skipped"] += 1
                continue
            for j, item, value in cells:
                rec = dict(base, item_id=item, score=np.nan, option=None, is_blank=_blank(value))
                if rec["is_blank"]:
                    pass  # stays missing; reported below once the key is known
                elif (num := _number(value)) is not None:
                    rec["score"] = num
                elif _OPTION_RE.match(norm(value)):
                    rec["option"] = _norm_option(value)
                else:
                    P.add(sheet, excel_row, j, f"第{item}题", value,
                          f"{_where(self.file, sheet, excel_row, j, f'第{item}题')}：“{norm(value)}”"
                          "不是小题得分，也不是选项字母 (not a score or an option)。请改为数字"
                          "（如 2、0.5）或作答选项（A–G）。", "该题按缺失处理", "error")
                rec["col_index"] = j
                out.append(rec)
        frame = pd.DataFrame(out)
        frame = self._apply_info(frame, sheet, hdr, item_cols, meta, info)
        counts = {"header_row": hdr + 1, "rows_read": counts["read"],
                  "rows_imported": counts["read"] - counts["skipped"],
                  "rows_skipped": counts["skipped"], "empty_rows": counts["empty"]}
        return frame, counts

    # ---- full marks, knowledge points, key; checks -------------------------------------------
    def _apply_info(self, frame, sheet, hdr, item_cols, meta, info):
        P = self.problems
        if frame.empty:
            return frame
        items = list(dict.fromkeys(frame["item_id"]))
        table = pd.DataFrame({"item_id": items})
        header_type = {i: t for i, t, _ in item_cols.values()}
        header_max = {i: m for i, _, m in item_cols.values()}
        table["item_type"] = table["item_id"].map(header_type)
        table["item_max"] = table["item_id"].map(header_max).astype(float)
        for item, fields in meta.items():
            for field, value in fields.items():
                if field == "item_max":
                    table.loc[table["item_id"] == item, field] = _number(value)
                else:
                    table.loc[table["item_id"] == item, field] = norm(value)
        if info is not None and len(info):
            merged = table.merge(info, on="item_id", how="left", suffixes=("", "_info"))
            for field in ("item_max", "knowledge_point", "item_type", "key"):
                if f"{field}_info" in merged:
                    base = merged[field] if field in merged else pd.Series(np.nan, index=merged.index)
                    merged[field] = merged[f"{field}_info"].where(merged[f"{field}_info"].notna(), base)
            table = merged[[c for c in merged if not c.endswith("_info")]]
        if self.item_max is not None:
            if isinstance(self.item_max, Mapping):
                given = {_item_id_text(k): float(v) for k, v in self.item_max.items()}
                table["item_max"] = table["item_id"].map(given).fillna(table["item_max"])
            else:
                table["item_max"] = table["item_max"].fillna(float(self.item_max))
        if self.key is not None:
            keys = _key_map(self.key, items)
            table["key"] = table["item_id"].map(keys).where(
                table["item_id"].isin(keys.keys()), table.get("key"))
        for field in ("key", "knowledge_point"):
            if field not in table:
                table[field] = None
        if "key" in table:
            table["key"] = table["key"].map(lambda k: _norm_option(k) if isinstance(k, str) and k
                                            else None)
        mc_items = set(frame.loc[frame["option"].notna(), "item_id"])
        # a multiple-choice item without a full mark is worth 1 point
        table.loc[table["item_id"].isin(mc_items) & table["item_max"].isna(), "item_max"] = 1.0
        frame = frame.drop(columns=[c for c in ("item_max", "key", "knowledge_point", "item_type")
                                    if c in frame]).merge(table, on="item_id", how="left")
        col_of = {item: j for j, (item, _t, _m) in item_cols.items()}
        for item in table.loc[table["item_max"].isna(), "item_id"]:
            seen = frame.loc[frame["item_id"] == item, "score"].max()
            P.add(sheet, hdr + 1, col_of.get(item), f"第{item}题", "",
                  f"{_where(self.file, sheet, hdr + 1, col_of.get(item), f'第{item}题')}：不知道第 "
                  f"{item} 题的满分 (item_max)。请在“小题信息”表或表头下一行（满分）写明，"
                  "或用 item_max= 给出。", f"暂以最高得分 {seen:g} 作满分", "error")
            frame.loc[frame["item_id"] == item, "item_max"] = seen
        # answers: score them with the key
        opt = frame["option"].notna()
        if opt.any():
            keyed = opt & frame["key"].notna()
            for item in sorted(set(frame.loc[opt & ~keyed, "item_id"])):
                P.add(sheet, hdr + 1, col_of.get(item), f"第{item}题", "",
                      f"{_where(self.file, sheet, hdr + 1, col_of.get(item), f'第{item}题')}：第 "
                      f"{item} 题填的是作答选项，但没有答案 (key)。请在“小题信息”表加“答案”列，"
                      "或用 key= 给出。", "该题无法评分，按缺失处理", "error")
            frame.loc[keyed, "score"] = np.where(
                frame.loc[keyed, "option"] == frame.loc[keyed, "key"],
                frame.loc[keyed, "item_max"], 0.0)
            # a blank answer on a keyed item counts as wrong (未作答)
            blank_mc = frame["option"].isna() & frame["score"].isna() & frame["item_id"].isin(
                set(frame.loc[keyed, "item_id"]))
            frame.loc[blank_mc, "option"] = ""
            frame.loc[blank_mc, "score"] = 0.0
        # range checks
        bad = frame["score"].notna() & ((frame["score"] < 0) | (frame["score"] > frame["item_max"]))
        for r in frame[bad].itertuples():
            P.add(sheet, r.source_row, r.col_index, f"第{r.item_id}题", f"{r.score:g}",
                  f"{_where(self.file, sheet, r.source_row, r.col_index, f'第{r.item_id}题')}："
                  f"{r.score:g} 分{'为负数' if r.score < 0 else f'超过该题满分 {r.item_max:g} 分'} "
                  "(score out of range)。请核对该生这道题的得分。", "该题按缺失处理", "error")
        frame.loc[bad, "score"] = np.nan
        # blanks, reported once per student row
        for (row, sid, name), part in frame[frame["is_blank"]].groupby(
                ["source_row", "student_id", "name"], sort=True):
            unanswered = part["option"].eq("")
            if unanswered.any():
                P.add(sheet, row, None, "", "、".join(part.loc[unanswered, "item_id"]),
                      f"{sid} {name} 的选择题第 {'、'.join(part.loc[unanswered, 'item_id'])} 题"
                      "未作答 (blank answer)", "按答错计 0 分", "info")
            if (~unanswered).any():
                P.add(sheet, row, None, "", "、".join(part.loc[~unanswered, "item_id"]),
                      f"{sid} {name} 的第 {'、'.join(part.loc[~unanswered, 'item_id'])} 题为空 "
                      "(blank item score)",
                      "保留为缺失；分析时按 missing= 处理（默认计 0 分）", "warning")
        return frame.drop(columns=["col_index", "is_blank"])
