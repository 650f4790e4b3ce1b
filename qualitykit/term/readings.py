"""Plain readings of results already computed: how a class (or teacher) stands against the
grade, against what its pupils' last exam predicted, and which classes a rank cannot tell apart.

A report's body says "高于年级 / 低于年级 / 与年级无明显差别" where a statistician would print an
interval and a p value. These functions attach that reading as a coded column to a table the
kit computed (``summary``, ``teacher_table``, ``compare_exams``), taking it from the analysis
that holds the interval (``compare_classes``, ``value_added``). Nothing here computes a
statistic; the codes become Chinese words through :data:`qualitykit.labels.VALUE_LABELS`.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["against_grade", "against_expected", "rank_groups", "READINGS"]

#: The codes of ``vs_grade`` and ``vs_expected``.
READINGS = ("above", "below", "similar", "too_few")


def _keys(table: pd.DataFrame, unit: str) -> list[str]:
    # dict.fromkeys: ``unit="school"`` (schools of a 联考 against the district) names it once
    return [k for k in dict.fromkeys(("exam", "school", unit, "subject")) if k in table.columns]


def against_grade(table: pd.DataFrame, comparison, *, unit: str = "class_id") -> pd.DataFrame:
    """``table`` with ``vs_grade``: the unit's mean against the grade's, from ``comparison``.

    Parameters
    ----------
    table : DataFrame
        One row per unit × subject (``summary(scores)``, ``teacher_table(...)``).
    comparison : ClassComparison, its ``classes`` table, or None
        ``compare_classes(scores, group=unit)``.
    unit : str
        ``class_id`` or ``teacher``.

    Returns
    -------
    DataFrame
        A copy of ``table`` with ``vs_grade``: ``above`` / ``below`` (the interval of the
        difference from the grade excludes 0), ``similar`` (it includes 0), ``too_few`` (no
        interval: fewer than two pupils, or nobody else to compare with); missing where
        ``comparison`` has no row for the unit.

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> t = against_grade(qk.summary(s), qk.compare_classes(s))
    >>> t.loc[t["subject"] == "英语", ["class_id", "vs_grade"]].values.tolist()
    [['5-1', 'above'], ['5-2', 'above'], ['5-3', 'similar'], ['5-4', 'below']]
    """
    c = comparison if isinstance(comparison, pd.DataFrame) or comparison is None \
        else comparison.classes
    if c is None or c.empty or table is None or table.empty:
        return table if table is None else table.assign(vs_grade=pd.NA)
    keys = [k for k in _keys(table, unit) if k in c.columns]
    reading = pd.Series("similar", index=c.index, dtype=object)
    reading[c["significant"].fillna(False).astype(bool) & (c["diff"] > 0)] = "above"
    reading[c["significant"].fillna(False).astype(bool) & (c["diff"] < 0)] = "below"
    reading[c["p_value"].isna()] = "too_few"
    found = c[keys].assign(vs_grade=reading)
    return table.drop(columns="vs_grade", errors="ignore").merge(found, on=keys, how="left")


def against_expected(table: pd.DataFrame, va, *, unit: str = "class_id") -> pd.DataFrame:
    """``table`` with ``vs_expected``: the unit's value added since the last exam, read.

    Parameters
    ----------
    table : DataFrame
        One row per unit × subject (``compare_exams(...)``, ``teacher_table(...)``).
    va : ValueAdded or None
        ``value_added(scores, previous, by=unit)``.

    Returns
    -------
    DataFrame
        A copy of ``table`` with ``vs_expected``: ``above`` / ``below`` (the value-added
        interval lies above / below 0), ``similar`` (it contains 0), ``too_few`` (no interval);
        missing without ``va`` or for a unit it does not hold.

    Examples
    --------
    >>> import qualitykit as qk
    >>> now = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> before = qk.load_sample(exam="2024-2025-2 期末", grade=4)
    >>> t = against_expected(qk.compare_exams(now, before), qk.value_added(now, before))
    >>> t.loc[t["class_id"] == "5-4", "vs_expected"].tolist()
    ['similar', 'similar', 'below', 'above']
    """
    if table is None:
        return table
    if va is None or va.units.empty or unit not in va.units.columns:
        return table.assign(vs_expected=pd.NA)
    u = va.units
    keys = [k for k in _keys(table, unit) if k in u.columns and k != "exam"]
    reading = pd.Series("similar", index=u.index, dtype=object)
    reading[u["low"] > 0] = "above"
    reading[u["high"] < 0] = "below"
    reading[u["low"].isna() | u["high"].isna()] = "too_few"
    found = u[keys].assign(vs_expected=reading)
    return table.drop(columns="vs_expected", errors="ignore").merge(found, on=keys, how="left")


def rank_groups(table: pd.DataFrame, comparison, *, unit: str = "class_id") -> pd.DataFrame:
    """``table`` (with ``rank``) and, for each unit, the units its mean cannot be told from.

    A 名次 says one class is ahead of another; the post-hoc pairs of ``comparison`` say whether
    the data can tell them apart. ``indistinct`` lists, per unit × subject, the other units
    whose pair comparison is not significant ("" when every other unit differs from it).

    Returns
    -------
    DataFrame
        A copy of ``table`` (rows in the same order) with ``indistinct`` (units joined by "、";
        missing without ``comparison``).

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> t = rank_groups(qk.summary(s), qk.compare_classes(s))
    >>> t.loc[t["subject"] == "英语", ["class_id", "rank", "indistinct"]].values.tolist()
    [['5-1', 2, '5-2'], ['5-2', 1, '5-1'], ['5-3', 3, '5-4'], ['5-4', 4, '5-3']]
    """
    out = table.copy()
    if comparison is None or comparison.pairs.empty:
        return out.assign(indistinct=pd.NA)
    pairs = comparison.pairs
    calm = pairs[~pairs["significant"].fillna(False).astype(bool)]
    same: dict[tuple, list[str]] = {}
    for r in calm.itertuples():
        same.setdefault((r.subject, str(r.a)), []).append(str(r.b))
        same.setdefault((r.subject, str(r.b)), []).append(str(r.a))
    out["indistinct"] = ["、".join(sorted(same.get((s, str(u)), [])))
                         for s, u in zip(out["subject"], out[unit])]
    return out
