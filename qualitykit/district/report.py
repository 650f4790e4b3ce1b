"""``qualitykit district``: the 联考 report (notebook 07 → HTML, PDF, Word, Excel) and one
通报反馈 report per school (PDF, HTML, Word), in one run.

Steps (each timed): read and check the 联考 file (errors stop here, before any notebook runs);
execute ``notebooks/07-联考分析.ipynb`` with papermill (its last cell calls
:func:`write_district`: the workbook, the Word file and every school's 通报反馈); export the
executed notebook to HTML with the code hidden and print it to an A4 PDF (the shared steps of
:mod:`qualitykit.report.runner`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..paths import NOTEBOOKS
from .analysis import DistrictAnalysis
from .feedback import SchoolFeedback, district_conclusions, each_school_feedback, school_feedback
from .lines import parse_lines
from .load import DistrictData, forget_checked, load_district
from .pages import district_pages, feedback_pages, school_band_table, school_matrix
from .schools import subject_not_sat_notes

__all__ = ["run_district", "write_district", "write_feedback", "workbook_sheets", "DISTRICT_NOTEBOOK",
           "FEEDBACK_FOLDER", "PUPILS_SHEET", "pupils_sheet_note"]

DISTRICT_NOTEBOOK = NOTEBOOKS / "07-联考分析.ipynb"
#: The folder (inside the output folder) of the per-school reports.
FEEDBACK_FOLDER = "通报反馈"
#: The workbook's sheet of every pupil's 总分 and ranks (split over several sheets, each
#: ``<name>（k）``, when longer than :data:`qualitykit.io.excel.ROW_LIMIT`).
PUPILS_SHEET = "学生总分与排名（仅供教研室）"
_FILES = ("score_file", "previous_file")
_LOAD = ("score_file", "previous_file", "exam", "full_marks", "groups", "standard", "sheet",
         "engine")


def _safe_name(text: str) -> str:
    """A school's name as a file name (characters Windows refuses replaced by _)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", str(text)).strip("_") or "学校"


def _html_with_breaks(pages, title: str) -> str:
    """The pages as HTML (the pack's look) with each line of a note on its own line."""
    from ..report.pack_pdf import pack_html

    page = pack_html(pages, title).replace(  # a section's heading stays with its table
        "</style>", ".qk-h { break-after: avoid; page-break-after: avoid; }\n</style>", 1)
    return re.sub(r"(<p class='qk-note'>)(.*?)(</p>)",
                  lambda m: m[1] + m[2].replace("\n", "<br>") + m[3], page, flags=re.S)


def write_feedback(folder: str | Path, data: DistrictData, analysis: DistrictAnalysis, school: str,
                   *, formats=("pdf", "html", "docx"), pdf_engine: str | None = None,
                   feedback: SchoolFeedback | None = None) -> dict:
    """Write one school's 通报反馈 as ``<school>.pdf`` / ``.html`` / ``.docx`` in ``folder``
    (``feedback``: its :func:`school_feedback` when already made, e.g. by
    :func:`~qualitykit.district.feedback.school_feedbacks` for every school at once)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    feedback = school_feedback(data, analysis, school) if feedback is None else feedback
    pages = feedback_pages(data, feedback)
    return {**_feedback_page(folder, school, pages, formats, pdf_engine),
            **_feedback_word(folder, school, pages, formats)}


def _feedback_page(folder: Path, school: str, pages, formats, pdf_engine) -> dict:
    """The school's 通报反馈 as HTML (written whole at once: ``qualitykit district`` prints it
    as soon as it exists) and, with ``pdf``, printed here."""
    from ..report.print_queue import write_whole_text
    from ..report.runner import html_to_pdf

    files, stem = {}, folder / _safe_name(school)
    if {"pdf", "html"} & set(formats):
        html_path = write_whole_text(stem.with_suffix(".html"),
                                     _html_with_breaks(pages, pages[0].title))
        if "pdf" in formats:
            files["pdf"] = html_to_pdf(html_path, stem.with_suffix(".pdf"), engine=pdf_engine)[0]
        if "html" in formats:
            files["html"] = html_path
        else:
            html_path.unlink()
    return files


def _feedback_word(folder: Path, school: str, pages, formats) -> dict:
    """The school's 通报反馈 as a Word file (with ``docx``)."""
    from ..report.pack_word import write_pack_docx

    if "docx" not in formats:
        return {}
    path = (folder / _safe_name(school)).with_suffix(".docx")
    return {"docx": write_pack_docx(pages, path, title=pages[0].title)}


