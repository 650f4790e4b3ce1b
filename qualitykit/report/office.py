"""The Word and Excel files of a report, written by ``qualitykit report`` beside the printing.

In a notebook opened in Jupyter, :func:`qualitykit.write_outputs` and
:func:`qualitykit.write_pack` write their Word and Excel files at once. When ``qualitykit
report`` runs the notebook, the last thing the kernel would do is write them (≈ 2 s of python-docx
and xlsxwriter on the sample school) while the command waits, and then the command would export
the page and print it. Instead the command starts the kernel with :data:`LATER` naming a private
folder: the writers put their arguments there (:func:`later`; the tables, the pages and the
charts' PNG bytes, as they are) and return the paths they will have; after the notebook the
kernel writes the files from them (:func:`write_in_kernel`, :func:`write_later`) while the
command exports the page and the browser prints it. The files are those the notebook would
have written: the same functions with the same arguments, only later (and, when the kernel is
gone, in the command's process).
"""

from __future__ import annotations

import importlib
import os
import pickle
import shutil
from binascii import b2a_base64
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LATER", "later", "write_later", "write_in_kernel", "write_kept", "LaterFigure",
           "later_figure", "stand_in", "Renderer", "put_figures", "STAND_IN"]

#: The environment variable naming the folder of the writes left for later (set only by
#: ``qualitykit report`` for its own kernel).
LATER = "QUALITYKIT_OFFICE_LATER"

#: The writers that can be left for later: name → "module:function".
WRITERS = {"report": "qualitykit.report.word:write_outputs",
           "pack": "qualitykit.report.pack_word:write_pack_docx"}


def later(writer: str, *args, **kwargs) -> bool:
    """Leave ``writer(*args, **kwargs)`` for :func:`write_later` when the kernel was started
    so; whether it was left (False: the caller writes now).

    The arguments are kept as they are (pickled): the later call gets equal DataFrames,
    texts and bytes.
    """
    folder = os.environ.get(LATER)
    if not folder or writer not in WRITERS:
        return False
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    number = len(list(folder.glob("*.pickle")))
    part = folder / f"{number:03d}-{writer}.pickle.part"
    with part.open("wb") as fh:
        pickle.dump((writer, args, kwargs), fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, part.with_suffix(""))
    return True


def write_later(folder: str | Path, png: dict[str, tuple[bytes, dict]] | None = None, *,
                writers: tuple[str, ...] | None = None) -> list:
    """Do the writes left in ``folder`` (in the order they were left) and remove the folder;
    what each writer returned. Nothing to do for a folder that is missing or empty.

    ``png``: the charts rendered later (:class:`Renderer`), for the ``figures`` the kernel
    handed over as :class:`LaterFigure`. ``writers``: only the writes of these writers (names
    of :data:`WRITERS`), each removed once done, the others and the folder left as they are.
    """
    folder = Path(folder)
    done = []
    for path in sorted(folder.glob("*.pickle")):
        if writers is not None and _writer_of(path) not in writers:
            continue
        with path.open("rb") as fh:
            writer, args, kwargs = pickle.load(fh)  # noqa: S301 - our own kernel's file
        if "figures" in kwargs:
            kwargs["figures"] = {name: _rendered(chart, png or {}) if isinstance(
                chart, LaterFigure) else chart for name, chart in kwargs["figures"].items()}
        module, function = WRITERS[writer].split(":")
        done.append(getattr(importlib.import_module(module), function)(*args, **kwargs))
        if writers is not None:
            path.unlink()
    if writers is None:
        shutil.rmtree(folder, ignore_errors=True)
    return done


def _writer_of(path: Path) -> str:
    """The writer of a write left for later, from its file's name (``000-report.pickle``)."""
    return path.stem.partition("-")[2]


# --- the kernel writes them itself ------------------------------------------------------------
# Once its notebook is done, the kernel is idle, on its own core, with everything the writers
# need already imported and the tables in its memory: the command asks it to do the writes it
# left (the same function, :func:`write_later`, with the charts the command rendered) while the
# command's process exports and prints the report, instead of doing both in one process.

#: The charts the command rendered, kept in the folder for the kernel (not a ``*.pickle``: it is
#: not a write).
RENDERED = "rendered.bin"
#: An error of the kernel's writes, kept for the command to raise.
ERROR = "error.bin"

_IN_KERNEL = """\
import qualitykit.report.office as _qk_office
_qk_office.write_kept({folder!r}, {writers!r})
del _qk_office
"""


def write_in_kernel(kernel, folder: str | Path, png: dict[str, tuple[bytes, dict]],
                    writers: tuple[str, ...]) -> bool:
    """Have ``kernel`` (the :class:`~qualitykit.report.kernel.EarlyKernel` that left the
    writes, its notebook done) do the writes of ``writers`` left in ``folder``, with ``png``;
    whether it did them all. An error of a writer there is raised here (a Word file open in
    WPS: the same ``PermissionError``). False, with what is left still in ``folder`` for
    :func:`write_later`: no kernel, or it died or failed before writing.
    """
    folder = Path(folder)
    if not any(_writer_of(path) in writers for path in folder.glob("*.pickle")):
        return True
    with (folder / RENDERED).open("wb") as fh:
        pickle.dump(png, fh, protocol=pickle.HIGHEST_PROTOCOL)
    reply = kernel.run(_IN_KERNEL.format(folder=str(folder), writers=tuple(writers)))
    error = folder / ERROR
    if error.exists():
        with error.open("rb") as fh:
            raise pickle.load(fh)  # noqa: S301 - our own kernel's file
    return reply is not None and reply.get("status") == "ok" and not any(
        _writer_of(path) in writers for path in folder.glob("*.pickle"))


