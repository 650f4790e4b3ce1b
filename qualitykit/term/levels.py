"""等级分析: subjects graded in levels (一、二年级 have no paper scores), and the levels of any
subject.

Under the 2021 rules grades 1–2 report 4–5 等级 without scores. Their sheets say 优秀/良好/合格/
待合格 (also 优/良/及格/待提高 …) or letters A–D (A+/A/B/C/D, A–E), which
:mod:`qualitykit.term.level_scale` maps onto the standard's four ordered levels (优秀 > 良好 >
合格 > 待合格; letters by ``Standard.level_letters``). This module analyses them: the share of
each level per class and subject, the level rates with Wilson intervals, the classes compared on
their level distributions, and the change since the last exam. Shares only: no pupil is ranked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..schema import check_scores_table, group_keys, sat_mask
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order, subjects_in_order
from .distribution import grade_levels
from .findings import percent
from .indicators import wilson_interval
from .level_scale import LEVEL_IDS, LEVEL_RATES, level_codes, level_names

__all__ = ["LEVEL_IDS", "LevelComparison", "level_codes", "to_levels", "level_subjects",
           "level_summary", "compare_levels", "compare_level_exams",
           "level_findings", "level_measures"]


def to_levels(scores: pd.DataFrame, *, standard: Standard | str | None = None) -> pd.DataFrame:
    """Every sitter's 等级 in the standard's words: from the score when there is one (by the
    standard's bands, as :func:`qualitykit.grade_levels`), else as the sheet wrote it.

    Returns
    -------
    DataFrame
        A copy of ``scores`` with ``level`` (优秀/良好/合格/待合格, None for pupils who did not
        sit) and ``level_basis`` (``"score"``: from the score; ``"level"``: written on the sheet).

    Examples
    --------
    >>> import qualitykit as qk
    >>> g1 = qk.to_levels(qk.load_sample(exam="2025-2026-1 期末", grade=1))
    >>> g1["level_basis"].value_counts().to_dict()
    {'level': 341}
    """
    std = get_standard(standard)
    names = level_names(std)
    sat = scores["status"].eq("sat")
    written = scores["level"] if "level" in scores else pd.Series(None, index=scores.index,
                                                                  dtype=object)
    has_score = sat_mask(scores, with_full_mark=True).to_numpy()
    from_score = grade_levels(scores, standard=std)["level"].where(has_score)
    code = level_codes(from_score, std).where(has_score, level_codes(written.where(sat), std))
    out = scores.copy()
    out["level"] = code.map(dict(enumerate(names))).astype(object).where(code.notna(), None)
    out["level_basis"] = pd.Series(np.where(has_score, "score", np.where(
        code.notna(), "level", None)), index=out.index, dtype=object).where(code.notna(), None)
    return out


def level_subjects(scores: pd.DataFrame) -> list[str]:
    """Subjects graded in levels only: no sitter has a score, some have a level.

    >>> import qualitykit as qk
    >>> level_subjects(qk.load_sample(exam="2025-2026-1 期末", grade=1))
    ['语文', '数学']
    >>> level_subjects(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    []
    """
    if "level" not in scores or scores.empty:
        return []
    sat = scores["status"].eq("sat")
    scored = scores.loc[sat & scores["score"].notna(), "subject"].unique()
    levelled = scores.loc[sat & scores["level"].notna(), "subject"].unique()
    return subjects_in_order(set(levelled) - set(scored))


def level_summary(scores: pd.DataFrame, *, by: Sequence[str] | str = ("class_id", "subject"),
                  standard: Standard | str | None = None,
                  confidence: float = 0.95) -> pd.DataFrame:
    """等级分布 and the level rates, one row per group.

    Levels come from :func:`to_levels`: the sheet's 等级 for level-graded subjects (一、二年级),
    the standard's bands for subjects with scores. Every share divides by ``n_sat``.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table (:func:`qualitykit.read_scores`).
    by : column names
        Groups, e.g. ``("class_id", "subject")``; ``exam`` is added in front when the table
        holds several exams.
    standard : Standard, preset name or TOML path, optional
        The level names, the letter scheme (``level_letters``) and the bands for scores.
    confidence : float
        Level of the Wilson intervals.

    Returns
    -------
    DataFrame
        ``by`` columns; ``n_enrolled`` (应考), ``n_sat`` (pupils with a level), ``n_absent``;
        ``n_excellent``, ``n_good``, ``n_satisfactory``, ``n_unsatisfactory`` (pupils at each
        level) and ``share_excellent`` … ``share_unsatisfactory`` (the same over ``n_sat``);
        ``excellent_rate`` (优秀率: share 优秀), ``good_rate`` (良好及以上: share 良好 or 优秀),
        ``satisfactory_rate`` (合格率: share 合格 or better), each with ``_low``/``_high``
        Wilson bounds; ``basis`` (``level`` written on the sheet, ``score`` from scores, or
        ``level+score``).

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.level_summary(qk.load_sample(exam="2025-2026-1 期末", grade=1))
    >>> t[["class_id", "subject", "n_sat", "n_excellent", "n_unsatisfactory", "satisfactory_rate"]].head(2)
      class_id subject  n_sat  n_excellent  n_unsatisfactory  satisfactory_rate
    0      1-1      语文     42            9                 6           0.857143
    1      1-1      数学     42           12                 9           0.785714
    """
    std = get_standard(standard)
    check_scores_table(scores, where="level_summary")
    keys = group_keys(scores, by)
    out = _level_counts(to_levels(scores, standard=std), keys, std)
    n = out["n_sat"].where(out["n_sat"] > 0)
    for lid in LEVEL_IDS:
        out[f"share_{lid}"] = out[f"n_{lid}"] / n
    for rate in LEVEL_RATES:
        count = _at_or_better(out, rate)
        out[rate] = count / n
        out[f"{rate}_low"], out[f"{rate}_high"] = wilson_interval(count, out["n_sat"],
                                                                  confidence)
    columns = keys + ["n_enrolled", "n_sat", "n_absent"] + [f"n_{lid}" for lid in LEVEL_IDS]
    columns += [f"share_{lid}" for lid in LEVEL_IDS]
    columns += [c for rate in LEVEL_RATES for c in (rate, f"{rate}_low", f"{rate}_high")]
    return in_teaching_order(out[columns + ["basis"]], keys)


def _level_counts(data: pd.DataFrame, keys: list[str], std: Standard) -> pd.DataFrame:
    """Per group of :func:`to_levels` rows: 应考, pupils with a level, absent, pupils at each
    level and where the levels came from (``basis``)."""
    code = level_codes(data["level"], std)
    frame = data[keys].assign(sat=code.notna(), basis=data["level_basis"],
                              **{f"n_{lid}": code.eq(i) for i, lid in enumerate(LEVEL_IDS)})
    groups = frame.groupby(keys, dropna=False, sort=True)
    out = groups.agg(n_enrolled=("sat", "size"), n_sat=("sat", "sum"),
                     **{f"n_{lid}": (f"n_{lid}", "sum") for lid in LEVEL_IDS}).reset_index()
    out["basis"] = groups["basis"].agg(lambda s: "+".join(sorted(set(s.dropna())))).to_numpy()
    out["n_absent"] = out["n_enrolled"] - out["n_sat"]
    return out


def _at_or_better(table: pd.DataFrame, rate: str) -> pd.Series:
    """Pupils at the level of a :data:`LEVEL_RATES` rate or above it (``n_excellent`` …)."""
    return sum(table[f"n_{lid}"] for lid in LEVEL_IDS[:LEVEL_RATES[rate]])


@dataclass
class LevelComparison:
    """Classes compared on their 等级 (:func:`compare_levels`).

    Attributes
    ----------
    omnibus : DataFrame
        Per subject: is the level distribution the same in every class?
    classes : DataFrame
        Per class × subject: 合格率 and 优秀率 with intervals, against the grade.
    """

    omnibus: pd.DataFrame
    classes: pd.DataFrame


def compare_levels(scores: pd.DataFrame, *, group: str = "class_id",
                   standard: Standard | str | None = None, confidence: float = 0.95,
                   alpha: float = 0.05) -> LevelComparison:
    """班级比较 on levels: a chi-square test of class × level per subject, and each class's
    合格率 and 优秀率 with Wilson intervals against the grade.

    The reading follows the Kruskal–Wallis test on the ordered levels (tie-corrected; levels
    are ordered, so this is the test of whether some classes sit higher on the 优秀 → 待合格
    scale). The chi-square test of independence of class × level (Pearson, no continuity
    correction) is given beside it: it asks whether the four levels are spread alike in every
    class, whatever the order, and Cramér's V says how strongly they differ; when only it is
    significant the reading says the shapes differ. A class's rate differs from the grade when the grade rate lies outside
    the class's interval; the intervals are adjusted for the number of classes (Bonferroni:
    1 − α/k for k classes, as :func:`qualitykit.compare_classes` does for means), so that a
    class is not called low by chance among many.

    Returns
    -------
    LevelComparison
        ``omnibus``: ``subject`` (and ``exam``), ``n_groups``, ``n_sat``, ``chi2``,
        ``chi2_df``, ``chi2_p``, ``cramers_v``, ``sparse`` (more than 20 % of the expected
        counts under 5: read with care), ``kruskal_h``, ``kruskal_p``, ``significant``
        (either test below ``alpha``), ``reading``.
        ``classes``: ``subject``, ``class_id`` (``group``), ``n_sat``, ``satisfactory_rate``
        and ``excellent_rate`` with ``_low``/``_high`` (Wilson, adjusted), ``grade_satisfactory_rate``,
        ``grade_excellent_rate``, ``reading``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> c = qk.compare_levels(qk.load_sample(exam="2025-2026-1 期末", grade=1))
    >>> c.omnibus[["subject", "n_groups", "n_sat", "chi2_df"]]
      subject  n_groups  n_sat  chi2_df
    0      语文         4    171        9
    1      数学         4    170        9
    """
    std = get_standard(standard)
    table = level_summary(scores, by=[group, "subject"], standard=std, confidence=confidence)
    ref = [k for k in ("exam", "subject") if k in table.columns]
    rows = [_omnibus(dict(zip(ref, key if isinstance(key, tuple) else (key,))), part, alpha)
            for key, part in table.groupby(ref, sort=False)]
    omnibus = pd.DataFrame(rows, columns=ref + ["n_groups", "n_sat", "chi2", "chi2_df",
                                                "chi2_p", "cramers_v", "sparse", "kruskal_h",
                                                "kruskal_p", "significant", "reading"])
    grade = level_summary(scores, by=["subject"], standard=std, confidence=confidence)
    grade = grade[ref + ["satisfactory_rate", "excellent_rate"]].rename(
        columns=lambda c: c if c in ref else f"grade_{c}")
    classes = _adjusted_intervals(table.merge(grade, on=ref, how="left"), ref, confidence)
    classes["reading"] = [_class_reading(r) for r in classes.itertuples()]
    columns = ref + [group, "n_sat"]
    for rate in ("satisfactory_rate", "excellent_rate"):
        columns += [rate, f"{rate}_low", f"{rate}_high", f"grade_{rate}"]
    return LevelComparison(omnibus=omnibus, classes=classes[columns + ["reading"]])


def _adjusted_intervals(classes: pd.DataFrame, ref: list[str], confidence: float) -> pd.DataFrame:
    """Wilson bounds of 合格率 and 优秀率 at 1 − α/k for the k classes of a subject (Bonferroni)."""
    k = classes.groupby(ref)["n_sat"].transform(lambda n: max(int((n > 0).sum()), 1))
    level = 1 - (1 - confidence) / k.to_numpy(float)
    for rate in ("satisfactory_rate", "excellent_rate"):
        count = _at_or_better(classes, rate)
        bounds = [wilson_interval(c, n, lv) for c, n, lv in zip(count, classes["n_sat"], level)]
        classes[f"{rate}_low"] = [float(lo) for lo, _ in bounds]
        classes[f"{rate}_high"] = [float(hi) for _, hi in bounds]
    return classes


def _omnibus(key: dict, part: pd.DataFrame, alpha: float) -> dict:
    """Chi-square and Kruskal–Wallis for one subject's class × level counts."""
    from scipy import stats  # here: the term report, which imports this module, needs none

    part = part[part["n_sat"] > 0]
    counts = part[[f"n_{lid}" for lid in LEVEL_IDS]].to_numpy(int)
    counts = counts[:, counts.sum(axis=0) > 0]
    row = {**key, "n_groups": len(part), "n_sat": int(counts.sum())}
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        return {**row, "significant": False, "reading": "只有一个班或所有学生同一等级，无法比较。"}
    chi2, p, df, expected = stats.chi2_contingency(counts, correction=False)
    n = counts.sum()
    pupils = [np.repeat(np.arange(counts.shape[1]), r) for r in counts]
    kw = stats.kruskal(*pupils)
    sparse = bool((expected < 5).mean() > 0.2)
    row |= {"chi2": float(chi2), "chi2_df": int(df), "chi2_p": float(p),
            "cramers_v": float(np.sqrt(chi2 / (n * (min(counts.shape) - 1)))),
            "sparse": sparse, "kruskal_h": float(kw.statistic), "kruskal_p": float(kw.pvalue)}
    if kw.pvalue < alpha:
        reading = f"各班等级高低差异显著（秩和检验 p = {kw.pvalue:.3f}）"
    elif p < alpha:
        reading = (f"各班等级高低无显著差异（秩和检验 p = {kw.pvalue:.3f}），但各等级的分布形状不同"
                   f"（卡方检验 p = {p:.3f}）")
    else:
        reading = (f"各班等级无显著差异（秩和检验 p = {kw.pvalue:.3f}，卡方检验 p = {p:.3f}），"
                   "班级之间的差别可能只是偶然波动")
    if sparse and p < alpha:
        reading += "；卡方检验中期望人数不足 5 的格子超过 20%，仅供参考"
    return {**row, "significant": bool(kw.pvalue < alpha or p < alpha),
            "reading": reading + "。"}


def _class_reading(r) -> str:
    parts = []
    for rate, name in (("satisfactory_rate", "合格率"), ("excellent_rate", "优秀率")):
        low, high, grade = (getattr(r, f"{rate}_low"), getattr(r, f"{rate}_high"),
                            getattr(r, f"grade_{rate}"))
        if pd.isna(low) or pd.isna(grade):
            continue
        if high < grade:
            parts.append(f"{name}低于年级")
        elif low > grade:
            parts.append(f"{name}高于年级")
    return "，".join(parts) if parts else "与年级无明显差别"


def compare_level_exams(scores: pd.DataFrame, previous: pd.DataFrame | None, *,
                        by: Sequence[str] | str = ("class_id", "subject"),
                        standard: Standard | str | None = None) -> pd.DataFrame | None:
    """与上次对比 on levels: the same pupils' level shares now and last time, in their current
    classes; how many moved up, stayed, moved down a level. Shares and counts, no ranks.

    Pupils are matched by ``student_id`` within a subject; only pupils with a level both times
    count. Levels of a previous exam with scores come from the standard's bands.

    Returns
    -------
    DataFrame or None
        None without a previous exam. Else ``by`` columns, ``prev_exam``, ``n_matched``,
        ``prev_satisfactory_rate``, ``satisfactory_rate``, ``satisfactory_change``,
        ``prev_excellent_rate``, ``excellent_rate``, ``excellent_change`` (changes in
        percentage points as fractions), ``n_up``, ``n_same``, ``n_down`` (pupils whose level
        rose, stayed, fell).

    Examples
    --------
    >>> import qualitykit as qk
    >>> now = qk.load_sample(exam="2025-2026-1 期末", grade=1)
    >>> before = qk.load_sample(exam="2025-2026-1 期中", grade=1)
    >>> c = qk.compare_level_exams(now, before, by="subject")
    >>> c[["subject", "n_matched", "n_up", "n_same", "n_down"]]
      subject  n_matched  n_up  n_same  n_down
    0      语文        165    34     101      30
    1      数学        167    39     102      26
    """
    if previous is None or previous.empty:
        return None
    std = get_standard(standard)
    keys = [by] if isinstance(by, str) else list(by)
    now, before = (_pupil_levels(t, std) for t in (scores, previous))
    pair = now.merge(before[["student_id", "subject", "code"]], on=["student_id", "subject"],
                     suffixes=("", "_prev"))
    missing = [k for k in keys if k not in pair.columns]
    if missing:
        raise ValueError(f"by= 中的列 {missing} 不在成绩表中 (not in scores)。")
    pair = pair.assign(
        up=pair["code"] < pair["code_prev"], same=pair["code"] == pair["code_prev"],
        down=pair["code"] > pair["code_prev"], sat_now=pair["code"] <= 2,
        sat_prev=pair["code_prev"] <= 2, exc_now=pair["code"] == 0,
        exc_prev=pair["code_prev"] == 0)
    out = pair.groupby(keys, sort=True).agg(
        n_matched=("up", "size"), satisfactory_rate=("sat_now", "mean"),
        prev_satisfactory_rate=("sat_prev", "mean"), excellent_rate=("exc_now", "mean"),
        prev_excellent_rate=("exc_prev", "mean"), n_up=("up", "sum"), n_same=("same", "sum"),
        n_down=("down", "sum")).reset_index()
    out.insert(len(keys), "prev_exam", "、".join(map(str, pd.unique(previous["exam"]))))
    out["satisfactory_change"] = out["satisfactory_rate"] - out["prev_satisfactory_rate"]
    out["excellent_change"] = out["excellent_rate"] - out["prev_excellent_rate"]
    out = in_teaching_order(out, keys)
    return out[keys + ["prev_exam", "n_matched", "prev_satisfactory_rate", "satisfactory_rate",
                       "satisfactory_change", "prev_excellent_rate", "excellent_rate",
                       "excellent_change", "n_up", "n_same", "n_down"]]


def _pupil_levels(scores: pd.DataFrame, std: Standard) -> pd.DataFrame:
    """One row per pupil × subject with a level: ``code`` 0 (优秀) … 3 (待合格)."""
    data = to_levels(scores, standard=std)
    data = data[data["level"].notna()].assign(code=lambda d: level_codes(d["level"], std))
    dup = data.duplicated(["student_id", "subject"], keep=False)
    if dup.any():
        first = data[dup].iloc[0]
        raise ValueError(f"学号 {first['student_id']} 的 {first['subject']} 在同一次考试中出现多次 "
                         "(duplicate student × subject)；请一次只给一场考试的成绩表，并核对学号。")
    return data


def level_findings(comparison: LevelComparison, change: pd.DataFrame | None = None,
                   table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Evidence for 存在问题 from the level analysis, one sentence per finding.

    Picks from results already computed: subjects whose classes differ beyond chance, classes
    whose 合格率 or 优秀率 interval lies below the grade, classes where more pupils moved down a
    level than up since the last exam and the 合格率 fell, and the 待合格 pupils per subject.

    Parameters
    ----------
    comparison : LevelComparison
        :func:`compare_levels`.
    change : DataFrame, optional
        :func:`compare_level_exams` by class × subject.
    table : DataFrame, optional
        :func:`level_summary` by class × subject (for the 待合格 counts).

    Returns
    -------
    DataFrame
        ``topic``, ``subject``, ``class_id``, ``evidence``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=1)
    >>> f = qk.level_findings(qk.compare_levels(s), table=qk.level_summary(s))
    >>> f["evidence"].iloc[-1]
    '数学待合格 31 人：1-1 班 9 人、1-2 班 14 人、1-3 班 4 人、1-4 班 4 人。'
    """
    rows = []
    for r in comparison.omnibus.itertuples():
        if r.significant:
            rows.append(("班级差异", r.subject, "", f"{r.subject}：{r.reading}"))
    for r in comparison.classes.itertuples():
        for rate, name in (("satisfactory_rate", "合格率"), ("excellent_rate", "优秀率")):
            high, grade = getattr(r, f"{rate}_high"), getattr(r, f"grade_{rate}")
            if pd.notna(high) and high < grade:
                rows.append((name, r.subject, r.class_id,
                             f"{r.class_id} 班{r.subject}{name} {percent(getattr(r, rate))}"
                             f"（区间 {percent(getattr(r, f'{rate}_low'))}–{percent(high)}，已按班级数校正），"
                             f"低于年级 {percent(grade)}。"))
    for r in (change.itertuples() if change is not None and "class_id" in change else []):
        if r.n_down > r.n_up and r.satisfactory_change < 0:
            rows.append(("与上次比", r.subject, r.class_id,
                         f"{r.class_id} 班{r.subject}与上次相比：等级上升 {r.n_up} 人、下降 "
                         f"{r.n_down} 人；合格率 {percent(r.prev_satisfactory_rate)} → "
                         f"{percent(r.satisfactory_rate)}。"))
    if table is not None and not table.empty:
        for subject, part in table.groupby("subject", sort=False):
            total = int(part["n_unsatisfactory"].sum())
            if total:
                per = "、".join(f"{c} 班 {int(n)} 人" for c, n in
                               zip(part["class_id"], part["n_unsatisfactory"]) if n)
                rows.append(("待合格", subject, "", f"{subject}待合格 {total} 人：{per}。"))
    return pd.DataFrame(rows, columns=["topic", "subject", "class_id", "evidence"])


def level_measures(table: pd.DataFrame | None) -> list[str]:
    """改进措施 prompts in three layers, with the number of pupils at each level per subject.

    ``table`` is :func:`level_summary` (any grouping with ``subject``).

    >>> import qualitykit as qk
    >>> level_measures(qk.level_summary(qk.load_sample(exam="2025-2026-1 期末", grade=1),
    ...                                 by="subject"))[2]
    '学困生补基础（待合格：语文 30 人、数学 31 人）：'
    """
    if table is None or table.empty:
        return ["优生拓展：", "中等生巩固：", "学困生补基础："]
    per = table.groupby("subject", sort=False)[[f"n_{lid}" for lid in LEVEL_IDS]].sum()

    def count(lids: tuple[str, ...]) -> str:
        return "、".join(f"{s} {int(sum(row[f'n_{lid}'] for lid in lids))} 人"
                        for s, row in per.iterrows())

    return [f"优生拓展（优秀：{count(('excellent',))}）：",
            f"中等生巩固（良好、合格：{count(('good', 'satisfactory'))}）：",
            f"学困生补基础（待合格：{count(('unsatisfactory',))}）："]
