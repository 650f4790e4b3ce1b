"""The pages for each level: a one-page 班级质量分析单 per class and a one-page 教师个人质量分析表
per teacher, written next to the term report as one bookmarked PDF and one Word file.

:func:`pack_data` takes the tables the term report has computed and calls the analysis functions
for the rest, once (summary, compare_classes, compare_exams, targets, progress with
:func:`qualitykit.term.movers.movers`, value_added, teacher_table);
:func:`class_pages` and :func:`teacher_pages` only pick each class's or teacher's rows and
format them; :func:`write_pack` prints the pages (:mod:`qualitykit.report.pack_pdf`,
:mod:`qualitykit.report.pack_word`).
Nothing here computes a statistic: every number on a page is a number of those tables.

The pages are for staff (班主任, the class's teachers, the 教研组): they compare a class with
the grade by its interval (高于 / 低于 / 与年级无明显差别), never by a league order, and name
pupils only in the class's own list of who moved most (masked with ``mask=True``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..labels import MISSING, VALUE_LABELS, label

__all__ = ["Block", "Page", "PackData", "pack_data", "class_pages", "teacher_pages",
           "pack_pages", "pack_name", "write_pack", "run_pack", "GROUPS", "TEXT_COLUMNS",
           "REPORT_TABLES"]

#: The two kinds of page, in the order of the pack, with the title of their bookmark group.
GROUPS = {"class": "班级质量分析单", "teacher": "教师个人质量分析表"}
FOOTER = "本页供学校内部质量分析使用（班主任、任课教师、教研组），不公开，不向学生和家长公布名次。"
#: Columns of words, not figures: left-aligned, they wrap and take the width that is left.
TEXT_COLUMNS = frozenset({label("verdict"), label("va_verdict")})
#: The page margin (mm) of the PDF and the Word file.
MARGIN_MM = 12


@dataclass(frozen=True)
class Block:
    """One part of a page: a heading, a table of display text (Chinese column labels), a note,
    and prompts for what a person writes in (each followed by room to write)."""

    heading: str
    table: pd.DataFrame | None = None
    note: str = ""
    prompts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Page:
    """One A4 page: ``kind`` (a key of :data:`GROUPS`), ``name`` (its bookmark), ``title``,
    the lines under the title, the blocks and the footer."""

    kind: str
    name: str
    title: str
    lines: tuple[str, ...]
    blocks: tuple[Block, ...]
    footer: str = FOOTER


@dataclass(frozen=True)
class PackData:
    """The tables the pages are cut from, each as its analysis function returned it.

    Attributes
    ----------
    term : TermData
    grade : DataFrame
        ``summary(scores, by="subject")``: the grade's 三率一分.
    by_class : DataFrame
        ``summary(scores)``: class × subject, rates with their Wilson intervals.
    vs_grade : DataFrame
        ``compare_classes(scores).classes``: each class's mean against the grade.
    change : DataFrame
        ``compare_exams(scores, previous)`` (empty without an earlier exam).
    counts : DataFrame
        ``target_counts(targets(...), scores)``: 培优/临界/补差/偏科 per class × subject.
    class_va, movers : DataFrame or None
        ``value_added(...).units`` by class; ``movers(progress(...).students)``; None
        without an earlier exam.
    taught : DataFrame
        ``teacher``, ``subject``, ``class_id`` of every class × subject with a teacher
        (``assign_teachers``); empty without a 教学编排表.
    teachers : DataFrame
        ``teacher_table(scores, teachers, previous=previous)``.
    teacher_vs_grade, teacher_va : DataFrame or None
        ``compare_classes(..., group="teacher").classes`` and ``value_added(..., by="teacher")
        .units``.
    """

    term: object
    grade: pd.DataFrame
    by_class: pd.DataFrame
    vs_grade: pd.DataFrame
    change: pd.DataFrame
    counts: pd.DataFrame
    class_va: pd.DataFrame | None = None
    movers: pd.DataFrame | None = None
    taught: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["teacher", "subject", "class_id"]))
    teachers: pd.DataFrame = field(default_factory=pd.DataFrame)
    teacher_vs_grade: pd.DataFrame | None = None
    teacher_va: pd.DataFrame | None = None


#: The report's tables (keys of :func:`qualitykit.write_outputs`' ``tables``) a pack can take
#: instead of computing them again, and the :class:`PackData` field each one is.
REPORT_TABLES = {"basic": "grade", "summary": "by_class", "classes": "vs_grade",
                 "change": "change", "counts": "counts", "value_added": "class_va",
                 "teachers": "teachers", "teacher_classes": "teacher_vs_grade",
                 "teacher_va": "teacher_va"}


def pack_data(term, tables: dict | None = None) -> PackData:
    """Run the analyses the pages show, once, on a :class:`~qualitykit.TermData`.

    Parameters
    ----------
    term : TermData
    tables : dict, optional
        Tables the term report has already computed, by the keys of
        :func:`qualitykit.write_outputs` (:data:`REPORT_TABLES`); each must be what its
        function returns on this ``term`` (extra columns, such as the report's readings, are
        ignored). Missing or None: computed here.

    Examples
    --------
    >>> import qualitykit as qk
    >>> data = pack_data(qk.load_term(exam="2025-2026-1 期末", grade=5))
    >>> sorted(data.by_class["class_id"].unique()), data.taught["teacher"].nunique()
    (['5-1', '5-2', '5-3', '5-4'], 16)
    """
    from ..growth.value_added import value_added
    from ..lists.progress import progress
    from ..lists.targets import target_counts, targets
    from ..term.compare import compare_classes, compare_exams
    from ..term.indicators import summary
    from ..term.movers import movers

    std, scores, previous, staff = term.standard, term.scores, term.previous, term.teachers
    known = {REPORT_TABLES[k]: v for k, v in (tables or {}).items()
             if k in REPORT_TABLES and v is not None}
    data = {"term": term,
            "grade": _known(known, "grade", lambda: summary(scores, by="subject", standard=std)),
            "by_class": _known(known, "by_class", lambda: summary(scores, standard=std)),
            "vs_grade": _known(known, "vs_grade", lambda: compare_classes(scores).classes),
            "change": _known(known, "change",
                             lambda: compare_exams(scores, previous, standard=std)),
            "counts": _known(known, "counts", lambda: target_counts(
                targets(scores, standard=std, teachers=staff, previous=previous), scores))}
    if previous is not None:
        data["class_va"] = _known(known, "class_va",
                                  lambda: value_added(scores, previous, standard=std).units)
        # the pupils' changes only: the lists' transitions and the teachers are not in them
        moved = progress(scores, previous, standard=std, lists=())
        data["movers"] = movers(moved.students, top=std.improved_top)
    if staff is not None:
        data.update(_teacher_data(term, known))
    return PackData(**data)


def _known(known: dict, name: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The report's table for the field ``name``, or ``compute()`` when it has none."""
    return known[name] if name in known else compute()


