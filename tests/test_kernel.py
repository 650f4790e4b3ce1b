"""The kernel started early: it imports the notebook's modules while the sheets are read, and
the notebook then runs in it exactly as in a kernel of its own."""

import json
import subprocess
import sys

import nbformat

from qualitykit.report.kernel import EarlyKernel
from qualitykit.report.runner import execute_notebook
from qualitykit.report.term_report import NOTEBOOK


def test_the_warm_up_imports_what_the_term_notebook_calls():
    code = ("import json, sys\nfrom qualitykit.report.kernel import warm_up\n"
            f"done = warm_up({str(NOTEBOOK)!r})\n"
            "print(json.dumps([done, sorted(sys.modules)]))")
    done, modules = json.loads(subprocess.run([sys.executable, "-c", code], check=True,
                                              capture_output=True, text=True).stdout)
    # the kit's public names of the notebook, through the modules that define them
    assert {"load_term", "summary", "value_added", "plot_rates", "write_outputs",
            "write_pack"} <= set(done)
    assert {"qualitykit.term.load", "qualitykit.growth.value_added", "qualitykit.report.word",
            "qualitykit.report.pack"} <= set(modules)
    # and the libraries the analyses import only inside their functions
    assert {"scipy.special", "matplotlib.pyplot"} <= set(modules)
    # and nothing the term report does not use (tests/test_probability.py, test_chart_parts.py,
    # and the spline, B-spline and Brent's method beside scipy's in test_compare.py,
    # test_growth.py and test_random_intercept.py)
    assert not {"scipy.stats", "seaborn", "statsmodels", "scipy.optimize",
                "scipy.interpolate"} & set(modules)


def _notebook(path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(
                    "import os, sys\nprint(x, os.getcwd(),"
                    " 'scipy.special' in sys.modules)")]
    nbformat.write(nb, str(path))
    return path


def test_the_notebook_runs_in_the_early_kernel_after_its_warm_up(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    notebook = _notebook(tmp_path / "small.ipynb")
    with EarlyKernel(NOTEBOOK, out) as kernel:
        assert kernel.manager is not None
        execute_notebook(notebook, out / "ran.ipynb", {"x": 7}, out, kernel=kernel)
        manager, clients = kernel.manager, list(kernel._clients)
    assert kernel.manager is None and not manager.has_kernel  # shut down at the end
    # and papermill's client of it is closed too (an open heartbeat holds the exit ≈ 1 s)
    assert clients and not any(c.channels_running for c in clients)
    cells = nbformat.read(str(out / "ran.ipynb"), as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    # the warm-up left nothing: no output and no execution count before the notebook's own
    assert [c.execution_count for c in code] == [1, 2, 3]
    assert [c.outputs for c in code[:2]] == [[], []]
    printed = code[-1].outputs[0]["text"].split()
    # the parameter came through; the kernel works in the output folder; and the warm-up's
    # imports were done in this kernel before the notebook's first cell
    assert printed == ["7", str(out), "True"]


def test_a_kernel_that_died_before_its_warm_up_ended_gives_way_to_a_new_one(tmp_path):
    from jupyter_core.utils import run_sync

    out = tmp_path / "out"
    out.mkdir()
    notebook = _notebook(tmp_path / "small.ipynb")
    with EarlyKernel(NOTEBOOK, out) as kernel:
        run_sync(kernel.manager.shutdown_kernel)(now=True)  # dies before the warm-up's reply
        assert kernel.ready(timeout=30) is False and kernel.manager is None
        # papermill then starts a kernel of its own (without the warm-up's imports)
        execute_notebook(notebook, out / "ran.ipynb", {"x": 3}, out, kernel=kernel)
    printed = nbformat.read(str(out / "ran.ipynb"), as_version=4).cells[-1].outputs[0]["text"]
    assert printed.split()[0] == "3"


def test_ready_waits_for_the_warm_up_once(tmp_path):
    with EarlyKernel(NOTEBOOK, tmp_path) as kernel:
        assert kernel.ready() is True
        assert kernel.ready(timeout=0) is True  # already known: no second wait
