"""横向比较: each class against the grade, and the classes among themselves, read honestly.

A class mean 0.5 points above another is not a ranking. For each exam × subject this module
gives every class's difference from the grade with its interval, an omnibus test over the
classes (one-way ANOVA and Kruskal–Wallis), post-hoc pairs (Games–Howell by default, Tukey HSD
on request) with Hedges' g, and a plain reading in Chinese.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..probability import average_ranks, chi2_sf, f_sf, t_ppf, t_sf
from ..schema import (
    check_scores_table,
    check_unique_students,
    default_unit,
    group_arrays,
    sat_rows,
    student_keys,
    unit_keys,
)
from ..subjects import in_teaching_order
from .distribution import standardize
from .indicators import summary
from .studentized import studentized_range_ppf, studentized_range_sf

__all__ = ["compare_classes", "compare_exams", "ClassComparison", "hedges_g", "games_howell",
           "one_way_anova", "kruskal_wallis"]

MIN_N = 20
# columns after ``within`` (and the group column), also when nobody sat
_CLASS_COLUMNS = ["n_sat", "mean", "mean_low", "mean_high", "grade_mean", "diff", "diff_low",
                  "diff_high", "p_value", "hedges_g", "significant", "small_group", "reading"]
#: columns of :func:`compare_exams` after ``by``
_EXAM_COLUMNS = ["n_sat", "n_matched", "mean", "prev_mean", "above_mean_rate",
                 "prev_above_mean_rate", "above_mean_change", "pass_rate", "prev_pass_rate",
                 "z_mean", "prev_z_mean", "z_change", "rank", "prev_rank", "rank_change",
                 "prev_exam"]
_OMNIBUS_COLUMNS = ["n_groups", "n_sat", "anova_f", "anova_df1", "anova_df2", "anova_p",
                    "eta_squared", "kruskal_h", "kruskal_p", "epsilon_squared", "posthoc",
                    "n_pairs_significant", "reading"]


def hedges_g(a, b) -> float:
    """Hedges' g: the standardised mean difference with the small-sample correction.

    >>> round(hedges_g([1, 2, 3, 4], [2, 3, 4, 5]), 4)
    -0.6736
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return np.nan
    pooled = np.sqrt(((na - 1) * a.var(ddof=1) + (nb - 1) * b.var(ddof=1)) / (na + nb - 2))
    if pooled == 0:
        return np.nan
    j = 1 - 3 / (4 * (na + nb) - 9)
    return float(j * (a.mean() - b.mean()) / pooled)


def games_howell(groups: dict, confidence: float = 0.95) -> pd.DataFrame:
    """Games–Howell pairs: Welch standard errors and degrees of freedom, studentized range.

    The critical values and p values come from :mod:`qualitykit.term.studentized` (checked
    against ``scipy.stats.studentized_range`` in the tests, to 10⁻⁸), all pairs at once.

    Parameters
    ----------
    groups : dict
        Group label → array of scores.

    Returns
    -------
    DataFrame
        ``a``, ``b``, ``mean_a``, ``mean_b``, ``diff`` (a − b), ``diff_low``, ``diff_high``,
        ``se``, ``df``, ``p_value`` (adjusted for all pairs by the studentized range),
        ``hedges_g``. The interval and p value are NaN for two groups without any spread (every
        score the same in both). Each group needs at least two scores.
    """
    columns = ["a", "b", "mean_a", "mean_b", "diff", "diff_low", "diff_high", "se", "df",
               "p_value", "hedges_g"]
    labels = list(groups)
    data = {g: np.asarray(groups[g], float) for g in labels}
    pairs = list(itertools.combinations(labels, 2))
    if not pairs:
        return pd.DataFrame(columns=columns)
    n = {g: len(x) for g, x in data.items()}
    var = {g: x.var(ddof=1) / len(x) for g, x in data.items()}  # squared standard errors
    va, vb = (np.array([var[p[i]] for p in pairs]) for i in (0, 1))
    na, nb = (np.array([n[p[i]] for p in pairs], float) for i in (0, 1))
    diff = np.array([data[a].mean() - data[b].mean() for a, b in pairs])
    se = np.sqrt(va + vb)
    with np.errstate(invalid="ignore", divide="ignore"):
        df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
        spread = se > 0  # both classes without any spread: nothing to test
        q = np.where(spread, np.abs(diff) / se * np.sqrt(2), np.nan)
    k = len(labels)
    half = np.where(spread, studentized_range_ppf(confidence, k, np.where(spread, df, 1.0))
                    / np.sqrt(2) * se, np.nan)
    p_value = np.where(spread, np.minimum(1.0, studentized_range_sf(q, k, df)), np.nan)
    return pd.DataFrame({
        "a": [a for a, _ in pairs], "b": [b for _, b in pairs],
        "mean_a": [data[a].mean() for a, _ in pairs], "mean_b": [data[b].mean() for _, b in pairs],
        "diff": diff, "diff_low": diff - half, "diff_high": diff + half, "se": se, "df": df,
        "p_value": p_value, "hedges_g": [hedges_g(data[a], data[b]) for a, b in pairs]},
        columns=columns)


