"""Scoring by the 国家学生体质健康标准（2014年修订）: 单项得分, 加分, 标准分, 学年总分, 等级, 毕业成绩.

Vectorised: each (item, grade, sex) table is read with one ``np.searchsorted`` over all the
pupils it concerns, so a district's million rows score in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .items import FAIL, GRADE_NAMES, ITEMS, LEVEL_CUTS, RECORDING, SEXES
from .tables import FitnessTables, fitness_tables

__all__ = ["FitnessScores", "FitnessError", "score_fitness", "graduation_score"]

REQUIRED = ("student_id", "sex", "grade", "item", "value")
BODY = ("height", "weight")
ORDER = {item: i for i, item in enumerate(ITEMS)}
EPS = 1e-9

#: problem code -> what was done with the row (Chinese, for the teacher)
ACTIONS = {
    "grade": "该生未评分", "sex": "该生未评分", "item": "本行未计分",
    "not_tested": "本行未计分（不计入标准分）", "not_number": "本项按缺测处理",
    "out_of_range": "本项按缺测处理", "not_whole": "本项按缺测处理",
    "duplicate": "本项按缺测处理", "bmi_replaced": "按身高、体重计算体重指数",
}


class FitnessError(ValueError):
    """A measurement table that cannot be scored at all (a required column is absent)."""


@dataclass(frozen=True)
class FitnessScores:
    """What :func:`score_fitness` returns.

    Attributes
    ----------
    items : DataFrame
        One row per pupil × scored item (BMI is an item): the carried columns, ``item``,
        ``value`` (as recorded: times to the step by 非零进1, BMI to 0.1), ``score`` (单项得分
        0–100), ``bonus`` (加分; 0 where the item carries none), ``weight`` (权重) and ``level``
        (单项等级 优秀/良好/及格/不及格; empty for BMI, whose category is in ``pupils``).
    pupils : DataFrame
        One row per pupil: the carried columns, ``bmi``, ``bmi_category`` (低体重/正常/超重/肥胖),
        ``standard_score`` (标准分 = Σ weight × score), ``extra_score`` (附加分 = Σ bonus),
        ``total_score`` (学年总分), ``level`` (等级 of the 学年总分 to 0.1) and ``missing`` (the
        required items not scored, joined by "+"; "" when complete). A pupil with a missing
        required item has NaN 标准分, 学年总分 and 等级.
    problems : DataFrame
        The rows that could not be scored: the input's columns, ``problem`` (a code),
        ``message`` (what is wrong and how to fix the sheet, in Chinese) and ``action``.
    """

    items: pd.DataFrame
    pupils: pd.DataFrame
    problems: pd.DataFrame


def score_fitness(measurements: pd.DataFrame) -> FitnessScores:
    """Score 体质测试 results by the 国家学生体质健康标准（2014年修订）, grades 1–12.

    Parameters
    ----------
    measurements : DataFrame
        Long and tidy, one row per pupil × measured item: ``student_id``, ``sex`` ("男"/"女"),
        ``grade`` (1–12: 一年级 1 … 初一 7 … 高三 12), ``item`` (an id of
        :data:`~qualitykit.fitness.items.ITEMS`; ``height`` and ``weight`` give BMI, or a
        ``bmi`` row), ``value`` (seconds, cm, ml, kg, counts). Any other column (name,
        class_id, school, year …) is carried through; a pupil is one combination of the
        non-measurement columns, so one table may hold several years.

    Returns
    -------
    FitnessScores
        ``items``, ``pupils`` and ``problems`` (see :class:`FitnessScores`).

    Raises
    ------
    FitnessError
        When a required column is absent.

    Examples
    --------
    >>> rows = [("s1", "男", 5, item, v) for item, v in [("height", 140.0), ("weight", 35.0),
    ...         ("vital_capacity", 2200), ("sprint_50m", 9.1), ("sit_and_reach", 9.4),
    ...         ("rope_skipping", 150), ("sit_ups", 38), ("shuttle_50x8", 108)]]
    >>> m = pd.DataFrame(rows, columns=["student_id", "sex", "grade", "item", "value"])
    >>> s = score_fitness(m)
    >>> s.pupils[["bmi", "standard_score", "extra_score", "total_score", "level"]]
        bmi  standard_score  extra_score  total_score level
    0  17.9            84.2          1.0         85.2    良好
    """
    tables = fitness_tables()
    rows = _checked_columns(measurements)
    keys = [c for c in rows.columns if c not in ("item", "value")]
    columns = list(rows.columns)
    rows, problems = _valid_pupils(rows)
    pupils = rows[keys].drop_duplicates()
    rows, more = _valid_values(rows, tables)
    problems += more
    measured, more = _with_bmi(rows, keys, tables)
    problems += more
    items = _scored_items(measured, keys, tables)
    pupils = _pupil_totals(items, pupils, keys, tables)
    return FitnessScores(items=items.drop(columns="bmi_category"), pupils=pupils,
                         problems=_problem_table(problems, columns))


def _checked_columns(measurements: pd.DataFrame) -> pd.DataFrame:
    absent = [c for c in REQUIRED if c not in measurements.columns]
    if absent:
        raise FitnessError(
            f"体测成绩表缺少列：{'、'.join(absent)}（应有 student_id 学号、sex 性别、grade 年级、"
            f"item 项目、value 成绩；现有：{'、'.join(map(str, measurements.columns))}）。")
    rows = measurements.reset_index(drop=True).copy()
    for col in ("item", "sex"):  # few distinct values: strip each once
        distinct = pd.unique(rows[col].astype(object))
        rows[col] = rows[col].astype(object).map(
            {v: v.strip() if isinstance(v, str) else v for v in distinct})
    return rows


def _flagged(rows: pd.DataFrame, mask, code: str, messages) -> pd.DataFrame:
    """The flagged rows with their problem code and message (a list of such frames is kept)."""
    out = rows.loc[mask].copy()
    out["problem"] = code
    out["message"] = list(messages) if not isinstance(messages, str) else messages
    return out


def _valid_pupils(rows: pd.DataFrame):
    """Rows whose grade is a school year 1–12 (the kit holds the tables of every one) and whose
    sex is 男/女; the others as problems."""
    grade = pd.to_numeric(rows["grade"], errors="coerce")
    bad_grade = ~(grade.isin(range(1, 13)))
    bad_sex = ~bad_grade & ~rows["sex"].isin(SEXES)
    problems = [
        _flagged(rows, bad_grade, "grade", [
            f"年级（grade）“{g}”不是1–12的整数（一年级为1，初一为7，高一为10）：请在表中改正年级。"
            for g in rows.loc[bad_grade, "grade"]]),
        _flagged(rows, bad_sex, "sex", [
            f"性别（sex）“{s}”不是“男”或“女”：请在表中改正性别。" for s in rows.loc[bad_sex, "sex"]]),
    ]
    keep = rows.loc[~bad_grade & ~bad_sex].copy()
    keep["grade"] = grade[keep.index].astype(int)
    return keep, problems


def _valid_values(rows: pd.DataFrame, tables: FitnessTables):
    """Rows with a known item tested in the pupil's grade and a plausible value, recorded to
    the standard's step; blank values are dropped (the item is then missing)."""
    value = pd.to_numeric(rows["value"], errors="coerce")
    blank = rows["value"].isna()
    text = value.isna() & ~blank
    blank[text] = rows.loc[text, "value"].astype(str).str.strip().eq("")
    unknown = ~rows["item"].isin(ITEMS)
    tested = _tested(rows, tables)
    not_tested = ~unknown & ~tested & ~rows["item"].isin(BODY)
    not_number = ~unknown & ~not_tested & value.isna() & ~blank
    problems = [
        _flagged(rows, unknown, "item", [f"项目（item）“{i}”不是体质健康标准中的测试项目：请检查列名。"
                                         for i in rows.loc[unknown, "item"]]),
        _flagged(rows, not_tested, "not_tested", [
            f"{GRADE_NAMES[g]}{s}生不测{ITEMS[i][0]}（{i}）：若是填错了列，请改正。"
            for g, s, i in rows.loc[not_tested, ["grade", "sex", "item"]].itertuples(index=False)]),
        _flagged(rows, not_number, "not_number", [
            f"{ITEMS[i][0]}（{i}）的成绩“{v}”不是数字：请改正。"
            for i, v in rows.loc[not_number, ["item", "value"]].itertuples(index=False)]),
    ]
    ok = rows.loc[~unknown & ~not_tested & value.notna()].copy()
    ok["value"] = value[ok.index].astype(float)
    ok, more = _plausible(ok, tables)
    return ok, problems + more


