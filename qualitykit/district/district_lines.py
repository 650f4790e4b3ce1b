"""上线情况 in the district report: the tables of ``qualitykit lines`` for the whole 联考.

The figures are computed by the same functions as ``qualitykit lines``
(:func:`qualitykit.district.lines_workbook.admission_tables` and ``effective_tables``, with the
same :class:`LinesRequest`); this module only keeps the tables the district report shows and
counts the 临界生 by school — the report holds counts, never a pupil's name or rank.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .lines import EFFECTIVE_METHODS
from .lines_workbook import LinesRequest, admission_tables, effective_tables

__all__ = ["DistrictLines", "district_lines", "critical_counts"]


@dataclass(frozen=True)
class DistrictLines:
    """The 上线 tables of a 联考 (identifier columns; rates are fractions).

    Attributes
    ----------
    request : LinesRequest
        The lines and the 有效分 method, as ``qualitykit lines`` takes them.
    district : DataFrame
        Each line over the whole 联考 (:func:`qualitykit.admission_lines` with ``by=()``).
    schools, classes : DataFrame
        上线人数 / 上线率 with the Wilson interval by school, and by class within its school.
    effective : DataFrame
        单科有效分 of the first line (or ``effective_line``) with 单科上线, 双上线, 命中率,
        贡献率 over the district (:func:`qualitykit.effective_scores`).
    effective_schools : DataFrame
        The same by school.
    methods : DataFrame
        Both methods' 有效分 side by side (``ratio_line``, ``mean_line``).
    critical : DataFrame
        临界生 counts by school × line (:func:`critical_counts`).
    """

    request: LinesRequest
    district: pd.DataFrame
    schools: pd.DataFrame
    classes: pd.DataFrame
    effective: pd.DataFrame
    effective_schools: pd.DataFrame
    methods: pd.DataFrame
    critical: pd.DataFrame


def district_lines(scores: pd.DataFrame, lines: str, *, method: str = "ratio",
                   band: float = 0.05) -> DistrictLines:
    """The 上线 tables of the district report, by the code of ``qualitykit lines``.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table of the 联考 (:attr:`DistrictData.scores`, without 总分 rows).
    lines : str
        ``"特控=0.05,本科=0.40"`` (shares of the sitters from the top) or scores
        ``"特控=700"`` (:func:`qualitykit.parse_lines`).
    method : {"ratio", "mean"}
        单科有效分: 比例法 (default) or 均值法, for the first line.
    band : float
        临界生: a share of the sitters (below 1) or a whole number of ranks.

    Returns
    -------
    DistrictLines

    Examples
    --------
    >>> from qualitykit.district.load import load_district
    >>> t = district_lines(load_district().scores, "特控=0.05,本科=0.40")
    >>> t.district[["line_name", "n_sat"]].values.tolist()
    [['特控', 526], ['本科', 526]]
    """
    if method not in EFFECTIVE_METHODS[:2]:
        raise ValueError(f"单科有效分算法 (method) 应为 ratio（比例法）或 mean（均值法），"
                         f"收到 {method!r}。")
    request = LinesRequest(lines=lines, method=method, band=band)
    admitted = admission_tables(scores, request, schools=True)
    effective = effective_tables(scores, request, schools=True)
    return DistrictLines(
        request=request, district=admitted["分数线"], schools=admitted["上线_学校"],
        classes=admitted["上线_班级"], effective=effective["单科有效分"],
        effective_schools=effective["单科有效分_学校"], methods=effective["有效分两种算法"],
        critical=critical_counts(admitted["临界生"], admitted["上线_学校"]))


def critical_counts(critical: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    """临界生 counts by school × line: ``n_critical_above`` (线上, at risk of falling) and
    ``n_critical_below`` (线下, within reach); every school and line has a row (0 when none).

    ``critical`` is :func:`qualitykit.critical_students`' list, ``schools`` the 上线 table
    by school (its rows give the schools and lines, in order).

    >>> lst = pd.DataFrame({"school": ["甲", "甲", "乙"], "line_name": ["线"] * 3,
    ...                     "side": ["above", "below", "below"]})
    >>> critical_counts(lst, pd.DataFrame({"school": ["甲", "乙", "丙"], "line_name": ["线"] * 3}))
      school line_name  n_critical_above  n_critical_below
    0      甲         线                 1                 1
    1      乙         线                 0                 1
    2      丙         线                 0                 0
    """
    keys = [k for k in ("exam", "school", "line_name") if k in schools and k in critical]
    counts = pd.crosstab([critical[k] for k in keys], critical["side"]).reindex(
        columns=["above", "below"]) if len(critical) else pd.DataFrame(
        columns=[*keys, "above", "below"]).set_index(keys)
    counts.columns.name = None
    out = schools[keys].merge(counts.reset_index(), on=keys, how="left")
    out = out.rename(columns={"above": "n_critical_above", "below": "n_critical_below"})
    for column in ("n_critical_above", "n_critical_below"):
        out[column] = out[column].fillna(0).astype(int)
    return out.reset_index(drop=True)