def _tukey(groups: dict, confidence: float) -> pd.DataFrame:
    """Tukey–Kramer pairs: the pooled within-class variance, N − k degrees of freedom."""
    labels = list(groups)
    data = [np.asarray(groups[g], float) for g in labels]
    k, n_all = len(data), sum(len(x) for x in data)
    mse = sum(((x - x.mean()) ** 2).sum() for x in data) / (n_all - k)
    crit = studentized_range_ppf(confidence, k, n_all - k)
    rows = []
    for i, j in itertools.combinations(range(k), 2):
        diff = data[i].mean() - data[j].mean()
        se = np.sqrt(mse * (1 / len(data[i]) + 1 / len(data[j])))  # of the difference
        p_value = float(studentized_range_sf(abs(diff) / se * np.sqrt(2), k, n_all - k)) \
            if se > 0 else np.nan
        half = crit / np.sqrt(2) * se if se > 0 else np.nan
        rows.append({"a": labels[i], "b": labels[j], "mean_a": data[i].mean(),
                     "mean_b": data[j].mean(), "diff": diff, "diff_low": diff - half,
                     "diff_high": diff + half, "se": se, "df": float(n_all - k),
                     "p_value": p_value, "hedges_g": hedges_g(data[i], data[j])})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ClassComparison:
    """What :func:`compare_classes` found, as three tidy tables.

    Attributes
    ----------
    classes : DataFrame
        One row per exam × subject × class: the class against the grade.
    omnibus : DataFrame
        One row per exam × subject: are the classes different at all?
    pairs : DataFrame
        One row per exam × subject × pair of classes (post-hoc).
    """

    classes: pd.DataFrame
    omnibus: pd.DataFrame
    pairs: pd.DataFrame

    def _repr_html_(self) -> str:
        from ..labels import to_display

        cols = [c for c in ("subject", "school", "class_id", "n_sat", "mean", "diff", "diff_low",
                            "diff_high", "hedges_g", "reading") if c in self.classes]
        return to_display(self.classes[cols], intervals=True).to_html(index=False)


#: The columns :func:`_reading_vs_grade` reads.
_READ = ("n_sat", "small_group", "significant", "diff", "hedges_g")


def _reading_vs_grade(row) -> str:
    if row["n_sat"] < 2:
        return "人数太少，无法比较"
    prefix = f"实考仅 {row['n_sat']} 人，结论不稳；" if row["small_group"] else ""
    if not row["significant"]:
        return prefix + "与年级均分差异不显著"
    side = "高于" if row["diff"] > 0 else "低于"
    size = abs(row["hedges_g"])
    strength = "差异很小" if size < 0.2 else "差异较小" if size < 0.5 else \
        "差异中等" if size < 0.8 else "差异较大"
    return prefix + f"显著{side}年级均分（{strength}，g = {row['hedges_g']:.2f}）"


def _reading_omnibus(row) -> str:
    if row["n_groups"] < 2:
        return "只有一个班，无需比较"
    if row["anova_p"] >= 0.05 and row["kruskal_p"] >= 0.05:
        return "各班均分差异不显著：班级名次主要反映偶然波动，不宜排出先后"
    if (row["anova_p"] < 0.05) != (row["kruskal_p"] < 0.05):
        return "两种检验结论不一致（方差分析与秩和检验），各班差异处在边缘，解读需谨慎"
    if row["posthoc"] is None or pd.isna(row["posthoc"]):  # no pairs computed
        return f"各班之间存在显著差异（η² = {row['eta_squared']:.3f}）"
    if row["n_pairs_significant"] == 0:
        return (f"各班之间整体有差异（η² = {row['eta_squared']:.3f}），"
                "但没有哪两个班的差异单独显著")
    return (f"各班之间存在显著差异（η² = {row['eta_squared']:.3f}）；"
            f"两两比较中有 {row['n_pairs_significant']} 对显著")


