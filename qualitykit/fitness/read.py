"""Read 体质测试 exports (one row per pupil, one column per item) into the long tidy table that
:func:`qualitykit.score_fitness` scores, with the kit's import report.

The file is read by the kit's importer machinery (:mod:`qualitykit.io`): the format sniffed
from its content (xlsx, xls, csv in GBK, HTML saved as .xls …), merged cells filled, hidden and
instruction sheets skipped, the header found below title rows, statistics and footer rows set
aside. Every non-empty row under the header is either in the data or in the import report with
its file, sheet, Excel row, column, value and what was done; every cell that cannot be read is
named there with how to fix the sheet. Times are read as in :mod:`qualitykit.fitness.values`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .._text import norm
from ..classes import parse_grade
from ..io._cells import blank
from ..io._context import title_text
from ..io._grid import is_instruction_sheet, read_grids, select_sheets
from ..io._headers import find_header
from ..io._pupils import class_info, surrogate_id
from ..io._rows import is_footer_text, is_stats_text, normalise_id
from ..io.problems import ImportReport, Problems, ScoreFileError, sheet_info, where
from ..io.titles import parse_school
from .headers import (
    ENDURANCE,
    ID_PREFERENCE,
    codes_in,
    header_word,
    item_of_header,
    parse_grade_cell,
    parse_sex,
    pupil_role,
)
from .items import ITEMS
from .values import LONG_RUNS, MINUTES_DOT_LIMIT, read_value

__all__ = ["read_fitness", "MEASUREMENT_COLUMNS", "ITEM_LABELS"]

PathLike = str | os.PathLike
#: The columns of the measurements :func:`read_fitness` returns.
MEASUREMENT_COLUMNS = ["student_id", "name", "sex", "grade", "class_id", "class_name", "school",
                       "file", "sheet", "row", "item", "value"]
#: Chinese names of the items (and of a 耐力跑 column), for messages.
ITEM_LABELS = {**{item: spec[0] for item, spec in ITEMS.items()}, ENDURANCE: "耐力跑"}
_NEED = "“学籍号/学号/考号”或“姓名”、“性别”和至少一个测试项目（身高、体重、50米跑……）"


@dataclass
class _Sheet:
    """One sheet being read: where its columns are and what its rows gave."""

    file: str
    name: str
    problems: Problems
    seen: dict  # student_id -> (file, sheet, row) of its first row, over every file read
    pupils: dict[str, int] = field(default_factory=dict)  # column role -> index
    items: list[tuple[int, str, str]] = field(default_factory=list)  # (index, item, header)
    minutes_dot: set[int] = field(default_factory=set)  # columns read as minutes.seconds
    suspect: set[tuple[int, int]] = field(default_factory=set)  # (row, col) 分.秒 among seconds
    headers: dict[int, str] = field(default_factory=dict)  # column -> header
    grade_codes: bool = False
    context: dict = field(default_factory=dict)


def _accept(cols) -> bool:
    roles = {pupil_role(c.header) for c in cols}
    items = [item_of_header(c.header) for c in cols]
    return bool(roles & {"student_id", "name"}) and "sex" in roles and any(items)


def read_fitness(path_or_paths: PathLike | list[PathLike], *,
                 sheet: str | int | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Read one or more 体测 exports into long measurements and an import report.

    Parameters
    ----------
    path_or_paths : path or list of paths
        The files (.xlsx/.xls/.csv …, one row per pupil; several files are read as one).
    sheet : name or 0-based index, optional
        Read only this sheet (default: every visible sheet with a 体测 header).

    Returns
    -------
    measurements : DataFrame
        One row per pupil × measured item (:data:`MEASUREMENT_COLUMNS`): ``student_id``,
        ``name``, ``sex`` (男/女), ``grade`` (int 1–12), ``class_id``, ``class_name``,
        ``school``, ``file``, ``sheet``, ``row`` (the pupil's Excel row), ``item`` (the ids of
        :mod:`qualitykit.fitness.items`), ``value`` (float; times in seconds). Items left blank
        or marked 免测/缺测/病假 have no row (the word is kept in the report).
    report : ImportReport
        Every row set aside and every cell not read, with file, sheet, Excel row, column,
        value, the problem (Chinese, naming the English identifier) and what was done.

    Examples
    --------
    >>> import qualitykit as qk
    >>> m, report = qk.read_fitness(qk.fitness_sample_path(2025))
    >>> sorted(m["item"].unique())[:3], report.rows_read == report.rows_imported + report.rows_skipped
    (['height', 'rope_skipping', 'shuttle_50x8'], True)
    """
    paths = path_or_paths if isinstance(path_or_paths, (list, tuple)) else [path_or_paths]
    records, problems, sheets, seen = [], [], [], {}
    for path in map(Path, paths):
        got, probs, infos = _read_file(path, sheet, seen)
        records += got
        problems.append(probs.frame())
        sheets += infos
    measurements = pd.DataFrame(records, columns=MEASUREMENT_COLUMNS)
    measurements = measurements.astype({"grade": "int64", "row": "int64", "value": "float64"})
    frame = pd.concat([p for p in problems if len(p)], ignore_index=True) if any(
        len(p) for p in problems) else Problems("").frame()
    return measurements, ImportReport(problems=frame, sheets=pd.DataFrame(sheets))


