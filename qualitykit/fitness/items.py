"""The items of the 国家学生体质健康标准（2014年修订）, and how each is recorded.

Pure data (no pandas): imported by the scoring, the import and the report alike.
"""

from __future__ import annotations

__all__ = ["ITEMS", "FITNESS_ITEMS", "GRADES", "GRADE_NAMES", "RECORDING", "LEVEL_CUTS", "SEXES", "item_level"]

#: item id -> (Chinese name, unit, higher_is_better)
ITEMS: dict[str, tuple[str, str, bool]] = {
    "height": ("身高", "cm", True),
    "weight": ("体重", "kg", False),
    "bmi": ("体重指数", "kg/m²", False),
    "vital_capacity": ("肺活量", "ml", True),
    "sprint_50m": ("50米跑", "s", False),
    "sit_and_reach": ("坐位体前屈", "cm", True),
    "rope_skipping": ("1分钟跳绳", "次", True),
    "sit_ups": ("1分钟仰卧起坐", "次", True),
    "shuttle_50x8": ("50米×8往返跑", "s", False),
    "standing_long_jump": ("立定跳远", "cm", True),
    "pull_ups": ("引体向上", "次", True),
    "run_800m": ("800米跑", "s", False),
    "run_1000m": ("1000米跑", "s", False),
}
#: The same, under the name the package exports (``qk.FITNESS_ITEMS``).
FITNESS_ITEMS = ITEMS

#: School years as integers: 1–6 小学, 7–9 初中, 10–12 高中 (university is not covered).
GRADES = tuple(range(1, 13))
GRADE_NAMES: dict[int, str] = {
    1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级",
    7: "初一", 8: "初二", 9: "初三", 10: "高一", 11: "高二", 12: "高三",
}
SEXES = ("男", "女")

#: How a value is recorded before it is read in the tables: (step, rule). Times are recorded
#: by 非零进1 (any part of the step rounds up: 10.11 s is 10.2 s, 3'10.1" is 3'11"); lengths and
#: volumes to the step, half up; counts must be whole. BMI is 体重/身高² to 0.1, half up.
RECORDING: dict[str, tuple[float, str]] = {
    "height": (0.1, "half_up"),
    "weight": (0.1, "half_up"),
    "bmi": (0.1, "half_up"),
    "vital_capacity": (1.0, "half_up"),
    "sprint_50m": (0.1, "up"),
    "sit_and_reach": (0.1, "half_up"),
    "rope_skipping": (1.0, "whole"),
    "sit_ups": (1.0, "whole"),
    "shuttle_50x8": (1.0, "up"),
    "standing_long_jump": (1.0, "half_up"),
    "pull_ups": (1.0, "whole"),
    "run_800m": (1.0, "up"),
    "run_1000m": (1.0, "up"),
}

#: 等级 of a 学年总分 or a 单项得分 (the standard: 优秀 ≥ 90.0, 良好 80.0–89.9, 及格 60.0–79.9,
#: 不及格 ≤ 59.9), from the top.
LEVEL_CUTS: tuple[tuple[float, str], ...] = ((90.0, "优秀"), (80.0, "良好"), (60.0, "及格"))
FAIL = "不及格"


def item_level(score: float) -> str | None:
    """等级 of a score on the standard's 0–120 scale (None for a missing score).

    >>> item_level(90), item_level(89.9), item_level(60), item_level(59.9), item_level(None)
    ('优秀', '良好', '及格', '不及格', None)
    """
    if score is None or score != score:
        return None
    for cut, name in LEVEL_CUTS:
        if score >= cut:
            return name
    return FAIL
