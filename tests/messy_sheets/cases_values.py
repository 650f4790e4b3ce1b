"""Cases of values: silent losses (kind 6) and everyday messiness (kind 9)."""

from __future__ import annotations

from .grid import Column, SheetBuilder, letter
from .model import Refusal, Result, Warned
from .people import SCHOOL, Cohort, Writing, make_pupils, plant, rng_for, set_score, spell
from .registry import case, make_case, plain_sheet, title, variants
from .tables import (class_col, extra_col, id_col, name_col, rank_col, seq_col, subject_col,
                     total_col, total_of)
from .writers import (csv_gb18030_bom, csv_utf8, csv_utf8_bom, xls_xlwt, xlsx_openpyxl)

BOTH = (("xlsx", xlsx_openpyxl), ("xls", xls_xlwt))


# --------------------------------------------------------------------------------------------
# 6. other silent losses
# --------------------------------------------------------------------------------------------
@variants(*BOTH)
def headers_without_pupils(name, writer, ext):
    rng, cohort, pupils, b = plain_sheet(name, 5)
    b.blank(3)
    return make_case(name, "a sheet with title and header and no pupil (exported before the "
                     "scores were entered)", (6,), f"五年级成绩.{ext}", writer, [b.done()], None,
                     expect="refuse", refusal=Refusal(sheet="成绩"))


@case
def gb18030_bom_csv():
    name = "gb18030_bom_csv"
    rng, cohort, pupils, b = plain_sheet(name, 5, with_title=False)
    plant(rng, pupils, "数学", "absent", 1)
    b.pupils(pupils)
    return make_case(name, "GB18030 CSV starting with the GB18030 BOM (84 31 95 33) before 学号",
                     (6, 7), "五年级成绩.csv", csv_gb18030_bom, [b.done()], pupils, cohort)


@variants(*BOTH)
def second_math_column(name, writer, ext):
    rng, cohort, pupils, b = plain_sheet(name, 5)
    old = {p.student_id: int(rng.integers(40, 100)) for p in pupils}
    b.columns.append(Column("数学", lambda p, k: old[p.student_id], role="other"))
    b.grid.rows[-1].append("数学")
    b.pupils(pupils)
    first, second = letter(b.column_index("数学")), letter(len(b.columns) - 1)
    return make_case(name, "a second 数学 column (last exam's, pasted at the right), not a "
                     "原始分/赋分 pair", (6,), f"五年级成绩.{ext}", writer, [b.done()], pupils,
                     cohort, expect="refuse",
                     refusal=Refusal(sheet="成绩", columns=(first, second)))


def _assigned(rng, raw: float) -> float:
    """A 赋分 from a raw score (30–100, not the raw score)."""
    return float(min(100, round(30 + 0.72 * raw + rng.integers(0, 4))))


def _raw_and_assigned(name, assigned_subjects, subjects, grade):
    rng = rng_for(name)
    cohort = Cohort(grade=grade, classes=(1, 2), subjects=subjects,
                    full_marks={"语文": 150, "数学": 150, "英语": 150})
    pupils = make_pupils(rng, cohort)
    for p in pupils:
        for s in assigned_subjects:
            raw = p.results[s].score
            p.extra[f"raw_{s}"] = raw
            p.results[s] = Result("sat", _assigned(rng, raw))
    absent = plant(rng, pupils, assigned_subjects[0], "absent", 1)
    absent[0].extra[f"raw_{assigned_subjects[0]}"] = "缺考"
    return rng, cohort, pupils


