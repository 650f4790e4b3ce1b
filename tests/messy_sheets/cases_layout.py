"""Cases of layout: merged cells, statistics rows and footers, class heading rows, formulas and
error cells, level words, hidden sheets (kinds 1–5 of the issue)."""

from __future__ import annotations

import datetime as dt

from .grid import Column, ErrorCell, Formula, SheetBuilder, letter
from .model import Pupil, Refusal, Reported, Result, SheetNoted
from .people import CN_GRADE, SCHOOL, Cohort, Writing, make_pupils, plant, rng_for
from .registry import case, make_case, plain_sheet, title, variants
from .tables import (FOOTERS, class_col, formulas_in_column, id_col, name_col, rank_col,
                     seq_col, stat_row, subject_col, total_col)
from .writers import xls_xlwt, xlsx_openpyxl, xlsx_xlsxwriter

BOTH = (("xlsx", xlsx_openpyxl), ("xls", xls_xlwt))


def by_class(pupils):
    blocks: dict[str, list] = {}
    for p in pupils:
        blocks.setdefault(p.class_id, []).append(p)
    return list(blocks.values())


# --------------------------------------------------------------------------------------------
# 1. merged cells
# --------------------------------------------------------------------------------------------
@variants(*BOTH)
def merged_class_blocks(name, writer, ext):
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "科学")
    cohort = Cohort(grade=5, classes=(1, 2, 3), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "数学", "absent", 2)
    plant(rng, pupils, "英语", "excused", 1)
    w = Writing().with_markers(absent=("缺考", ""))
    b = SheetBuilder("五年级", [seq_col(), class_col("五(1)班"), id_col(), name_col(),
                               *[subject_col(s, rng, w) for s in subjects], total_col(subjects)])
    b.banner(title(5))
    b.header()
    b.pupils(pupils, class_merge=True)
    return make_case(name, "班级 written once per class and merged down; merged title row",
                     (1,), f"五年级期末成绩.{ext}", writer, [b.done()], pupils, cohort)


@variants(*BOTH)
def two_row_header_ranks(name, writer, ext):
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "物理")
    cohort = Cohort(grade=8, classes=(3, 4), subjects=subjects, halves=True,
                    full_marks={"语文": 120, "数学": 120, "英语": 120})
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "物理", "absent", 2)
    w = Writing().with_markers(absent=("缺考，不计排名",))
    cols = [id_col("考号"), name_col(), class_col("七年级12班"),
            total_col(subjects, ("总分", "得分")), rank_col(pupils, subjects, ("总分", "班次"))]
    for s in subjects:
        cols += [subject_col(s, rng, w, (s, "得分")), rank_col(pupils, [s], (s, "班次")),
                 rank_col(pupils, [s], (s, "校次"), within_class=False)]
    b = SheetBuilder("成绩", cols)
    b.banner(title(8, exam="期中"))
    b.header(merge_vertical=True)
    b.pupils(pupils)
    return make_case(name, "two-row merged header (科目 over 得分/班次/校次), 考号/姓名/班级 merged "
                     "down over both header rows, 120-point subjects", (1,),
                     f"八年级期中成绩.{ext}", writer, [b.done()], pupils, cohort)


@case
def marker_merged_across_subjects_xlsx():
    name = "marker_merged_across_subjects_xlsx"
    subjects = ("语文", "数学", "英语", "科学")
    rng, cohort, pupils, b = plain_sheet(name, 5, subjects=subjects)
    chosen = [pupils[i] for i in sorted(rng.choice(len(pupils), size=3, replace=False))]
    for p, status in zip(chosen, ("transferred", "excused", "absent")):
        for s in subjects:
            p.results[s] = Result(status)
    b.pupils(pupils)
    first, last = b.column_index(subjects[0]), b.column_index(subjects[-1])
    for p, word in zip(chosen, ("转学", "病假", "缺考")):
        row = b.grid.rows[p.row - 1]
        row[first:last + 1] = [word] + [None] * (last - first)
        b.merge(p.row - 1, first, p.row - 1, last)
    return make_case(name, "a pupil away for the whole exam: 转学/病假/缺考 written once in a cell "
                     "merged across all his subjects", (1, 10), "五年级成绩.xlsx", xlsx_openpyxl,
                     [b.done()], pupils, cohort)


