"""知识点得分率: how much of each knowledge point the students earned, per class and grade.

得分率 of a knowledge point = points earned on the items that test it / points possible on
them, each item weighted by its Q-matrix entry (1 when the item simply tests the point; a
researcher's Q-matrix may give weights such as 0.5). An item tagged with several points in the
``knowledge_point`` column (``数与运算、数量关系``) counts fully toward each of them.

A student *loses* a knowledge point when his own 得分率 on it is below the pass share
(``Standard.pass_line``, 60 %). 共性弱项 (a weakness shared by the group): 得分率 below
``knowledge_weak_rate`` (40 %) with at least ``knowledge_weak_share`` (30 %) of the students
losing the point.
"""

from __future__ import annotations

import re

import pandas as pd

from ..standard import Standard, get_standard
from .analysis import PAPER_KEYS, unchosen_optional

__all__ = ["knowledge_points", "qmatrix", "GRADE_ROW"]

GRADE_ROW = "全年级"
_SEPARATORS = re.compile(r"[、,，;；/|]+")


def qmatrix(items: pd.DataFrame) -> pd.DataFrame:
    """The long Q-matrix of the item table's ``knowledge_point`` column.

    Returns ``item_id``, ``knowledge_point``, ``weight`` (1), one row per item × point.

    >>> qmatrix(pd.DataFrame({"item_id": ["1", "2"], "knowledge_point": ["分数、小数", "分数"]}))
      item_id knowledge_point  weight
    0       1              分数     1.0
    1       1              小数     1.0
    2       2              分数     1.0
    """
    if "knowledge_point" not in items.columns:
        return pd.DataFrame(columns=["item_id", "knowledge_point", "weight"])
    tags = items.drop_duplicates("item_id")[["item_id", "knowledge_point"]].dropna()
    rows = [{"item_id": r.item_id, "knowledge_point": point, "weight": 1.0}
            for r in tags.itertuples() for point in _SEPARATORS.split(str(r.knowledge_point))
            if point.strip()]
    return pd.DataFrame(rows, columns=["item_id", "knowledge_point", "weight"])


def _long_q(q: pd.DataFrame) -> pd.DataFrame:
    """A Q-matrix given wide (item × point columns of weights) or long, as long."""
    if {"item_id", "knowledge_point", "weight"} <= set(q.columns):
        out = q[["item_id", "knowledge_point", "weight"]].copy()
    else:
        first = "item_id" if "item_id" in q.columns else q.columns[0]
        out = q.melt(id_vars=first, var_name="knowledge_point", value_name="weight").rename(
            columns={first: "item_id"})
    out["item_id"] = out["item_id"].astype(str)
    out["weight"] = pd.to_numeric(out["weight"], errors="coerce")
    return out[out["weight"] > 0].reset_index(drop=True)


def knowledge_points(items: pd.DataFrame, *, by: str | None = "class_id",
                     q: pd.DataFrame | None = None, standard: Standard | str | None = None,
                     missing: str = "zero") -> pd.DataFrame:
    """知识点得分率 per knowledge point, for the grade and each group (class).

    Parameters
    ----------
    items : DataFrame
        The canonical item table.
    by : str or None
        Groups besides the grade row (``"class_id"``); None gives the grade only.
    q : DataFrame, optional
        A Q-matrix: wide (an item column, then one column of weights per knowledge point, as
        in cognitive-diagnosis data) or long (``item_id``, ``knowledge_point``, ``weight``).
        By default from the ``knowledge_point`` column.
    standard : Standard, preset name or TOML path
        ``pass_line``, ``knowledge_weak_rate``, ``knowledge_weak_share``.
    missing : {"zero", "skip"}
        A blank item score counts 0 of its points (default) or is left out of both the
        earned and the possible points.

    Returns
    -------
    DataFrame
        One row per paper × group × knowledge point: the group column (``class_id``;
        ``全年级`` on the grade row), ``knowledge_point``, ``n_items``, ``points`` (full
        marks on it), ``n_students``,
        ``rate`` (得分率), ``grade_rate``, ``diff`` (rate − grade rate), ``share_losing``
        (students below the pass share on it) and ``weak`` (共性弱项).

    Examples
    --------
    >>> import qualitykit as qk
    >>> kp = qk.knowledge_points(qk.read_items(qk.sample_path(kind="items", grade=5)))
    >>> kp[kp["class_id"] == "全年级"][["knowledge_point", "n_items", "points", "weak"]].head(2)
      knowledge_point  n_items  points   weak
    4           图形与几何        3    10.0  False
    9            数与运算        4    23.0  False
    """
    std = get_standard(standard)
    if missing not in ("zero", "skip"):
        raise ValueError(f"missing 应为 'zero' 或 'skip'，收到 {missing!r}。")
    weights = _long_q(q) if q is not None else qmatrix(items)
    if weights.empty:
        return pd.DataFrame(columns=["class_id", "knowledge_point", "n_items", "points",
                                     "n_students", "rate", "grade_rate", "diff",
                                     "share_losing", "weak"])
    data = _weighted_scores(items, weights, missing)
    keys = [k for k in PAPER_KEYS if k in data.columns]
    per_student = _per_student(data, keys, by, std)
    col = by or "class_id"
    grade = _summarise(per_student, [*keys, "knowledge_point"]).assign(**{col: GRADE_ROW})
    parts = [_summarise(per_student, [*keys, by, "knowledge_point"])] if by else []
    out = _against_grade(pd.concat([*parts, grade], ignore_index=True), grade, data, keys, std)
    return _in_report_order(out, grade, keys, col)


