"""Report benchmark: `qualitykit report` end to end on the sample school, with its breakdown.

Each run is a fresh process running the whole command as a teacher runs it: the term report
and the 班级质量分析单 / 教师个人质量分析表 pack (its Word file and pages written by the notebook
from the report's own tables; its PDF printed in the browser started at the beginning). For every step the report times
itself (import: read and check the files, while the kernel starts and imports beside it;
execute: the notebook; export_html; export_pdf: the report's PDF; pack_pdf: waiting for the
pack's PDF, printed while the notebook wrote its Word files) it prints the wall time and the CPU
time of the process and of the children it waited for, so that a busy machine shows up as
wall ≫ CPU. The kernel is waited for only when the run ends, so its CPU is in the run's total,
not in a step's; Chromium's renderers are children of its zygote, which the command never
waits for: about 3.4 s of Chromium's CPU on the sample school is not in the figure.
The baseline in the same run is a bare papermill execution of a one-cell notebook,
also in a fresh process: the fixed cost of starting Python, papermill and a kernel that every
notebook run pays. Prints the best and the spread of the runs.
Target (issue 15): ≤ 10 s wall on a 2-core machine, with Chromium.

    .venv/bin/python benchmarks/bench_report.py [--repeat 5] [--engine chromium]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = ("import", "execute", "export_html", "export_pdf", "pack_pdf")
TARGET = 10.0

REPORT = """
import contextlib, io, json, resource, sys, time

def cpu():
    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

t0, c0 = time.perf_counter(), cpu()
from contextlib import contextmanager
from qualitykit import cli
from qualitykit.report import runner, term_report
cpu_steps, timings, result = {}, {}, {}
timed = runner.timed

@contextmanager
def timed_with_cpu(steps, step):  # the report's own step timer, with the CPU beside it
    start = cpu()
    with timed(steps, step):
        yield
    cpu_steps[step] = cpu() - start
    timings[step] = steps[step]

def print_result(r):
    result.update(engine=r["pdf_engine"], pack=sorted(r.get("pack", {})))
    show(r)

term_report.timed = runner.timed = timed_with_cpu  # import/execute here, export in runner
show, cli._print_report_result = cli._print_report_result, print_result
argv = ["report", "--out", sys.argv[1]] + (["--pdf-engine", sys.argv[2]] if sys.argv[2] else [])
with contextlib.redirect_stdout(io.StringIO()):  # the whole command, as a teacher runs it
    code = cli.main(argv)
print(json.dumps({"wall": timings, "cpu": cpu_steps, "engine": result["engine"],
                  "pack": result["pack"],
                  "code": code, "in_process": time.perf_counter() - t0,
                  "in_process_cpu": cpu() - c0}))
cli.end_process(code)  # as the qualitykit program ends (cli.run)
"""

BARE = """
import json, resource, sys, time
t = time.perf_counter()
import nbformat, papermill as pm
nb = nbformat.v4.new_notebook()
nb.cells = [nbformat.v4.new_code_cell("x = 1")]
nbformat.write(nb, sys.argv[1] + "/bare.ipynb")
pm.execute_notebook(sys.argv[1] + "/bare.ipynb", sys.argv[1] + "/bare-out.ipynb",
                    progress_bar=False, kernel_name="python3")
use = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
print(json.dumps({"execute": time.perf_counter() - t,
                  "cpu": sum(u.ru_utime + u.ru_stime for u in use)}))
"""


def fresh(code: str, *args: str) -> tuple[float, dict]:
    """Run ``code`` in a new Python process; its wall time seen from here, and its JSON line."""
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return time.perf_counter() - t, json.loads(done.stdout.strip().splitlines()[-1])


def one_run(tmp: Path, i: int, engine: str) -> dict:
    """One report and one bare kernel, each in a fresh process."""
    wall, steps = fresh(REPORT, str(tmp / f"run{i}"), engine)
    bare_wall, bare = fresh(BARE, str(tmp))
    return {**steps, "total": wall, "bare_wall": bare_wall, "bare": bare}


def describe(run: dict, n: int) -> str:
    start = run["total"] - run["in_process"]  # Python start and the first imports
    parts = [f"python start {start:.2f}"] + [
        f"{step} {run['wall'][step]:.2f} (cpu {run['cpu'].get(step, 0):.2f})"
        for step in STEPS if step in run["wall"]]
    return (f"run {n}: wall {run['total']:.2f} s, cpu {run['in_process_cpu']:.2f} s: "
            + ", ".join(parts) + f"; pack written: {'+'.join(run['pack']) or 'none'}"
            + f"; pdf by {run['engine']}; execute / bare kernel run "
            f"= {run['wall']['execute'] / run['bare']['execute']:.1f}× (bare: "
            f"{run['bare_wall']:.2f} s wall, {run['bare']['cpu']:.2f} s cpu)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engine", default="", help="chromium or weasyprint (default: auto)")
    args = parser.parse_args()
    with open("/proc/loadavg") if Path("/proc/loadavg").exists() else open(os.devnull) as fh:
        print(f"load average before: {fh.read().strip() or 'unknown'}; cores: {os.cpu_count()}")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            run = one_run(Path(tmp), i, args.engine)
            runs.append(run)
            print(describe(run, i + 1), flush=True)
    walls = sorted(r["total"] for r in runs)
    print(f"best {walls[0]:.2f} s, median {walls[len(walls) // 2]:.2f} s, worst {walls[-1]:.2f} s "
          f"over {len(walls)} runs; target ≤ {TARGET:.0f} s: "
          f"{'met' if walls[0] <= TARGET else 'NOT met'} (best run)")
    bare = sorted(r["bare_wall"] for r in runs)
    print(f"baseline in the same run (bare papermill, one-cell notebook): median "
          f"{bare[len(bare) // 2]:.2f} s; report / baseline = "
          f"{walls[len(walls) // 2] / bare[len(bare) // 2]:.1f}×")


if __name__ == "__main__":
    main()
