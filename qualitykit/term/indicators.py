"""三率一分 and the other per-group indicators of a term analysis."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..schema import check_scores_table, group_keys, sat_mask, student_keys
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order
from .level_scale import level_codes

__all__ = ["summary", "summary_from_counts", "all_pass_rate", "double_high_check", "cut_lines",
           "wilson_interval", "rank_line"]

RATES = ("pass_rate", "excellent_rate", "low_rate")


def wilson_interval(successes, n, confidence: float = 0.95):
    """Wilson score interval for a proportion (vectorised); NaN where ``n == 0``.

    The bounds are statsmodels' ``proportion_confint(method="wilson")`` (computed the same way
    here, without importing it), held to
    ``0 <= low <= p <= high <= 1`` (p = successes / n): at p = 0 or 1 the formula's rounding
    leaves a bound a hair past the rate (1e-17), which a reader cannot see but an error bar
    cannot draw.

    Parameters
    ----------
    successes, n : array-like
        Counts (broadcast together).
    confidence : float
        Level of the interval.

    Returns
    -------
    tuple of ndarray
        ``(low, high)``.

    Examples
    --------
    >>> lo, hi = wilson_interval(8, 10)
    >>> round(float(lo), 4), round(float(hi), 4)
    (0.4902, 0.9433)
    >>> lo, hi = wilson_interval([0, 28], [28, 28])  # 0 % and 100 % of a class of 28
    >>> float(lo[0]), float(hi[1])
    (0.0, 1.0)
    """
    k, n = np.broadcast_arrays(np.asarray(successes, dtype=float), np.asarray(n, dtype=float))
    bad = ~(n > 0)
    safe_n = np.where(bad, 1.0, n)
    safe_k = np.where(bad, 0.0, k)
    lo, hi = _wilson_bounds(safe_k, safe_n, 1 - confidence)
    p = safe_k / safe_n
    lo = np.clip(np.asarray(lo, dtype=float), 0.0, p)
    hi = np.clip(np.asarray(hi, dtype=float), p, 1.0)
    return np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)


def _wilson_bounds(count: np.ndarray, nobs: np.ndarray, alpha: float):
    """statsmodels' ``proportion_confint(count, nobs, alpha, method="wilson")``, step for step
    (the same operations in the same order, so the same floats), without importing statsmodels
    and scipy.stats (seconds at the start of a command); ``-ndtri(q)`` is scipy's
    ``norm.isf(q)``."""
    from scipy.special import ndtri

    q_ = count / nobs
    crit = -ndtri(alpha / 2.0)
    crit2 = crit**2
    denom = 1 + crit2 / nobs
    center = (q_ + crit2 / (2 * nobs)) / denom
    dist = crit * np.sqrt(q_ * (1.0 - q_) / nobs + crit2 / (4.0 * nobs**2))
    dist /= denom
    return np.clip(center - dist, 0, 1), np.clip(center + dist, 0, 1)


def _share_lines(standard: Standard, which: str, full_mark: pd.Series, grade) -> np.ndarray:
    """Lines as a share of the full mark, one per row: computed once per distinct full mark ×
    grade, then spread to the rows (no Python per row)."""
    pairs = pd.DataFrame({"f": full_mark.to_numpy(float),
                          "g": pd.array(grade, dtype="Int64") if grade is not None else pd.NA})
    group = pairs.groupby(["f", "g"], dropna=False, sort=False).ngroup().to_numpy()
    if not len(group):
        return np.empty(0)
    first = np.unique(group, return_index=True)[1]  # the first row of each distinct pair
    lines = np.array([standard.line(which, f, None if pd.isna(g) else int(g))
                      if not math.isnan(f) else np.nan
                      for f, g in zip(pairs["f"].to_numpy()[first], pairs["g"].array[first])])
    return lines[group]


def rank_line(scores: pd.Series, share: float) -> float:
    """Score of the last student inside the top ``share`` (ties with him are inside too): the
    score at rank ⌈share × n⌉ of the scores given (NaN left out); NaN when there are none.

    >>> rank_line(pd.Series([90.0, 80.0, 80.0, 70.0, 60.0]), 0.3)  # rank ⌈1.5⌉ = 2
    80.0
    """
    x = np.sort(scores.dropna().to_numpy(float))[::-1]
    if not len(x):
        return np.nan
    k = max(1, math.ceil(share * len(x) - 1e-9))
    return float(x[k - 1])


def row_lines(scores: pd.DataFrame, standard: Standard) -> dict[str, np.ndarray]:
    """The pass / excellent / low line in points for every row."""
    grade = scores["grade"] if "grade" in scores else None
    full = scores["full_mark"].astype(float)
    lines = {which: _share_lines(standard, which, full, grade)
             for which in ("pass", "excellent", "low")}
    if standard.rank_lines:
        ref = [k for k in ("exam", "grade", "subject") if k in scores.columns]
        sat = scores["score"].astype(float).where(sat_mask(scores))
        for which, share in standard.rank_lines.items():
            per_group = sat.groupby([scores[k] for k in ref], dropna=False).transform(
                lambda x, share=share: rank_line(x, share)) if ref else \
                pd.Series(rank_line(sat, share), index=scores.index)
            lines[which] = per_group.to_numpy(float)
    return lines


def cut_lines(scores: pd.DataFrame, *, standard: Standard | str | None = None) -> pd.DataFrame:
    """The 及格线, 优秀线 and 低分线 in points, per exam × grade × subject.

    Lines are shares of the full mark by default, or rank-relative when the standard has
    ``rank_lines`` (e.g. 优秀 = the top 20 % of the grade).

    Returns
    -------
    DataFrame
        ``exam``, ``grade``, ``subject`` (those present), ``full_mark``, ``pass_line``,
        ``excellent_line``, ``low_line`` (a score below ``low_line`` is a low score).

    Examples
    --------
    >>> import qualitykit as qk
    >>> qk.cut_lines(qk.load_sample(exam="2025-2026-1 期末", grade=5))[["subject", "pass_line"]]
      subject  pass_line
    0      语文       60.0
    1      数学       60.0
    2      英语       60.0
    3      科学       60.0
    """
    std = get_standard(standard)
    lines = row_lines(scores, std)
    keys = [k for k in ("exam", "grade", "subject") if k in scores.columns]
    out = scores[keys + ["full_mark"]].assign(
        pass_line=lines["pass"], excellent_line=lines["excellent"], low_line=lines["low"])
    out = out.drop_duplicates(keys + ["full_mark"]).reset_index(drop=True)
    return in_teaching_order(out, keys)


def _flags(scores: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """Per-row sat / pass / excellent / low / full flags (NaN-safe)."""
    full = scores["full_mark"].astype(float)
    score = scores["score"].astype(float).to_numpy()
    sat = sat_mask(scores).to_numpy()
    lines = row_lines(scores, standard)
    eps = 1e-9
    with np.errstate(invalid="ignore"):
        return pd.DataFrame({
            "sat": sat,
            "passed": sat & (score >= lines["pass"] - eps),
            "excellent": sat & (score >= lines["excellent"] - eps),
            "low": sat & (score < lines["low"] - eps),
            "full": sat & (np.abs(score - full.to_numpy()) < eps),
        }, index=scores.index)


def all_pass_rate(scores: pd.DataFrame, *, by: Sequence[str] = ("class_id",),
                  standard: Standard | str | None = None) -> pd.DataFrame:
    """全科合格率: the share of students who passed every subject they sat.

    A student counts when they sat at least one subject of the exam; absent subjects are
    neither passed nor failed. Rows without a full mark (a 总分 column) are left out.

    A class is identified within its school: with several schools ``school`` is added before
    ``class_id`` (:func:`qualitykit.schema.unit_keys`).

    Returns
    -------
    DataFrame
        ``by`` columns (and ``exam``, ``school``), ``n_students``, ``n_all_pass``, ``all_pass_rate``,
        ``all_pass_rate_low``, ``all_pass_rate_high``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.all_pass_rate(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> t.columns.tolist()[:4]
    ['class_id', 'n_students', 'n_all_pass', 'all_pass_rate']
    """
    std = get_standard(standard)
    check_scores_table(scores, where="all_pass_rate")
    keys = group_keys(scores, by)
    flags = _flags(scores, std)
    pupil = keys + [k for k in student_keys(scores) if k not in keys]
    per_student = (scores[pupil].assign(passed=flags["passed"])
                   [sat_mask(scores, with_full_mark=True)]
                   .groupby(pupil, dropna=False, sort=True)["passed"].all())
    out = per_student.groupby(level=keys, dropna=False).agg(n_students="size", n_all_pass="sum")
    out = out.reset_index()
    out["all_pass_rate"] = out["n_all_pass"] / out["n_students"]
    out["all_pass_rate_low"], out["all_pass_rate_high"] = wilson_interval(
        out["n_all_pass"], out["n_students"])
    return in_teaching_order(out, keys)  # classes as the school counts them


def double_high_check(scores: pd.DataFrame, *, by: Sequence[str] | str = ("school",),
                      standard: Standard | str | None = None) -> pd.DataFrame:
    """双高普九: is every single-subject pass rate ≥ 90 % and the all-subject pass rate ≥ 85 %?

    The two thresholds come from the standard (``double_high_subject``, ``double_high_all``).
    Subjects without a score (等级-only) and 总分 columns are not judged.

    Returns
    -------
    DataFrame
        One row per unit (``by``): ``n_subjects``, ``min_pass_rate`` and ``weakest_subject``,
        ``subjects_below`` (subjects under the single-subject line, "、"-joined, empty when none),
        ``all_pass_rate``, ``meets_subject``, ``meets_all`` and ``meets`` (both).

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.double_high_check(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> t[["school", "n_subjects", "meets"]]
           school  n_subjects  meets
    0  青禾实验小学           4  False
    """
    std = get_standard(standard)
    check_scores_table(scores, where="double_high_check")
    keys = group_keys(scores, by)
    judged = scores[scores["full_mark"].notna()]
    per_subject = summary(judged, by=[k for k in keys if k != "exam"] + ["subject"], standard=std)
    per_subject = per_subject[per_subject["pass_rate"].notna()
                              & per_subject["basis"].eq("score")]
    rows = []
    for unit, grp in per_subject.groupby(keys, dropna=False, sort=True):
        unit = unit if isinstance(unit, tuple) else (unit,)
        weakest = grp.loc[grp["pass_rate"].idxmin()]
        below = grp.loc[grp["pass_rate"] < std.double_high_subject - 1e-12, "subject"]
        rows.append({**dict(zip(keys, unit)), "n_subjects": len(grp),
                     "min_pass_rate": weakest["pass_rate"], "weakest_subject": weakest["subject"],
                     "subjects_below": "、".join(below)})
    out = pd.DataFrame(rows, columns=keys + ["n_subjects", "min_pass_rate", "weakest_subject",
                                             "subjects_below"])
    ap = all_pass_rate(judged, by=[k for k in keys if k != "exam"], standard=std)
    out = out.merge(ap[keys + ["all_pass_rate"]], on=keys, how="left")
    out["meets_subject"] = out["min_pass_rate"] >= std.double_high_subject - 1e-12
    out["meets_all"] = out["all_pass_rate"] >= std.double_high_all - 1e-12
    out["meets"] = out["meets_subject"] & out["meets_all"]
    return out


def summary(scores: pd.DataFrame, *, by: Sequence[str] | str = ("class_id", "subject"),
            standard: Standard | str | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """三率一分 and the usual indicators, one row per group.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table (:func:`qualitykit.read_scores`).
    by : column names
        Groups, e.g. ``("class_id", "subject")``. ``exam`` is added in front when the table
        holds several exams, and ``school`` before ``class_id`` when it holds several schools
        (a class is identified within its school: :func:`qualitykit.schema.unit_keys`).
    standard : Standard, preset name or TOML path, optional
        Cut lines, 超均率 variant and 综合分 weights (default: :data:`PRESETS["default"]`).
    confidence : float
        Level of the Wilson intervals of the rates.

    Returns
    -------
    DataFrame
        ``by`` columns; ``full_mark``; ``n_enrolled`` (应考), ``n_sat`` (实考), ``n_absent``;
        ``mean``, ``sd`` (sample, ddof=1), ``median``, ``min``, ``max``; ``n_pass``,
        ``n_excellent``, ``n_low`` (counts behind the rates); ``pass_rate``,
        ``excellent_rate``, ``low_rate`` each with ``_low``/``_high`` interval bounds;
        ``full_mark_rate``; ``cv`` (sd/mean); ``difficulty`` (mean/full mark);
        ``above_mean_rate`` (超均率, variant from the standard, against the same exam × subject
        over all rows passed in); ``composite`` (综合分, 0–100); ``rank`` (competition rank of
        ``composite`` within the same exam × subject, 1 = best); ``basis``: ``score``, or
        ``level`` for a group whose sitters have a 等级 and no score (一、二年级): there
        ``n_sat`` counts the pupils with a level, ``pass_rate`` is the share at 合格 or better
        and ``excellent_rate`` the share at 优秀 (letters by ``standard.level_letters``), and
        ``mean``, ``low_rate``, ``full_mark_rate``, ``composite`` and ``rank`` are empty;
        :func:`qualitykit.level_summary` gives every level's share. Rates are fractions 0–1.

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.summary(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> s[["class_id", "subject", "n_sat", "pass_rate"]].head(2)
      class_id subject  n_sat  pass_rate
    0      5-1      语文     38   0.868421
    1      5-1      数学     38   0.868421
    """
    std = get_standard(standard)
    # scores past the full mark are not refused here (yet): cohort_compare hands summary
    # simulated scores of a normal law, some above 100
    check_scores_table(scores, where="summary", bounds=False)
    keys = group_keys(scores, by)
    data = _row_data(scores, keys, std)
    ref_keys = [k for k in ("exam", "subject") if k in keys]
    counts = _with_reference(_group_counts(data, keys), data, keys, ref_keys, std)
    return summary_from_counts(counts, keys, standard=std, confidence=confidence,
                               all_pass=_weighted_all_pass(scores, keys, std))


def summary_from_counts(counts: pd.DataFrame, keys: list[str], *, standard: Standard,
                        confidence: float = 0.95,
                        all_pass: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`summary`'s table from its per-group counts: the step every engine shares.

    An engine (pandas here, DuckDB in :mod:`qualitykit.district.engine`) counts the groups;
    the rates, their Wilson intervals, 超均率, 综合分 and its rank follow from the counts the
    same way for all of them.

    Parameters
    ----------
    counts : DataFrame
        One row per group, sorted by ``keys``: ``keys``, ``full_mark``, ``n_enrolled``,
        ``n_sat``, ``mean``, ``sd``, ``median``, ``min``, ``max``, ``n_pass``,
        ``n_excellent``, ``n_low``, ``n_full``, ``lv_sat``, ``lv_pass``, ``lv_excellent``
        (pupils with a level and no score: with one, 合格 or better, 优秀) and the group's
        reference (its exam × subject over every row): ``ref_mean``, ``ref_pass``, ``ref_n``,
        and ``n_above`` (sitters at or above ``ref_mean``; used by the ``share_above``
        variant).
    keys : list of str
        The group columns.
    standard : Standard
    confidence : float
    all_pass : DataFrame, optional
        全科合格率 by unit, when the standard's 综合分 weighs it (:func:`all_pass_rate`).

    Returns
    -------
    DataFrame
        :func:`summary`'s columns.
    """
    out = _rates_from_levels(counts.copy())
    out["n_absent"] = out["n_enrolled"] - out["n_sat"]
    out = _rates(out, standard, confidence)
    out["above_mean_rate"] = _above_mean(out, standard)
    ref_keys = [k for k in ("exam", "subject") if k in keys]
    out = _composite_and_rank(out, all_pass, keys, ref_keys, standard)
    out = in_teaching_order(out, keys)
    return out[_summary_columns(keys, "all_pass_rate" in out)]


def _row_data(scores: pd.DataFrame, keys: list[str], std: Standard) -> pd.DataFrame:
    """The group keys, score and full mark of every row, with its flags (:func:`_flags`,
    :func:`_level_flags`) and ``x``, the score of a sitter (NaN otherwise)."""
    data = scores[keys + ["score", "full_mark"]].assign(**_flags(scores, std),
                                                          **_level_flags(scores, std))
    data["x"] = data["score"].where(data["sat"])
    return data


def _group_counts(data: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group: the full mark, 应考/实考/缺考, the moments of the scores and the counts behind
    the rates (of levels where the sitters have levels and no scores)."""
    groups = data.groupby(keys, dropna=False, sort=True)
    mixed = groups["full_mark"].nunique(dropna=False) > 1  # no full mark (NaN) is one
    if mixed.any():
        first = mixed.index[mixed.to_numpy()][0]
        raise ValueError(f"同一组内满分不一致 (mixed full marks in a group)：{first}；"
                         "请按科目分组（by 中加入 subject）。")
    out = groups.agg(n_enrolled=("sat", "size"), n_sat=("sat", "sum"), mean=("x", "mean"),
                     sd=("x", "std"), median=("x", "median"), min=("x", "min"), max=("x", "max"),
                     n_pass=("passed", "sum"), n_excellent=("excellent", "sum"),
                     n_low=("low", "sum"), n_full=("full", "sum"), lv_sat=("lv_sat", "sum"),
                     lv_pass=("lv_pass", "sum"), lv_excellent=("lv_excellent", "sum"))
    out.insert(0, "full_mark", groups["full_mark"].min())
    return out.reset_index()


def _rates(out: pd.DataFrame, std: Standard, confidence: float) -> pd.DataFrame:
    """The rates of the counts with their Wilson intervals, 满分率, 差异系数 and 难度."""
    n = out["n_sat"].where(out["n_sat"] > 0)
    for rate, count, line in zip(RATES, ("n_pass", "n_excellent", "n_low"),
                                 ("pass", "excellent", "low")):
        # without a full mark (a researcher's Z scores) a share-of-full-mark line does not exist
        judged = n.where(out["full_mark"].notna() | (line in std.rank_lines))
        out[rate] = out[count] / judged
        out[f"{rate}_low"], out[f"{rate}_high"] = wilson_interval(
            out[count], judged.fillna(0), confidence)
    out["full_mark_rate"] = out["n_full"] / n.where(out["full_mark"].notna())
    out["cv"] = out["sd"] / out["mean"]
    out["difficulty"] = out["mean"] / out["full_mark"]
    return out


def _weighted_all_pass(scores: pd.DataFrame, keys: list[str], std: Standard
                       ) -> pd.DataFrame | None:
    """全科合格率 by the unit of ``keys`` (without subject) when the 综合分 weighs it."""
    if "all_pass_rate" not in std.composite_weights:
        return None
    unit = [k for k in keys if k != "subject"]
    return all_pass_rate(scores, by=[k for k in unit if k != "exam"] or ["school"], standard=std)


def _composite_and_rank(out: pd.DataFrame, ap: pd.DataFrame | None, keys: list[str],
                        ref_keys: list[str], std: Standard) -> pd.DataFrame:
    """综合分 by the standard's weights (with 全科合格率 ``ap`` when weighted) and its rank
    within the same exam × subject."""
    if "all_pass_rate" in std.composite_weights:
        unit = [k for k in keys if k != "subject"]
        out = out.merge(ap[[c for c in ap.columns if c in unit or c == "all_pass_rate"]],
                        on=[k for k in unit if k in ap.columns], how="left")
    out["composite"] = 100 * sum(
        w * (out["difficulty"] if part == "mean" else out[part])
        for part, w in std.composite_weights.items())
    rank_groups = out.groupby(ref_keys, dropna=False)["composite"] if ref_keys else out["composite"]
    out["rank"] = rank_groups.rank(ascending=False, method="min").astype("Int64")
    return out


def _summary_columns(keys: list[str], all_pass: bool) -> list[str]:
    """The columns of :func:`summary`, in order."""
    columns = keys + ["full_mark", "n_enrolled", "n_sat", "n_absent", "mean", "sd", "median",
                      "min", "max", "n_pass", "n_excellent", "n_low"]
    for rate in RATES:
        columns += [rate, f"{rate}_low", f"{rate}_high"]
    columns += ["full_mark_rate", "cv", "difficulty", "above_mean_rate"]
    columns += ["all_pass_rate"] if all_pass else []
    return columns + ["composite", "rank", "basis"]


def _level_flags(scores: pd.DataFrame, std: Standard) -> dict[str, np.ndarray]:
    """Per-row flags of sitters with a 等级 and no score: has a level, 合格 or better, 优秀."""
    none = np.zeros(len(scores), bool)
    if "level" not in scores:
        return {"lv_sat": none, "lv_pass": none, "lv_excellent": none}
    only = scores["status"].eq("sat") & scores["score"].isna() & scores["level"].notna()
    code = level_codes(scores["level"].where(only), std).to_numpy()
    return {"lv_sat": ~np.isnan(code), "lv_pass": code <= 2, "lv_excellent": code == 0}


def _rates_from_levels(out: pd.DataFrame) -> pd.DataFrame:
    """Groups whose sitters have levels and no scores (一、二年级): 实考 = pupils with a level,
    合格率 = share 合格 or better, 优秀率 = share 优秀; no mean, 低分率 or 满分率. ``basis`` says
    which groups these are."""
    level = (out["n_sat"] == 0) & (out["lv_sat"] > 0)
    out["basis"] = np.where(level, "level", "score")
    if level.any():
        out[["n_low", "n_full"]] = out[["n_low", "n_full"]].astype(float)
        out.loc[level, ["n_low", "n_full"]] = np.nan
        for count, lv in (("n_sat", "lv_sat"), ("n_pass", "lv_pass"),
                          ("n_excellent", "lv_excellent")):
            out[count] = out[count].where(~level, out[lv])
    return out.drop(columns=["lv_sat", "lv_pass", "lv_excellent"])


def _with_reference(counts: pd.DataFrame, data: pd.DataFrame, keys: list[str],
                    ref_keys: list[str], std: Standard) -> pd.DataFrame:
    """``counts`` with each group's reference (its exam × subject over all rows): ``ref_mean``,
    ``ref_pass``, ``ref_n``, and ``n_above`` (sitters at or above ``ref_mean``; counted only
    for the ``share_above`` variant)."""
    if ref_keys:
        ref = data.groupby(ref_keys, dropna=False).agg(ref_mean=("x", "mean"),
                                                      ref_pass=("passed", "sum"),
                                                      ref_n=("sat", "sum")).reset_index()
        per_row = data[ref_keys].merge(ref, on=ref_keys, how="left")
        counts = counts.merge(ref, on=ref_keys, how="left")
    else:
        counts = counts.assign(ref_mean=data["x"].mean(), ref_pass=data["passed"].sum(),
                               ref_n=data["sat"].sum())
        per_row = pd.DataFrame({"ref_mean": np.full(len(data), data["x"].mean())})
    counts["n_above"] = np.nan
    if std.above_mean_variant not in ("relative_mean", "relative_rate"):
        above = data.assign(_above=(data["x"] >= per_row["ref_mean"].to_numpy() - 1e-9)
                            & data["sat"])
        counts["n_above"] = above.groupby(keys, dropna=False, sort=True)["_above"].sum(
        ).to_numpy()
    return counts


def _above_mean(out: pd.DataFrame, std: Standard) -> pd.Series:
    """超均率 by the standard's variant, from the group's counts and its reference."""
    if std.above_mean_variant == "relative_mean":
        return (out["mean"] - out["ref_mean"]) / out["ref_mean"]
    if std.above_mean_variant == "relative_rate":
        ref_rate = out["ref_pass"] / out["ref_n"]
        return (out["pass_rate"] - ref_rate) / ref_rate
    # share of the unit's sitters at or above the reference mean
    return out["n_above"] / out["n_sat"].where(out["n_sat"] > 0)