def _weighted_scores(items: pd.DataFrame, weights: pd.DataFrame, missing: str) -> pd.DataFrame:
    """One row per student × item × knowledge point: ``earned`` and ``possible`` points,
    weighted by the Q-matrix; a blank scores 0 (``zero``) or is left out (``skip``); the 选做
    item a student did not choose is left out (its points are not his)."""
    items = items[~unchosen_optional(items)]
    data = items[items["item_id"].isin(set(weights["item_id"]))].copy()
    if missing == "zero":
        data["score"] = data["score"].fillna(0.0)
    else:
        data = data[data["score"].notna()]
    data = data.drop(columns=["knowledge_point"], errors="ignore").merge(
        weights, on="item_id", how="inner")
    data["earned"] = data["score"] * data["weight"]
    data["possible"] = data["item_max"] * data["weight"]
    return data


def _per_student(data: pd.DataFrame, keys: list[str], by: str | None,
                 std: Standard) -> pd.DataFrame:
    """Each student's points on each knowledge point, his own 得分率 and whether he loses the
    point (below the pass share)."""
    per_student = data.groupby([*keys, *([by] if by else []), "student_id", "knowledge_point"],
                               sort=False, dropna=False)[["earned", "possible"]].sum()
    per_student["own"] = per_student["earned"] / per_student["possible"]
    per_student["losing"] = per_student["own"] < std.pass_line
    return per_student.reset_index()


def _summarise(frame: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Per ``group``: ``n_students``, ``share_losing`` and ``rate`` (earned / possible)."""
    out = frame.groupby(group, sort=False, dropna=False).agg(
        earned=("earned", "sum"), possible=("possible", "sum"),
        n_students=("student_id", "nunique"), share_losing=("losing", "mean"))
    out["rate"] = out["earned"] / out["possible"]
    return out.drop(columns=["earned", "possible"]).reset_index()


def _against_grade(out: pd.DataFrame, grade: pd.DataFrame, data: pd.DataFrame, keys: list[str],
                   std: Standard) -> pd.DataFrame:
    """The rates with ``n_items``, ``points``, ``grade_rate``, ``diff`` and ``weak``."""
    point = [*keys, "knowledge_point"]
    items_per = data.groupby(point, sort=False, dropna=False).agg(
        n_items=("item_id", "nunique"))
    points = data.drop_duplicates([*keys, "item_id", "knowledge_point"]).groupby(
        point, sort=False, dropna=False)["possible"].sum().rename("points")
    out = out.join(items_per, on=point).join(points, on=point)
    out = out.merge(grade[[*point, "rate"]].rename(columns={"rate": "grade_rate"}), on=point,
                    how="left")
    out["diff"] = out["rate"] - out["grade_rate"]
    out["weak"] = (out["rate"] < std.knowledge_weak_rate) & (
        out["share_losing"] >= std.knowledge_weak_share)
    return out


def _in_report_order(out: pd.DataFrame, grade: pd.DataFrame, keys: list[str],
                     col: str) -> pd.DataFrame:
    """Weakest knowledge points first (by the grade's rate), classes in order, grade row last;
    the documented columns."""
    order = grade.sort_values([*keys, "rate"], kind="stable")["knowledge_point"].tolist()
    out["_kp"] = out["knowledge_point"].map({k: i for i, k in enumerate(dict.fromkeys(order))})
    out["_grade"] = out[col] == GRADE_ROW
    out = out.sort_values([*keys, "_kp", "_grade", col], kind="stable")
    columns = [*keys, col, "knowledge_point", "n_items", "points", "n_students", "rate",
               "grade_rate", "diff", "share_losing", "weak"]
    return out[columns].reset_index(drop=True).astype({"n_items": int, "n_students": int,
                                                        "points": float})