def compare_classes(scores: pd.DataFrame, *, group: str = "class_id",
                    within: Sequence[str] | str = ("exam", "subject"),
                    posthoc: str | None = "games-howell",
                    confidence: float = 0.95, min_n: int = MIN_N) -> ClassComparison:
    """Each class against the grade and the classes among themselves, with uncertainty.

    For each exam × subject:

    * **each class against the grade**: ``diff`` = class mean − grade mean, with an interval.
      Since the grade mean contains the class, ``diff = (n_rest / n_grade) × (class mean −
      rest mean)``; the interval and the p value are those of Welch's t test of the class
      against the rest of the grade, Bonferroni-adjusted over the k classes of the subject
      (interval at level 1 − α/k, p × k), so that "significant" and "the interval excludes 0"
      always agree;
    * **omnibus**: one-way ANOVA (F, η²) and Kruskal–Wallis (H, ε²) over the classes;
    * **pairs**: Games–Howell (unequal variances and sizes; default) or Tukey HSD, with
      Hedges' g.

    Only sitters count. Classes with fewer than ``min_n`` sitters are flagged (``small_group``)
    and their reading says so. A class is identified within its school: with several schools
    (a 联考 file) ``classes`` has a ``school`` column before ``group`` and the pairs are named
    "学校 班级"; "the grade" is then everyone of the file who sat the exam × subject.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table.
    group : str
        The column to compare (``class_id``; ``teacher`` once teachers are attached).
    within : column names
        The comparison groups (default exam × subject).
    posthoc : {"games-howell", "tukey", None}
        None: no pairs (``pairs`` is empty; the omnibus and each class against the grade
        are computed as usual) — for a 联考's hundreds of classes, whose pairs nobody reads.
    confidence : float
        Level of every interval; the tests use ``alpha = 1 − confidence``.
    min_n : int
        Below this many sitters a class is flagged.

    Returns
    -------
    ClassComparison
        ``classes``: ``within`` columns, ``group``, ``n_sat``, ``mean``, ``mean_low``,
        ``mean_high`` (t interval), ``grade_mean``, ``diff``, ``diff_low``, ``diff_high``,
        ``p_value`` (Bonferroni-adjusted), ``hedges_g`` (class vs rest), ``significant``,
        ``small_group``, ``reading``.
        ``omnibus``: ``within``, ``n_groups``, ``n_sat``, ``anova_f``, ``anova_df1``,
        ``anova_df2``, ``anova_p``, ``eta_squared``, ``kruskal_h``, ``kruskal_p``,
        ``epsilon_squared``, ``posthoc``, ``n_pairs_significant``, ``reading``.
        ``pairs``: ``within``, ``a``, ``b``, ``mean_a``, ``mean_b``, ``diff``, ``diff_low``,
        ``diff_high``, ``p_value``, ``hedges_g``, ``significant``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> c = qk.compare_classes(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> c.omnibus[["subject", "n_groups", "reading"]].head(1)
      subject  n_groups                              reading
    0      语文         4  各班之间存在显著差异（η² = 0.058）；两两比较中有 2 对显著
    """
    _check_comparison(scores, group, posthoc)
    within = [within] if isinstance(within, str) else list(within)
    within = [k for k in within if k in scores.columns]
    units = unit_keys(scores, group)
    found = [_compare_within(ident, sitters, group, units, posthoc, confidence)
             for ident, sitters in _within_groups(sat_rows(scores), within)]
    return _class_comparison(found, within, units, 1 - confidence, min_n)


def _check_comparison(scores: pd.DataFrame, group: str, posthoc: str) -> None:
    """The options, and the table (full marks are not read: scores are not judged by them)."""
    if posthoc not in ("games-howell", "tukey", None):
        raise ValueError(f"posthoc 应为 'games-howell'、'tukey' 或 None，收到 {posthoc!r}。")
    if group not in scores.columns:
        raise ValueError(f"group={group!r} 不在成绩表中；可用的列：{list(scores.columns)}。")
    check_scores_table(scores, where="compare_classes", required=("score", "status"),
                       bounds=False)


