"""Transcribe the 体质健康标准 tables of a public VB.NET / VBA program into the kit's CSV shape,
and compare them with the kit's own tables.

The program (file ids 23133757690 and 23302715467 of the stored public-code index; its repository
is not recorded there, see qualitykit/fitness/tables/PROVENANCE.md) holds the standard for
一年级 … 高三 and 大学 in integer arrays, one row per level: the score, then one value per grade
column. Its text is NOT in this repository: save the array declarations read from the index into a
file and pass its path. Only the numbers, in the kit's shape, are committed
(``fitness_vb_levels.csv``, ``fitness_vb_bmi.csv``, ``fitness_vb_bonus.csv``,
``fitness_vb_weights.csv``).

Usage (from the repository root)::

    python tests/data/fitness_vb_extract.py SAVED_VBNET.txt [SAVED_VBA.txt] [--write]

``--write`` writes the four extract files next to this script; ``--junior`` appends their 初中
rows (grades 7–9) to the kit's CSV files in ``qualitykit/fitness/tables`` (replacing any 7–9 rows
there); without either the script only parses, checks the two readings against each other and
prints the comparison with the kit, for 小学 and 高中 (the evidence) and for 初中 (that the kit
holds exactly the extract).

Column layout, worked out from the program's own indexing (``calcGradeIdx``: grade index 0–5 小学,
6–8 初中, 9–11 高中, 12–15 大学) and from the known 小学/高中 columns:

- ``fhlData``/``M50Data``/``zwtData`` (肺活量 ml, 50米跑 in 0.1 s, 坐位体前屈 in mm): 14 columns,
  grade index 0–11, then 大一二, 大三四.
- ``tsData`` (1分钟跳绳): 6 columns, 一 … 六年级.
- ``tyData`` (立定跳远 cm): 8 columns, 初一 … 高三, 大一二, 大三四.
- ``ywqzData0`` (男): 12 columns: 三 … 六年级 1分钟仰卧起坐, then 初一 … 高三 引体向上, 大学.
  ``ywqzData1`` (女): the same columns, 1分钟仰卧起坐 throughout.
- ``nlpData0`` (男) / ``nlpData1`` (女) in seconds: 10 columns: 五、六年级 50米×8往返跑, then
  初一 … 高三 1000米跑 (男) / 800米跑 (女), 大学.
- ``BMIData``: 13 columns (grade index 0–11, 大学) × 8 rows: for 男 then 女, the lower end of
  正常, the upper end of 低体重, the lower end of 超重, the lower end of 肥胖 (in 0.1 kg/m²;
  ``calcBMIScore``: ≤ row 2 低体重 80, < row 3 正常 100, < row 4 超重 80, else 肥胖 60).
- Suffix 0 is 男, 1 is 女 (``calcFhlScore``: ``If st.gender = 1`` → ``fhlData0``; the report
  writes gender 1 as "男").

Reading rule of the program: the first row from the top whose value the pupil reaches scores.
A row whose value equals the row above can therefore never score; such rows (引体向上 78, 74,
70, 66, 62 and 初一/初二's lowest levels) are left out, as the kit leaves them out.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
KIT = HERE.parent.parent / "qualitykit" / "fitness" / "tables"
SEX = {"0": "男", "1": "女"}

#: array stem -> (kit item per sex or one item, value divisor, [kit grade per column or None])
LAYOUT = {
    "fhlData": ({"男": "vital_capacity", "女": "vital_capacity"}, 1, list(range(1, 13)) + [None] * 2),
    "M50Data": ({"男": "sprint_50m", "女": "sprint_50m"}, 10, list(range(1, 13)) + [None] * 2),
    "zwtData": ({"男": "sit_and_reach", "女": "sit_and_reach"}, 10, list(range(1, 13)) + [None] * 2),
    "tsData": ({"男": "rope_skipping", "女": "rope_skipping"}, 1, list(range(1, 7))),
    "tyData": ({"男": "standing_long_jump", "女": "standing_long_jump"}, 1,
               list(range(7, 13)) + [None] * 2),
}
#: arrays whose columns change item with the grade: stem -> [(kit grade, item 男, item 女)]
SPLIT = {
    "ywqzData": [(g, "sit_ups", "sit_ups") for g in range(3, 7)]
    + [(g, "pull_ups", "sit_ups") for g in range(7, 13)] + [(None, None, None)] * 2,
    "nlpData": [(g, "shuttle_50x8", "shuttle_50x8") for g in (5, 6)]
    + [(g, "run_1000m", "run_800m") for g in range(7, 13)] + [(None, None, None)] * 2,
}


def parse_arrays(text: str) -> dict[str, list[int]]:
    """Every integer array of a VB.NET (``Private X() As Int32 = {…}``) or VBA
    (``X = Array(…)``) text, by name."""
    pattern = re.compile(r"(\w+)\(\) As Int32 = \{(.*?)\}|(\w+) = Array\(([-\d,\s_]*?)\)", re.S)
    arrays = {}
    for m in pattern.finditer(text):
        name, body = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        arrays[name] = [int(v) for v in re.findall(r"-?\d+", body)]
    return arrays


def _rows(values: list[int], width: int) -> list[list[int]]:
    if len(values) != 20 * width:
        raise ValueError(f"expected 20 rows of {width}, got {len(values)} numbers")
    return [values[i:i + width] for i in range(0, len(values), width)]


def _reachable(column: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(score, value) rows a pupil can reach: a value equal to the row above never scores."""
    out = []
    for score, value in column:
        if out and value == out[-1][1]:
            continue
        out.append((score, value))
    return out