@case
def raw_and_assigned_two_row_xlsx():
    name = "raw_and_assigned_two_row_xlsx"
    assigned = ("化学", "生物")
    rng, cohort, pupils = _raw_and_assigned(name, assigned, ("语文", "数学", "英语", "物理",
                                                            "化学", "生物"), 11)
    cols = [id_col(), name_col(), class_col("高一(1)班"),
            *[subject_col(s, rng) for s in ("语文", "数学", "英语", "物理")]]
    for s in assigned:
        cols += [extra_col((s, "原始分"), f"raw_{s}"), subject_col(s, rng, header=(s, "赋分"))]
    b = SheetBuilder("高二", cols)
    b.banner("2025-2026学年第一学期高二期末考试成绩")
    b.header()
    b.pupils(pupils)
    return make_case(name, "化学/生物 each over 原始分/赋分 (two-row header); the 赋分 is the score",
                     (6, 1), "高二期末成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort)


@case
def raw_and_assigned_one_row_xls():
    name = "raw_and_assigned_one_row_xls"
    assigned = ("物理", "化学")
    rng, cohort, pupils = _raw_and_assigned(name, assigned, ("语文", "数学", "英语", "物理",
                                                            "化学"), 12)
    cols = [id_col(), name_col(), class_col("高一1班"),
            *[subject_col(s, rng) for s in ("语文", "数学", "英语")]]
    for s in assigned:
        cols += [extra_col(f"{s}原始分", f"raw_{s}"), subject_col(s, rng, header=f"{s}赋分")]
    b = SheetBuilder("成绩", cols)
    b.header()
    b.pupils(pupils)
    return make_case(name, "物理原始分/物理赋分, 化学原始分/化学赋分 side by side in one header row",
                     (6,), "高三选考成绩.xls", xls_xlwt, [b.done()], pupils, cohort)


ENGLISH = {"语文": "Chinese", "数学": "Math", "英语": "English", "物理": "Physics",
           "化学": "Chemistry", "生物": "Biology", "历史": "History", "地理": "Geography",
           "政治": "Politics", "科学": "Science"}


@case
def english_headers_xlsx():
    name = "english_headers_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治")
    cohort = Cohort(grade=9, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "化学", "absent", 1)
    b = SheetBuilder("Scores", [id_col("Student ID"), name_col("Name"), class_col("5(1)", "Class"),
                                *[subject_col(s, rng, header=ENGLISH[s]) for s in subjects],
                                total_col(subjects, "Total"), rank_col(pupils, subjects, "Rank")])
    b.header()
    b.pupils(pupils)
    return make_case(name, "English headers (Student ID, Name, Class, Chinese … Politics, Total, "
                     "Rank) from an international-school system", (6,), "Grade9 Final.xlsx",
                     xlsx_openpyxl, [b.done()], pupils, cohort)


@case
def english_headers_primary_csv():
    name = "english_headers_primary_csv"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "科学")
    cohort = Cohort(grade=5, classes=(2, 3), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("scores", [name_col("Name"), id_col("Student ID"), class_col("5-1", "Class"),
                                *[subject_col(s, rng, header=ENGLISH[s]) for s in subjects],
                                total_col(subjects, "Total")])
    b.header()
    b.pupils(pupils)
    return make_case(name, "English headers with Science, Name before Student ID, UTF-8 CSV",
                     (6, 7), "grade5_scores.csv", csv_utf8, [b.done()], pupils, cohort)


@case
def percent_formatted_column_xlsx():
    name = "percent_formatted_column_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 5)
    col = b.column_index("数学")
    b.pupils(pupils)
    for p in pupils:
        b.grid.rows[p.row - 1][col] = p.results["数学"].score / 100
        b.grid.formats[(p.row - 1, col)] = "0.0%"
    return make_case(name, "数学 stored as fractions 0.485 … shown as 48.5% (cell format %), "
                     "full mark 100", (6,), "五年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils,
                     cohort, expect="refuse", refusal=Refusal(sheet="成绩", columns=(letter(col),)))


def _sci_text(number: int, digits: int = 6) -> str:
    """How Excel shows a number in scientific format, as text: 100510 → '1.0051E+05'."""
    mantissa, exponent = f"{number:.{digits - 1}E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent):02d}"


@case
def scientific_text_ids_xlsx():
    name = "scientific_text_ids_xlsx"
    rng = rng_for(name)
    cohort = Cohort(grade=5, classes=(5, 6), subjects=("语文", "数学", "英语"),
                    id_of=lambda s, g, c, k: f"10{c:02d}{k + 3:02d}")
    pupils = make_pupils(rng, cohort)
    sci = {p.student_id for p in pupils if rng.random() < 0.6}
    b = SheetBuilder("成绩", [id_col(form=lambda p: _sci_text(int(p.student_id))
                                     if p.student_id in sci else int(p.student_id)),
                             name_col(), class_col("5-1"),
                             *[subject_col(s, rng) for s in cohort.subjects]])
    b.header()
    b.pupils(pupils)
    return make_case(name, "学号 as text in scientific notation (1.0051E+05, exact) mixed with "
                     "numbers: the id is 100510", (6,), "五年级成绩.xlsx", xlsx_openpyxl,
                     [b.done()], pupils, cohort)


@case
def apostrophe_ids_csv():
    name = "apostrophe_ids_csv"
    rng = rng_for(name)
    cohort = Cohort(grade=4, classes=(1, 2), subjects=("语文", "数学", "英语"),
                    id_of=lambda s, g, c, k: f"00{c}{k:02d}")
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [id_col(form=lambda p: "'" + p.student_id), name_col(),
                             class_col("5-1"), *[subject_col(s, rng) for s in cohort.subjects]])
    b.header()
    b.pupils(pupils)
    return make_case(name, "CSV with ids written '00123 (the apostrophe that keeps Excel's "
                     "leading zeros)", (6, 7), "四年级成绩.csv", csv_utf8_bom, [b.done()],
                     pupils, cohort)


