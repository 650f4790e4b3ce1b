"""体质健康 in the term report: the grade's 体测 results beside its exam results.

When ``qualitykit report … --fitness 体测.xlsx`` (the notebook's ``fitness_file``) is given, the
term report gains a short section: the grade's 等级 rates with their intervals, each class read
against the grade (高于 / 低于 / 与年级无明显差别, never a league order), the items with the most
不及格, and how many pupils are on the 不及格 list (the list itself stays in the 体质健康分析 of
``qualitykit fitness``). :func:`fitness_findings` gives the 主要结论 sentences, only where an
interval supports them.

The file is read and scored as ``qualitykit fitness`` does (:func:`qualitykit.read_fitness`,
:func:`qualitykit.score_fitness`); its pupils keep the class that ``read_fitness`` gives them
(``五(1)班`` → ``5-1``, as the score sheet's classes are named). A whole-school file is cut to
the report's grade; a file without a pupil of that grade is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..labels import VALUE_LABELS
from .analysis import compare_fitness_classes, fitness_rates, item_rates
from .items import GRADE_NAMES

__all__ = ["FitnessSection", "fitness_section", "fitness_section_of", "fitness_findings", "fitness_section_text",
           "fitness_section_tables", "FITNESS_TOP_ITEMS"]

#: How many items the section names among those with the most 不及格.
FITNESS_TOP_ITEMS = 3


@dataclass(frozen=True)
class FitnessSection:
    """The grade's 体测 results for the term report.

    Attributes
    ----------
    grade : int
        The report's grade.
    file : str
        The 体测 file's name.
    rates : DataFrame
        :func:`qualitykit.fitness_rates` of the grade (one row).
    classes : DataFrame
        :func:`qualitykit.fitness_rates` by class with ``diff``, ``diff_low``, ``diff_high``,
        ``significant`` (:func:`qualitykit.compare_fitness_classes`: each class's mean 学年总分
        against the grade, Welch, Bonferroni over the classes) and ``vs_grade``.
    items : DataFrame
        :func:`qualitykit.item_rates` of the grade, the most 不及格 first (ties in the
        standard's order of items).
    n_failing : int
        Pupils with at least one item 不及格 (the length of the 不及格 list, counted once).
    n_failing_rows : int
        Rows of the 不及格 list (a pupil with two items 不及格 counts twice).
    n_in_sheet : int
        The grade's pupils of the 体测 file whose 学籍号 is on the score sheet.
    extra_classes : tuple of str
        Classes of the 体测 file that the score sheet does not have.
    n_problems : int
        Import and scoring problems (listed by ``qualitykit fitness``).
    """

    grade: int
    file: str
    rates: pd.DataFrame
    classes: pd.DataFrame
    items: pd.DataFrame
    n_failing: int
    n_failing_rows: int
    n_in_sheet: int
    extra_classes: tuple
    n_problems: int


def fitness_section(fitness_file: str | Path, scores: pd.DataFrame, *, grade: int,
                    confidence: float = 0.95) -> FitnessSection:
    """Read and score a 体测 file and compute the term report's 体质健康 section.

    Parameters
    ----------
    fitness_file : path
        The school's 体测 export (any layout :func:`qualitykit.read_fitness` reads; a whole
        school's file is cut to ``grade``).
    scores : DataFrame
        The term's long scores (``TermData.scores``): its classes and 学籍号.
    grade : int
        The report's grade.
    confidence : float
        Level of the intervals.

    Returns
    -------
    FitnessSection

    Raises
    ------
    FitnessError
        The file has no scored pupil of ``grade`` (another grade's file): a Chinese message.

    Examples
    --------
    >>> import qualitykit as qk
    >>> term = qk.load_term(exam="2025-2026-1 期末", grade=5)
    >>> s = qk.fitness_section(qk.fitness_sample_path(2025), term.scores, grade=5)
    >>> int(s.rates["n"].iloc[0]), s.n_in_sheet, s.extra_classes, s.n_failing
    (156, 171, (), 27)
    """
    from .read import read_fitness
    from .score import score_fitness

    measurements, report = read_fitness(fitness_file)
    scored = score_fitness(_of_grade(measurements, grade, Path(fitness_file).name))
    return fitness_section_of(scored, scores, grade=grade, file=Path(fitness_file).name,
                      n_import_problems=len(report.problems), confidence=confidence)


def fitness_section_of(scored, scores: pd.DataFrame, *, grade: int, file: str = "",
               n_import_problems: int = 0, confidence: float = 0.95) -> FitnessSection:
    """The 体质健康 section from pupils already scored (:func:`fitness_section` without the
    reading).

    Parameters
    ----------
    scored : FitnessScores
        :func:`qualitykit.score_fitness` of the grade's pupils (``pupils``, ``items``,
        ``problems``).
    scores : DataFrame
        The term's long scores (its classes and 学籍号).
    grade : int
    file : str
        The 体测 file's name, as the section names it.
    n_import_problems : int
        Problems of the import report (counted with the scoring problems).
    confidence : float

    Returns
    -------
    FitnessSection
    """
    pupils, items = scored.pupils, scored.items
    compared = compare_fitness_classes(pupils, confidence=confidence).classes
    classes = _against_grade(fitness_rates(pupils, by=("grade", "class_id"),
                                           confidence=confidence), compared)
    failing = items[items["level"] == "不及格"]
    in_sheet = set(scores["class_id"].astype(str))
    return FitnessSection(
        grade=int(grade), file=file,
        rates=fitness_rates(pupils, by="grade", confidence=confidence),
        classes=classes, items=_most_failed(item_rates(items, by="grade",
                                                        confidence=confidence)),
        n_failing=int(failing["student_id"].nunique()), n_failing_rows=len(failing),
        n_in_sheet=int(pupils["student_id"].isin(set(scores["student_id"])).sum()),
        extra_classes=tuple(sorted(set(pupils["class_id"].astype(str)) - in_sheet)),
        n_problems=n_import_problems + len(scored.problems))


def _of_grade(measurements: pd.DataFrame, grade: int, name: str) -> pd.DataFrame:
    """The rows of the report's grade; a Chinese error naming the file's grades when none."""
    from .score import FitnessError

    rows = measurements[measurements["grade"] == int(grade)] if len(measurements) else measurements
    if rows.empty:
        found = "、".join(GRADE_NAMES.get(int(g), str(g))
                         for g in sorted(measurements.get("grade", pd.Series()).unique()))
        raise FitnessError(
            f"体测文件 (fitness_file) {name} 中没有{GRADE_NAMES.get(int(grade), grade)}的学生"
            f"{f'（文件中是{found}）' if found else '（没有读到任何学生的测试成绩）'}，"
            "与成绩表不是同一个年级。请换用本年级（或全校）的体测文件。")
    return rows


def _against_grade(rates: pd.DataFrame, compared: pd.DataFrame) -> pd.DataFrame:
    """Class rates with the class-against-grade gap of the mean 学年总分 and its reading."""
    from ..term.readings import against_grade

    gaps = compared[["grade", "class_id", "mean", "diff", "diff_low", "diff_high", "significant",
                     "small_group"]]
    return against_grade(rates, compared).merge(gaps, on=["grade", "class_id"], how="left")


def _most_failed(rates: pd.DataFrame) -> pd.DataFrame:
    """Item rates, the most 不及格 first; equal counts in the standard's order of items."""
    order = {item: i for i, item in enumerate(VALUE_LABELS["item"])}
    ranked = rates.assign(_order=rates["item"].map(order))
    return ranked.sort_values(["n_fail", "_order"], ascending=[False, True],
                              kind="stable").drop(columns="_order").reset_index(drop=True)


def fitness_findings(section: FitnessSection | None, *, most: int = 2) -> list[dict]:
    """The 主要结论 of the 体质健康 section: at most ``most`` sentences, each one only where an
    interval supports it.

    - classes whose mean 学年总分 is below (then above) the grade's beyond chance (the
      Bonferroni-corrected Welch interval of the gap excludes 0), one sentence each way;
    - the item with the most 不及格 when its 不及格率's interval lies wholly above every other
      item's interval (it is the most failed beyond chance).

    Parameters
    ----------
    section : FitnessSection or None
        :func:`fitness_section`; None (no 体测 file) gives no finding.
    most : int
        At most this many findings (below, the item, above: in that order).

    Returns
    -------
    list of dict
        Rows of :func:`qualitykit.conclusions` (``rule`` = ``"fitness"``, ``section`` =
        ``"fitness"``).
    """
    if section is None:
        return []
    rows = [*_class_findings(section.classes, below=True), *_item_finding(section.items),
            *_class_findings(section.classes, below=False)]
    return rows[:most]


def _finding(sentence: str, value: float, class_id: str = "") -> dict:
    return {"rule": "fitness", "subject": "体质健康", "class_id": class_id, "value": value,
            "section": "fitness", "sentence": sentence}


def _class_findings(classes: pd.DataFrame, *, below: bool) -> list[dict]:
    """Classes below (above) the grade's mean 学年总分 beyond chance, named in one sentence."""
    gap = classes[classes["significant"].fillna(False).astype(bool)]
    gap = gap[gap["diff"] < 0] if below else gap[gap["diff"] > 0]
    if gap.empty:
        return []
    gap = gap.sort_values("diff", ascending=below)
    named = "、".join(f"{r['class_id']} 班（{r['mean']:.1f} 分，{'低' if below else '高'} "
                     f"{abs(r['diff']):.1f} 分）" for _, r in gap.iterrows())
    word = "低于" if below else "高于"
    return [_finding(f"体质健康：平均学年总分{word}年级且超出偶然波动的有 {len(gap)} 个班：{named}。",
                     float(gap["diff"].iloc[0]),
                     class_id="、".join(gap["class_id"].astype(str)))]


def _item_finding(items: pd.DataFrame) -> list[dict]:
    """The item with the most 不及格, when its interval clears every other item's."""
    tested = items[items["n"] > 0]
    if len(tested) < 2 or tested["n_fail"].iloc[0] == 0:
        return []
    top, rest = tested.iloc[0], tested.iloc[1:]
    if not top["fail_rate_low"] > rest["fail_rate_high"].max():
        return []
    label = VALUE_LABELS["item"].get(top["item"], top["item"])
    return [_finding(f"体质健康：{label}不及格 {int(top['n_fail'])} 人，不及格率 "
                     f"{100 * top['fail_rate']:.1f}%（区间 {100 * top['fail_rate_low']:.1f}%–"
                     f"{100 * top['fail_rate_high']:.1f}%），明显高于其他项目，是体育课练习的重点。",
                     float(top["fail_rate"]))]


def fitness_section_text(section: FitnessSection | None) -> str:
    """The section's opening paragraph: who was tested, the 等级 in one line, the size of the
    不及格 list (counts only: the names stay in the 体质健康分析); ``""`` without a file."""
    if section is None:
        return ""
    r = section.rates.iloc[0] if len(section.rates) else None
    n, missing = (int(r["n"]), int(r["n_incomplete"])) if r is not None else (0, 0)
    extra = (f"体测文件中的 {'、'.join(section.extra_classes)} 班不在成绩表中，照常计入年级。"
             if section.extra_classes else "")
    rates = "" if r is None or not n else (
        f"优秀率 {_pct(r['excellent_rate'])}，及格率 {_pct(r['pass_rate'])}"
        f"（区间 {_pct(r['pass_rate_low'])}–{_pct(r['pass_rate_high'])}），"
        f"学年总分不及格 {int(r['n_fail'])} 人。")
    return (f"体质测试：{GRADE_NAMES.get(section.grade, section.grade)}测试 "
            f"{n + missing} 人，其中 {section.n_in_sheet} 人在本成绩表中；有学年总分 {n} 人，"
            f"缺测项目的 {missing} 人没有等级、不计入比率。{rates}{extra}"
            f"至少一个项目不及格的学生 {section.n_failing} 人（不及格名单共 "
            f"{section.n_failing_rows} 条，按项目计），名单只在体质健康分析中交给体育教师，"
            f"不在本报告中列出。体测文件的导入与计分问题（全文件）{section.n_problems} 条，"
            "逐条列在体质健康分析的导入报告中。")


def _pct(x: float) -> str:
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{100 * x:.1f}%"


#: The columns each table of the section shows, in order.
_SECTION_COLUMNS = {
    "fitness_rates": ["n", "n_incomplete", "mean_total_score", "excellent_rate", "excellent_rate_low",
                      "excellent_rate_high", "good_level_rate", "good_level_rate_low",
                      "good_level_rate_high", "pass_rate", "pass_rate_low", "pass_rate_high",
                      "fail_rate", "fail_rate_low", "fail_rate_high"],
    "fitness_classes": ["class_id", "n", "n_incomplete", "mean_total_score", "diff", "diff_low",
                        "diff_high", "vs_grade", "excellent_rate", "pass_rate", "fail_rate"],
    "fitness_items": ["item", "n", "n_fail", "fail_rate", "fail_rate_low", "fail_rate_high"],
}


def fitness_section_tables(section: FitnessSection | None, *,
                           text: bool = True) -> dict[str, pd.DataFrame | None]:
    """The section's tables as the report prints them (Chinese headers, intervals "a 至 b"):
    ``fitness_rates`` (the grade's 等级), ``fitness_classes`` (each class against the grade, in
    class order: no league table), ``fitness_items`` (the items with the most 不及格, at most
    :data:`FITNESS_TOP_ITEMS`, only those with one). Each None without a 体测 file.

    With ``text=False``, the same rows and columns for a workbook: numbers stay numbers
    (rates in %, one decimal), each interval as its 下限 and 上限 columns."""
    from ..labels import to_display

    if section is None:
        return dict.fromkeys(_SECTION_COLUMNS)
    failed = section.items[section.items["n_fail"] > 0].head(FITNESS_TOP_ITEMS)
    failed = failed.assign(item=failed["item"].map(lambda i: VALUE_LABELS["item"].get(i, i)))
    tables = {"fitness_rates": section.rates, "fitness_classes": section.classes,
              "fitness_items": failed}
    return {key: to_display(table[_SECTION_COLUMNS[key]].reset_index(drop=True),
                            intervals=True, text=text) if len(table) else None
            for key, table in tables.items()}
