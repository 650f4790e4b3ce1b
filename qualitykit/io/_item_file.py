"""Read a 小题分 file (private; see ``items``).

The file importer behind :func:`qualitykit.read_items`: it tells the info sheet (题号, 满分,
知识点, 题型, 答案) from the students' sheets, finds each students' header (one column per
item, or 题号 and 得分/作答 columns), reads every row into the report or the table, and then
applies the items' full marks, knowledge points and key, with the checks that need them
(answers without a key, scores out of range, blanks). Also the item vocabulary and the info
tables shared with :func:`qualitykit.item_table`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._text import norm
from ..classes import parse_class, parse_grade
from ..subjects import SUBJECT_ALIASES, canonical_subject
from . import _headers as H
from ._cells import MARKERS, NUMBER_RE
from ._cells import blank as _blank
from ._grid import Sheet, read_grids, select_sheets
from ._headers import HEADER_SEARCH_ROWS
from ._headers import pick as _pick
from ._pupils import grade_and_class_id
from ._rows import is_footer_text, is_stats_text
from ._sheet import check_grade
from .problems import ImportReport, Problems, ScoreFileError, sheet_info
from .problems import where as _where
from .titles import parse_exam, parse_school

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


def _named_item(text: object) -> bool:
    """A header that says it is an item (第1题, T1, 选择1, 1（10分）), not a bare number: one such
    column is a paper of one item; a lone ``1`` could be anything.

    >>> _named_item("第1题"), _named_item("1（10分）"), _named_item("1"), _named_item("17(2)")
    (True, True, False, False)
    """
    s = norm(text).lower()
    return parse_item_header(s) is not None and not re.fullmatch(
        r"\d{1,3}(?:[-.．_]\d{1,2}|\(\d{1,2}\))?", s)


def norm_option(value: object) -> str:
    """An answer as sorted capital letters: ``"db a"`` → ``"ABD"``."""
    return "".join(sorted(set(norm(value).upper())))


def key_map(key, items: list[str]) -> dict[str, str]:
    """The ``key=`` option as item → answer: a mapping by item, or letters in item order."""
    if key is None:
        return {}
    if isinstance(key, Mapping):
        return {str(k): norm_option(v) for k, v in key.items() if not _blank(v)}
    letters = list(key)
    if len(letters) != len(items):
        raise ValueError(f"key 给出了 {len(letters)} 个答案，但有 {len(items)} 道题；"
                         "请按题号给出 {{题号: 答案}}，或按题目顺序给出全部答案。")
    return {i: norm_option(v) for i, v in zip(items, letters) if not _blank(v)}


def _info_word(text: object) -> str | None:
    s = norm(text).lower()
    for field, words in INFO_WORDS.items():
        if s in words:
            return field
    return None


def info_frame(info) -> pd.DataFrame:
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


def _info_from_rows(rows, found, file, sheet, problems: Problems | None):
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


def finish_items(data: pd.DataFrame) -> pd.DataFrame:
    """The canonical item table: ``ITEM_COLUMNS`` in order, with their dtypes."""
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


def answer_scores(options: pd.Series, keys: pd.Series, item_max: pd.Series) -> np.ndarray:
    """An answer scores the item's full mark when it is the key, else 0."""
    return np.where(options == keys, item_max, 0.0)


# --------------------------------------------------------------------------------------------
# the file importer
# --------------------------------------------------------------------------------------------
#: What a row marked 缺考 … in an item cell says, in the report
_MARKED = {"absent": "缺考", "excused": "请假/免考", "transferred": "转学", "cheated": "作弊",
           "not_scanned": "未扫描", "excluded": "剔除", "not_taken": "未选考"}
_FIELD_NAMES = {"item_max": "满分", "knowledge_point": "知识点", "item_type": "题型", "key": "答案"}


@dataclass
class _ItemSheet:
    """A students' sheet as found: its header row, the id/name/class/school columns, the item
    columns (wide: column → (item, type, full mark)) or the 题号/得分/作答 columns (long), and
    the exam, subject, grade and school its title, its name and the options give."""

    sheet: str
    hdr: int
    id_col: H.Column | None
    name_col: H.Column | None
    class_col: H.Column | None
    school_col: H.Column | None
    item_cols: dict
    long_cols: dict
    exam: str
    subject: str
    grade_hint: int | None
    school: str

    @property
    def is_long(self) -> bool:
        return len(self.item_cols) < 2 and self.long_cols["item"] is not None


