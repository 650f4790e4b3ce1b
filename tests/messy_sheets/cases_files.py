"""Cases of files: misnamed and exotic formats (kind 7), 联考 files (kind 8), and what else 阅卷
and 教务 systems export that could fool a reader (kind 10)."""

from __future__ import annotations

from .grid import Column, SheetBuilder, letter
from .model import Refusal, Reported
from .people import Cohort, Writing, make_pupils, plant, rng_for
from .registry import case, make_case, plain_sheet, title
from .tables import (class_col, id_col, name_col, rank_col, school_col, seq_col, stat_row,
                     subject_col, total_col)
from .writers import (csv_gbk, csv_utf8, csv_utf8_bom, docx_file, empty_file, html_writer,
                      misnamed, pdf_file, random_bytes, spreadsheetml, tab_gbk, tab_utf8,
                      utf16_tab, xls_xlwt, xlsx_openpyxl)


# --------------------------------------------------------------------------------------------
# 7. misnamed and exotic formats
# --------------------------------------------------------------------------------------------
def _exported(name: str, *, grade: int = 5, two_row: bool = False, class_merge: bool = False,
              with_title: bool = True, markers: Writing | None = None, blank_row: bool = False):
    """A 阅卷-system style table: title, 学号/姓名/班级, scores (two-row with 班次 if asked)."""
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=grade, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "英语", "absent", 1)
    w = markers or Writing().with_markers(absent=("缺考",))
    cols = [id_col(), name_col(), class_col("五(1)班")]
    for s in subjects:
        if two_row:
            cols += [subject_col(s, rng, w, (s, "得分")), rank_col(pupils, [s], (s, "班次"))]
        else:
            cols.append(subject_col(s, rng, w))
    b = SheetBuilder("成绩", cols)
    if with_title:
        b.banner(title(grade))
    b.header()
    if blank_row:
        half = len(pupils) // 2
        b.pupils(pupils[:half], class_merge=class_merge)
        b.blank()
        b.pupils(pupils[half:], class_merge=class_merge)
    else:
        b.pupils(pupils, class_merge=class_merge)
    return cohort, pupils, b


@case
def html_table_utf8_xls():
    name = "html_table_utf8_xls"
    cohort, pupils, b = _exported(name, two_row=True, class_merge=True)
    return make_case(name, "阅卷 system export: an HTML table (utf-8 meta charset) named .xls, "
                     "title colspan, 科目 over 得分/班次, 班级 rowspan", (7, 1), "成绩导出.xls",
                     html_writer("utf-8"), [b.done()], pupils, cohort)


@case
def html_table_gbk_xls():
    name = "html_table_gbk_xls"
    cohort, pupils, b = _exported(name)
    return make_case(name, "an HTML table in GBK (meta charset=gbk) named .xls, with a title row",
                     (7,), "学生成绩.xls", html_writer("gbk", short_meta=True), [b.done()], pupils,
                     cohort)


@case
def spreadsheetml_xml_xls():
    name = "spreadsheetml_xml_xls"
    cohort, pupils, b = _exported(name, class_merge=True, blank_row=True,
                                  markers=Writing().with_markers(absent=("",)))
    return make_case(name, "Excel 2003 XML Spreadsheet named .xls: title ss:MergeAcross, 班级 "
                     "ss:MergeDown, blank cells skipped with ss:Index, an empty row skipped with "
                     "Row ss:Index", (7,), "成绩.xls", spreadsheetml, [b.done()], pupils, cohort)


MISNAMED = (
    ("csv_named_xlsx", misnamed(csv_utf8_bom, "csv utf-8 named .xlsx"), "成绩.xlsx",
     "a UTF-8 CSV saved with the name .xlsx"),
    ("xlsx_named_xls", misnamed(xlsx_openpyxl, "xlsx named .xls"), "成绩.xls",
     "an .xlsx workbook renamed .xls"),
    ("xls_named_xlsx", misnamed(xls_xlwt, "xls (BIFF8) named .xlsx"), "成绩.xlsx",
     "an Excel 97 .xls workbook renamed .xlsx"),
    ("tab_text_named_csv", misnamed(tab_utf8, "tab-separated utf-8 named .csv"), "成绩.csv",
     "tab-separated text named .csv"),
    ("tab_text_gbk_named_xls", misnamed(tab_gbk, "tab-separated gbk named .xls"), "成绩.xls",
     "教务 system 'Excel' export that is GBK tab-separated text named .xls"),
    ("utf16_unicode_text_txt", utf16_tab, "成绩.txt",
     "Excel's 'Unicode text' save: UTF-16 LE with BOM, tab-separated"),
    ("gbk_csv", csv_gbk, "成绩.csv", "a GBK CSV (Excel's default CSV on Chinese Windows)"),
    ("utf8_csv_no_bom", csv_utf8, "成绩.csv", "a UTF-8 CSV without BOM (WPS, Python exports)"),
)


