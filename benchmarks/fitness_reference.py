"""Regenerate ``tests/data/fitness_reference_esap.csv.gz``: 高中 单项得分 by an independent implementation.

The independent implementation is The-ESAP-Project/node-sport-management (JavaScript, MIT):
its ``utils/data/*.js`` scoring functions at commit
``db6ecfe79cf361a075d8a6afbf9ef104b23c4049`` (the last commit that has them) and
``utils/data/bmi.js`` at commit ``bd9cf8b28275e486127a0ee8f561fb5b92606137``. They are run as they
are, by node, from a checkout of that repository; nothing of them is copied into this one. The
kit's own tables for 高中 were transcribed from another project (Ksuserkqy/SportScoreSystem,
see qualitykit/fitness/tables/PROVENANCE.md), so agreement is a real check of both the
transcription and the reading rules.

The pupils are generated: every 高中 grade (10–12) and both sexes, 1,800 per grade and sex
(10,800 pupils, 75,600 item rows), each item's value drawn half from the lines of the tables
(every threshold, one step below and one step above, the kit's own table read only for *where*
the lines are, never for the expected scores) and half uniformly across and beyond the whole
table, on the step the standard records (0.1 s, 1 s, 0.1 cm, 1 ml, 1 cm, whole counts, BMI to
0.1). ESAP computes BMI from weight and height; it is given height 1 m and weight = the BMI.

    python benchmarks/fitness_reference.py /path/to/node-sport-management [--seed 2014]

needs ``node`` (run with v20) and ``git``; writes the gzip'd CSV (``student_id, sex, grade,
item, value, esap_score``) next to the test data's README.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "fitness_reference_esap.csv.gz"
SCORING_COMMIT = "db6ecfe79cf361a075d8a6afbf9ef104b23c4049"
BMI_COMMIT = "bd9cf8b28275e486127a0ee8f561fb5b92606137"
MODULES = ["shortDistanceRunning", "sitAndReach", "sitUpAndPullUp", "standingLongJump",
           "vitalCapacity", "enduranceRun"]
DRIVER = """
const fs = require('fs');
const dir = process.argv[2];
const f = {
  sprint_50m: require(dir + '/shortDistanceRunning.js'),
  sit_and_reach: require(dir + '/sitAndReach.js'),
  sit_ups: require(dir + '/sitUpAndPullUp.js'),
  pull_ups: require(dir + '/sitUpAndPullUp.js'),
  standing_long_jump: require(dir + '/standingLongJump.js'),
  vital_capacity: require(dir + '/vitalCapacity.js'),
  run_800m: require(dir + '/enduranceRun.js'),
  run_1000m: require(dir + '/enduranceRun.js'),
  bmi: require(dir + '/bmi.js'),
};
const rows = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const out = rows.map(([sex, grade, item, value]) => {
  const g = grade - 9, s = sex === '男' ? 'male' : 'female';
  return item === 'bmi' ? f.bmi(value, 1, s, g).bmiScore : f[item](value, s, g).score;
});
fs.writeFileSync(process.argv[4], JSON.stringify(out));
"""
STEP = {"sprint_50m": 0.1, "sit_and_reach": 0.1, "sit_ups": 1, "pull_ups": 1,
        "standing_long_jump": 1, "vital_capacity": 1, "run_800m": 1, "run_1000m": 1, "bmi": 0.1}


def candidate_values(item: str, lines: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    """n values: half on and next to the lines, half uniform over and beyond the table."""
    step = STEP[item]
    near = np.concatenate([lines - step, lines, lines + step])
    low, high = lines.min() - 5 * step, lines.max() + 5 * step
    grid = np.arange(round(low / step), round(high / step) + 1) * step
    values = np.where(rng.random(n) < 0.5, rng.choice(near, n), rng.choice(grid, n))
    if item in ("sit_ups", "pull_ups"):
        values = np.maximum(values, 0)  # a negative count is not a measurement
    return np.round(values, 1) if step < 1 else np.round(values)


def generate(seed: int, per_group: int = 1800) -> pd.DataFrame:
    """The generated 高中 pupils, one row per pupil × item (BMI as a ``bmi`` row)."""
    from qualitykit.fitness.tables import fitness_tables

    tables = fitness_tables()
    rng = np.random.default_rng(seed)
    frames = []
    for grade in (10, 11, 12):
        for sex in ("男", "女"):
            ids = [f"{grade}{'M' if sex == '男' else 'F'}{i:04d}" for i in range(per_group)]
            items = tables.weights.query("grade == @grade and sex == @sex")["item"]
            for item in items:
                if item == "bmi":
                    band = tables.bmi.query("grade == @grade and sex == @sex")
                    lines = np.concatenate([band["low"].dropna(), band["high"].dropna()])
                else:
                    lines = tables.levels.query("item == @item and grade == @grade and "
                                                "sex == @sex")["threshold"].to_numpy(float)
                frames.append(pd.DataFrame({"student_id": ids, "sex": sex, "grade": grade,
                                            "item": item,
                                            "value": candidate_values(item, lines, rng,
                                                                      per_group)}))
    return pd.concat(frames, ignore_index=True)


def run_esap(repo: Path, rows: pd.DataFrame) -> list[float]:
    """ESAP's 单项得分 of each row, from its own functions run by node."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name in MODULES:
            (tmp / f"{name}.js").write_bytes(subprocess.run(
                ["git", "-C", str(repo), "show", f"{SCORING_COMMIT}:utils/data/{name}.js"],
                check=True, capture_output=True).stdout)
        (tmp / "bmi.js").write_bytes(subprocess.run(
            ["git", "-C", str(repo), "show", f"{BMI_COMMIT}:utils/data/bmi.js"],
            check=True, capture_output=True).stdout)
        (tmp / "driver.js").write_text(DRIVER, encoding="utf-8")
        (tmp / "in.json").write_text(json.dumps(
            rows[["sex", "grade", "item", "value"]].values.tolist(), ensure_ascii=False),
            encoding="utf-8")
        subprocess.run(["node", str(tmp / "driver.js"), str(tmp), str(tmp / "in.json"),
                        str(tmp / "out.json")], check=True)
        return json.loads((tmp / "out.json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a git checkout of node-sport-management")
    parser.add_argument("--seed", type=int, default=2014)
    args = parser.parse_args()
    rows = generate(args.seed)
    rows["grade"] = rows["grade"].astype(int)
    rows["esap_score"] = run_esap(args.repo, rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(OUT, index=False, compression={"method": "gzip", "mtime": 0})
    print(f"{OUT}: {rows['student_id'].nunique()} pupils, {len(rows)} rows")


if __name__ == "__main__":
    main()