def _tested(rows: pd.DataFrame, tables: FitnessTables) -> pd.Series:
    """Whether each row's item is weighted in the pupil's grade and sex (BMI always is)."""
    pairs = pd.MultiIndex.from_frame(tables.weights[["grade", "sex", "item"]])
    grade = pd.to_numeric(rows["grade"], errors="coerce")
    probe = pd.MultiIndex.from_arrays([grade, rows["sex"], rows["item"]])
    return pd.Series(probe.isin(pairs), index=rows.index)


def _plausible(rows: pd.DataFrame, tables: FitnessTables):
    """Values recorded to the standard's step, inside the physically possible range, counts
    whole, one per pupil and item; the others as problems."""
    limits = tables.ranges.set_index("item")
    low, high = rows["item"].map(limits["low"]), rows["item"].map(limits["high"])
    outside = (rows["value"] < low) | (rows["value"] > high)
    recorded, whole_ok = _recorded(rows["value"], rows["item"])
    not_whole = ~outside & ~whole_ok
    problems = [
        _flagged(rows, outside, "out_of_range", [
            f"{ITEMS[i][0]}（{i}）的成绩 {v:g}{ITEMS[i][1]} 超出可能的范围（{lo:g}–{hi:g}"
            f"{ITEMS[i][1]}）：请核对单位（时间用秒）后改正。"
            for i, v, lo, hi in zip(rows.loc[outside, "item"], rows.loc[outside, "value"],
                                    low[outside], high[outside])]),
        _flagged(rows, not_whole, "not_whole", [
            f"{ITEMS[i][0]}（{i}）的次数 {v:g} 不是整数：请改正。"
            for i, v in rows.loc[not_whole, ["item", "value"]].itertuples(index=False)]),
    ]
    ok = rows.loc[~outside & ~not_whole].copy()
    ok["value"] = recorded[ok.index]
    keys = [c for c in ok.columns if c != "value"]
    twice = ok.duplicated(keys, keep=False)
    problems.append(_flagged(ok, twice, "duplicate", [
        f"同一学生有两条以上的{ITEMS[i][0]}（{i}）成绩：请只保留一条。" for i in ok.loc[twice, "item"]]))
    return ok.loc[~twice], problems


