"""Read a 教学常规检查记录 workbook: the kit's template and the school's own variants (other
column orders and header words, dates as Excel dates or text, merged title rows, one sheet per
month), with the import report of every row that is not read and why."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .._text import norm
from ..io._cells import blank
from ..io._grid import is_instruction_sheet, read_grids, select_sheets
from ..io._headers import find_header
from ..io._rows import is_footer_text, is_stats_text
from ..io.problems import ImportReport, Problems, sheet_info, where
from .rules import CHECK_TYPES, ITEMS, ROLES, RoutineRules, routine_rules

__all__ = ["RECORD_COLUMNS", "ROUTINE_TEACHER_COLUMNS", "read_routine", "check_date",
           "record_term"]

#: The columns of the records :func:`read_routine` returns.
RECORD_COLUMNS = ["sheet", "row", "date", "month", "check_type", "teacher", "subject", "item",
                  "quantity", "rating", "rating_points", "checker", "remark"]
#: The columns of its teachers table.
ROUTINE_TEACHER_COLUMNS = ["teacher", "subject", "role", "classes"]

#: Header words → column role (compared after removing spaces, ``*`` and ``(必填)``).
HEADER_WORDS = {
    "date": ("日期", "检查日期", "时间", "检查时间", "日期时间"),
    "check_type": ("检查类型", "类型", "检查方式", "方式", "检查形式"),
    "teacher": ("教师", "授课教师", "姓名", "教师姓名", "被检查教师", "任课教师", "老师",
                "被查教师"),
    "subject": ("学科", "科目", "任教学科"),
    "item": ("项目", "检查项目", "内容", "检查内容", "常规项目"),
    "count": ("数量", "次数", "节数", "篇数", "份数"),
    "grade": ("等级或得分", "等级", "得分", "成绩", "评价", "评定", "分数", "等级/得分"),
    "checker": ("检查人", "检查者", "检查教师", "检查领导"),
    "remark": ("备注", "说明", "存在问题"),
    "role": ("职务", "岗位", "职位"),
    "classes": ("任教班级", "班级", "所教班级"),
}
_ROLE_OF = {w: role for role, words in HEADER_WORDS.items() for w in words}
#: The school's words for an item, a check type and a role → the kit's.
ITEM_WORDS = {"教案": "备课", "备课": "备课", "授课": "上课", "课堂教学": "上课", "上课": "上课",
              "作业": "作业批改", "批改": "作业批改", "作业批改": "作业批改", "辅导": "辅导",
              "辅差": "辅导", "培优辅差": "辅导", "培优补差": "辅导", "检测": "检测", "考试": "检测",
              "测验": "检测", "考": "检测", "反思": "反思", "教学反思": "反思", "教后记": "反思",
              "教研": "教研", "教研活动": "教研", "听课": "听课", "评课": "评课", "备": "备课",
              "讲": "上课", "批": "作业批改", "辅": "辅导", "反": "反思", "研": "教研"}
CHECK_WORDS = {"月查": "月查", "月检": "月查", "月检查": "月查", "每月检查": "月查",
               "抽查": "抽查", "抽检": "抽查", "随机抽查": "抽查", "随堂抽查": "抽查"}
ROLE_WORDS = {"校长": "校长", "副校长": "副校长", "教导主任": "教导主任", "教务主任": "教导主任",
              "教研组长": "教研组长", "组长": "教研组长", "教师": "教师", "": "教师",
              "任课教师": "教师", "老师": "教师"}
PathLike = str | os.PathLike


def _header_role(text: str) -> str | None:
    t = re.sub(r"[*＊:：]|\((必填|选填|可选)\)", "", norm(text))
    return _ROLE_OF.get(t)


def _roles(cols) -> dict[str, int]:
    """role → column index (the leftmost column of each role)."""
    found: dict[str, int] = {}
    for c in cols:
        role = _header_role(c.header)
        if role and role not in found:
            found[role] = c.index
    return found


def _accept(cols) -> bool:
    roles = _roles(cols)
    return "teacher" in roles and ("item" in roles or "role" in roles)


@dataclass
class _Reading:
    file: str
    rules: RoutineRules
    problems: Problems
    sheets: list[dict] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    teachers: dict[str, dict] = field(default_factory=dict)
    seen: dict = field(default_factory=dict)

    def problem(self, sheet, row, col, header, value, text, action, severity="error"):
        self.problems.add(sheet, row, col, header, value,
                          f"{where(self.file, sheet, row, col, header)}：{text}", action, severity)


def read_routine(path: PathLike, *, rules: RoutineRules | str | Path | None = None,
                 sheet: str | int | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, ImportReport]:
    """Read a 教学常规检查记录 workbook.

    Record sheets have a header with 教师 (授课教师, 姓名 …) and 项目 (检查项目, 内容 …);
    the 教师 sheet has 教师 and 职务. Every sheet of records is read (检查记录, or 9月, 10月 …);
    说明 sheets are skipped.

    Parameters
    ----------
    path : str or path
        The workbook (.xlsx/.xls/.csv as for :func:`qualitykit.read_scores`).
    rules : RoutineRules, preset name or TOML path
        The term's dates (a date without a year, a date outside the term) and the grades.
    sheet : name or index, optional
        Read only this sheet of records.

    Returns
    -------
    records : DataFrame
        :data:`RECORD_COLUMNS`: ``sheet``, ``row`` (Excel row), ``date``, ``month``
        (``YYYY-MM``), ``check_type`` (月查/抽查, "" when not given), ``teacher``, ``subject``,
        ``item`` (one of :data:`qualitykit.routine.rules.ITEMS`), ``quantity`` (数量, 1 when
        blank), ``rating`` (等级或得分 as written), ``rating_points`` (its points, NaN when
        none), ``checker``, ``remark``.
    teachers : DataFrame
        :data:`ROUTINE_TEACHER_COLUMNS`: ``teacher``, ``subject``, ``role``, ``classes``.
    report : ImportReport
        Every row not read (and every guess), with its place and how to fix the sheet.
    """
    path = Path(path)
    reading = _Reading(path.name, routine_rules(rules), Problems(path.name))
    found = _found_sheets(path, sheet, reading)
    reading.rules = _with_term(reading.rules, found)
    if reading.rules.term_from_record:  # the term the rules did not give, as it was taken
        reading.problems.add("", None, None, "", "", term_note(reading.rules), "按推定的学期计",
                             "info")
    for grid, hdr, roles, info in found:
        if "item" not in roles:
            _read_teacher_sheet(reading, grid, hdr, roles, info)
    for grid, hdr, roles, info in found:
        if "item" in roles:
            _read_record_sheet(reading, grid, hdr, roles, info)
    records = pd.DataFrame(reading.records, columns=RECORD_COLUMNS)
    records["date"] = pd.to_datetime(records["date"])
    records = records.astype({"quantity": float, "rating_points": float})
    teachers = _teacher_table(reading, records)
    report = ImportReport(problems=reading.problems.frame(), sheets=pd.DataFrame(reading.sheets),
                          data=records)
    return records, teachers, report


def record_term(path: str | Path, rules: RoutineRules | str | Path | None = None, *,
                sheet: str | int | None = None) -> RoutineRules:
    """The rules with the term's dates: as the rules give them, else from the record.

    A school's rules file need not name the term (``term_start``/``term_end``): the term is
    then the school term (第一学期 August–January, 第二学期 February–July) in which most of the
    record's fully written dates (Excel dates, 2025-09-03 …) fall, from its first to its last
    check; dates in another term are rows outside the term, as when the rules name it. The
    rules say so (``term_from_record``). Without a single full date the rules are returned as
    they are (a date without its year then cannot be read, and the report says so).

    >>> import datetime as dt
    >>> from qualitykit.routine.sample import SAMPLE_RECORD
    >>> r = record_term(SAMPLE_RECORD)
    >>> r.term_start.isoformat(), r.term_end.isoformat(), r.term_from_record
    ('2025-09-01', '2026-01-16', True)
    """
    chosen = routine_rules(rules)
    if chosen.term_start and chosen.term_end:
        return chosen
    path = Path(path)
    reading = _Reading(path.name, chosen, Problems(path.name))
    return _with_term(chosen, _found_sheets(path, sheet, reading))


def _with_term(rules: RoutineRules, found: list) -> RoutineRules:
    """``rules`` with the term of the records of ``found`` when they name none."""
    if rules.term_start and rules.term_end:
        return rules
    dates = [date for grid, hdr, roles, _ in found if "item" in roles and "date" in roles
             for _, row in _body(grid, hdr)[0]
             if (date := _date_of(_cell(row, roles["date"]), rules, None)[0]) is not None]
    if not dates:
        return rules
    terms = pd.Series([_school_term(d) for d in dates])
    counts = terms.value_counts(sort=False)
    term = max(counts.index[counts == counts.max()])  # a tie: the later term
    inside = [d for d, t in zip(dates, terms) if t == term]
    return replace(rules, term_start=min(inside), term_end=max(inside), term_from_record=True)


def _school_term(date: dt.date) -> tuple[int, int]:
    """(school year's first calendar year, 1 or 2): 第一学期 August–January, 第二学期 February–July.

    >>> [_school_term(dt.date(*d)) for d in ((2025, 9, 1), (2026, 1, 20), (2026, 3, 2))]
    [(2025, 1), (2025, 1), (2025, 2)]
    """
    if date.month >= 8:
        return date.year, 1
    return (date.year - 1, 1) if date.month == 1 else (date.year - 1, 2)


def term_note(rules: RoutineRules) -> str:
    """How the term was found, for the report and the 说明 sheet (empty when the rules name it)."""
    if not rules.term_from_record:
        return ""
    return (f"规则文件没有写学期起止日期 (term_start/term_end)：按检查记录中的日期推定本学期为 "
            f"{rules.term_start.isoformat()} 至 {rules.term_end.isoformat()}（记录中第一次到最后一次检查）；"
            "其他学期的日期列为导入问题。如需指定，请在规则文件中写 term_start 与 term_end。")


def _found_sheets(path: Path, sheet, reading: _Reading) -> list:
    """The sheets with a header of records or of teachers: ``(grid, header row, roles, info)``."""
    from ..io.problems import ScoreFileError

    grids, _ = read_grids(path)
    found = []
    for grid in grids:
        info = sheet_info(path.name, grid.name)
        reading.sheets.append(info)
        header = None if grid.hidden or is_instruction_sheet(grid.name) \
            else find_header(grid, _accept)
        if header is None:
            info["note"] = ("隐藏或说明类工作表，或未找到表头（需要“教师”和“项目”或“职务”），"
                            "已跳过")
            continue
        found.append((grid, header[0], _roles(header[2]), info))
    if sheet is not None:
        chosen = {g.name for g in select_sheets([f[0] for f in found], sheet, path.name)}
        found = [f for f in found if f[0].name in chosen or "item" not in f[2]]
    if not any("item" in f[2] for f in found):
        raise ScoreFileError(f"文件 {path.name} 中没有找到教学常规检查记录：表头需要“教师”（或授课教师、姓名）"
                             "和“项目”（或检查项目、内容）两列。请检查表头文字。", file=path.name)
    return found


def _cell(row: list, index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else None


def _body(grid, hdr: int):
    """(Excel row, row) of each non-empty row under the header, and the count of empty ones."""
    rows, empty = [], 0
    for i, row in enumerate(grid.rows[hdr + 1:]):
        if all(blank(v) for v in row):
            empty += 1
        else:
            rows.append((hdr + 2 + i, row))
    return rows, empty


def _not_data(reading: _Reading, sheet: str, excel_row: int, row: list, roles: dict) -> bool:
    """A total, statistics or signature row (合计, 检查人签字：…, in the first cell or the 教师
    or 项目 cell): set aside as a note in the report."""
    texts = [norm(v) for v in row if not blank(v)]
    first = next((norm(v) for v in row if not blank(v)), "")
    labels = [norm(_cell(row, roles.get(r))) for r in ("teacher", "item")]
    if not _FULL_DATE.fullmatch(first):
        labels.append(first)
    if any(is_stats_text(t, bands=False) or is_footer_text(t) for t in labels if t):
        reading.problem(sheet, excel_row, None, "", " ".join(texts),
                        "不是检查记录（合计、统计或签名行）(not a record)", "已跳过此行", "info")
        return True
    return False


def _read_teacher_sheet(reading: _Reading, grid, hdr: int, roles: dict, info: dict) -> None:
    """The 教师 sheet: 教师, 学科, 职务 (blank = 教师), 任教班级."""
    body, empty = _body(grid, hdr)
    imported = 0
    for excel_row, row in body:
        if _not_data(reading, grid.name, excel_row, row, roles):
            continue
        name = norm(_cell(row, roles["teacher"]))
        raw_role = norm(_cell(row, roles.get("role")))
        role = ROLE_WORDS.get(raw_role, raw_role)
        if not name:
            reading.problem(grid.name, excel_row, roles["teacher"], "教师", "",
                            "没有填写教师姓名 (teacher)。请补上姓名或删除此行。", "已跳过此行")
            continue
        if name in reading.teachers:
            imported += _same_teacher(reading, grid.name, excel_row, row, roles, role)
            continue
        if role not in ROLES and role not in reading.rules.required:
            reading.problem(grid.name, excel_row, roles.get("role"), "职务", raw_role,
                            f"职务“{raw_role}”不在 {list(ROLES)} 中，规则文件也没有它的要求 (role)："
                            "按“教师”的要求考核。如有专门要求，请在规则文件 required 中加上这个职务。",
                            "已读入，按教师的要求", "warning")
        reading.teachers[name] = {"teacher": name, "subject": norm(_cell(row, roles.get("subject"))),
                                  "role": role, "classes": norm(_cell(row, roles.get("classes"))),
                                  "row": excel_row}
        imported += 1
    info.update(used=True, header_row=hdr + 1, rows_read=len(body), rows_imported=imported,
                rows_skipped=len(body) - imported, empty_rows=empty, note="教师名单")


def _same_teacher(reading: _Reading, sheet: str, excel_row: int, row: list, roles: dict,
                  role: str) -> int:
    """A teacher on the 教师 sheet again: with the same 职务, one person teaching one more
    subject or class (merged, noted; 1); with another 职务, an error (0)."""
    name = norm(_cell(row, roles["teacher"]))
    known = reading.teachers[name]
    if role != known["role"]:
        reading.problem(sheet, excel_row, roles["teacher"], "教师", name,
                        f"教师“{name}”在第 {known['row']} 行已有，职务却不同（{known['role']}/{role}）"
                        "(duplicated teacher)。同名的两位教师请写成“张伟(语文)”等以区分，或删除多余的行。",
                        "已跳过此行")
        return 0
    for key in ("subject", "classes"):
        value = norm(_cell(row, roles.get(key)))
        if value and value not in known[key].split("、"):
            known[key] = "、".join(filter(None, [known[key], value]))
    reading.problem(sheet, excel_row, roles["teacher"], "教师", name,
                    f"教师“{name}”在第 {known['row']} 行已有：按同一人合并（学科 {known['subject']}，"
                    f"任教班级 {known['classes'] or '—'}）", "已合并", "info")
    return 1


def _read_record_sheet(reading: _Reading, grid, hdr: int, roles: dict, info: dict) -> None:
    """One sheet of check records, row by row."""
    body, empty = _body(grid, hdr)
    sheet = (_sheet_month(grid.name), _sheet_type(reading, grid.name, roles))
    imported = 0
    for excel_row, row in body:
        if _not_data(reading, grid.name, excel_row, row, roles):
            continue
        record = _record(reading, grid.name, excel_row, row, roles, sheet)
        if record is not None:
            reading.records.append(record)
            imported += 1
    info.update(used=True, header_row=hdr + 1, rows_read=len(body), rows_imported=imported,
                rows_skipped=len(body) - imported, empty_rows=empty, note="检查记录")


def _sheet_type(reading: _Reading, name: str, roles: dict) -> str | None:
    """The check type of a sheet without a 检查类型 column whose name says it (抽查记录, 月查),
    with a note in the report; None otherwise."""
    said = [t for t in CHECK_TYPES if t in norm(name)]
    if "check_type" in roles or len(said) != 1:
        return None
    reading.problems.add(name, None, None, "", name,
                         f"工作表「{name}」没有“检查类型”一列 (check_type)：按工作表名，其中各行都算作{said[0]}。"
                         "如不对，请加上“检查类型”一列。", f"按{said[0]}计", "info")
    return said[0]


def _sheet_month(name: str) -> int | None:
    m = re.fullmatch(r"(\d{1,2})月(份)?.*", norm(name))
    return int(m[1]) if m and 1 <= int(m[1]) <= 12 else None


def _record(reading: _Reading, sheet: str, excel_row: int, row: list, roles: dict,
            context: tuple[int | None, str | None]) -> dict | None:
    """One check as a record; None (and the row in the report as an error) when it cannot be.
    ``context``: the month and the check type the sheet's name gives (9月, 抽查记录)."""
    month, sheet_type = context
    raw = {role: _cell(row, index) for role, index in roles.items()}
    text = {role: norm(v) for role, v in raw.items()}
    headers = {"teacher": "教师", "item": "项目", "date": "日期", "check_type": "检查类型",
               "count": "数量", "grade": "等级或得分"}

    def skip(role: str, message: str) -> None:
        reading.problem(sheet, excel_row, roles.get(role), headers[role], text.get(role, ""),
                        message, "已跳过此行（不计入）")

    teacher, item = text["teacher"], ITEM_WORDS.get(text["item"])
    if not teacher:
        return skip("teacher", "没有填写教师姓名 (teacher)。请补上被检查教师的姓名。")
    if reading.teachers and teacher not in reading.teachers:
        return skip("teacher", f"教师“{teacher}”不在「教师」表中 (teacher not in the 教师 sheet)。"
                               "请在「教师」表中加上此人（写明学科、职务），或改正姓名。")
    if item is None:
        return skip("item", f"项目“{text['item']}”不是常规检查项目 (item)：应为 {'、'.join(ITEMS)} 之一。"
                            "请改成其中之一。")
    date, why = check_date(raw.get("date"), reading.rules, month)
    if date is None:
        return skip("date", why)
    check_type = CHECK_WORDS.get(text["check_type"]) if text.get("check_type") else sheet_type
    if check_type is None and text.get("check_type"):
        return skip("check_type", f"检查类型“{text['check_type']}”应为 月查 或 抽查 (check_type)。请改正。")
    count, why = _count(raw.get("count"))
    if count is None:
        return skip("count", why)
    points, why = _points(raw.get("grade"), reading.rules)
    if why:
        return skip("grade", why)
    if check_type is None:
        reading.problem(sheet, excel_row, roles.get("check_type"), "检查类型", "",
                        "没有填写检查类型（月查/抽查）(check_type)：此行计入数量和得分，但不算作月查或抽查。"
                        "请补上。", "已读入", "warning")
    record = {"sheet": sheet, "row": excel_row, "date": date, "month": f"{date:%Y-%m}",
              "check_type": check_type or "", "teacher": teacher,
              "subject": text.get("subject") or reading.teachers.get(teacher, {}).get("subject", ""),
              "item": item, "quantity": count, "rating": text.get("grade", ""),
              "rating_points": points,
              "checker": text.get("checker", ""), "remark": text.get("remark", "")}
    _note_repeat(reading, record)
    return record


def _note_repeat(reading: _Reading, record: dict) -> None:
    """A row the same as an earlier one (date, teacher, item, type, count, grade): kept, with a
    warning — two 听课 on one day are real, a row pasted twice is not."""
    key = tuple(str(record[k]) for k in ("date", "teacher", "item", "check_type", "quantity", "rating"))
    if key in reading.seen:
        first = reading.seen[key]
        reading.problem(record["sheet"], record["row"], None, "", record["teacher"],
                        f"与工作表「{first[0]}」第 {first[1]} 行内容相同（日期、教师、项目、类型、数量、等级）"
                        "(repeated row)。如是重复录入请删除一行。", "已读入（两行都计入）", "warning")
    else:
        reading.seen[key] = (record["sheet"], record["row"])


def _count(value: object) -> tuple[float | None, str]:
    """数量: blank is 1; a positive number otherwise."""
    if blank(value):
        return 1.0, ""
    text = norm(value).rstrip("节次篇份个")
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number > 0 or number != int(number):
        return None, f"数量“{norm(value)}”应为正整数（节数、次数）(count)；空白算 1。请改正。"
    return number, ""


def _points(value: object, rules: RoutineRules) -> tuple[float, str]:
    """等级或得分 → points: a grade of the rules' mapping, or a number 0–100 as it is; blank is
    no score. The second value is the problem (empty when none)."""
    if blank(value):
        return float("nan"), ""
    text = norm(value)
    if text in rules.grades or text.upper() in rules.grades:
        return float(rules.grades.get(text, rules.grades.get(text.upper()))), ""
    try:
        number = float(text.rstrip("分"))
    except ValueError:
        return float("nan"), (f"等级“{text}”不在规则的等级表中 (grade)：可用 {'、'.join(rules.grades)}，"
                              "或 0–100 的分数。请改正，或在规则文件 grades 中加上它。")
    if not 0 <= number <= 100:
        return float("nan"), f"得分 {text} 不在 0–100 之间 (grade)。请改正。"
    return number, ""


_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(\d{1,2}:\d{2}(:\d{2})?)?")
_MONTH_DAY = re.compile(r"(\d{1,2})[-/.月](\d{1,2})日?")
_DAY = re.compile(r"(\d{1,2})日?")


def check_date(value: object, rules: RoutineRules, sheet_month: int | None = None
               ) -> tuple[dt.date | None, str]:
    """The date of a check, and the problem (Chinese) when there is none or it is outside the term.

    Excel dates, 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日; 3月5日 and 3.5 take the year in
    which the term has that month; a day alone (5, 5日) takes its month from the sheet (9月).

    >>> r = RoutineRules(term_start=dt.date(2025, 9, 1), term_end=dt.date(2026, 1, 16))
    >>> [check_date(v, r)[0].isoformat() for v in ("2025.9.3", "10月8日", "1/5", 46030)]
    ['2025-09-03', '2025-10-08', '2026-01-05', '2026-01-08']
    >>> check_date("5日", r, sheet_month=11)[0]
    datetime.date(2025, 11, 5)
    >>> check_date("2026-03-05", r)[1].split("(")[0]
    '日期 2026-03-05 不在本学期 2025-09-01 至 2026-01-16 之内 '
    """
    date, why = _date_of(value, rules, sheet_month)
    if date is None:
        return None, why
    start, end = rules.term_start, rules.term_end
    if start and end and not start <= date <= end:
        return None, (f"日期 {date.isoformat()} 不在本学期 {start.isoformat()} 至 {end.isoformat()} 之内 "
                      "(date outside the term)。请改正日期，或在规则文件中改 term_start/term_end。")
    return date, ""


def _date_of(value: object, rules: RoutineRules, sheet_month: int | None
             ) -> tuple[dt.date | None, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    bad = (f"日期“{norm(value)}”无法识别 (date)：请写成 2025-09-03 或 9月3日，或设为 Excel 日期格式。"
           if not blank(value) else "没有填写日期 (date)。请补上检查日期。")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel date serial shown as a number
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value)), ""
        value = norm(value)
    text = norm(value)
    try:
        if m := _FULL_DATE.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3])), ""
        if m := _MONTH_DAY.fullmatch(text):
            return _in_term_year(int(m[1]), int(m[2]), rules)
        if (m := _DAY.fullmatch(text)) and sheet_month:
            return _in_term_year(sheet_month, int(m[1]), rules)
    except ValueError:
        pass
    return None, bad