def _misnamed_factory(name, writer, filename, description):
    def factory():
        cohort, pupils, b = _exported(name, with_title=writer.format.startswith(("xls", "xlsx")))
        return make_case(name, description, (7,), filename, writer, [b.done()], pupils, cohort)
    factory.__name__ = name
    return factory


for _name, _writer, _filename, _description in MISNAMED:
    case(_misnamed_factory(_name, _writer, _filename, _description))


NOT_SHEETS = (
    ("pdf_named_xlsx", pdf_file, "成绩.xlsx", "a PDF (打印 → 另存为 PDF) renamed .xlsx",
     (("PDF", "pdf"),)),
    ("docx_named_xlsx", docx_file, "成绩.xlsx", "a Word .docx holding the table, renamed .xlsx",
     (("Word", "docx", "DOCX", "文档"),)),
    ("zero_bytes_xlsx", empty_file, "成绩.xlsx", "a zero-byte file (a failed download)",
     (("空", "0 字节", "0字节", "没有内容"),)),
    ("random_bytes_xls", random_bytes(bytes(range(256)) * 8), "成绩.xls",
     "random bytes named .xls (a damaged copy)", ()),
)


def _not_a_sheet_factory(name, writer, filename, description, words):
    def factory():
        cohort, pupils, b = _exported(name)
        return make_case(name, description, (7,), filename, writer, [b.done()], None,
                         expect="refuse", refusal=Refusal(words=words))
    factory.__name__ = name
    return factory


for _name, _writer, _filename, _description, _words in NOT_SHEETS:
    case(_not_a_sheet_factory(_name, _writer, _filename, _description, _words))


# --------------------------------------------------------------------------------------------
# 8. 联考 files
# --------------------------------------------------------------------------------------------
LEAGUE = ("城关第一中学", "城关第二中学", "实验中学", "育才中学", "新华中学", "东湖中学",
          "西山学校", "南坪中学", "北辰中学", "滨江中学")


def _league_pupils(rng, schools, classes, size, subjects):
    pupils = []
    for si, school in enumerate(schools, start=1):
        cohort = Cohort(grade=9, classes=classes, subjects=subjects, size=size, school=school,
                        id_of=lambda s, g, c, k, si=si: f"3301{si:02d}09{c:02d}{k:02d}")
        pupils += make_pupils(rng, cohort)
    for s in subjects[:2]:
        plant(rng, pupils, s, "absent", 2)
    return cohort, pupils


@case
def league_five_schools_xlsx():
    name = "league_five_schools_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "物理", "化学")
    cohort, pupils = _league_pupils(rng, LEAGUE[:5], (1, 2, 3), (6, 9), subjects)
    b = SheetBuilder("联考成绩", [school_col(), class_col("初三(7)班"), id_col("考号"), name_col(),
                                 *[subject_col(s, rng) for s in subjects], total_col(subjects)])
    b.banner("2025-2026学年第一学期九年级联考成绩")
    b.header()
    b.pupils(pupils)
    return make_case(name, "联考: five schools in one sheet with a 学校 column, each with classes "
                     "初三(1)班–初三(3)班", (8,), "九年级联考成绩.xlsx", xlsx_openpyxl,
                     [b.done()], pupils, cohort, school_option=False)


@case
def league_school_subtotals_xlsx():
    name = "league_school_subtotals_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort, pupils = _league_pupils(rng, LEAGUE[3:7], (1, 2), (5, 8), subjects)
    b = SheetBuilder("联考", [school_col(), class_col("初三(7)班"), id_col("考号"), name_col(),
                             *[subject_col(s, rng) for s in subjects]])
    b.banner("九年级第一次联考成绩")
    b.header()
    rows = []
    for school in LEAGUE[3:7]:
        block = [p for p in pupils if p.school == school]
        b.pupils(block)
        rows += [stat_row(b, block, f"{school}平均分", "mean", label_role="school"),
                 stat_row(b, block, "小计", "count", label_role="school")]
    return make_case(name, "联考 with a '<school>平均分' and a 小计 row under each school's "
                     "block, the label in the 学校 column", (8, 2), "联考成绩.xlsx",
                     xlsx_openpyxl, [b.done()], pupils, cohort, school_option=False,
                     checks=(Reported(tuple(rows)),))


