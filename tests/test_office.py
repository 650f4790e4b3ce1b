"""The Word and Excel files left for later by the kernel of ``qualitykit report`` are the files
the notebook would have written itself."""

import pickle
import zipfile

import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.report.office import LATER, Renderer, later, write_later
from qualitykit.report.pack import pack_name, write_pack
from qualitykit.standard import PRESETS, Standard

EXAM = "2025-2026-1 期末"


@pytest.mark.parametrize("standard", [*PRESETS.values(), Standard(
    pass_line=0.5, full_marks={"语文": 120}, rank_lines={"excellent": 0.2})])
def test_a_standard_pickles_as_itself_and_stays_read_only(standard):
    back = pickle.loads(pickle.dumps(standard))
    assert back == standard
    with pytest.raises(TypeError):  # still read-only after the round trip
        back.full_marks["数学"] = 150


def _parts(path) -> dict:
    """A Word file's parts but its creation date (python-docx stamps the time)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    term = qk.load_term("", exam=EXAM, grade=5)
    comparison = qk.compare_classes(term.scores)
    by_class = qk.summary(term.scores, standard=term.standard)
    tables = {"basic": qk.summary(term.scores, by="subject"), "summary": by_class,
              "omnibus": comparison.omnibus, "classes": comparison.classes,
              "teachers": qk.teacher_table(term.scores, term.teachers, previous=term.previous)}
    figures = {"rates": qk.plot_rates(by_class), "means": None}
    arguments = dict(tables=tables, figures=figures, meeting="期末")
    now, kept = tmp_path_factory.mktemp("now"), tmp_path_factory.mktemp("later")
    direct = {**qk.write_outputs(now, term, **arguments), "pack": write_pack(
        term, now, formats=("html", "docx"))["docx"]}
    folder = tmp_path_factory.mktemp("office") / "left"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(LATER, str(folder))
        promised = {**qk.write_outputs(kept, term, **arguments), "pack": write_pack(
            term, kept, formats=("html", "docx"))["docx"]}
        left = sorted(p.name for p in folder.glob("*.pickle"))
        nothing_yet = [p.name for p in kept.iterdir()]
    with pytest.raises(RuntimeError, match="000"):  # the chart was left for later too
        write_later(folder)
    assert left == sorted(p.name for p in folder.glob("*.pickle"))  # nothing done, all kept
    done = write_later(folder, Renderer(folder).start().finish())
    return term, direct, promised, left, nothing_yet, done, folder


def test_the_report_is_left_with_every_argument_of_write_outputs(monkeypatch, tmp_path):
    # a parameter added to write_outputs and not handed over would be lost without a word
    import inspect

    monkeypatch.setenv(LATER, str(tmp_path / "left"))
    term = qk.load_term("", exam=EXAM, grade=5)
    qk.write_outputs(tmp_path, term, tables={})
    with open(tmp_path / "left" / "000-report.pickle", "rb") as fh:
        writer, args, kwargs = pickle.load(fh)
    named = [p.name for p in inspect.signature(qk.write_outputs).parameters.values()]
    assert (writer, len(args)) == ("report", 2) and set(kwargs) == set(named[2:])


def test_the_writers_leave_their_work_and_promise_the_same_paths(written):
    term, direct, promised, left, nothing_yet, _, _ = written
    assert {k: p.name for k, p in promised.items()} == {k: p.name for k, p in direct.items()}
    assert left == ["000-report.pickle", "001-pack.pickle"]
    # only the pack's page (printed at once by the command) is written in the kernel
    assert nothing_yet == [f"{pack_name(term)}.html"]


def test_the_files_written_later_are_the_files_written_at_once(written):
    _, direct, promised, _, _, done, folder = written
    assert not folder.exists()
    assert [d if isinstance(d, dict) else d.name for d in done] == [
        {"docx": promised["docx"], "xlsx": promised["xlsx"]}, promised["pack"].name]
    for kind in ("docx", "pack"):
        assert _parts(promised[kind]) == _parts(direct[kind]), kind
    now = pd.read_excel(direct["xlsx"], sheet_name=None, engine="calamine")
    after = pd.read_excel(promised["xlsx"], sheet_name=None, engine="calamine")
    assert list(now) == list(after) and all(now[s].equals(after[s]) for s in now)


def test_without_the_command_nothing_is_left_for_later(monkeypatch, tmp_path):
    monkeypatch.delenv(LATER, raising=False)
    assert later("report", tmp_path) is False
    assert write_later(tmp_path / "none") == []


def _left_and_direct(tmp_path, monkeypatch):
    """The Word report and workbook of the sample school written at once (``direct``) and left
    for later with a chart (``folder``, the charts rendered: ``png``); the paths promised."""
    term = qk.load_term("", exam=EXAM, grade=5)
    arguments = dict(tables={"basic": qk.summary(term.scores, by="subject")}, meeting="期末")
    direct = qk.write_outputs(tmp_path / "now", term, figures={"rates": _chart()}, **arguments)
    folder = tmp_path / "left"
    monkeypatch.setenv(LATER, str(folder))
    promised = qk.write_outputs(tmp_path / "later", term, figures={"rates": _chart()},
                                **arguments)
    monkeypatch.delenv(LATER)
    return direct, promised, folder, Renderer(folder).start().finish()


def test_the_kernel_writes_what_it_left_as_the_notebook_would_have(tmp_path, monkeypatch):
    from qualitykit.report.kernel import EarlyKernel
    from qualitykit.report.office import write_in_kernel
    from qualitykit.report.term_report import NOTEBOOK

    direct, promised, folder, png = _left_and_direct(tmp_path, monkeypatch)
    assert not promised["docx"].exists()
    # the kernel of qualitykit report: started with the folder named, as the command does
    with EarlyKernel(NOTEBOOK, tmp_path, env={LATER: str(folder)}) as kernel:
        assert kernel.ready()
        assert write_in_kernel(kernel, folder, png, ("report",)) is True
        # in the kernel, the writers write (they do not leave their work for later again)
        assert kernel.run(f"import os\nassert os.environ[{LATER!r}] == {str(folder)!r}")[
            "status"] == "ok"
        assert kernel.run("assert False")["status"] == "error"  # what is asked is checked
    assert not list(folder.glob("*.pickle"))  # done, and no longer left
    assert _parts(promised["docx"]) == _parts(direct["docx"])
    now = pd.read_excel(direct["xlsx"], sheet_name=None, engine="calamine")
    after = pd.read_excel(promised["xlsx"], sheet_name=None, engine="calamine")
    assert list(now) == list(after) and all(now[s].equals(after[s]) for s in now)


def test_an_error_of_the_kernels_writer_is_raised_in_the_command(tmp_path, monkeypatch):
    from qualitykit.report.kernel import EarlyKernel
    from qualitykit.report.office import write_in_kernel
    from qualitykit.report.term_report import NOTEBOOK

    _, promised, folder, png = _left_and_direct(tmp_path, monkeypatch)
    promised["docx"].mkdir(parents=True)  # the Word file cannot be written there
    with EarlyKernel(NOTEBOOK, tmp_path) as kernel, pytest.raises(IsADirectoryError):
        write_in_kernel(kernel, folder, png, ("report",))


def test_without_the_kernel_the_command_writes_what_is_left(tmp_path, monkeypatch):
    from qualitykit.report.office import write_in_kernel

    class Gone:  # a kernel that died: no reply
        def run(self, code):
            return None

    direct, promised, folder, png = _left_and_direct(tmp_path, monkeypatch)
    assert write_in_kernel(Gone(), folder, png, ("report",)) is False
    assert [p.name for p in folder.glob("*.pickle")] == ["000-report.pickle"]  # still there
    assert write_in_kernel(Gone(), folder, png, ("pack",)) is True  # nothing of it to do
    write_later(folder, png)
    assert _parts(promised["docx"]) == _parts(direct["docx"])


def _chart():
    by_class = qk.summary(qk.load_sample(exam=EXAM, grade=5))
    return qk.plot_rates(by_class)


def test_a_chart_left_for_later_is_rendered_to_the_same_picture(monkeypatch, tmp_path):
    from qualitykit.report.office import LaterFigure, Renderer, stand_in
    from qualitykit.report.plots import render_png
    from qualitykit.report.word import _chart_bytes

    fig = _chart()
    direct = render_png(fig)
    monkeypatch.setenv(LATER, str(tmp_path))
    shown = qk.report.plots._png_for_notebook(fig)  # what the notebook's cell gets
    assert shown == stand_in(LaterFigure("000"))
    # the Word report gets the same chart by its key, not pickled a second time
    assert _chart_bytes({"rates": fig, "means": None}) == {"rates": LaterFigure("000"),
                                                          "means": None}
    assert [p.name for p in (tmp_path / "figures").iterdir()] == ["000.pickle"]
    png = Renderer(tmp_path).start().finish()
    assert png["000"][0] == direct  # the same bytes, drawn in another thread from the pickle
    width, height = fig.get_size_inches() * fig.dpi
    assert png["000"][1] == {"width": round(width), "height": round(height)}


def test_the_stand_ins_are_replaced_and_none_may_be_left(tmp_path):
    import base64

    import nbformat

    from qualitykit.report.office import STAND_IN, LaterFigure, put_figures, stand_in

    data, metadata = stand_in(LaterFigure("000"))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": data, "text/plain": "<Figure>"},
        metadata={"image/png": metadata})])]
    path = tmp_path / "ran.ipynb"
    nbformat.write(nb, str(path))
    with pytest.raises(RuntimeError, match="000"):
        put_figures(path, {})
    assert put_figures(path, {"000": (b"\x89PNG-chart", {"width": 800, "height": 400})}) == 1
    output = nbformat.read(str(path), as_version=4).cells[0].outputs[0]
    assert base64.b64decode(output["data"]["image/png"]) == b"\x89PNG-chart"
    assert output["metadata"]["image/png"] == {"width": 800, "height": 400}
    assert STAND_IN not in str(output)


class _Events:
    """IPython's event registry, reduced to what :func:`no_redraw_after_cells` touches."""

    def __init__(self, *callbacks):
        self.callbacks = {"post_execute": list(callbacks)}

    def unregister(self, event, function):
        self.callbacks[event].remove(function)  # ValueError when absent, as IPython's


