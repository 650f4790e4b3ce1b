"""Pupil-level agreement of the kit's 体质健康 scoring with independent implementations.

The reference files are written by ``benchmarks/fitness_reference.py`` (see
``tests/data/README.md``): generated pupils at every line of the tables, one step below and
above, at every 加分 step and uniformly, scored by another program run as it is. The 高中 check
(ESAP) is in ``test_fitness_standard.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.fitness.tables import fitness_tables

DATA = Path(__file__).resolve().parent / "data"
COLUMNS = ["student_id", "sex", "grade", "item", "value"]
BOKS_LEVELS = {"excellent": "优秀", "good": "良好", "pass": "及格", "fail": "不及格"}


@pytest.fixture(scope="module")
def boks():
    """The BOKS engine's answers and the kit's, row by row and pupil by pupil."""
    ref = pd.read_csv(DATA / "fitness_reference_boks.csv.gz")
    scored = qk.score_fitness(ref[COLUMNS])
    assert scored.problems.empty
    items = ref.merge(scored.items[["student_id", "item", "score", "bonus"]],
                      on=["student_id", "item"], validate="one_to_one")
    assert len(items) == len(ref)
    pupils = ref.drop_duplicates("student_id").drop(columns=["item", "value", "ref_score",
                                                             "ref_bonus"])
    pupils = pupils.merge(scored.pupils, on=["student_id", "sex", "grade"], validate="one_to_one")
    return items, pupils


def test_primary_pupils_cover_every_grade_sex_line_and_bonus_step(boks):
    items, pupils = boks
    assert len(pupils) >= 10_000
    assert set(map(tuple, pupils[["grade", "sex"]].drop_duplicates().values)) == {
        (g, s) for g in range(1, 7) for s in ("男", "女")}
    tables = fitness_tables()
    seen = items.groupby(["item", "grade", "sex"])["value"].agg(set)
    for (item, grade, sex), table in tables.levels[tables.levels["grade"] <= 6].groupby(
            ["item", "grade", "sex"]):
        step = 0.1 if item in ("sprint_50m", "sit_and_reach") else 1
        lines = np.round(np.concatenate([table["threshold"] + d for d in (-step, 0, step)]), 1)
        assert set(lines) <= seen[(item, grade, sex)], (item, grade, sex)
    for (grade, sex), band in tables.bmi[tables.bmi["grade"] <= 6].groupby(["grade", "sex"]):
        edges = np.concatenate([band["low"].dropna(), band["high"].dropna()])
        edges = np.round(np.concatenate([edges - 0.1, edges, edges + 0.1]), 1)
        assert set(edges) <= seen[("bmi", grade, sex)], (grade, sex)
    rope = tables.levels.query("item == 'rope_skipping' and score == 100 and grade <= 6")
    for grade, sex, top in rope[["grade", "sex", "threshold"]].itertuples(index=False):
        assert {top + k for k in range(2, 41, 2)} <= seen[("rope_skipping", grade, sex)]


def test_primary_item_scores_equal_the_boks_engine(boks):
    # every 单项得分 (61,200 rows: BMI, 肺活量, 50米跑, 坐位体前屈, 跳绳, 仰卧起坐, 50米×8往返跑)
    # is the engine's: the kit's 小学 tables and its reading rules (at or above / at or below,
    # equal thresholds, 0 below the lowest level, BMI band edges) agree everywhere
    items, _ = boks
    differ = items[items["score"] != items["ref_score"]]
    assert differ.empty, differ


def test_primary_bonus_equals_the_boks_engine_but_for_its_girls_line(boks):
    # tests/data/fitness_boks_differences.csv: the engine counts a girl's 跳绳 加分 from the
    # boys' 100-point count; with that line put in, its 加分 is reproduced on every girl's row,
    # and every other 加分 (all boys, every other item) is the engine's
    items, _ = boks
    listed = pd.read_csv(DATA / "fitness_boks_differences.csv")
    lines = listed[listed["what"].eq("bonus_line")]
    keys = ["item", "grade", "sex"]
    differ = items[items["bonus"] != items["ref_bonus"]]
    assert set(map(tuple, differ[keys].drop_duplicates().values)) == set(
        map(tuple, lines[keys].values))
    tops = fitness_tables().levels.query("item == 'rope_skipping' and score == 100")
    for item, grade, sex, kit, other in lines[[*keys, "kit", "boks"]].itertuples(index=False):
        kit, other = int(kit), int(other)
        assert kit == tops.query("grade == @grade and sex == @sex")["threshold"].item()
        assert other == tops.query("grade == @grade and sex == '男'")["threshold"].item()
        rows = items[(items["item"] == item) & (items["grade"] == grade) & (items["sex"] == sex)]
        full = rows["ref_score"] == 100
        theirs = np.where(full, np.clip((rows["value"] - other) // 2, 0, 20), 0)
        ours = np.where(full, np.clip((rows["value"] - kit) // 2, 0, 20), 0)
        assert (rows["ref_bonus"] == theirs).all()
        assert (rows["bonus"] == ours).all()
    agreed = items.loc[items.index.difference(differ.index)]
    assert (agreed["bonus"] > 0).sum() > 1_000  # the agreement covers real 加分, not only zeros


def test_primary_totals_and_levels_equal_the_boks_engine(boks):
    # 标准分: the engine prints it to 0.1 (toFixed on a binary sum), the kit keeps it exact;
    # 附加分 differs only by the girls' 跳绳 加分 above; 等级 is the engine's for every pupil
    # whose 附加分 agrees
    items, pupils = boks
    assert (np.abs(pupils["standard_score"] - pupils["ref_standard_score"]) <= 0.05 + 1e-9).all()
    exact = np.round(pupils["standard_score"] * 100) % 10 != 5
    tenths = np.round(pupils["standard_score"], 1)
    assert (tenths[exact] == pupils.loc[exact, "ref_standard_score"]).all()
    gap = (items["ref_bonus"] - items["bonus"]).groupby(items["student_id"]).sum()
    extra = pupils["ref_extra_score"] - pupils["student_id"].map(gap)
    assert (extra == pupils["extra_score"]).all()
    same = pupils["student_id"].map(gap).eq(0)
    assert same.sum() > 8_000
    levels = pupils.loc[same, "ref_level"].map(BOKS_LEVELS)
    assert (levels == pupils.loc[same, "level"]).all()
    assert set(levels) == {"优秀", "良好", "及格", "不及格"}