@case
def league_ten_schools_gbk_csv():
    name = "league_ten_schools_gbk_csv"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort, pupils = _league_pupils(rng, LEAGUE, (1, 3), (4, 6), subjects)
    b = SheetBuilder("联考", [seq_col(), school_col("学校名称"), id_col("考号"), name_col(),
                             class_col("501"), *[subject_col(s, rng) for s in subjects]])
    b.header()
    b.pupils(pupils)
    return make_case(name, "联考 GBK CSV: ten schools, class 901/903 in every school", (8, 7),
                     "联考成绩.csv", csv_gbk, [b.done()], pupils, cohort, school_option=False)


@case
def league_sheet_per_school_xlsx():
    name = "league_sheet_per_school_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort, pupils = _league_pupils(rng, LEAGUE[:3], (1, 2), (5, 7), subjects)
    grids = []
    for school in LEAGUE[:3]:
        b = SheetBuilder(school, [id_col("考号"), name_col(), class_col("初三(7)班"),
                                  *[subject_col(s, rng) for s in subjects]])
        b.banner(f"{school}九年级联考成绩")
        b.header()
        b.pupils([p for p in pupils if p.school == school])
        grids.append(b.done())
    return make_case(name, "联考 workbook with one sheet per school (sheet name and title are the "
                     "school), no 学校 column: the same class 9-1 in every sheet", (8, 10),
                     "联考成绩汇总.xlsx", xlsx_openpyxl, grids, pupils, cohort, expect="either",
                     school_option=False)


# --------------------------------------------------------------------------------------------
# 10. beyond the issue
# --------------------------------------------------------------------------------------------
@case
def trailing_formatted_rows_xlsx():
    name = "trailing_formatted_rows_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 7)
    b.pupils(pupils)
    last = len(b.grid.rows)
    for r in range(last, last + 3000):
        for c in range(3, 6):
            b.grid.formats[(r, c)] = "0.0"
    return make_case(name, "3,000 formatted but empty rows under the pupils (max_row far below "
                     "the data, as in real 期中 sheets)", (10,), "七年级期中.xlsx", xlsx_openpyxl,
                     [b.done()], pupils, cohort)


