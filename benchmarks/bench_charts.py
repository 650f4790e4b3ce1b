"""Chart benchmark: the term report's charts on the sample school, built and rendered in-process.

For each chart of ``notebooks/01-term-analysis.ipynb`` it prints the CPU time
(``time.process_time``, median of the repeats) to build the figure from the notebook's own
results and to render it as the report's PNG (:func:`qualitykit.report.plots.render_png`, as the
notebook shows it and the Word file takes it), and the PNG's size. The results are computed
once, as the notebook's cells compute them, before any timing; a first untimed round warms the
fonts and imports. Target (issue 15): the charts' build + render together ≤ 2.5 s CPU.

    .venv/bin/python benchmarks/bench_charts.py [--repeat 3] [--out DIR]

``--out DIR`` also writes each chart's PNG there, to look at.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

import qualitykit as qk  # noqa: E402
from qualitykit.report.plots import render_png  # noqa: E402

TARGET = 2.5


def notebook_results() -> dict:
    """The tables the notebook's charts draw, computed as its cells compute them."""
    term = qk.load_term("")
    comparison = qk.compare_classes(term.scores)
    by_class = qk.rank_groups(qk.against_grade(qk.summary(term.scores, standard=term.standard),
                                               comparison), comparison)
    paper = qk.paper_analysis(term.items, standard=term.standard)
    va = qk.value_added(term.scores, term.previous, standard=term.standard)
    teacher_comparison = qk.compare_classes(qk.assign_teachers(term.scores, term.teachers),
                                            group="teacher")
    teachers = qk.rank_groups(qk.against_grade(
        qk.teacher_table(term.scores, term.teachers, previous=term.previous,
                         standard=term.standard), teacher_comparison, unit="teacher"),
        teacher_comparison, unit="teacher")
    bands = qk.score_bands(term.scores, by=["class_id", "subject"])  # computed in the chart's cell
    return {"term": term, "comparison": comparison, "by_class": by_class, "paper": paper,
            "va": va, "teachers": teachers, "bands": bands}


def charts(r: dict) -> dict:
    """Each chart's name and the call that builds it, as in the notebook."""
    term = r["term"]
    return {
        "rates": lambda: qk.plot_rates(r["by_class"]),
        "bands": lambda: qk.plot_score_bands(r["bands"]),
        "distributions": lambda: qk.plot_distributions(term.scores),
        "means": lambda: qk.plot_class_means(r["comparison"].classes),
        "knowledge": lambda: qk.plot_knowledge_points(r["paper"].knowledge),
        "teachers": lambda: qk.plot_teachers(r["teachers"]),
        "value_added": lambda: qk.plot_value_added(r["va"].units),
        "items": lambda: qk.plot_items(r["paper"].items),
    }


def time_chart(build, repeat: int, out: Path | None, name: str) -> tuple[float, float, int]:
    """Median CPU seconds to build and to render one chart, and its PNG's bytes."""
    builds, renders = [], []
    for _ in range(repeat):
        start = time.process_time()
        fig = build()
        built = time.process_time()
        png = render_png(fig)
        builds.append(built - start)
        renders.append(time.process_time() - built)
        plt.close(fig)
    if out is not None:
        (out / f"{name}.png").write_bytes(png)
    return statistics.median(builds), statistics.median(renders), len(png)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    calls = charts(notebook_results())
    start = time.process_time()
    for build in calls.values():  # the notebook's round: fonts, imports and caches cold
        fig = build()
        render_png(fig)
        plt.close(fig)
    print(f"first round (cold, as in the notebook): {time.process_time() - start:.3f} s CPU")
    print(f"{'chart':<14}{'build s':>9}{'render s':>10}{'total s':>9}{'PNG kB':>8}")
    total = 0.0
    for name, build in calls.items():
        b, rdr, size = time_chart(build, args.repeat, args.out, name)
        total += b + rdr
        print(f"{name:<14}{b:>9.3f}{rdr:>10.3f}{b + rdr:>9.3f}{size / 1024:>8.0f}")
    print(f"{'all':<14}{'':>19}{total:>9.3f}   target ≤ {TARGET} s CPU")


if __name__ == "__main__":
    main()
