"""The workbooks of the 常规考核: the template a school fills in, the sample school's filled
record (seeded), the output ``教学常规考核.xlsx`` and the reading of it back for the teacher
evaluation; :func:`run_routine` is ``qualitykit routine``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .rules import CHECK_TYPES, ITEMS, MISSING_ITEM, ROLES, RoutineRules, routine_rules

__all__ = ["RECORD_HEADERS", "TEACHER_HEADERS", "TEMPLATE", "write_routine_template",
           "write_record", "write_routine", "read_routine_scores", "run_routine",
           "SCORE_HEADER"]

#: The header of the 检查记录 sheet of the template.
RECORD_HEADERS = ["日期", "检查类型", "教师", "学科", "项目", "数量", "等级或得分", "检查人", "备注"]
#: The header of its 教师 sheet.
TEACHER_HEADERS = ["教师", "学科", "职务", "任教班级"]
TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "教学常规检查记录.xlsx"
#: The column of the 汇总 sheet that the teacher evaluation reads.
SCORE_HEADER = "常规考核得分"
_SHOWN = 12  # teachers listed on screen per kind of miss
_ROWS = 2000  # rows of the template that carry the drop-down lists
_EXAMPLES = [
    (dt.date(2025, 9, 26), "月查", "张老师", "语文", "备课", 1, "优", "教导处", "示例：月查备课，等级"),
    (dt.date(2025, 9, 26), "月查", "张老师", "语文", "作业批改", 1, 88, "教导处", "示例：直接写 0–100 的得分"),
    (dt.date(2025, 10, 15), "抽查", "张老师", "语文", "上课", 1, "良", "李校长", "示例：推门听课抽查"),
    (dt.date(2025, 10, 31), "月查", "李校长", "数学", "听课", 5, "", "教导处", "示例：本月听课 5 节，不评等级"),
]
_GUIDE = [
    "教学常规检查记录：填写说明",
    "一、「检查记录」表：每检查一位教师的一个项目填一行（同一天检查几个项目就填几行）。",
    "日期：检查的日期，如 2025-09-26（也可以写 9月26日，年份按学期确定）。",
    "检查类型：下拉选择 月查 或 抽查。每学期每位教师至少抽查两次（按不同日期计）；每个月都应有月查。",
    f"项目：下拉选择 {'、'.join(ITEMS)}。",
    "数量：听课、评课填节数，教研填次数；其他项目可空着（空白算 1）。",
    "等级或得分：优/良/中/差（或 优秀/良好/合格/不合格、A/B/C/D），也可以直接填 0–100 的分数；听课等只计数量的可空着。",
    "二、「教师」表：每位教师一行，写明职务（校长、副校长、教导主任、教研组长、教师）。"
    "检查记录中的教师必须在这张表里，名字要一致；校长、教研组长的听课要求按职务计算。",
    "三、下面是示例行（只在本说明中，不会被计入）。请在「检查记录」表中填写真实记录。",
    "四、填好后运行：qualitykit routine 本文件.xlsx --out 输出文件夹（规则见 templates/常规考核.toml）。",
]


def write_record(path: str | Path, records: list[tuple] = (), teachers: list[tuple] = ()) -> Path:
    """The template layout with these rows: 检查记录 (:data:`RECORD_HEADERS`) with drop-down
    lists for 检查类型, 教师 and 项目, 教师 (:data:`TEACHER_HEADERS`) with one for 职务, and
    填写说明 with the examples. Written the same way every time (fixed creation date)."""
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": "教学常规检查记录", "created": dt.datetime(2026, 1, 1)})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("检查记录")
    _rows(sheet, RECORD_HEADERS, records, head, day)
    for col, width in enumerate((12, 9, 10, 7, 10, 6, 11, 10, 30)):
        sheet.set_column(col, col, width, day if col == 0 else None)
    _lists(sheet, {1: list(CHECK_TYPES), 4: list(ITEMS), 2: "='教师'!$A$2:$A$500"})
    sheet.data_validation(1, 0, _ROWS, 0, {"validate": "date", "criteria": "between",
                                           "minimum": dt.date(2000, 1, 1),
                                           "maximum": dt.date(2099, 12, 31),
                                           "error_message": "请填写日期，如 2025-09-26"})
    staff = book.add_worksheet("教师")
    _rows(staff, TEACHER_HEADERS, teachers, head, day)
    staff.set_column(0, 3, 12)
    _lists(staff, {2: list(ROLES)})
    guide = book.add_worksheet("填写说明")
    for i, line in enumerate(_GUIDE):
        guide.write(i, 0, line, head if i == 0 else None)
    _rows(guide, RECORD_HEADERS, _EXAMPLES, head, day, first=len(_GUIDE) + 1)
    guide.set_column(0, 0, 14)
    book.close()
    return path


def _rows(sheet, headers: list[str], rows, head, day, first: int = 0) -> None:
    sheet.write_row(first, 0, headers, head)
    sheet.freeze_panes(first + 1, 0)
    for i, row in enumerate(rows, start=first + 1):
        for j, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(i, j, dt.datetime.combine(value, dt.time()), day)
            elif value not in ("", None):
                sheet.write(i, j, value)


def _lists(sheet, columns: dict) -> None:
    """Drop-down lists (a warning, not a refusal, when the typed value is not in the list)."""
    for col, source in columns.items():
        sheet.data_validation(1, col, _ROWS, col, {
            "validate": "list", "source": source, "error_type": "warning",
            "error_message": "不在下拉列表中：请从列表中选择（教师须先写进「教师」表）"})


def write_routine_template(path: str | Path = TEMPLATE) -> Path:
    """``templates/教学常规检查记录.xlsx``: the empty record a school fills in.

    >>> import tempfile, openpyxl
    >>> with tempfile.TemporaryDirectory() as d:
    ...     openpyxl.load_workbook(write_routine_template(Path(d) / "t.xlsx")).sheetnames
    ['检查记录', '教师', '填写说明']
    """
    return write_record(path)


def write_routine(summary, report, path: str | Path) -> Path:
    """``教学常规考核.xlsx``: 汇总, 各项明细, 未达要求, 缺查月份, 说明 and 导入问题 (Chinese)."""
    from ..io.excel import write_sheets
    from ..labels import to_display

    order = summary.teachers.sort_values(["routine_rank", "teacher"], na_position="last",
                                         kind="stable")
    unmet = summary.requirements[~summary.requirements["met"]].drop(columns="met")
    missed = summary.missed_months.assign(month=summary.missed_months["month"].map(month_text))
    sheets = {"汇总": to_display(order, digits=2), "各项明细": to_display(summary.items, digits=2),
              "未达要求": to_display(unmet, digits=0), "缺查月份": to_display(missed),
              "说明": pd.DataFrame({"说明": method_lines(summary.rules)}),
              "导入问题": report.display_table()}
    return write_sheets(path, sheets)


def month_text(month: str) -> str:
    """``2025-10`` → ``2025年10月``.

    >>> month_text("2026-01")
    '2026年1月'
    """
    year, number = month.split("-")
    return f"{year}年{int(number)}月"


def method_lines(rules: RoutineRules) -> list[str]:
    """How the 常规考核 was computed, in Chinese, for the 说明 sheet."""
    from .summary import top_label
    term = (f"{rules.term_start.isoformat()} 至 {rules.term_end.isoformat()}"
            + ("（规则文件未写，按检查记录中第一次到最后一次检查的日期推定）"
               if rules.term_from_record else "")
            if rules.term_start and rules.term_end else "未给出起止日期")
    required = "；".join(f"{role}：" + ("、".join(f"{k} ≥ {v}" for k, v in
                                                 rules.requirements(role).items()) or "无")
                         for role in rules.required)
    total = sum(rules.weights.values())
    return [
        f"规则：{rules.name}。{rules.source}",
        f"学期：{term}，共 {rules.term_weeks or '—'} 周；每周一次（weekly）的要求按周数计。",
        f"抽查：每位教师每学期不少于 {rules.spot_checks} 次，按不同日期计（同一天抽查几个项目算一次）。",
        f"其他要求（检查记录“数量”的合计，空白算 1）：{required}。没有写出的职务按“教师”的要求。",
        "缺查月份：学期中某个月没有该教师计分项目（" + "、".join(
            k for k, v in rules.weights.items() if v > 0) + "）的月查记录（听课、评课、教研的计数不算检查）。",
        "各项得分 = 该项各条记录得分的平均；等级折算：" + "、".join(
            f"{k}={v:g}" for k, v in rules.grades.items()) + "；直接写的 0–100 分按原数计。",
        "常规考核得分 = Σ 权重 × 各项得分 ÷ Σ 权重；权重：" + "、".join(
            f"{k} {v / total:.2f}" for k, v in rules.weights.items() if v > 0) + "。",
        f"某项没有得分时：{MISSING_ITEM[rules.missing_item]}。",
        f"名次：按常规考核得分从高到低，得分相同的并列同一名次（如 1、2、2、4）；名次在前 {rules.top} 的标"
        f"“{top_label(rules.top)}”（并列的都标出），得分最低的标“倒数最后一名”（并列最低的都标出）；全部同分时不标。",
        "没有任何计分项目得分的教师不排名次。名次只供学校内部考核使用（不对学生排名）。"
        "本表的得分保留两位小数（名次按未取舍的得分排）。",
        "学校文件：常规考核处于倒数最后一名的教师取消当年所有评优晋级资格。",
        f"教师综合评价：qualitykit evaluate … --routine 本文件，读取「汇总」表的“{SCORE_HEADER}”，"
        "在标准文件 [evaluation] 的 weights 中以 routine 命名其权重。",
    ]


def read_routine_scores(path: str | Path) -> pd.DataFrame:
    """The 常规考核得分 of an output of ``qualitykit routine`` (its 汇总 sheet), to join the
    teacher evaluation: ``teacher`` and ``routine``."""
    from ..io.rankings import read_teacher_scores

    table = read_teacher_scores(path, sheet="汇总")
    if SCORE_HEADER not in table:
        raise ValueError(f"{Path(path).name} 的「汇总」表中没有“{SCORE_HEADER}”一列 (routine)："
                         "请给出 qualitykit routine 写出的 教学常规考核.xlsx。")
    scores = table[["teacher", SCORE_HEADER]].rename(columns={SCORE_HEADER: "routine"})
    return scores.drop_duplicates("teacher").reset_index(drop=True)


def run_routine(file: str | Path, *, out: str | Path, rules: str | Path | None = None,
                preset: str = "default") -> tuple[list[str], bool]:
    """``qualitykit routine``: read the record, compute, write ``教学常规考核.xlsx``; the Chinese
    lines to print and whether every row was read."""
    from .read import read_routine, record_term
    from .summary import routine_summary

    chosen = record_term(file, routine_rules(Path(rules) if rules else None, preset=preset))
    records, teachers, report = read_routine(file, rules=chosen)
    summary = routine_summary(records, teachers, chosen)
    path = write_routine(summary, report, Path(out) / "教学常规考核.xlsx")
    return summary_lines(summary, report) + [f"已保存：{path.resolve()}"], report.ok


def summary_lines(summary, report) -> list[str]:
    """What the command prints: who misses what, the flagged teachers, the rows not read."""
    t = summary.teachers
    rules = summary.rules
    lines = [f"{rules.name}：{len(t)} 位教师，{report.rows_imported} 条检查记录。"]
    if rules.term_from_record:
        lines.append(f"学期：{rules.term_start.isoformat()} 至 {rules.term_end.isoformat()}"
                     "（规则文件未写起止日期，按检查记录推定；可在规则文件中写 term_start、term_end）。")
    unmet = [f"未达要求：{teacher}（{rows['role'].iloc[0]}）" + "；".join(
        f"{r.requirement} 完成 {r.done:g}/{r.required}（差 {r.shortfall:g}）"
        for r in rows.itertuples())
        for teacher, rows in summary.requirements[~summary.requirements["met"]].groupby(
            "teacher", sort=False)]
    missed = [f"缺查月份：{teacher} " + "、".join(rows["month"].map(month_text)) + " 没有月查记录"
              for teacher, rows in summary.missed_months.groupby("teacher", sort=False)]
    for found, sheet in ((unmet, "未达要求"), (missed, "缺查月份")):
        lines += found[:_SHOWN]
        if len(found) > _SHOWN:
            lines.append(f"……另有 {len(found) - _SHOWN} 位教师，见「{sheet}」工作表。")
    for flag in sorted(set(t["routine_flag"]) - {""}, reverse=True):
        who = t[t["routine_flag"] == flag].sort_values("routine_rank", kind="stable")
        lines.append(f"{flag}：" + "、".join(f"{r.teacher}（{r.routine_score:.2f} 分）"
                                            for r in who.itertuples()))
    errors = report.errors
    if len(errors):
        lines.append(f"检查记录中有 {len(errors)} 行有错误，未计入（见「导入问题」工作表），如：")
        lines += [f"  - {p}" for p in errors["problem"].head(3)]
    return lines
