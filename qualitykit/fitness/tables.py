"""The standard's tables, read once from the package's CSV files (sources in tables/PROVENANCE.md)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

__all__ = ["FitnessTables", "fitness_tables", "TABLES_DIR"]

#: The folder of the CSV files (package data).
TABLES_DIR = Path(__file__).resolve().parent / "tables"


@dataclass(frozen=True)
class FitnessTables:
    """The 国家学生体质健康标准（2014年修订） as tables, grades 1–12.

    Attributes
    ----------
    levels : DataFrame
        单项评分表: ``item, grade, sex, score, threshold`` (20 levels 100 … 10 per item, grade
        and sex; 引体向上 has no 78/74/70/66/62 level in 初中/高中, no 20/10 level in 初一 and
        no 10 level in 初二: the source repeats the count of the level above there). A value
        scores the highest level whose threshold it reaches (times: at or below).
    bonus : DataFrame
        加分指标评分表: ``item, grade, sex, bonus, excess``: ``bonus`` points once the value is
        ``excess`` beyond the 100-point threshold (more counts, fewer seconds).
    weights : DataFrame
        单项指标与权重: ``grade, sex, item, weight`` (the weights of a grade and sex sum to 1).
    bmi : DataFrame
        体重指数评分表: ``grade, sex, category, score, low, high`` (bounds inclusive, to 0.1 kg/m²;
        NaN for an open end).
    ranges : DataFrame
        ``item, low, high``: values outside are physically implausible (the kit's own limits,
        not the standard's) and are reported, not scored.
    """

    levels: pd.DataFrame
    bonus: pd.DataFrame
    weights: pd.DataFrame
    bmi: pd.DataFrame
    ranges: pd.DataFrame


@lru_cache(maxsize=1)
def fitness_tables() -> FitnessTables:
    """The standard's tables as shipped with the kit (read once per session).

    Returns
    -------
    FitnessTables

    Examples
    --------
    >>> t = fitness_tables()
    >>> five = t.levels.query("item == 'sprint_50m' and grade == 5 and sex == '男'")
    >>> five.set_index("score")["threshold"][[80, 78]].tolist()
    [8.8, 9.0]
    >>> float(round(t.weights.query("grade == 5 and sex == '女'")["weight"].sum(), 10))
    1.0
    """
    def read(name: str) -> pd.DataFrame:
        table = pd.read_csv(TABLES_DIR / f"{name}.csv", encoding="utf-8")
        for col in ("item", "sex", "category"):
            if col in table:
                table[col] = table[col].astype(object)
        return table

    return FitnessTables(levels=read("levels"), bonus=read("bonus"), weights=read("weights"),
                         bmi=read("bmi"), ranges=read("ranges"))
