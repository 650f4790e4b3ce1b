"""Regenerate the pupil-level reference files of the 体质健康 scoring (tests/data/README.md).

``senior`` writes ``tests/data/fitness_reference_esap.csv.gz``: 高中 单项得分 by
The-ESAP-Project/node-sport-management (JavaScript, MIT): its ``utils/data/*.js`` scoring
functions at commit ``db6ecfe79cf361a075d8a6afbf9ef104b23c4049`` (the last commit that has them)
and ``utils/data/bmi.js`` at commit ``bd9cf8b28275e486127a0ee8f561fb5b92606137``, run as they are
by node from a checkout of that repository. The kit's own 高中 tables were transcribed from
another project (Ksuserkqy/SportScoreSystem, see qualitykit/fitness/tables/PROVENANCE.md), so
agreement is a real check of both the transcription and the reading rules. 10,800 pupils
(1,800 per grade and sex, 75,600 item rows); ESAP computes BMI from weight and height and is
given height 1 m and weight = the BMI.

``primary`` writes ``tests/data/fitness_reference_boks.csv.gz``: 小学 item scores, 加分, 标准分,
附加分, 学年总分 and 等级 by ``scoreNational2014`` of kuilenren/boks-physical-assessment,
``services/api/src/scoring-engine.ts`` at commit ``01e55c0c779bf4bceb83fe1fa43cab1cc2542b67``,
taken from a checkout with ``git show``, transpiled by the ``typescript`` package (5.x, installed
outside this repository: ``npm install --prefix /tmp/tsc typescript@5``) and run by node. It is
the source of the kit's 小学 tables, so it checks the kit's reading of them (boundaries,
recording, weights, 加分, totals), not the cells. 10,200 pupils (850 per grade and sex, 61,200
item rows); BMI is given as height 100 cm and weight = the BMI.

``vba`` writes ``tests/data/fitness_reference_vba.csv.gz``: 小学 and 初中 item scores, 加分, 标准分,
附加分 and 等级 by the VBA version of a public VB.NET 体测 program (stored public-code index,
file id 23302715467; repository not recorded, no licence: its text is saved under /tmp and passed
to the script, never committed). Its ``Type Student``, module-level tables and the routines of
:data:`VBA_ROUTINES` (readStudent, calcStudentScore, every calc…Score, initScoreTable, …) are
taken as they are into a LibreOffice Basic module in VBA compatibility mode (``Option VBASupport
1``) with a 20-line driver that calls readStudent and calcStudentScore for each row of a Calc
sheet holding the pupils in the program's own input columns, and prints the Student's scores.
LibreOffice (7.4, with Calc: Debian ``libreoffice-calc-nogui``) runs it headless, driven by a
Python that can ``import uno`` (Debian's system python3). The VB.NET version itself cannot be
compiled here (Debian 12 has no ``mono-vbnc``); its routines are the same. It is the source of
the kit's 初中 tables (a check of the reading rules) and, for 小学, independent of the kit's source
(its 小学 tables equal the kit's cell for cell). 小学: the same 10,200 pupils as ``primary``;
初中: 10,200 pupils (1,700 per grade and sex).

The pupils are generated (seed 2014): each item's value is drawn half from the lines of the
tables (every threshold, one step below and one step above; for ``primary`` and ``vba`` also
every 加分 step, and every such value at least once; the kit's own table read only for *where*
the lines are, never for the expected scores) and half uniformly across and beyond the whole
table, on the step the standard records (0.1 s, 1 s, 0.1 cm, 1 ml, 1 cm, whole counts, BMI to 0.1).

    python benchmarks/fitness_reference.py senior /path/to/node-sport-management
    python benchmarks/fitness_reference.py primary /path/to/boks-physical-assessment \
        /tmp/tsc/node_modules/typescript
    python benchmarks/fitness_reference.py vba /tmp/saved/Prog.bas [--uno-python /usr/bin/python3]

needs ``node`` (run with v20) and ``git`` (senior, primary) or ``soffice`` (vba); writes gzip'd
CSVs next to the test data's README.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from qualitykit.fitness.items import ITEMS

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
OUT = DATA / "fitness_reference_esap.csv.gz"
OUT_PRIMARY = DATA / "fitness_reference_boks.csv.gz"
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
        "standing_long_jump": 1, "vital_capacity": 1, "run_800m": 1, "run_1000m": 1, "bmi": 0.1,
        "rope_skipping": 1, "shuttle_50x8": 1}


def candidate_values(item: str, lines: np.ndarray, rng: np.random.Generator, n: int,
                     bonus_lines: np.ndarray | None = None, every_line: bool = False
                     ) -> np.ndarray:
    """n values: half on and next to the lines, half uniform over and beyond the table.

    ``bonus_lines`` (the values at which a 加分 step is reached, if the item has 加分) join the
    lines, and the uniform range then reaches past the last step. With ``every_line`` each
    line and its neighbours one step below and above is drawn at least once (in random order).
    """
    step = STEP[item]
    if bonus_lines is not None:
        lines = np.concatenate([lines, bonus_lines])
    near = np.concatenate([lines - step, lines, lines + step])
    low, high = lines.min() - 5 * step, lines.max() + 5 * step
    grid = np.arange(round(low / step), round(high / step) + 1) * step
    values = np.where(rng.random(n) < 0.5, rng.choice(near, n), rng.choice(grid, n))
    if every_line:
        each = np.unique(np.round(near / step)) * step
        values = rng.permutation(np.concatenate([each, values[:n - len(each)]]))
    if item in ("sit_ups", "pull_ups", "rope_skipping"):
        values = np.maximum(values, 0)  # a negative count is not a measurement
    return np.round(values, 1) if step < 1 else np.round(values)


def table_lines(tables, item: str, grade: int, sex: str, with_bonus: bool):
    """Where the lines of one table are (the kit's table read for *where* only): the thresholds
    (BMI: the band edges) and, with ``with_bonus``, the value of every 加分 step."""
    if item == "bmi":
        band = tables.bmi.query("grade == @grade and sex == @sex")
        return np.concatenate([band["low"].dropna(), band["high"].dropna()]), None
    levels = tables.levels.query("item == @item and grade == @grade and sex == @sex")
    lines = levels["threshold"].to_numpy(float)
    steps = tables.bonus.query("item == @item and grade == @grade and sex == @sex")
    if not with_bonus or steps.empty:
        return lines, None
    top = levels.loc[levels["score"] == 100, "threshold"].iloc[0]
    sign = 1.0 if ITEMS[item][2] else -1.0
    return lines, top + sign * steps["excess"].to_numpy(float)


def generate(seed: int, grades=(10, 11, 12), per_group: int = 1800,
             every_line: bool = False) -> pd.DataFrame:
    """Generated pupils, one row per pupil × item (BMI as a ``bmi`` row), every item of the
    grade and sex; ``every_line`` adds the 加分 steps to the lines and draws every line and its
    neighbours at least once (not done for the 高中 file, whose values are kept as they were
    generated)."""
    from qualitykit.fitness.tables import fitness_tables

    tables = fitness_tables()
    rng = np.random.default_rng(seed)
    frames = []
    for grade in grades:
        for sex in ("男", "女"):
            ids = [f"{grade}{'M' if sex == '男' else 'F'}{i:04d}" for i in range(per_group)]
            items = tables.weights.query("grade == @grade and sex == @sex")["item"]
            for item in items:
                lines, bonus_lines = table_lines(tables, item, grade, sex, every_line)
                frames.append(pd.DataFrame({"student_id": ids, "sex": sex, "grade": grade,
                                            "item": item,
                                            "value": candidate_values(item, lines, rng, per_group,
                                                                      bonus_lines, every_line)}))
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


BOKS_COMMIT = "01e55c0c779bf4bceb83fe1fa43cab1cc2542b67"
BOKS_FILE = "services/api/src/scoring-engine.ts"
BOKS_CODES = {"vital_capacity": "lung_capacity", "sprint_50m": "run_50m",
              "sit_and_reach": "sit_reach", "rope_skipping": "rope_1min", "sit_ups": "sit_up",
              "shuttle_50x8": "shuttle_50x8"}
BOKS_DRIVER = """
const fs = require('fs'), path = require('path');
const [tsc, src, inFile, outFile] = process.argv.slice(2);
const ts = require(tsc);
const js = ts.transpileModule(fs.readFileSync(src, 'utf8'), {compilerOptions: {
  module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020}}).outputText;
const compiled = path.join(path.dirname(src), 'scoring-engine.js');
fs.writeFileSync(compiled, js);
const engine = require(compiled);
const pupils = JSON.parse(fs.readFileSync(inFile, 'utf8'));
const out = pupils.map(([sex, grade, values]) => {
  const r = engine.scoreNational2014({
    child: {sex_code: sex === '男' ? 'male' : 'female', grade_code: 'grade' + grade}, grade,
    values: Object.entries(values).map(([code, v]) => ({indicator_code: code,
                                                         raw_value: String(v)}))});
  const items = {};
  for (const x of r.results) items[x.indicator_code] = [x.score, x.bonus, x.status];
  return [items, r.standard_score, r.bonus_score, r.total_score, r.level];
});
fs.writeFileSync(outFile, JSON.stringify(out));
"""


def boks_pupils(rows: pd.DataFrame) -> tuple[list, list]:
    """The pupils as the BOKS engine takes them (its indicator codes; BMI as height 100 cm and
    weight = the BMI), and their ids in the same order."""
    codes = rows["item"].map(BOKS_CODES)
    pupils = {}
    for (sid, sex, grade), part in rows.groupby(["student_id", "sex", "grade"], sort=False):
        values = {}
        for item, code, value in zip(part["item"], codes[part.index], part["value"]):
            if item == "bmi":
                values.update(height=100, weight=float(value))
            else:
                values[code] = float(value)
        pupils[sid] = [sex, int(grade), values]
    return list(pupils), list(pupils.values())


def run_boks(repo: Path, tsc: Path, rows: pd.DataFrame) -> pd.DataFrame:
    """The BOKS engine's item scores, 加分 and totals of each row, its TypeScript transpiled by
    ``typescript`` (a copy outside this repository) and run by node."""
    ids, pupils = boks_pupils(rows)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "scoring-engine.ts").write_bytes(subprocess.run(
            ["git", "-C", str(repo), "show", f"{BOKS_COMMIT}:{BOKS_FILE}"],
            check=True, capture_output=True).stdout)
        (tmp / "driver.js").write_text(BOKS_DRIVER, encoding="utf-8")
        (tmp / "in.json").write_text(json.dumps(pupils, ensure_ascii=False), encoding="utf-8")
        subprocess.run(["node", str(tmp / "driver.js"), str(tsc), str(tmp / "scoring-engine.ts"),
                        str(tmp / "in.json"), str(tmp / "out.json")], check=True)
        out = json.loads((tmp / "out.json").read_text(encoding="utf-8"))
    return boks_table(rows, dict(zip(ids, out)))


def boks_table(rows: pd.DataFrame, out: dict) -> pd.DataFrame:
    """``rows`` with the engine's answers: ``ref_score``, ``ref_bonus`` per item and the pupil's
    ``ref_standard_score``, ``ref_extra_score``, ``ref_total_score``, ``ref_level``."""
    codes = rows["item"].map(BOKS_CODES).fillna("bmi")
    found = [out[sid][0].get(code, [None, None, "absent"])
             for sid, code in zip(rows["student_id"], codes)]
    if any(status != "scored" for _, _, status in found):
        raise RuntimeError("the engine did not score every item: "
                           f"{sorted({status for _, _, status in found})}")
    table = rows.assign(ref_score=[f[0] for f in found], ref_bonus=[f[1] for f in found])
    for i, name in enumerate(["ref_standard_score", "ref_extra_score", "ref_total_score",
                              "ref_level"], start=1):
        table[name] = [out[sid][i] for sid in rows["student_id"]]
    return table


OUT_VBA = DATA / "fitness_reference_vba.csv.gz"
#: the routines of the VBA program that read and score one pupil (nothing else is compiled)
VBA_ROUTINES = [
    "initStudent", "timeToSeconds", "validateInput", "readStudent", "calcStudentScore",
    "getTotalLevel", "calcGradeIdx", "stringToInt", "doubleToInt", "calcBMI", "calcBMIScore",
    *[f"calc{name}{part}" for name in ("Fhl", "M50", "Zwt", "Ts", "Ty", "Ywqz", "Nlp")
      for part in ("ScoreImpl", "Score")],
    "calcTotalScore", "initScoreTable"]
#: the program's sheet columns (readStudent) of each kit item, 初中 and 高中 (grade code ≥ 20)
VBA_COLUMNS = {"vital_capacity": "O", "sprint_50m": "P", "sit_and_reach": "Q",
               "standing_long_jump": "R", "run_1000m": "S", "run_800m": "T", "pull_ups": "U",
               "sit_ups": "V"}
#: … and where 小学 (grade code < 20) differs
VBA_PRIMARY_COLUMNS = {"rope_skipping": "R", "sit_ups": "S", "shuttle_50x8": "T"}
#: kit item -> the Student fields of its 单项得分 and 加分 ("" when it has no 加分)
VBA_FIELDS = {"bmi": ("bmiScore", ""), "vital_capacity": ("fhlScore", ""),
              "sprint_50m": ("m50Score", ""), "sit_and_reach": ("zwtScore", ""),
              "rope_skipping": ("tsScore", "tsJfScore"), "shuttle_50x8": ("nlpScore", "nlpJfScore"),
              "standing_long_jump": ("tyScore", ""), "pull_ups": ("ywqzScore", "ywqzJfScore"),
              "sit_ups": ("ywqzScore", "ywqzJfScore"), "run_1000m": ("nlpScore", "nlpJfScore"),
              "run_800m": ("nlpScore", "nlpJfScore")}
VBA_OUTPUT = ["bmiScore", "fhlScore", "m50Score", "zwtScore", "tsScore", "tsJfScore", "tyScore",
              "ywqzScore", "ywqzJfScore", "nlpScore", "nlpJfScore", "totalScore", "totalJfScore"]
VBA_DRIVER = """
Sub ScorePupils()
        Dim st As Student
        Dim row As Long
        Dim f As Integer
        initScoreTable
        f = FreeFile
        Open "{out}" For Output As #f
        row = 2
        Do While Range("A" & row) <> ""
                initStudent st
                readStudent st, row
                calcStudentScore st
                Print #f, Range("E" & row) & "," & {fields} & "," & _
                        getTotalLevel(st.totalScore + st.totalJfScore)
                row = row + 1
        Loop
        Close #f
End Sub
"""
UNO_RUNNER = """
import sys, time, uno
from com.sun.star.beans import PropertyValue

def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

pipe, sheet, module = sys.argv[1:4]
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext(
    'com.sun.star.bridge.UnoUrlResolver', local)
for _ in range(240):
    try:
        ctx = resolver.resolve('uno:pipe,name=%s;urp;StarOffice.ComponentContext' % pipe)
        break
    except Exception:
        time.sleep(0.5)
desktop = ctx.ServiceManager.createInstanceWithContext('com.sun.star.frame.Desktop', ctx)
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(sheet), '_blank', 0,
                                   (prop('Hidden', True), prop('MacroExecutionMode', 4)))
