"""The 体质健康分析 report: every table computed once (:func:`fitness_report`), then cut into
pages (:func:`fitness_pages`) that the kit's pack pipeline prints to an A4 PDF and a Word file,
and written with every table (intervals kept) to ``体质健康分析.xlsx`` (:func:`write_fitness`).

Nothing here computes a statistic beyond picking and joining the analysis tables. The report is
staff-facing: classes are read against their grade by interval (高于 / 低于 / 与年级无明显差别),
never in a league order; the 不及格 list names pupils (``mask=True``: 张＊) for the PE teacher
and is for internal use only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..labels import VALUE_LABELS, to_display
from ..report.pack import Block, Page
from .analysis import (
    BMI_CATEGORIES,
    FitnessChange,
    bmi_categories,
    compare_fitness_classes,
    failing_pupils,
    fitness_change,
    fitness_rates,
    item_means,
    item_rates,
)
from .items import GRADE_NAMES

__all__ = ["FitnessReport", "fitness_report", "fitness_pages", "report_sheets",
           "write_fitness", "REPORT_NAME"]

REPORT_NAME = "体质健康分析"
FOOTER = ("本报告供学校内部使用（体育教师、班主任、教研组），不公开，不向学生和家长公布名次；"
          "不及格学生名单只供体育教师安排练习。")
METHOD_NOTE = (
    "等级按《国家学生体质健康标准（2014年修订）》：学年总分 = 标准分（各单项得分 × 权重之和）+ 附加分；"
    "优秀 ≥ 90.0，良好 80.0–89.9，及格 60.0–79.9，不及格 ≤ 59.9。缺测项目的学生没有学年总分和等级，"
    "只计入“缺项人数”，不计入任何比率。及格率含优秀、良好；优良率 = 优秀 + 良好。比率后的区间是 95% "
    "Wilson 区间。班级与年级比较：班级平均学年总分与年级之差，区间按 Welch 检验（班级对年级其余学生，"
    "按班级数做 Bonferroni 校正）；区间含 0 时写“与年级无明显差别”，这些班级之间不宜排先后。"
    "与去年比较只用两年都有成绩的同一批学生（按学籍号匹配），平均变化的区间是配对 t 区间。")


@dataclass(frozen=True)
class FitnessReport:
    """Every table of the report, each as its analysis function returned it.

    Attributes
    ----------
    title, school : str
    scores : FitnessScores
        This year's :func:`qualitykit.score_fitness`.
    previous : FitnessScores or None
        Last year's, when given.
    tables : dict of DataFrame
        ``grade_rates``, ``class_rates``, ``sex_rates``, ``school_rates``, ``classes``
        (:func:`compare_fitness_classes`), ``item_rates``, ``bmi_class``, ``bmi_sex``,
        ``item_means``, ``failing``.
    change : FitnessChange or None
        By grade (``change_class`` in ``tables`` by class).
    import_problems : DataFrame
        The import report's problems, then the scoring problems.
    """

    title: str
    school: str
    scores: object
    previous: object | None
    tables: dict
    change: FitnessChange | None
    import_problems: pd.DataFrame


def fitness_report(scores, *, previous=None, import_problems: pd.DataFrame | None = None,
                   title: str = REPORT_NAME, mask: bool = False,
                   measurements: pd.DataFrame | None = None) -> FitnessReport:
    """Compute every table of the 体质健康分析 from :func:`qualitykit.score_fitness` results.

    Parameters
    ----------
    scores, previous : FitnessScores
        This year's and (optionally) last year's.
    import_problems : DataFrame, optional
        ``ImportReport.problems`` of the files read.
    title : str
    mask : bool
        The 不及格 list with names as 张＊.
    measurements : DataFrame, optional
        What was scored (:func:`qualitykit.read_fitness`): its 身高 and 体重 join the item
        means (the scored items hold BMI instead).
    """
    pupils, items = scores.pupils, scores.items
    tables = {
        "school_rates": fitness_rates(pupils, by=()),
        "grade_rates": fitness_rates(pupils, by="grade"),
        "class_rates": fitness_rates(pupils, by=("grade", "class_id")),
        "sex_rates": fitness_rates(pupils, by=("grade", "sex")),
        "classes": compare_fitness_classes(pupils).classes,
        "item_rates": item_rates(items, by="grade"),
        "bmi_class": bmi_categories(pupils, by=("grade", "class_id")),
        "bmi_sex": bmi_categories(pupils, by=("grade", "sex")),
        "item_means": item_means(_with_body(items, measurements), by=("grade", "sex")),
        "failing": failing_pupils(items, mask=mask),
    }
    change = None
    if previous is not None:
        change = fitness_change(scores, previous, by="grade")
        tables["change_class"] = fitness_change(scores, previous, by=("grade", "class_id")).changes
    school = next((s for s in pupils.get("school", pd.Series(dtype=str)) if s), "")
    frames = [p for p in (import_problems, _scoring_problems(scores)) if p is not None and len(p)]
    problems = pd.concat(frames, ignore_index=True) if frames else _scoring_problems(scores)
    return FitnessReport(title=title, school=school, scores=scores, previous=previous,
                         tables=tables, change=change, import_problems=problems)


def _with_body(items: pd.DataFrame, measurements: pd.DataFrame | None) -> pd.DataFrame:
    """The scored items, and 身高/体重 from the measurements (they have no 单项得分)."""
    if measurements is None:
        return items
    body = measurements[measurements["item"].isin(("height", "weight"))]
    return pd.concat([body, items], ignore_index=True)


_SEVERITY = {"bmi_replaced": "info", "not_tested": "warning"}


def _scoring_problems(scores) -> pd.DataFrame:
    """The rows :func:`qualitykit.score_fitness` could not score, as rows of the import report
    (file, sheet, row of the pupil; the item as the header)."""
    from ..io.problems import PROBLEM_COLUMNS

    p = scores.problems
    if not len(p):
        return pd.DataFrame(columns=PROBLEM_COLUMNS)
    out = pd.DataFrame({
        "file": p.get("file", ""), "sheet": p.get("sheet", ""),
        "row": p.get("row", pd.Series(pd.NA, index=p.index)), "column": "",
        "header": p["item"].map(lambda i: VALUE_LABELS["item"].get(i, i)) if "item" in p else "",
        "value": p["value"].astype(str) if "value" in p else "",
        "problem": p["message"], "action": p["action"],
        "severity": p["problem"].map(_SEVERITY).fillna("error")})
    return out[PROBLEM_COLUMNS]


#: The order of the items in every table: 学年总分, then as the standard lists them.
ITEM_ORDER = {item: i for i, item in enumerate(VALUE_LABELS["item"])}


def _in_order(table: pd.DataFrame, order: tuple[str, ...]) -> pd.DataFrame:
    """Rows sorted by the ``order`` columns (items in the standard's order), stably."""
    keys = [k for k in order if k in table]
    if not keys:
        return table
    ranked = table.assign(**{f"_{k}": table[k].map(ITEM_ORDER) if k == "item" else table[k]
                             for k in keys})
    return ranked.sort_values([f"_{k}" for k in keys], kind="stable").drop(
        columns=[f"_{k}" for k in keys])


def _show(table: pd.DataFrame | None, columns: list[str],
          order: tuple[str, ...] = ("grade", "item")) -> pd.DataFrame | None:
    """Display text of the chosen columns (intervals as "a 至 b"), grades named, rows by
    ``order`` (items in the standard's order)."""
    if table is None or not len(table):
        return None
    shown = _in_order(table, order)[[c for c in columns if c in table]].copy()
    if "grade" in shown:
        shown["grade"] = shown["grade"].map(lambda g: GRADE_NAMES.get(int(g), str(g)))
    return to_display(shown, intervals=True, text=True)


_RATES = ["n", "n_incomplete", "mean_total_score", "excellent_rate", "good_level_rate",
          "excellent_good_rate", "pass_rate", "pass_rate_low", "pass_rate_high", "fail_rate"]


def _class_table(r: FitnessReport) -> pd.DataFrame | None:
    """Each class's rates beside its mean against the grade, read as 高于 / 低于 / 与年级无明显
    差别 by the interval (:func:`qualitykit.against_grade`)."""
    from ..term.readings import against_grade

    classes = r.tables["classes"]
    vs = classes[["grade", "class_id", "diff", "diff_low", "diff_high"]]
    joined = against_grade(r.tables["class_rates"], classes).merge(
        vs, on=["grade", "class_id"], how="left")
    return _show(joined, ["grade", "class_id", "n", "n_incomplete", "mean_total_score", "diff",
                          "diff_low", "diff_high", "vs_grade", "excellent_rate", "pass_rate",
                          "pass_rate_low", "pass_rate_high", "fail_rate"])


def _bmi_table(bmi: pd.DataFrame, keys: list[str]) -> pd.DataFrame | None:
    """低体重/正常/超重/肥胖 side by side: "人数（占比%）" in each cell."""
    if not len(bmi):
        return None
    cells = bmi.assign(cell=[f"{c}（{100 * s:.1f}%）" for c, s in zip(bmi["count"], bmi["share"])])
    wide = cells.pivot_table(index=[*keys, "n_students"], columns="bmi_category", values="cell",
                             aggfunc="first", observed=False).reset_index()
    shown = _show(wide.rename(columns=str), [*keys, "n_students"])
    for name in BMI_CATEGORIES:
        shown[name] = wide[name].to_numpy() if name in wide else ""
    return shown


def _moves_table(change: FitnessChange) -> pd.DataFrame | None:
    """Pupils by last year's 等级 (rows) and this year's (columns), per grade."""
    from .analysis import LEVELS

    moves = change.moves
    if not len(moves):
        return None
    wide = moves.pivot_table(index=["grade", "level_before"], columns="level_now",
                             values="count", aggfunc="sum", fill_value=0).reset_index()
    wide["_o"] = wide["level_before"].map({lv: i for i, lv in enumerate(LEVELS)})
    wide = wide.sort_values(["grade", "_o"]).drop(columns="_o")
    shown = _show(wide, ["grade", "level_before"])
    for level in LEVELS:
        shown[f"今年{level}"] = wide[level].astype(int).to_numpy() if level in wide else 0
    return shown


def _change_blocks(r: FitnessReport) -> list[Block]:
    if r.change is None:
        return [Block("六、与去年相比", note="没有提供去年的体测文件（--previous），本节从略。")]
    changes = r.change.changes
    total = changes[changes["item"] == "total_score"]
    cols = ["grade", "item", "n", "mean_before", "mean_now", "mean_change", "change_low",
            "change_high", "reading"]
    return [Block("六、与去年相比：学年总分（同一批学生，按学籍号匹配）", table=_show(total, cols),
                  note=f"今年 {len(r.change.matched)} 名学生中，去年也有记录的 "
                       f"{int(r.change.matched['matched'].sum())} 人。"),
            Block("　　等级变化（人数：去年等级 → 今年等级）", table=_moves_table(r.change)),
            Block("　　各项目单项得分的变化", table=_show(changes[changes["item"] != "total_score"],
                                                      cols))]


def fitness_pages(r: FitnessReport) -> list[Page]:
    """The report's pages: the analysis, then the 不及格 list (staff only)."""
    t, school = r.tables, r.tables["school_rates"].iloc[0]
    blocks = [
        Block("一、各年级等级（学年总分）", table=_show(t["grade_rates"], ["grade", *_RATES])),
        Block("二、各班与年级比较", table=_class_table(r)),
        Block("三、各项目等级（单项得分）", table=_show(
            t["item_rates"], ["grade", "item", "n", "mean_score", "excellent_rate", "pass_rate",
                              "fail_rate", "fail_rate_low", "fail_rate_high"])),
        Block("四、体重指数（BMI）分类：各班", table=_bmi_table(t["bmi_class"], ["grade", "class_id"])),
        Block("　　体重指数（BMI）分类：男生与女生", table=_bmi_table(t["bmi_sex"], ["grade", "sex"])),
        Block("五、男生与女生", table=_show(t["sex_rates"], ["grade", "sex", *_RATES])),
        *_change_blocks(r),
        Block("七、各项目平均成绩（时间单位：秒）", table=_show(
            t["item_means"], ["grade", "sex", "item", "n", "mean", "sd", "min", "max"])),
        Block("八、导入与计分中的问题", note=_problem_note(r.import_problems)),
        Block("读法说明", note=METHOD_NOTE),
    ]
    lines = (f"测试 {int(school['n'] + school['n_incomplete'])} 人：有学年总分 {int(school['n'])} 人，"
             f"缺项 {int(school['n_incomplete'])} 人；全校优秀率 {100 * school['excellent_rate']:.1f}%，"
             f"及格率 {100 * school['pass_rate']:.1f}%",)
    failing = _show(t["failing"], ["grade", "class_id", "item", "student_id", "name", "sex",
                                   "value", "score"], order=())
    return [Page(kind="class", name=r.title, title=f"{r.school} {r.title}".strip(), lines=lines,
                 blocks=tuple(blocks), footer=FOOTER),
            Page(kind="class", name="不及格学生名单", title="各项目不及格学生名单（仅供体育教师）",
                 lines=("按年级、班级、项目排列（不按成绩排序）；请勿公开。",),
                 blocks=(Block("不及格学生", table=failing,
                               note="" if failing is not None else "没有不及格的学生。"),),
                 footer=FOOTER)]


def _problem_note(problems: pd.DataFrame) -> str:
    if not len(problems):
        return "没有发现问题。"
    counts = problems["severity"].value_counts()
    return (f"错误 {counts.get('error', 0)} 个、提醒 {counts.get('warning', 0)} 个、说明 "
            f"{counts.get('info', 0)} 个（免测、缺测等），逐条列在 {REPORT_NAME}.xlsx 的"
            "「导入与计分问题」中：每条写明文件、工作表、行、列和改法。有错误的单元格按缺测处理。")


def report_sheets(r: FitnessReport, *, mask: bool = False) -> dict[str, pd.DataFrame]:
    """Every table of the report for the workbook: sheet name → table with Chinese headers
    (numbers stay numbers, intervals kept)."""
    from ..io.problems import ImportReport
    from ..term.load import mask_names

    t = r.tables
    named = {"各年级等级": t["grade_rates"], "各班等级": t["class_rates"],
             "班级与年级比较": t["classes"], "男女等级": t["sex_rates"],
             "项目等级": t["item_rates"], "BMI各班": t["bmi_class"], "BMI男女": t["bmi_sex"],
             "项目平均": t["item_means"], "不及格名单": t["failing"]}
    if r.change is not None:
        named.update({"与去年比较(年级)": r.change.changes, "与去年比较(班级)": t["change_class"],
                      "等级变化": r.change.moves, "同一学生两年": r.change.matched})
    pupils = r.scores.pupils.rename(columns={"missing": "missing_items"})
    named.update({"学生成绩": pupils, "单项成绩": r.scores.items.rename(
        columns={"score": "item_score"})})
    sheets = {name: to_display(mask_names(table) if mask else table, intervals=True)
              for name, table in named.items()}
    sheets["导入与计分问题"] = ImportReport(problems=r.import_problems).display_table() \
        if len(r.import_problems) else pd.DataFrame({"说明": ["没有发现问题"]})
    return sheets


def write_fitness(output_dir: str | Path, r: FitnessReport, *,
                  formats=("pdf", "docx", "xlsx"), pdf_engine: str | None = None,
                  mask: bool = False) -> dict[str, Path]:
    """Write 体质健康分析.pdf / .docx / .xlsx (and .html with ``"html"``) into ``output_dir``.

    The PDF and the Word file are the kit's pack pipeline (:mod:`qualitykit.report.pack_pdf`,
    :mod:`qualitykit.report.pack_word`): HTML printed to A4 by Chromium (kept open while the
    Word file and the workbook are written) or WeasyPrint.

    Returns
    -------
    dict
        Format → the file written.
    """
    from ..io.excel import write_sheets
    from ..report.pack_pdf import add_bookmarks, pack_html
    from ..report.pack_word import write_pack_docx
    from ..report.runner import kept_browser, print_pdfs

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    pages, stem, files = fitness_pages(r), out / REPORT_NAME, {}
    title = pages[0].title
    with kept_browser(formats, pdf_engine) as browser:
        if {"pdf", "html"} & set(formats):
            html_path = stem.with_suffix(".html")
            html_path.write_text(pack_html(pages, title), encoding="utf-8")
        if "docx" in formats:
            files["docx"] = write_pack_docx(pages, stem.with_suffix(".docx"), title=title)
        if "xlsx" in formats:
            files["xlsx"] = write_sheets(stem.with_suffix(".xlsx"), report_sheets(r, mask=mask))
        if "pdf" in formats:
            print_pdfs({html_path: stem.with_suffix(".pdf")}, pdf_engine, browser)
            add_bookmarks(stem.with_suffix(".pdf"), pages, title=title)
            files["pdf"] = stem.with_suffix(".pdf")
    if "html" in formats:
        files["html"] = html_path
    elif "pdf" in formats:
        html_path.unlink()
    return files
