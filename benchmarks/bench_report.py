"""Report benchmark: `qualitykit report` end to end on the sample school, with its breakdown.

Prints wall time of the whole command (a fresh process, as a teacher runs it) and the steps
it reports itself: import (read and check the files), execute (the notebook, including kernel
start), export (HTML and PDF). The baseline in the same run is a bare papermill execution of a
one-cell notebook: the fixed cost of starting a kernel that every notebook run pays.
Target (issue 3): ≤ 20 s wall on a 2-core machine.

    .venv/bin/python benchmarks/bench_report.py [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CODE = """
import json, sys, time
from qualitykit.report import run_report
t = time.perf_counter()
r = run_report(None, out_dir=sys.argv[1], log=lambda _: None)
print(json.dumps({**r["timings"], "engine": r["pdf_engine"], "in_process": time.perf_counter() - t}))
"""


def bare_kernel(tmp: Path) -> float:
    import nbformat
    import papermill as pm

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, tmp / "bare.ipynb")
    t = time.perf_counter()
    pm.execute_notebook(str(tmp / "bare.ipynb"), str(tmp / "bare-out.ipynb"), progress_bar=False,
                        kernel_name="python3")
    return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = bare_kernel(tmp)
        print(f"baseline: papermill, one-cell notebook (kernel start)   {base:6.2f} s")
        for i in range(args.repeat):
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", CODE, str(tmp / f"run{i}")],
                                  capture_output=True, text=True, check=True)
            wall = time.perf_counter() - t
            steps = json.loads(done.stdout.strip().splitlines()[-1])
            export = steps["export_html"] + steps["export_pdf"]
            print(f"run {i + 1}: wall {wall:6.2f} s = import {steps['import']:.2f} + execute "
                  f"{steps['execute']:.2f} + export {export:.2f} (html {steps['export_html']:.2f}, "
                  f"pdf {steps['export_pdf']:.2f}, {steps['engine']}) + python start/imports "
                  f"{wall - steps['in_process']:.2f}; execute / bare kernel = "
                  f"{steps['execute'] / base:.1f}×; target ≤ 20 s: "
                  f"{'met' if wall <= 20 else 'NOT met'}")


if __name__ == "__main__":
    main()
