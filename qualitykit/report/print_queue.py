"""Pages printed by a kept browser a few at a time, each as soon as it is given or written.

A district run prints a hundred 通报反馈 and the district report. Opened all at once (one tab
each), they thrashed the machine's two cores and its memory (the load went to 35). A
:class:`PrintQueue` keeps at most ``tabs`` pages in flight, each tab showing page after page
(no new renderer process per page), and can :meth:`~PrintQueue.watch` for files the notebook
is still writing, so that the browser prints them on the machine's other core while the
notebook computes the next schools. With ``cut_fonts``, each page is printed with its Chinese
font cut down to the characters the page uses (:class:`~qualitykit.report.print_fonts.PageFonts`):
the browser reads and embeds a font of a few hundred glyphs, not all 30,000 (≈ 0.3 s less of the
browser's CPU a page, for ≈ 0.6 s of this process's once: worth it for many pages that share
their words, as a district's 通报反馈 do, not for a report's two).

With ``own_outline``, each page is printed untagged and given its bookmarks afterwards
(:mod:`~qualitykit.report.pdf_outline`): Chromium builds the page's whole accessibility
structure only to make them (measured on the 100,000-pupil 联考: the district report 7.2 s
tagged against 2.2 s, a 通报反馈 0.30 s against 0.22 s); a page that cannot be printed so is
printed tagged.

A page the browser could not print is named in what :meth:`~PrintQueue.finish` returns, with
the error; the caller prints it another way (:func:`qualitykit.report.runner.print_pdfs`).
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .browser import UNTAGGED_OPTIONS, Browser, BrowserError
from .pdf_outline import MarkedPage, OutlineCopies, OutlineError, add_outline
from .print_fonts import PageFonts

__all__ = ["PrintQueue", "TABS"]

#: Pages printed at once: two keep both cores busy once the notebook has ended, and leave one
#: to the notebook's kernel while it runs (a tab is mostly one process working at a time).
TABS = 2
#: Seconds between two looks for the files a :meth:`PrintQueue.watch` waits for.
POLL = 0.05


class PrintQueue:
    """Print HTML files to PDF in ``browser``, at most ``tabs`` at once.

    Parameters
    ----------
    browser : Browser
        A running browser (:func:`qualitykit.report.runner.kept_browser`).
    tabs : int
        Pages in flight at once (each in its own tab, reused page after page).
    cut_fonts : bool
        Print each page (but those put ``first``) with its local fonts cut to its characters.
    own_outline : bool or callable
        Print each page untagged, its bookmarks added here (the same bookmarks, titles,
        levels and pages as Chromium's). A function instead of True gives the bookmarks to
        make from the page's marked headings (a :class:`~qualitykit.report.pdf_outline.MarkedPage`
        in, one out: e.g. grouped, :func:`qualitykit.report.pack_pdf.pack_bookmarks`).

    Examples
    --------
    >>> from qualitykit.report.runner import find_browser
    >>> with Browser(find_browser()) as b:              # doctest: +SKIP
    ...     q = PrintQueue(b)
    ...     q.add("甲校.html", "甲校.pdf")
    ...     failed = q.finish()                          # {} when every page was printed
    """

    def __init__(self, browser: Browser, *, tabs: int = TABS, cut_fonts: bool = False,
                 own_outline: bool | Callable[[MarkedPage], MarkedPage] = False):
        if tabs < 1:
            raise ValueError(f"tabs 应为 1 或更大的整数，收到 {tabs!r}。")
        self._browser, self._fonts = browser, PageFonts() if cut_fonts else None
        self._outlines = OutlineCopies(
            bookmarks=own_outline if callable(own_outline) else None) if own_outline else None
        self._jobs: queue.PriorityQueue = queue.PriorityQueue()
        self._order = itertools.count()
        self._added: set[Path] = set()
        self._failed: dict[Path, Exception] = {}
        self._lock = threading.Lock()
        self._watched: dict[Path, Path] = {}
        self._since = 0
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        self._workers = [threading.Thread(target=self._work, name=f"qualitykit-print-{i}",
                                          daemon=True) for i in range(tabs)]
        for worker in self._workers:
            worker.start()

    def add(self, html, pdf, *, first: bool = False) -> None:
        """Print ``html`` to ``pdf`` (once: a page already added is not printed again);
        ``first`` puts it before the pages still waiting (a long page, started early; printed
        with its font whole: on a long page of tables the font is a small part of the cost,
        and cutting it would come before it)."""
        html = Path(html)
        with self._lock:
            if html in self._added:
                return
            self._added.add(html)
        fonts = None if first else self._fonts
        self._jobs.put((0 if first else 1, next(self._order), (html, Path(pdf), fonts)))

    def watch(self, pages: dict) -> None:
        """Print each HTML file (key) to its PDF (value) as soon as it is written (a file
        older than this call, left by an earlier run, is not taken). Each file must appear
        whole (written beside and renamed, as :func:`write_whole_text` does)."""
        if not self._watched:  # less 50 ms: a file's time is read from a coarser clock
            self._since = time.time_ns() - 50_000_000
        self._watched.update({Path(h): Path(p) for h, p in pages.items()})
        if self._watcher is None:  # one watcher, until finish()
            self._watcher = threading.Thread(target=self._watch, name="qualitykit-print-watch",
                                             daemon=True)
            self._watcher.start()

    def _watch(self) -> None:
        while True:
            stopping = self._stop.wait(POLL)
            for html, pdf in list(self._watched.items()):
                if _written_since(html, self._since):
                    self.add(html, pdf)
                    del self._watched[html]
            if stopping:
                return

    def finish(self) -> dict[Path, Exception]:
        """Stop watching (a watched file written by now is still printed), wait for every page;
        the pages that were not printed, each with its error (empty when all were)."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()
        for _ in self._workers:
            self._jobs.put((2, next(self._order), None))  # after every page: the end
        for worker in self._workers:
            worker.join()
        for copies in (self._fonts, self._outlines):
            if copies is not None:
                copies.close()
        return dict(self._failed)

    def cancel(self) -> None:
        """Stop watching, drop the pages still waiting, and wait for those being printed (a
        run that stopped with an error says so without printing the rest first)."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                break
        self.finish()

    def _work(self) -> None:
        """One tab: print pages until the end is taken; a page that fails is noted."""
        tab = None
        while (job := self._jobs.get()[2]) is not None:
            html, pdf, fonts = job
            try:
                if tab is None:
                    tab = self._browser.new_tab()
                self._print(tab, html if fonts is None else fonts.page(html), pdf)
            except (BrowserError, OSError) as exc:
                self._failed[html] = exc
                self._close(tab)  # it may be stuck: the next page gets a new one
                tab = None
        self._close(tab)

    def _print(self, tab: str, page: Path, pdf: Path) -> None:
        """Print ``page`` to ``pdf`` in ``tab``: untagged with its bookmarks added when the
        queue has ``own_outline`` and the page can be, else as Chromium prints it."""
        marked = self._outlines.page(page) if self._outlines is not None else None
        if marked is not None:
            self._browser.print_page(tab, marked[0], pdf, options=UNTAGGED_OPTIONS)
            try:
                add_outline(pdf, marked[1])
                return
            except OutlineError:  # not the PDF expected: printed again, tagged
                pass
        self._browser.print_page(tab, page, pdf)

    def _close(self, tab: str | None) -> None:
        """Close the tab, if any (a browser that cannot is closing anyway)."""
        if tab is not None:
            try:
                self._browser.close_tab(tab)
            except BrowserError:
                pass


def _written_since(path: Path, since: int) -> bool:
    """Whether the file exists, changed at ``since`` (nanoseconds) or later."""
    try:
        return path.stat().st_mtime_ns >= since
    except OSError:
        return False


def write_whole_text(path, text: str) -> Path:
    """Write ``text`` to ``path`` so that it appears whole or not at all (written beside, then
    renamed): a :meth:`PrintQueue.watch` never prints half a page."""
    import os

    path = Path(path)
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    os.replace(part, path)
    return path
