"""The workbooks for staff: one sheet per table, Chinese headers (report layer).

- :func:`write_term_tables`: every table of the term report (``write_outputs`` writes it
  beside the Word report).
- :func:`write_targets`: ``培优补差.xlsx``, a summary sheet and one sheet per class. The lists
  show scores, lines and distances, never a grade rank; names can be masked (张＊) for copies
  that leave the staff room.
- :func:`write_paper`: ``试卷分析.xlsx`` of a paper analysis (no pupil appears in it).
- :func:`write_growth`: the tables of a cohort-and-growth study (notebook 02).

Each is for staff; every file is written through :func:`qualitykit.report.excel.write_sheets`
(formula-safe text).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ..io.excel import write_sheets
from ..labels import to_display
from ..lists.progress import Progress
from ..lists.targets import target_counts
from ..schema import unit_keys
from ..term.load import mask_names
from .display import in_view

__all__ = ["write_growth", "write_targets", "write_paper", "write_term_tables", "table_sheets",
           "TERM_SHEETS", "GROWTH_SHEETS", "FITNESS_SHEETS"]

#: The term report's workbook: table key → (sheet, view); every interval is kept.
TERM_SHEETS = {
    "basic": ("基本情况", "basic"), "summary": ("三率一分", None), "all_pass": ("全科合格率", None),
    "bands": ("分数段", None), "classes": ("班级与年级", None), "omnibus": ("班级差异检验", None),
    "change": ("与上次对比", None), "teachers": ("教师", None),
    "unmatched_teachers": ("编排表中未对上的班级", None), "counts": ("培优补差人数", "target_counts"),
    "paper": ("试卷整体", None), "items": ("小题分析", None), "knowledge": ("知识点得分率", None),
    "va_models": ("增值模型", None), "value_added": ("增值-班级", None),
    "growth": ("成长百分位-班级", None), "teacher_va": ("增值-教师", None),
    "level_basic": ("等级-全年级", None), "levels": ("等级分布", None),
    "level_omnibus": ("等级-班级差异检验", None), "level_classes": ("等级-班级与年级", None),
    "level_change": ("等级-与上次对比", None),
}
#: The growth workbook (notebook 02): table key → (sheet, view); every interval is kept.
GROWTH_SHEETS = {
    "cohort_indicators": ("届比较-指标", "cohort_indicators"),
    "cohort_effects": ("届比较-效应量", "cohort_effects"),
    "cohort_classes": ("追踪-各班去向", "cohort_classes"),
    "cohort_students": ("追踪-学生", "cohort_students"),
    "name_matches": ("追踪-按姓名匹配", "name_matches"),
    "value_added": ("增值-班级", None),
    "teacher_value_added": ("增值-教师", None),
    "va_models": ("增值-模型", None),
    "growth": ("成长百分位-班级", None),
    "growth_students": ("成长百分位-学生", "growth_students"),
    "trend": ("趋势", None),
    "trend_flags": ("趋势-提示", "trend_flags"),
}


def table_sheets(tables: Mapping[str, pd.DataFrame | None],
                 layout: Mapping[str, tuple[str, str | None]], *,
                 as_shown: tuple[str, ...] = ()) -> dict[str, pd.DataFrame]:
    """The sheets of a workbook: each table of ``layout`` in its view, for people.

    Parameters
    ----------
    tables : mapping
        Table key → computed table; missing or empty tables are left out.
    layout : mapping
        Table key → (sheet name, view of :data:`qualitykit.VIEWS` or None for every column),
        in the order of the sheets.
    as_shown : keys
        Tables that are already meeting tables (e.g. :func:`qualitykit.band_table`), written as
        they are.

    Returns
    -------
    dict
        Sheet name → table with Chinese headers, rates in %, every interval kept.
    """
    sheets = {}
    for key, (sheet, view) in layout.items():
        table = tables.get(key)
        if table is not None and not table.empty:
            sheets[sheet] = table if key in as_shown else to_display(in_view(table, view),
                                                                     intervals=True)
    return sheets


#: The 体质健康 sheets of the term workbook: key of
#: :func:`qualitykit.fitness_section_tables` → sheet (the report section's tables, no pupil).
FITNESS_SHEETS = {"fitness_rates": "体质健康-全年级等级", "fitness_classes": "体质健康-各班与年级",
                  "fitness_items": "体质健康-不及格最多的项目"}


def write_term_tables(path: str | Path, tables: Mapping[str, pd.DataFrame | None],
                      findings: pd.DataFrame | None = None, fitness=None) -> Path:
    """Write the term report's tables (keys of :data:`TERM_SHEETS`) to one workbook, and the
    findings as 存在问题线索; ``bands`` is written as it is (already a meeting table).

    ``fitness`` (a :class:`qualitykit.FitnessSection`) adds the 体质健康 section's tables
    (:data:`FITNESS_SHEETS`) with numbers as numbers and each interval's bounds."""
    from ..fitness.term_section import fitness_section_tables

    sheets = table_sheets(tables, TERM_SHEETS, as_shown=("bands",))
    if findings is not None and len(findings):
        sheets["存在问题线索"] = to_display(findings)
    shown = fitness_section_tables(fitness, text=False) if fitness is not None else {}
    sheets.update({FITNESS_SHEETS[key]: table for key, table in shown.items()
                   if table is not None})
    return write_sheets(path, sheets)