def _teacher_data(term, known: dict) -> dict:
    """The teachers' tables: who teaches what, 横向 with intervals, 纵向, value added."""
    from ..growth.value_added import value_added
    from ..term.compare import compare_classes
    from ..term.teachers import assign_teachers, teacher_table

    std, scores, previous, staff = term.standard, term.scores, term.previous, term.teachers
    with_teacher = assign_teachers(scores, staff)
    taught = (with_teacher.dropna(subset=["teacher"])[["teacher", "subject", "class_id"]]
              .drop_duplicates().reset_index(drop=True))
    out = {"taught": taught,
           "teachers": _known(known, "teachers", lambda: teacher_table(
               scores, staff, previous=previous, standard=std)),
           # pupils of a class without a teacher stay in the grade (their own NaN group)
           "teacher_vs_grade": _known(known, "teacher_vs_grade", lambda: compare_classes(
               with_teacher, group="teacher").classes)}
    if previous is not None and len(taught):
        out["teacher_va"] = _known(known, "teacher_va", lambda: value_added(
            scores, previous, by="teacher", teachers=staff, standard=std).units)
    return out


# --- how numbers are written on a page (one format per kind of figure) ---------------------

def _fixed(x, digits: int = 1) -> str:
    """A score, mean or Z with ``digits`` decimals; — when missing."""
    return MISSING if pd.isna(x) else f"{x:.{digits}f}"