libs = doc.BasicLibraries
if not libs.hasByName('Standard'):
    libs.createLibrary('Standard')
libs.VBACompatibilityMode = True
libs.getByName('Standard').insertByName('Prog', open(module, encoding='utf-8').read())
doc.getScriptProvider().getScript(
    'vnd.sun.star.script:Standard.Prog.ScorePupils?language=Basic&location=document'
).invoke((), (), ())
doc.close(True)
desktop.terminate()
"""


def vba_module(program: str, out: Path) -> str:
    """The Basic module LibreOffice runs: VBA compatibility, the program's ``Type Student``, its
    module-level tables and the routines of :data:`VBA_ROUTINES` as they are, then the driver."""
    program = program.replace("\r\n", "\n")
    blocks = re.MULTILINE | re.DOTALL
    student = re.search(r"^Type Student\n.*?^End Type\n", program, blocks).group(0)
    tables = "".join(re.findall(r"^Private [A-Za-z0-9]+\n", program, re.MULTILINE))
    parts = ["Option VBASupport 1\n", student, tables]
    for name in VBA_ROUTINES:
        found = re.search(rf"^Function {name}\(.*?^End Function\n", program, blocks)
        if found is None:
            raise SystemExit(f"routine {name} not found in the saved program text")
        parts.append(found.group(0))
    fields = ' & "," & '.join(f"st.{f}" for f in VBA_OUTPUT)
    parts.append(VBA_DRIVER.replace("{out}", str(out)).replace("{fields}", fields))
    return "\n".join(parts)


def vba_grade_code(grade: int) -> int:
    """The program's grade code (11–16 一至六年级, 21–23 初一至初三, 31–33 高一至高三)."""
    return 10 + grade if grade <= 6 else 14 + grade if grade <= 9 else 21 + grade


