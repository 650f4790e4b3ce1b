"""Import benchmark: a generated 60,000-row × 12-column score sheet.

Prints qualitykit.read_scores (calamine + the full canonicalisation: markers, classes, checks)
and the baseline pandas.read_excel(engine="openpyxl") measured in the same run, and their ratio.
Target (issue 2): read_scores at least 8× faster than the openpyxl baseline.

    .venv/bin/python benchmarks/bench_import.py [--rows 60000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道法"]


def make_sheet(path: Path, rows: int, seed: int = 1) -> Path:
    import xlsxwriter

    rng = np.random.default_rng(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("成绩")
    ws.write_row(0, 0, ["学号", "姓名", "班级", *SUBJECTS])
    scores = np.round(rng.normal(70, 15, size=(rows, len(SUBJECTS))).clip(0, 100) * 2) / 2
    absent = rng.random(size=scores.shape) < 0.01
    for i in range(rows):
        row = [f"2025{i:06d}", f"学生{i:06d}", f"初一{i % 20 + 1}班"]
        row += ["缺考" if absent[i, j] else float(scores[i, j]) for j in range(len(SUBJECTS))]
        ws.write_row(i + 1, 0, row)
    wb.close()
    return path


def timed(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    import pandas as pd

    import qualitykit as qk

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=60_000)
    args = parser.parse_args()
    folder = Path(__file__).resolve().parent / "_data"
    folder.mkdir(exist_ok=True)
    path = folder / f"scores_{args.rows}.xlsx"
    if not path.exists():
        t = timed(lambda: make_sheet(path, args.rows))
        print(f"generated {path.name} in {t:.1f} s")
    ours = timed(lambda: qk.read_scores(path), repeat=3)
    calamine_raw = timed(lambda: pd.read_excel(path, engine="calamine"), repeat=3)
    openpyxl = timed(lambda: pd.read_excel(path, engine="openpyxl"), repeat=3)
    n = len(qk.read_scores(path))
    print(f"rows × columns            : {args.rows} × {len(SUBJECTS) + 3} -> {n} canonical rows")
    print(f"qualitykit.read_scores    : {ours:6.2f} s (best of 3)")
    print(f"pandas + calamine (raw)   : {calamine_raw:6.2f} s (best of 3)")
    print(f"pandas + openpyxl baseline: {openpyxl:6.2f} s (best of 3)")
    print(f"ratio openpyxl / read_scores: {openpyxl / ours:5.1f}×  (target ≥ 8×)")


if __name__ == "__main__":
    main()