def _signed(x, digits: int = 1) -> str:
    """A difference with its sign (+3.2, -1.5)."""
    return MISSING if pd.isna(x) else f"{x:+.{digits}f}"


def _pct(x) -> str:
    """A rate (a fraction 0–1) as a percentage with one decimal."""
    return MISSING if pd.isna(x) else f"{100 * x:.1f}%"


def _count(x) -> str:
    return MISSING if pd.isna(x) else str(int(x))


def _with_range(value: str, low, high, write: Callable) -> str:
    """``81.1（76.0～86.3）``: a figure with its interval (the figure alone without one)."""
    if pd.isna(low) or pd.isna(high):
        return value
    return f"{value}（{write(low)}～{write(high)}）"


def _percent(x) -> str:
    """An interval bound of a rate, in percent without the sign (the cell's rate has it)."""
    return f"{100 * x:.1f}"


def _natural(text: str) -> tuple:
    """Class ids in the order a school counts them (5-2 before 5-10)."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(text)))


def _mean_verdict(row) -> str:
    """高于 / 低于 / 与年级无明显差别, as the comparison's interval decided (``significant``)."""
    if pd.isna(row["p_value"]):
        return "人数太少，无法比较"
    words = ("高于年级" if row["diff"] > 0 else "低于年级") if row["significant"] else \
        "与年级无明显差别"
    return words + ("（人数少，仅供参考）" if row["small_group"] else "")


def _va_verdict(row) -> str:
    """The reading of a value-added interval: above, below or as expected."""
    if pd.isna(row["low"]) or pd.isna(row["high"]):
        return "无法估计"
    words = "高于预期" if row["low"] > 0 else "低于预期" if row["high"] < 0 else "与预期无明显差别"
    return words + ("（人数少，仅供参考）" if row["small"] else "")


def _shown(columns: dict[str, list]) -> pd.DataFrame:
    """A page table: identifier → cells, with the Chinese labels of :mod:`qualitykit.labels`."""
    return pd.DataFrame({label(k): v for k, v in columns.items()})


# --- the class page ---------------------------------------------------------------------------

def class_pages(data: PackData, *, mask: bool = False) -> list[Page]:
    """One 班级质量分析单 per class, in the order a school counts its classes.

    ``mask``: pupils' names as 张＊ (:func:`qualitykit.mask_names`).
    """
    names = _class_names(data.term.scores)
    return [_class_page(data, cls, names[cls], mask)
            for cls in sorted(data.by_class["class_id"].unique(), key=_natural)]


def _where(term) -> str:
    """The line under a page's title: school, grade, exam, date."""
    from ..term.load import exam_title

    return f"{term.school}　{term.grade_name}　{exam_title(term.exam)}　分析日期：{term.date}"


def _class_names(scores: pd.DataFrame) -> dict[str, str]:
    """class_id → the class as the sheet names it (五年级1班), else the class_id."""
    ids = scores["class_id"].drop_duplicates()
    if "class_name" not in scores:
        return dict(zip(ids, ids))
    named = scores.dropna(subset=["class_name"]).drop_duplicates("class_id")
    names = dict(zip(named["class_id"], named["class_name"].astype(str)))
    return {c: names.get(c) or str(c) for c in ids}


def _class_page(data: PackData, cls: str, name: str, mask: bool) -> Page:
    term = data.term
    teachers = data.taught[data.taught["class_id"] == cls]
    staff = "；".join(f"{r.subject} {r.teacher}" for r in teachers.itertuples())
    lines = (_where(term), f"任课教师：{staff}" if staff else "任课教师：未提供教学编排表")
    blocks = (_class_means(data, cls), _class_rates(data, cls), _class_change(data, cls),
              _counts_block(data.counts[data.counts["class_id"] == cls],
                            "四、培优补差人数（各科名单发给任课教师）", with_class=False),
              _movers_block(data, cls, mask))
    return Page("class", name, f"班级质量分析单：{name}", lines, blocks)


