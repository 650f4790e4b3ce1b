"""The 国家学生体质健康标准（2014年修订） as the kit scores it.

Every expected number below is read by hand from the standard's tables as the sources print
them (qualitykit/fitness/tables/PROVENANCE.md), never generated from the kit's own CSV files.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.fitness.items import ITEMS
from qualitykit.fitness.tables import fitness_tables

COLUMNS = ["student_id", "sex", "grade", "item", "value"]


def one_item(grade: int, sex: str, item: str, values) -> pd.DataFrame:
    """The ``items`` rows of pupils p0, p1 … each measured on one item only."""
    rows = [(f"p{i}", sex, grade, item, v) for i, v in enumerate(values)]
    scored = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS)).items
    return scored[scored["item"] == item].set_index("student_id").loc[
        [f"p{i}" for i in range(len(values))]]


def scores(grade, sex, item, values) -> list[float]:
    return one_item(grade, sex, item, values)["score"].tolist()


# -- both sides of the lines, one grade per item and sex (values read from the tables) ----------

@pytest.mark.parametrize("grade, sex, item, values, expected", [
    # 五年级男 50米跑: 100 8.4, 95 8.5, 80 8.8, 78 9.0, 10 11.8
    (5, "男", "sprint_50m", [8.4, 8.5, 8.8, 8.9, 11.8, 11.9], [100, 95, 80, 78, 10, 0]),
    # 五年级女 50米跑: 80 9.1, 78 9.3; 非零进1: 9.11 s is recorded as 9.2 s
    (5, "女", "sprint_50m", [9.1, 9.2, 9.11, 9.3, 9.4], [80, 78, 78, 78, 76]),
    # 一年级男 肺活量: 100 1700, 95 1600, 10 500
    (1, "男", "vital_capacity", [1700, 1699, 1600, 500, 499], [100, 95, 95, 10, 0]),
    # 一年级女 肺活量: 100 1400, 95 1300, 60 600, 50 580
    (1, "女", "vital_capacity", [1400, 1399, 600, 599, 580], [100, 95, 60, 50, 50]),
    # 三年级男 坐位体前屈: 80 10.2, 78 9.1, 60 -0.8, 10 -4.8
    (3, "男", "sit_and_reach", [10.2, 10.1, -0.8, -0.9, -4.8, -4.9], [80, 78, 60, 50, 10, 0]),
    # 三年级女 坐位体前屈: 80 13.2, 78 12.1; 13.15 is recorded as 13.2 (half up), 13.14 as 13.1
    (3, "女", "sit_and_reach", [13.2, 13.1, 13.15, 13.14], [80, 78, 80, 78]),
    # 二年级男 1分钟跳绳: 80 95, 78 88, 60 25, 10 10
    (2, "男", "rope_skipping", [95, 94, 25, 24, 10, 9], [80, 78, 60, 50, 10, 0]),
    # 二年级女 1分钟跳绳: 100 127, 95 120, 80 97, 78 90
    (2, "女", "rope_skipping", [127, 126, 97, 96], [100, 95, 80, 78]),
    # 四年级男 1分钟仰卧起坐: 80 37, 78 35, 10 7
    (4, "男", "sit_ups", [37, 36, 35, 7, 6], [80, 78, 78, 10, 0]),
    # 六年级女 1分钟仰卧起坐: 100 49, 95 47, 80 39, 78 37
    (6, "女", "sit_ups", [49, 48, 39, 38], [100, 95, 80, 78]),
    # 六年级男 50米×8往返跑 (s): 80 102 (1'42"), 78 105; 非零进1: 102.1 s is 103 s
    (6, "男", "shuttle_50x8", [102, 103, 102.1, 152, 153], [80, 78, 78, 10, 0]),
    # 五年级女 50米×8往返跑: 100 101 (1'41"), 95 104
    (5, "女", "shuttle_50x8", [101, 102, 104], [100, 95, 95]),
    # 高一男 立定跳远: 80 235, 78 231, 10 170
    (10, "男", "standing_long_jump", [235, 234, 170, 169], [80, 78, 10, 0]),
    # 高一女 立定跳远: 100 204, 95 198, 60 148, 50 143
    (10, "女", "standing_long_jump", [204, 203, 148, 147], [100, 95, 60, 50]),
    # 高一男 引体向上: 80 12, 76 11, 72 10 (the standard prints no 78/74 level), 10 2
    (10, "男", "pull_ups", [12, 11, 10, 2, 1], [80, 76, 72, 10, 0]),
    # 高一女 1分钟仰卧起坐: 80 43, 78 41, 10 13
    (10, "女", "sit_ups", [43, 42, 41, 13, 12], [80, 78, 78, 10, 0]),
    # 高二男 坐位体前屈: 100 24.3, 95 22.4, 60 2.1, 50 1.1
    (11, "男", "sit_and_reach", [24.3, 24.2, 2.1, 2.0], [100, 95, 60, 50]),
    # 高一女 坐位体前屈: 80 17.4, 78 16.1, 10 0.4
    (10, "女", "sit_and_reach", [17.4, 17.3, 0.4, 0.3], [80, 78, 10, 0]),
    # 高一男 50米跑: 80 7.5, 78 7.7
    (10, "男", "sprint_50m", [7.5, 7.6, 7.7, 7.8], [80, 78, 78, 76]),
    # 高一女 50米跑: 80 8.6, 78 8.8, 10 11.6
    (10, "女", "sprint_50m", [8.6, 8.7, 11.6, 11.7], [80, 78, 10, 0]),
    # 高一男 肺活量: 100 4540, 95 4420, 10 1950
    (10, "男", "vital_capacity", [4540, 4539, 1950, 1949], [100, 95, 10, 0]),
    # 高一女 肺活量: 80 2750, 78 2650
    (10, "女", "vital_capacity", [2750, 2749], [80, 78]),
    # 高一男 1000米跑: 80 3'55" (235 s), 78 4'00"; 10 6'25" (385 s); 235.4 s is 236 s
    (10, "男", "run_1000m", [235, 236, 235.4, 385, 386], [80, 78, 78, 10, 0]),
    # 高一女 800米跑: 80 3'50" (230 s), 78 3'55"
    (10, "女", "run_800m", [230, 231], [80, 78]),
])
def test_both_sides_of_the_lines(grade, sex, item, values, expected):
    assert scores(grade, sex, item, values) == expected


# -- BMI bands per grade group ------------------------------------------------------------------

@pytest.mark.parametrize("grade, sex, values, categories, expected", [
    # 一年级男: 正常 13.5–18.1, 超重 18.2–20.3, 肥胖 ≥ 20.4, 低体重 ≤ 13.4
    (1, "男", [13.4, 13.5, 18.1, 18.2, 20.3, 20.4],
     ["低体重", "正常", "正常", "超重", "超重", "肥胖"], [80, 100, 100, 80, 80, 60]),
    # 六年级女: 正常 14.2–20.8, 超重 20.9–23.6, 肥胖 ≥ 23.7
    (6, "女", [14.1, 14.2, 20.8, 20.9, 23.6, 23.7],
     ["低体重", "正常", "正常", "超重", "超重", "肥胖"], [80, 100, 100, 80, 80, 60]),
    # 高一男: 正常 16.5–23.2, 超重 23.3–26.3, 肥胖 ≥ 26.4
    (10, "男", [16.4, 16.5, 23.2, 23.3, 26.3, 26.4],
     ["低体重", "正常", "正常", "超重", "超重", "肥胖"], [80, 100, 100, 80, 80, 60]),
    # 高三女: 正常 17.1–23.3, 超重 23.4–25.7, 肥胖 ≥ 25.8
    (12, "女", [17.0, 17.1, 23.3, 23.4, 25.7, 25.8],
     ["低体重", "正常", "正常", "超重", "超重", "肥胖"], [80, 100, 100, 80, 80, 60]),
])
def test_bmi_bands(grade, sex, values, categories, expected):
    rows = [(f"p{i}", sex, grade, "bmi", v) for i, v in enumerate(values)]
    result = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS))
    pupils = result.pupils.set_index("student_id").loc[[f"p{i}" for i in range(len(values))]]
    assert pupils["bmi_category"].tolist() == categories
    assert one_item(grade, sex, "bmi", values)["score"].tolist() == expected


def test_bmi_from_height_and_weight_to_a_tenth():
    # 35 kg / 1.40² m = 17.857… → 17.9; 一年级男 with 24.7 kg / 1.17² m = 18.043… → 18.0 正常
    rows = [("a", "男", 5, "height", 140), ("a", "男", 5, "weight", 35),
            ("b", "男", 1, "height", 117), ("b", "男", 1, "weight", 24.7)]
    pupils = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS)).pupils.set_index("student_id")
    assert pupils.loc["a", "bmi"] == 17.9 and pupils.loc["b", "bmi"] == 18.0
    assert pupils.loc["b", "bmi_category"] == "正常"


# -- 加分 ----------------------------------------------------------------------------------------

def test_rope_skipping_bonus_steps():
    # 二年级女 100 at 127: 加分 1 per 2 more, up to 20 (at 40 more)
    got = one_item(2, "女", "rope_skipping", [126, 127, 128, 129, 130, 165, 166, 167, 200])
    assert got["score"].tolist() == [95, 100, 100, 100, 100, 100, 100, 100, 100]
    assert got["bonus"].tolist() == [0, 0, 0, 1, 1, 19, 19, 20, 20]


@pytest.mark.parametrize("grade, sex, item, values, expected", [
    # 高一男 引体向上 100 at 16: 1 point per more, up to 10
    (10, "男", "pull_ups", [16, 17, 25, 26, 30], [0, 1, 9, 10, 10]),
    # 高一男 1000米跑 100 at 3'30" (210 s): 4 s faster 1 point, 8 s 2 … 35 s 10
    (10, "男", "run_1000m", [210, 207, 206, 202, 176, 175, 150], [0, 0, 1, 2, 9, 10, 10]),
    # 高一女 1分钟仰卧起坐 100 at 53: +2 → 1, +4 → 2, +6 → 3, +7 → 4 … +13 → 10
    (10, "女", "sit_ups", [53, 54, 55, 57, 59, 60, 65, 66, 70], [0, 0, 1, 2, 3, 4, 9, 10, 10]),
    # 高一女 800米跑 100 at 3'24" (204 s): 5 s faster 1 point … 50 s 10
    (10, "女", "run_800m", [204, 200, 199, 155, 154], [0, 0, 1, 9, 10]),
])
def test_senior_bonus_steps(grade, sex, item, values, expected):
    got = one_item(grade, sex, item, values)
    assert got["bonus"].tolist() == expected and (got["score"] == 100).all()


def test_items_without_bonus_have_zero():
    got = one_item(6, "男", "shuttle_50x8", [80, 90])  # far faster than 100 points
    assert got["score"].tolist() == [100, 100] and got["bonus"].tolist() == [0, 0]


# -- weights ---------------------------------------------------------------------------------------

PRIMARY_WEIGHTS = {  # 单项指标与权重 as the standard prints them (%)
    (1, 2): {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 30,
             "rope_skipping": 20},
    (3, 4): {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 20,
             "rope_skipping": 20, "sit_ups": 10},
    (5, 6): {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 10,
             "rope_skipping": 10, "sit_ups": 20, "shuttle_50x8": 10},
}


SENIOR_WEIGHTS = {
    "男": {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 10,
           "standing_long_jump": 10, "pull_ups": 10, "run_1000m": 20},
    "女": {"bmi": 15, "vital_capacity": 15, "sprint_50m": 20, "sit_and_reach": 10,
           "standing_long_jump": 10, "sit_ups": 10, "run_800m": 20},
}


def test_weights_sum_to_one_in_every_grade_and_sex():
    sums = fitness_tables().weights.groupby(["grade", "sex"])["weight"].sum()
    assert np.allclose(sums, 1.0)
    assert set(sums.index) == {(g, s) for g in range(1, 13) for s in ("男", "女")}


@pytest.mark.parametrize("sex", ["男", "女"])
def test_junior_and_senior_weights_are_the_standards(sex):
    # 初中 and 高中 share one 单项指标与权重 table in the standard
    w = fitness_tables().weights
    for grade in (7, 8, 9, 10, 11, 12):
        got = w[(w["grade"] == grade) & (w["sex"] == sex)].set_index("item")["weight"]
        assert (got * 100).round(6).to_dict() == SENIOR_WEIGHTS[sex]


@pytest.mark.parametrize("grades, expected", PRIMARY_WEIGHTS.items())
def test_primary_weights_are_the_standards(grades, expected):
    w = fitness_tables().weights
    for grade in grades:
        for sex in ("男", "女"):
            got = w[(w["grade"] == grade) & (w["sex"] == sex)].set_index("item")["weight"]
            assert (got * 100).round(6).to_dict() == expected


# -- 初中 (grades 7–9) --------------------------------------------------------------------------
# Expected values read by hand from the arrays of the public VB.NET program (file id 23133757690,
# see qualitykit/fitness/tables/PROVENANCE.md). Each array row is: score, then one value per grade
# column; the columns named below are counted from the first value after the score.
# fhlData/M50Data/zwtData: 一 … 六年级, 初一 (7th), 初二 (8th), 初三 (9th), 高一 …;
# tyData: 初一 (1st), 初二 (2nd), 初三 (3rd) …; ywqzData: 三 … 六年级, 初一 (5th), 初二 (6th),
# 初三 (7th) …; nlpData: 五、六年级, 初一 (3rd), 初二 (4th), 初三 (5th) …; suffix 0 男, 1 女.

@pytest.mark.parametrize("grade, sex, item, values, expected", [
    # M50Data0 初一: row 100 "78", 95 "79", 80 "82", 78 "84", 10 "112" (0.1 s)
    (7, "男", "sprint_50m", [7.8, 7.9, 8.2, 8.3, 11.2, 11.3], [100, 95, 80, 78, 10, 0]),
    # M50Data1 初二: row 100 "80", 95 "81", 80 "88", 78 "90", 60 "108", 50 "110"
    (8, "女", "sprint_50m", [8.0, 8.1, 8.8, 8.9, 10.8, 10.9], [100, 95, 80, 78, 60, 50]),
    # fhlData0 初三: row 100 "4240", 95 "4120", 60 "2300", 50 "2180", 10 "1700"
    (9, "男", "vital_capacity", [4240, 4239, 2300, 2299, 1700, 1699], [100, 95, 60, 50, 10, 0]),
    # fhlData1 初一: row 100 "2750", 95 "2650", 80 "2350", 78 "2250"
    (7, "女", "vital_capacity", [2750, 2749, 2350, 2349, 2250], [100, 95, 80, 78, 78]),
    # zwtData0 初二 (mm): row 100 "196", 95 "177", 60 "-14", 50 "-26", 10 "-74"
    (8, "男", "sit_and_reach", [19.6, 19.5, -1.4, -1.5, -7.4, -7.5], [100, 95, 60, 50, 10, 0]),
    # zwtData1 初三: row 100 "235", 95 "218", 80 "167", 78 "154"
    (9, "女", "sit_and_reach", [23.5, 23.4, 16.7, 16.6], [100, 95, 80, 78]),
    # tyData0 初一: row 100 "225", 95 "218", 80 "195", 78 "191", 10 "130"
    (7, "男", "standing_long_jump", [225, 224, 195, 194, 130, 129], [100, 95, 80, 78, 10, 0]),
    # tyData1 初二: row 100 "200", 95 "194", 60 "144", 50 "139"
    (8, "女", "standing_long_jump", [200, 199, 144, 143], [100, 95, 60, 50]),
    # ywqzData0 初一 (引体向上): row 100 "13", 95 "12", 80 "9", 76 "8", 60 "4", 50 "3", 30 "1";
    # rows 78/74/… and 20, 10 repeat the count above ("9", "1", "1"): no such level
    (7, "男", "pull_ups", [13, 12, 9, 8, 4, 3, 1, 0], [100, 95, 80, 76, 60, 50, 30, 0]),
    # ywqzData0 初二: row 30 "2", 20 "1", 10 "1" (repeated): 1 pull-up is 20 points
    (8, "男", "pull_ups", [14, 2, 1, 0], [100, 30, 20, 0]),
    # ywqzData0 初三: row 100 "15", 95 "14", 60 "6", 50 "5", 10 "1"
    (9, "男", "pull_ups", [15, 14, 6, 5, 1, 0], [100, 95, 60, 50, 10, 0]),
    # ywqzData1 初一 (1分钟仰卧起坐): row 100 "50", 95 "48", 80 "40", 78 "38", 10 "10"
    (7, "女", "sit_ups", [50, 49, 40, 39, 38, 10, 9], [100, 95, 80, 78, 78, 10, 0]),
    # nlpData0 初一 (1000米跑, s): row 100 "235" (3'55"), 95 "245", 80 "270", 78 "275", 10 "420"
    (7, "男", "run_1000m", [235, 236, 270, 271, 420, 421], [100, 95, 80, 78, 10, 0]),
    # nlpData1 初三 (800米跑): row 100 "205" (3'25"), 95 "212", 80 "235", 78 "240", 60 "285",
    # 50 "295"
    (9, "女", "run_800m", [205, 206, 235, 236, 285, 286], [100, 95, 80, 78, 60, 50]),
])
def test_junior_both_sides_of_the_lines(grade, sex, item, values, expected):
    assert scores(grade, sex, item, values) == expected


@pytest.mark.parametrize("grade, sex, values, categories, expected", [
    # BMIData, 7th column (初一), 男 rows: 正常 from "155", 低体重 to "154", 超重 from "222",
    # 肥胖 from "250" (0.1 kg/m²)
    (7, "男", [15.4, 15.5, 22.1, 22.2, 24.9, 25.0],
     ["低体重", "正常", "正常", "超重", "超重", "肥胖"], [80, 100, 100, 80, 80, 60]),
    # BMIData, 9th column (初三), 女 rows: "160", "159", "227", "252"
    (9, "女", [15.9, 16.0, 22.6, 22.7, 25.1, 25.2],
     ["低体重", "正常", "正常", "超重", "超重", "肥胖"], [80, 100, 100, 80, 80, 60]),
])
def test_junior_bmi_bands(grade, sex, values, categories, expected):
    test_bmi_bands(grade, sex, values, categories, expected)


@pytest.mark.parametrize("grade, sex, item, values, expected", [
    # 初二男 引体向上 100 at 14 (ywqzData0): 1 point per more pull-up, up to 10
    (8, "男", "pull_ups", [14, 15, 23, 24, 30], [0, 1, 9, 10, 10]),
    # 初一男 1000米跑 100 at 235 s (nlpData0): 4 s faster 1 … 20 s 5, 23 s 6 … 35 s 10
    (7, "男", "run_1000m", [235, 232, 231, 227, 213, 212, 200, 150], [0, 0, 1, 2, 5, 6, 10, 10]),
    # 初三女 1分钟仰卧起坐 100 at 52 (ywqzData1): +2 → 1, +6 → 3, +7 → 4, +13 → 10
    (9, "女", "sit_ups", [52, 53, 54, 58, 59, 65, 66], [0, 0, 1, 3, 4, 10, 10]),
    # 初二女 800米跑 100 at 210 s (nlpData1): 5 s faster 1 … 50 s 10
    (8, "女", "run_800m", [210, 206, 205, 160, 120], [0, 0, 1, 10, 10]),
])
def test_junior_bonus_steps(grade, sex, item, values, expected):
    got = one_item(grade, sex, item, values)
    assert got["bonus"].tolist() == expected and (got["score"] == 100).all()


def test_a_junior_boy_by_hand():
    # 初二男 (columns as above):
    #   BMI 50/1.60² = 19.53 → 19.5: 正常 15.7–22.5 → 100 × 0.15 = 15.0
    #   肺活量 3200 → 80 (fhlData0 row 80 "3200") × 0.15 = 12.0
    #   50米跑 7.6 s → 95 (M50Data0 row 95 "76") × 0.20 = 19.0
    #   坐位体前屈 10.0 → 76 (zwtData0: 78 needs 10.3, 76 9.0) × 0.10 = 7.6
    #   立定跳远 215 → 80 (tyData0: 85 needs 218, 80 210) × 0.10 = 8.0
    #   引体向上 16 → 100 (at 14), 加分 2; × 0.10 = 10.0
    #   1000米跑 3'42" (222 s) → 100 (at 230 s), 加分 8 s faster = 2; × 0.20 = 20.0
    #   标准分 15 + 12 + 19 + 7.6 + 8 + 10 + 20 = 91.6, 附加分 4, 学年总分 95.6 → 优秀
    rows = [("j", "男", 8, i, v) for i, v in [
        ("height", 160), ("weight", 50), ("vital_capacity", 3200), ("sprint_50m", 7.6),
        ("sit_and_reach", 10.0), ("standing_long_jump", 215), ("pull_ups", 16),
        ("run_1000m", 222)]]
    result = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS))
    items = result.items.set_index("item")
    assert items["score"].to_dict() == {
        "bmi": 100, "vital_capacity": 80, "sprint_50m": 95, "sit_and_reach": 76,
        "standing_long_jump": 80, "pull_ups": 100, "run_1000m": 100}
    assert items["bonus"].to_dict() == {
        "bmi": 0, "vital_capacity": 0, "sprint_50m": 0, "sit_and_reach": 0,
        "standing_long_jump": 0, "pull_ups": 2, "run_1000m": 2}
    pupil = result.pupils.iloc[0]
    assert pupil["bmi"] == 19.5 and pupil["standard_score"] == pytest.approx(91.6)
    assert pupil["extra_score"] == 4 and pupil["total_score"] == pytest.approx(95.6)
    assert pupil["level"] == "优秀" and pupil["missing"] == "" and result.problems.empty


def test_a_junior_girl_is_not_tested_on_pull_ups():
    rows = [("g", "女", 7, "pull_ups", 3), ("g", "女", 7, "sit_ups", 40)]
    result = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS))
    assert result.problems["problem"].tolist() == ["not_tested"]
    assert "初一女生不测引体向上" in result.problems["message"].iloc[0]
    assert result.items["score"].tolist() == [80]


# -- a whole pupil, by hand -------------------------------------------------------------------

FIFTH_GRADE_BOY = [("height", 140), ("weight", 35), ("vital_capacity", 2200),
                   ("sprint_50m", 9.1), ("sit_and_reach", 9.4), ("rope_skipping", 150),
                   ("sit_ups", 38), ("shuttle_50x8", 108)]


def test_a_fifth_grade_boy_by_hand():
    # 五年级男:
    #   BMI 35/1.40² = 17.9 → 正常 100 × 0.15 = 15.0
    #   肺活量 2200 → 80 (2200 is the 80 line) × 0.15 = 12.0
    #   50米跑 9.1 s → 76 (78 needs ≤ 9.0, 76 ≤ 9.2) × 0.20 = 15.2
    #   坐位体前屈 9.4 → 80 × 0.10 = 8.0
    #   1分钟跳绳 150 → 100 (100 at 148), 加分 (150 − 148)/2 = 1; × 0.10 = 10.0
    #   1分钟仰卧起坐 38 → 80 × 0.20 = 16.0
    #   50米×8往返跑 108 s → 80 × 0.10 = 8.0
    #   标准分 84.2, 附加分 1, 学年总分 85.2 → 良好
    rows = [("s1", "男", 5, item, v) for item, v in FIFTH_GRADE_BOY]
    result = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS))
    items = result.items.set_index("item")
    assert items["score"].to_dict() == {"bmi": 100, "vital_capacity": 80, "sprint_50m": 76,
                                        "sit_and_reach": 80, "rope_skipping": 100,
                                        "sit_ups": 80, "shuttle_50x8": 80}
    assert items.loc["rope_skipping", "bonus"] == 1
    assert items.loc["sprint_50m", "level"] == "及格" and items.loc["rope_skipping", "level"] == "优秀"
    assert pd.isna(items.loc["bmi", "level"])
    pupil = result.pupils.iloc[0]
    assert pupil["standard_score"] == pytest.approx(84.2)
    assert pupil["extra_score"] == 1 and pupil["total_score"] == pytest.approx(85.2)
    assert pupil["level"] == "良好" and pupil["missing"] == "" and pupil["bmi_category"] == "正常"
    assert result.problems.empty


def test_a_senior_girl_by_hand():
    # 高一女:
    #   BMI 52/1.60² = 20.3 → 正常 100 × 0.15 = 15.0
    #   肺活量 2750 → 80 × 0.15 = 12.0;  50米跑 8.6 s → 80 × 0.20 = 16.0
    #   坐位体前屈 19.1 → 85 × 0.10 = 8.5;  立定跳远 175 → 78 × 0.10 = 7.8
    #   1分钟仰卧起坐 55 → 100 (at 53), 加分 1 (2 more); × 0.10 = 10.0
    #   800米跑 3'14" (194 s) → 100 (at 204 s), 加分 2 (10 s faster); × 0.20 = 20.0
    #   标准分 89.3, 附加分 3, 学年总分 92.3 → 优秀
    rows = [("g", "女", 10, i, v) for i, v in [
        ("height", 160), ("weight", 52), ("vital_capacity", 2750), ("sprint_50m", 8.6),
        ("sit_and_reach", 19.1), ("standing_long_jump", 175), ("sit_ups", 55), ("run_800m", 194)]]
    result = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS))
    assert result.items.set_index("item")["score"].to_dict() == {
        "bmi": 100, "vital_capacity": 80, "sprint_50m": 80, "sit_and_reach": 85,
        "standing_long_jump": 78, "sit_ups": 100, "run_800m": 100}
    pupil = result.pupils.iloc[0]
    assert pupil["bmi"] == 20.3 and pupil["standard_score"] == pytest.approx(89.3)
    assert pupil["extra_score"] == 3 and pupil["total_score"] == pytest.approx(92.3)
    assert pupil["level"] == "优秀"


def test_a_total_of_89_95_is_reported_as_90_0():
    # 一年级男: BMI 100×.15 + 肺活量 85×.15 (1400) + 50米 100×.2 (10.2) + 坐位体前屈 74×.3 (7.7)
    # + 跳绳 100×.2 (109, no 加分) = 15 + 12.75 + 20 + 22.2 + 20 = 89.95 → 90.0 → 优秀
    rows = [("b", "男", 1, i, v) for i, v in [("bmi", 15.0), ("vital_capacity", 1400),
                                             ("sprint_50m", 10.2), ("sit_and_reach", 7.7),
                                             ("rope_skipping", 109)]]
    pupil = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS)).pupils.iloc[0]
    assert pupil["total_score"] == pytest.approx(89.95) and pupil["level"] == "优秀"


# -- missing and impossible values ----------------------------------------------------------

def test_a_missing_item_leaves_the_total_empty_and_named():
    rows = [("s1", "男", 5, item, v) for item, v in FIFTH_GRADE_BOY if item != "sit_ups"]
    rows += [("s2", "男", 5, item, v) for item, v in FIFTH_GRADE_BOY if item not in BODY_AND_RUN]
    pupils = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS)).pupils.set_index("student_id")
    assert pupils.loc["s1", "missing"] == "sit_ups"
    assert pupils.loc["s2", "missing"] == "bmi+shuttle_50x8"
    for who in ("s1", "s2"):
        assert math.isnan(pupils.loc[who, "standard_score"])
        assert math.isnan(pupils.loc[who, "total_score"]) and pd.isna(pupils.loc[who, "level"])
    assert pupils.loc["s1", "extra_score"] == 1  # the 加分 that was earned is still shown


BODY_AND_RUN = {"height", "weight", "shuttle_50x8"}


def test_rows_that_cannot_be_scored_are_reported_with_what_was_done():
    rows = [("a", "男", 13, "sprint_50m", 9.0),        # grade outside 1–12
            ("b", "M", 5, "sprint_50m", 9.0),          # sex not 男/女
            ("c", "男", 5, "push_ups", 20),            # not an item of the standard
            ("d", "男", 3, "pull_ups", 5),             # not tested in 三年级
            ("e", "男", 5, "sprint_50m", 0.9),         # impossible time
            ("f", "女", 4, "vital_capacity", 99999),   # impossible volume
            ("g", "女", 4, "rope_skipping", 12.5),     # a count that is not whole
            ("h", "女", 4, "sprint_50m", "9秒1"),       # not a number
            ("i", "男", 5, "sprint_50m", 9.0), ("i", "男", 5, "sprint_50m", 9.4)]  # twice
    result = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS))
    problems = result.problems.set_index("student_id")["problem"]
    assert problems.to_dict() | {"i": problems.loc["i"].iloc[0]} == {
        "a": "grade", "b": "sex", "c": "item", "d": "not_tested", "e": "out_of_range",
        "f": "out_of_range", "g": "not_whole", "h": "not_number", "i": "duplicate"}
    assert (problems == "duplicate").sum() == 2
    assert result.problems["message"].str.contains("请").all()
    assert result.problems["action"].notna().all()
    assert result.items.empty
    assert set(result.pupils["student_id"]) == set("cdefghi")  # a and b cannot be scored
    assert result.pupils["total_score"].isna().all()


def test_an_impossible_bmi_from_height_and_weight_is_reported():
    # 1.75 m and 17.5 kg (a weight typed in 斤/10 or a slipped digit): BMI 5.7
    rows = [("a", "男", 10, "height", 175), ("a", "男", 10, "weight", 17.5)]
    result = qk.score_fitness(pd.DataFrame(rows, columns=COLUMNS))
    assert result.problems["problem"].tolist() == ["out_of_range"]
    assert "体重指数 5.7" in result.problems["message"].iloc[0]
    assert result.pupils.iloc[0]["missing"].startswith("bmi")


def test_required_columns():
    with pytest.raises(qk.FitnessError, match="grade"):
        qk.score_fitness(pd.DataFrame({"student_id": ["a"], "sex": ["男"], "item": ["bmi"],
                                       "value": [15.0]}))


def test_other_columns_are_carried_and_years_kept_apart():
    rows = [("s1", "男", g, y, "五(1)班", item, v) for g, y in [(5, 2024), (6, 2025)]
            for item, v in FIFTH_GRADE_BOY if g == 5 or item != "sit_ups"]
    data = pd.DataFrame(rows, columns=["student_id", "sex", "grade", "year", "class_id", "item",
                                       "value"])
    result = qk.score_fitness(data)
    assert result.pupils[["grade", "year", "class_id"]].values.tolist() == [
        [5, 2024, "五(1)班"], [6, 2025, "五(1)班"]]
    assert result.pupils["missing"].tolist() == ["", "sit_ups"]
    assert {"year", "class_id"} <= set(result.items.columns)


# -- 毕业成绩 --------------------------------------------------------------------------------------

def test_graduation_score_by_hand():
    # 毕业当年 (初三) 90 × 50% + (初一 70 + 初二 80)/2 × 50% = 45 + 37.5 = 82.5 → 良好
    # b: only one year → none; c: 初二 missing → none
    years = pd.DataFrame({"student_id": ["a", "a", "a", "b", "c", "c", "c"],
                          "grade": [9, 7, 8, 9, 7, 8, 9],
                          "total_score": [90.0, 70.0, 80.0, 95.0, 88.0, np.nan, 92.0]})
    years.index = [0] * len(years)  # stacked tables often repeat their index
    got = qk.graduation_score(years).set_index("student_id")
    assert got.loc["a", "graduation_score"] == 82.5 and got.loc["a", "level"] == "良好"
    assert got.loc["a", "final_year"] == 9 and got.loc["a", "other_mean"] == 75.0
    assert math.isnan(got.loc["b", "graduation_score"]) and got.loc["b", "n_years"] == 1
    assert math.isnan(got.loc["c", "graduation_score"])


# -- the tables themselves ------------------------------------------------------------------------

def test_every_table_has_its_levels_in_order():
    levels = fitness_tables().levels
    for (item, grade, sex), t in levels.groupby(["item", "grade", "sex"]):
        t = t.sort_values("score", ascending=False)
        step = np.diff(t["threshold"].to_numpy())
        higher = ITEMS[item][2]
        assert ((step < 0) if higher else (step > 0)).all(), (item, grade, sex)
        # 初一男 引体向上 ends at 30 points (1 pull-up), 初二男 at 20: no lower level exists
        lowest = {("pull_ups", 7): 30, ("pull_ups", 8): 20}.get((item, grade), 10)
        assert t["score"].iloc[0] == 100 and t["score"].iloc[-1] == lowest


def test_bmi_bands_are_contiguous():
    for _, band in fitness_tables().bmi.groupby(["grade", "sex"]):
        band = band.sort_values("score")
        order = band.set_index("category").loc[["低体重", "正常", "超重", "肥胖"]]
        assert np.allclose(order["low"].to_numpy()[1:], order["high"].to_numpy()[:-1] + 0.1)


def test_package_data_is_declared():
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"qualitykit.fitness" = ["tables/*.csv", "tables/*.md"]' in text


# -- agreement with an independent implementation (高中) ---------------------------------------

DATA = Path(__file__).resolve().parent / "data"


def test_senior_scores_equal_an_independent_implementation(monkeypatch):
    # tests/data/README.md: 10,800 generated 高中 pupils scored by The-ESAP-Project's own
    # JavaScript, run by node. Where its tables differ from the kit's (88 cells, each judged
    # against a third source in fitness_esap_differences.csv), the kit is given ESAP's cells:
    # then every one of the 75,600 item scores must be ESAP's. This proves that all other cells
    # and the reading rules are the same, and that the differences are exactly those listed.
    ref = pd.read_csv(DATA / "fitness_reference_esap.csv.gz")
    assert ref["student_id"].nunique() >= 10_000
    assert set(map(tuple, ref[["grade", "sex"]].drop_duplicates().values)) == {
        (g, s) for g in (10, 11, 12) for s in ("男", "女")}
    differences = pd.read_csv(DATA / "fitness_esap_differences.csv")
    assert differences["verdict"].notna().all() and not differences["verdict"].str.startswith(
        "CHECK").any()
    tables = fitness_tables()
    levels = tables.levels.merge(differences[["item", "grade", "sex", "score", "esap_threshold"]],
                                 on=["item", "grade", "sex", "score"], how="outer")
    levels["threshold"] = levels["esap_threshold"].fillna(levels["threshold"])
    esap = dataclasses.replace(tables, levels=levels.drop(columns="esap_threshold"))
    monkeypatch.setattr("qualitykit.fitness.score.fitness_tables", lambda: esap)
    scored = qk.score_fitness(ref.drop(columns="esap_score"))
    assert scored.problems.empty
    both = ref.merge(scored.items[["student_id", "item", "score"]], on=["student_id", "item"])
    assert len(both) == len(ref)
    assert (both["score"] == both["esap_score"]).all(), both[both["score"] != both["esap_score"]]


def test_the_listed_differences_change_real_scores():
    # without ESAP's cells, the kit disagrees with ESAP exactly on values between the two
    # thresholds of a listed cell (a check that the list is not empty decoration)
    ref = pd.read_csv(DATA / "fitness_reference_esap.csv.gz")
    scored = qk.score_fitness(ref.drop(columns="esap_score"))
    both = ref.merge(scored.items[["student_id", "item", "score"]], on=["student_id", "item"])
    differ = both[both["score"] != both["esap_score"]]
    listed = pd.read_csv(DATA / "fitness_esap_differences.csv")
    assert 0 < len(differ) < len(both) / 10
    assert set(differ["item"]) == set(listed["item"])


# -- agreement with a second public implementation (小学, 初中, 高中) ------------------------------

VB_KEYS = {"levels": ["item", "grade", "sex", "score"], "bmi": ["grade", "sex", "category"],
           "bonus": ["item", "grade", "sex", "bonus"], "weights": ["grade", "sex", "item"]}


@pytest.mark.parametrize("name, cells", [("levels", 1905), ("bmi", 216), ("bonus", 360),
                                         ("weights", 114)])
def test_primary_and_senior_tables_equal_the_vb_program(name, cells):
    # tests/data/fitness_vb_*.csv: the tables of a public VB.NET program (file id 23133757690,
    # PROVENANCE.md), transcribed by tests/data/fitness_vb_extract.py into the kit's shape. Its
    # 小学 and 高中 cells (the kit's came from other sources) must all equal the kit's: this
    # agreement is the evidence that its 初中 columns, which the kit takes, are read right.
    vb = pd.read_csv(DATA / f"fitness_vb_{name}.csv", encoding="utf-8")
    kit = getattr(fitness_tables(), name)
    outside = [1, 2, 3, 4, 5, 6, 10, 11, 12]
    vb, kit = (t[t["grade"].isin(outside)].set_index(VB_KEYS[name]).sort_index()
               for t in (vb, kit))
    assert vb.index.equals(kit.index)
    assert vb.size == cells  # every cell of the kit's 小学 and 高中 tables is compared
    pd.testing.assert_frame_equal(vb, kit[vb.columns], check_dtype=False, check_index_type=False)


@pytest.mark.parametrize("name", ["levels", "bmi", "bonus", "weights"])
def test_junior_tables_are_the_vb_programs(name):
    vb = pd.read_csv(DATA / f"fitness_vb_{name}.csv", encoding="utf-8")
    kit = getattr(fitness_tables(), name)
    vb, kit = (t[t["grade"].isin([7, 8, 9])].set_index(VB_KEYS[name]).sort_index()
               for t in (vb, kit))
    assert len(kit) == {"levels": 702, "bmi": 24, "bonus": 120, "weights": 42}[name]
    pd.testing.assert_frame_equal(vb, kit[vb.columns], check_dtype=False, check_index_type=False)
