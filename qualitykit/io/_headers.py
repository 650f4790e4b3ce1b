"""Recognise what each column of a school sheet holds (private).

A column gets a *role*. Data roles feed the canonical table; every other column is set aside
and listed in the import report with the reason, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .._text import norm
from ..subjects import canonical_subject

# id columns, most preferred first (学号 is what rosters use)
ID_ALIASES = ("学号", "学生学号", "学籍号", "考号", "考生号", "准考证号", "自定义考号",
              "学生编号", "考籍号", "学生id", "id", "studentid", "studentno", "studentnumber",
              "examno", "candidateno", "学籍辅号", "全国学籍号", "身份证号", "身份证号码", "证件号")
NAME_ALIASES = ("姓名", "学生姓名", "名字", "学生", "name", "studentname", "fullname")
CLASS_ALIASES = ("班级", "班级名称", "行政班级", "行政班", "新班级", "现班级", "现班", "班别",
                 "所在班级", "班名称", "班", "class", "classname", "form")
CLASS_CODE_ALIASES = ("班级代码", "班级编号", "班号", "班级号")
SCHOOL_ALIASES = ("学校", "学校名称", "校名", "学校简称", "单位", "学校全称", "school",
                  "schoolname", "考点", "考点学校", "学校名字", "学校名", "所在学校", "所属学校",
                  "就读学校", "毕业学校", "单位名称", "考点名称")
OTHER = {
    "学校代码": "school_code", "学校编码": "school_code", "年级": "grade", "序号": "seq",
    "序": "seq", "编号": "seq", "no": "seq", "性别": "gender", "备注": "remark",
    "教师姓名": "teacher", "任课教师": "teacher", "教师": "teacher", "老师": "teacher",
    "教师工号": "teacher_id", "工号": "teacher_id", "科目": "subject_name", "学科": "subject_name",
    "是否选课": "elective_flag", "学年": "school_year", "学期": "term",
    "考试名称": "exam", "考试": "exam", "考试类型": "exam", "考次": "exam", "考试项目": "exam",
    "exam": "exam", "examname": "exam",
    "考试状态": "exam_status", "考生状态": "exam_status", "状态": "exam_status",
    "参考状态": "exam_status", "考试情况": "exam_status", "参考情况": "exam_status",
    "缺考标记": "exam_status", "缺考情况": "exam_status", "说明": "remark", "备注说明": "remark",
    "成绩": "value", "分数": "value", "得分": "value", "考试成绩": "value", "score": "value",
    "满分": "full_mark", "满分值": "full_mark", "卷面满分": "full_mark",
    "no.": "seq", "rank": "rank", "gender": "gender", "sex": "gender", "remark": "remark",
    "remarks": "remark", "note": "remark", "total": "total", "totalscore": "total",
}
COMBINATION_ALIASES = ("科类", "选科", "选科组合", "所选组合", "组合", "选考科目", "选考组合")
SCORE_SUFFIXES = ("分数", "得分", "成绩", "卷面分", "卷面", "分")
_VARIANTS = {"(文)", "(理)", "(文科)", "(理科)", "文", "理", "(a卷)", "(b卷)", "a卷", "b卷"}
_FULL_MARK_RE = re.compile(r"^(.+?)\(?(?:满分|总分)?[:：=]?(\d{2,3})分?\)?$")
SCALED_SUFFIXES = ("赋分", "等级赋分", "赋分成绩", "转换分", "标准分赋分")
SUB_SCORE = {"得分", "分数", "成绩", "卷面分", "赋分", "分", "等级赋分", "转换分"}
SUB_RAW = {"原始分", "原分"}
RANK_WORDS = ("名次", "排名", "排位", "班次", "校次", "级次", "位次", "班名", "校名", "级名",
              "区名", "县名", "联盟排名", "进退步", "班排", "校排", "级排", "年排", "区排", "县排",
              "排", "名")
LEVEL_WORDS = ("等级", "等第", "等次")
#: Parts of a subject's paper under its name in a two-row header (the score is the 总分 beside them)
PART_WORDS = {"客观题", "主观题", "客观", "主观", "选择题", "非选择题", "卷一", "卷二", "卷i", "卷ii",
              "i卷", "ii卷", "笔试", "听力", "口语", "附加题", "客观分", "主观分"}
SUB_TOTAL = {"总分", "合计", "总成绩", "小计"}
SUB_HEADER_WORDS = SUB_SCORE | SUB_RAW | set(RANK_WORDS) | set(LEVEL_WORDS) | PART_WORDS | SUB_TOTAL
_TOTAL_RE = re.compile(r"总分|总成绩|合计|^语数英|^7选3$|^选考$|三科|^主科")
_COUNT_RE = re.compile(r"门数|人数|科数")
_ENTRY_RE = re.compile(r"中考|入口|入学")

# plain-language reasons for setting a column aside (Chinese for the report)
ASIDE_REASONS = {
    "total": "总分类列（total），由各科成绩可重算，不导入",
    "rank": "名次类列（rank），名次不是原始数据，不导入",
    "raw": "原始分列（raw score before 赋分），已取该科的成绩列，不导入",
    "count": "计数列（count），不导入",
    "seq": "序号列（seq），不导入",
    "combination": "选科组合列（combination），用于判断未选考科目，不作为成绩导入",
    "entry": "入口成绩列（entry score），不作为本次考试成绩导入",
    "unnamed": "无表头的列（unnamed column），不导入；如是成绩请补上科目名",
    "unknown": "无法识别的列（unknown column），不导入；如是科目请用 subjects= 说明别名",
    "empty_subject": "该科整列为空（no scores in column），不导入",
    "extra_id": "另一个编号列（extra id column），已用优先的学号列",
    "extra_level": "等级列（level），已有该科分数，等级仅作参考不导入",
    "duplicate_subject": "同一科目的第二列（duplicate subject column），已取第一列",
    "school_code": "学校代码列（school code），不导入",
    "class_code": "班级代码列（class code），已用班级名称",
    "gender": "性别列（gender），不导入",
    "remark": "备注列（remark），不导入",
    "grade": "年级列（grade），仅用于确定年级",
    "other": "非成绩列，不导入",
    "exam_status": "考试状态列，用于判断缺考、请假等，不作为成绩导入",
    "exam": "考试名称列，用于确定考试",
    "part": "分卷或题型得分（客观题、主观题等），已取该科总分，不导入",
    "value": "成绩列（没有写明科目），不导入；如是某科成绩，请在表头写上科目名",
    "subject_name": "科目名称列，不导入",
    "full_mark": "满分列，不导入",
}


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # as displayed in the report ("语文/得分" for two-row headers)
    role: str  # student_id, name, class, class_code, school, score, level, or an aside role
    subject: str | None = None
    priority: int = 0
    full_mark: float | None = None  # written in the header: 语文(120分), 数学（满分150）


def _strip_header(text: str) -> str:
    s = norm(text).lower()
    s = re.sub(r"[*＊:：]|\((必填|选填|可选)\)", "", s)
    return s


def classify(top: object, sub: object = "", extra_subjects: dict[str, str] | None = None,
             index: int = 0) -> Column:
    """Classify one column from its header cell(s)."""
    t, b = _strip_header(top), _strip_header(sub)
    header = f"{norm(top)}/{norm(sub)}" if b else norm(top)
    if not t and not b:
        return Column(index, header, "unnamed")
    if b and t:
        subject = canonical_subject(t, extra_subjects)
        if subject:
            if b in SUB_SCORE:
                scaled = b in SCALED_SUFFIXES or b == "转换分"
                return Column(index, header, "score", subject, priority=-1 if scaled else 0)
            if b in SUB_TOTAL:
                return Column(index, header, "score", subject)
            if b in PART_WORDS:
                return Column(index, header, "part", subject)
            column = _subject_suffix(b, subject, header, index)
            if column is not None:
                return column
        if _TOTAL_RE.search(t):
            return Column(index, header, "rank" if any(w in b for w in RANK_WORDS) else "total")
        t = t or b
    elif not t:
        t = b
    return _classify_single(t, header, extra_subjects, index)


def _subject_suffix(word: str, subject: str, header: str, index: int) -> Column | None:
    """A subject's raw-score, level or rank column, from the word under its name (two-row
    header) or after it (物理原始分, 数学等级, 语文班名); None for any other word."""
    if word in SUB_RAW:
        return Column(index, header, "raw", subject)
    if word in LEVEL_WORDS:
        return Column(index, header, "level", subject)
    if any(w in word for w in RANK_WORDS):
        return Column(index, header, "rank", subject)
    return None


def _classify_single(t: str, header: str, extra: dict[str, str] | None, index: int) -> Column:
    if t in ID_ALIASES:
        return Column(index, header, "student_id", priority=ID_ALIASES.index(t))
    if t in NAME_ALIASES:
        return Column(index, header, "name")
    if t in CLASS_ALIASES:
        return Column(index, header, "class", priority=CLASS_ALIASES.index(t))
    if t in CLASS_CODE_ALIASES:
        return Column(index, header, "class_code")
    if t in SCHOOL_ALIASES:
        return Column(index, header, "school")
    if t in COMBINATION_ALIASES:
        return Column(index, header, "combination")
    if t in OTHER:
        return Column(index, header, OTHER[t])
    subject = canonical_subject(t, extra)
    if subject:
        return Column(index, header, "score", subject)
    if t in SUB_RAW:
        return Column(index, header, "raw")
    m = _FULL_MARK_RE.match(t)
    if m and canonical_subject(m[1], extra) and (m[0] != m[1] + m[2] or len(m[2]) == 3):
        return Column(index, header, "score", canonical_subject(m[1], extra),
                      full_mark=float(m[2]))
    # subject + suffix: 语文分数, 数学等级, 英语班名, 物理原始分
    for n in (4, 3, 2, 1):
        head, tail = t[:n], t[n:]
        subject = canonical_subject(head, extra) if len(t) > n else None
        if not subject:
            continue
        if tail in SCORE_SUFFIXES:
            return Column(index, header, "score", subject)
        if tail in SCALED_SUFFIXES:
            return Column(index, header, "score", subject, priority=-1)
        if tail in _VARIANTS:  # 数学(文) / 数学(理): one paper per pupil
            return Column(index, header, "score", subject)
        column = _subject_suffix(tail, subject, header, index)
        if column is not None:
            return column
    if _ENTRY_RE.search(t):
        return Column(index, header, "rank" if any(w in t for w in RANK_WORDS) else "entry")
    if any(w in t for w in RANK_WORDS[:-1]):
        return Column(index, header, "rank")
    if _COUNT_RE.search(t):
        return Column(index, header, "count")
    if _TOTAL_RE.search(t):
        return Column(index, header, "total")
    if t in LEVEL_WORDS:
        return Column(index, header, "level")
    if t.startswith("unnamed"):
        return Column(index, header, "unnamed")
    return Column(index, header, "unknown")


def pick(cols: list[Column], role: str) -> Column | None:
    """The preferred column of a role (lowest priority number, then leftmost); None if none."""
    found = [c for c in cols if c.role == role]
    return min(found, key=lambda c: (c.priority, c.index)) if found else None


HEADER_SEARCH_ROWS = 100


def find_header(sheet, accept, extra_subjects=None):
    """The header of a sheet: ``(row, depth, columns)`` with the 0-based row of its first line,
    1 or 2 lines, and each column classified; None when no row in the first
    ``HEADER_SEARCH_ROWS`` is accepted by ``accept(columns)``.

    A second line of sub-headings (得分/校次/班次 under each subject) is merged into the first;
    header cells merged down over both lines count once.
    """
    for i in range(min(HEADER_SEARCH_ROWS, len(sheet.rows))):
        found = header_at(sheet, i, accept, extra_subjects)
        if found is not None:
            return found
    return None


def header_at(sheet, i: int, accept, extra_subjects=None):
    """The header starting at row ``i`` (0-based) as in :func:`find_header`, or None."""
    rows = sheet.rows
    row = rows[i]
    cols = [classify(v, "", extra_subjects, j) for j, v in enumerate(row)]
    if not accept(cols):
        return None
    nxt = rows[i + 1] if i + 1 < len(rows) else []
    below = [("" if sheet.merged_from.get((i + 1, j), (i + 1, j))[0] <= i else v)
             for j, v in enumerate(nxt)]  # a cell merged down from the first line is no sub
    if not (below and looks_like_subheader(below)):
        return i, 1, cols
    top, last = [], ""
    for j, v in enumerate(row):
        t = norm(v)
        sub = norm(below[j]) if j < len(below) else ""
        if t:
            last = t
        elif sub:
            t = last
        top.append(t)
    cols = [classify(top[j], below[j] if j < len(below) else "", extra_subjects, j)
            for j in range(len(row))]
    return i, 2, cols


def looks_like_subheader(cells: list[object]) -> bool:
    """A second header row: several cells such as 得分 / 校次 / 班次 / 等级."""
    words = [_strip_header(c) for c in cells]
    hits = sum(1 for w in words if w in SUB_HEADER_WORDS)
    return hits >= 2 and hits >= sum(1 for w in words if w) * 0.6