def _class_means(data: PackData, cls: str) -> Block:
    rows = data.vs_grade[data.vs_grade["class_id"] == cls]
    teacher = {r.subject: r.teacher for r in
               data.taught[data.taught["class_id"] == cls].itertuples()}
    table = _shown({
        "subject": list(rows["subject"]),
        "teacher": [teacher.get(s, MISSING) for s in rows["subject"]],
        "n_sat": [_count(n) for n in rows["n_sat"]],
        "mean_ci": [_with_range(_fixed(r.mean), r.mean_low, r.mean_high, _fixed)
                    for r in rows.itertuples()],
        "grade_mean": [_fixed(x) for x in rows["grade_mean"]],
        "diff_ci": [_with_range(_signed(r.diff), r.diff_low, r.diff_high, _signed)
                    for r in rows.itertuples()],
        "verdict": [_mean_verdict(r) for _, r in rows.iterrows()]})
    return Block("一、各科平均分与年级比较", table,
                 "括号内为 95% 区间；与年级均分差的区间已按班级数校正，区间跨过 0 即与年级无明显差别。")


def _class_rates(data: PackData, cls: str) -> Block:
    rows = data.by_class[data.by_class["class_id"] == cls].merge(
        data.grade[["subject", "pass_rate", "excellent_rate", "low_rate"]], on="subject",
        how="left", suffixes=("", "_grade"))
    columns = {"subject": list(rows["subject"])}
    for rate in ("pass_rate", "excellent_rate", "low_rate"):
        columns[f"{rate}_ci"] = [
            _with_range(_pct(r[rate]), r[f"{rate}_low"], r[f"{rate}_high"], _percent)
            for _, r in rows.iterrows()]
        columns[f"grade_{rate}"] = [_pct(x) for x in rows[f"{rate}_grade"]]
    return Block("二、三率与年级比较", _shown(columns),
                 "括号内为 95% 区间（百分数）；年级的值落在区间之外，才说明本班与年级有差别。")


def _class_change(data: PackData, cls: str) -> Block:
    heading = "三、与上次考试比较（同一批学生，按现在的班级）"
    rows = data.change[data.change["class_id"] == cls]
    if rows.empty:
        return Block(heading, note="未提供上次考试成绩，本节从略。")
    va = data.class_va[data.class_va["class_id"] == cls] if data.class_va is not None else None
    rows = rows.merge(va, on="subject", how="left", suffixes=("", "_va")) \
        if va is not None and len(va) else rows.assign(estimate=float("nan"), low=float("nan"),
                                                        high=float("nan"), small=False)
    table = _shown({
        "subject": list(rows["subject"]), "n_matched": [_count(n) for n in rows["n_matched"]],
        "prev_mean": [_fixed(x) for x in rows["prev_mean"]],
        "current_mean": [_fixed(x) for x in rows["mean"]],
        "prev_above_mean_rate": [_pct(x) for x in rows["prev_above_mean_rate"]],
        "current_above_mean_rate": [_pct(x) for x in rows["above_mean_rate"]],
        "z_change": [_signed(x, 2) for x in rows["z_change"]],
        "va_ci": [_with_range(_signed(r.estimate, 2), r.low, r.high,
                              lambda x: _signed(x, 2)) for r in rows.itertuples()],
        "va_verdict": [_va_verdict(r) for _, r in rows.iterrows()]})
    from ..term.load import exam_title

    exam = exam_title(rows["prev_exam"].iloc[0])
    return Block(heading, table,
                 f"上次考试：{exam}。两次试卷不同，原始分不宜直接相减：变化看超均率（与各自年级均分之比）、"
                 "平均 Z 分数的变化和增值（以上次成绩为入口，单位为 Z 分数；区间含 0 即与预期无明显差别）。")


def _counts_block(rows: pd.DataFrame, heading: str, *, with_class: bool) -> Block:
    """培优/临界/补差/偏科 counts (rows of ``target_counts``) as a page table."""
    if rows.empty:
        return Block(heading, note="没有名单人数。")
    columns = {"subject": list(rows["subject"])}
    if with_class:
        columns["class_id"] = list(rows["class_id"])
    for name in ("n_sat", "n_enrichment", "n_borderline", "n_support", "n_lopsided",
                 "n_support_entered"):
        if name in rows:
            columns[name] = [_count(n) for n in rows[name]]
    return Block(heading, _shown(columns),
                 "名单规则见质量分析报告的“培优补差”一节"
                 + ("；补差新增：本次新进入补差名单的人数。" if "n_support_entered" in rows else "。"))