@case
def duplicate_pupil_rows_xlsx():
    name = "duplicate_pupil_rows_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 5)
    b.pupils(pupils)
    again = [pupils[i] for i in sorted(rng.choice(len(pupils), size=2, replace=False))]
    refs = []
    for p in again:
        row = b.row([c.value(p, 0) for c in b.columns])
        refs.append(f"A{row}")
    return make_case(name, "two pupils pasted twice at the bottom (same 学号, same scores)", (10,),
                     "五年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     expect="refuse", refusal=Refusal(sheet="成绩", cells=tuple(refs)))


@case
def score_above_full_mark_xlsx():
    name = "score_above_full_mark_xlsx"
    rng, cohort, pupils, b = plain_sheet(name, 5)
    b.pupils(pupils)
    col = b.column_index("数学")
    refs = []
    for i, typo in zip(sorted(rng.choice(len(pupils), size=2, replace=False)), (850, 605)):
        b.grid.rows[pupils[i].row - 1][col] = typo
        refs.append(f"{letter(col)}{pupils[i].row}")
    return make_case(name, "typos 850 and 605 in a 100-point 数学 column", (10,),
                     "五年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     expect="refuse", refusal=Refusal(sheet="成绩", cells=tuple(refs)))


@case
def full_mark_in_header_xlsx():
    name = "full_mark_in_header_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语")
    cohort = Cohort(grade=8, classes=(1, 2), subjects=subjects,
                    full_marks={"语文": 120, "数学": 120})
    pupils = make_pupils(rng, cohort)
    headers = {"语文": "语文(满分120)", "数学": "数学（120分）", "英语": "英语（满分100）"}
    b = SheetBuilder("成绩", [id_col(), name_col(), class_col("初一12班"),
                             *[subject_col(s, rng, header=headers[s]) for s in subjects]])
    b.header()
    b.pupils(pupils)
    case_ = make_case(name, "full marks written in the headers: 语文(满分120), 数学（120分）, "
                      "英语（满分100）; no full_marks option", (10,), "八年级成绩.xlsx",
                      xlsx_openpyxl, [b.done()], pupils, cohort, expect="either",
                      refusal=Refusal(sheet="成绩", columns=("D", "E")))
    case_.options.pop("full_marks", None)
    return case_


@case
def objective_subjective_columns_xlsx():
    name = "objective_subjective_columns_xlsx"
    rng = rng_for(name)
    subjects = ("数学", "英语")
    cohort = Cohort(grade=9, classes=(1, 2), subjects=subjects)
    pupils = make_pupils(rng, cohort)
    plant(rng, pupils, "数学", "absent", 1)
    cols = [id_col("考号"), name_col(), class_col("初三(7)班")]

    def part(s, which):
        def value(p, k):
            r = p.results[s]
            if r.status != "sat":
                return "缺考"
            objective = round(r.score * 0.4)
            return objective if which == "客观题" else r.score - objective
        return Column((s, which), value)
    for s in subjects:
        cols += [part(s, "客观题"), part(s, "主观题"), subject_col(s, rng, header=(s, "总分"))]
    b = SheetBuilder("成绩", cols)
    b.banner(title(9))
    b.header()
    b.pupils(pupils)
    totals = tuple(letter(b.column_index(s)) for s in subjects)
    return make_case(name, "阅卷 export: each subject over 客观题/主观题/总分; the score is the "
                     "subject's 总分", (10, 1), "九年级成绩.xlsx", xlsx_openpyxl, [b.done()],
                     pupils, cohort, expect="either", refusal=Refusal(sheet="成绩", columns=totals))


@case
def excel_text_formula_ids_csv():
    name = "excel_text_formula_ids_csv"
    rng = rng_for(name)
    cohort = Cohort(grade=6, classes=(1, 2), subjects=("语文", "数学", "英语"),
                    id_of=lambda s, g, c, k: f"0{g}{c}{k:02d}")
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [id_col(form=lambda p: f'="{p.student_id}"'), name_col(),
                             class_col("5-1"), *[subject_col(s, rng) for s in cohort.subjects]])
    b.header()
    b.pupils(pupils)
    return make_case(name, 'CSV export writing ids as ="06101" so that Excel keeps the zeros',
                     (10, 7), "成绩.csv", csv_utf8, [b.done()], pupils, cohort)


GRADE_BANDS = ((0.9, "A+"), (0.8, "A"), (0.7, "B+"), (0.6, "B"), (0.4, "C+"), (0.0, "C"))


@case
def score_level_rank_columns_csv():
    name = "score_level_rank_columns_csv"
    rng = rng_for(name)
    subjects = ("语文", "数学", "英语", "物理")
    cohort = Cohort(grade=9, classes=(7, 12), subjects=subjects, halves=True,
                    id_of=lambda s, g, c, k: f"1081109{c:02d}{k:03d}")
    pupils = make_pupils(rng, cohort)
    for s in subjects:
        plant(rng, pupils, s, "absent", 1)

    def level(s):
        def value(p, k):
            r = p.results[s]
            if r.status != "sat":
                return "缺考"
            return next(g for cut, g in GRADE_BANDS if r.score >= cut * 100)
        return Column(f"{s}等级", value)
    w = Writing().with_markers(absent=("",))
    cols = [id_col("学号"), id_col("考号"), name_col(), class_col("初一12班", "行政班级")]
    for s in subjects:
        cols += [subject_col(s, rng, w, f"{s}分数"), level(s),
                 rank_col(pupils, [s], f"{s}班名"), rank_col(pupils, [s], f"{s}校名", False)]
    cols += [total_col(subjects, "总分分数"), rank_col(pupils, subjects, "总分班名")]
    b = SheetBuilder("学生成绩", cols)
    b.header()
    b.pupils(pupils)
    return make_case(name, "区 export: X分数, X等级 (A+…C, 缺考 where the score is blank), X班名, "
                     "X校名 per subject", (10,), "九下二模学生成绩.csv", csv_utf8, [b.done()],
                     pupils, cohort)


