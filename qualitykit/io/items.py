"""Read item-level (小题) scores into the canonical item table.

Marking systems export item scores in three shapes, all read here with the score importer's
rules (every row is in the data or in the import report; errors name file, sheet, Excel row
and column, and say how to fix the sheet):

* **wide**: one row per student, one column per item (第1题, 1, T1, 17(2), 选择3, ``1(2分)``);
  the items' 满分, 知识点, 题型 and 答案 in a second sheet (小题信息: 题号, 满分 …), in rows
  right under the header (a row starting 满分 / 分值 / 知识点 / 题型 / 答案), in the header
  itself (``1(2分)``) or given with ``info=``;
* **long**: one row per student × item (学号, 题号, 得分);
* **raw answers**: the letters students chose (A–E, ``ABD`` for multiple answers) in a
  multiple-choice column, scored here against the key (答案 in the info, or ``key=``): the
  item's full mark when the answer equals the key, else 0. A blank answer of a student who
  sat the paper is scored 0 and kept as option ``""`` (未作答).

A blank *score* cell stays missing (NaN) and is listed in the report; how the analysis treats
it is chosen there (:func:`qualitykit.item_analysis`, ``missing=``). A student with no item
score at all, or marked 缺考 / 请假 …, did not sit the paper: the row is reported, not imported.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ._cells import blank
from ._item_file import (
    ITEM_COLUMNS,
    ItemImport,
    answer_scores,
    finish_items,
    info_frame,
    key_map,
    norm_option,
)
from .problems import ImportReport, ScoreFileError, error_message

__all__ = ["read_items", "check_items", "item_table", "ITEM_COLUMNS", "item_pupils_hint"]

PathLike = str | os.PathLike


# --------------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------------
def read_items(
    path: PathLike,
    *,
    sheet: str | int | Iterable[str | int] | None = None,
    info: PathLike | pd.DataFrame | None = None,
    key: Mapping[str, str] | Iterable[str] | None = None,
    item_max: float | Mapping[str, float] | None = None,
    exam: str | None = None,
    subject: str | None = None,
    grade: int | None = None,
    school: str | None = None,
    strict: bool = True,
) -> pd.DataFrame:
    """Read a 小题分 file (Excel or CSV) into the canonical item table.

    Parameters
    ----------
    path : path
        The item file: wide (one column per item), long (学号, 题号, 得分) or raw answers.
    sheet : str, int or list, optional
        The sheet(s) with the students' rows; by default every sheet with a student header.
        An info sheet (题号 + 满分/知识点/题型/答案) is found by its header.
    info : path or DataFrame, optional
        The items' 满分, 知识点, 题型, 答案 when the file does not hold them: columns 题号 (or
        ``item_id``), 满分 (``item_max``), 知识点 (``knowledge_point``; several separated by
        、or ;), 题型 (``item_type``), 答案 (``key``).
    key : mapping or list, optional
        The answer key for multiple-choice items: ``{"1": "B", …}`` or the letters in item
        order. Overrides 答案 in the info.
    item_max : float or mapping, optional
        Full mark of every item, or per item, when neither the file nor ``info`` says.
    exam, subject, grade, school : optional
        When the title and the file name do not say (e.g. ``subject="数学"``).
    strict : bool, default True
        Raise :class:`~qualitykit.ScoreFileError` on any error; with ``strict=False`` use
        :func:`check_items` to see the report.

    Returns
    -------
    DataFrame
        One row per student × item: see :data:`ITEM_COLUMNS`. ``score`` is NaN for a blank
        score cell; ``option``/``key`` are set for multiple-choice answers.

    Examples
    --------
    >>> import qualitykit as qk
    >>> items = qk.read_items(qk.sample_path(kind="items", grade=5))
    >>> items[["class_id", "item_id", "score", "item_max", "option", "key"]].head(2)
      class_id item_id  score  item_max option key
    0      5-1       1    2.0       2.0      A   A
    1      5-1       2    2.0       2.0      A   A
    """
    report = check_items(path, sheet=sheet, info=info, key=key, item_max=item_max, exam=exam,
                         subject=subject, grade=grade, school=school)
    if strict and not report.ok:
        raise ScoreFileError(error_message(report).replace("成绩表", "小题分表"),
                             file=str(path), report=report)
    return report.data


def check_items(path: PathLike, **options) -> ImportReport:
    """Import an item file leniently and return its :class:`~qualitykit.ImportReport`.

    Takes the options of :func:`read_items` (except ``strict``); ``report.data`` holds what
    could be imported and ``report.ok`` is False when there are errors.
    """
    options.pop("strict", None)
    return ItemImport(Path(path), **options).run()


def item_table(data: pd.DataFrame, *, item_max: float | Mapping[str, float] | None = None,
               key: Mapping[str, str] | Iterable[str] | None = None,
               info: pd.DataFrame | None = None, student_id: str | None = None,
               exam: str = "", subject: str = "", class_id: str = "") -> pd.DataFrame:
    """The canonical item table from a DataFrame already in memory (a researcher's data).

    Parameters
    ----------
    data : DataFrame
        Wide: one row per student, one column per item (other columns are kept out by
        ``student_id`` or by not being items: pass only the item columns plus the id).
        Long: columns ``student_id``, ``item_id``, ``score`` (and optionally ``item_max``,
        ``knowledge_point``, ``item_type``, ``option``, ``key``, ``class_id``).
    item_max : float or mapping, optional
        Full mark per item; by default the info's, else the highest score seen (said in a
        warning, since nobody may have reached the full mark).
    key : mapping or list, optional
        Answer key: the wide cells are then the chosen options, scored here.
    info : DataFrame, optional
        ``item_id`` with ``item_max``, ``knowledge_point``, ``item_type``, ``key``.
    student_id : str, optional
        The id column of a wide table; rows are numbered 1, 2, … without one.

    Examples
    --------
    >>> wide = pd.DataFrame({"Q1": [1, 0, 1], "Q2": [2, 1, 0]})
    >>> item_table(wide, item_max={"Q1": 1, "Q2": 2})[["student_id", "item_id", "score", "item_max"]]
      student_id item_id  score  item_max
    0          1      Q1    1.0       1.0
    1          1      Q2    2.0       2.0
    2          2      Q1    0.0       1.0
    3          2      Q2    1.0       2.0
    4          3      Q1    1.0       1.0
    5          3      Q2    0.0       2.0
    """
    if {"student_id", "item_id", "score"} <= set(data.columns):
        long = data.copy()
        long["item_id"] = long["item_id"].astype(str)
    else:
        long = _melt_items(data.copy(), student_id, key)
    if info is not None:
        long = _with_info(long, info_frame(info))
    if item_max is not None:
        if isinstance(item_max, Mapping):
            long["item_max"] = long["item_id"].map({str(k): float(v) for k, v in item_max.items()})
        else:
            long["item_max"] = float(item_max)
    if "key" in long and "option" in long:
        _score_options(long)
    if "item_max" not in long or long["item_max"].isna().any():
        seen = long.groupby("item_id", sort=False)["score"].max()
        fill = long["item_id"].map(seen)
        if "item_max" in long:
            fill = long["item_max"].fillna(fill)
        long["item_max"] = fill
        warnings.warn("未给出部分小题的满分 (item_max)，暂以最高得分作为满分；"
                      "请用 item_max= 或 info= 写明。", stacklevel=2)
    for col, value in (("exam", exam), ("subject", subject), ("class_id", class_id)):
        if col not in long:
            long[col] = value
    return finish_items(long.reset_index(drop=True))


def _with_info(long: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """The items' info (full marks, knowledge points, types, key) over the table's own."""
    long = long.drop(columns=[c for c in ("item_max", "knowledge_point", "item_type", "key")
                              if c in long and c in info], errors="ignore")
    return long.merge(info, on="item_id", how="left")


def _melt_items(frame: pd.DataFrame, student_id: str | None, key) -> pd.DataFrame:
    """A wide table (one column per item) as one row per student × item, each student's items
    together in column order; with a key, the keyed cells are options (``option``, ``key``)."""
    if student_id is not None:
        ids = frame.pop(student_id).astype(str).to_numpy()
    else:
        ids = np.arange(1, len(frame) + 1).astype(str)
    frame.columns = [str(c) for c in frame.columns]
    long = frame.assign(student_id=ids).melt(id_vars="student_id", var_name="item_id",
                                              value_name="_cell")
    # melt stacks column by column; put each student's items together, in column order
    long["_row"] = np.tile(np.arange(len(frame)), len(frame.columns))
    long = long.sort_values("_row", kind="stable").drop(columns="_row")
    keys = key_map(key, list(frame.columns))
    keyed = long["item_id"].isin(keys.keys())
    long["score"] = pd.to_numeric(long["_cell"].where(~keyed), errors="coerce")
    if keys:
        option = long["_cell"].map(lambda v: norm_option(v) if not blank(v) else "")
        long["option"] = option.where(keyed, None)
        long["key"] = long["item_id"].map(keys)
    return long.drop(columns="_cell")


def _score_options(long: pd.DataFrame) -> None:
    """Score the options chosen on keyed items in place (a keyed item without a full mark is
    worth 1 point)."""
    mc = long["option"].notna() & long["key"].notna()
    if "item_max" not in long:
        long["item_max"] = np.where(mc, 1.0, np.nan)
    long["item_max"] = long["item_max"].where(long["item_max"].notna() | ~mc, 1.0)
    keys = long["key"].map(lambda k: norm_option(k) if isinstance(k, str) else k)
    long.loc[mc, "score"] = answer_scores(long.loc[mc, "option"], keys[mc],
                                           long.loc[mc, "item_max"])


def item_pupils_hint(items: pd.DataFrame, scores: pd.DataFrame, file: str) -> str | None:
    """A Chinese line when fewer than half of the 小题分 file's pupils are in the score sheet
    (by 学号): another exam's or grade's file, or one keyed by 考号; None otherwise.

    >>> items = pd.DataFrame({"student_id": ["1", "2", "3"]})
    >>> item_pupils_hint(items, pd.DataFrame({"student_id": ["1", "2"]}), "小题分.xlsx") is None
    True
    >>> item_pupils_hint(items, pd.DataFrame({"student_id": ["7"]}), "小题分.xlsx")[:31]
    '小题分.xlsx 的 3 名学生中只有 0 人的学号在成绩表中'
    """
    pupils = set(items["student_id"].astype(str))
    found = len(pupils & set(scores["student_id"].astype(str)))
    if not pupils or found >= 0.5 * len(pupils):
        return None
    return (f"{file} 的 {len(pupils)} 名学生中只有 {found} 人的学号在成绩表中：如果是另一次考试或另一个年级的"
            "小题分，请换成本次的文件；如果小题分用的是考号，试卷分析照常（班级取自小题分文件）。")