def _within_groups(sat: pd.DataFrame, within: list[str]) -> list[tuple[dict, pd.DataFrame]]:
    """The comparison groups (exam × subject): their ``within`` values and their sitters."""
    if not within:
        return [({}, sat)]
    return [(dict(zip(within, key if isinstance(key, tuple) else (key,))), part)
            for key, part in sat.groupby(within, dropna=False, sort=True)]


def _compare_within(ident: dict, sitters: pd.DataFrame, group: str, units: list[str],
                    posthoc: str, confidence: float) -> tuple[list[dict], dict, pd.DataFrame]:
    """One exam × subject: the rows of its classes against the grade, its omnibus row and its
    post-hoc pairs."""
    x_all = sitters["score"].astype(float).to_numpy()
    groups = group_arrays(sitters, units if len(units) > 1 else group)
    classes = _against_grade(groups, x_all, ident, units, confidence)
    if len(units) > 1:  # pairs are named "学校 班级"
        groups = {" ".join(map(str, g)): x for g, x in groups.items()}
    omni, pairs = _between_classes(groups, posthoc, confidence, 1 - confidence)
    return classes, {**ident, **omni}, pairs.assign(**ident) if len(pairs) else pairs


def _class_comparison(found: list, within: list[str], units: list[str], alpha: float,
                      min_n: int) -> ClassComparison:
    """The three tables of :class:`ClassComparison` from the comparison groups, with their
    readings."""
    classes = pd.DataFrame([row for rows, _, _ in found for row in rows],
                           columns=within + units + _CLASS_COLUMNS)
    if len(classes):
        classes["significant"] = classes["p_value"] < alpha
        classes["small_group"] = classes["n_sat"] < min_n
        classes["reading"] = [_reading_vs_grade(dict(zip(_READ, values))) for values in zip(
            *(classes[c].tolist() for c in _READ))]  # row by row without DataFrame.apply
    omnibus = pd.DataFrame([omni for _, omni, _ in found], columns=within + _OMNIBUS_COLUMNS)
    if len(omnibus):
        omnibus["reading"] = omnibus.apply(_reading_omnibus, axis=1)
    pair_cols = within + ["a", "b", "mean_a", "mean_b", "diff", "diff_low", "diff_high",
                          "p_value", "hedges_g", "significant"]
    frames = [pairs for _, _, pairs in found if len(pairs)]
    pairs = pd.concat(frames, ignore_index=True)[pair_cols] if frames else \
        pd.DataFrame(columns=pair_cols)
    return ClassComparison(in_teaching_order(classes, within + units),
                           in_teaching_order(omnibus, within), in_teaching_order(pairs, within))


def _against_grade(groups: dict, x_all: np.ndarray, ident: dict, units: list[str],
                   confidence: float) -> list[dict]:
    """Each class against the grade (:func:`_class_vs_rest` on all classes at once)."""
    grade_mean = x_all.mean()
    k = max(1, sum(len(x) >= 2 for x in groups.values()))
    n = np.array([len(x) for x in groups.values()], float)
    mean = np.array([x.mean() for x in groups.values()])
    m2 = np.array([((x - m) ** 2).sum() for x, m in zip(groups.values(), mean)])  # Σ(x − mean)²
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(n >= 2, np.sqrt(m2 / (n - 1)), np.nan)
        half = t_ppf((1 + confidence) / 2, n - 1) * sd / np.sqrt(n)
    spread = sd > 0  # one pupil, or every score the same: no interval of the mean
    tests = _class_vs_rest(n, mean, m2, x_all, mean - grade_mean, k, confidence)
    rows = []
    for i, g in enumerate(groups):
        row = {**ident, **dict(zip(units, g if isinstance(g, tuple) else (g,))),
               "n_sat": int(n[i]), "mean": mean[i],
               "mean_low": mean[i] - half[i] if spread[i] else np.nan,
               "mean_high": mean[i] + half[i] if spread[i] else np.nan,
               "grade_mean": grade_mean, "diff": mean[i] - grade_mean}
        rows.append({**row, **{key: float(v[i]) for key, v in tests.items()}})
    return rows