def _read_file(path: Path, sheet, seen: dict) -> tuple[list[dict], Problems, list[dict]]:
    grids, notes = read_grids(path)
    problems, infos, records = Problems(path.name), [], []
    for note in notes:
        problems.add("", None, None, "", "", note, "已按实际格式读取", "info")
    for grid in select_sheets(grids, sheet, path.name):
        info = sheet_info(path.name, grid.name)
        infos.append(info)
        skip = sheet is None and (grid.hidden or is_instruction_sheet(grid.name))
        found = None if skip else find_header(grid, _accept)
        if found is None:
            info["note"] = "隐藏或说明类工作表，或未找到体测表头，已跳过"
            continue
        hdr, depth, cols = found
        state = _Sheet(path.name, grid.name, problems, seen)
        title = title_text(grid.rows, hdr)
        state.context = {"grade": parse_grade(grid.name) or parse_grade(title)
                         or parse_grade(path.stem), "school": parse_school(title) or ""}
        body = grid.rows[hdr + depth:]
        _assign_columns(state, cols, body)
        _class_of_sheet(state)
        got = _read_rows(state, body, hdr + depth + 1)
        records += got
        read = sum(1 for r in body if not all(blank(v) for v in r))
        kept = len({r["row"] for r in got})
        info.update(used=True, header_row=hdr + 1, rows_read=read, rows_imported=kept,
                    rows_skipped=read - kept, empty_rows=len(body) - read)
    if not any(i["used"] for i in infos):
        raise ScoreFileError(f"文件 {path.name} 中没有找到体质测试表 (fitness sheet)：表头需要{_NEED}。"
                             "请检查表头文字。", file=path.name)
    return records, problems, infos


def _class_of_sheet(state: _Sheet) -> None:
    """A sheet without a class column named after one class (``初二(1)班``, ``五(2)班``, ``501``):
    its pupils are in that class, as the import report says. A name without both a grade and a
    class number (``Sheet1``, ``一年级``, ``2班``) names no class."""
    if "class" in state.pupils or "class_code" in state.pupils:
        return
    name, parsed, grade, class_id = class_info(state.name, None)
    if parsed is None or parsed.grade is None or parsed.number is None:
        return
    state.context["class"] = (grade, name, class_id)
    state.context["grade"] = state.context["grade"] or grade
    _skip(state, None, None, "", f"没有班级列，其中的学生按工作表名计入 {class_id} 班"
          "（class_id）", "info", "如不对，请在表中加“班级”列")


def _assign_columns(state: _Sheet, cols, body: list[list]) -> None:
    """Which column holds what; columns not used are listed in the report."""
    ids = []
    state.headers = {c.index: c.header for c in cols}
    for c in cols:
        item, role = item_of_header(c.header), pupil_role(c.header)
        if item:
            if any(i == item for _, i, _ in state.items):
                _aside(state, c, f"同一项目的第二列（{ITEM_LABELS[item]}，{item}），已取第一列")
                continue
            state.items.append((c.index, item, c.header))
        elif role == "student_id":
            ids.append(c)
        elif role and role not in state.pupils:
            state.pupils[role] = c.index
        elif norm(c.header):
            _aside(state, c, "不是体测项目或学生信息的列，不导入")
    if ids:  # 学籍号 before 学号 before 考号 (the national upload is keyed by 学籍号)
        chosen = min(ids, key=lambda c: ID_PREFERENCE.index(header_word(c.header)))
        state.pupils["student_id"] = chosen.index
        for c in ids:
            if c is not chosen:
                _aside(state, c, f"另一个编号列，已用「{chosen.header}」作学生编号 (student_id)")
    grades = _cells(body, state.pupils.get("grade_code", state.pupils.get("grade")))
    state.grade_codes = "grade_code" in state.pupils or codes_in(grades)
    for index, item, header in state.items:
        if item in LONG_RUNS or item == ENDURANCE:
            _minutes_dot_column(state, body, index, header)


