"""体质健康分析: one public function per analysis, long tidy tables in and out.

Every function takes the tables of :func:`qualitykit.score_fitness` (``FitnessScores.pupils``:
one row per pupil; ``FitnessScores.items``: one row per pupil × item) and returns one row per
group. Rates are fractions 0–1 with Wilson intervals (:func:`qualitykit.term.indicators.
wilson_interval`); classes are compared with their grade by
:func:`qualitykit.compare_classes` (Welch against the rest of the grade, Bonferroni over the
classes), so that no class is put above another where the intervals overlap (DOMAIN.md).
A pupil with a missing required item has no 学年总分 and no 等级: such pupils are counted in
``n_incomplete`` and never in a rate's denominator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..term.indicators import wilson_interval
from ..term.load import mask_names
from .read import ITEM_LABELS

__all__ = ["LEVELS", "BMI_CATEGORIES", "fitness_rates", "item_rates", "compare_fitness_classes",
           "bmi_categories", "failing_pupils", "fitness_change", "FitnessChange", "item_means"]

#: The 等级 of the 2014 standard, best first.
LEVELS = ("优秀", "良好", "及格", "不及格")
#: The BMI categories, in order.
BMI_CATEGORIES = ("低体重", "正常", "超重", "肥胖")
#: What each rate counts: its levels.
_RATES = {"excellent_rate": ("优秀",), "good_level_rate": ("良好",),
          "excellent_good_rate": ("优秀", "良好"), "pass_rate": ("优秀", "良好", "及格"),
          "fail_rate": ("不及格",)}


def _keys(by: Sequence[str] | str) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _level_counts(table: pd.DataFrame, keys: list[str], level: str) -> pd.DataFrame:
    """Pupils per group: ``n`` with a level, ``n_incomplete`` without, and one count per level."""
    data = table.assign(_level=table[level].where(table[level].isin(LEVELS)))
    grouped = data.groupby(keys, sort=True, dropna=False) if keys else \
        data.assign(_all=0).groupby("_all")
    out = grouped["_level"].agg(n="count", n_incomplete=lambda s: int(s.isna().sum()))
    for i, name in enumerate(LEVELS):
        out[f"n_{('excellent', 'good', 'pass_level', 'fail')[i]}"] = grouped["_level"].agg(
            lambda s, name=name: int((s == name).sum()))
    return out.reset_index().drop(columns="_all", errors="ignore")


#: The mean shown beside the rates: of the 学年总分 (pupils) or of the 单项得分 (items).
_MEANS = {"total_score": "mean_total_score", "score": "mean_score"}


def fitness_rates(pupils: pd.DataFrame, *, by: Sequence[str] | str = ("grade", "class_id"),
                  level: str = "level", confidence: float = 0.95) -> pd.DataFrame:
    """优秀率、良好率、优良率、及格率、不及格率 of the 学年总分等级 by group, with Wilson intervals.

    Parameters
    ----------
    pupils : DataFrame
        ``FitnessScores.pupils`` (or any table with a ``level`` of 优秀/良好/及格/不及格).
    by : column name or names
        The groups, e.g. ``("grade", "class_id")``, ``"grade"``, ``("grade", "sex")``; ``()``
        for the whole school.
    level : str
        The column of the 等级.
    confidence : float
        Level of the intervals.

    Returns
    -------
    DataFrame
        ``by`` columns, ``n`` (pupils with a 等级), ``n_incomplete`` (pupils without: an item
        missing), ``n_excellent``, ``n_good``, ``n_pass_level`` (the 及格 level only),
        ``n_fail``, and for each of ``excellent_rate`` (优秀), ``good_level_rate`` (良好 only),
        ``excellent_good_rate``
        (优良率: 优秀 + 良好), ``pass_rate`` (及格率: 优秀 + 良好 + 及格, 学年总分 ≥ 60),
        ``fail_rate`` (不及格) the rate and its ``_low`` / ``_high`` bounds; ``mean_total_score``
        (mean 学年总分 of the pupils with one) or, for items, ``mean_score`` (mean 单项得分).
    """
    keys = _keys(by)
    out = _level_counts(pupils, keys, level)
    for column, name in _MEANS.items():
        if column in pupils:
            data = pupils.assign(_all=0)
            means = data.groupby(keys or ["_all"], sort=True, dropna=False)[column].mean()
            out.insert(len(keys) + 2, name, means.to_numpy())
            break
    counts = {"优秀": out["n_excellent"], "良好": out["n_good"], "及格": out["n_pass_level"],
              "不及格": out["n_fail"]}
    for rate, levels in _RATES.items():
        k = sum(counts[name] for name in levels)
        out[rate] = np.where(out["n"] > 0, k / out["n"].where(out["n"] > 0, 1), np.nan)
        out[f"{rate}_low"], out[f"{rate}_high"] = wilson_interval(k, out["n"], confidence)
    return out


def item_rates(items: pd.DataFrame, *, by: Sequence[str] | str = ("grade", "class_id"),
               confidence: float = 0.95) -> pd.DataFrame:
    """The rates of :func:`fitness_rates` for each item's 单项等级 (BMI, which has a category
    instead of a 等级, is left out: see :func:`bmi_categories`).

    Returns
    -------
    DataFrame
        ``item`` and the ``by`` columns, then the columns of :func:`fitness_rates`
        (``n`` = pupils measured on the item; ``n_incomplete`` = rows without a level).
    """
    scored = items[items["item"] != "bmi"]
    return fitness_rates(scored, by=["item", *_keys(by)], confidence=confidence)


def compare_fitness_classes(table: pd.DataFrame, *, value: str = "total_score",
                            within: Sequence[str] | str = ("grade",), confidence: float = 0.95):
    """Each class's mean against its grade (and the classes among themselves), with intervals.

    The scores are handed to :func:`qualitykit.compare_classes` as one "subject": each class's
    mean minus the grade's, Welch's interval of the class against the rest of the grade
    (Bonferroni over the classes), the omnibus tests, Games–Howell pairs. Pupils without a
    ``value`` (an item missing) are left out.

    Parameters
    ----------
    table : DataFrame
        ``FitnessScores.pupils`` (``value="total_score"`` or ``"standard_score"``) or
        ``FitnessScores.items`` (``value="score"``, ``within=("grade", "item")``).
    value : str
        The column compared.
    within : column name or names
        The comparison groups (default: each grade).

    Returns
    -------
    ClassComparison
        As :func:`qualitykit.compare_classes`, with the ``within`` columns in place of exam ×
        subject.
    """
    from ..term.compare import compare_classes

    keys = _keys(within)
    data = table[table[value].notna()]
    scores = pd.DataFrame({**{k: data[k].to_numpy() for k in keys},
                           "class_id": data["class_id"].astype(str).to_numpy(),
                           "score": data[value].astype(float).to_numpy(), "status": "sat"})
    return compare_classes(scores, within=keys, confidence=confidence)


def bmi_categories(pupils: pd.DataFrame, *, by: Sequence[str] | str = ("grade", "class_id", "sex"),
                   confidence: float = 0.95) -> pd.DataFrame:
    """低体重/正常/超重/肥胖 by group: one row per group × category, with Wilson intervals.

    Returns
    -------
    DataFrame
        ``by`` columns, ``bmi_category``, ``n_students`` (pupils of the group with a BMI),
        ``count``,
        ``share``, ``share_low``, ``share_high``.
    """
    keys = _keys(by)
    data = pupils[pupils["bmi_category"].isin(BMI_CATEGORIES)]
    counts = data.groupby([*keys, "bmi_category"], sort=False).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(BMI_CATEGORIES), fill_value=0).sort_index()
    long = counts.stack().rename("count").reset_index()
    long["n_students"] = long.groupby(keys)["count"].transform("sum") if keys else \
        long["count"].sum()
    long["share"] = long["count"] / long["n_students"]
    long["share_low"], long["share_high"] = wilson_interval(long["count"], long["n_students"],
                                                            confidence)
    long["bmi_category"] = pd.Categorical(long["bmi_category"], BMI_CATEGORIES)
    return long[[*keys, "bmi_category", "n_students", "count", "share", "share_low",
                 "share_high"]]


def failing_pupils(items: pd.DataFrame, *, mask: bool = False) -> pd.DataFrame:
    """The 不及格 pupils of each item, for the PE teacher (staff only, never published).

    Parameters
    ----------
    items : DataFrame
        ``FitnessScores.items``.
    mask : bool
        Names as 张＊ (meeting exports).

    Returns
    -------
    DataFrame
        ``grade``, ``class_id``, ``item``, ``student_id``, ``name``, ``sex``, ``value``,
        ``score``, ordered by grade, class, item and student id (not by score: no ranking).
    """
    cols = [c for c in ("grade", "class_id", "class_name", "item", "student_id", "name", "sex",
                        "value", "score") if c in items]
    out = items.loc[items["level"] == "不及格", cols]
    out = out.sort_values(["grade", "class_id", "item", "student_id"]).reset_index(drop=True)
    return mask_names(out) if mask else out


def item_means(items: pd.DataFrame, *, by: Sequence[str] | str = ("grade", "sex")) -> pd.DataFrame:
    """Mean item values (in their units; times in seconds) by group.

    Returns
    -------
    DataFrame
        ``item``, the ``by`` columns, ``n``, ``mean``, ``sd``, ``min``, ``median``, ``max`` of
        ``value``, and ``mean_score`` (the mean 单项得分).
    """
    keys = ["item", *_keys(by)]
    grouped = items.groupby(keys, sort=True)
    out = grouped["value"].agg(n="count", mean="mean", sd="std", min="min", median="median",
                               max="max")
    if "score" in items:
        out["mean_score"] = grouped["score"].mean()
    return out.reset_index()


@dataclass(frozen=True)
class FitnessChange:
    """What :func:`fitness_change` found.

    Attributes
    ----------
    changes : DataFrame
        One row per group × item (``total_score`` for 学年总分, then each item id): ``by``
        columns, ``item``, ``n`` (pupils with the measure in both years), ``mean_before``,
        ``mean_now``, ``mean_change``, ``change_low``, ``change_high`` (paired t interval),
        ``p_value`` (paired t test), ``reading`` (提高 / 下降 / 无明显变化 by the interval).
    moves : DataFrame
        ``by`` columns, ``level_before``, ``level_now``, ``count``: pupils with a 等级 in both
        years, by where they were and where they are.
    matched : DataFrame
        One row per pupil of this year: ``student_id``, the ``by`` columns, ``total_before``,
        ``total_now``, ``level_before``, ``level_now``, ``matched`` (found last year).
    """

    changes: pd.DataFrame
    moves: pd.DataFrame
    matched: pd.DataFrame


def _paired(diff: np.ndarray, confidence: float) -> dict:
    """Mean change with its paired t interval and p value (NaN below 2 pupils; every pupil
    changed by the same amount: the interval is that amount, the p value 0 or 1)."""
    from ..probability import t_ppf, t_sf

    n = len(diff)
    row = {"n": n, "mean_change": diff.mean() if n else np.nan, "change_low": np.nan,
           "change_high": np.nan, "p_value": np.nan}
    sd = diff.std(ddof=1) if n >= 2 else np.nan
    if n >= 2 and sd > 0:
        half = t_ppf((1 + confidence) / 2, n - 1) * sd / np.sqrt(n)
        row.update(change_low=row["mean_change"] - half, change_high=row["mean_change"] + half,
                   p_value=float(2 * t_sf(abs(row["mean_change"]) / (sd / np.sqrt(n)),
                                                n - 1)))
    elif n >= 2 and sd == 0:
        row.update(change_low=row["mean_change"], change_high=row["mean_change"],
                   p_value=1.0 if row["mean_change"] == 0 else 0.0)
    return row


def _reading(row: dict) -> str:
    if np.isnan(row["change_low"]):
        return "人数太少，无法判断"
    if row["change_low"] > 0:
        return "提高"
    if row["change_high"] < 0:
        return "下降"
    return "无明显变化"


def _pairs(current, previous) -> pd.DataFrame:
    """One row per pupil × item (``total_score`` first) found in both years: ``student_id``,
    ``item``, ``now``, ``before``."""
    def long(scores) -> pd.DataFrame:
        total = scores.pupils[["student_id", "total_score"]].rename(columns={"total_score": "v"})
        items = scores.items[["student_id", "item", "score"]].rename(columns={"score": "v"})
        return pd.concat([total.assign(item="total_score"), items], ignore_index=True)

    now, before = long(current), long(previous)
    both = now.merge(before, on=["student_id", "item"], suffixes=("_now", "_before"))
    return both.rename(columns={"v_now": "now", "v_before": "before"}).dropna(
        subset=["now", "before"])


def fitness_change(current, previous, *, by: Sequence[str] | str = ("grade", "class_id"),
                   confidence: float = 0.95) -> FitnessChange:
    """Change since last year for the same pupils (matched by ``student_id``).

    For 学年总分 and each item's 单项得分: the mean change of the pupils measured in both years
    with a paired t interval, and how pupils moved between 等级. Groups are this year's
    (``grade``, ``class_id`` now). Pupils new this year (or not found last year) are in
    ``matched`` with ``matched`` False and in no mean.

    Parameters
    ----------
    current, previous : FitnessScores
        This year's and last year's :func:`qualitykit.score_fitness` results.
    by : column name or names
        The groups (columns of this year's ``pupils``).
    """
    keys = _keys(by)
    groups = current.pupils[["student_id", *keys]].drop_duplicates("student_id")
    pairs = _pairs(current, previous).merge(groups, on="student_id")
    rows = []
    for key, part in pairs.groupby([*keys, "item"], sort=True):
        key = key if isinstance(key, tuple) else (key,)
        row = {**dict(zip([*keys, "item"], key)), "mean_before": part["before"].mean(),
               "mean_now": part["now"].mean(),
               **_paired((part["now"] - part["before"]).to_numpy(float), confidence)}
        row["reading"] = _reading(row)
        rows.append(row)
    columns = [*keys, "item", "n", "mean_before", "mean_now", "mean_change", "change_low",
               "change_high", "p_value", "reading"]
    matched = _matched(current, previous, keys)
    both = matched[matched["level_before"].isin(LEVELS) & matched["level_now"].isin(LEVELS)]
    moves = both.groupby([*keys, "level_before", "level_now"]).size().rename("count").reset_index()
    changes = pd.DataFrame(rows, columns=columns)
    order = changes["item"].map({k: i for i, k in enumerate(["total_score", *ITEM_LABELS])})
    changes = changes.assign(_o=order).sort_values([*keys, "_o"], kind="stable").drop(columns="_o")
    return FitnessChange(changes=changes.reset_index(drop=True), moves=moves, matched=matched)


def _matched(current, previous, keys: list[str]) -> pd.DataFrame:
    now = current.pupils[["student_id", *keys, "total_score", "level"]].rename(
        columns={"total_score": "total_now", "level": "level_now"})
    before = previous.pupils[["student_id", "total_score", "level"]].rename(
        columns={"total_score": "total_before", "level": "level_before"})
    out = now.merge(before.drop_duplicates("student_id"), on="student_id", how="left",
                    indicator=True)
    out["matched"] = out.pop("_merge").eq("both")
    return out[["student_id", *keys, "total_before", "total_now", "level_before", "level_now",
                "matched"]]
