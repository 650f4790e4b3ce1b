"""Pupil-level agreement of the kit's 体质健康 scoring with other implementations, run as they are.

The reference files are written by ``benchmarks/fitness_reference.py`` (see
``tests/data/README.md``): generated pupils at every line of the tables, one step below and
above, at every 加分 step and uniformly, scored by another program run as it is: the BOKS engine
(TypeScript, 小学) and the VBA program (LibreOffice Basic, 小学 and 初中). Each is the source of
some of the kit's tables (BOKS: 小学; VBA: 初中), so for those grades the check is of the kit's
reading rules; the VBA program's 小学 run is independent of the kit's 小学 source. The 高中
check (ESAP) is in ``test_fitness_standard.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.fitness.items import ITEMS
from qualitykit.fitness.tables import fitness_tables

DATA = Path(__file__).resolve().parent / "data"
COLUMNS = ["student_id", "sex", "grade", "item", "value"]
BOKS_LEVELS = {"excellent": "优秀", "good": "良好", "pass": "及格", "fail": "不及格"}


def scored_both(name: str):
    """A reference file's answers and the kit's, row by row and pupil by pupil."""
    ref = pd.read_csv(DATA / name)
    scored = qk.score_fitness(ref[COLUMNS])
    assert scored.problems.empty
    items = ref.merge(scored.items[["student_id", "item", "score", "bonus"]],
                      on=["student_id", "item"], validate="one_to_one")
    assert len(items) == len(ref)
    pupils = ref.drop_duplicates("student_id").drop(columns=["item", "value", "ref_score",
                                                             "ref_bonus"])
    pupils = pupils.merge(scored.pupils, on=["student_id", "sex", "grade"], validate="one_to_one")
    return items, pupils


@pytest.fixture(scope="module")
def boks():
    return scored_both("fitness_reference_boks.csv.gz")


@pytest.fixture(scope="module")
def vba():
    return scored_both("fitness_reference_vba.csv.gz")


def assert_every_line_is_drawn(items: pd.DataFrame, grades) -> None:
    """Every threshold, BMI band edge and 加分 step of the grades occurs, with one step below
    and one above (the kit's tables read for *where* the lines are)."""
    tables = fitness_tables()
    seen = items.groupby(["item", "grade", "sex"])["value"].agg(set)

    def near(values, step):
        return set(np.round(np.concatenate([np.asarray(values) + d for d in (-step, 0, step)]), 1))

    levels = tables.levels[tables.levels["grade"].isin(grades)]
    for (item, grade, sex), table in levels.groupby(["item", "grade", "sex"]):
        step = 0.1 if item in ("sprint_50m", "sit_and_reach") else 1
        assert near(table["threshold"], step) <= seen[(item, grade, sex)], (item, grade, sex)
        steps = tables.bonus.query("item == @item and grade == @grade and sex == @sex")
        top = table.loc[table["score"] == 100, "threshold"].item()
        sign = 1 if ITEMS[item][2] else -1
        assert near(top + sign * steps["excess"], 1) <= seen[(item, grade, sex)], (item, grade)
    for (grade, sex), band in tables.bmi[tables.bmi["grade"].isin(grades)].groupby(
            ["grade", "sex"]):
        edges = np.concatenate([band["low"].dropna(), band["high"].dropna()])
        assert near(edges, 0.1) <= seen[("bmi", grade, sex)], (grade, sex)


def assert_groups(pupils: pd.DataFrame, grades) -> None:
    assert len(pupils) >= 10_000
    assert set(map(tuple, pupils[["grade", "sex"]].drop_duplicates().values)) == {
        (g, s) for g in grades for s in ("男", "女")}


# -- 小学: the BOKS engine (the source of the kit's 小学 tables) ----------------------------------

def test_primary_pupils_cover_every_grade_sex_line_and_bonus_step(boks):
    items, pupils = boks
    assert_groups(pupils, range(1, 7))
    assert_every_line_is_drawn(items, range(1, 7))


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


# -- 小学 and 初中: the VBA program (the source of the kit's 初中 tables; its 小学 tables equal the
# kit's cell for cell but were not their source), run by LibreOffice Basic ----------------------

GROUPS = pytest.mark.parametrize("grades", [range(1, 7), range(7, 10)], ids=["primary", "junior"])


def in_grades(table: pd.DataFrame, grades) -> pd.DataFrame:
    return table[table["grade"].isin(grades)]


@GROUPS
def test_vba_pupils_cover_every_grade_sex_line_and_bonus_step(vba, grades):
    items, pupils = (in_grades(t, grades) for t in vba)
    assert_groups(pupils, grades)
    assert_every_line_is_drawn(items, grades)


@GROUPS
def test_vba_items_and_bonus_equal_the_kit(vba, grades):
    # every 单项得分 and 加分 (小学 61,200 rows: BMI, 肺活量, 50米跑, 坐位体前屈, 跳绳, 仰卧起坐,
    # 50米×8往返跑; 初中 71,400 rows: BMI, 肺活量, 50米跑, 坐位体前屈, 立定跳远, 引体向上 /
    # 1分钟仰卧起坐, 1000米跑 / 800米跑) is the program's, 加分 steps included (girls' 跳绳 加分
    # counted from their own 100-point line, unlike the BOKS engine)
    items = in_grades(vba[0], grades)
    differ = items[(items["score"] != items["ref_score"]) | (items["bonus"] != items["ref_bonus"])]
    assert differ.empty, differ
    assert (items["bonus"] > 0).sum() > 1_000  # real 加分 is compared, not only zeros


@GROUPS
def test_vba_totals_and_levels_equal_the_kit(vba, grades):
    # the program keeps 标准分 and 附加分 exact (integers × 100); its 等级 cuts the sum at
    # 89.95 / 79.95 / 59.95, i.e. the 学年总分 to 0.1, half up, as the kit does
    pupils = in_grades(vba[1], grades)
    for ours, theirs in [("standard_score", "ref_standard_score"),
                         ("extra_score", "ref_extra_score"), ("total_score", "ref_total_score")]:
        assert np.allclose(pupils[ours], pupils[theirs], rtol=0, atol=1e-9), ours
    assert (pupils["level"] == pupils["ref_level"]).all()
    assert set(pupils["level"]) == {"优秀", "良好", "及格", "不及格"}


def test_the_two_programs_score_the_same_primary_pupils():
    # the 小学 pupils of both files are the same generated pupils (same seed and lines), so the
    # BOKS differences are differences between two programs on identical input
    columns = ["student_id", "sex", "grade", "item", "value"]
    boks = pd.read_csv(DATA / "fitness_reference_boks.csv.gz", usecols=columns)
    vba = pd.read_csv(DATA / "fitness_reference_vba.csv.gz", usecols=columns)
    pd.testing.assert_frame_equal(boks, vba[vba["grade"] <= 6].reset_index(drop=True))