@case
def category_row_over_header_xlsx():
    name = "category_row_over_header_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "科学")
    cohort = Cohort(grade=6, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "科学", "absent", 1)
    b = SheetBuilder("成绩", [id_col(("学生信息", "学号")), name_col(("学生信息", "姓名")),
                             class_col("五(1)班", ("学生信息", "班级")),
                             *[subject_col(s, rng, header=("考试成绩", s)) for s in subjects],
                             total_col(subjects, ("统计", "总分")),
                             rank_col(pupils, subjects, ("统计", "班名次"))])
    b.banner(title(6))
    b.header()
    b.pupils(pupils)
    return make_case(name, "a category row (学生信息 / 考试成绩 / 统计, merged across) above the "
                     "real header row", (1, 10), "六年级成绩.xlsx", xlsx_openpyxl, [b.done()],
                     pupils, cohort)


# --------------------------------------------------------------------------------------------
# 2. statistics rows, footers, class headings, stacked tables
# --------------------------------------------------------------------------------------------
@case
def stats_rows_under_pupils_xlsx():
    name = "stats_rows_under_pupils_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "道德与法治")
    cohort = Cohort(grade=6, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "语文", "absent", 1)
    b = SheetBuilder("六年级", [seq_col(), id_col(), name_col(), class_col("五（1）班"),
                               *[subject_col(s, rng, header="道法" if s == "道德与法治" else s)
                                 for s in subjects], total_col(subjects)])
    b.banner(title(6))
    b.header()
    b.pupils(pupils)
    rows = [stat_row(b, pupils, label, kind) for label, kind in (
        ("平均分", "mean"), ("最高分", "max"), ("最低分", "min"), ("及格率", "pass"),
        ("优秀率", "excellent"), ("参考人数", "count"))]
    b.blank()
    rows += [b.banner(FOOTERS[2]), b.banner(FOOTERS[4])]
    return make_case(name, "平均分/最高分/最低分/及格率/优秀率/参考人数 rows under all pupils "
                     "(label in 姓名, numbers and 95.2% in the score cells), 制表人/打印日期 "
                     "footers merged across", (2,), "六年级期末成绩.xlsx", xlsx_openpyxl,
                     [b.done()], pupils, cohort, checks=(Reported(tuple(rows)),))


@case
def stats_rows_per_class_block_xls():
    name = "stats_rows_per_class_block_xls"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "科学")
    cohort = Cohort(grade=4, classes=(1, 2, 3), subjects=subjects, halves=True)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "科学", "absent", 2)
    b = SheetBuilder("四年级", [seq_col(), class_col("5-1"), id_col(), name_col(),
                               *[subject_col(s, rng) for s in subjects], total_col(subjects)])
    b.banner(title(4))
    b.header()
    rows = []
    for block in by_class(pupils):
        b.pupils(block)
        rows += [stat_row(b, block, "平均分", "mean", label_role="seq", merge_label=True),
                 stat_row(b, block, "合格率", "pass", label_role="seq", merge_label=True),
                 stat_row(b, block, "实考人数", "count", label_role="seq", merge_label=True)]
    return make_case(name, "平均分/合格率/实考人数 under each class block, label in 序号 merged "
                     "across to 姓名", (2, 1), "四年级期末成绩.xls", xls_xlwt, [b.done()], pupils,
                     cohort, checks=(Reported(tuple(rows)),))