@case
def collapsed_long_ids_xlsx():
    name = "collapsed_long_ids_xlsx"
    rng = rng_for(name)
    cohort = Cohort(grade=8, classes=(1,), subjects=("语文", "数学", "英语"), size=(8, 10),
                    id_of=lambda s, g, c, k: f"20080101{k:04d}")
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [id_col("考号", form=lambda p: _sci_text(int(p.student_id))),
                             name_col(), class_col("初三(7)班"),
                             *[subject_col(s, rng) for s in cohort.subjects]])
    b.header()
    b.pupils(pupils)
    rows = tuple(p.row for p in pupils[:2])
    return make_case(name, "12-digit 考号 turned into the text 2.00801E+11 by Excel: every pupil "
                     "has the same id now", (6,), "八年级成绩.xlsx", xlsx_openpyxl, [b.done()],
                     pupils, cohort, expect="refuse",
                     refusal=Refusal(sheet="成绩", rows=rows, columns=("A",)))


@variants(*BOTH)
def total_differs_on_rows(name, writer, ext):
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=6, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "英语", "absent", 1)
    b = SheetBuilder("成绩", [seq_col(), id_col(), name_col(), class_col("五(1)班"),
                             *[subject_col(s, rng) for s in subjects], total_col(subjects),
                             rank_col(pupils, subjects)])
    b.banner(title(6))
    b.header()
    b.pupils(pupils)
    col = b.role_index("total")
    chosen = sorted(rng.choice(len(pupils), size=3, replace=False))
    for i, delta in zip(chosen, (10, -5, 1)):
        b.grid.rows[pupils[i].row - 1][col] = total_of(pupils[i], subjects) + delta
    rows = tuple(pupils[i].row for i in chosen)
    return make_case(name, "总分 differs from the sum of the subjects on three rows (a score "
                     "corrected after the total was typed)", (6,), f"六年级成绩.{ext}", writer,
                     [b.done()], pupils, cohort, checks=(Warned(rows, "总分"),))


@variants(*BOTH, ("csv", csv_utf8_bom))
def zeros_for_absence(name, writer, ext):
    """Absences typed as 0: two rows of 0 in every subject (pupils on the roster who did not
    sit) and two lone 0s beside ordinary scores; a pupil with 0 beside low scores is not
    warned about (his 0 is believable), nor is the absence written as the school should."""
    rng, cohort, pupils, b = plain_sheet(name, 4, subjects=("语文", "数学", "英语", "科学"))
    subjects = cohort.subjects
    marked = plant(rng, pupils, "语文", "absent", 1)
    free = [i for i, p in enumerate(pupils) if p not in marked]
    chosen = [pupils[i] for i in sorted(rng.choice(free, size=5, replace=False))]
    absent, lone, low = chosen[:2], chosen[2:4], chosen[4]
    for p in lone:
        for s in subjects:  # ordinary scores elsewhere: at least half of the full mark
            set_score(p, s, max(p.results[s].score, 0.5 * cohort.full(s)))
        set_score(p, "数学", 0)
    for s in subjects:  # a weak pupil: 0 beside scores under 30 % of the full mark
        set_score(low, s, 0 if s == "数学" else round(0.15 * cohort.full(s)))
    for p in absent:
        p.results = {s: Result("absent") for s in subjects}
    b.pupils(pupils)
    for p in absent:  # the export writes 0 for a pupil who has no score
        for s in subjects:
            b.grid.rows[p.row - 1][b.column_index(s)] = 0
    return make_case(name, "absences typed as 0: rows of 0 in every subject (absent, warned per "
                     "row) and lone 0s beside ordinary scores (kept, warned); a 0 beside low "
                     "scores is believed", (6, 9), f"四年级成绩.{ext}", writer, [b.done()],
                     pupils, cohort, checks=(Warned(tuple(p.row for p in absent), "各科都是 0 分"),
                                             Warned(tuple(p.row for p in lone), "为 0 分，而该生")))