def vba_sheet(rows: pd.DataFrame, path: Path) -> None:
    """The pupils as the program's sheet (readStudent's columns; BMI as height 100 cm and
    weight = the BMI; runs written m'ss as 体测 exports write them)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    letters = "ABCDEFGHIJKLMNOPQRSTUV"
    sheet.append(list(letters))
    for (sid, sex, grade), part in rows.groupby(["student_id", "sex", "grade"], sort=False):
        cells = {"A": "school", "B": vba_grade_code(grade), "E": sid, "H": 1 if sex == "男" else 2}
        columns = {**VBA_COLUMNS, **(VBA_PRIMARY_COLUMNS if grade <= 6 else {})}
        for item, value in zip(part["item"], part["value"]):
            if item == "bmi":
                cells["M"], cells["N"] = 100, float(value) + 0.0
            elif item.startswith(("run_", "shuttle_")):
                cells[columns[item]] = f"{int(value) // 60}'{int(value) % 60:02d}"
            else:
                cells[columns[item]] = float(value) + 0.0
        sheet.append([cells.get(letter) for letter in letters])
    book.save(path)


def run_vba(program: Path, python: str, rows: pd.DataFrame) -> pd.DataFrame:
    """The VBA program's scores of each row: its scoring routines compiled by LibreOffice Basic
    (VBA compatibility mode, in a Calc document holding the pupils) and run by a driver."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = tmp / "out.csv"
        (tmp / "module.bas").write_text(vba_module(program.read_text(encoding="utf-8"), out),
                                        encoding="utf-8")
        vba_sheet(rows, tmp / "pupils.xlsx")
        (tmp / "runner.py").write_text(UNO_RUNNER, encoding="utf-8")
        pipe = f"qk_fitness_{tmp.name}"
        office = subprocess.Popen(
            ["soffice", "--headless", "--invisible", "--norestore", "--nologo",
             f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
             f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            subprocess.run([python, str(tmp / "runner.py"), pipe, str(tmp / "pupils.xlsx"),
                            str(tmp / "module.bas")], check=True)
            office.wait(timeout=120)
        finally:
            if office.poll() is None:
                office.kill()
        scored = pd.read_csv(out, header=None, names=["student_id", *VBA_OUTPUT, "level"],
                             encoding="utf-8")
    return vba_table(rows, scored.set_index("student_id"))


def vba_table(rows: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with the program's answers, in the columns of the BOKS file."""
    pupil = scored.loc[rows["student_id"]]
    fields = rows["item"].map(VBA_FIELDS)
    table = rows.assign(
        ref_score=[pupil[f[0]].iloc[i] for i, f in enumerate(fields)],
        ref_bonus=[pupil[f[1]].iloc[i] if f[1] else 0 for i, f in enumerate(fields)])
    table["ref_standard_score"] = pupil["totalScore"].to_numpy() / 100
    table["ref_extra_score"] = pupil["totalJfScore"].to_numpy() / 100
    table["ref_total_score"] = table["ref_standard_score"] + table["ref_extra_score"]
    table["ref_level"] = pupil["level"].to_numpy()
    return table


def write(rows: pd.DataFrame, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    rows.to_csv(out, index=False, compression={"method": "gzip", "mtime": 0})
    print(f"{out}: {rows['student_id'].nunique()} pupils, {len(rows)} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="group", required=True)
    senior = sub.add_parser("senior", help="高中, by ESAP (node)")
    senior.add_argument("repo", type=Path, help="a git checkout of node-sport-management")
    primary = sub.add_parser("primary", help="小学, by the BOKS engine (TypeScript, node)")
    primary.add_argument("repo", type=Path, help="a git checkout of boks-physical-assessment")
    primary.add_argument("tsc", type=Path, help="the typescript package folder "
                                                "(npm install --prefix /tmp/tsc typescript)")
    vba = sub.add_parser("vba", help="小学 and 初中, by the VBA program (LibreOffice Basic)")
    vba.add_argument("program", type=Path,
                     help="a saved copy of the VBA program's text (stored public-code index, "
                          "file id 23302715467)")
    vba.add_argument("--uno-python", default="/usr/bin/python3",
                     help="a Python that can import uno (Debian: the system python3)")
    for command in (senior, primary, vba):
        command.add_argument("--seed", type=int, default=2014)
    args = parser.parse_args()
    if args.group == "senior":
        rows = generate(args.seed)
        rows["grade"] = rows["grade"].astype(int)
        rows["esap_score"] = run_esap(args.repo, rows)
        write(rows, OUT)
    elif args.group == "primary":
        rows = generate(args.seed, grades=range(1, 7), per_group=850, every_line=True)
        rows["grade"] = rows["grade"].astype(int)
        write(run_boks(args.repo, args.tsc, rows), OUT_PRIMARY)
    else:
        rows = pd.concat([generate(args.seed, grades=range(1, 7), per_group=850, every_line=True),
                          generate(args.seed, grades=(7, 8, 9), per_group=1700, every_line=True)],
                         ignore_index=True)
        rows["grade"] = rows["grade"].astype(int)
        write(run_vba(args.program, args.uno_python, rows), OUT_VBA)


if __name__ == "__main__":
    main()