@case
def stats_label_in_id_column_xlsx():
    name = "stats_label_in_id_column_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 3, subjects=("语文", "数学", "英语"))
    b.pupils(pupils)
    rows = [stat_row(b, pupils, label, kind, label_role="id") for label, kind in (
        ("均分", "mean"), ("合计", "sum"), ("标准差", "std"), ("中位数", "median"))]
    return make_case(name, "均分/合计/标准差/中位数 with the label in the 学号 column and no name",
                     (2,), "三年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     checks=(Reported(tuple(rows)),))


@case
def stats_label_in_class_column_xlsx():
    name = "stats_label_in_class_column_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=5, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [class_col("五(1)班"), id_col(), name_col(),
                             *[subject_col(s, rng) for s in subjects]])
    b.banner(title(5))
    b.header()
    rows = []
    for block in by_class(pupils):
        b.pupils(block)
        rows += [stat_row(b, block, "最高分", "max", label_role="class"),
                 stat_row(b, block, "低分率", "low", label_role="class")]
    rows.append(stat_row(b, pupils, "总计", "count", label_role="class"))
    return make_case(name, "最高分/低分率 per class and 总计 with the label in the 班级 column",
                     (2,), "五年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     checks=(Reported(tuple(rows)),))


@variants(*BOTH)
def class_heading_rows(name, writer, ext):
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=5, classes=(1, 2, 3), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "英语", "absent", 1)
    b = SheetBuilder("五年级", [seq_col(), id_col(), name_col(),
                               *[subject_col(s, rng) for s in subjects]])
    b.banner(title(5))
    b.header()
    rows = []
    for block in by_class(pupils):
        c = block[0].class_id.split("-")[1]
        heading = f"五年级（{c}）班" if int(c) % 2 else f"五年级{c}班"
        rows.append(b.banner(heading, merge=(ext == "xlsx")))
        b.pupils(block)
        if ext == "xlsx":
            rows.append(stat_row(b, block, "平均分", "mean", label_role="seq"))
    return make_case(name, "no class column: a heading row 五年级（2）班 above each class block "
                     + ("(merged across) and 平均分 under it" if ext == "xlsx" else "(alone in A)"),
                     (2,), f"五年级成绩.{ext}", writer, [b.done()], pupils, cohort,
                     checks=(Reported(tuple(rows), what="class headings and statistics rows"),))


@case
def stacked_class_tables_xlsx():
    name = "stacked_class_tables_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "科学")
    cohort = Cohort(grade=5, classes=(1, 2, 3), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("Sheet1", [seq_col(), id_col(), name_col(),
                               *[subject_col(s, rng) for s in subjects]])
    rows = []
    for k, block in enumerate(by_class(pupils)):
        c = block[0].class_id.split("-")[1]
        t = b.banner(f"{SCHOOL}五年级（{c}）班期末成绩表")
        h = b.header()
        if k:
            rows += [t, h]
        b.pupils(block)
        rows.append(stat_row(b, block, "平均分", "mean"))
        b.blank(2)
    return make_case(name, "one table per class stacked in one sheet, each with its own title "
                     "(naming the class) and repeated header row", (2,), "五年级各班成绩.xlsx",
                     xlsx_openpyxl, [b.done()], pupils, cohort,
                     checks=(Reported(tuple(rows), what="titles, repeated headers, 平均分"),))


@case
def footers_and_slash_rows_xls():
    name = "footers_and_slash_rows_xls"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=6, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [seq_col(), class_col("5-1"), id_col(), name_col(),
                             *[subject_col(s, rng) for s in subjects], total_col(subjects)])
    b.banner(title(6))
    b.header()
    b.pupils(pupils)
    rows = [stat_row(b, pupils, "最高分", "max", label_role="seq"),
            stat_row(b, pupils, "中位数", "slash", label_role="seq")]
    rows += [b.banner(FOOTERS[0]), b.banner(FOOTERS[1]), b.banner(FOOTERS[3]),
             b.banner(FOOTERS[5])]
    return make_case(name, "a 最高分 row, a 中位数 row of '/', then 注：/备注：/班主任签字：/"
                     "第1页，共1页 footers merged across", (2,), "六年级成绩.xls", xls_xlwt,
                     [b.done()], pupils, cohort, checks=(Reported(tuple(rows)),))