def _class_vs_rest(n: np.ndarray, mean: np.ndarray, m2: np.ndarray, x_all: np.ndarray,
                   diff: np.ndarray, k: int, confidence: float) -> dict[str, np.ndarray]:
    """Welch's test of each class against the rest of the grade, Bonferroni over ``k``
    classes; NaN where there is no test (a class or rest under two pupils, or no spread in
    either).

    The rest's mean and sum of squared deviations come from the grade's by the pooling
    identity M2_all = M2_class + M2_rest + δ² · n_class · n_rest / N (δ = class mean − rest
    mean); the test is scipy's ``ttest_ind(equal_var=False)`` written on those moments
    (checked against it in ``tests/test_compare.py``).
    """
    n_all = len(x_all)
    n_rest = n_all - n
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_rest = (x_all.sum() - n * mean) / n_rest
        delta = mean - mean_rest
        m2_all = ((x_all - x_all.mean()) ** 2).sum()
        m2_rest = m2_all - m2 - delta ** 2 * n * n_rest / n_all
        m2_rest = np.where(m2_rest > 1e-12 * m2_all, m2_rest, 0.0)  # rounding of a zero
        v_class, v_rest = m2 / (n - 1) / n, m2_rest / (n_rest - 1) / n_rest  # squared SEs
        se = np.sqrt(v_class + v_rest)
        df = (v_class + v_rest) ** 2 / (v_class ** 2 / (n - 1) + v_rest ** 2 / (n_rest - 1))
        p = 2 * t_sf(np.abs(delta / se), df)
        crit = t_ppf(1 - (1 - confidence) / k / 2, df)
        # Welch's interval is symmetric about the class − rest difference; scaled by the
        # rest's share it is symmetric about ``diff``, and put there exactly
        half = n_rest / n_all * crit * se
        j = 1 - 3 / (4 * n_all - 9)
        pooled = np.sqrt((m2 + m2_rest) / (n_all - 2))
        g = np.where((n >= 2) & (n_rest >= 2) & (pooled > 0), j * delta / pooled, np.nan)
    tested = (n >= 2) & (n_rest >= 2) & ((m2 > 0) | (m2_rest > 0))
    nan = np.full(len(n), np.nan)
    return {"diff_low": np.where(tested, diff - half, nan),
            "diff_high": np.where(tested, diff + half, nan),
            "p_value": np.where(tested, np.minimum(1.0, p * k), nan),
            "hedges_g": np.where(tested, g, nan)}


def _group_starts(sizes: np.ndarray) -> np.ndarray:
    """Where each group begins in the concatenated values."""
    return np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)