# --------------------------------------------------------------------------------------------
# 9. everyday messiness
# --------------------------------------------------------------------------------------------
EVERYDAY = Writing(numbers="mixed", markers={
    "absent": ("缺考", "缺", "Q", "", "缺考，不计排名"), "excused": ("请假", "免考"),
    "transferred": ("转学",), "cheated": ("作弊",), "not_scanned": ("未扫",)})


@variants(*BOTH)
def everyday_cells(name, writer, ext):
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "科学")
    cohort = Cohort(grade=5, classes=(1, 2), subjects=subjects, halves=True, size=(14, 18))
    pupils = make_pupils(rng, cohort)
    for s in subjects:
        plant(rng, pupils, s, "absent", 2)
    plant(rng, pupils, "语文", "excused", 2)
    plant(rng, pupils, "数学", "cheated", 1)
    plant(rng, pupils, "英语", "excluded", 1, keep_score=True)
    gone = pupils[int(rng.integers(len(pupils)))]
    for s in subjects:
        gone.results[s] = Result("transferred")
    zero = next(p for p in pupils if p.results["数学"].status == "sat")
    set_score(zero, "数学", 0)
    b = SheetBuilder("成绩", [seq_col(), id_col(), name_col(), class_col("五(1)班"),
                             *[subject_col(s, rng, EVERYDAY) for s in subjects]])
    b.banner(title(5))
    b.header()
    b.pupils(pupils)
    return make_case(name, "full-width digits, numbers as text, '85分', half points, a real 0, "
                     "缺考/缺/Q/blank/'缺考，不计排名'/请假/免考/转学/作弊/'36，剔除'", (9,),
                     f"五年级成绩.{ext}", writer, [b.done()], pupils, cohort)


@variants(*BOTH)
def sheet_per_class(name, writer, ext):
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=5, classes=(1, 2, 3), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "数学", "absent", 2)
    notes = SheetBuilder("填写说明")
    for line in ("说明：", "1. 成绩填数字，如：85", "2. 缺考填 缺考", "3. 每个班一个工作表"):
        notes.row([line])
    grids = [notes.done()]
    for c, sheet in zip((1, 2, 3), ("五(1)班", "五（2）班", "5(3)")):
        b = SheetBuilder(sheet, [id_col(), name_col(), *[subject_col(s, rng) for s in subjects]])
        b.banner(f"{sheet}期末成绩")
        b.header()
        b.pupils([p for p in pupils if p.class_id == f"5-{c}"])
        grids.append(b.done())
    return make_case(name, "one sheet per class named 五(1)班/五（2）班/5(3), no class column, "
                     "a 填写说明 sheet first", (9,), f"五年级各班成绩.{ext}", writer, grids, pupils,
                     cohort)


def _mixed_spellings(name, writer, filename, grade, classes, styles, description, kinds=(9,)):
    rng = rng_for(name)
    cohort = Cohort(grade=grade, classes=classes, subjects=("语文", "数学", "英语"))
    pupils = make_pupils(rng, cohort)
    def any_spelling(p, k):
        return spell(p, styles[int(rng.integers(len(styles)))])
    b = SheetBuilder("成绩", [id_col(), name_col(), Column("班级", any_spelling, role="class"),
                             *[subject_col(s, rng) for s in cohort.subjects]])
    b.header()
    b.pupils(pupils)
    return make_case(name, description, kinds, filename, writer, [b.done()], pupils, cohort)