def _in_term_year(month: int, day: int, rules: RoutineRules) -> tuple[dt.date | None, str]:
    """月/日 in the year in which the term has that month."""
    if not rules.term_start or not rules.term_end:
        return None, (f"日期 {month}月{day}日 没有年份 (date without a year)：请写完整日期（如 2025-09-03），"
                      "或在规则文件中写上 term_start 与 term_end（学期起止日期）。")
    for year in range(rules.term_start.year, rules.term_end.year + 1):
        if (year, month) >= (rules.term_start.year, rules.term_start.month) and \
                (year, month) <= (rules.term_end.year, rules.term_end.month):
            return dt.date(year, month, day), ""
    return dt.date(rules.term_start.year, month, day), ""


def _teacher_table(reading: _Reading, records: pd.DataFrame) -> pd.DataFrame:
    """The 教师 sheet as a table; without one, the teachers of the records (as 教师), with a
    note in the report."""
    if reading.teachers:
        rows = [{k: t[k] for k in ROUTINE_TEACHER_COLUMNS} for t in reading.teachers.values()]
        return pd.DataFrame(rows, columns=ROUTINE_TEACHER_COLUMNS)
    if records.empty:
        return pd.DataFrame(columns=ROUTINE_TEACHER_COLUMNS)
    reading.problems.add("", None, None, "", "", "文件中没有「教师」表 (teacher sheet)：教师取自检查记录，"
                         "职务都按“教师”，学科取记录中的第一个。校长、教研组长的听课要求需要「教师」表写明职务。",
                         "按教师考核", "warning")
    first = records.groupby("teacher", sort=False)["subject"].first()
    return pd.DataFrame({"teacher": first.index, "subject": first.to_numpy(), "role": "教师",
                         "classes": ""}, columns=ROUTINE_TEACHER_COLUMNS)
