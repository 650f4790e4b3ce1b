"""The steps every report runner shares: check the formats and make the output folder, time
each step, run a notebook with papermill, export the executed notebook to HTML with the code
hidden, and print the HTML to an A4 PDF with a Chinese font, page numbers and the title block
(with Chromium / Chrome / Edge when the machine has one, else WeasyPrint).
"""

from __future__ import annotations

import html
import re
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..io.files import output_folder
from .browser import BROWSER_ARGUMENTS, Browser, BrowserError
from .print_queue import PrintQueue
from .kernel import EarlyKernel

__all__ = ["NotebookError", "EarlyPrint", "execute_notebook", "find_browser", "notebook_to_html", "warm_up_html",
           "html_to_pdf", "pdf_engine_for", "kept_browser", "print_pdfs", "check_formats",
           "make_output_folder", "timed", "export"]

#: The Jupyter kernel's start-up options: its English start-up warnings are not for teachers.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]

_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome",
             "msedge", "microsoft-edge")
_WINDOWS_BROWSERS = (r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
                     r"C:\Program Files\Google\Chrome\Application\chrome.exe")
_MAC_BROWSERS = ("/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                 "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge")


class NotebookError(RuntimeError):
    """The analysis notebook stopped with an error; the message is one Chinese sentence with
    the original error's type and text (the executed notebook is kept for a maintainer)."""


def execute_notebook(notebook: str | Path, executed: Path, params: dict, out: Path,
                     progress: Callable[[int, int], None] | None = None,
                     kernel: EarlyKernel | None = None) -> None:
    """Run ``notebook`` with papermill in the folder ``out``, writing ``executed``.

    Every path in ``params`` must already be absolute: the kernel's current folder is ``out``.
    ``progress(done, total)`` is called as each cell starts (cells of the notebook with the one
    papermill adds for the parameters). With ``kernel`` (an :class:`EarlyKernel` started in
    ``out``), the notebook runs in it; else papermill starts one.

    Raises
    ------
    NotebookError
        When a cell fails (papermill's ``PapermillExecutionError``) or the Jupyter kernel is
        missing.
    """
    import papermill as pm
    from jupyter_client.kernelspec import NoSuchKernel

    try:
        pm.execute_notebook(str(notebook), str(executed), parameters=params,
                            kernel_name="python3", progress_bar=False, cwd=str(out),
                            log_output=False, extra_arguments=_KERNEL_ARGUMENTS,
                            # written once at the end (or at the failing cell), not twice per
                            # cell with every chart so far: ≈ 1 s of CPU on the sample school
                            request_save_on_cell_execute=False,
                            # every output is in once the last cell has replied: no need to
                            # wait for the kernel to wind down (≈ 0.5 s)
                            shutdown_kernel="immediate",
                            **_cell_hooks(notebook, progress), **_early(kernel))
    except pm.PapermillExecutionError as exc:
        raise NotebookError(
            f"分析笔记本运行到第 {exc.exec_count} 格时出错：{exc.ename}：{exc.evalue}"
            f"（已运行的部分保存在 {executed}，可用 Jupyter 打开查看；如需帮助，请把这段信息和"
            "所用文件发给维护者）") from exc
    except NoSuchKernel as exc:
        raise _no_kernel() from exc


def _early(kernel: EarlyKernel | None) -> dict:
    """papermill's keyword for running in an :class:`EarlyKernel` (none without one)."""
    return {"km": kernel.manager} if kernel is not None and kernel.ready() else {}


def _no_kernel() -> NotebookError:
    return NotebookError("找不到 Jupyter 的 python3 内核 (no kernel)：请在项目文件夹运行 make "
                         "重新安装，或运行 python -m ipykernel install --user。")


def _cell_hooks(notebook: str | Path, progress: Callable[[int, int], None] | None) -> dict:
    """papermill's keyword for ``progress(done, total)`` as each cell starts (none without)."""
    if progress is None:
        return {}
    import json

    total = len(json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]) + 1  # + injected
    return {"on_cell_start": lambda cell, cell_index: progress(min(cell_index, total), total)}


def find_browser() -> str | None:
    """A Chromium-family browser for printing PDF (``QUALITYKIT_BROWSER`` overrides)."""
    if os.environ.get("QUALITYKIT_BROWSER"):
        return os.environ["QUALITYKIT_BROWSER"]
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    for path in _WINDOWS_BROWSERS + _MAC_BROWSERS:
        if Path(path).exists():
            return path
    return None


