"""``qualitykit report``: run the term-analysis notebook and export HTML, PDF and Word.

Steps (each timed): read and check every input file (errors stop here, before any notebook
runs) while a Jupyter kernel starts and imports what the notebook uses
(:class:`~qualitykit.report.kernel.EarlyKernel`) and a browser starts; execute
``notebooks/01-term-analysis.ipynb`` with papermill in that kernel (it writes the
班级质量分析单 / 教师个人质量分析表 pages first, which the browser prints at once, and leaves the
Word report, the workbook and the pack's Word file for later: :mod:`qualitykit.report.office`);
export the executed notebook to HTML with the code hidden and print it to an A4 PDF, while the
kernel, its notebook done, writes the Word and Excel files (the shared steps are in
:mod:`qualitykit.report.runner`). The machine's two cores are both at work: the kernel on one,
the browser and this process on the other.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..io.checked import forget_checked
from ..paths import NOTEBOOKS
from .kernel import EarlyKernel
from .office import LATER, WRITERS, Renderer, put_figures, write_in_kernel, write_later
from .parameters import library_arguments, notebook_parameters
from .print_queue import PrintQueue
from .runner import (
    EarlyPrint,
    check_formats,
    execute_notebook,
    export,
    kept_browser,
    make_output_folder,
    print_pdfs,
    timed,
    warm_up_html,
)

__all__ = ["run_report", "NOTEBOOK", "LEVEL_NOTEBOOK"]

NOTEBOOK = NOTEBOOKS / "01-term-analysis.ipynb"
#: The 等级分析 notebook, chosen when every subject of the sheet is graded in levels (一、二年级).
LEVEL_NOTEBOOK = NOTEBOOK.with_name("05-level-analysis.ipynb")
#: The file parameters of the term notebooks, in the order they are checked.
FILES = ("score_file", "roster_file", "teacher_file", "previous_file", "item_file")
#: The 质量目标与整改台账: a file parameter of the term-analysis notebook only (its 回头看).
REGISTER = "register_file"
#: The 体测 file: a file parameter of the term-analysis notebook only (its 体质健康 section).
FITNESS = "fitness_file"
#: The parameters that :func:`qualitykit.load_term` takes under the same names.
LOAD_TERM = ("score_file", "exam", "grade", "roster_file", "teacher_file", "previous_file",
             "subjects", "full_marks", "school", "standard", "item_file")


def run_report(score_file: str | Path | None = None, *, out_dir: str | Path = "output/report",
               formats: tuple[str, ...] = ("html", "pdf", "docx"),
               notebook: str | Path | None = None, pdf_engine: str | None = None,
               log: Callable[[str], None] = print,
               progress: Callable[[int, int], None] | None = None, **parameters) -> dict:
    """Run the term analysis on a score file and write the reports.

    Parameters
    ----------
    score_file : path, optional
        The school's score sheet; empty: the sample school.
    out_dir : path
        Where the reports go (created).
    formats : tuple
        Any of ``html``, ``pdf``, ``docx`` (the workbook of tables comes with ``docx``).
    notebook : path, optional
        Another term-analysis notebook with the same parameters. By default
        ``notebooks/01-term-analysis.ipynb``, or ``notebooks/05-level-analysis.ipynb`` when
        every subject of the sheet is graded in levels only (一、二年级: 等级分布, 班级比较 and
        与上次对比 on levels; a sheet mixing both gets the term report with a 等级 table).
    pdf_engine : {"chromium", "weasyprint"}, optional
        See :func:`~qualitykit.report.html_to_pdf`.
    log : callable
        Called with each step's line of text as the run goes on (default: ``print``).
    progress : callable, optional
        ``progress(done, total)`` as each cell of the notebook starts (a progress bar).
    **parameters
        The notebook's parameters: ``exam``, ``grade``, ``roster_file``, ``teacher_file``,
        ``previous_file``, ``item_file``, ``subjects``, ``standard``, ``school``,
        ``mask_names``, ``full_marks``, ``meeting`` (``"期中"`` or ``"期末"``: the 质量分析会 the
        report is for; by default from the exam's name, :func:`qualitykit.meeting_of`),
        ``register_file`` (the 质量目标与整改台账: the report gets a 回头看 of its targets,
        :func:`qualitykit.review` without writing the file), ``fitness_file`` (the grade's or the
        school's 体测 file: the report gets a 体质健康 section, :func:`qualitykit.fitness_section`;
        a file without a pupil of the sheet's grade stops the run in step 1).
        ``None`` is "not given" (exam, grade, school and subjects: as the sheet says; see
        :mod:`qualitykit.report.parameters`). The notebook's own ``export`` is off: this
        function exports it.

    Returns
    -------
    dict
        ``files`` (format → path), ``pack`` (format → path of the 班级质量分析单 and
        教师个人质量分析表, :func:`~qualitykit.report.pack.write_pack`: ``pdf`` and ``docx`` as
        ``formats`` asks; none for a sheet graded in levels only), ``timings`` (step →
        seconds), ``pdf_engine`` and ``title``.

    Raises
    ------
    InputFileError
        A file parameter that is missing, a folder, empty or unreadable (before anything runs).
    ScoreFileError
        A sheet with errors (step 1, before the notebook runs).
    NotebookError
        The notebook stopped with an error.

    Notes
    -----
    Relative paths are taken from the current folder (the notebook runs in ``out_dir``).
    """
    check_formats(formats, ("html", "pdf", "docx"))
    if parameters.get("meeting"):  # a wrong meeting stops before anything runs
        from ..term.conclusions import meeting_of
        meeting_of("", parameters["meeting"])
    # the notebook must not export itself: the steps below do (see report.notebook_run)
    params = notebook_parameters({"score_file": score_file, **parameters},
                                 files=(*FILES, REGISTER, FITNESS), defaults={"export": False})
    out = make_output_folder(out_dir)
    # the browser starts and the kernel boots and imports while the sheets are read; the kernel
    # takes them as read here (io.checked) and writes its Word files last (report.office)
    office = Path(tempfile.mkdtemp(prefix="qualitykit-office-"))
    try:
        with EarlyKernel(notebook or NOTEBOOK, out, env={LATER: str(office)}) as kernel, \
                kept_browser(formats, pdf_engine) as browser:
            return _run(notebook, params, out, formats, pdf_engine, (browser, kernel, office),
                        log, progress)
    finally:
        shutil.rmtree(office, ignore_errors=True)
        forget_checked(out)


def _run(notebook, params: dict, out: Path, formats, pdf_engine, started, log,
         progress) -> dict:
    """Steps 1–4 of :func:`run_report`, the pack's files taken up at the end; ``started``: the
    browser, the kernel and the folder of what the kernel leaves for later."""
    from .pack import pack_name
    from .pack_pdf import pack_bookmarks

    browser, kernel, office = started
    timings: dict[str, float] = {}
    with timed(timings, "import"):
        term = _read_term(params, out, log)
    pack = {kind: out / f"{pack_name(term)}.{kind}" for kind in ("html", "pdf", "docx")}
    pack["html"].unlink(missing_ok=True)  # only this run's pages are printed as the pack
    # the notebook writes the pack's pages before its Word files: printed meanwhile; its
    # charts are rendered here as they come
    early = EarlyPrint(browser, pack["html"], pack["pdf"], own_outline=pack_bookmarks) \
        if browser is not None and "pdf" in formats else None
    renderer = Renderer(office, before=warm_up_html)  # the first HTML export's loading
    files = {kind: out / f"{term.title}.{kind}" for kind in ("docx", "xlsx")}
    try:
        with timed(timings, "execute"):
            # the notebook writes the Word report, the workbook and the pack (Word, and the
            # HTML printed as its PDF) into output_dir; none of them without it
            params["output_dir"] = str(out) if {"docx", "pdf"} & set(formats) else ""
            executed = _execute(_notebook_for(notebook, term, log), term, params, out, log,
                                progress, kernel, renderer)
            png = renderer.finish()
            put_figures(executed, png)
        with ThreadPoolExecutor(1) as writer:  # the Word and Excel files, while printing
            written = writer.submit(_write_office, office, png, timings, kernel)
            # both PDFs untagged, their bookmarks the kit's (report.pdf_outline): the same
            # pages and bookmarks, a third less of the browser's work on the pack's tables
            engine = export(executed, out, term.title, formats, files, timings, pdf_engine,
                            log, browser=browser, queue=PrintQueue(
                                browser, own_outline=True) if browser is not None else None)
            with timed(timings, "pack_pdf"):
                printed = _print_pack(pack, early, formats, pdf_engine, browser)
            if browser is not None:  # every page is printed: it closes while the files are
                browser.close()      # finished
            written.result()  # an error writing them is raised here
    finally:  # a notebook that stopped: no file or chart is coming, the watches end
        for watch in (early, renderer):
            if watch is not None:
                watch.stop()
    return {"files": _kept(files, formats), "pack": _pack_files(pack, printed, formats, log),
            "timings": timings, "pdf_engine": engine, "title": term.title}


def _write_office(office: Path, png: dict, timings: dict, kernel: EarlyKernel) -> None:
    """The Word report, the workbook and the pack's Word file the notebook left for later,
    written by its kernel (done with the notebook: its imports and tables are there, on a core
    of its own, away from this process's export and its interpreter lock), which is shut down
    after. Without the kernel (it died, or papermill ran its own) this process writes them."""
    with timed(timings, "office"):
        if not write_in_kernel(kernel, office, png, tuple(WRITERS)):
            write_later(office, png)  # an error of a writer in the kernel is raised above
    kernel.close()


def _bookmark(pack: dict) -> None:
    """The bookmarks of the pack's printed PDF (a class or teacher each)."""
    from .pack_pdf import print_pack

    print_pack(pack["html"], pack["pdf"], engine="printed")


def _print_pack(pack: dict, early: EarlyPrint | None, formats, pdf_engine, browser) -> bool:
    """The pack's PDF, bookmarked: printed while the notebook ran, else now; whether it was
    printed."""
    if early is not None and early.finish():
        return True
    if "pdf" not in formats or not pack["html"].exists():
        return False
    print_pdfs({pack["html"]: pack["pdf"]}, pdf_engine, browser)
    _bookmark(pack)
    return True


def _kept(files: dict, formats) -> dict:
    """``files`` without the Word report and the workbook when ``docx`` was not asked for
    (the notebook writes them with the pack; they are removed)."""
    if "docx" in formats:
        return files
    for kind in ("docx", "xlsx"):
        files.pop(kind).unlink(missing_ok=True)
    return files


def _pack_files(pack: dict, printed: bool, formats, log: Callable[[str], None]) -> dict:
    """The pack's PDF (bookmarked) and Word file as asked for; its HTML, printed, is removed."""
    from .pack_pdf import pack_outline

    if not pack["html"].exists():
        return {}
    pages = pack_outline(pack["html"])[1]
    n_classes = sum(kind == "class" for kind, _ in pages)
    log(f"      班级质量分析单 {n_classes} 页，教师个人质量分析表 {len(pages) - n_classes} 页")
    files = {}
    if printed:  # and bookmarked (_print_pack)
        files["pdf"] = pack["pdf"]
    if "docx" in formats:
        files["docx"] = pack["docx"]
    else:
        pack["docx"].unlink(missing_ok=True)
    pack["html"].unlink()
    return files


def _execute(chosen: str | Path, term, params: dict, out: Path, log: Callable[[str], None],
             progress, kernel: EarlyKernel, renderer: Renderer) -> Path:
    """Step 2: run the chosen notebook (meanwhile nbconvert and the Word writers warm up for
    step 3 and the charts are rendered, :class:`~qualitykit.report.office.Renderer`); the
    executed notebook's path."""
    log("[2/4] 运行分析笔记本（计算指标、比较班级与教师、作图，写 Word 和班级、教师分析页）……")
    executed = out / f"{term.title}.ipynb"
    if chosen == LEVEL_NOTEBOOK:  # the 等级分析 has no meeting-specific sections, no 回头看
        params.pop("meeting", None)
        if params.pop(REGISTER, ""):
            log("      等级分析报告不含回头看（台账的目标按分数计算）")
        if params.pop(FITNESS, ""):
            log("      等级分析报告不含体质健康一节（请用 qualitykit fitness 分析体测成绩）")
    # the modules both threads use are imported here first: two threads importing the same
    # package at once can see it half-initialised ("cannot import name … partially initialized")
    import jupyter_client.manager  # noqa: F401
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401

    renderer.start()  # its warm-ups and the charts, while the kernel works
    execute_notebook(chosen, executed, params, out, progress, kernel)
    return executed


def _read_term(params: dict, out: Path, log: Callable[[str], None]):
    """Step 1: read and check the term's files as the notebook will (a sheet with errors stops
    here, before the notebook runs); returns the :class:`~qualitykit.TermData`."""
    from ..io.full_marks import FULL_MARK_HINT
    from ..io.items import item_pupils_hint
    from ..schema import matching_hints
    from ..term.load import ALIGNED_IDS, load_term

    log("[1/4] 读取并检查成绩表、学生信息表、教学编排表……")
    # kept in the output folder for the notebook's kernel (see io.checked; removed at the end)
    term = load_term(**library_arguments(params, LOAD_TERM), mask=params.get("mask_names", False),
                     checked_dir=out, keep_checked=True)
    log(f"      {term.title}：{term.n_students} 名学生，"
        f"科目 {'、'.join(term.subjects)}；读取 {term.report.rows_read} 行，"
        f"跳过 {term.report.rows_skipped} 行（见导入报告）")
    problems = term.report.problems["problem"]
    for hint in problems[problems.str.contains(FULL_MARK_HINT, regex=False)]:
        log(f"      提醒：{hint}")  # a full mark that is probably another (io.full_marks)
    for note in term.report.notes:
        if ALIGNED_IDS in note:  # 学号 of last term matched without their leading zeros
            log(f"      说明：{note}")
    if term.items is not None and params.get("item_file"):  # another exam's 小题分?
        hint = item_pupils_hint(term.items, term.scores, Path(params["item_file"]).name)
        if hint:
            log(f"      提醒：{hint}")
    if term.previous is not None:  # 学号 written another way, a class the earlier file lacks
        for hint in matching_hints(term.scores, term.previous):
            log(f"      提醒：{hint}")
    if params.get(FITNESS) and not term.levels_only:  # the 等级 notebook has no such section
        _check_fitness(params[FITNESS], term, log)
    return term


def _check_fitness(path: str, term, log: Callable[[str], None]) -> None:
    """The 体测 file read as the notebook will: one of another grade stops here
    (:class:`~qualitykit.FitnessError`, a Chinese message)."""
    from ..fitness.term_section import fitness_section

    section = fitness_section(path, term.scores, grade=term.grade)
    n = int(section.rates["n"].sum() + section.rates["n_incomplete"].sum())
    log(f"      体测文件：本年级 {n} 名学生，其中 {section.n_in_sheet} 人在成绩表中")


def _notebook_for(notebook: str | Path | None, term, log: Callable[[str], None]) -> str | Path:
    """The notebook asked for; else the 等级分析 one when every subject is graded in levels
    only, else the term analysis (:data:`NOTEBOOK`, read at each run)."""
    if notebook is None and term.levels_only:
        log("      各科都只记等级（一、二年级）：生成等级分析报告")
        return LEVEL_NOTEBOOK
    return notebook or NOTEBOOK