def write_growth(path: str | Path, tables: dict[str, pd.DataFrame]) -> Path | None:
    """Write the tables of notebook 02 (keys of :data:`GROWTH_SHEETS`) to one workbook.

    Staff only: the student sheets hold growth percentiles, which are not shown to pupils or
    parents. Empty or missing tables are left out; an empty ``path`` writes nothing.
    """
    if not path:
        return None
    return write_sheets(Path(path), table_sheets(tables, GROWTH_SHEETS))


def write_targets(path: str | Path, lists: pd.DataFrame, *, scores: pd.DataFrame | None = None,
                  progress: Progress | None = None, award: pd.DataFrame | None = None,
                  mask: bool = False) -> Path:
    """Write ``培优补差.xlsx``: 汇总, 进步之星候选 and 名单变动 (with ``progress``), 学习进步奖候选
    (with ``award``), one sheet per class.

    Parameters
    ----------
    path : path
        The workbook to write.
    lists : DataFrame
        :func:`qualitykit.targets`.
    scores : DataFrame, optional
        The exam's scores (adds 实考人数 to the summary).
    progress : Progress, optional
        :func:`qualitykit.progress` against the previous exam.
    award : DataFrame, optional
        :func:`qualitykit.progress_award`: the 后进生 who improved most, per class.
    mask : bool
        Names as 张＊.

    Examples
    --------
    >>> import tempfile, qualitykit as qk
    >>> scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> path = qk.write_targets(tempfile.mkdtemp() + "/培优补差.xlsx", qk.targets(scores))
    >>> import pandas as pd
    >>> list(pd.read_excel(path, sheet_name=None, engine="calamine"))[:3]
    ['汇总', '5-1班', '5-2班']
    """
    def shown(table: pd.DataFrame, view: str) -> pd.DataFrame:
        table = mask_names(table) if mask else table
        return to_display(in_view(table, view))

    sheets = {"汇总": shown(target_counts(lists, scores), "target_counts")}
    if progress is not None:
        sheets["进步之星候选"] = shown(progress.improved, "improved")
        sheets["名单变动"] = shown(progress.transitions[
            progress.transitions["transition"] != "stayed"], "transitions")
        sheets["名单变动汇总"] = shown(progress.summary, "transition_summary")
    if award is not None:
        award = award.dropna(axis=1, how="all")  # no teacher's reason, no SGP: no column
        sheets["学习进步奖候选"] = to_display(mask_names(award) if mask else award)
    keys = unit_keys(lists, ["class_id"])  # one sheet per class of each school (联考 lists)
    by_unit = {unit: rows for unit, rows in lists.groupby(keys, sort=True)}
    for unit in sorted(set(by_unit) | _classes_of(scores, keys)):
        sheets[f"{' '.join(map(str, unit))}班"] = shown(
            by_unit[unit].drop(columns=keys), "targets") if unit in by_unit else NO_TARGETS
    return write_sheets(path, sheets)


#: The sheet of a class none of whose pupils is on a list: its teachers find it, and why.
NO_TARGETS = pd.DataFrame({"说明": ["本次考试本班没有学生进入培优、临界、补差或偏科名单"
                                    "（各名单的规则和人数见“汇总”表）。"]})


def _classes_of(scores: pd.DataFrame | None, keys: list[str]) -> set[tuple]:
    """The classes of the exam's sheet (as ``keys`` tuples): each gets its sheet."""
    if scores is None or not set(keys) <= set(scores.columns):
        return set()
    return set(scores[keys].dropna().drop_duplicates().itertuples(index=False, name=None))


def write_paper(output_dir, paper, *, report=None, irt=None, name: str = "试卷分析.xlsx"):
    """Write a paper analysis to ``output_dir/试卷分析.xlsx`` (Chinese headers, every interval
    kept); returns the path, or None when ``output_dir`` is empty.

    Parameters
    ----------
    output_dir : path
        The folder (created); empty: write nothing.
    paper : PaperAnalysis
        :func:`qualitykit.paper_analysis`.
    report : ImportReport, optional
        The item table's import report, written as the sheet 导入问题.
    irt : PaperIRT, optional
        :func:`qualitykit.paper_irt`: the 教研员 sheets 项目参数 (with readings), 能力与分数线,
        试卷信息量, 项目功能差异.
    name : str
        The workbook's file name.

    Returns
    -------
    Path or None
        Sheets 试卷整体, 小题分析, 各班各题得分率, 选项分析, 知识点得分率 (the empty ones left
        out), the 教研员 sheets with ``irt``, and 导入问题 when ``report`` is given. No pupil
        appears in it (abilities are not written).
    """
    if not output_dir:
        return None
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    sheets = {"试卷整体": to_display(paper.paper, intervals=True),
              "小题分析": to_display(paper.items, intervals=True),
              "各班各题得分率": paper.class_difficulty,
              "选项分析": to_display(paper.distractors),
              "知识点得分率": to_display(paper.knowledge)}
    if irt is not None:
        sheets.update(irt_sheets(irt))
    if report is not None:
        sheets["导入问题"] = report.display_table()
    return write_sheets(out / name, {k: v for k, v in sheets.items() if not v.empty})


def irt_sheets(irt) -> dict[str, pd.DataFrame]:
    """The 教研员 sheets of a :class:`qualitykit.PaperIRT` (empty ones are left out)."""
    return {"项目参数": to_display(in_view(irt.items, "irt_items")),
            "能力与分数线": to_display(irt.lines),
            "试卷信息量": to_display(irt.information),
            "项目功能差异": to_display(irt.dif)}