def _css(title: str) -> str:
    from .fonts import cjk_font

    family, path = cjk_font()
    stack = f'"QK CJK", "Microsoft YaHei", "PingFang SC", "{family}", "Noto Sans CJK SC", sans-serif'
    return f"""
@font-face {{ font-family: "QK CJK"; src: local("Microsoft YaHei"), local("PingFang SC"),
  url("{path.as_uri()}"); }}
@page {{ size: A4; margin: 16mm 13mm 18mm 13mm;
  @top-right {{ content: "{html.escape(title)}"; font-family: {stack}; font-size: 8pt; color: #777; }}
  @bottom-center {{ content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                    font-family: {stack}; font-size: 8.5pt; color: #555; }} }}
html, body, p, li, td, th, h1, h2, h3, h4, div, span, pre, code {{ font-family: {stack}; }}
body {{ font-size: 10pt; line-height: 1.5; color: #222; max-width: 190mm; margin: 0 auto; }}
h1 {{ font-size: 18pt; text-align: center; margin: 0 0 6pt; }}
h2 {{ font-size: 14pt; border-bottom: 1.5px solid #2f5597; padding-bottom: 2pt; margin-top: 14pt;
     page-break-after: avoid; break-after: avoid; }}
h3 {{ font-size: 11.5pt; margin: 10pt 0 4pt; page-break-after: avoid; break-after: avoid; }}
table {{ border-collapse: collapse; margin: 4pt 0 8pt; font-size: 8pt; width: 100%;
        page-break-inside: auto; }}
tr {{ page-break-inside: avoid; break-inside: avoid; }}
th, td {{ border: 0.6pt solid #aab; padding: 1.5pt 3pt; text-align: center; }}
th {{ background: #eef2f8; font-weight: bold; }}
td:last-child {{ text-align: left; }}
td:nth-child(-n+2), th:nth-child(-n+2) {{ white-space: nowrap; }}
img {{ max-width: 100%; height: auto; page-break-inside: avoid; break-inside: avoid; }}
.qk-title table {{ width: auto; margin: 0 auto 10pt; font-size: 9.5pt; }}
.qk-title th {{ background: none; text-align: right; border: none; color: #555; }}
.qk-title td {{ border: none; text-align: left; }}
.qk-note {{ color: #333; }}
.qk-caption {{ font-weight: bold; margin-bottom: 0; }}
blockquote {{ border-left: 3px solid #f0ad4e; margin: 6pt 0; padding: 2pt 8pt; color: #555;
             background: #fff8ec; }}
pre {{ white-space: pre-wrap; font-size: 8pt; }}
"""


def notebook_to_html(notebook: str | Path, html_path: str | Path, *, title: str) -> Path:
    """Export an executed notebook to a self-contained HTML report with the code hidden.

    Error messages and warnings printed to stderr are left out; tables, text and charts stay.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    html_path = Path(html_path)
    html_path.write_text(_html_page(nb, title), encoding="utf-8")
    return html_path


def _html_page(nb, title: str) -> str:
    """The HTML page of a notebook (a ``NotebookNode``), code hidden, with the report's CSS."""
    body, _ = _exporter().from_notebook_node(nb)
    return (f"<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{_css(title)}</style></head>"
            f"<body>{body}</body></html>")


_EXPORTERS: list = []


def _exporter():
    """The process's one HTML exporter (``basic`` template, code and prompts hidden): made once,
    so its templates are compiled once (≈ 0.2 s), by :func:`warm_up_html` while a notebook runs.

    nbconvert's ``HTMLExporter`` then parses the whole page again with BeautifulSoup only to add
    an ``alt`` text to images that lack one and ``tabindex`` to code cells (≈ 0.4 s on the
    sample report, more than the export itself). A report has no code cells, and every image
    of ours gets its ``alt`` here, from the chart's own caption (:func:`_with_alt`)."""
    if not _EXPORTERS:
        from nbconvert import HTMLExporter
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        class ReportExporter(HTMLExporter):
            def from_notebook_node(self, nb, resources=None, **kw):
                lexer = nb.metadata.get("language_info", {}).get("pygments_lexer")
                self.register_filter("highlight_code", self.filters.get(
                    "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
                resources = self._init_resources(resources)
                self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                    notebook_metadata=self._nb_metadata, parent=self, resources=resources))
                html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
                return _with_alt(html), resources

        _EXPORTERS.append(ReportExporter(
            template_name="basic", exclude_input=True, exclude_input_prompt=True,
            exclude_output_prompt=True, exclude_anchor_links=True))
    return _EXPORTERS[0]


