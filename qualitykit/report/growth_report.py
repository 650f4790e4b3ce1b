"""``qualitykit growth``: run the cohort-and-growth notebook and export HTML and PDF.

The same steps as ``qualitykit report``: read and check every score sheet first (errors stop
here), execute ``notebooks/02-cohort-growth.ipynb`` with papermill (it writes 纵向分析.xlsx),
export HTML without code, print an A4 PDF (:mod:`qualitykit.report.runner`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..io.files import InputFileError
from ..paths import NOTEBOOKS
from .parameters import library_arguments, notebook_parameters
from .runner import (
    check_formats,
    execute_notebook,
    export,
    kept_browser,
    make_output_folder,
    timed,
)

__all__ = ["run_growth_report", "NOTEBOOK"]

NOTEBOOK = NOTEBOOKS / "02-cohort-growth.ipynb"
#: The file parameters of the growth notebook, in the order they are checked.
FILES = ("score_files", "same_grade_files", "reference_file", "roster_file", "teacher_file",
         "study_file")
#: The parameters that :func:`qualitykit.load_exams` takes under the same names, for every
#: sheet (the cohort's and the same grade's in other years).
LOAD_EXAMS = ("grade", "roster_file", "teacher_file", "subjects", "full_marks", "standard")


def run_growth_report(score_files: Sequence[str | Path] = (), *,
                      out_dir: str | Path = "output/growth",
                      formats: tuple[str, ...] = ("html", "pdf", "xlsx"),
                      pdf_engine: str | None = None, log: Callable[[str], None] = print,
                      progress: Callable[[int, int], None] | None = None,
                      **parameters) -> dict:
    """纵向分析 of one cohort's exams (and of the same grade in other years).

    Parameters
    ----------
    score_files : paths
        The cohort's score sheets in the order sat (at least two); empty: the sample school.
    out_dir : path
        Where the files go (created).
    formats : tuple
        Any of ``html``, ``pdf``, ``xlsx`` (纵向分析.xlsx).
    pdf_engine : {"chromium", "weasyprint"}, optional
        See :func:`~qualitykit.report.html_to_pdf`.
    log : callable
        Called with each step's line of text as the run goes on (default: ``print``).
    progress : callable, optional
        ``progress(done, total)`` as each cell of the notebook starts (a progress bar).
    **parameters
        The notebook's parameters: ``exams``, ``grade``, ``same_grade_files``,
        ``reference_file``, ``anchor``, ``roster_file``, ``teacher_file``, ``subjects``, ``standard``,
        ``full_marks``, ``study_file``, ``study_columns``. ``None`` is "not given" (the
        notebook's default; see :mod:`qualitykit.report.parameters`). The notebook's own
        ``export`` is off: this function exports it.

    Returns
    -------
    dict
        ``files`` (format → path), ``timings``, ``pdf_engine``, ``title``.

    Raises
    ------
    InputFileError
        A file parameter that is missing, a folder, empty or unreadable (before anything runs).
    ScoreFileError
        A sheet with errors (step 1, before the notebook runs; the same-grade sheets too).
    NotebookError
        The notebook stopped with an error.

    Notes
    -----
    Relative paths are taken from the current folder (the notebook runs in ``out_dir``).
    """
    check_formats(formats, ("html", "pdf", "xlsx"))
    params = notebook_parameters({"score_files": score_files, **parameters}, files=FILES,
                                 defaults={"export": False})  # the steps below export
    out = make_output_folder(out_dir)
    with kept_browser(formats, pdf_engine) as browser:  # it starts while the notebook runs
        timings: dict[str, float] = {}
        with timed(timings, "import"):
            title = _read_exams(params, log)
        with timed(timings, "execute"):
            log("[2/4] 运行纵向分析笔记本（届比较、追踪、增值、成长百分位、趋势）……")
            executed = out / f"{title}.ipynb"
            params["output_dir"] = str(out) if "xlsx" in formats else ""
            execute_notebook(NOTEBOOK, executed, params, out, progress)
        files: dict[str, Path] = {}
        if "xlsx" in formats:
            files["xlsx"] = out / "纵向分析.xlsx"
        engine = export(executed, out, title, formats, files, timings, pdf_engine, log,
                        browser=browser)
        return {"files": files, "timings": timings, "pdf_engine": engine, "title": title}


def _read_exams(params: dict, log: Callable[[str], None]) -> str:
    """Step 1: read and check every sheet as the notebook will (the same grade's and the
    reference too, so that a broken one stops before the notebook runs); returns the title."""
    from ..growth.exams import load_exams
    from ..schema import matching_hints
    from ..term.load import exam_title

    log("[1/4] 读取并检查各次考试的成绩表……")
    options = library_arguments(params, LOAD_EXAMS)
    series = load_exams(**library_arguments(params, ("score_files", "exams")), **options)
    if len(series.exams) < 2:
        raise ValueError(f"纵向分析需要同一届学生至少两次考试，只读到 {series.exams}。")
    if params["reference_file"]:
        _check_reference(params["reference_file"])
    if params["same_grade_files"]:
        same = load_exams(params["same_grade_files"], cohort=False, **options)
        for line in same.dropped_lines():
            log(f"      提醒（届比较）：{line}。")
    school = series.scores["school"].dropna()
    log(f"      {series.source}：{'、'.join(series.exams)}，"
        f"{series.scores['student_id'].nunique()} 名学生")
    for line in series.dropped_lines():
        log(f"      提醒：{line}。")
    for before, now in zip(series.exams, series.exams[1:]):
        for hint in matching_hints(series.exam(now), series.exam(before)):
            log(f"      提醒（{before} → {now}）：{hint}")
    first, last = (exam_title(e) for e in (series.exams[0], series.exams[-1]))
    return f"{school.iloc[0] if len(school) else ''}纵向分析（{first}至{last}）"


def _check_reference(path: str) -> None:
    """Read the 县/区 reference now, so that a broken file stops before the notebook runs."""
    from ..growth.cohorts import read_reference

    try:
        read_reference(path)
    except Exception as exc:  # pandas and calamine raise their own types
        raise InputFileError("reference_file", path, f"无法读取参照表（{' '.join(str(exc).split())}）。"
                             "请用 .xlsx 或 .csv，列为 考试、科目、均分、标准差。") from exc