@case
def class_spellings_primary_xlsx():
    styles = ("五(1)班", "五（1）班", "5(1)", "5-1", "501", "五年级一班", "五年级（1）班")
    return _mixed_spellings("class_spellings_primary_xlsx", xlsx_openpyxl, "五年级成绩.xlsx", 5,
                            (1, 2), styles, "one class written 五(1)班, 五（1）班, 5(1), 5-1, 501, "
                            "五年级一班 on different rows")


@case
def class_spellings_junior_xls():
    return _mixed_spellings("class_spellings_junior_xls", xls_xlwt, "七年级成绩.xls", 7, (3, 12),
                            ("初一12班", "七年级12班", "初三(7)班"),
                            "初一12班, 七年级12班, 初一(3)班 for the classes of one grade")


@case
def class_spellings_senior_csv():
    return _mixed_spellings("class_spellings_senior_csv", csv_utf8_bom, "高一成绩.csv", 10,
                            (1, 2), ("高一(1)班", "高一1班", "5-1", "501"),
                            "高一(1)班, 高一1班, 10-1, 1001 in a UTF-8 CSV with BOM", kinds=(9, 7))


@case
def spaced_names_headers_aliases_xlsx():
    name = "spaced_names_headers_aliases_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "道德与法治")
    headers = {"语文": " 语 文 ", "数学": "数", "英语": "英 ", "道德与法治": "道法"}
    cohort = Cohort(grade=6, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "道德与法治", "absent", 1)
    b = SheetBuilder("成绩", [seq_col(" 序 号"), id_col("学 号 "), name_col(" 姓  名", spaced=True),
                             class_col("5-1", "班 级"),
                             *[subject_col(s, rng, header=headers[s]) for s in subjects]])
    b.banner(title(6))
    b.header()
    third = len(pupils) // 3
    b.pupils(pupils[:third])
    b.blank()
    b.pupils(pupils[third:2 * third], start=third + 1)
    b.blank(2)
    b.pupils(pupils[2 * third:], start=2 * third + 1)
    return make_case(name, "names padded 张 三, headers ' 语 文 ' '学 号 ', aliases 数/英/道法, "
                     "blank rows between pupils", (9,), "六年级成绩.xlsx", xlsx_openpyxl,
                     [b.done()], pupils, cohort)


