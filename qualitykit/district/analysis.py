"""Every table of the district report, computed once (the notebook and the per-school
feedback reports only show them)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from ..growth.value_added import ValueAdded, value_added
from ..term.compare import ClassComparison, compare_classes
from ..term.distribution import score_bands
from ..term.indicators import summary
from .balance import balance_indices
from .district_lines import DistrictLines, district_lines
from .load import GROUP, DistrictData
from .schools import (
    TOTAL,
    compare_district_classes,
    compare_schools,
    district_totals,
    in_file_order,
    vs_district,
    with_totals,
)

__all__ = ["DistrictAnalysis", "analyse_district", "TOTAL_BAND_WIDTH"]

#: Width of the 总分 score bands (points).
TOTAL_BAND_WIDTH = 50


@dataclass(frozen=True)
class DistrictAnalysis:
    """The tables of a 联考 analysis (all with identifier columns; rates are fractions).

    Attributes
    ----------
    district : DataFrame
        ``summary(by="subject")`` of the whole 联考, 总分 included.
    schools : DataFrame
        ``summary(by=["school", "subject"])`` with ``vs_district``.
    school_comparison : ClassComparison
        Each school against the district and the omnibus (no pairs of schools:
        :func:`compare_schools`).
    classes : DataFrame
        ``summary`` by school × class × subject with ``vs_district``.
    class_comparison : ClassComparison
        Each class against the district's pupils (no pairs).
    bands : DataFrame
        分数段 by school × subject (总分 in bands of :data:`TOTAL_BAND_WIDTH`).
    balance, class_balance, school_class_balance : DataFrame
        均衡 indices per subject: of the schools; of all classes (each within its school); of
        each school's classes (:func:`balance_indices`).
    groups : DataFrame or None
        ``summary`` by 片区 × subject with ``vs_district`` (None without groups).
    group_comparison : ClassComparison or None
    value_added : ValueAdded or None
        School value added since the earlier 联考 (None without one).
    totals : DataFrame
        Every pupil's 总分 with 联考排名 and 校排名 (staff only; not printed in the reports).
    lines : DistrictLines or None
        上线情况 for the admission lines asked for (None without lines).
    """

    district: pd.DataFrame
    schools: pd.DataFrame
    school_comparison: ClassComparison
    classes: pd.DataFrame
    class_comparison: ClassComparison
    bands: pd.DataFrame
    balance: pd.DataFrame
    class_balance: pd.DataFrame
    school_class_balance: pd.DataFrame
    groups: pd.DataFrame | None
    group_comparison: ClassComparison | None
    value_added: ValueAdded | None
    totals: pd.DataFrame
    lines: DistrictLines | None = None


def analyse_district(data: DistrictData, *, lines: str | None = None,
                     lines_method: str = "ratio") -> DistrictAnalysis:
    """Compute every table of the district report from :func:`load_district`'s data.

    Parameters
    ----------
    data : DistrictData
    lines : str, optional
        Admission lines as ``qualitykit lines`` takes them (``"特控=0.05,本科=0.40"`` or
        ``"特控=700"``): adds 上线情况 (:func:`district_lines`); None or "": none.
    lines_method : {"ratio", "mean"}
        单科有效分 of the first line: 比例法 or 均值法.

    Examples
    --------
    >>> from qualitykit.district.load import load_district
    >>> a = analyse_district(load_district())
    >>> sorted(a.schools["vs_district"].dropna().unique())
    ['above', 'below', 'similar']
    """
    std = data.standard
    totals = district_totals(data.scores)
    scores = with_totals(data.scores, totals)
    school_cmp = compare_schools(scores)
    class_cmp = compare_district_classes(scores)
    groups, group_cmp = _group_tables(data, scores)
    tables = DistrictAnalysis(
        district=summary(scores, by="subject", standard=std),
        schools=vs_district(_summary(data, scores, ["school", "subject"]), school_cmp),
        school_comparison=school_cmp,
        classes=vs_district(_summary(data, scores, ["class_id", "subject"]), class_cmp,
                            unit="class_id"),
        class_comparison=class_cmp, bands=_bands(scores),
        balance=balance_indices(scores), class_balance=balance_indices(scores, unit="class_id"),
        school_class_balance=balance_indices(scores, unit="class_id",
                                             within=("school", "subject")),
        groups=groups, group_comparison=group_cmp,
        value_added=value_added(data.scores, data.previous, by="school", standard=std)
        if data.previous is not None else None, totals=totals,
        lines=district_lines(data.scores, lines, method=lines_method) if lines else None)
    return _schools_in_file_order(tables, data.schools)


def _schools_in_file_order(tables: DistrictAnalysis, schools: list[str]) -> DistrictAnalysis:
    """The tables of schools with the schools in the file's order, as the README says (a
    group-by sorts them by character code: 一中, 三中, 二中 …); pupils' lists as they are."""
    names = ("schools", "classes", "bands", "school_class_balance", "totals")
    tables = replace(tables, **{n: in_file_order(getattr(tables, n), schools) for n in names})
    comparison = tables.school_comparison  # the chart of the schools' means draws its rows
    tables = replace(tables, school_comparison=replace(
        comparison, classes=in_file_order(comparison.classes, schools)))
    if tables.value_added is not None:
        units = in_file_order(tables.value_added.units, schools)
        tables = replace(tables, value_added=replace(tables.value_added, units=units))
    return tables


def _summary(data: DistrictData, scores: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """三率一分 with 总分 by ``by``, on the data's engine (DuckDB over its Parquet files, or
    pandas on ``scores``, the table with the 总分 rows)."""
    if data.engine == "duckdb":
        from .engine import summary_duckdb

        return summary_duckdb(list(data.parquet), by=by, standard=data.standard,
                              with_totals=True)
    return summary(scores, by=by, standard=data.standard)


def _bands(scores: pd.DataFrame) -> pd.DataFrame:
    """分数段 by school × subject; 总分 (no full mark) in wider bands."""
    subjects = scores[scores["subject"] != TOTAL]
    parts = [score_bands(subjects, by=["school", "subject"])]
    totals = scores[scores["subject"] == TOTAL]
    if len(totals):  # one set of edges for every school, up to the district's best 总分
        top = math.ceil(max(float(totals["score"].max()), 1.0) / TOTAL_BAND_WIDTH)
        edges = [TOTAL_BAND_WIDTH * i for i in range(top + 1)]
        edges = edges + [edges[-1] + TOTAL_BAND_WIDTH] if len(edges) < 2 else edges
        parts.append(score_bands(totals, by=["school", "subject"], edges=edges))
    return pd.concat(parts, ignore_index=True)


def _group_tables(data: DistrictData, scores: pd.DataFrame):
    """片区 / 城乡 groups against the district (None, None without groups)."""
    if GROUP not in scores.columns:
        return None, None
    comparison = compare_classes(scores, group=GROUP)
    table = summary(scores, by=[GROUP, "subject"], standard=data.standard)
    return vs_district(table, comparison, unit=GROUP), comparison