def levels(arrays: dict[str, list[int]]) -> pd.DataFrame:
    """单项评分表 in the kit's shape ``item, grade, sex, score, threshold``, grades 1–12."""
    records = []
    columns = {stem: [(g, items["男"], items["女"]) for g in grades]
               for stem, (items, _, grades) in LAYOUT.items()}
    columns.update(SPLIT)
    for stem, spec in columns.items():
        divisor = LAYOUT[stem][1] if stem in LAYOUT else 1
        for suffix, sex in SEX.items():
            rows = _rows(arrays[stem + suffix], len(spec) + 1)
            for j, (grade, male, female) in enumerate(spec):
                if grade is None:
                    continue
                item = male if sex == "男" else female
                for score, value in _reachable([(r[0], r[j + 1]) for r in rows]):
                    records.append((item, grade, sex, score, value / divisor))
    return pd.DataFrame(records, columns=["item", "grade", "sex", "score", "threshold"])


def bmi(arrays: dict[str, list[int]]) -> pd.DataFrame:
    """体重指数 bands in the kit's shape ``grade, sex, category, score, low, high``."""
    data = arrays["BMIData"]
    records = []
    for s, sex in enumerate(("男", "女")):
        normal_low, under_high, over_low, obese_low = (
            data[(4 * s + r) * 13:(4 * s + r + 1) * 13] for r in range(4))
        for j in range(12):
            if normal_low[j] != under_high[j] + 1:
                raise ValueError(f"BMIData column {j} {sex}: 正常 does not follow 低体重")
            records += [(j + 1, sex, "低体重", 80, None, under_high[j] / 10),
                        (j + 1, sex, "正常", 100, normal_low[j] / 10, (over_low[j] - 1) / 10),
                        (j + 1, sex, "超重", 80, over_low[j] / 10, (obese_low[j] - 1) / 10),
                        (j + 1, sex, "肥胖", 60, obese_low[j] / 10, None)]
    return pd.DataFrame(records, columns=["grade", "sex", "category", "score", "low", "high"])


def _bonus_of(item: str, excess: int) -> int:
    """The program's 加分 for ``excess`` beyond the 100-point value (calcTsScoreImpl,
    calcYwqzScoreImpl, calcNlpScoreImpl), before the cap."""
    if item == "rope_skipping":
        return excess // 2
    if item == "sit_ups":
        return excess // 2 if excess < 7 else excess - 3
    if item == "run_1000m":
        return excess // 4 if excess < 23 else 6 + (excess - 23) // 3
    return excess // 5 if item == "run_800m" else excess  # pull_ups: one point per pull-up


def bonus() -> pd.DataFrame:
    """加分 as the kit's ``item, grade, sex, bonus, excess``: the smallest excess that gives each
    point. The program gives 加分 for 跳绳 in grade index < 6 (cap 20) and for 引体向上 /
    仰卧起坐 / 耐力跑 from grade index 6 (初一) on (cap 10); none for 小学 仰卧起坐 or 50米×8."""
    plan = [(g, s, "rope_skipping", 20) for g in range(1, 7) for s in ("男", "女")]
    plan += [(g, "男", item, 10) for g in range(7, 13) for item in ("pull_ups", "run_1000m")]
    plan += [(g, "女", item, 10) for g in range(7, 13) for item in ("sit_ups", "run_800m")]
    records = []
    for grade, sex, item, cap in plan:
        for points in range(1, cap + 1):
            excess = next(e for e in range(1, 200) if _bonus_of(item, e) >= points)
            records.append((item, grade, sex, points, excess))
    return pd.DataFrame(records, columns=["item", "grade", "sex", "bonus", "excess"])