def _movers_block(data: PackData, cls: str, mask: bool) -> Block:
    heading = "五、进步与退步最多的学生（仅供本班教师，不公开）"
    if data.movers is None:
        return Block(heading, note="未提供上次考试成绩，本节从略。")
    rows = data.movers[data.movers["class_id"] == cls]
    if rows.empty:
        return Block(heading, note="没有两次考试都参加的学生。")
    if mask:
        from ..term.load import mask_names

        rows = mask_names(rows)
    table = _shown({
        "direction": [VALUE_LABELS["direction"][d] for d in rows["direction"]],
        "student_id": list(rows["student_id"]), "name": list(rows["name"]),
        "n_subjects": [_count(n) for n in rows["n_subjects"]],
        "z_change": [_signed(x, 2) for x in rows["z_change"]],
        "pct_change": [_signed(x) for x in rows["pct_change"]]})
    note = ("按两次考试都参加的各科 Z 分数（在年级中的位置）变化的平均；个人的变化含偶然波动，"
            "宜结合平时表现看，用于谈心和学习进步奖的提名。")
    if (rows["z_change"] * rows["pct_change"] < 0).any():
        note += ("百分等级按名次算，两次考试分数分布的形状不同时（如上次低分很多），"
                 "它的变化可能与 Z 分数变化方向相反。")
    return Block(heading, table, note)


# --- the teacher page -------------------------------------------------------------------------

def teacher_pages(data: PackData) -> list[Page]:
    """One 教师个人质量分析表 per teacher of the 教学编排表, by subject and name (none without
    a 教学编排表)."""
    if data.taught.empty:
        return []
    known = set(data.taught["teacher"])
    order = [t for t in dict.fromkeys(data.teachers["teacher"]) if t in known]
    return [_teacher_page(data, t) for t in order]


def _teacher_page(data: PackData, teacher: str) -> Page:
    from ..subjects import subjects_in_order

    term = data.term
    taught = data.taught[data.taught["teacher"] == teacher]
    subjects = subjects_in_order(taught["subject"].unique())
    classes = {s: sorted(taught.loc[taught["subject"] == s, "class_id"], key=_natural)
               for s in subjects}
    what = "；".join(f"{s} {'、'.join(c)}" for s, c in classes.items())
    lines = (_where(term), f"任教：{what}")
    counts = data.counts.merge(taught[["subject", "class_id"]], on=["subject", "class_id"])
    blocks = (_teacher_across(data, teacher, classes), _teacher_over_time(data, teacher),
              _teacher_va(data, teacher),
              _counts_block(counts, "四、所教班级培优补差人数", with_class=True),
              Block("五、个人分析（由教师填写，质量分析会前交教研组）",
                    prompts=("成绩与问题：", "原因分析：", "改进措施（培优、补差的对象和做法，时间）：")))
    return Page("teacher", teacher, f"教师个人质量分析表：{teacher}", lines, blocks)


def _teacher_across(data: PackData, teacher: str, classes: dict[str, list[str]]) -> Block:
    """横向: each class taught, the teacher's own pupils together (two classes or more) and
    the grade, by subject."""
    rows = []
    for subject, ids in classes.items():
        for cls in ids:
            rows += _across_rows(subject, cls, data.vs_grade, data.by_class, "class_id", cls)
        if len(ids) > 1:
            rows += _across_rows(subject, "所教合计", data.teacher_vs_grade, data.teachers,
                                 "teacher", teacher)
        grade = data.grade[data.grade["subject"] == subject]
        rows += [{"subject": subject, "class_id": "年级", "n_sat": _count(g.n_sat),
                  "mean": _fixed(g.mean), "diff_ci": MISSING, "pass_rate": _pct(g.pass_rate),
                  "excellent_rate": _pct(g.excellent_rate), "low_rate": _pct(g.low_rate),
                  "verdict": MISSING} for g in grade.itertuples()]
    table = _shown({k: [r[k] for r in rows] for k in rows[0]}) if rows else None
    return Block("一、横向：所教班级与年级比较", table,
                 "与年级均分差的括号内为 95% 区间（已按同科班级数或教师数校正），区间跨过 0 即与年级无明显差别。")


