"""``qualitykit growth``: run the cohort-and-growth notebook and export HTML and PDF.

The same steps as ``qualitykit report``: read and check every score sheet first (errors stop
here), execute ``notebooks/02-cohort-growth.ipynb`` with papermill (it writes 纵向分析.xlsx),
export HTML without code, print an A4 PDF.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..io.files import InputFileError, input_file, output_folder, standard_file
from ..paths import NOTEBOOKS
from .term_report import execute_notebook, export

__all__ = ["run_growth_report", "NOTEBOOK"]

NOTEBOOK = NOTEBOOKS / "02-cohort-growth.ipynb"


def run_growth_report(score_files: Sequence[str | Path] = (), *,
                      out_dir: str | Path = "output/growth",
                      formats: tuple[str, ...] = ("html", "pdf", "xlsx"),
                      pdf_engine: str | None = None,
                      progress: Callable[[str], None] = print, **parameters) -> dict:
    """纵向分析 of one cohort's exams (and of the same grade in other years).

    Parameters
    ----------
    score_files : paths
        The cohort's score sheets in the order sat (at least two); empty: the sample school.
    out_dir : path
        Where the files go (created).
    formats : tuple
        Any of ``html``, ``pdf``, ``xlsx`` (纵向分析.xlsx).
    **parameters
        The notebook's parameters: ``exams``, ``grade``, ``same_grade_files``,
        ``reference_file``, ``anchor``, ``roster_file``, ``teacher_file``, ``subjects``, ``standard``,
        ``full_marks``, ``study_file``, ``study_columns``.

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
    from ..growth.exams import load_exams

    unknown = set(formats) - {"html", "pdf", "xlsx"}
    if unknown:
        raise ValueError(f"formats 只能包含 html、pdf、xlsx，收到 {sorted(unknown)}。")
    params = {k: v for k, v in parameters.items() if v is not None}
    params["score_files"] = [str(input_file(p, "score_files")) for p in score_files]
    params["same_grade_files"] = [str(input_file(p, "same_grade_files"))
                                  for p in params.get("same_grade_files") or []]
    for key in ("reference_file", "roster_file", "teacher_file", "study_file"):
        params[key] = str(input_file(params[key], key)) if params.get(key) else ""
    if params.get("standard"):
        params["standard"] = standard_file(params["standard"], "standard")
    out = output_folder(out_dir, "out_dir")
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}

    t0 = time.perf_counter()
    progress("[1/4] 读取并检查各次考试的成绩表……")
    series = load_exams(params["score_files"] or None, exams=params.get("exams") or None,
                        grade=params.get("grade") or None,
                        roster_file=params["roster_file"] or None,
                        teacher_file=params["teacher_file"] or None,
                        subjects=params.get("subjects") or None,
                        full_marks=params.get("full_marks") or None,
                        standard=params.get("standard") or None)
    if len(series.exams) < 2:
        raise ValueError(f"纵向分析需要同一届学生至少两次考试，只读到 {series.exams}。")
    if params["reference_file"]:
        _check_reference(params["reference_file"])
    if params["same_grade_files"]:  # read here too, so that a broken sheet stops before step 2
        load_exams(params["same_grade_files"], grade=params.get("grade") or None, cohort=False,
                   roster_file=params["roster_file"] or None,
                   teacher_file=params["teacher_file"] or None,
                   subjects=params.get("subjects") or None,
                   full_marks=params.get("full_marks") or None,
                   standard=params.get("standard") or None)
    school = series.scores["school"].dropna()
    title = f"{school.iloc[0] if len(school) else ''}纵向分析（{series.exams[0]}—{series.exams[-1]}）"
    timings["import"] = time.perf_counter() - t0
    progress(f"      {series.source}：{'、'.join(series.exams)}，"
             f"{series.scores['student_id'].nunique()} 名学生")

    t0 = time.perf_counter()
    progress("[2/4] 运行纵向分析笔记本（届比较、追踪、增值、成长百分位、趋势）……")
    executed = out / f"{title}.ipynb"
    params["output_dir"] = str(out) if "xlsx" in formats else ""
    execute_notebook(NOTEBOOK, executed, params, out)
    timings["execute"] = time.perf_counter() - t0

    files: dict[str, Path] = {}
    if "xlsx" in formats:
        files["xlsx"] = out / "纵向分析.xlsx"
    engine = export(executed, out, title, formats, files, timings, pdf_engine, progress)
    return {"files": files, "timings": timings, "pdf_engine": engine, "title": title}


def _check_reference(path: str) -> None:
    """Read the 县/区 reference now, so that a broken file stops before the notebook runs."""
    from ..growth.cohorts import read_reference

    try:
        read_reference(path)
    except Exception as exc:  # pandas and calamine raise their own types
        raise InputFileError("reference_file", path, f"无法读取参照表（{' '.join(str(exc).split())}）。"
                             "请用 .xlsx 或 .csv，列为 考试、科目、均分、标准差。") from exc
