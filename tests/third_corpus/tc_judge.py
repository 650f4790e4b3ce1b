"""Judge of the third corpus: run the commands a teacher types (``qualitykit.cli.main``
in-process) on every case and compare what they write with the case's own truth.

    python tests/third_corpus/tc_judge.py [substring ...]   -> prints a table of outcomes
"""
from __future__ import annotations

import contextlib
import io
import re
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

import tc_gen  # noqa: E402

CJK = re.compile(r"[\u4e00-\u9fff]")
#: The CLI's last resort for an exception the kit did not expect: always a defect.
UNEXPECTED = "请把这行信息和所用文件发给维护者"
#: What would rank pupils in a list a pupil or parent might see.
RANK_WORDS = ("名次", "排名", "年级排", "班排", "位次")


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``qualitykit argv…`` in this process: (exit code, stdout, stderr)."""
    from qualitykit.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


def plain_problems(code: int, out: str, err: str) -> list[str]:
    """What no teacher may see: a traceback, an English-only error, the last-resort message."""
    found = []
    if "Traceback" in out + err:
        found.append("traceback")
    if code == 2 and not CJK.search(err):
        found.append(f"English-only error: {err.strip()[:200]}")
    if UNEXPECTED in err:
        found.append(f"unexpected exception: {err.strip()[:300]}")
    return found


def read_summary(path: Path) -> pd.DataFrame:
    return pd.read_excel(path, sheet_name=0, engine="calamine")


def compare_summary(case: dict, table: pd.DataFrame) -> list[str]:
    """Every class × subject of the truth in ``table`` (the 三率一分 sheet) with the same
    counts and mean, and nothing else."""
    truth = case["truth"]
    got = table.assign(班级=table["班级"].astype(str), 科目=table["科目"].astype(str))
    got = got.set_index(["班级", "科目"])
    want = truth.set_index(["class", "subject"])
    problems = []
    missing = sorted(set(want.index) - set(got.index))
    extra = sorted(set(got.index) - set(want.index))
    if case.get("labels_free") and len(got) == len(want):
        return _compare_unlabelled(want, got)
    if missing:
        problems.append(f"missing class×subject: {missing[:6]}")
    if extra:
        problems.append(f"unexpected class×subject: {extra[:6]}")
    for key in sorted(set(want.index) & set(got.index)):
        problems += _compare_row(key, want.loc[key], got.loc[key])
    return problems


def _compare_row(key, w, g) -> list[str]:
    checks = {"应考人数": w["n"], "实考人数": w["n_sat"], "及格人数": w["n_pass"],
              "优秀人数": w["n_excellent"], "低分人数": w["n_low"], "满分": w["full"]}
    out = [f"{key} {col}: kit {g[col]} truth {v}" for col, v in checks.items()
           if not (pd.isna(g[col]) and pd.isna(v)) and g[col] != v]
    if w["n_sat"]:
        if abs(float(g["平均分"]) - w["mean"]) > 0.051:
            out.append(f"{key} 平均分: kit {g['平均分']} truth {w['mean']:.3f}")
        for col, n in (("及格率(%)", w["n_pass"]), ("优秀率(%)", w["n_excellent"]),
                       ("低分率(%)", w["n_low"]), ("满分率(%)", w["n_full"])):
            if abs(float(g[col]) - 100 * n / w["n_sat"]) > 0.051:
                out.append(f"{key} {col}: kit {g[col]} truth {100 * n / w['n_sat']:.2f}")
    elif pd.notna(g["平均分"]):
        out.append(f"{key}: nobody sat, yet 平均分 {g['平均分']}")
    return out


def _compare_unlabelled(want, got) -> list[str]:
    """Classes the kit names in its own way: the multiset of per-subject figures must agree."""
    def key(frame, n, mean):
        return sorted(zip(frame.index.get_level_values(1), frame[n], frame[mean].round(1)))

    w = key(want, "n_sat", "mean")
    g = key(got, "实考人数", "平均分")
    return [] if w == g else [f"class figures differ: kit {g[:4]} truth {w[:4]}"]


def score_commands(case: dict, out: Path) -> list[tuple[str, list[str]]]:
    """The commands a teacher types on a score case (name, argv)."""
    f, o = case["file"], case["options"]
    runs = [("check", ["check", f, *o]),
            ("summary", ["summary", f, *o, "--out", out / "三率一分.xlsx"]),
            ("targets", ["targets", f, *o, "--out", out / "培优补差.xlsx",
                         "--tracking", out / "学困生档案.xlsx"]),
            ("register", ["register", f, *o, "--out", out / "台账.xlsx"])]
    if case.get("teachers"):
        runs.append(("evaluate", ["evaluate", f, *o, "--teachers", case["teachers"],
                                  "--out", out / "教师综合评价.xlsx"]))
        runs.append(("targets+teachers", ["targets", f, *o, "--teachers", case["teachers"],
                                          "--out", out / "培优补差_教师.xlsx"]))
    if case.get("previous"):
        runs.append(("targets+previous", ["targets", f, *o, "--previous", case["previous"],
                                          "--out", out / "培优补差_上次.xlsx"]))
    runs.append(("lines", ["lines", f, *o, "--lines", "本科=0.5", "--out", out / "上线.xlsx"]))
    return runs


def explore(names: list[str], folder: Path, report: bool = False) -> None:
    for case in tc_gen.build_scores(folder / "cases"):
        if names and not any(n in case["name"] for n in names):
            continue
        out = folder / case["name"]
        out.mkdir(parents=True, exist_ok=True)
        runs = score_commands(case, out)
        if report:
            runs.append(("report", report_argv(case, out)))
        for label, argv in runs:
            code, so, se = run_cli(argv)
            bad = plain_problems(code, so, se)
            if label == "summary" and code == 0:
                bad += compare_summary(case, read_summary(out / "三率一分.xlsx"))
            print(f"{case['name']:26s} {label:18s} exit {code} {'OK' if not bad else bad}")
            if code != 0 or bad:
                print("    stderr:", se.strip()[:400].replace("\n", " | "))


def report_argv(case: dict, out: Path) -> list:
    argv = ["report", case["file"], *case["options"], "--formats", "html",
            "--out", out / "报告"]
    if case.get("teachers"):
        argv += ["--teachers", case["teachers"]]
    if case.get("previous"):
        argv += ["--previous", case["previous"]]
    return argv


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--report"]
    explore(args, Path(tempfile.mkdtemp(prefix="third_")), report="--report" in sys.argv)


# --------------------------------------------------------------------------------------------
# checks of the files the commands write, against the case's truth
# --------------------------------------------------------------------------------------------
def compare_targets(case: dict, path: Path) -> list[str]:
    """培优补差.xlsx: the 汇总 holds every class × subject somebody sat with its 实考人数; every
    class with a pupil on a list has its own sheet; no list ranks pupils."""
    book = pd.ExcelFile(path, engine="calamine")
    overview = pd.read_excel(book, "汇总").astype({"班级": str, "科目": str})
    truth = case["truth"][case["truth"]["n_sat"] > 0]
    got = dict(zip(zip(overview["班级"], overview["科目"]), overview["实考人数"]))
    want = dict(zip(zip(truth["class"], truth["subject"]), truth["n_sat"]))
    problems = [] if got == want or case.get("labels_free") else [
        f"汇总 实考人数 differ: {sorted(set(got.items()) ^ set(want.items()))[:6]}"]
    listed = overview[overview[["培优人数", "临界人数", "补差人数", "偏科人数"]].sum(axis=1) > 0]
    missing = sorted(c for c in set(listed["班级"]) if f"{c}班" not in book.sheet_names)
    if missing:
        problems.append(f"no list sheet for classes {missing[:6]}")
    for sheet in book.sheet_names:
        if sheet.endswith("班"):
            ranked = [c for c in pd.read_excel(book, sheet, nrows=0).columns
                      if any(w in str(c) for w in RANK_WORDS)]
            if ranked:
                problems.append(f"{sheet}: pupils ranked in {ranked}")
    return problems


def compare_teachers(case: dict, path: Path) -> list[str]:
    """教师综合评价.xlsx: one row per teacher × subject of the truth, with its number of pupils."""
    table = pd.read_excel(path, sheet_name="综合评价", engine="calamine")
    got = dict(zip(zip(table["教师"], table["科目"]), table["人数"]))
    truth = case["teacher_truth"]
    want = dict(zip(zip(truth["teacher"], truth["subject"]), truth["n_sat"]))
    return [] if got == want else [f"teachers differ: {sorted(set(got.items()) ^ set(want.items()))}"]


def compare_lines(case: dict, path: Path, share: float = 0.5) -> list[str]:
    """上线分析.xlsx「分数线」: 实考人数, 线分数 and 上线人数 of the top ``share`` by total (each
    pupil's sum over the subjects he sat; the ⌈share × N⌉-th total is the line, ties above)."""
    pupils = case["pupils"]
    subjects = list(case["truth"]["subject"].unique())
    total = pupils[subjects].sum(axis=1, min_count=1).dropna()
    line = total.sort_values(ascending=False).iloc[int(np.ceil(share * len(total))) - 1]
    want = {"实考人数": len(total), "线分数": line, "上线人数": int((total >= line - 1e-9).sum())}
    row = pd.read_excel(path, sheet_name="分数线", engine="calamine").iloc[0]
    return [f"分数线 {k}: kit {row[k]} truth {v}" for k, v in want.items()
            if abs(float(row[k]) - v) > 1e-6]