def test_an_inline_kernel_does_not_draw_every_chart_once_more_after_its_cell(monkeypatch):
    import types

    import matplotlib
    import matplotlib.pyplot as plt

    from qualitykit.report.plots import no_redraw_after_cells

    def flush_figures():  # the inline backend's own hook stays: it shows the charts
        pass

    shell = types.SimpleNamespace(events=_Events(plt._draw_all_if_interactive, flush_figures))
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "agg")
    assert no_redraw_after_cells(shell) is False  # a window or a script: nothing changes
    assert shell.events.callbacks["post_execute"] == [plt._draw_all_if_interactive,
                                                      flush_figures]
    monkeypatch.setattr(matplotlib, "get_backend",
                        lambda: "module://matplotlib_inline.backend_inline")
    assert no_redraw_after_cells(shell) is True
    assert no_redraw_after_cells(shell) is True  # again: nothing left to remove, no error
    assert shell.events.callbacks["post_execute"] == [flush_figures]
    assert no_redraw_after_cells(None) is False  # outside IPython


def _shown_in_an_inline_shell(monkeypatch):
    """A report chart made and shown in an IPython shell with the inline backend (as in a
    Jupyter kernel): the cell's result, the chart, and every figure drawn meanwhile."""
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    monkeypatch.setattr(matplotlib, "get_backend",
                        lambda: "module://matplotlib_inline.backend_inline")
    draws = []
    original = FigureCanvasAgg.draw
    monkeypatch.setattr(FigureCanvasAgg, "draw",
                        lambda self, *a, **k: draws.append(self.figure) or original(self, *a, **k))
    shell = InteractiveShell.instance()
    try:
        shell.run_cell("import matplotlib.pyplot as plt\nplt.ion()", store_history=False)
        shell.user_ns["chart"] = _chart
        result = shell.run_cell("fig = chart()\nfig", store_history=False)
        return result, shell.user_ns["fig"], draws
    finally:
        InteractiveShell.clear_instance()


def test_a_report_chart_made_in_the_kernel_is_not_drawn_there(monkeypatch, tmp_path):
    """In an IPython shell set up as the report's kernel (inline backend), making and showing a
    chart pickles it and draws nothing (the command draws it once, from the pickle)."""
    monkeypatch.setenv(LATER, str(tmp_path))
    _, fig, draws = _shown_in_an_inline_shell(monkeypatch)
    assert [p.name for p in (tmp_path / "figures").iterdir()] == ["000.pickle"]
    assert fig not in draws


def test_a_report_chart_in_a_teacher_s_jupyter_is_drawn_once(monkeypatch):
    """Without the command (a notebook opened in Jupyter, inline backend), a chart shown is
    drawn once: for its PNG, not once more by pyplot after the cell."""
    monkeypatch.delenv(LATER, raising=False)
    result, fig, draws = _shown_in_an_inline_shell(monkeypatch)
    assert result.success
    assert draws.count(fig) == 1
