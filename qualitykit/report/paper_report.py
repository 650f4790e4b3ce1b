"""``qualitykit paper``: run the paper-analysis notebook and export HTML, PDF and the workbook.

The same steps as ``qualitykit report``: read and check the 小题分 file first (errors stop
here), execute ``notebooks/04-paper-analysis.ipynb`` with papermill (it writes 试卷分析.xlsx),
export HTML without code, print an A4 PDF (:mod:`qualitykit.report.runner`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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

__all__ = ["run_paper_report", "NOTEBOOK"]

NOTEBOOK = NOTEBOOKS / "04-paper-analysis.ipynb"
#: The file parameters of the paper notebook, in the order they are checked.
FILES = ("item_file", "info_file")
#: The parameters that :func:`qualitykit.read_items` takes (``info`` under the name
#: ``info_file``).
READ_ITEMS = ("exam", "subject", "grade")


def run_paper_report(item_file: str | Path | None = None, *, out_dir: str | Path = "output/paper",
                     formats: tuple[str, ...] = ("html", "pdf", "xlsx"),
                     pdf_engine: str | None = None, log: Callable[[str], None] = print,
                     progress: Callable[[int, int], None] | None = None,
                     **parameters) -> dict:
    """试卷分析 of one paper's 小题分 (difficulty, discrimination, reliability, options,
    knowledge points).

    Parameters
    ----------
    item_file : path, optional
        The 小题分 file; empty: the sample school's 五年级数学 2025-2026-1 期末.
    out_dir : path
        Where the files go (created).
    formats : tuple
        Any of ``html``, ``pdf``, ``xlsx`` (试卷分析.xlsx).
    pdf_engine : {"chromium", "weasyprint"}, optional
        See :func:`~qualitykit.report.html_to_pdf`.
    log : callable
        Called with each step's line of text as the run goes on (default: ``print``).
    progress : callable, optional
        ``progress(done, total)`` as each cell of the notebook starts (a progress bar).
    **parameters
        The notebook's parameters: ``info_file``, ``exam``, ``subject``, ``grade``,
        ``standard``, ``missing``. ``None`` is "not given" (as the file says). The notebook's
        own ``export`` is off: this function exports it.

    Returns
    -------
    dict
        ``files`` (format → path), ``timings``, ``pdf_engine``, ``title``.

    Raises
    ------
    InputFileError
        A file parameter that is missing, a folder, empty or unreadable (before anything runs).
    ScoreFileError
        A 小题分 file with errors (step 1, before the notebook runs).
    NotebookError
        The notebook stopped with an error.
    """
    check_formats(formats, ("html", "pdf", "xlsx"))
    params = notebook_parameters({"item_file": item_file, **parameters}, files=FILES,
                                 defaults={"export": False})  # the steps below export
    out = make_output_folder(out_dir)
    with kept_browser(formats, pdf_engine) as browser:  # it starts while the notebook runs
        timings: dict[str, float] = {}
        with timed(timings, "import"):
            title = _read_paper(params, log)
        with timed(timings, "execute"):
            log("[2/4] 运行试卷分析笔记本（难度、区分度、信度、选项、知识点）……")
            executed = out / f"{title}.ipynb"
            params["output_dir"] = str(out) if "xlsx" in formats else ""
            execute_notebook(NOTEBOOK, executed, params, out, progress)
        files: dict[str, Path] = {"xlsx": out / "试卷分析.xlsx"} if "xlsx" in formats else {}
        engine = export(executed, out, title, formats, files, timings, pdf_engine, log,
                        browser=browser)
        return {"files": files, "timings": timings, "pdf_engine": engine, "title": title}


def _read_paper(params: dict, log: Callable[[str], None]) -> str:
    """Step 1: read and check the 小题分 as the notebook will (errors stop here); the title."""
    from ..io.items import read_items
    from ..io.sample import sample_path
    from ..term.load import exam_title

    log("[1/4] 读取并检查小题分表……")
    path = params["item_file"] or sample_path("2025-2026-1 期末", grade=5, kind="items")
    items = read_items(path, info=params.get("info_file") or None,
                       **library_arguments(params, READ_ITEMS))
    first = items.iloc[0]
    students = items["student_id"].nunique()
    log(f"      {Path(path).name}：{students} 名学生，{items['item_id'].nunique()} 道题")
    school, subject, exam = (first[k] if isinstance(first[k], str) else ""
                             for k in ("school", "subject", "exam"))
    return f"{school}{subject}试卷分析" + (f"（{exam_title(exam)}）" if exam else "")