def _with_alt(page: str) -> str:
    """``alt="图表"`` on every ``<img`` of ``page`` that has none (what nbconvert adds, in
    English, with BeautifulSoup).

    >>> _with_alt('<img src="a.png"><img alt="x" src="b.png">')
    '<img alt="图表" src="a.png"><img alt="x" src="b.png">'
    """
    return re.sub(r"<img(?![^>]*\balt=)", '<img alt="图表"', page)


def warm_up_html() -> None:
    """Export a small notebook (a heading, a table, text) and drop the page: the first export
    of a process loads nbconvert's templates, filters and Markdown parser (≈ 0.5 s), which a
    report can do while its notebook runs instead of after it."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    table = {"text/html": "<table><tr><th>a</th></tr><tr><td>1</td></tr></table>",
             "text/plain": "a 1"}
    nb.cells = [nbformat.v4.new_markdown_cell("## 标题\n\n**粗体** 与 > 引用"),
                nbformat.v4.new_code_cell("", outputs=[
                    nbformat.v4.new_output("display_data", data=table),
                    nbformat.v4.new_output("stream", name="stdout", text="文字\n")])]
    _html_page(nb, "warm-up")


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, *,
                engine: str | None = None) -> tuple[Path, str]:
    """Print the HTML report to an A4 PDF; returns the path and the engine used.

    ``engine``: ``"chromium"``, ``"weasyprint"`` or None (Chromium/Chrome/Edge when present,
    else WeasyPrint; ``QUALITYKIT_PDF_ENGINE`` overrides).
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path)
    engine = pdf_engine_for(engine)
    if engine == "chromium":
        browser = find_browser()
        if not browser:
            raise RuntimeError("找不到 Chromium / Chrome / Edge 浏览器 (no browser for PDF)；"
                               "请安装其一，或改用 engine='weasyprint'。")
        with tempfile.TemporaryDirectory() as profile:
            cmd = [browser, *BROWSER_ARGUMENTS, f"--user-data-dir={profile}",
                   "--no-pdf-header-footer",
                   "--generate-pdf-document-outline",  # bookmarks from the headings
                   f"--print-to-pdf={pdf_path.resolve()}", html_path.as_uri()]
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if done.returncode != 0 or not pdf_path.exists():
            raise RuntimeError(f"浏览器生成 PDF 失败 (browser print failed)：{done.stderr[-500:]}")
        return pdf_path, "chromium"
    if engine != "weasyprint":
        raise ValueError(f"engine 应为 'chromium' 或 'weasyprint'，收到 {engine!r}。")
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    weasyprint.HTML(filename=str(html_path)).write_pdf(str(pdf_path))
    return pdf_path, "weasyprint"


def pdf_engine_for(engine: str | None = None) -> str:
    """The PDF engine a print will use: ``engine`` if given, else ``QUALITYKIT_PDF_ENGINE``,
    else Chromium when the machine has a Chromium-family browser, else WeasyPrint."""
    return engine or os.environ.get("QUALITYKIT_PDF_ENGINE") or (
        "chromium" if find_browser() else "weasyprint")


@contextmanager
def kept_browser(formats, engine: str | None = None) -> Iterator[Browser | None]:
    """A browser started now for the PDFs a report prints at its end (it starts while the
    notebook computes), closed when the block ends; None when no PDF is asked for or the
    engine is not Chromium."""
    if "pdf" not in formats or pdf_engine_for(engine) != "chromium" or not find_browser():
        yield None
        return
    browser = Browser(find_browser())
    try:
        yield browser
    finally:
        browser.close()


def print_pdfs(pages: dict, engine: str | None = None, browser: Browser | None = None, *,
               queue: PrintQueue | None = None) -> str:
    """Print each HTML file (key) to its PDF (value); the engine used.

    With a ``browser`` (:func:`kept_browser`), a few pages at a time in it (in ``queue`` when
    given: a :class:`~qualitykit.report.print_queue.PrintQueue` that may have printed some
    already; the first page goes before those still waiting); a page it cannot print (not
    started, closed, too slow) is printed afterwards with :func:`html_to_pdf`.

    Raises
    ------
    FileNotFoundError
        An HTML file does not exist.
    """
    if browser is None:
        return _print_each(pages, engine)
    queue = queue if queue is not None else PrintQueue(browser)
    for i, (html_path, pdf_path) in enumerate(pages.items()):
        queue.add(html_path, pdf_path, first=i == 0)
    failed = queue.finish()
    for error in failed.values():
        if isinstance(error, FileNotFoundError):
            raise error
    if failed:
        return _print_each({h: p for h, p in pages.items() if Path(h) in failed}, engine)
    return "chromium"


def _print_each(pages: dict, engine: str | None) -> str:
    """One page after another with :func:`html_to_pdf`; the engine used."""
    used = pdf_engine_for(engine)
    for html_path, pdf_path in pages.items():
        used = html_to_pdf(html_path, pdf_path, engine=engine)[1]
    return used