def _cell_text(row, col, default: str = "") -> str:
    """The text of a row's cell in ``col``; ``default`` when there is no such cell."""
    return norm(row[col.index]) if col is not None and col.index < len(row) else default


class ItemImport:
    """One 小题分 file → the canonical item table and its :class:`ImportReport`."""

    def __init__(self, path: Path, *, sheet=None, info=None, key=None, item_max=None,
                 exam=None, subject=None, grade=None, school=None):
        self.path, self.file = path, path.name
        self.sheet, self.info, self.key, self.item_max = sheet, info, key, item_max
        self.exam, self.school = exam, school
        self.subject = (canonical_subject(subject) or subject) if subject else None
        self.grade = check_grade(grade)
        self.problems = Problems(self.file)

    def run(self) -> ImportReport:
        """Read the file's info and students' sheets; the report with the table as ``data``."""
        grids, _ = read_grids(self.path)
        sheets, info, data_sheets = self._info_sheets(grids)
        frames = []
        for name, rows, student in data_sheets:
            row = sheet_info(self.file, name)
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
        data = self._without_repeats(pd.concat(frames, ignore_index=True))
        return ImportReport(problems=self.problems.frame(), sheets=pd.DataFrame(sheets),
                            data=finish_items(data.reset_index(drop=True)))

    def _info_sheets(self, grids):
        """(report rows of the info sheets, the items' info, the students' sheets chosen as
        (name, rows, header or None)); ``info=`` wins over the file's own info sheet."""
        sheets, info_parts, data_sheets = [], [], []
        for name, rows in ((g.name, g.rows) for g in grids if not g.hidden or self.sheet):
            found = _find_info_header(rows)
            student = self._student_header(rows)
            if found is not None and (student is None or found[0] <= student[0]):
                frame, read = _info_from_rows(rows, found, self.file, name, self.problems)
                info_parts.append(frame)
                sheets.append({**sheet_info(self.file, name), "used": True,
                               "note": f"小题信息表：{read} 道题", "header_row": found[0] + 1,
                               "rows_read": read, "rows_imported": len(frame),
                               "rows_skipped": read - len(frame)})
            else:
                data_sheets.append((name, rows, student))
        if self.sheet is not None:
            chosen = {g.name for g in select_sheets([Sheet(n, r) for n, r, _ in data_sheets],
                                                    self.sheet, self.file)}
            data_sheets = [d for d in data_sheets if d[0] in chosen]
        info = pd.concat(info_parts, ignore_index=True) if info_parts else pd.DataFrame(
            columns=["item_id"])
        if self.info is not None:  # info= wins over the file's own info sheet
            extra = info_frame(self.info)
            info = pd.concat([extra, info[~info["item_id"].isin(extra["item_id"])]],
                             ignore_index=True)
        return sheets, info, data_sheets

    def _without_repeats(self, data: pd.DataFrame) -> pd.DataFrame:
        """A student's items met twice: an error, the later rows left out."""
        dup = data.duplicated(["student_id", "exam", "subject", "item_id"], keep="first")
        if not dup.any():
            return data
        for r in data[dup].drop_duplicates(["student_id", "source_sheet"]).itertuples():
            self.problems.add(r.source_sheet, r.source_row, None, "学号", r.student_id,
                              f"{_where(self.file, r.source_sheet, r.source_row)}：学号 {r.student_id} "
                              "的小题分重复出现 (duplicated student_id)。请删除重复行。",
                              "重复的行未导入", "error")
        return data[~dup]

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
            if len(items) == 1 and long["item"] is None and _named_item(row[next(iter(items))]):
                return i, cols, items, long  # a paper of one item (第1题, T1, 1（10分）)
        return None

    def _item_sheet(self, sheet, rows, found) -> _ItemSheet:
        """The sheet's columns, and the exam, subject, grade and school of its rows."""
        hdr, cols, item_cols, long_cols = found
        title = " ".join(norm(v) for r in rows[:hdr] for v in r if norm(v))
        exam = self.exam or parse_exam(title) or parse_exam(self.path.stem) or self.path.stem
        subject = (self.subject or _subject_from(title) or _subject_from(self.path.stem)
                   or _subject_from(sheet) or "")
        grade_hint = self.grade or parse_grade(title) or parse_grade(self.path.stem) or \
            parse_grade(sheet)
        school = self.school or parse_school(title) or ""
        return _ItemSheet(sheet, hdr, _pick(cols, "student_id"), _pick(cols, "name"),
                          _pick(cols, "class") or _pick(cols, "class_code"),
                          _pick(cols, "school"), item_cols, long_cols, exam, subject,
                          grade_hint, school)

    # ---- one sheet ------------------------------------------------------------------------
    def _read_sheet(self, sheet, rows, found, info):
        """The item rows of a students' sheet (info applied, checked) and its counts."""
        s = self._item_sheet(sheet, rows, found)
        if not s.is_long:
            self._report_other_columns(s, rows[s.hdr], found[1])
        meta = {}  # item → field → value, from info rows under the header
        out, counts = [], {"read": 0, "skipped": 0, "empty": 0}
        for pos, row in enumerate(rows[s.hdr + 1:]):
            if all(_blank(v) for v in row):
                counts["empty"] += 1
                continue
            counts["read"] += 1
            records = self._read_row(s, row, s.hdr + pos + 2, meta)
            if records is None:
                counts["skipped"] += 1
            else:
                out.extend(records)
        frame = self._apply_info(pd.DataFrame(out), sheet, s.hdr, s.item_cols, meta, info)
        if not s.is_long and not frame.empty:
            self._check_totals(s, rows, frame, found[1])
        counts = {"header_row": s.hdr + 1, "rows_read": counts["read"],
                  "rows_imported": counts["read"] - counts["skipped"],
                  "rows_skipped": counts["skipped"], "empty_rows": counts["empty"]}
        return frame, counts

    def _report_other_columns(self, s: _ItemSheet, header: list, cols) -> None:
        """Every named column of a wide sheet that is not an item nor the student's: not read."""
        for j, c in enumerate(cols):
            if j in s.item_cols or c.role in ("student_id", "name", "class", "class_code",
                                              "school") or not norm(header[j]):
                continue
            self.problems.add(s.sheet, s.hdr + 1, j, norm(header[j]), "",
                              f"“{norm(header[j])}”列不是小题分（{H.ASIDE_REASONS.get(c.role, '非小题列')}）",
                              "该列未导入", "info")

    def _read_row(self, s: _ItemSheet, row, excel_row: int, meta: dict) -> list[dict] | None:
        """The item records of one row; None for a row that is not a student's items (an info
        row under the header, statistics, no id, a student who did not sit), reported."""
        lead = [row[c.index] for c in (s.id_col, s.name_col, s.class_col) if c is not None
                and c.index < len(row)] + [row[j] for j in range(min(3, len(row)))]
        field = next((_info_word(v) for v in lead if _info_word(v)), None)
        if field and not s.is_long:
            self._info_row(s, row, excel_row, field, meta)
            return None
        sid, name = _cell_text(row, s.id_col), _cell_text(row, s.name_col)
        label = name or sid
        if (is_stats_text(label) or is_footer_text(label)) and not (sid and name):
            self.problems.add(s.sheet, excel_row, None, "", name or sid,
                              "不是学生行 (not a student row)", "已跳过此行", "info")
            return None
        if not sid:
            col = s.id_col
            place = _where(self.file, s.sheet, excel_row, col.index if col else None,
                           col.header if col else "学号")
            self.problems.add(s.sheet, excel_row, col.index if col else None, "学号", name,
                              f"{place}：缺少学号 (student_id)。小题分要按学号与成绩对应，请补上学号。",
                              "已跳过此行", "error")
            return None
        cells = _row_cells(s, row)
        if self._did_not_sit(s, excel_row, sid, name, cells):
            return None
        base = _row_base(s, row, sid, name, excel_row, self.file)
        return [self._item_record(s.sheet, base, excel_row, j, item, value)
                for j, item, value in cells]

    def _info_row(self, s: _ItemSheet, row, excel_row: int, field: str, meta: dict) -> None:
        """A row under the header giving each item's 满分/知识点/题型/答案: kept in ``meta``."""
        for j, (item, _t, _m) in s.item_cols.items():
            value = row[j] if j < len(row) else None
            if not _blank(value):
                meta.setdefault(item, {})[field] = value
        self.problems.add(s.sheet, excel_row, None, "", field, f"小题信息行（{field}），不是学生",
                          "已读作各题的" + _FIELD_NAMES[field], "info")

    def _did_not_sit(self, s: _ItemSheet, excel_row, sid, name, cells) -> bool:
        """A row marked 缺考 … or without any item score: reported, not read."""
        marker = next((MARKERS[norm(v).lower()] for _, _, v in cells
                       if isinstance(v, str) and norm(v).lower() in MARKERS), None)
        if marker is None and not all(_blank(v) for _, _, v in cells):
            return False
        if s.is_long and marker is None:
            self.problems.add(s.sheet, excel_row, cells[0][0], "得分", "", "该行没有得分",
                              "已跳过此行", "warning")
        else:
            what = "标记为" + _MARKED.get(marker, "缺考") if marker else "没有任何小题得分"
            self.problems.add(s.sheet, excel_row, None, "", f"{sid} {name}",
                              f"{sid} {name} {what}，视为未参加本卷 (did not sit)",
                              "不计入小题分析", "info")
        return True

    def _item_record(self, sheet, base: dict, excel_row, j, item, value) -> dict:
        """One student × item record: a score, an option (A–G), or a blank; anything else is
        an error and the item is missing."""
        rec = dict(base, item_id=item, score=np.nan, option=None, is_blank=_blank(value))
        if rec["is_blank"]:
            pass  # stays missing; reported once the key is known
        elif (num := _number(value)) is not None:
            rec["score"] = num
        elif _OPTION_RE.match(norm(value)):
            rec["option"] = norm_option(value)
        else:
            self.problems.add(sheet, excel_row, j, f"第{item}题", value,
                              f"{_where(self.file, sheet, excel_row, j, f'第{item}题')}：“{norm(value)}”"
                              "不是小题得分，也不是选项字母 (not a score or an option)。请改为数字"
                              "（如 2、0.5）或作答选项（A–G）。", "该题按缺失处理", "error")
        rec["col_index"] = j
        return rec

    # ---- full marks, knowledge points, key; checks -------------------------------------------
    def _apply_info(self, frame, sheet, hdr, item_cols, meta, info):
        """The items' full marks, knowledge points, types and key applied to a sheet's records,
        then the checks that need them: unknown full marks, answers without a key, scores out
        of range, blanks."""
        if frame.empty:
            return frame
        table = self._item_info(frame, item_cols, meta, info)
        frame = frame.drop(columns=[c for c in ("item_max", "key", "knowledge_point", "item_type")
                                    if c in frame]).merge(table, on="item_id", how="left")
        col_of = {item: j for j, (item, _t, _m) in item_cols.items()}
        self._unknown_full_marks(frame, table, sheet, hdr, col_of)
        self._score_answers(frame, sheet, hdr, col_of)
        self._out_of_range(frame, sheet)
        self._report_blanks(frame, sheet)
        self._unmapped_knowledge(table, sheet, hdr, col_of)
        return frame.drop(columns=["col_index", "is_blank"])

    def _unmapped_knowledge(self, table, sheet, hdr, col_of) -> None:
        """Items without a knowledge point when others have one: left out of 知识点得分率."""
        kp = table["knowledge_point"]
        has = kp.notna() & kp.astype(str).str.strip().ne("")
        if not has.any() or has.all():
            return
        for item in table.loc[~has, "item_id"]:
            place = _where(self.file, sheet, hdr + 1, col_of.get(item), f"第{item}题")
            self.problems.add(
                sheet, hdr + 1, col_of.get(item), f"第{item}题", "",
                f"{place}：第 {item} 题没有知识点 (knowledge_point)，其他题都有。知识点得分率不含这道题；"
                "请在“小题信息”或“知识点”表补上它的知识点。", "不计入知识点得分率", "warning")

    def _check_totals(self, s: _ItemSheet, rows, frame: pd.DataFrame, cols) -> None:
        """A 总分 column that disagrees with the sum of a pupil's item scores: a warning per
        pupil (one line when most disagree: then it is not the total of these items)."""
        col = next((c for c in cols if c.role == "total"), None)
        if col is None:
            return
        sums = frame.groupby("source_row", sort=True)["score"].sum()
        bad = []
        for row, total in sums.items():
            cells = rows[row - 1]
            given = _number(cells[col.index]) if col.index < len(cells) else None
            if given is not None and abs(given - total) > 1e-6:
                bad.append((row, given, total))
        if len(bad) > max(3, len(sums) // 2):
            self.problems.add(s.sheet, s.hdr + 1, col.index, col.header, "",
                              f"“{col.header}”列与各小题得分之和在 {len(bad)} 行不同，不像是这些小题的总分 "
                              "(total ≠ sum of items)：分析按各小题得分计算。", "未使用该列", "warning")
            return
        for row, given, total in bad:
            self.problems.add(
                s.sheet, row, col.index, col.header, f"{given:g}",
                f"{_where(self.file, s.sheet, row, col.index, col.header)}：总分 {given:g} 与各小题得分之和 "
                f"{total:g} 不同 (total ≠ sum of items)。请核对该生的小题分或总分；试卷分析按各小题得分计算。",
                "按各小题得分计算", "warning")

    def _item_info(self, frame, item_cols, meta, info) -> pd.DataFrame:
        """One row per item of the sheet: ``item_type`` and ``item_max`` from the header, then
        the info rows under it, the info sheet or ``info=``, then ``item_max=`` and ``key=``;
        ``key`` and ``knowledge_point`` (None where unknown)."""
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
        table = self._given_info(table, items)
        mc_items = set(frame.loc[frame["option"].notna(), "item_id"])
        # a multiple-choice item without a full mark is worth 1 point
        table.loc[table["item_id"].isin(mc_items) & table["item_max"].isna(), "item_max"] = 1.0
        return table

    def _given_info(self, table: pd.DataFrame, items: list[str]) -> pd.DataFrame:
        """The ``item_max=`` and ``key=`` options over the file's info; keys as sorted letters."""
        if self.item_max is not None:
            if isinstance(self.item_max, Mapping):
                given = {_item_id_text(k): float(v) for k, v in self.item_max.items()}
                table["item_max"] = table["item_id"].map(given).fillna(table["item_max"])
            else:
                table["item_max"] = table["item_max"].fillna(float(self.item_max))
        if self.key is not None:
            keys = key_map(self.key, items)
            table["key"] = table["item_id"].map(keys).where(
                table["item_id"].isin(keys.keys()), table.get("key"))
        for field in ("key", "knowledge_point"):
            if field not in table:
                table[field] = None
        if "key" in table:
            table["key"] = table["key"].map(lambda k: norm_option(k) if isinstance(k, str) and k
                                            else None)
        return table

    def _unknown_full_marks(self, frame, table, sheet, hdr, col_of) -> None:
        """Items whose full mark nobody gave: an error, the highest score taken meanwhile."""
        for item in table.loc[table["item_max"].isna(), "item_id"]:
            seen = frame.loc[frame["item_id"] == item, "score"].max()
            self.problems.add(
                sheet, hdr + 1, col_of.get(item), f"第{item}题", "",
                f"{_where(self.file, sheet, hdr + 1, col_of.get(item), f'第{item}题')}：不知道第 "
                f"{item} 题的满分 (item_max)。请在“小题信息”表或表头下一行（满分）写明，"
                "或用 item_max= 给出。", f"暂以最高得分 {seen:g} 作满分", "error")
            frame.loc[frame["item_id"] == item, "item_max"] = seen

    def _score_answers(self, frame, sheet, hdr, col_of) -> None:
        """Options chosen, scored with the key; a blank answer on a keyed item counts as
        wrong (未作答); options without a key are an error."""
        opt = frame["option"].notna()
        if not opt.any():
            return
        keyed = opt & frame["key"].notna()
        for item in sorted(set(frame.loc[opt & ~keyed, "item_id"])):
            self.problems.add(
                sheet, hdr + 1, col_of.get(item), f"第{item}题", "",
                f"{_where(self.file, sheet, hdr + 1, col_of.get(item), f'第{item}题')}：第 "
                f"{item} 题填的是作答选项，但没有答案 (key)。请在“小题信息”表加“答案”列，"
                "或用 key= 给出。", "该题无法评分，按缺失处理", "error")
        frame.loc[keyed, "score"] = answer_scores(frame.loc[keyed, "option"],
                                                  frame.loc[keyed, "key"],
                                                  frame.loc[keyed, "item_max"])
        blank_mc = frame["option"].isna() & frame["score"].isna() & frame["item_id"].isin(
            set(frame.loc[keyed, "item_id"]))
        frame.loc[blank_mc, "option"] = ""
        frame.loc[blank_mc, "score"] = 0.0

    def _out_of_range(self, frame, sheet) -> None:
        """Scores below 0 or above the item's full mark: errors, the items missing."""
        bad = frame["score"].notna() & ((frame["score"] < 0) | (frame["score"] > frame["item_max"]))
        for r in frame[bad].itertuples():
            self.problems.add(
                sheet, r.source_row, r.col_index, f"第{r.item_id}题", f"{r.score:g}",
                f"{_where(self.file, sheet, r.source_row, r.col_index, f'第{r.item_id}题')}："
                f"{r.score:g} 分{'为负数' if r.score < 0 else f'超过该题满分 {r.item_max:g} 分'} "
                "(score out of range)。请核对该生这道题的得分。", "该题按缺失处理", "error")
        frame.loc[bad, "score"] = np.nan

    def _report_blanks(self, frame, sheet) -> None:
        """Blank cells, once per student row: unanswered choices (scored 0) and blank scores
        (left missing); the unchosen 选做 item once for the sheet (it is no blank)."""
        from ..items.analysis import unchosen_optional

        unchosen = unchosen_optional(frame) & frame["is_blank"]
        if unchosen.any():
            chosen_among = set(frame.loc[unchosen, "item_id"])
            items = "、".join(i for i in pd.unique(frame["item_id"]) if i in chosen_among)
            self.problems.add(sheet, None, None, "", items,
                              f"第 {items} 题为选做题：每名学生只有其中一题的得分 (optional items)",
                              "未选的一题不计 0 分；难度、区分度按选答的学生计算", "info")
        for (row, sid, name), part in frame[frame["is_blank"] & ~unchosen].groupby(
                ["source_row", "student_id", "name"], sort=True):
            unanswered = part["option"].eq("")
            if unanswered.any():
                self.problems.add(sheet, row, None, "", "、".join(part.loc[unanswered, "item_id"]),
                                  f"{sid} {name} 的选择题第 {'、'.join(part.loc[unanswered, 'item_id'])} 题"
                                  "未作答 (blank answer)", "按答错计 0 分", "info")
            if (~unanswered).any():
                self.problems.add(sheet, row, None, "", "、".join(part.loc[~unanswered, "item_id"]),
                                  f"{sid} {name} 的第 {'、'.join(part.loc[~unanswered, 'item_id'])} 题为空 "
                                  "(blank item score)",
                                  "保留为缺失；分析时按 missing= 处理（默认计 0 分）", "warning")


def _row_cells(s: _ItemSheet, row) -> list[tuple]:
    """(column, item, value) of a row's item cells: one per item column, or a long row's one."""
    if not s.is_long:
        return [(j, s.item_cols[j][0], row[j] if j < len(row) else None) for j in s.item_cols]
    j = s.long_cols["score"] if s.long_cols["score"] is not None else s.long_cols["option"]
    return [(j, _item_id_text(row[s.long_cols["item"]]), row[j])]


def _row_base(s: _ItemSheet, row, sid: str, name: str, excel_row: int, file: str) -> dict:
    """What every item record of a row shares: the student, class, exam and source."""
    raw_class = row[s.class_col.index] if s.class_col is not None and \
        s.class_col.index < len(row) else ""
    g, class_id = grade_and_class_id(
        parse_class(raw_class, s.grade_hint) if not _blank(raw_class) else None, s.grade_hint)
    return {"student_id": sid, "name": name, "grade": g, "class_id": class_id,
            "class_name": norm(raw_class), "exam": s.exam, "subject": s.subject,
            "school": _cell_text(row, s.school_col, s.school),
            "source_file": file, "source_sheet": s.sheet, "source_row": excel_row}