# --------------------------------------------------------------------------------------------
# 3. formulas and error cells
# --------------------------------------------------------------------------------------------
def _formula_cells(name, subject):
    rng, cohort, pupils, b = plain_sheet(name, 5, subjects=("语文", "数学", "英语"))
    b.pupils(pupils)
    col = b.column_index(subject)
    chosen = sorted(rng.choice(len(pupils), size=3, replace=False))
    refs = []
    for i in chosen:
        p = pupils[i]
        score = int(p.results[subject].score)
        part = score // 2
        b.grid.rows[p.row - 1][col] = Formula(f"={part}+{score - part}")
        refs.append(f"{letter(col)}{p.row}")
    return cohort, pupils, b, refs


@variants(*BOTH)
def uncached_formula_scores(name, writer, ext):
    cohort, pupils, b, refs = _formula_cells(name, "数学")
    who = "openpyxl" if ext == "xlsx" else "xlwt"
    return make_case(name, f"three 数学 cells are formulas (=45+41) saved by {who} without a "
                     "cached value", (3,), f"五年级成绩.{ext}", writer, [b.done()], pupils,
                     cohort, expect="refuse", refusal=Refusal(sheet="成绩", cells=tuple(refs)))


@case
def xlsxwriter_formula_scores_xlsx():
    name = "xlsxwriter_formula_scores_xlsx"
    cohort, pupils, b, refs = _formula_cells(name, "语文")
    return make_case(name, "三个语文 cells are formulas written by xlsxwriter: cached value 0, "
                     "fullCalcOnLoad, never computed by Excel", (3,), "五年级成绩.xlsx",
                     xlsx_xlsxwriter, [b.done()], pupils, cohort, expect="refuse",
                     refusal=Refusal(sheet="成绩", cells=tuple(refs)))


@variants(*BOTH)
def error_cells(name, writer, ext):
    subjects = ("语文", "数学", "英语", "科学")
    rng, cohort, pupils, b = plain_sheet(name, 5, subjects=subjects)
    b.pupils(pupils)
    chosen = sorted(rng.choice(len(pupils), size=4, replace=False))
    refs = []
    for i, subject, code in zip(chosen, subjects, ("#VALUE!", "#N/A", "#DIV/0!", "#REF!")):
        col = b.column_index(subject)
        b.grid.rows[pupils[i].row - 1][col] = ErrorCell(code)
        refs.append(f"{letter(col)}{pupils[i].row}")
    return make_case(name, "#VALUE!, #N/A, #DIV/0!, #REF! error cells in four score columns",
                     (3,), f"五年级成绩.{ext}", writer, [b.done()], pupils, cohort,
                     expect="refuse", refusal=Refusal(sheet="成绩", cells=tuple(refs)))


@variants(("xlsx", xlsx_openpyxl), ("xlsxwriter_xlsx", xlsx_xlsxwriter), ("xls", xls_xlwt))
def formula_total_column(name, writer, ext):
    subjects = ("语文", "数学", "英语")
    rng = rng_for(name)
    cohort = Cohort(grade=5, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "英语", "absent", 1)
    b = SheetBuilder("成绩", [id_col(), name_col(), class_col(),
                             *[subject_col(s, rng) for s in subjects], total_col(subjects)])
    b.banner(title(5))
    b.header()
    rows = b.pupils(pupils)
    total = b.role_index("total")
    formulas_in_column(b, rows, total, subjects)
    how = {"xlsx": "without cached values (openpyxl)", "xls": "without cached values (xlwt)",
           "xlsxwriter_xlsx": "cached as 0 (xlsxwriter, fullCalcOnLoad)"}[ext]
    return make_case(name, f"总分 column of =SUM() formulas {how}; the subjects are plain numbers",
                     (3,), f"五年级成绩.{ext.split('_')[-1]}", writer, [b.done()], pupils, cohort,
                     expect="either",
                     refusal=Refusal(sheet="成绩", columns=(letter(total),)))