class EarlyPrint:
    """Print ``html`` to ``pdf`` in a kept browser as soon as the file exists.

    A notebook that writes a page to print before its other files (the term report's pack,
    before the Word report) gets it printed by the browser's own processes, on the machine's
    other core, while it goes on. The file must appear whole (written beside and renamed).
    :meth:`finish` waits for the print; if the file never came or the browser failed, it says
    so and the caller prints the page itself. ``then``, if given, is called once the PDF is
    printed, in the same thread (the pack's bookmarks: done while the notebook still runs, not
    after it); an error there is raised again by :meth:`finish`. ``own_outline``: printed
    untagged with the kit's bookmarks, True or a function making them from the page's headings
    (:class:`~qualitykit.report.print_queue.PrintQueue`).
    """

    def __init__(self, browser: Browser, html: Path, pdf: Path, *, poll: float = 0.05,
                 then: Callable[[], object] | None = None,
                 own_outline: bool | Callable = False):
        import threading

        self.html, self.pdf, self.printed = Path(html), Path(pdf), False
        self._browser, self._poll, self._then, self._error = browser, poll, then, None
        self._own_outline = own_outline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="qualitykit-early-print",
                                        daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self.html.exists():
            if self._stop.wait(self._poll) and not self.html.exists():
                return
        try:
            if self._own_outline:  # untagged, the kit's bookmarks (report.pdf_outline)
                queue = PrintQueue(self._browser, tabs=1, own_outline=self._own_outline)
                queue.add(self.html, self.pdf, first=True)
                if queue.finish():
                    return
            else:
                self._browser.print_pdfs({self.html: self.pdf})
        except (BrowserError, OSError):
            return
        self.printed = True
        if self._then is not None:
            try:
                self._then()
            except Exception as exc:  # noqa: BLE001 - raised again by finish(), in the caller
                self._error = exc

    def finish(self) -> bool:
        """Wait for the print (the notebook has ended: no file is coming any more); whether
        the PDF was printed (and ``then`` done)."""
        self.stop()
        if self._error is not None:
            raise self._error
        return self.printed

    def stop(self) -> None:
        """End the watch: a file written by now is still printed."""
        self._stop.set()
        self._thread.join()


def check_formats(formats: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    """Stop before anything runs when ``formats`` asks for one a runner does not write.

    >>> check_formats(("html", "doc"), ("html", "pdf", "docx"))
    Traceback (most recent call last):
    ValueError: formats 只能包含 html、pdf、docx，收到 ['doc']。
    """
    unknown = set(formats) - set(allowed)
    if unknown:
        raise ValueError(f"formats 只能包含 {'、'.join(allowed)}，收到 {sorted(unknown)}。")


def make_output_folder(out_dir: str | Path) -> Path:
    """The absolute output folder, created (``out_dir`` named as the option ``out_dir``)."""
    out = output_folder(out_dir, "out_dir")
    out.mkdir(parents=True, exist_ok=True)
    return out


@contextmanager
def timed(timings: dict[str, float], step: str) -> Iterator[None]:
    """Time the block and keep its seconds as ``timings[step]``."""
    t0 = time.perf_counter()
    yield
    timings[step] = time.perf_counter() - t0


def export(executed: Path, out: Path, title: str, formats, files: dict, timings: dict,
           pdf_engine: str | None, log: Callable[[str], None], *,
           browser: Browser | None = None, also: dict | None = None,
           queue: PrintQueue | None = None) -> str | None:
    """Steps 3 and 4 of a report: HTML without code, then the A4 PDF (with ``also``, more HTML
    files → PDF printed in the same step, e.g. the class/teacher pack; with ``queue``, in that
    :class:`~qualitykit.report.print_queue.PrintQueue`, which may be printing some already);
    the executed notebook is removed. Fills ``files`` and ``timings``; returns the PDF engine
    used (None without PDF).
    """
    with timed(timings, "export_html"):
        log("[3/4] 导出网页版（HTML，隐藏代码）……")
        html_path = notebook_to_html(executed, out / f"{title}.html", title=title)
        if "html" in formats:
            files["html"] = html_path
    engine = None
    if "pdf" in formats:
        with timed(timings, "export_pdf"):
            log("[4/4] 生成 PDF（A4）……")
            files["pdf"] = out / f"{title}.pdf"
            engine = print_pdfs({html_path: files["pdf"], **(also or {})}, pdf_engine, browser,
                                queue=queue)
    if "html" not in formats:
        html_path.unlink()
    executed.unlink()
    return engine