def weights() -> pd.DataFrame:
    """单项指标与权重 from ``calcTotalScore`` (weights × 100 there), grades 1–12."""
    groups = [
        (range(1, 3), {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 30,
                       "rope_skipping": 20}),
        (range(3, 5), {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 20,
                       "rope_skipping": 20, "sit_ups": 10}),
        (range(5, 7), {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 10,
                       "rope_skipping": 10, "sit_ups": 20, "shuttle_50x8": 10}),
    ]
    records = [(g, s, item, w / 100) for grades, table in groups for g in grades
               for s in ("男", "女") for item, w in table.items()]
    for g in range(7, 13):
        for sex, strength, run in (("男", "pull_ups", "run_1000m"), ("女", "sit_ups", "run_800m")):
            table = {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 10,
                     "standing_long_jump": 10, strength: 10, run: 20}
            records += [(g, sex, item, w / 100) for item, w in table.items()]
    return pd.DataFrame(records, columns=["grade", "sex", "item", "weight"])


def extract(arrays: dict[str, list[int]]) -> dict[str, pd.DataFrame]:
    return {"levels": levels(arrays), "bmi": bmi(arrays), "bonus": bonus(), "weights": weights()}


KEYS = {"levels": ["item", "grade", "sex", "score"], "bmi": ["grade", "sex", "category"],
        "bonus": ["item", "grade", "sex", "bonus"], "weights": ["grade", "sex", "item"]}


def compare(vb: pd.DataFrame, kit: pd.DataFrame, name: str, grades) -> tuple[pd.DataFrame, int]:
    """Cells of ``grades`` side by side: ``key…, column, vb, kit`` where they differ (a row only
    one side has is a difference with NaN on the other), and the number of cells compared."""
    keys = KEYS[name]
    vb, kit = (t[t["grade"].isin(grades)].set_index(keys) for t in (vb, kit))
    both = vb.join(kit, how="outer", suffixes=("_vb", "_kit"))
    out = []
    for col in (c for c in vb.columns):
        a, b = both[f"{col}_vb"], both[f"{col}_kit"]
        same = (a == b) | (a.isna() & b.isna()) | ((a - b).abs() < 1e-9 if a.dtype.kind == "f" else False)
        diff = both.loc[~same, [f"{col}_vb", f"{col}_kit"]].rename(
            columns={f"{col}_vb": "vb", f"{col}_kit": "kit"})
        diff.insert(0, "column", col)
        out.append(diff.reset_index())
    return pd.concat(out, ignore_index=True), len(both) * len(vb.columns)


def _cell(value) -> str:
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value == int(value) else f"{value:.10g}"
    return str(value)


def append_junior(tables: dict[str, pd.DataFrame]) -> None:
    """Append the 初中 rows (grades 7–9) of the extract to the kit's CSV files, keeping the kit's
    other rows as they are, byte for byte."""
    for name, table in tables.items():
        path = KIT / f"{name}.csv"
        header, *lines = path.read_text(encoding="utf-8").splitlines()
        column = header.split(",").index("grade")
        kept = [line for line in lines if int(line.split(",")[column]) not in (7, 8, 9)]
        junior = table[table["grade"].isin([7, 8, 9])][header.split(",")]
        added = [",".join(_cell(v) for v in row) for row in junior.astype(object).itertuples(index=False)]
        path.write_text("\n".join([header, *kept, *added]) + "\n", encoding="utf-8")
        print(f"{name}.csv: {len(added)} 初中 rows appended")


def main(argv: list[str]) -> None:
    paths = [a for a in argv if not a.startswith("--")]
    readings = [parse_arrays(Path(p).read_text(encoding="utf-8")) for p in paths]
    tables = extract(readings[0])
    if len(readings) > 1:
        same = readings[0] == readings[1]
        n = sum(len(v) for v in readings[0].values())
        print(f"two readings: {len(readings[0])} arrays, {n} numbers, identical: {same}")
    groups = {"小学 and 高中 (the kit's other sources)": [1, 2, 3, 4, 5, 6, 10, 11, 12],
              "初中 (taken from this program)": [7, 8, 9]}
    for name, table in tables.items():
        kit = pd.read_csv(KIT / f"{name}.csv", encoding="utf-8")
        for label, grades in groups.items():
            diff, cells = compare(table, kit, name, grades)
            print(f"{name}, {label}: {cells} cells compared, {len(diff)} differ")
            if len(diff):
                print(diff.to_string(index=False))
        if "--write" in argv:
            table.to_csv(HERE / f"fitness_vb_{name}.csv", index=False, encoding="utf-8")
    if "--junior" in argv:
        append_junior(tables)


if __name__ == "__main__":
    main(sys.argv[1:])