def _aside(state: _Sheet, col, reason: str) -> None:
    state.problems.add(state.name, None, col.index, col.header, "", f"列「{col.header}」：{reason}",
                       "该列未导入", "info")


def _cells(body: list[list], index: int | None) -> list:
    if index is None:
        return []
    return [r[index] for r in body if index < len(r) and not blank(r[index])]


def _plain_number(value) -> float | None:
    """A cell that is a bare number (not 4'05", not 4:05), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(norm(value).removesuffix("秒"))
    except ValueError:
        return None


def _minutes_dot_column(state: _Sheet, body: list[list], index: int, header: str) -> None:
    """Decide how the bare numbers of a long-run column are read, and say so in the report."""
    numbers = [(i, n) for i, r in enumerate(body) if index < len(r)
               and (n := _plain_number(r[index])) is not None]
    if not numbers:
        return
    if max(n for _, n in numbers) < MINUTES_DOT_LIMIT:
        state.minutes_dot.add(index)
        state.problems.add(state.name, None, index, header, f"{numbers[0][1]:g}",
                           f"列「{header}」的数都小于 {MINUTES_DOT_LIMIT}，按“分.秒”读取"
                           f"（如 4.05 = 4 分 05 秒，4.5 = 4 分 50 秒）(minutes.seconds)",
                           "已换算为秒；如果表中写的是秒，请核对", "info")
        return
    state.suspect |= {(i, index) for i, n in numbers if n < MINUTES_DOT_LIMIT}


def _read_rows(state: _Sheet, body: list[list], first_row: int) -> list[dict]:
    records = []
    for i, row in enumerate(body):
        if all(blank(v) for v in row):
            continue
        records += _read_row(state, row, i, first_row + i)
    return records


def _cell(row: list, index: int | None):
    return row[index] if index is not None and index < len(row) else None


def _skip(state: _Sheet, excel_row: int, col: int | None, value, problem: str,
          severity: str = "error", action: str = "已跳过此行") -> None:
    header = state.headers.get(col, "") if col is not None else ""
    state.problems.add(state.name, excel_row, col, header, value,
                       f"{where(state.file, state.name, excel_row, col, header)}：{problem}",
                       action, severity)


def _not_a_pupil(state: _Sheet, row: list) -> str:
    """The words of a statistics or footer row ("" for a pupil's row)."""
    keys = [norm(_cell(row, state.pupils.get(k))) for k in ("student_id", "name", "class")]
    keys.append(next((norm(v) for v in row if not blank(v)), ""))
    return next((t for t in keys if t and (is_stats_text(t, bands=False) or is_footer_text(t))),
                "")


def _read_row(state: _Sheet, row: list, i: int, excel_row: int) -> list[dict]:
    """One pupil's measurements; problems of the row and of its cells in the report."""
    words = _not_a_pupil(state, row)
    if words:
        _skip(state, excel_row, None, words, "不是学生行（统计行或表尾）(not a pupil row)", "info")
        return []
    pupil = _pupil(state, row, excel_row)
    if pupil is None or _duplicate(state, pupil, excel_row):
        return []
    records = [r for index, item, header in state.items
               if (r := _measurement(state, row, (i, index), item, pupil, excel_row))]
    if not records:
        _skip(state, excel_row, None, pupil["name"] or pupil["student_id"],
              "这一行没有任何测试成绩（全部空白、免测或无法读取）(no measurement)", "warning",
              "此学生未导入；如已测试，请补填成绩")
    return records


def _duplicate(state: _Sheet, pupil: dict, excel_row: int) -> bool:
    """A student id seen before (in any file read) is an error; its first row is kept."""
    first = state.seen.setdefault(pupil["student_id"], (state.file, state.name, excel_row))
    if first == (state.file, state.name, excel_row):
        return False
    _skip(state, excel_row, state.pupils.get("student_id"), pupil["student_id"],
          f"学生编号 {pupil['student_id']} 与文件 {first[0]} 工作表「{first[1]}」第 {first[2]} 行"
          "重复 (duplicated student_id)。请删除重复行或改正编号", action="已跳过此行（保留第一次出现的）")
    return True


def _measurement(state: _Sheet, row: list, place: tuple[int, int], item: str, pupil: dict,
                 excel_row: int) -> dict | None:
    """One item cell as a record, or None (blank, not measured, or a problem reported)."""
    index = place[1]
    raw = _cell(row, index)
    item = _endurance_item(pupil) if item == ENDURANCE else item
    label = f"{ITEM_LABELS[item]} ({item})"
    if place in state.suspect:
        _skip(state, excel_row, index, raw, f"{label}“{norm(raw)}”：同一列其他成绩是秒数，这个数"
              "却小于 15，像是“分.秒”的写法。请改为秒数（如 245）或“分'秒\"”（如 4'05\"）",
              action="该项未导入（计为未测）")
        return None
    cell = read_value(raw, item, minutes_dot=index in state.minutes_dot)
    if cell.problem:
        _skip(state, excel_row, index, raw, f"{label}{cell.problem}。{cell.fix}",
              action="该项未导入（计为未测）")
        return None
    if cell.reason:
        _skip(state, excel_row, index, raw, f"{label}未测，原因：{cell.reason} (not measured)",
              "info", "计为未测，原因保留")
        return None
    if cell.note:
        _skip(state, excel_row, index, raw, f"{label}{cell.note}", "info", "已换算为秒")
    if cell.value is None:
        return None
    return {**pupil, "item": item, "value": cell.value}


def _endurance_item(pupil: dict) -> str:
    """What a 耐力跑 column holds for a pupil: 50米×8往返跑 up to grade 6, then 1000米 (男) or
    800米 (女), as the 2014 standard tests them."""
    if pupil["grade"] <= 6:
        return "shuttle_50x8"
    return "run_1000m" if pupil["sex"] == "男" else "run_800m"


def _pupil(state: _Sheet, row: list, excel_row: int) -> dict | None:
    """The pupil columns of a row, or None when the row cannot be a pupil's (reported)."""
    p = state.pupils
    name = norm(_cell(row, p.get("name")))
    sid = normalise_id(_cell(row, p["student_id"]))[0] if "student_id" in p else ""
    raw_sex = _cell(row, p.get("sex"))
    sex = parse_sex(raw_sex)
    grade, class_name, class_id = _grade_and_class(state, row)
    school = norm(_cell(row, p.get("school"))) or state.context["school"]
    if not sid and "student_id" not in p and name:
        sid = surrogate_id(school, class_id, name)
    problem, col, value = None, None, ""
    if not sid:
        problem, col = "缺少学生编号（学籍号/学号）(student_id)。请补填学籍号", p.get("student_id")
    elif sex is None:
        problem, col, value = (f"性别“{norm(raw_sex)}”无法识别 (sex)，应为 男/女（或 1/2）。"
                               "请改正", p.get("sex"), raw_sex)
    elif grade is None:
        problem, col = ("无法确定年级 (grade)：请填写“年级”列（如 五年级、初一、高一，或年级编号 "
                        "11–16/21–23/31–33），或在班级中写明年级（如 五(1)班）",
                        p.get("grade_code", p.get("grade")))
        value = _cell(row, col)
    if problem:
        _skip(state, excel_row, col, "" if value is None else value, problem)
        return None
    return {"student_id": sid, "name": name, "sex": sex, "grade": int(grade),
            "class_id": class_id, "class_name": class_name, "school": school,
            "file": state.file, "sheet": state.name, "row": excel_row}


def _grade_and_class(state: _Sheet, row: list) -> tuple[int | None, str, str]:
    """(grade, class name, class id) from the 年级 and 班级 columns, the class name, or the
    sheet's title, sheet or file name."""
    p = state.pupils
    raw_grade = _cell(row, p.get("grade_code", p.get("grade")))
    grade = None if blank(raw_grade) else parse_grade_cell(raw_grade, state.grade_codes)
    if not blank(raw_grade) and grade is None:
        return None, "", ""
    raw_class = _cell(row, p.get("class", p.get("class_code")))
    sheet_class = state.context.get("class")
    if blank(raw_class) and sheet_class and (grade is None or grade == sheet_class[0]):
        return sheet_class
    if blank(raw_class):
        return grade or state.context["grade"], "", ""
    class_name, _, class_grade, class_id = class_info(raw_class, grade or state.context["grade"])
    return grade or class_grade or state.context["grade"], class_name, class_id