def write_kept(folder: str | Path, writers: tuple[str, ...]) -> None:
    """In the kernel, for :func:`write_in_kernel`: the writes of ``writers`` left in
    ``folder``, now (not left for later again), with the charts the command rendered; an error
    is kept in the folder for the command."""
    folder = Path(folder)
    left = os.environ.pop(LATER, None)
    try:
        with (folder / RENDERED).open("rb") as fh:
            png = pickle.load(fh)  # noqa: S301 - the command's file
        write_later(folder, png, writers=writers)
    except Exception as exc:  # noqa: BLE001 - every error goes to the command
        _keep_error(folder / ERROR, exc)
    finally:
        if left is not None:
            os.environ[LATER] = left


def _keep_error(path: Path, exc: Exception) -> None:
    """``exc`` pickled to ``path``; one that does not pickle as itself, as a RuntimeError
    with its text."""
    try:
        kept = pickle.dumps(exc, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(kept)  # noqa: S301 - just made
    except Exception:  # noqa: BLE001
        kept = pickle.dumps(RuntimeError(f"写 Word/Excel 文件时出错 (writing failed)："
                                         f"{type(exc).__name__}: {exc}"))
    path.write_bytes(kept)


def _rendered(chart: LaterFigure, png: dict) -> bytes:
    if chart.key not in png:
        raise RuntimeError(f"图表 {chart.key} 没有画出 (chart {chart.key} was not rendered)")
    return png[chart.key][0]


# --- the charts -----------------------------------------------------------------------------
# Rendering the report's charts to PNG is the other half of the kernel's output-only work. In
# the kernel of ``qualitykit report`` a chart that is shown is pickled into ``figures/`` instead
# (the cell shows a one-pixel stand-in marked with its key), this process renders each as it
# comes, with the same function (:func:`qualitykit.report.plots.render_png`), and puts the
# PNGs into the executed notebook before it is exported and into the Word report.

#: The metadata key that marks a stand-in picture in the executed notebook.
STAND_IN = "qualitykit_later_figure"

_ONE_PIXEL = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAA"
              "SUVORK5CYII=")


@dataclass(frozen=True)
class LaterFigure:
    """A chart left for this process to render: its key in the ``figures`` folder."""

    key: str


def later_figure(fig) -> LaterFigure | None:
    """Pickle ``fig`` for the command to render (once: the same key when shown again), when
    the kernel was started so; else None (the caller renders it)."""
    folder = os.environ.get(LATER)
    if not folder:
        return None
    if getattr(fig, "_qualitykit_later", None):
        return fig._qualitykit_later
    figures = Path(folder) / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    key = f"{len(list(figures.glob('*.pickle'))):03d}"
    part = figures / f"{key}.pickle.part"
    with part.open("wb") as fh:
        pickle.dump(fig, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, part.with_suffix(""))
    fig._qualitykit_later = LaterFigure(key)
    return fig._qualitykit_later


def stand_in(later: LaterFigure) -> tuple[str, dict]:
    """The notebook's picture for a chart rendered later: one pixel, marked with its key."""
    return _ONE_PIXEL, {STAND_IN: later.key}


class Renderer:
    """Render the charts the kernel leaves in ``folder/figures`` as they come, in a thread of
    this process (the kernel works on the other core); :meth:`finish` waits for them all.

    ``before``, if given, runs first in the same thread (other warm-ups of the command: one
    thread imports, so no two threads import the same package at once). The thread starts
    with :meth:`start`.
    """

    def __init__(self, folder: str | Path, *, before=None, poll: float = 0.05):
        import threading

        self.figures, self.png = Path(folder) / "figures", {}
        self._before, self._poll, self._error = before, poll, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qualitykit-charts", daemon=True)

    def start(self) -> Renderer:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            if self._before is not None:
                self._before()
            from .fonts import set_theme

            set_theme()  # the kernel's theme: what savefig reads at drawing time
            while True:
                stopping = self._stop.is_set()
                for path in sorted(self.figures.glob("*.pickle")):
                    if path.stem not in self.png:
                        self.png[path.stem] = _render(path)
                if stopping:
                    return
                self._stop.wait(self._poll)
        except Exception as exc:  # raised again by finish(), in the command's thread
            self._error = exc

    def finish(self) -> dict[str, tuple[bytes, dict]]:
        """Every chart left (key → PNG and its size); an error rendering one is raised here."""
        self.stop()
        if self._error is not None:
            raise self._error
        return self.png

    def stop(self) -> None:
        """End the watch (the notebook has ended: no chart is coming any more)."""
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join()


def _render(path: Path) -> tuple[bytes, dict]:
    """A pickled chart as the notebook would have shown it: PNG bytes and width/height."""
    import matplotlib.pyplot as plt

    from .plots import render_png

    with path.open("rb") as fh:
        fig = pickle.load(fh)  # noqa: S301 - our own kernel's file
    data = render_png(fig)
    width, height = fig.get_size_inches() * fig.dpi
    plt.close(fig)
    return data, {"width": int(round(width)), "height": int(round(height))}


def put_figures(notebook: str | Path, png: dict[str, tuple[bytes, dict]]) -> int:
    """Put the rendered charts in place of their stand-ins in the executed ``notebook``; how
    many. A stand-in without its chart is an error (a report must not lose a chart)."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    done = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("image/png", {}).get(STAND_IN)
            if key is None:
                continue
            if key not in png:
                raise RuntimeError(f"图表 {key} 没有画出 (chart {key} was not rendered)")
            data, size = png[key]
            output["data"]["image/png"] = b2a_base64(data, newline=False).decode("ascii")
            output["metadata"]["image/png"] = dict(size)
            done += 1
    if done:
        nbformat.write(nb, str(notebook))
    return done