@case
def full_marks_120_xlsx():
    name = "full_marks_120_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "物理", "道德与法治")
    cohort = Cohort(grade=8, classes=(1, 2), subjects=subjects, halves=True,
                    full_marks={"语文": 120, "数学": 120, "英语": 120, "物理": 90,
                                "道德与法治": 60})
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [id_col(), name_col(), class_col("初一12班"),
                             *[subject_col(s, rng) for s in subjects], total_col(subjects)])
    b.banner(title(8))
    b.header()
    b.pupils(pupils)
    return make_case(name, "语数英 out of 120, 物理 90, 道法 60, read with full_marks=", (9,),
                     "八年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort)


COMBINATIONS = ("物化生", "物化地", "历政地", "物化政", "史地政", "物生地")
COMBINATION_SUBJECTS = {"物": "物理", "化": "化学", "生": "生物", "政": "政治", "历": "历史",
                        "史": "历史", "地": "地理"}
ELECTIVES = ("物理", "化学", "生物", "政治", "历史", "地理")


@variants(("xlsx", xlsx_openpyxl), ("xls", xls_xlwt))
def electives_three_of_seven(name, writer, ext):
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", *ELECTIVES)
    cohort = Cohort(grade=10, classes=(1, 2, 3), subjects=subjects,
                    full_marks={"语文": 150, "数学": 150, "英语": 150})
    pupils = make_pupils(rng, cohort)
    for p in pupils:
        combo = COMBINATIONS[int(rng.integers(len(COMBINATIONS)))]
        p.extra["combo"] = combo
        chosen = {COMBINATION_SUBJECTS[ch] for ch in combo}
        for s in ELECTIVES:
            if s not in chosen:
                del p.results[s]
    w = Writing().with_markers(absent=("", "缺考"))
    if ext == "xls":
        w.not_taken = "-"
    for s in ("物理", "历史", "地理"):
        plant(rng, pupils, s, "absent", 1)
    b = SheetBuilder("高一", [id_col(), name_col(), class_col("高一(1)班"),
                             extra_col("选科组合", "combo"),
                             *[subject_col(s, rng, w) for s in subjects]])
    b.banner("2025-2026学年第一学期高一期末考试成绩")
    b.header()
    b.pupils(pupils)
    blank = "blank" if ext == "xlsx" else "'-'"
    return make_case(name, f"7选3 with a 选科组合 column: an unchosen subject is {blank} (no row); "
                     "a chosen subject blank or 缺考 is absent", (9,), f"高一期末成绩.{ext}",
                     writer, [b.done()], pupils, cohort)


@case
def zhixue_export_xlsx():
    name = "zhixue_export_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=7, classes=(4, 12), subjects=subjects, halves=True,
                    id_of=lambda s, g, c, k: f"3{c:02d}{k:03d}")
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "语文", "absent", 2)
    plant(rng, pupils, "数学", "not_scanned", 1)
    w = Writing(numbers="number", markers={"absent": ("缺考，不计排名",),
                                           "not_scanned": ("未扫，不计排名",)})
    cols = [id_col("准考证号"), Column("自定义考号", lambda p, k: f"7{p.student_id[1:3]}{k:02d}"),
            class_col("七年级12班"), name_col(),
            total_col(subjects, ("总分", "得分")), rank_col(pupils, subjects, ("总分", "校次"), False),
            rank_col(pupils, subjects, ("总分", "班次"))]
    for s in subjects:
        cols += [subject_col(s, rng, w, (s, "得分")), rank_col(pupils, [s], (s, "校次"), False),
                 rank_col(pupils, [s], (s, "班次"))]
    b = SheetBuilder("全部考生成绩汇总", cols)
    b.banner("成绩汇总--2025-2026学年第一学期七年级学情检测")
    b.header()
    b.pupils(pupils)
    return make_case(name, "智学网 export: 准考证号 + 自定义考号, two-row header 得分/校次/班次, "
                     "'缺考，不计排名', '未扫，不计排名'", (9, 1), "全部考生成绩汇总.xlsx",
                     xlsx_openpyxl, [b.done()], pupils, cohort)


@case
def jiaowu_export_xls():
    name = "jiaowu_export_xls"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "科学")
    cohort = Cohort(grade=5, classes=(1, 2), subjects=subjects,
                    id_of=lambda s, g, c, k: f"G3201022015{c:02d}{k:02d}{(c * k) % 10}123"[:19])
    pupils = make_pupils(rng, cohort)
    for p in pupils:
        p.extra["gender"] = "男" if rng.random() < 0.5 else "女"
    plant(rng, pupils, "科学", "excused", 1)
    b = SheetBuilder("学生成绩", [seq_col(), id_col("学籍号"), name_col(), extra_col("性别", "gender"),
                                 class_col("501"), *[subject_col(s, rng) for s in subjects]])
    b.header()
    b.pupils(pupils)
    return make_case(name, "教务 export: 序号, 学籍号 G320102201501011234, 性别, 班级 501", (9,),
                     "学生成绩导出.xls", xls_xlwt, [b.done()], pupils, cohort)


@case
def no_id_column_xlsx():
    name = "no_id_column_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学")
    cohort = Cohort(grade=3, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "数学", "absent", 1)
    b = SheetBuilder("Sheet1", [seq_col(), name_col(), class_col("五(1)班"),
                               *[subject_col(s, rng) for s in subjects]])
    b.banner(title(3))
    b.header()
    b.pupils(pupils)
    return make_case(name, "a teacher's own sheet: 序号, 姓名, 班级 and scores, no 学号 at all",
                     (9,), "三年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     key="name")


@case
def class_without_grade_xlsx():
    name = "class_without_grade_xlsx"
    rng = rng_for(name)
    cohort = Cohort(grade=5, classes=(1, 2, 3), subjects=("语文", "数学", "英语"))
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [id_col(), name_col(), class_col("二班"),
                             *[subject_col(s, rng) for s in cohort.subjects]])
    b.banner(f"{SCHOOL}期末成绩")
    b.header()
    b.pupils(pupils)
    return make_case(name, "classes written 一班/二班/三班 with no grade anywhere; grade=5 given",
                     (9,), "期末成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     options={"grade": 5})