def write_district(output_dir: str | Path, data: DistrictData, analysis: DistrictAnalysis, *,
                   formats=("pdf", "html", "docx"), pdf_engine: str | None = None,
                   log: Callable[[str], None] = print) -> dict:
    """Write every school's 通报反馈, the district report's workbook and Word file.

    The schools' pages (HTML, PDF) come first, their Word files last: ``qualitykit district``
    prints each page while this and the notebook's next cells go on. Nothing is said but a
    workbook sheet split over several (``log``): the notebook calls this before its sections,
    and what it says would stand there in the report.

    Parameters
    ----------
    output_dir : path
        The folder (created); "" writes nothing (the notebook only shows its tables).
    formats : tuple
        Of the 通报反馈: any of ``pdf``, ``html``, ``docx`` (the Word file of the district report
        comes with ``docx``; the workbook always).

    Returns
    -------
    dict
        ``xlsx`` and ``docx`` paths, and ``feedback``: school → its files.
    """
    from ..io.excel import write_sheets
    from ..report.pack_word import write_pack_docx

    if not output_dir:
        return {}
    out = Path(output_dir)
    folder = out / FEEDBACK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    shown = {}
    for school, feedback in each_school_feedback(data, analysis):  # each page written at once
        pages = feedback_pages(data, feedback)
        shown[school] = pages, _feedback_page(folder, school, pages, formats, pdf_engine)
    files: dict = {"xlsx": write_sheets(out / f"{data.title}.xlsx", workbook_sheets(data, analysis),
                                        log=log)}  # a sheet split (over ROW_LIMIT rows) is said
    if "docx" in formats:
        report = district_pages(data, analysis, district_conclusions(data, analysis))
        files["docx"] = write_pack_docx(report, out / f"{data.title}.docx", title=data.title)
    files["feedback"] = {school: {**written, **_feedback_word(folder, school, pages, formats)}
                         for school, (pages, written) in shown.items()}
    return files


def workbook_sheets(data: DistrictData, analysis: DistrictAnalysis) -> dict:
    """The sheets of the district workbook (Chinese labels; the pupils' sheet is for staff)."""
    from ..labels import to_display

    pupils = analysis.totals.drop(columns=["exam"], errors="ignore")
    sheets = {"各校各科平均分": school_matrix(analysis),
              "各校三率一分": to_display(analysis.schools, intervals=True),
              "各班三率一分": to_display(analysis.classes, intervals=True),
              "校际均衡": to_display(analysis.balance),
              "班级均衡": to_display(analysis.school_class_balance),
              "总分分数段": school_band_table(analysis),
              PUPILS_SHEET: to_display(pupils)}
    sheets["各班位次（位次奖排位，仅供教研室）"] = _class_positions(data)
    if analysis.groups is not None:
        sheets["片区"] = to_display(analysis.groups, intervals=True)
    if analysis.value_added is not None:
        sheets["学校增值"] = to_display(analysis.value_added.units, intervals=True)
    if analysis.lines is not None:
        sheets.update(_line_sheets(analysis.lines))
    return sheets


def pupils_sheet_note(n_pupils: int) -> str:
    """What the run says when the pupils' sheet is longer than one Excel sheet holds.

    >>> print(pupils_sheet_note(1_200_000))  # doctest: +ELLIPSIS
          参考 1,200,000 人，超过 Excel 一张工作表最多 1,048,575 行：...
    """
    from ..io.excel import ROW_LIMIT

    return (f"      参考 {n_pupils:,} 人，超过 Excel 一张工作表最多 {ROW_LIMIT:,} 行："
            f"Excel 文件中的“{PUPILS_SHEET}”按原顺序分成几张工作表写出（名为“{PUPILS_SHEET}（1）”"
            "“（2）”……，每张都有表头），其余各表不变。")


