"""A headless Chromium kept open while a report is computed, to print its HTML pages to PDF.

``chromium --headless --print-to-pdf`` starts a browser for every page it prints (≈ 1–1.5 s
before it reads the page). A report run starts :class:`Browser` first, lets it start while the
notebook computes, and prints the report and the class/teacher pack (or a district's hundred
通报反馈) through it, a few pages at a time, each tab showing page after page
(:class:`~qualitykit.report.print_queue.PrintQueue`; the Chrome DevTools protocol over a pair of
pipes, ``--remote-debugging-pipe``: no network port, nothing another program on the machine can
reach).

The pipe needs file descriptors 3 and 4 in the browser's process, which only POSIX systems
give a child; elsewhere (Windows), or when the browser fails, :meth:`Browser.print_pdfs`
raises :class:`BrowserError` and the caller prints with the one-shot command
(:func:`qualitykit.report.runner.html_to_pdf`).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote

__all__ = ["Browser", "BrowserError", "BROWSER_ARGUMENTS", "PRINT_OPTIONS", "UNTAGGED_OPTIONS"]

#: The options of every headless print (also the one-shot command's).
BROWSER_ARGUMENTS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync")
#: What the launcher runs: arguments are the two descriptors, then the browser's command line.
_ON_THREE_AND_FOUR = ("import os, sys; a, b = int(sys.argv[1]), int(sys.argv[2]); "
                      "os.dup2(a, 3); os.dup2(b, 4); os.close(a); os.close(b); "
                      "os.execv(sys.argv[3], sys.argv[3:])")
#: How a page is printed: A4 (or what its CSS ``@page`` says), its backgrounds, bookmarks from
#: its headings, no header or footer of the browser's own.
PRINT_OPTIONS = {"printBackground": True, "preferCSSPageSize": True,
                 "displayHeaderFooter": False, "generateDocumentOutline": True}
#: The same print without the tagged PDF (the page's accessibility structure, from which
#: alone Chromium makes bookmarks): the same pages, much cheaper on long tables; the
#: bookmarks are added afterwards (:mod:`qualitykit.report.pdf_outline`).
UNTAGGED_OPTIONS = {**PRINT_OPTIONS, "generateTaggedPDF": False, "generateDocumentOutline": False}
#: Seconds to wait for one reply of the browser before giving up on it.
TIMEOUT = 120.0


def _above_four(fd: int) -> int:
    """``fd`` moved to a descriptor number of 5 or more (the original closed), still closed on
    exec (only the browser gets it, through ``pass_fds``)."""
    import fcntl

    if fd > 4:
        return fd
    moved = fcntl.fcntl(fd, getattr(fcntl, "F_DUPFD_CLOEXEC", fcntl.F_DUPFD), 5)
    os.close(fd)
    return moved


class BrowserError(RuntimeError):
    """The kept browser could not print (not started, closed, or no reply in time)."""


class Browser:
    """A headless Chromium started now, to print pages later (:meth:`print_pdfs`).

    Parameters
    ----------
    executable : str
        The browser (from :func:`qualitykit.report.runner.find_browser`).

    Examples
    --------
    >>> from qualitykit.report.runner import find_browser
    >>> with Browser(find_browser()) as b:       # doctest: +SKIP
    ...     b.print_pdfs({"report.html": "report.pdf"})
    """

    def __init__(self, executable: str):
        self._profile = tempfile.mkdtemp(prefix="qk-browser-")
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._changed = threading.Condition()
        self._tabs: dict[str, str] = {}
        self._next_id = 0
        self._closed = False
        self._process = self._launch(executable)

    # --- the process and its pipes -------------------------------------------------------

    def _launch(self, executable: str) -> subprocess.Popen | None:
        if os.name != "posix":
            return None
        to_browser, self._commands = os.pipe()
        self._replies_fd, from_browser = os.pipe()
        # above 4, so that putting one on 3 cannot overwrite the other before it is read
        to_browser, from_browser = (_above_four(fd) for fd in (to_browser, from_browser))
        args = [executable, *BROWSER_ARGUMENTS, f"--user-data-dir={self._profile}",
                "--remote-debugging-pipe", "about:blank"]
        # a small Python puts the pipes on 3 (commands in) and 4 (replies out), then becomes the
        # browser (a shell cannot name descriptors above 9; preexec_fn is unsafe with threads)
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _ON_THREE_AND_FOUR, str(to_browser),
                 str(from_browser), *args], pass_fds=(to_browser, from_browser),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            process = None
            os.close(self._commands)
            os.close(self._replies_fd)
        finally:
            os.close(to_browser)
            os.close(from_browser)
        if process is not None:
            threading.Thread(target=self._read, name="qualitykit-browser", daemon=True).start()
        return process

    def _read(self) -> None:
        """Collect the browser's messages (JSON, each ending with a NUL byte) until it closes."""
        buffer = b""
        try:
            with os.fdopen(self._replies_fd, "rb", buffering=0) as pipe:
                while chunk := pipe.read(1 << 16):
                    buffer += chunk
                    *messages, buffer = buffer.split(b"\0")
                    self._take(messages)
        finally:  # whatever ends the pipe, no one waits for a reply that cannot come
            with self._changed:
                self._closed = True
                self._changed.notify_all()

    def _take(self, messages: list[bytes]) -> None:
        """Keep each reply by its id and each event in order; wake whoever waits."""
        with self._changed:
            for raw in messages:
                try:
                    message = json.loads(raw)
                except ValueError:  # not a message of the protocol: nothing waits for it
                    continue
                if "id" in message:
                    self._replies[message["id"]] = message
                else:
                    self._events.append(message)
            self._changed.notify_all()

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        if self._process is None or self._closed:
            raise BrowserError("浏览器没有启动或已关闭 (browser not running)")
        with self._changed:
            self._next_id += 1
            number = self._next_id
        message = {"id": number, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._commands, json.dumps(message).encode() + b"\0")
        except OSError as exc:
            raise BrowserError(f"浏览器已关闭 (browser pipe closed: {exc})") from exc
        return number

    def _reply(self, number: int) -> dict:
        with self._changed:
            if not self._changed.wait_for(lambda: number in self._replies or self._closed,
                                          TIMEOUT):
                raise BrowserError("浏览器没有回应 (browser timeout)")
            if number not in self._replies:
                raise BrowserError("浏览器已关闭 (browser closed)")
            reply = self._replies.pop(number)
        if "error" in reply:
            raise BrowserError(f"浏览器报错 (browser error): {reply['error'].get('message')}")
        return reply.get("result", {})

    def _call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        return self._reply(self._send(method, params, session))

    def _take_event(self, method: str, session: str) -> None:
        """Wait for the tab's next ``method`` event and remove it (a tab shows page after page:
        an event once seen must not answer a later wait)."""
        def found() -> int | None:
            return next((i for i, e in enumerate(self._events)
                         if e.get("method") == method and e.get("sessionId") == session), None)

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None or self._closed, TIMEOUT) \
                    or (index := found()) is None:
                raise BrowserError(f"浏览器没有打开页面 (no {method})")
            del self._events[index]

    def _forget_events(self, session: str) -> None:
        with self._changed:
            self._events[:] = [e for e in self._events if e.get("sessionId") != session]

    # --- printing --------------------------------------------------------------------------

    def print_pdfs(self, pages: dict, *, tabs: int | None = None) -> list[Path]:
        """Print each HTML file (key) to its PDF (value), A4 as each page's CSS says, with
        bookmarks from the headings, at most ``tabs`` pages at once (a
        :class:`~qualitykit.report.print_queue.PrintQueue`); the PDFs' paths.

        Raises
        ------
        BrowserError
            The browser is not running or did not print a page (the caller falls back to the
            one-shot print).
        FileNotFoundError
            An HTML file does not exist.
        """
        from .print_queue import PrintQueue

        queue = PrintQueue(self, **({} if tabs is None else {"tabs": tabs}))
        for html, pdf in pages.items():
            queue.add(html, pdf)
        failed = queue.finish()
        if failed:
            raise next(iter(failed.values()))
        return [Path(pdf) for pdf in pages.values()]

    def new_tab(self) -> str:
        """A new empty tab; its session id (for :meth:`print_page` and :meth:`close_tab`)."""
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._call("Target.attachToTarget", {"targetId": target,
                                                       "flatten": True})["sessionId"]
        self._tabs[session] = target
        self._call("Page.enable", session=session)
        return session

    def close_tab(self, session: str) -> None:
        """Close a tab of :meth:`new_tab` (its renderer's memory is given back)."""
        target = self._tabs.pop(session, None)
        if target is not None:
            self._call("Target.closeTarget", {"targetId": target})
        self._forget_events(session)

    def print_page(self, session: str, html: Path, pdf: Path, *,
                   options: dict = PRINT_OPTIONS) -> Path:
        """Show ``html`` in the tab ``session`` (the page before it replaced), wait for its
        fonts, and print it to ``pdf`` (with ``options``: :data:`PRINT_OPTIONS` or
        :data:`UNTAGGED_OPTIONS`)."""
        self._show(session, Path(html))
        reply = self._call("Page.printToPDF", options, session)
        Path(pdf).write_bytes(base64.b64decode(reply["data"]))
        return Path(pdf)

    def _show(self, session: str, html: Path) -> None:
        """The tab shows ``html`` with its fonts loaded."""
        if not html.is_file():
            raise FileNotFoundError(f"找不到要打印的网页 (no such HTML file)：{html}")
        url = html.resolve().as_uri()
        self._forget_events(session)
        opened = self._call("Page.navigate", {"url": url}, session)
        if opened.get("errorText"):
            raise BrowserError(f"浏览器打不开网页 (navigate failed): {opened['errorText']}")
        shown = ""
        while unquote(shown) != unquote(url):  # a load of the page before it is not this one
            self._take_event("Page.loadEventFired", session)
            shown = self._call("Runtime.evaluate", {
                "expression": "document.fonts.ready.then(() => location.href)",
                "awaitPromise": True, "returnByValue": True}, session)["result"].get("value", "")

    def close(self) -> None:
        """Close the browser and remove its profile (safe to call twice)."""
        if self._process is not None:
            try:
                self._send("Browser.close")
            except BrowserError:
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            os.close(self._commands)
            self._process = None
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