@case
def error_in_class_column_xlsx():
    name = "error_in_class_column_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 5)
    b.pupils(pupils)
    col = b.role_index("class")
    chosen = sorted(rng.choice(len(pupils), size=2, replace=False))
    refs = []
    for i in chosen:
        b.grid.rows[pupils[i].row - 1][col] = ErrorCell("#N/A")
        refs.append(f"{letter(col)}{pupils[i].row}")
    return make_case(name, "班级 filled by VLOOKUP from the roster: #N/A for two pupils not found",
                     (3, 10), "五年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     expect="refuse", refusal=Refusal(sheet="成绩", cells=tuple(refs)))


@case
def date_cells_in_scores_xlsx():
    name = "date_cells_in_scores_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 2, subjects=("语文", "数学"))
    b.pupils(pupils)
    col = b.column_index("数学")
    chosen = sorted(rng.choice(len(pupils), size=2, replace=False))
    refs = []
    for i, (m, d) in zip(chosen, ((9, 5), (8, 5))):
        r = pupils[i].row
        b.grid.rows[r - 1][col] = dt.datetime(2025, m, d)
        b.grid.formats[(r - 1, col)] = "m月d日"
        refs.append(f"{letter(col)}{r}")
    return make_case(name, "Excel turned two typed scores (9.5, 8.5) into dates 9月5日, 8月5日",
                     (10,), "二年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     expect="refuse", refusal=Refusal(sheet="成绩", cells=tuple(refs)))


# --------------------------------------------------------------------------------------------
# 4. level words
# --------------------------------------------------------------------------------------------
@variants(("xlsx", xlsx_openpyxl), ("xls", xls_xlwt))
def level_words_among_numbers(name, writer, ext):
    rng, cohort, pupils, b = plain_sheet(name, 4)
    b.pupils(pupils)
    words = (("数学", "优"), ("数学", "良"), ("语文", "及格")) if ext == "xlsx" else \
        (("英语", "A"), ("英语", "B"), ("数学", "良好"))
    chosen = sorted(rng.choice(len(pupils), size=3, replace=False))
    refs = []
    for i, (subject, word) in zip(chosen, words):
        col = b.column_index(subject)
        b.grid.rows[pupils[i].row - 1][col] = word
        refs.append(f"{letter(col)}{pupils[i].row}")
    return make_case(name, "level words (" + "/".join(w for _, w in words) + ") typed among the "
                     "numbers of a score column", (4,), f"四年级成绩.{ext}", writer, [b.done()],
                     pupils, cohort, expect="refuse",
                     refusal=Refusal(sheet="成绩", cells=tuple(refs)))


LEVEL_WORDS = ("优秀", "良好", "合格", "待合格")
LEVEL_LETTERS = ("A", "B", "C", "D")


@variants(("xlsx", xlsx_openpyxl), ("xls", xls_xlwt))
def levels_only_lower_grade(name, writer, ext):
    rng = rng_for(name)
    grade = 1 if ext == "xlsx" else 2
    levels = LEVEL_WORDS if ext == "xlsx" else LEVEL_LETTERS
    cohort = Cohort(grade=grade, classes=(1, 2), subjects=("语文", "数学"))
    pupils = make_pupils(rng, cohort)
    for p in pupils:
        for s in p.results:
            p.results[s] = Result("sat", None, levels[rng.choice(4, p=(.4, .35, .2, .05))])
    for p, status in zip(rng.choice(pupils, size=2, replace=False), ("absent", "excused")):
        p.results["数学"] = Result(status)
    b = SheetBuilder("等级", [seq_col(), id_col(), name_col(), class_col("五(1)班"),
                             *[subject_col(s, rng) for s in ("语文", "数学")]])
    b.banner(f"{SCHOOL}{CN_GRADE[grade]}年级期末学业质量等级评定表")
    b.header()
    b.pupils(pupils)
    return make_case(name, f"{CN_GRADE[grade]}年级: every subject graded "
                     f"{'/'.join(levels)} with 缺考/请假, no scores", (4,),
                     f"{CN_GRADE[grade]}年级等级.{ext}", writer, [b.done()], pupils, cohort)


@case
def level_subjects_beside_scores_xlsx():
    name = "level_subjects_beside_scores_xlsx"
    rng = rng_for(name)
    cohort = Cohort(grade=4, classes=(1, 2), subjects=("语文", "数学", "英语", "音乐", "美术"))
    pupils = make_pupils(rng, cohort)
    short = {"优秀": "优", "良好": "良", "合格": "合格", "待合格": "待合格"}
    for p in pupils:
        for s in ("音乐", "美术"):
            p.results[s] = Result("sat", None, LEVEL_WORDS[rng.choice(4, p=(.5, .3, .15, .05))])
    plant(rng, pupils, "语文", "absent", 1)

    def level_cell(subject):
        return Column(subject, lambda p, k: short[p.results[subject].level], subject=subject,
                      role="subject")
    b = SheetBuilder("四年级", [id_col(), name_col(), class_col("五(1)班"),
                               *[subject_col(s, rng) for s in ("语文", "数学", "英语")],
                               level_cell("音乐"), level_cell("美术")])
    b.banner(title(4))
    b.header()
    b.pupils(pupils)
    return make_case(name, "语数英 as scores beside 音乐/美术 graded 优/良/合格/待合格", (4,),
                     "四年级期末.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort)


# --------------------------------------------------------------------------------------------
# 5. hidden sheets
# --------------------------------------------------------------------------------------------
def _template_sheet(state: str) -> tuple[SheetBuilder, list[Pupil], Cohort]:
    cohort = Cohort(grade=5, classes=(1,), subjects=("语文", "数学", "英语"))
    template = [Pupil(SCHOOL, "5-1", f"00{k}", n, {s: Result("sat", float(v)) for s, v in
                                                    zip(cohort.subjects, scores)})
                for k, (n, scores) in enumerate((("张三", (90, 85, 88)), ("李四", (78, 92, 80)),
                                                 ("王五", (66, 70, 59))), start=1)]
    b = SheetBuilder("模板", [id_col(), name_col(), class_col(),
                             *[Column(s, lambda p, k, s=s: int(p.results[s].score), subject=s,
                                      role="subject") for s in cohort.subjects]])
    b.banner("成绩录入模板（请勿修改表头）")
    b.header()
    b.pupils(template)
    b.grid.state = state
    return b, template, cohort


def _hidden(name, writer, ext, state, requested=False):
    rng, cohort, pupils, b = plain_sheet(name, 5)
    b.pupils(pupils)
    tb, template, tcohort = _template_sheet(state)
    grids = [tb.done(state), b.done()]
    if requested:
        return make_case(name, "the hidden template sheet asked for by name: sheet='模板' reads it",
                         (5,), f"五年级成绩（含模板）.{ext}", writer, grids, template, tcohort,
                         options={"sheet": "模板"})
    return make_case(name, f"a {state} template sheet (张三/李四/王五 with scores) before the real "
                     "one", (5,), f"五年级成绩（含模板）.{ext}", writer, grids, pupils, cohort,
                     checks=(SheetNoted("模板"),))


@case
def hidden_template_sheet_xlsx():
    return _hidden("hidden_template_sheet_xlsx", xlsx_openpyxl, "xlsx", "hidden")


@case
def hidden_template_sheet_xls():
    return _hidden("hidden_template_sheet_xls", xls_xlwt, "xls", "hidden")


@case
def hidden_template_requested_xlsx():
    return _hidden("hidden_template_requested_xlsx", xlsx_openpyxl, "xlsx", "hidden",
                   requested=True)


@case
def very_hidden_old_term_xlsx():
    name = "very_hidden_old_term_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 5)
    b.pupils(pupils)
    old = SheetBuilder("Sheet2", b.columns)
    old.header()
    rows = []
    for p in pupils:  # last term's scores of the same pupils, never shown in Excel
        rows.append([p.student_id, p.name, f"五({p.class_id[-1]})班",
                     *[int(rng.integers(40, 100)) for _ in cohort.subjects]])
    for r in rows:
        old.row(r)
    grids = [b.done(), old.done("veryHidden")]
    return make_case(name, "a veryHidden sheet holding last term's scores of the same pupils",
                     (5,), "五年级成绩.xlsx", xlsx_openpyxl, grids, pupils, cohort,
                     checks=(SheetNoted("Sheet2"),))