def _across_rows(subject: str, shown_as: str, compared: pd.DataFrame | None,
                 rates: pd.DataFrame, column: str, unit: str) -> list[dict]:
    """The row of one class (or of a teacher's pupils) of :func:`_teacher_across`."""
    if compared is None:
        return []
    cmp = compared[(compared["subject"] == subject) & (compared[column] == unit)]
    rate = rates[(rates["subject"] == subject) & (rates[column] == unit)]
    if cmp.empty or rate.empty:
        return []
    c, r = cmp.iloc[0], rate.iloc[0]
    return [{"subject": subject, "class_id": shown_as, "n_sat": _count(c["n_sat"]),
             "mean": _fixed(c["mean"]),
             "diff_ci": _with_range(_signed(c["diff"]), c["diff_low"], c["diff_high"], _signed),
             "pass_rate": _pct(r["pass_rate"]), "excellent_rate": _pct(r["excellent_rate"]),
             "low_rate": _pct(r["low_rate"]), "verdict": _mean_verdict(c)}]


def _points(x) -> str:
    """A change of a rate, in percentage points with its sign."""
    return MISSING if pd.isna(x) else f"{100 * x:+.1f} 个百分点"


def _teacher_over_time(data: PackData, teacher: str) -> Block:
    from ..term.load import exam_title

    heading = "二、纵向：与上次考试比较（本人所教学生）"
    rows = data.teachers[data.teachers["teacher"] == teacher]
    if "prev_mean" not in rows or data.term.previous is None:
        return Block(heading, note="未提供上次考试成绩，本节从略。")
    table = _shown({
        "subject": list(rows["subject"]),
        "prev_exam": [MISSING if pd.isna(e) else exam_title(e) for e in rows["prev_exam"]],
        "prev_mean": [_fixed(x) for x in rows["prev_mean"]],
        "current_mean": [_fixed(x) for x in rows["mean"]],
        "prev_above_mean_rate": [_pct(x) for x in rows["prev_above_mean_rate"]],
        "current_above_mean_rate": [_pct(x) for x in rows["above_mean_rate"]],
        "above_mean_change": [_points(x) for x in rows["above_mean_change"]]})
    note = "两次试卷不同，看超均率（与各自年级均分之比）的变化，不直接比原始分。"
    if rows["prev_mean"].isna().any():
        note += ("“—”：找不到这位教师上次考试所教的学生（教学编排表中没有这位教师上次的任课，"
                 "或上次的成绩表没有班级），不能与本人上次比较；可看下面的增值（所教学生以上次成绩为入口）。")
    return Block(heading, table, note)


def _teacher_va(data: PackData, teacher: str) -> Block:
    heading = "三、增值评价（所教学生，以上次考试为入口）"
    if data.teacher_va is None:
        return Block(heading, note="未提供上次考试成绩，本节从略。")
    rows = data.teacher_va[data.teacher_va["teacher"] == teacher]
    if rows.empty:
        return Block(heading, note="所教学生没有上次考试的成绩，无法计算增值。")
    table = _shown({
        "subject": list(rows["subject"]), "n_matched": [_count(n) for n in rows["n"]],
        "z_entry": [_signed(x, 2) for x in rows["z_entry"]],
        "z_exit": [_signed(x, 2) for x in rows["z_exit"]],
        "va_ci": [_with_range(_signed(r.estimate, 2), r.low, r.high,
                              lambda x: _signed(x, 2)) for r in rows.itertuples()],
        "va_verdict": [_va_verdict(r) for _, r in rows.iterrows()]})
    return Block(heading, table,
                 "增值：所教学生本次成绩高出按上次成绩预期的平均，单位为 Z 分数；括号内为 95% 区间，"
                 "区间含 0 即与预期无明显差别。一学年内换过老师的班，增值是前后几位老师共同的。")


# --- the pack -----------------------------------------------------------------------------

def pack_pages(data: PackData, *, mask: bool = False) -> list[Page]:
    """Every page of the pack: the classes, then the teachers."""
    return class_pages(data, mask=mask) + teacher_pages(data)


def pack_name(term) -> str:
    """The pack's title and file name: 青禾实验小学五年级2025—2026学年第一学期期末班级与教师质量分析."""
    from ..term.load import exam_title

    return f"{term.school}{term.grade_name}{exam_title(term.exam)}班级与教师质量分析"


