"""District benchmark: a generated 联考 of 10,000 / 100,000 pupils × 9 subjects.

The files (xlsx and csv, one row per pupil: 学校, 考号, 姓名, 班级, 9 subjects) are generated
once and cached outside the repository (``~/.cache/qualitykit-bench``). Each step runs in a
fresh process, so its peak RSS (``ru_maxrss``) is its own; the steps after the import start
from the canonical long table (pickled by the csv import step; loading it is the ``load``
step, whose time is not counted in the others but whose memory is). Each step is timed after a
warm-up (the same step on 300 pupils: imports and caches, as in a long-lived session; its time
is printed too) and paired with a plain pandas baseline of the same computation, run in its
own fresh process in the same run. Wall and CPU seconds are both printed: on a shared machine
the CPU time is the steadier figure. 1,000,000 pupils: ``--pupils 1000000`` (not run by
default: the xlsx alone is ~100 MB and minutes to write).

==================  ==========================================================================
step                baseline (plain pandas)
==================  ==========================================================================
import_xlsx         ``read_excel(engine="calamine")`` + melt to long
import_csv          ``read_csv`` + melt to long
summary             groupby school × class × subject: count, mean, sd, median, min, max and
                    the pass / excellent / low counts (lines at 60 / 85 / 40 % of the full mark)
targets             per school × subject: rank share (top 10 %, bottom 10 %), below pass, the
                    5 %-of-full-mark band under the pass and excellent lines, a reason text
                    built column-wise
convert             ``read_csv`` + melt to long + DuckDB ``COPY … TO`` Parquet (the kit:
                    ``qualitykit convert``, the importer and columnar Parquet written by DuckDB)
summary_duckdb      the summary step by DuckDB over that Parquet file
                    (:func:`qualitykit.summary_duckdb`, nothing loaded in pandas); baseline a
                    plain DuckDB group-by of the same columns over the same file
lines               总分 per pupil, 上线 by school for a rank-share line, 比例法 有效分
scaled              rank bands per subject and the 等比例转换 of each score
growth              ``growth_percentiles`` of every subject (norm group: the whole 联考, one
                    model per subject) on a generated earlier exam of the same pupils; the
                    baseline is each pupil's percentile among the pupils with the same prior
                    score (a groupby rank, no model)
report              the whole ``qualitykit district`` command on the csv (notebook, PDF, HTML
                    and Word of the report and of every school's 通报反馈); the baseline reads
                    the csv and computes the report's means and SDs by school × subject and
                    class × subject in plain pandas
==================  ==========================================================================

    python benchmarks/bench_district.py [--pupils 10000 100000] [--steps summary targets]

Targets (issue 18): 100,000 pupils: import (xlsx and csv) + summary + targets ≤ 15 s and
≤ 4 GB on 2 cores; growth_percentiles ≤ 30 s (SGP within ±1 of the full fit for ≥ 99 % of
pupils); the district report ≤ 60 s. The ``growth`` step prints how many pupils each model was
fitted on (the kit fits every norm group whole: an exact interior-point solver, no sample, with
repeated (prior, score) rows collapsed into one counted row) and, untimed, the agreement of
every SGP with the full fit computed without collapsing (the solver as before). The
``report`` step's RSS is the largest of the command and its children (the notebook's kernel);
the browser's processes are not its children. Its CPU is that of the command and of every
process under it, the browser's renderers included (read from ``/proc`` as it runs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

CACHE = Path.home() / ".cache" / "qualitykit-bench"
SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "政治", "历史", "地理"]
MARKS = {"语文": 150, "数学": 150, "英语": 150}
STEPS = ("import_xlsx", "import_csv", "load", "summary", "convert", "summary_duckdb", "targets",
         "lines", "scaled", "growth", "report")
#: Steps that start from the Parquet file of the convert step, not from the long table.
PARQUET_STEPS = ("summary_duckdb",)


def generate(pupils: int, seed: int = 18) -> dict[str, Path]:
    """The 联考 files of ``pupils`` pupils (schools of ~1,000, classes of ~45), cached."""
    import pandas as pd

    CACHE.mkdir(parents=True, exist_ok=True)
    paths = {k: CACHE / f"district_{pupils}.{k}" for k in ("xlsx", "csv")}
    if all(p.exists() for p in paths.values()):
        return paths
    rng = np.random.default_rng(seed)
    school = rng.integers(0, max(pupils // 1000, 2), pupils)
    klass = rng.integers(1, 23, pupils)
    ability = rng.normal(0, 1, pupils) + rng.normal(0, 0.3, school.max() + 1)[school]
    table = pd.DataFrame({"学校": [f"第{s + 1}中学" for s in school],
                          "考号": [f"26{i:08d}" for i in range(pupils)],
                          "姓名": [f"学生{i:06d}" for i in range(pupils)],
                          "班级": [f"{k}班" for k in klass]})
    for subject in SUBJECTS:
        full = MARKS.get(subject, 100)
        raw = full * (0.65 + 0.15 * (0.8 * ability + 0.6 * rng.normal(0, 1, pupils)))
        table[subject] = np.clip(np.round(raw), 0, full)
        table.loc[rng.random(pupils) < 0.005, subject] = np.nan  # 缺考 as a blank
    table.to_csv(paths["csv"], index=False, encoding="utf-8-sig")
    table.to_excel(paths["xlsx"], index=False, sheet_name="成绩", engine="xlsxwriter")
    return paths


def _long(pupils: int):
    import pandas as pd

    return pd.read_pickle(CACHE / f"district_{pupils}_long.pkl")


def _kit_step(step: str, scores):
    import qualitykit as qk

    if step == "summary":
        qk.summary(scores, by=("school", "class_id", "subject"))
    elif step == "targets":
        qk.targets(scores)
    elif step == "lines":
        qk.admission_lines(scores, lines="特控=0.2", by="school")
        qk.effective_scores(scores, line="特控=0.2", by="school")
    elif step == "scaled":
        qk.scaled_scores(scores, subjects=SUBJECTS[3:])
    elif step == "growth":
        growth = qk.growth_percentiles(scores, earlier_exam(scores), by="school")
        return lambda: _growth_note(growth, scores)  # after the clock: the reference fit
    return ""


def _growth_note(growth, scores) -> str:
    """The pupils fitted, and each SGP against the full exact fit on the uncollapsed rows
    (the solver's collapsing of repeated (prior, score) rows switched off; not timed)."""
    from unittest import mock

    import qualitykit as qk
    import qualitykit.external.frisch_newton as fn

    with mock.patch.object(fn, "_collapsed", lambda X, y: (X, y, None)):
        full = qk.growth_percentiles(scores, earlier_exam(scores), by="school")
    both = growth.students.merge(full.students, on=["school", "student_id", "subject"],
                                 suffixes=("", "_full"))
    same_missing = (both["sgp"].isna() == both["sgp_full"].isna()).all()
    gap = (both["sgp"] - both["sgp_full"]).abs().dropna()
    with_prior = growth.students["prior_score"].notna().sum()
    return (f"growth: {len(growth.models)} models fitted on {int(growth.models['n'].sum()):,}"
            f" of {int(with_prior):,} pupil × subject rows with a prior score (the whole norm"
            f" group: no sample); against the full fit without collapsing repeated rows: "
            f"{(gap == 0).mean():.2%} identical, {(gap <= 1).mean():.2%} within ±1 of "
            f"{len(gap):,} SGPs, max gap {gap.max():g}, the same pupils without an SGP: "
            f"{'yes' if same_missing else 'NO'}")


def earlier_exam(scores):
    """The same pupils at an earlier exam: each score plus normal noise (SD 8 % of the full
    mark), rounded and held within 0 … full mark (fixed seed)."""
    rng = np.random.default_rng(5)
    noise = rng.normal(0, 0.08, len(scores)) * scores["full_mark"].to_numpy(float)
    before = np.clip(np.round(scores["score"].to_numpy(float) + noise), 0,
                     scores["full_mark"].to_numpy(float))
    return scores.assign(exam="上次联考", score=before)


def _report(paths: dict[str, Path]) -> float:
    """The whole ``qualitykit district`` command on the csv, in its own process; the CPU
    seconds of it and of every process under it (:func:`_tree_cpu`)."""
    import shutil
    import tempfile

    out = Path(tempfile.mkdtemp(prefix="bench-district-"))
    marks = ",".join(f"{k}={v}" for k, v in MARKS.items())
    try:
        command = subprocess.Popen([str(Path(sys.executable).with_name("qualitykit")), "district",
                                    str(paths["csv"]), "--full-marks", marks, "--out", str(out)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        cpu = _tree_cpu(command)
        if command.returncode:
            raise SystemExit(f"qualitykit district failed:\n{command.stderr.read()[-2000:]}")
        return cpu
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _tree_cpu(process: subprocess.Popen, every: float = 0.2) -> float:
    """Wait for ``process``; the CPU seconds (user + system) of it and of every process under it,
    each the last figure read from ``/proc`` (every ``every`` s: up to that much of a process
    that ends between two looks is missed). The browser's renderers are not waited for by the
    command, so they are not in its children's ``getrusage``; this counts them."""
    tick, seen = os.sysconf("SC_CLK_TCK"), {}
    while True:
        ended = process.poll() is not None
        table = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():  # self, thread-self, and the kernel's files
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except (OSError, ValueError):
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            table[int(entry)] = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        tree, grew = {process.pid}, True
        while grew:
            below = {pid for pid, (parent, _) in table.items() if parent in tree} - tree
            tree |= below
            grew = bool(below)
        seen.update({pid: max(seen.get(pid, 0.0), table[pid][1]) for pid in tree if pid in table})
        if ended:
            return sum(seen.values())
        time.sleep(every)


def _clock(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result) of ``fn()``."""
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def _parquet(pupils: int) -> Path:
    return CACHE / f"district_{pupils}.parquet"


def _convert(pupils: int):
    import qualitykit as qk

    return qk.convert_scores([generate(pupils)["csv"]], _parquet(pupils), full_marks=MARKS,
                             log=None)


def _duckdb_step(step: str, pupils: int) -> tuple[float, float, float]:
    """The steps on Parquet: ``convert`` writes it, ``summary_duckdb`` reads it."""
    import qualitykit as qk

    if step == "convert":
        warm = _clock(lambda: _convert(300))[0]
        return (*_clock(lambda: _convert(pupils))[:2], warm)
    if not _parquet(300).exists():
        _convert(300)
    by = ("school", "class_id", "subject")
    warm = _clock(lambda: qk.summary_duckdb(_parquet(300), by=by))[0]
    return (*_clock(lambda: qk.summary_duckdb(_parquet(pupils), by=by))[:2], warm)


def _ours(step: str, pupils: int, paths: dict[str, Path]) -> tuple[float, float, float, str]:
    """(seconds, CPU seconds, warm-up seconds, a note): the warm-up is the same step on a
    300-pupil file or slice first (imports, caches), as a long-lived session would have done."""
    import qualitykit as qk

    if step == "report":
        warm = _clock(lambda: _report(generate(300)))[0]
        wall, _, cpu = _clock(lambda: _report(paths))
        return wall, cpu, warm, ("report: CPU of the command and every process under it "
                                 "(its kernel, the browser and the browser's renderers)")
    if step in ("convert", *PARQUET_STEPS):
        return (*_duckdb_step(step, pupils), "")
    if step in ("import_xlsx", "import_csv"):
        kind = step.split("_")[1]
        warm = _clock(lambda: qk.read_scores(generate(300)[kind], full_marks=MARKS))[0]
        wall, cpu, scores = _clock(lambda: qk.read_scores(paths[kind], full_marks=MARKS))
        if kind == "csv":
            scores.to_pickle(CACHE / f"district_{pupils}_long.pkl")
        return wall, cpu, warm, ""
    scores = _long(pupils)
    few = scores[scores["student_id"].isin(scores["student_id"].unique()[:300])]
    warm = _clock(lambda: _kit_step(step, few))[0]
    wall, cpu, note = _clock(lambda: _kit_step(step, scores))
    return wall, cpu, warm, note() if callable(note) else note


def _melt(wide):
    long = wide.melt(id_vars=["学校", "考号", "姓名", "班级"], var_name="subject", value_name="score")
    long["full_mark"] = long["subject"].map(MARKS).fillna(100.0)
    return long


def _plain(step: str, pupils: int, paths: dict[str, Path]) -> tuple[float, float]:
    import pandas as pd

    if step == "import_xlsx":
        return _clock(lambda: _melt(pd.read_excel(paths["xlsx"], engine="calamine")))[:2]
    if step == "import_csv":
        return _clock(lambda: _melt(pd.read_csv(paths["csv"], encoding="utf-8-sig")))[:2]
    if step == "convert":
        out = CACHE / f"district_{pupils}_plain.parquet"
        return _clock(lambda: _plain_parquet(
            _melt(pd.read_csv(paths["csv"], encoding="utf-8-sig")), out))[:2]
    if step == "summary_duckdb":
        return _clock(lambda: _plain_duckdb_summary(_parquet(pupils)))[:2]
    if step == "report":
        return _clock(lambda: _plain_report(_melt(pd.read_csv(paths["csv"],
                                                              encoding="utf-8-sig"))))[:2]
    s = _long(pupils)
    s = s[s["status"] == "sat"]
    fn = {"summary": _plain_summary, "targets": _plain_targets, "lines": _plain_lines,
          "scaled": _plain_scaled, "load": lambda s: None, "growth": _plain_growth}[step]
    return _clock(lambda: fn(s))[:2]


def _plain_summary(s):
    x, full = s["score"], s["full_mark"]
    flags = s.assign(p=x >= 0.6 * full, e=x >= 0.85 * full, low=x < 0.4 * full)
    return flags.groupby(["school", "class_id", "subject"], observed=True).agg(
        n=("score", "size"), mean=("score", "mean"), sd=("score", "std"),
        median=("score", "median"), min=("score", "min"), max=("score", "max"),
        n_pass=("p", "sum"), n_exc=("e", "sum"), n_low=("low", "sum"))


def _plain_parquet(long, out: Path) -> None:
    """The long table written to Parquet by DuckDB as it is (no pyarrow)."""
    import duckdb

    con = duckdb.connect()
    con.register("long_table", long)
    con.execute(f"COPY long_table TO '{out}' (FORMAT parquet)")
    con.close()


def _plain_duckdb_summary(path: Path):
    import duckdb

    return duckdb.sql(f"""
        SELECT school, class_id, subject, count(*) AS n, avg(score) AS mean,
               stddev_samp(score) AS sd, median(score) AS median, min(score), max(score),
               count_if(score >= 0.6 * full_mark) AS n_pass,
               count_if(score >= 0.85 * full_mark) AS n_exc,
               count_if(score < 0.4 * full_mark) AS n_low
        FROM read_parquet('{path}') WHERE status = 'sat' AND score IS NOT NULL
        GROUP BY school, class_id, subject""").df()


def _plain_targets(s):
    pct = s.groupby(["school", "subject"])["score"].rank(pct=True, ascending=False)
    x, full = s["score"], s["full_mark"]
    top, bottom = pct <= 0.10, pct > 0.90
    near = ((x < 0.6 * full) & (x >= 0.55 * full)) | ((x < 0.85 * full) & (x >= 0.8 * full))
    rows = s[top | bottom | near | (x < 0.6 * full)]
    text = rows["subject"] + " " + rows["score"].astype(int).astype(str) + " 分"
    return rows.assign(reason=text)


def _plain_lines(s):
    totals = s.groupby(["school", "student_id"])["score"].sum()
    line = totals.sort_values(ascending=False).iloc[int(np.ceil(0.2 * len(totals))) - 1]
    over = totals >= line
    by_school = over.groupby(level="school").agg(["size", "sum"])
    rows = s.join(over.rename("over"), on=["school", "student_id"])
    cut = rows.groupby("subject")["score"].quantile(0.8, interpolation="higher")
    rows = rows.assign(eff=rows["score"] >= rows["subject"].map(cut))
    return by_school, rows.groupby(["school", "subject"]).agg(n=("eff", "sum"))


def _plain_scaled(s):
    s = s[s["subject"].isin(SUBJECTS[3:])]
    pct = s.groupby("subject")["score"].rank(pct=True, ascending=False, method="max")
    band = np.searchsorted([0.15, 0.50, 0.85, 0.98], pct.to_numpy(), side="left")
    g = s.assign(band=band).groupby(["subject", "band"])["score"]
    lo, hi = g.transform("min"), g.transform("max")
    top = np.array([100, 85, 70, 55, 40])[band]
    bottom = np.array([86, 71, 56, 41, 30])[band]
    return np.floor(bottom + (s["score"] - lo) / (hi - lo).where(hi > lo, 1) * (top - bottom) + 0.5)


def _plain_growth(s):
    prior = earlier_exam(s)["score"]
    return s.assign(prior=prior).groupby(["subject", "prior"])["score"].rank(pct=True)


def _plain_report(long):
    return [long.groupby(keys)["score"].agg(["size", "mean", "std"])
            for keys in (["学校", "subject"], ["学校", "班级", "subject"])]


def child(step: str, pupils: int, baseline: bool) -> None:
    paths = generate(pupils)
    seconds, cpu, warm, note = (*_plain(step, pupils, paths), 0.0, "") if baseline else \
        _ours(step, pupils, paths)
    rss = max(resource.getrusage(who).ru_maxrss for who in
              (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024  # KiB → MiB on Linux
    print(json.dumps({"seconds": seconds, "cpu": cpu, "warm": warm, "rss_mb": rss,
                      "note": note}))


def run(step: str, pupils: int, baseline: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", step, "--pupils", str(pupils)]
    done = subprocess.run(cmd + (["--baseline"] if baseline else []), capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{step} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--steps", nargs="+", default=list(STEPS), choices=STEPS)
    parser.add_argument("--child")
    parser.add_argument("--baseline", action="store_true")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.pupils[0], args.baseline)
    steps = [s for s in STEPS if s in args.steps]
    if any(s not in ("import_xlsx", "import_csv", "convert", *PARQUET_STEPS) for s in steps) \
            and "import_csv" not in steps:
        steps.insert(0, "import_csv")  # it writes the long table the other steps start from
    if any(s in PARQUET_STEPS for s in steps) and "convert" not in steps:
        steps.insert(steps.index(next(s for s in steps if s in PARQUET_STEPS)), "convert")
    for pupils in args.pupils:
        t0 = time.perf_counter()
        generate(pupils)
        print(f"\n{pupils:,} pupils × {len(SUBJECTS)} subjects "
              f"(files ready in {time.perf_counter() - t0:.1f} s, cached in {CACHE})")
        print(f"{'step':12s} {'kit s':>7s} {'kit cpu':>8s} {'kit MB':>7s} {'pandas s':>9s} "
              f"{'pd cpu':>7s} {'pd MB':>6s} {'ratio':>6s} {'cpu ratio':>9s} {'warm-up s':>9s}")
        measured = {}
        for step in steps:
            ours, plain = run(step, pupils, False), run(step, pupils, True)
            ratio = ours["seconds"] / plain["seconds"] if plain["seconds"] > 1e-6 else float("nan")
            cpu_ratio = ours["cpu"] / plain["cpu"] if plain["cpu"] > 1e-6 else float("nan")
            measured[step] = ours
            print(f"{step:12s} {ours['seconds']:7.2f} {ours['cpu']:8.2f} {ours['rss_mb']:7.0f} "
                  f"{plain['seconds']:9.2f} {plain['cpu']:7.2f} {plain['rss_mb']:6.0f} "
                  f"{ratio:6.1f} {cpu_ratio:9.1f} {ours['warm']:9.2f}")
            if ours["note"]:
                print(f"  {ours['note']}")
        for kind in ("xlsx", "csv"):  # the target: a file of either kind read, then the steps
            chain = [f"import_{kind}", "summary", "targets"]
            if all(step in measured for step in chain):
                wall = sum(measured[step]["seconds"] for step in chain)
                cpu = sum(measured[step]["cpu"] for step in chain)
                peak = max(measured[step]["rss_mb"] for step in chain)
                print(f"import {kind} + summary + targets: {wall:.1f} s wall, {cpu:.1f} s CPU, "
                      f"peak {peak:,.0f} MB (target ≤ 15 s, ≤ 4 GB)")
        print("warm-up: the same step on 300 pupils first (imports); "
              f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