@case
def header_below_notes_xlsx():
    name = "header_below_notes_xlsx"
    rng = rng_for(name)
    cohort = Cohort(grade=4, classes=(1, 2), subjects=("语文", "数学", "英语"))
    pupils = make_pupils(rng, cohort)
    b = SheetBuilder("成绩", [id_col(), name_col(), class_col(),
                             *[subject_col(s, rng) for s in cohort.subjects]])
    b.banner(title(4))
    for line in ("填表说明：", "1. 分数保留一位小数；", "2. 缺考填“缺考”，请假填“请假”；",
                 "3. 不要改动表头；", "4. 班级写成“四(1)班”；", "5. 本表由班主任核对后上交教务处。"):
        b.row([line])
    b.blank()
    b.header()
    b.pupils(pupils)
    return make_case(name, "six lines of 填表说明 and a blank row above the header (header on "
                     "row 9)", (10,), "四年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort)


@case
def class_local_ids_xlsx():
    name = "class_local_ids_xlsx"
    rng = rng_for(name)
    cohort = Cohort(grade=3, classes=(1, 2), subjects=("语文", "数学"),
                    id_of=lambda s, g, c, k: f"{c}-{k}")
    pupils = make_pupils(rng, cohort)
    number = id_col(form=lambda p: int(p.student_id.split("-")[1]))
    b = SheetBuilder("成绩", [class_col("五(1)班"), number,
                             name_col(), *[subject_col(s, rng) for s in cohort.subjects]])
    b.header()
    b.pupils(pupils)
    return make_case(name, "小学 学号 that are class-local numbers 1, 2, 3 … repeated in every "
                     "class", (10,), "三年级成绩.xlsx", xlsx_openpyxl, [b.done()], pupils, cohort,
                     expect="either", key="name", refusal=Refusal(sheet="成绩", columns=("B",)))


@case
def side_by_side_classes_xlsx():
    name = "side_by_side_classes_xlsx"
    rng = rng_for(name)
    subjects = ("语文", "数学")
    cohort = Cohort(grade=4, classes=(1, 2), subjects=subjects, size=(8, 10))
    pupils = make_pupils(rng, cohort)
    left = [p for p in pupils if p.class_id == "4-1"]
    right = [p for p in pupils if p.class_id == "4-2"]
    cols = [id_col(), name_col(), class_col("五(1)班"), *[subject_col(s, rng) for s in subjects]]
    width = len(cols) + 1
    b = SheetBuilder("成绩", cols)
    b.banner(title(4))
    header = [c.header for c in cols]
    b.row(header + [None] + header)
    for k in range(max(len(left), len(right))):
        row = [c.value(left[k], k + 1) for c in cols] if k < len(left) else [None] * len(cols)
        row += [None] + ([c.value(right[k], k + 1) for c in cols] if k < len(right) else [])
        excel_row = b.row(row)
        for side in (left, right):
            if k < len(side):
                side[k].row, side[k].sheet = excel_row, "成绩"
    b.grid.merges[0] = (0, 0, 0, 2 * width - 2)
    return make_case(name, "two classes printed side by side on one sheet (四(1)班 in A–E, "
                     "四(2)班 in G–K) to save paper", (10,), "四年级成绩.xlsx", xlsx_openpyxl,
                     [b.done()], pupils, cohort, expect="either")


@case
def midterm_and_final_final_requested_xlsx():
    return _two_exams("midterm_and_final_final_requested_xlsx", "期末")


def _two_exams(name, sheet):
    rng = rng_for(name)
    cohort = Cohort(grade=5, classes=(1, 2), subjects=("语文", "数学", "英语"))
    pupils = make_pupils(rng, cohort)
    midterm = {p.student_id: {s: int(rng.integers(45, 100)) for s in cohort.subjects}
               for p in pupils}
    grids = []
    for exam in ("期中", "期末"):
        if exam == "期中":
            cols = [id_col(), name_col(), class_col(),
                    *[Column(s, lambda p, k, s=s: midterm[p.student_id][s], subject=s,
                             role="subject") for s in cohort.subjects]]
        else:
            cols = [id_col(), name_col(), class_col(),
                    *[subject_col(s, rng) for s in cohort.subjects]]
        b = SheetBuilder(exam, cols)
        b.banner(title(5, exam=exam))
        b.header()
        b.pupils(pupils)  # the 期末 sheet comes last: rows and sheet are the 期末 ones
        grids.append(b.done())
    return make_case(name, "期中 and 期末 of the same pupils in two sheets of one workbook, read "
                     "with sheet='期末'", (10,),
                     "五年级成绩（期中期末）.xlsx", xlsx_openpyxl, grids, pupils, cohort,
                     options={"sheet": sheet})