def write_pack(term, out_dir: str | Path, *, formats: tuple[str, ...] = ("pdf", "docx"),
               tables: dict | None = None, mask: bool = False, pdf_engine: str | None = None,
               log: Callable[[str], None] | None = None) -> dict[str, Path]:
    """Write the pack of a term: one PDF (a bookmark per class and per teacher) and one Word
    file with the same pages.

    Parameters
    ----------
    term : TermData
        From :func:`qualitykit.load_term`.
    out_dir : path
        The folder (created), usually the report's; empty string: write nothing (as
        :func:`qualitykit.write_outputs`).
    formats : tuple
        ``pdf``, ``docx`` and/or ``html``: the pages as one HTML file that prints as the PDF
        (the term report's notebook writes it, and ``qualitykit report`` prints it with the
        report, in one browser; :func:`~qualitykit.report.pack_pdf.print_pack`). Other
        formats are ignored.
    tables : dict, optional
        The term report's tables, to use instead of computing them again
        (:func:`pack_data`).
    mask : bool
        Pupils' names as 张＊.
    pdf_engine : {"chromium", "weasyprint"}, optional
        See :func:`qualitykit.report.html_to_pdf`.
    log : callable, optional
        Called with a line of text for each step (none by default: in a notebook, a line
        printed would be a line of the report).

    Returns
    -------
    dict
        Format → path of what was written; empty for a sheet graded in levels only (一、二年级:
        there is no score to compare) and when ``formats`` has none of the three.

    Examples
    --------
    In the term-analysis notebook, before :func:`qualitykit.write_outputs` (``qualitykit
    report`` prints the pages while the notebook writes the Word report)::

        pack = qk.write_pack(term, output_dir, tables=tables, formats=("html", "docx"))
    """
    from .office import later
    from .pack_pdf import write_pack_html, write_pack_pdf
    from .pack_word import write_pack_docx

    if not out_dir or not {"pdf", "docx", "html"} & set(formats):
        return {}
    log = log or (lambda line: None)
    if term.levels_only:
        log("      各科都只记等级：不生成班级质量分析单和教师个人质量分析表")
        return {}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages = pack_pages(pack_data(term, tables), mask=mask)
    name = pack_name(term)
    n_classes = sum(p.kind == "class" for p in pages)
    log(f"      班级质量分析单 {n_classes} 页，教师个人质量分析表 {len(pages) - n_classes} 页")
    files = {}
    if "html" in formats:
        files["html"] = write_pack_html(pages, out / f"{name}.html", title=name)
    if "pdf" in formats:
        files["pdf"] = write_pack_pdf(pages, out / f"{name}.pdf", title=name, engine=pdf_engine)
    if "docx" in formats:
        files["docx"] = out / f"{name}.docx"
        if not later("pack", pages, files["docx"], title=name):  # see report.office
            write_pack_docx(pages, files["docx"], title=name)
    return files


def run_pack(score_file: str | Path | None = None, *, out_dir: str | Path = "output/report",
             formats: tuple[str, ...] = ("pdf", "docx"), pdf_engine: str | None = None,
             log: Callable[[str], None] = print, **parameters) -> dict[str, Path]:
    """Read a term as :func:`qualitykit.report.run_report` does and write its pack (on its own:
    ``qualitykit report`` writes the pack in its notebook, from the report's own tables).

    ``parameters`` are the term report's (``exam``, ``grade``, ``teacher_file``,
    ``previous_file``, ``mask_names`` …; ``None`` is "not given"); returns
    :func:`write_pack`'s files.
    """
    from ..term.load import load_term
    from .parameters import library_arguments, notebook_parameters
    from .term_report import FILES, LOAD_TERM

    if not {"pdf", "docx", "html"} & set(formats):
        return {}
    params = notebook_parameters({"score_file": score_file, **parameters}, files=FILES,
                                 defaults={"exam": "", "grade": 0})
    term = load_term(**library_arguments(params, LOAD_TERM))
    return write_pack(term, out_dir, formats=formats, mask=bool(params.get("mask_names")),
                      pdf_engine=pdf_engine, log=log)