def _line_sheets(lines) -> dict:
    """上线情况 as ``qualitykit lines`` writes it (the same tables; 临界生 as counts)."""
    from ..labels import to_display
    from .lines_workbook import line_notes

    tables = {"上线说明": None, "分数线": lines.district, "上线_学校": lines.schools,
              "上线_班级": lines.classes, "单科有效分": lines.effective,
              "单科有效分_学校": lines.effective_schools, "有效分两种算法": lines.methods,
              "临界生人数_学校": lines.critical}
    sheets = {name: to_display(t, digits=2, intervals=True).rename(
        columns={"ratio_line": "比例法有效分", "mean_line": "均值法有效分"})
        for name, t in tables.items() if t is not None}
    return {"上线说明": line_notes(lines.request), **sheets}


def _class_positions(data: DistrictData):
    """Every class's 位次 among the district's classes of its subject by the 位次奖 ranking
    (合格率, then 均分, then 优秀率: :func:`qualitykit.rank_units` with the non-graduating
    preset's order), the figures it was ranked on beside it — for the reward rules, not a
    league table of the report."""
    from ..cycle.awards import award_rules, rank_units
    from ..labels import to_display

    rule = award_rules()["non_graduating"]
    table = rank_units(data.scores[data.scores["subject"] != "总分"], rule,
                       standard=data.standard)
    table = table.sort_values(["subject", "rank"], kind="stable").dropna(axis=1, how="all")
    if "class_name" in table and table["class_name"].astype(str).eq(
            table["class_id"].astype(str)).all():
        table = table.drop(columns="class_name")
    return to_display(table.loc[:, ~table.astype(str).eq("").all()])


def run_district(score_file: str | Path | None = None, *, out_dir: str | Path = "output/district",
                 formats: tuple[str, ...] = ("html", "pdf", "docx"),
                 pdf_engine: str | None = None, log: Callable[[str], None] = print,
                 **parameters) -> dict:
    """Run the 联考 analysis on a file and write every report.

    Parameters
    ----------
    score_file : path, optional
        The 联考 file (all schools' pupils, a 学校 column); empty: the bundled 联考 sample.
    out_dir : path
        Where the reports go (created); the 通报反馈 in its folder ``通报反馈``.
    formats : tuple
        Any of ``html``, ``pdf``, ``docx`` (the workbook is always written).
    pdf_engine : {"chromium", "weasyprint"}, optional
    log : callable
        Called with each step's line of text.
    **parameters
        ``previous_file``, ``exam``, ``full_marks``, ``groups`` (学校=片区 text, a mapping or
        a two-column sheet), ``standard``, ``sheet``, ``engine`` (``duckdb``: the 三率一分
        tables by DuckDB over a ``.parquet`` score file), ``lines`` (admission lines as
        ``qualitykit lines`` takes them: ``"特控=0.05,本科=0.40"``; adds 上线情况) and
        ``lines_method`` (``"ratio"`` 比例法 or ``"mean"`` 均值法); ``None`` is "not given".

    Returns
    -------
    dict
        ``files`` (format → path; ``feedback``: school → files), ``timings``, ``pdf_engine``,
        ``title``.
    """
    from ..report.kernel import EarlyKernel
    from ..report.parameters import notebook_parameters
    from ..report.runner import check_formats, kept_browser, make_output_folder

    check_formats(formats, ("html", "pdf", "docx"))
    groups = parameters.get("groups")
    if groups is not None and not isinstance(groups, dict):  # text or a sheet: read here
        from .load import parse_groups

        parameters["groups"] = parse_groups(groups)
    params = notebook_parameters({"score_file": score_file, **parameters}, files=_FILES)
    out = make_output_folder(out_dir)
    # the kernel boots and imports, and the browser starts, on the other core while the file
    # is read and checked
    with EarlyKernel(DISTRICT_NOTEBOOK, out) as kernel, \
            kept_browser(formats, pdf_engine) as browser:
        try:
            return _run(params, out, formats, pdf_engine, (browser, kernel), log)
        finally:
            forget_checked(out)  # the checked tables kept for the notebook's kernel