def one_way_anova(values: np.ndarray, sizes: np.ndarray) -> dict[str, float]:
    """One-way ANOVA of groups given one after another in ``values`` (``sizes`` each), from
    the groups' moments at once — scipy's ``f_oneway`` without its per-group overhead (checked
    against it in ``tests/test_compare.py``).

    Returns
    -------
    dict
        ``f`` (inf when every group is constant but they differ; NaN when every score is the
        same, as scipy), ``p``, ``eta_squared`` (SS between / SS total; NaN without spread).

    >>> r = one_way_anova(np.array([1., 2, 3, 4, 5, 6]), np.array([3, 3]))
    >>> round(r["f"], 6), round(r["eta_squared"], 6)  # SSB 13.5, SSW 4: 13.5 / (4 / 4)
    (13.5, 0.771429)
    """
    starts, k, n = _group_starts(sizes), len(sizes), len(values)
    means = np.add.reduceat(values, starts) / sizes
    constant = np.maximum.reduceat(values, starts) == np.minimum.reduceat(values, starts)
    deviations = np.where(np.repeat(constant, sizes), 0.0, values - np.repeat(means, sizes))
    ss_within = float((deviations ** 2).sum())
    ss_total = float(((values - values.mean()) ** 2).sum())
    ss_between = float((sizes * (means - values.mean()) ** 2).sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        f = (ss_between / (k - 1)) / (ss_within / (n - k)) if ss_within > 0 else \
            (np.inf if np.ptp(means) > 0 else np.nan)
    return {"f": float(f), "p": float(f_sf(f, k - 1, n - k)),
            "eta_squared": ss_between / ss_total if ss_total > 0 else np.nan}


def kruskal_wallis(values: np.ndarray, sizes: np.ndarray) -> dict[str, float]:
    """Kruskal–Wallis H of groups given one after another in ``values`` (``sizes`` each), from
    one ranking of all values and each group's rank sum, corrected for ties — scipy's
    ``kruskal`` without its per-group overhead (checked against it in ``tests/test_compare.py``).

    Returns
    -------
    dict
        ``h`` and ``p`` (χ² with k − 1 df); both NaN when every score is the same (as scipy).

    >>> r = kruskal_wallis(np.array([1., 1, 2, 2]), np.array([2, 2]))
    >>> round(r["h"], 6)  # ranks 1.5 1.5 | 3.5 3.5: (12/20)(4.5 + 24.5) − 15 = 2.4; ties ÷ 0.8
    3.0
    """
    n, k = len(values), len(sizes)
    ranks = average_ranks(values)
    rank_sums = np.add.reduceat(ranks, _group_starts(sizes))
    h = 12 / (n * (n + 1)) * float((rank_sums ** 2 / sizes).sum()) - 3 * (n + 1)
    ties = np.unique(values, return_counts=True)[1].astype(float)
    correction = 1 - float((ties ** 3 - ties).sum()) / (n ** 3 - n)
    if correction <= 0:
        return {"h": np.nan, "p": np.nan}
    h /= correction
    return {"h": float(h), "p": float(chi2_sf(h, k - 1))}


def _between_classes(groups: dict, posthoc: str, confidence: float, alpha: float):
    usable = {g: x for g, x in groups.items() if len(x) >= 2}
    n = sum(len(x) for x in groups.values())
    omni = {"n_groups": len(groups), "n_sat": n, "anova_f": np.nan, "anova_df1": np.nan,
            "anova_df2": np.nan, "anova_p": np.nan, "eta_squared": np.nan,
            "kruskal_h": np.nan, "kruskal_p": np.nan, "epsilon_squared": np.nan,
            "posthoc": posthoc, "n_pairs_significant": 0}
    if len(usable) < 2:
        return omni, pd.DataFrame()
    sizes = np.array([len(x) for x in usable.values()])
    x_all = np.concatenate(list(usable.values()))
    k, n = len(sizes), len(x_all)
    anova = one_way_anova(x_all, sizes)
    kw = kruskal_wallis(x_all, sizes)
    omni.update(anova_f=anova["f"], anova_df1=k - 1, anova_df2=n - k, anova_p=anova["p"],
                eta_squared=anova["eta_squared"], kruskal_h=kw["h"], kruskal_p=kw["p"],
                epsilon_squared=kw["h"] / (n - 1))
    if posthoc is None:  # a 联考's hundreds of classes against the district: no pairs
        return omni, pd.DataFrame()
    pairs = games_howell(usable, confidence) if posthoc == "games-howell" else \
        _tukey(usable, confidence)
    pairs["significant"] = pairs["p_value"] < alpha
    omni["n_pairs_significant"] = int(pairs["significant"].sum())
    return omni, pairs


def compare_exams(current: pd.DataFrame, previous: pd.DataFrame | None, *,
                  by: Sequence[str] | str | None = None,
                  standard=None) -> pd.DataFrame:
    """与上次考试对比: each class now and at an earlier exam, on the same pupils.

    Pupils are matched by ``student_id`` and counted in the class they are in *now*, so a class
    is compared with its own pupils' earlier results even across a 分班 or a new school year
    (四(1)班 last year → 五(1)班). Papers differ between exams, so besides raw means the change
    is given on scales that do not depend on the paper: 超均率 against each exam's own grade
    mean, the mean Z score of the class, and its rank.

    Pupils are identified within their school when the tables hold several schools, and a class
    too (``school`` is then added before ``class_id``). A pupil with two rows for the same exam ×
    subject stops the comparison with a message naming the rows (:class:`ScoreFileError`).

    ``by`` defaults to class × subject (for a :func:`qualitykit.pre_post` pair: its unit × subject).

    Returns
    -------
    DataFrame
        ``by`` columns, ``n_sat``, ``n_matched`` (pupils who also sat the earlier exam),
        ``mean``, ``prev_mean``, ``above_mean_rate``, ``prev_above_mean_rate``,
        ``above_mean_change``, ``pass_rate``, ``prev_pass_rate``, ``z_mean``, ``prev_z_mean``,
        ``z_change`` (on the matched pupils), ``rank``, ``prev_rank``, ``rank_change``
        (previous − current: positive is a rise), ``prev_exam``. Empty (same columns) when
        ``previous`` is None.

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.compare_exams(qk.load_sample(exam="2025-2026-1 期末", grade=5),
    ...                      qk.load_sample(exam="2024-2025-2 期末", grade=4))
    >>> t[["class_id", "subject", "n_sat", "n_matched"]].head(2)
      class_id subject  n_sat  n_matched
    0      5-1      语文     38         34
    1      5-1      数学     38         34
    """
    if by is None:  # the class, or the unit of a pre_post pair
        by = [u for u in (default_unit(current), "subject") if u is not None]
    keys = unit_keys(current, by)
    if previous is None or previous.empty:
        return pd.DataFrame(columns=keys + _EXAM_COLUMNS)
    ids = _check_exam_pair(current, previous)
    units = [k for k in keys if k != "subject" and k not in ids]
    now_units = current.drop_duplicates(ids)[ids + units]
    # earlier results of today's pupils, counted in the class they are in now
    prev = previous.drop(columns=units, errors="ignore").merge(now_units, on=ids, how="inner")
    out = summary(current, by=keys, standard=standard)[
        keys + ["n_sat", "mean", "above_mean_rate", "pass_rate", "rank"]].merge(
        _previous_summary(prev, previous, keys, standard), on=keys, how="left")
    out = out.merge(_matched_z(current, previous, ids, keys), on=keys, how="left")
    out["n_matched"] = out["n_matched"].fillna(0).astype(int)
    out["above_mean_change"] = out["above_mean_rate"] - out["prev_above_mean_rate"]
    out["z_change"] = out["z_mean"] - out["prev_z_mean"]
    out["rank_change"] = (out["prev_rank"] - out["rank"]).astype("Int64")
    out["prev_exam"] = "、".join(map(str, pd.unique(previous["exam"]))) if "exam" in previous \
        else ""
    return in_teaching_order(out[keys + _EXAM_COLUMNS], keys)


def _check_exam_pair(current: pd.DataFrame, previous: pd.DataFrame) -> list[str]:
    """Both tables canonical, each pupil once per exam × subject; the pupil keys."""
    check_scores_table(current, where="compare_exams（current）")
    check_scores_table(previous, where="compare_exams（previous）")
    ids = student_keys(current, previous)
    for table, what in ((current, "本次考试（current）"), (previous, "上次考试（previous）")):
        check_unique_students(table, what=what, function="compare_exams", keys=ids)
    return ids


def _previous_summary(prev: pd.DataFrame, previous: pd.DataFrame, keys: list[str],
                      standard) -> pd.DataFrame:
    """The earlier exam of today's pupils per unit: ``prev_mean``, ``prev_pass_rate``,
    ``prev_rank`` and ``prev_above_mean_rate`` against that exam's whole grade (not the matched
    pupils only)."""
    s_prev = summary(prev, by=keys, standard=standard)
    subject = [k for k in keys if k == "subject"]
    prev_grade = summary(previous, by=subject or ["exam"], standard=standard)[subject + ["mean"]]
    if subject:
        s_prev = s_prev.merge(prev_grade.rename(columns={"mean": "_grade"}), on=subject, how="left")
    else:
        s_prev = s_prev.assign(_grade=prev_grade["mean"].iloc[0])
    s_prev["above_mean_rate"] = (s_prev["mean"] - s_prev["_grade"]) / s_prev["_grade"]
    return s_prev[keys + ["mean", "above_mean_rate", "pass_rate", "rank"]].rename(columns={
        "mean": "prev_mean", "above_mean_rate": "prev_above_mean_rate",
        "pass_rate": "prev_pass_rate", "rank": "prev_rank"})


def _matched_z(current: pd.DataFrame, previous: pd.DataFrame, ids: list[str],
               keys: list[str]) -> pd.DataFrame:
    """Per unit, the pupils who sat both exams: ``n_matched``, ``z_mean`` and ``prev_z_mean``
    (each exam's Z within its own exam × subject)."""
    z_now = standardize(current)
    z_prev = standardize(previous)[[*ids, "subject", "z"]].rename(columns={"z": "z_prev"})
    z = z_now.merge(z_prev, on=[*ids, "subject"], how="inner").dropna(subset=["z", "z_prev"])
    return z.groupby(keys).agg(n_matched=("z", "size"), z_mean=("z", "mean"),
                               prev_z_mean=("z_prev", "mean")).reset_index()