def _recorded(values: pd.Series, items: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each value as the standard records it, and whether a count is whole.

    >>> v, ok = _recorded(pd.Series([10.11, 9.1, 13.05, 12.0, 12.5, 190.1]),
    ...                   pd.Series(["sprint_50m", "sprint_50m", "sit_and_reach", "sit_ups",
    ...                              "sit_ups", "run_1000m"]))
    >>> v.tolist(), ok.tolist()
    ([10.2, 9.1, 13.1, 12.0, 12.5, 191.0], [True, True, True, True, False, True])
    """
    step = items.map({k: s for k, (s, _) in RECORDING.items()}).astype(float)
    rule = items.map({k: r for k, (_, r) in RECORDING.items()})
    scaled = np.round(values.to_numpy(float) / step.to_numpy(), 6)
    up = np.ceil(scaled)
    half = np.floor(scaled + 0.5)
    steps = np.where(rule.eq("up"), up, np.where(rule.eq("half_up"), half, scaled))
    whole = ~rule.eq("whole").to_numpy() | (np.abs(scaled - np.round(scaled)) < 1e-6)
    # k / 10 is the same double as the decimal k/10 read from a table
    recorded = np.where(step.to_numpy() == 1.0, steps, steps / np.round(1 / step.to_numpy()))
    return (pd.Series(recorded, index=values.index),
            pd.Series(whole, index=values.index))


def _with_bmi(rows: pd.DataFrame, keys: list[str], tables: FitnessTables):
    """The scorable rows with BMI (体重/身高², to 0.1, half up) in place of height and weight.

    A given ``bmi`` row is used when height or weight is absent, and replaced (reported) when
    both are there and give a BMI more than 0.1 away.
    """
    def part(item: str) -> pd.DataFrame:
        return rows.loc[rows["item"].eq(item), [*keys, "value"]].rename(columns={"value": item})

    body = part("height").merge(part("weight"), on=keys)
    ratio = np.round(body["weight"].to_numpy() / (body["height"].to_numpy() / 100) ** 2 * 10, 6)
    body["computed"] = np.floor(ratio + 0.5) / 10
    low, high = tables.ranges.set_index("item").loc["bmi", ["low", "high"]]
    odd = (body["computed"] < low) | (body["computed"] > high)
    implausible = body[odd].rename(columns={"computed": "value"}).assign(item="bmi")
    body = body[~odd]
    given = part("bmi").merge(body[[*keys, "computed"]], on=keys, how="left")
    clash = given["computed"].notna() & ((given["bmi"] - given["computed"]).abs() > 0.1 + EPS)
    flagged = given[clash].rename(columns={"bmi": "value"}).assign(item="bmi")
    problems = [_flagged(flagged, slice(None), "bmi_replaced", [
        f"表中的体重指数 {v:g} 与身高、体重算出的 {c:g} 不一致：已按身高、体重计算，请核对。"
        for v, c in zip(flagged["value"], flagged["computed"])]),
        _flagged(implausible, slice(None), "out_of_range", [
            f"身高 {h:g}cm、体重 {w:g}kg 算出的体重指数 {v:g} 不可能（应在 {low:g}–{high:g}）："
            "请核对身高（厘米）和体重（千克）。"
            for h, w, v in zip(implausible["height"], implausible["weight"], implausible["value"])])]
    given["value"] = given["computed"].fillna(given["bmi"])
    alone = body.merge(given[keys], on=keys, how="left", indicator=True)
    alone = alone[alone["_merge"].eq("left_only")].rename(columns={"computed": "value"})
    bmi = pd.concat([given[[*keys, "value"]], alone[[*keys, "value"]]], ignore_index=True)
    scored = rows[~rows["item"].isin([*BODY, "bmi"])]
    return pd.concat([scored, bmi.assign(item="bmi")[scored.columns]], ignore_index=True), \
        [p.drop(columns=["computed", "height", "weight"], errors="ignore") for p in problems]


def _scored_items(rows: pd.DataFrame, keys: list[str], tables: FitnessTables) -> pd.DataFrame:
    """单项得分, 加分, 权重 and 单项等级 of every scorable row."""
    out = rows.reset_index(drop=True).copy()
    out["score"], out["bonus"] = np.nan, 0.0
    bmi = out["item"].eq("bmi")
    levels = {k: g for k, g in tables.levels.groupby(["item", "grade", "sex"])}
    bonus = {k: g for k, g in tables.bonus.groupby(["item", "grade", "sex"])}
    for (item, grade, sex), idx in out[~bmi].groupby(["item", "grade", "sex"]).groups.items():
        score, extra = _table_scores(out.loc[idx, "value"].to_numpy(), levels[(item, grade, sex)],
                                     bonus.get((item, grade, sex)), ITEMS[item][2])
        out.loc[idx, "score"], out.loc[idx, "bonus"] = score, extra
    out.loc[bmi, "score"], category = _bmi_scores(out[bmi], tables)
    out.loc[bmi, "bmi_category"] = category
    weights = tables.weights.set_index(["grade", "sex", "item"])["weight"]
    out["weight"] = weights.reindex(pd.MultiIndex.from_frame(out[["grade", "sex", "item"]])
                                    ).to_numpy()
    out["level"] = _levels(out["score"]).where(~bmi, None)
    out["order"] = out["item"].map(ORDER)
    out = out.sort_values([*keys, "order"], kind="stable").drop(columns="order")
    return out.reset_index(drop=True)


def _table_scores(values: np.ndarray, table: pd.DataFrame, bonus: pd.DataFrame | None,
                  higher: bool) -> tuple[np.ndarray, np.ndarray]:
    """The level each value reaches in one 评分表 (0 below the lowest), and its 加分.

    >>> t = pd.DataFrame({"score": [100, 80, 60], "threshold": [8.0, 9.0, 10.0]})
    >>> _table_scores(np.array([7.9, 8.0, 8.1, 10.0, 10.1]), t, None, higher=False)[0]
    array([100., 100.,  80.,  60.,   0.])
    """
    sign = 1.0 if higher else -1.0
    t = sign * table["threshold"].to_numpy(float)
    s = table["score"].to_numpy(float)
    order = np.lexsort((s, t))  # equal thresholds: the highest score wins
    t, s = t[order], s[order]
    at = np.searchsorted(t, sign * values + EPS, side="right") - 1
    score = np.where(at >= 0, s[np.clip(at, 0, None)], 0.0)
    extra = np.zeros(len(values))
    if bonus is not None:
        top = t[s == 100.0].min()
        beyond = sign * values - top
        steps = bonus.sort_values("excess")
        reached = np.searchsorted(steps["excess"].to_numpy(float), beyond + EPS, side="right")
        points = np.concatenate([[0.0], steps["bonus"].to_numpy(float)])
        extra = np.where(score == 100.0, points[reached], 0.0)
    return score, extra


def _bmi_scores(rows: pd.DataFrame, tables: FitnessTables) -> tuple[np.ndarray, np.ndarray]:
    """体重指数 score and category from the grade's and sex's bands (bounds to 0.1)."""
    score = np.full(len(rows), np.nan)
    category = np.full(len(rows), None, dtype=object)
    for (grade, sex), band in tables.bmi.groupby(["grade", "sex"]):
        mask = (rows["grade"].to_numpy() == grade) & (rows["sex"].to_numpy() == sex)
        if not mask.any():
            continue
        band = band.assign(low=band["low"].fillna(-np.inf)).sort_values("low")
        at = np.searchsorted(band["low"].to_numpy(float), rows["value"].to_numpy()[mask] + EPS,
                             side="right") - 1
        score[mask] = band["score"].to_numpy(float)[at]
        category[mask] = band["category"].to_numpy()[at]
    return score, category


def _levels(score: pd.Series) -> pd.Series:
    """等级 of scores on the standard's scale (None where missing)."""
    values = score.to_numpy(float)
    picked = np.select([values >= cut for cut, _ in LEVEL_CUTS], [name for _, name in LEVEL_CUTS],
                       FAIL).astype(object)
    picked[np.isnan(values)] = None
    return pd.Series(picked, index=score.index)


def _pupil_totals(items: pd.DataFrame, pupils: pd.DataFrame, keys: list[str],
                  tables: FitnessTables) -> pd.DataFrame:
    """标准分, 附加分, 学年总分, 等级 and the missing items of every pupil."""
    required = pupils.merge(tables.weights, on=["grade", "sex"])
    got = required.merge(items[[*keys, "item", "score", "bonus", "bmi_category"]],
                         on=[*keys, "item"], how="left")
    got["part"] = got["weight"] * got["score"]
    got["absent"] = got["score"].isna()
    grouped = got.groupby(keys, dropna=False, sort=False)
    totals = grouped.agg(standard_score=("part", "sum"), extra_score=("bonus", "sum"),
                         n_absent=("absent", "sum"))
    totals["missing"] = _missing_text(got, grouped.ngroup(), len(totals))
    totals.loc[totals["n_absent"] > 0, "standard_score"] = np.nan
    totals["total_score"] = totals["standard_score"] + totals["extra_score"]
    tenths = np.floor(np.round(totals["total_score"].to_numpy() * 10, 6) + 0.5) / 10
    totals["level"] = _levels(pd.Series(tenths, index=totals.index))
    bmi = items.loc[items["item"].eq("bmi"), [*keys, "value", "bmi_category"]]
    out = pupils.merge(bmi.rename(columns={"value": "bmi"}), on=keys, how="left")
    out = out.merge(totals.drop(columns="n_absent").reset_index(), on=keys, how="left")
    columns = [*keys, "bmi", "bmi_category", "standard_score", "extra_score", "total_score",
               "level", "missing"]
    return out[columns].reset_index(drop=True)


def _missing_text(got: pd.DataFrame, pupil: pd.Series, n: int) -> np.ndarray:
    """The absent required items of each pupil (in the standard's order), joined by "+"."""
    text = np.full(n, "", dtype=object)
    for item in ITEMS:
        rows = got["absent"].to_numpy() & got["item"].eq(item).to_numpy()
        if rows.any():
            at = pupil.to_numpy()[rows]
            text[at] = text[at] + item + "+"
    return np.array([t[:-1] for t in text], dtype=object)


def _problem_table(problems: list[pd.DataFrame], given: list[str]) -> pd.DataFrame:
    """One table of every row that was not scored, with what was done."""
    frames = [p for p in problems if len(p)]
    columns = [*given, "problem", "message"]
    if not frames:
        return pd.DataFrame(columns=[*columns, "action"])
    table = pd.concat(frames, ignore_index=True)
    table = table[[c for c in columns if c in table.columns]]
    table["action"] = table["problem"].map(ACTIONS)
    return table


def graduation_score(years: pd.DataFrame, *, by: str = "student_id", year: str = "grade",
                     total: str = "total_score") -> pd.DataFrame:
    """毕业成绩: 毕业当年学年总分 × 50% + 其他学年学年总分平均 × 50%.

    Parameters
    ----------
    years : DataFrame
        One row per pupil × school year, e.g. the ``pupils`` of :func:`score_fitness` for
        several years stacked.
    by : str
        The column naming the pupil.
    year : str
        The column ordering the years (the latest is the year of graduation).
    total : str
        The 学年总分 column.

    Returns
    -------
    DataFrame
        One row per pupil: ``by``, ``final_year``, ``final_score`` (毕业当年学年总分),
        ``other_mean`` (其他学年学年总分的平均), ``n_years``, ``graduation_score`` and
        ``level`` (等级 of the 毕业成绩 to 0.1). NaN when the pupil has only one year or any
        year's 学年总分 is missing: never a number from fewer years.

    Examples
    --------
    >>> y = pd.DataFrame({"student_id": ["a"] * 3, "grade": [7, 8, 9],
    ...                   "total_score": [70.0, 80.0, 90.0]})
    >>> g = graduation_score(y).iloc[0]
    >>> float(g["graduation_score"]), g["level"]
    (82.5, '良好')
    """
    ordered = years.reset_index(drop=True).sort_values([by, year], kind="stable")
    last = ordered.groupby(by, sort=False).tail(1).set_index(by)
    earlier = ordered.drop(index=ordered.groupby(by, sort=False).tail(1).index)
    grouped = earlier.groupby(by, sort=False)[total]
    out = pd.DataFrame({"final_year": last[year], "final_score": last[total]})
    out["other_mean"] = grouped.mean().reindex(out.index)
    gaps = earlier[total].isna().groupby(earlier[by], sort=False).sum()
    incomplete = ~out.index.isin(gaps.index) | (gaps.reindex(out.index).fillna(0) > 0)
    out["n_years"] = ordered.groupby(by, sort=False).size().reindex(out.index)
    out["graduation_score"] = (0.5 * out["final_score"] + 0.5 * out["other_mean"]).where(
        ~incomplete)
    tenths = np.floor(np.round(out["graduation_score"].to_numpy() * 10, 6) + 0.5) / 10
    out["level"] = _levels(pd.Series(tenths, index=out.index))
    return out.reset_index()
