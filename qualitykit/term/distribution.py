"""Where the scores lie: 分数段, 标准分 (Z, T, 标准分总分) and 等级."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..schema import check_scores_table, group_keys, sat_mask, student_keys
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order

__all__ = ["score_bands", "standardize", "standard_total", "grade_levels", "student_totals"]


def _edges(full_mark: float, width: float, observed_max: float) -> list[float]:
    top = full_mark if not math.isnan(full_mark) else math.ceil(observed_max / width) * width
    edges = list(np.arange(0, top, width, dtype=float)) + [float(top)]
    if len(edges) > 2 and edges[-1] - edges[-2] < width / 2:  # e.g. 0…140, 150 with width 20
        edges.pop(-2)
    return edges


def _band_label(lo: float, hi: float, last: bool) -> str:
    return f"{lo:g}–{hi:g}" if last else f"{lo:g}–<{hi:g}"


def score_bands(scores: pd.DataFrame, *, by: Sequence[str] | str = ("class_id", "subject"),
                width: float = 10, edges: Sequence[float] | None = None) -> pd.DataFrame:
    """分数段: how many sitters fall in each score band.

    Bands include their lower edge and exclude their upper edge, except the top band which
    includes the full mark (``90–100`` holds 90 and 100; ``80–<90`` holds 80 up to 89.5).

    Parameters
    ----------
    scores : DataFrame
        The canonical long table.
    by : column names
        Groups; a band table is made for each (``exam`` added in front when several).
    width : float
        Band width in points (default 10), from 0 up to the full mark.
    edges : list of float, optional
        Custom band edges instead, e.g. ``[0, 60, 70, 80, 90, 100]``.

    Returns
    -------
    DataFrame
        ``by`` columns, ``band`` (label), ``lower``, ``upper``, ``count``, ``share`` (of the
        sitters of the group), and ``cum_count`` / ``cum_share`` accumulated from the top band
        down (the way 分数段统计表 are read: how many scored 80 or more). Bands run from the
        top down. Only sitters (``status == "sat"``) are counted.

    Examples
    --------
    >>> import qualitykit as qk
    >>> b = qk.score_bands(qk.load_sample(exam="2025-2026-1 期末", grade=5), by="subject")
    >>> b[b.subject == "数学"][["band", "count", "cum_count"]].head(3)
          band  count  cum_count
    10  90–100     39         39
    11  80–<90     46         85
    12  70–<80     31        116
    """
    check_scores_table(scores, where="score_bands")
    keys = group_keys(scores, by)
    groups = _band_groups(scores, keys)
    columns: dict[str, list] = {k: [] for k in keys + ["band", "lower", "upper", "count", "n"]}
    for group, (x, full) in groups.items():
        group = group if isinstance(group, tuple) else (group,)
        _group_bands(columns, dict(zip(keys, group)), x, full, width, edges)
    n = np.array(columns.pop("n"), float)
    out = pd.DataFrame(columns) if groups else pd.DataFrame(columns=keys + ["band"])
    counts = out["count"].to_numpy() if groups else np.array([], int)
    cum = out.groupby(keys, sort=False, dropna=False)["count"].cumsum() if groups else []
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(n > 0, counts / n, np.nan)
        out["cum_count"] = cum
        out["cum_share"] = np.where(n > 0, np.asarray(cum, float) / n, np.nan)
    # subjects in teaching order; bands stay from the top down within each group (stable sort)
    return in_teaching_order(out, keys)


def _band_groups(scores: pd.DataFrame, keys: list[str]) -> dict:
    """Each group (as ``groupby(keys, sort=True)`` orders them): its sitters' scores and the
    full mark of its first row; one full mark per group, or a message."""
    grouped = scores.groupby(keys, dropna=False, sort=True)
    labels = list(grouped.size().index)
    if not labels:
        return {}
    mixed = grouped["full_mark"].nunique().to_numpy() > 1
    if mixed.any():
        group = labels[int(np.argmax(mixed))]
        group = group if isinstance(group, tuple) else (group,)
        raise ValueError(f"同一组内满分不一致 (mixed full marks in a group)：{group}；"
                         "请按科目分组（by 中加入 subject）。")
    codes = grouped.ngroup().to_numpy()
    first = np.unique(codes, return_index=True)[1]  # each group's first row
    full = scores["full_mark"].astype(float).to_numpy()[first]
    sat = sat_mask(scores).to_numpy()
    order = np.argsort(codes[sat], kind="stable")
    bounds = np.cumsum(np.bincount(codes[sat], minlength=len(labels)))[:-1]
    x = np.split(scores["score"].astype(float).to_numpy()[sat][order], bounds)
    return {label: (x[i], float(full[i])) for i, label in enumerate(labels)}


def _group_bands(columns: dict, ident: dict, x: np.ndarray, full_mark: float, width: float,
                 edges: Sequence[float] | None) -> None:
    """Append the band rows of one group (``ident``) with the scores ``x`` of its sitters, top
    down, to ``columns``."""
    cuts = list(edges) if edges is not None else _edges(
        full_mark, width, float(x.max()) if len(x) else width)
    if any(b <= a for a, b in zip(cuts, cuts[1:])):
        raise ValueError(f"edges 应从小到大排列，收到 {list(edges)}。")
    idx = np.searchsorted(cuts, x, side="right") - 1
    idx = np.where(x == cuts[-1], len(cuts) - 2, idx)  # the full mark belongs to the top band
    inside = (idx >= 0) & (idx < len(cuts) - 1)
    counts = np.bincount(idx[inside], minlength=len(cuts) - 1)
    bands = list(enumerate(zip(cuts, cuts[1:])))[::-1]
    for key, value in ident.items():
        columns[key].extend([value] * len(bands))
    columns["band"].extend(_band_label(lo, hi, i == len(cuts) - 2) for i, (lo, hi) in bands)
    columns["lower"].extend(lo for _, (lo, _) in bands)
    columns["upper"].extend(hi for _, (_, hi) in bands)
    columns["count"].extend(int(counts[i]) for i, _ in bands)
    columns["n"].extend([len(x)] * len(bands))


def standardize(scores: pd.DataFrame, *, within: Sequence[str] | str = ("exam", "subject"),
                ddof: int = 1, t_mean: float = 50, t_sd: float = 10) -> pd.DataFrame:
    """标准分: Z = (x − mean) / sd within each exam × subject, and T = 50 + 10 Z.

    Parameters
    ----------
    within : column names
        Groups inside which scores are standardised (default exam × subject; add ``grade``
        for a table of several grades).
    ddof : int
        1 for the sample SD (default, as Excel's STDEV), 0 for the population SD (STDEVP).
    t_mean, t_sd : float
        Scale of the T score (some districts use 500 + 100 Z).

    Returns
    -------
    DataFrame
        A copy of ``scores`` with ``z`` and ``t`` (NaN unless sat; NaN when the group's SD is 0).

    Examples
    --------
    >>> import qualitykit as qk
    >>> z = qk.standardize(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> float(round(z.groupby("subject")["z"].mean().abs().max(), 12))
    0.0
    """
    check_scores_table(scores, where="standardize", required=("score", "status"), bounds=False)
    within = [within] if isinstance(within, str) else list(within)
    within = [k for k in within if k in scores.columns]
    x = scores["score"].astype(float).where(sat_mask(scores))
    grouped = x.groupby([scores[k] for k in within], dropna=False) if within else None
    mean = grouped.transform("mean") if within else pd.Series(x.mean(), index=x.index)
    sd = grouped.transform(lambda v: v.std(ddof=ddof)) if within else pd.Series(
        x.std(ddof=ddof), index=x.index)
    out = scores.copy()
    out["z"] = (x - mean) / sd.where(sd > 0)
    out["t"] = t_mean + t_sd * out["z"]
    return out


def standard_total(scores: pd.DataFrame, *, within: Sequence[str] | str = ("exam", "subject"),
                   ddof: int = 1, t_mean: float = 50, t_sd: float = 10) -> pd.DataFrame:
    """标准分总分: the sum of a student's T scores over the subjects he sat.

    Unlike a raw 总分 it weighs every subject equally, whatever its full mark or spread.
    Rows without a full mark (总分 columns of the sheet) are left out.

    Returns
    -------
    DataFrame
        One row per student (and exam): ``student_id``, ``name``, ``class_id`` (those present),
        ``n_subjects``, ``t_total``, ``z_mean`` (mean Z over the subjects sat).

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.standard_total(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> t.columns.tolist()
    ['exam', 'student_id', 'name', 'class_id', 'n_subjects', 't_total', 'z_mean']
    """
    rows = scores[scores["full_mark"].notna()]
    z = standardize(rows, within=within, ddof=ddof, t_mean=t_mean, t_sd=t_sd)
    z = z[z["z"].notna()]
    keys = [k for k in ("exam", "student_id") if k in z.columns]
    info = [k for k in ("name", "class_id") if k in z.columns]
    out = z.groupby(keys, sort=True, dropna=False).agg(
        **{k: (k, "first") for k in info}, n_subjects=("z", "size"), t_total=("t", "sum"),
        z_mean=("z", "mean"))
    return out.reset_index()


def grade_levels(scores: pd.DataFrame, *, standard: Standard | str | None = None) -> pd.DataFrame:
    """等级 优秀/良好/合格/待合格 from the score, by the standard's bands.

    Grades 1–2 use the lower-primary bands (90/80/60 % by default). A level the sheet already
    records (e.g. 等级-only subjects of grades 1–2) is kept when there is no score.

    Returns
    -------
    DataFrame
        A copy of ``scores`` with ``level`` filled for every sat row with a score.

    Examples
    --------
    >>> import qualitykit as qk
    >>> g = qk.grade_levels(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> g["level"].value_counts().index.tolist()
    ['优秀', '良好', '合格', '待合格']
    """
    std = get_standard(standard)
    out = scores.copy()
    score = out["score"].astype(float).to_numpy()
    full = out["full_mark"].astype(float).to_numpy()
    grade = out["grade"] if "grade" in out else pd.Series(pd.NA, index=out.index)
    sat = sat_mask(out, with_full_mark=True).to_numpy()
    level = out["level"].astype(object).to_numpy().copy() if "level" in out else \
        np.full(len(out), None, dtype=object)
    for g in pd.unique(grade):
        bands = std.bands(None if pd.isna(g) else int(g))
        in_grade = (grade.isna() if pd.isna(g) else grade.eq(g)).to_numpy(bool) & sat
        assigned = np.zeros(len(out), bool)
        for name, share in bands:
            hit = in_grade & ~assigned & (score >= np.round(share * full, 9) - 1e-9)
            level[hit] = name
            assigned |= hit
    out["level"] = pd.Series(level, index=out.index).where(lambda s: s.notna(), None)
    return out


def student_totals(scores: pd.DataFrame, *, rank_within: Sequence[str] | str = (),
                   subjects: Sequence[str] | None = None,
                   rank_among: str = "complete") -> pd.DataFrame:
    """总分 of each student (sum of the subjects he sat) and its competition rank.

    For staff only: under the 2021 rules ranks are not shown to students or parents. A student
    who sat no subject gets no total and no rank. Rows without a full mark (a 总分 column the
    sheet already had) are left out of the sum.

    By default, as schools' own exports do (“缺考，不计排名”), 总分 is ranked among the students
    who sat every subject they have a row for (``complete``): a partial 总分 is not comparable,
    so an incomplete student keeps his total but gets no rank, and does not push anyone down.
    ``rank_among="all"`` ranks every student with a total, as some 联考 organisers do.

    Parameters
    ----------
    rank_within : column names
        Rank inside these groups (e.g. ``"school"`` for 校排名); the whole table by default
        (年级 / 联考排名). ``exam`` is always a group.
    subjects : list of str, optional
        Only these subjects (e.g. 语数英).
    rank_among : {"complete", "all"}
        Who is ranked: students who sat every subject (default) or everyone with a total.

    Returns
    -------
    DataFrame
        ``exam``, ``school``, ``student_id``, ``name``, ``class_id`` (those present; ``school``
        comes first when the table holds several schools: a pupil is identified within his
        school), ``n_subjects`` (subjects sat), ``complete`` (sat every subject he has a row
        for: 全科参考), ``total``, ``rank`` (1 = highest; ties share the best rank: 1, 2, 2, 4;
        empty for an incomplete student unless ``rank_among="all"``).

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.student_totals(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> t.sort_values("rank")[["n_subjects", "rank"]].iloc[0].tolist()
    [4, 1]
    >>> int(t["rank"].isna().sum()) == int((~t["complete"]).sum())
    True
    """
    if rank_among not in ("complete", "all"):
        raise ValueError(f"rank_among 应为 'complete'（只在全科参考的学生中排名）或 'all'"
                         f"（所有有总分的学生），收到 {rank_among!r}。")
    check_scores_table(scores, where="student_totals")
    rows = scores[scores["full_mark"].notna()]
    if subjects:
        rows = rows[rows["subject"].isin(list(subjects))]
    out = _totals(rows)
    within = [rank_within] if isinstance(rank_within, str) else list(rank_within)
    groups = [k for k in ["exam", *within] if k in out.columns]
    ranked = out["total"].where(out["complete"] | (rank_among == "all"))
    ranked = ranked.groupby([out[k] for k in groups], dropna=False) if groups else ranked
    out["rank"] = ranked.rank(ascending=False, method="min").astype("Int64")
    return out


def _totals(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per pupil with a score: the pupil, ``n_subjects``, ``complete`` (sat every subject
    he has a row for) and ``total``."""
    taken = sat_mask(rows)
    keys = [k for k in ("exam", *student_keys(rows)) if k in rows.columns]
    info = [k for k in ("name", "school", "class_id") if k in rows.columns and k not in keys]
    complete = taken.groupby([rows[k] for k in keys], sort=True, dropna=False).all()
    out = rows[taken].groupby(keys, sort=True, dropna=False).agg(
        **{k: (k, "first") for k in info}, n_subjects=("score", "size"),
        total=("score", "sum")).reset_index()
    out.insert(len(out.columns) - 1, "complete",
               complete.reindex(pd.MultiIndex.from_frame(out[keys])).to_numpy(bool)
               if len(keys) > 1 else complete.reindex(out[keys[0]]).to_numpy(bool))
    return out