def _run(params: dict, out: Path, formats, pdf_engine, started, log) -> dict:
    """The steps of :func:`run_district`: read, run the notebook (it writes the 通报反馈 as
    HTML and Word; with a kept browser each school's page is printed as soon as it is written),
    then the report's HTML and every PDF not printed yet; ``started``: the kept browser (or
    None) and the early kernel."""
    from ..report.runner import execute_notebook, export, timed

    browser, kernel = started
    timings: dict[str, float] = {}
    with timed(timings, "import"):
        data = _read(params, out, log)
    pages = {out / FEEDBACK_FOLDER / f"{_safe_name(s)}.html": s for s in data.schools}
    queue = _print_queue(browser, formats, pages)
    with timed(timings, "execute"):
        log("[2/4] 运行联考分析笔记本（各校比较、均衡指数、每校通报反馈）……")
        # the notebook writes each 通报反馈's HTML; its PDF is printed here, by the browser
        written = [f for f in formats if f != "pdf"] + (["html"] if "pdf" in formats else [])
        params.update(output_dir=str(out), formats=list(dict.fromkeys(written)),
                      pdf_engine=pdf_engine or "")
        executed = out / f"{data.title}.ipynb"
        try:
            execute_notebook(DISTRICT_NOTEBOOK, executed, params, out, kernel=kernel)
        except BaseException:
            if queue is not None:
                queue.cancel()  # no page is left printing into a run that stopped
            raise
    files = {kind: out / f"{data.title}.{kind}" for kind in ("xlsx", "docx")
             if kind == "xlsx" or kind in formats}
    printed = {h: h.with_suffix(".pdf") for h in pages if "pdf" in formats and h.exists()}
    engine = export(executed, out, data.title, formats, files, timings, pdf_engine, log,
                    browser=browser, also=printed, queue=queue)
    if "html" not in formats:
        for html_path in pages:
            html_path.unlink(missing_ok=True)
    files["feedback"] = {s: {k: p for k in formats if (p := out / FEEDBACK_FOLDER /
                                                      f"{_safe_name(s)}.{k}").exists()}
                         for s in data.schools}
    return {"files": files, "timings": timings, "pdf_engine": engine, "title": data.title}


def _read(params: dict, out: Path, log) -> DistrictData:
    """Step 1: read and check the 联考 file (and the lines: a wrong one stops here, before the
    notebook runs); the checked tables are kept in ``out`` for the notebook's kernel."""
    from ..io import excel
    from ..report.parameters import library_arguments

    log("[1/4] 读取并检查联考成绩表……")
    data = load_district(**library_arguments(params, _LOAD), checked_dir=out, keep_checked=True)
    if params.get("lines"):
        parse_lines(params["lines"])
    log(f"      {data.title}：{len(data.schools)} 所学校，{data.n_sat} 人参考，"
        f"科目 {'、'.join(data.subjects)}")
    for note in subject_not_sat_notes(data.scores):  # a school without one subject's scores
        log(f"      提醒：{note}")
    if data.n_sat > excel.ROW_LIMIT:
        log(pupils_sheet_note(data.n_sat))
    return data


def _print_queue(browser, formats, pages: dict):
    """With PDF in a kept browser: a print queue that prints each school's page as soon as the
    notebook has written it (a page left by an earlier run is not taken for it), each with its
    font cut to its characters, and every page untagged with its bookmarks added (the
    district report's long tables cost 3× as much to print tagged); else None."""
    from ..report.print_queue import PrintQueue

    if browser is None or "pdf" not in formats:
        return None
    queue = PrintQueue(browser, cut_fonts=True, own_outline=True)
    queue.watch({h: h.with_suffix(".pdf") for h in pages})
    return queue
