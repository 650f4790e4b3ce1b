"""试卷分析: classical item statistics, reliability and distractors (compute only).

Definitions (each checked in the tests against a published table or a hand computation)
------------------------------------------------------------------------------------------
* 难度 P = mean item score / item full mark; 失分率 = 1 − P. Paper difficulty = mean total /
  sum of the items' full marks (weighted by item max).
* 区分度 D = (mean of the upper group − mean of the lower group) / item full mark, the groups
  being the top and bottom ``item_group_share`` (27 %) of students by total score. Group size
  = round(share × n). **Ties** at a cut are broken by the order of the rows (the order of the
  sheet), so that both groups have exactly that size; this is the rule of ShinyItemAnalysis /
  R ``rank(ties.method = "first")`` and it reproduces the published ULI.
* ULI = the same with the students cut into ``uli_groups`` (3) equal groups by rank.
* RIT = correlation of the item with the total; RIR = with the total of the *other* items
  (corrected item–total correlation). α if dropped = Cronbach α without the item.
* Cronbach α = k/(k − 1)·(1 − Σ var(item) / var(total)), sample variances (ddof 1); for 0/1
  items this is KR-20. 95 % interval by Feldt: 1 − (1 − α)·F(0.025 | 0.975; n − 1,
  (n − 1)(k − 1)). SEM = SD(total)·√(1 − α).
* Ebel's bands for D: ≥ .40 优良, .30–.39 良好, .20–.29 尚可（宜修改）, < .20 差; a negative D
  means the strong students do worse than the weak ones: check the key.
* 选做题 (22/23 二选一): adjacent items of which no student has two scores and which together
  hold a score for ≥ 90 % of the students (:func:`optional_groups`). The unchosen item is not
  a blank (never scored 0, never a reason to drop a student): each item's P, D, RIT are
  computed on the students who chose it; the total, the paper's full mark (the group's largest)
  and α count the group as one item (the score of the one chosen). ``reading`` and the paper's
  ``note`` say so.
* Fewer than ``item_min_students`` (20) students, or a paper of one item (its total is the
  item itself): no D, ULI, RIT, RIR, α — they would mean nothing; the paper table says so.

Missing item scores (``missing=``), chosen deliberately
-------------------------------------------------------
A student is in the analysis when he has at least one item score (absentees never reach the
item table). A blank cell of such a student is, by default, a question he did not answer:
``"zero"`` scores it 0, as the marking system does for the total. ``"listwise"`` keeps only
students with every item (n in the Feldt interval = the students kept); ``"pairwise"`` keeps
every score, computing each item's statistics on the students who have it and α from the
pairwise covariance matrix (as R ``psych::alpha(use = "pairwise")``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..probability import f_isf
from ..standard import Standard, get_standard

__all__ = ["item_analysis", "distractors", "cronbach_alpha", "item_matrix", "ItemAnalysis", "EBEL",
           "MISSING", "PAPER_KEYS", "optional_groups", "unchosen_optional"]

#: The columns that together name one paper (those present in the item table).
PAPER_KEYS = ("exam", "subject", "grade")
MISSING = ("zero", "listwise", "pairwise")
#: Ebel's bands for the discrimination D, from the top.
EBEL = (("very_good", 0.40), ("good", 0.30), ("marginal", 0.20), ("poor", -np.inf))
ITEM_FLAGS = ("negative_d", "low_d", "very_easy", "very_hard")


@dataclass
class ItemAnalysis:
    """What :func:`item_analysis` found.

    Attributes
    ----------
    items : DataFrame
        One row per item (per group when ``by`` is given).
    paper : DataFrame
        One row per paper (per group): n, total, difficulty, α with its interval, SEM.
    """

    items: pd.DataFrame
    paper: pd.DataFrame


def cronbach_alpha(wide: pd.DataFrame | np.ndarray, *, missing: str = "listwise",
                   confidence: float = 0.95) -> tuple[float, float, float, int]:
    """Cronbach α of a students × items table, its Feldt interval, and the n used.

    Parameters
    ----------
    wide : DataFrame or array
        One row per student, one column per item.
    missing : {"listwise", "pairwise", "zero"}
        Drop students with a missing item; use pairwise covariances; or score blanks 0.

    Examples
    --------
    >>> a, low, high, n = cronbach_alpha([[1, 1, 1], [1, 0, 1], [0, 0, 1], [0, 0, 0]])
    >>> round(a, 4), n
    (0.75, 4)
    """
    X = np.asarray(wide, dtype=float)
    if missing not in MISSING:
        raise ValueError(f"missing 应为 {MISSING} 之一，收到 {missing!r}。")
    X = _apply_missing(X, missing)
    n, k = X.shape
    alpha = _alpha_of(X, missing)
    low, high = _feldt(alpha, n, k, confidence)
    return float(alpha), low, high, int(n)


def _apply_missing(X: np.ndarray, missing: str) -> np.ndarray:
    """Students × items under the missing policy: ``zero`` scores a blank 0, ``listwise``
    drops the students with a blank, ``pairwise`` keeps the blanks."""
    if missing == "zero":
        return np.nan_to_num(X, nan=0.0)
    if missing == "listwise":
        return X[~np.isnan(X).any(axis=1)]
    return X


def _alpha_of(X: np.ndarray, missing: str) -> float:
    """Cronbach α of students × items already under the missing policy: from the pairwise
    covariance matrix for ``pairwise``, from the variances otherwise."""
    if missing == "pairwise":
        return _pairwise_alpha(pd.DataFrame(X).cov().to_numpy())
    return _alpha(X.var(axis=0, ddof=1).sum(), X.sum(axis=1).var(ddof=1), X.shape[1])


def _alpha(sum_item_var: float, total_var: float, k: int) -> float:
    """k/(k − 1)·(1 − Σ var(item) / var(total)); NaN under two items or without spread."""
    if k < 2 or not total_var > 0:
        return np.nan
    return k / (k - 1) * (1 - sum_item_var / total_var)


def _pairwise_alpha(C: np.ndarray) -> float:
    """α from an items × items covariance matrix: k/(k − 1)·(1 − trace C / ΣC)."""
    k = len(C)
    return k / (k - 1) * (1 - np.trace(C) / C.sum()) if k > 1 else np.nan


def _feldt(alpha: float, n: int, k: int, confidence: float = 0.95) -> tuple[float, float]:
    if not np.isfinite(alpha) or n < 2 or k < 2:
        return np.nan, np.nan
    tail = (1 - confidence) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return (float(1 - (1 - alpha) * f_isf(tail, df1, df2)),
            float(1 - (1 - alpha) * f_isf(1 - tail, df1, df2)))


def item_matrix(items: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Students × items scores of one paper and the items' full marks, in sheet order.

    Parameters
    ----------
    items : DataFrame
        The canonical item table (``student_id``, ``item_id``, ``score``, ``item_max``).

    Returns
    -------
    (DataFrame, Series)
        One row per student (index ``student_id``), one column per item, NaN for a blank;
        the full mark of each item (index ``item_id``).
    """
    return _wide(items)


def _wide(items: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Students × items (rows and columns in the order they first appear) and item maxima."""
    order_items = pd.unique(items["item_id"])
    order_students = pd.unique(items["student_id"])
    wide = items.pivot_table(index="student_id", columns="item_id", values="score",
                             aggfunc="first", dropna=False, sort=False)
    wide = wide.reindex(index=order_students, columns=order_items)
    maxima = items.groupby("item_id", sort=False)["item_max"].first().reindex(order_items)
    return wide, maxima


def _row_rank(total: np.ndarray) -> np.ndarray:
    """0 … n−1 from the lowest total; ties keep the order of the rows."""
    rank = np.empty(len(total), dtype=int)
    rank[np.argsort(total, kind="stable")] = np.arange(len(total))
    return rank


def _groups(total: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper group masks: round(share·n) students each, ties by row order."""
    n = len(total)
    rank = _row_rank(total)
    g = int(np.floor(share * n + 0.5))
    return rank < g, rank >= n - g


def _thirds(total: np.ndarray, k: int) -> np.ndarray:
    return np.floor(k * _row_rank(total) / len(total)).astype(int)


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    ok = ~(np.isnan(x) | np.isnan(y))
    if ok.sum() < 3 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
        return np.nan
    return float(np.corrcoef(x[ok], y[ok])[0, 1])


def optional_groups(X: np.ndarray) -> list[list[int]]:
    """选做题: runs of adjacent items of which no student has two scores and which together
    hold a score for at least 90 % of the students (22/23 二选一: each chose one). Columns of
    ``X`` (students × items, NaN for a blank); at least 5 students.

    >>> nan = np.nan
    >>> optional_groups(np.array([[1, 2, nan], [0, nan, 3], [1, 4, nan], [1, nan, 1],
    ...                           [0, 5, nan]]))
    [[1, 2]]
    """
    filled = ~np.isnan(X)
    n, k = X.shape
    groups, j = [], 0
    while n >= 5 and j < k - 1:
        run, union = [j], filled[:, j].copy()
        while (run[-1] + 1 < k and filled[:, run[-1] + 1].any()
               and not (union & filled[:, run[-1] + 1]).any()):
            run.append(run[-1] + 1)
            union |= filled[:, run[-1]]
        if len(run) >= 2 and filled[:, j].any() and union.mean() >= 0.9:
            groups.append(run)
            j = run[-1] + 1
        else:
            j += 1
    return groups


def unchosen_optional(items: pd.DataFrame) -> pd.Series:
    """Rows of the canonical item table that are the 选做 item a student did not choose
    (:func:`optional_groups`, paper by paper): True there, False elsewhere."""
    keys = [k for k in PAPER_KEYS if k in items.columns]
    pairs = set()
    for _, part in _papers(items, keys):
        wide, _ = _wide(part)
        X = wide.to_numpy(dtype=float)
        for g in optional_groups(X):
            for i in g:
                pairs |= {(sid, wide.columns[i]) for sid in wide.index[np.isnan(X[:, i])]}
    return pd.Series([(s, i) in pairs for s, i in zip(items["student_id"], items["item_id"])],
                     index=items.index, dtype=bool)


def _under_policy(X: np.ndarray, missing: str, unchosen: np.ndarray) -> np.ndarray:
    """``X`` under the missing policy, the unchosen 选做 items left blank (never scored 0 nor
    a reason to drop the student)."""
    if missing == "listwise":
        keep = ~np.isnan(np.where(unchosen, 0.0, X)).any(axis=1)
        X, unchosen = X[keep], unchosen[keep]
    X = _apply_missing(np.where(unchosen, 0.0, X), "pairwise" if missing == "listwise" else missing)
    return np.where(unchosen, np.nan, X)


def _merged(X: np.ndarray, m: np.ndarray, groups: list[list[int]]
            ) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Students × items with each 选做 group as one item (the score of the one chosen), its
    full mark the group's largest, and each original item's column in it."""
    inside = {i for g in groups for i in g}
    plain = [i for i in range(X.shape[1]) if i not in inside]
    cols = [X[:, i] for i in plain]
    column_of = {i: c for c, i in enumerate(plain)}
    maxima = [m[i] for i in plain]
    for g in groups:
        part = X[:, g]
        cols.append(np.where(np.isnan(part).all(axis=1), np.nan, np.nansum(part, axis=1)))
        maxima.append(max(m[i] for i in g))
        column_of.update({i: len(cols) - 1 for i in g})
    return (np.column_stack(cols), np.asarray(maxima, dtype=float),
            [column_of[i] for i in range(X.shape[1])])


def _paper(wide: pd.DataFrame, maxima: pd.Series, std: Standard, missing: str,
           uli_groups: int) -> tuple[pd.DataFrame, dict]:
    """One paper (or group): one row per item, and the paper's row. A 选做 group
    (:func:`optional_groups`) counts as one item in the total, its full mark and α; each of
    its items is described on the students who chose it."""
    X = wide.to_numpy(dtype=float)
    groups = optional_groups(X)
    unchosen = np.zeros(X.shape, dtype=bool)
    for g in groups:
        unchosen[:, g] = np.isnan(X[:, g])
    n_missing = int(np.isnan(X).sum() - unchosen.sum())
    X = _under_policy(X, missing, unchosen)
    n, k = X.shape
    m = maxima.to_numpy(dtype=float)
    out = _item_scores(X, m, wide.columns)
    total = np.nansum(X, axis=1)
    merged, merged_max, column_of = _merged(X, m, groups)
    enough = n >= std.item_min_students and merged.shape[1] >= 2  # one item: its total is itself
    for col in ("discrimination", "uli", "rit", "rir", "alpha_if_dropped"):
        out[col] = np.nan
    alpha = low = high = np.nan
    if enough:
        _discrimination(out, X, total, m, std.item_group_share, uli_groups)
        alpha = _alpha_of(merged, missing)
        dropped = _alpha_if_dropped(merged, total, missing)
        out["alpha_if_dropped"] = [dropped[c] for c in column_of]
        low, high = _feldt(alpha, n, merged.shape[1])
    _optional_notes(out, wide.columns, groups, X)
    binary = bool(np.all(m == 1) and np.isin(X[~np.isnan(X)], (0.0, 1.0)).all())
    sd_total = float(total.std(ddof=1)) if n > 1 else np.nan
    paper = {
        "n_students": n, "n_items": k, "max_total": float(merged_max.sum()),
        "mean_total": float(total.mean()) if n else np.nan, "sd_total": sd_total,
        "difficulty": float(total.mean() / merged_max.sum()) if n else np.nan,
        "alpha": alpha, "alpha_low": low, "alpha_high": high,
        "method": "KR-20" if binary else "Cronbach α",
        "sem": sd_total * np.sqrt(1 - alpha) if np.isfinite(alpha) and alpha <= 1 else np.nan,
        "missing": missing, "n_missing_cells": n_missing,
        "note": "；".join(t for t in (_paper_note(n, merged.shape[1], std),
                                     _optional_paper_note(wide.columns, groups)) if t),
    }
    return out, paper


def _optional_notes(out: pd.DataFrame, item_ids, groups: list[list[int]], X: np.ndarray) -> None:
    """``optional_note`` of each 选做 item: the items it was chosen among and by how many."""
    out["optional_note"] = ""
    for g in groups:
        names = "、".join(str(item_ids[i]) for i in g)
        for i in g:
            out.loc[i, "optional_note"] = (f"选做题（第 {names} 题选答一题，{int((~np.isnan(X[:, i])).sum())} "
                                           "人选答本题）：难度、区分度按选答的学生计算")


def _optional_paper_note(item_ids, groups: list[list[int]]) -> str:
    """The paper's note on its 选做 groups (empty without)."""
    if not groups:
        return ""
    names = "；".join("第 " + "、".join(str(item_ids[i]) for i in g) + " 题" for g in groups)
    return (f"选做题（{names}，每名学生只有其中一题的得分）：总分、卷面满分和信度把每组算作一题，"
            "各题的难度、区分度按选答的学生计算")


def _paper_note(n: int, k: int, std: Standard) -> str:
    """Why a paper has no D, item–total correlation or α (empty when it has them)."""
    if n < std.item_min_students:
        return (f"仅 {n} 名学生，少于 {std.item_min_students} 人，不计算区分度、"
                "题总相关和信度（人数太少，这些指标不稳定）")
    if k < 2:
        return ("只有 1 道题：总分就是这道题的得分，区分度、题总相关和信度无从计算"
                "（与自身相比总是“区分度高”），不计算")
    return ""


def _item_scores(X: np.ndarray, m: np.ndarray, item_ids) -> pd.DataFrame:
    """Per item: ``item_max``, ``n``, ``mean``, ``sd``, ``difficulty``, ``error_rate`` and
    ``full_rate`` (blanks left out)."""
    n, k = X.shape
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nanmean(X, axis=0) if n else np.full(k, np.nan)
        sd = np.nanstd(X, axis=0, ddof=1) if n > 1 else np.full(k, np.nan)
    out = pd.DataFrame({"item_id": item_ids, "item_max": m,
                        "n": (~np.isnan(X)).sum(axis=0), "mean": mean, "sd": sd,
                        "difficulty": mean / m})
    out["error_rate"] = 1 - out["difficulty"]
    out["full_rate"] = np.nanmean(np.where(np.isnan(X), np.nan, X >= m), axis=0) if n else np.nan
    return out


def _discrimination(out: pd.DataFrame, X: np.ndarray, total: np.ndarray, m: np.ndarray,
                    share: float, uli_groups: int) -> None:
    """Write D (upper minus lower ``share`` by total), ULI, RIT and RIR into ``out``."""
    lower, upper = _groups(total, share)
    third = _thirds(total, uli_groups)
    with np.errstate(invalid="ignore"):
        out["discrimination"] = (np.nanmean(X[upper], axis=0)
                                 - np.nanmean(X[lower], axis=0)) / m
        out["uli"] = (np.nanmean(X[third == uli_groups - 1], axis=0)
                      - np.nanmean(X[third == 0], axis=0)) / m
    out["rit"] = [_corr(X[:, i], total) for i in range(X.shape[1])]
    out["rir"] = [_corr(X[:, i], total - np.nan_to_num(X[:, i])) for i in range(X.shape[1])]


def _alpha_if_dropped(X: np.ndarray, total: np.ndarray, missing: str) -> list[float]:
    """Cronbach α without each item in turn."""
    k = X.shape[1]
    if missing == "pairwise":
        C = pd.DataFrame(X).cov().to_numpy()
        return [_pairwise_alpha(C[np.ix_(s, s)]) for s in (np.arange(k) != i for i in range(k))]
    var = X.var(axis=0, ddof=1)
    return [_alpha(var.sum() - var[i], (total - X[:, i]).var(ddof=1), k - 1) for i in range(k)]


def _band(value: float, std: Standard) -> str | None:
    if pd.isna(value):
        return None
    return "easy" if value >= std.item_easy else "hard" if value < std.item_hard else "medium"


def _ebel(d: float) -> str | None:
    if pd.isna(d):
        return None
    return next(name for name, cut in EBEL if d >= cut)


def _reading(r, std: Standard) -> str:
    parts = [r.optional_note] if getattr(r, "optional_note", "") else []
    if pd.notna(r.discrimination) and r.discrimination < 0:
        parts.append(f"区分度为负（{r.discrimination:.2f}）：高分组得分率反而低于低分组，请核对答案或题目表述")
    elif pd.notna(r.discrimination) and r.discrimination < 0.20:
        parts.append(f"区分度低（{r.discrimination:.2f}），不能区分学生，宜修改")
    if pd.notna(r.difficulty) and r.difficulty >= std.item_very_easy:
        parts.append(f"过易（难度 {r.difficulty:.2f}）")
    elif pd.notna(r.difficulty) and r.difficulty <= std.item_very_hard:
        parts.append(f"过难（难度 {r.difficulty:.2f}）")
    if pd.notna(r.error_rate) and r.error_rate >= std.item_error_rate:
        parts.append(f"失分率 {r.error_rate:.0%}")
    return "；".join(parts)


def item_analysis(items: pd.DataFrame, *, by: str | list[str] | None = None,
                  standard: Standard | str | None = None, missing: str = "zero",
                  uli_groups: int = 3) -> ItemAnalysis:
    """Item difficulty, discrimination and reliability of each paper.

    Parameters
    ----------
    items : DataFrame
        The canonical item table (:func:`qualitykit.read_items` or
        :func:`qualitykit.item_table`): ``student_id``, ``item_id``, ``score``, ``item_max``
        and, when present, ``exam``, ``subject``, ``grade`` (one paper per combination).
    by : str or list, optional
        Also per group, e.g. ``"class_id"`` (each class's P and D on the same paper; groups
        under ``item_min_students`` get no D or α).
    standard : Standard, preset name or TOML path
        ``item_group_share``, ``item_min_students`` and the flag thresholds.
    missing : {"zero", "listwise", "pairwise"}
        How a blank item score of a student who sat the paper is treated (see the module
        notes). Default ``"zero"``: an unanswered question scores 0.
    uli_groups : int
        Number of equal groups for ULI (upper minus lower), default 3.

    Returns
    -------
    ItemAnalysis
        ``items``: one row per item: ``item_max``, ``n``, ``mean``, ``sd``, ``difficulty``,
        ``error_rate``, ``full_rate``, ``discrimination`` (D), ``uli``, ``rit``, ``rir``,
        ``alpha_if_dropped``, ``ebel``, ``difficulty_band``, ``flags`` (``+``-joined
        :data:`ITEM_FLAGS`), ``reading``. ``paper``: ``n_students``, ``n_items``,
        ``max_total``, ``mean_total``, ``sd_total``, ``difficulty``, ``alpha``,
        ``alpha_low``, ``alpha_high``, ``method`` (KR-20 for 0/1 items), ``sem``,
        ``missing``, ``n_missing_cells``, ``note``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> result = qk.item_analysis(qk.read_items(qk.sample_path(kind="items", grade=5)))
    >>> result.paper[["n_students", "n_items", "method"]]
       n_students  n_items      method
    0         167       20  Cronbach α
    """
    std = get_standard(standard)
    _check_items(items, missing)
    keys = [k for k in PAPER_KEYS if k in items.columns]
    extra = [by] if isinstance(by, str) else list(by or [])
    item_rows, paper_rows = [], []
    meta_cols = [c for c in ("item_type", "knowledge_point") if c in items.columns]
    for label, part in _papers(items, keys + extra):
        wide, maxima = _wide(part)
        table, paper = _paper(wide, maxima, std, missing, uli_groups)
        info = part.drop_duplicates("item_id").set_index("item_id")[meta_cols]
        item_rows.append(table.join(info, on="item_id").assign(**label))
        paper_rows.append({**label, **paper})
    out = _with_readings(pd.concat(item_rows, ignore_index=True), std)
    front = [*keys, *extra, "item_id", *meta_cols]
    out = out[front + [c for c in out.columns if c not in front]]
    return ItemAnalysis(items=out, paper=pd.DataFrame(paper_rows))


def _check_items(items: pd.DataFrame, missing: str) -> None:
    """Refuse an unknown missing policy and an item table without its columns."""
    if missing not in MISSING:
        raise ValueError(f"missing 应为 {MISSING} 之一（缺失的小题分按 0 分、整行删除或成对删除），"
                         f"收到 {missing!r}。")
    need = {"student_id", "item_id", "score", "item_max"} - set(items.columns)
    if need:
        raise ValueError(f"items 缺少列 {sorted(need)}；请用 qualitykit.read_items 或 item_table 得到小题表。")


def _papers(items: pd.DataFrame, keys: list[str]):
    """Each paper (or group): the values of ``keys`` as a dict and its rows, in the order
    met; the whole table when there are no keys."""
    groups = items.groupby(keys, sort=False, dropna=False) if keys else [((), items)]
    for values, part in groups:
        values = values if isinstance(values, tuple) else (values,)
        yield dict(zip(keys, values)), part


def _with_readings(out: pd.DataFrame, std: Standard) -> pd.DataFrame:
    """The items with ``ebel``, ``difficulty_band``, ``flags`` and ``reading``."""
    out["ebel"] = out["discrimination"].map(_ebel)
    out["difficulty_band"] = out["difficulty"].map(lambda v: _band(v, std))
    flags = pd.DataFrame({
        "negative_d": out["discrimination"] < 0,
        "low_d": (out["discrimination"] >= 0) & (out["discrimination"] < 0.20),
        "very_easy": out["difficulty"] >= std.item_very_easy,
        "very_hard": out["difficulty"] <= std.item_very_hard})
    out["flags"] = flags.apply(lambda r: "+".join(c for c in ITEM_FLAGS if r[c]), axis=1)
    out["reading"] = [_reading(r, std) for r in out.itertuples()]
    return out.drop(columns="optional_note")


def distractors(items: pd.DataFrame, *, standard: Standard | str | None = None) -> pd.DataFrame:
    """How the options of each multiple-choice item were chosen, by score group.

    The upper and lower groups are those of the discrimination D (top and bottom
    ``item_group_share`` by total score, ties by row order); the rest is the middle group.

    Returns
    -------
    DataFrame
        One row per paper × item × option (the key, each distractor, and ``""`` for 未作答):
        ``key``, ``is_key``, ``n``, ``share``, ``share_upper``, ``share_middle``,
        ``share_lower``, ``upper_minus_lower`` and ``flag``: ``key_reversed`` (the key is
        chosen less by the upper group than the lower: check the key), ``attracts_upper``
        (a distractor chosen more by the upper group than the lower), ``unused`` (a
        distractor chosen by fewer than ``distractor_min_share``).

    Examples
    --------
    >>> import qualitykit as qk
    >>> table = qk.distractors(qk.read_items(qk.sample_path(kind="items", grade=5)))
    >>> sorted(table["option"].unique())[:5]
    ['', 'A', 'B', 'C', 'D']
    """
    std = get_standard(standard)
    if "option" not in items.columns or items["option"].isna().all():
        return pd.DataFrame(columns=["item_id", "option", "key", "is_key", "n", "share",
                                     "share_upper", "share_middle", "share_lower",
                                     "upper_minus_lower", "flag"])
    rows = []
    for label, part in _papers(items, [k for k in PAPER_KEYS if k in items.columns]):
        total = part.groupby("student_id", sort=False)["score"].sum(min_count=1).fillna(0)
        lower, upper = _groups(total.to_numpy(), std.item_group_share)
        group_of = pd.Series(np.where(upper, "upper", np.where(lower, "lower", "middle")),
                             index=total.index)
        mc = part[part["option"].notna()]
        mc = mc.assign(group=mc["student_id"].map(group_of))
        for item, answers in mc.groupby("item_id", sort=False):
            rows += _option_rows(answers, {**label, "item_id": item})
    return _distractor_flags(pd.DataFrame(rows), std)


def _option_rows(answers: pd.DataFrame, label: dict) -> list[dict]:
    """One row per option of one item (every letter up to the last one chosen, multi-letter
    answers, and ``""`` for 未作答): counts and shares per score group."""
    key = answers["key"].dropna().iloc[0] if answers["key"].notna().any() else None
    seen = set(answers["option"]) | ({key} if key else set())
    single = [o for o in seen if len(o) == 1]
    last = max([ord(o) - 64 for o in single] + [1])  # up to the last letter anyone chose
    options = [chr(65 + i) for i in range(last)] + sorted(
        o for o in seen if len(o) > 1) + ([""] if "" in seen else [])
    size = answers["group"].value_counts()
    counts = answers.groupby(["option", "group"]).size()
    rows = []
    for option in options:
        n = int((answers["option"] == option).sum())
        share_of = {g: (counts.get((option, g), 0) / size[g]) if size.get(g, 0) else np.nan
                    for g in ("upper", "middle", "lower")}
        rows.append({**label, "option": option, "key": key,
                     "is_key": option == key, "n": n, "share": n / len(answers),
                     "share_upper": share_of["upper"], "share_middle": share_of["middle"],
                     "share_lower": share_of["lower"]})
    return rows


def _distractor_flags(out: pd.DataFrame, std: Standard) -> pd.DataFrame:
    """``upper_minus_lower`` and ``flag``: the key reversed, a distractor that attracts the
    upper group, or one hardly chosen."""
    out["upper_minus_lower"] = out["share_upper"] - out["share_lower"]
    real = out["option"] != ""
    out["flag"] = np.select(
        [out["is_key"] & (out["upper_minus_lower"] < 0),
         ~out["is_key"] & real & (out["upper_minus_lower"] > 0),
         ~out["is_key"] & real & (out["share"] < std.distractor_min_share)],
        ["key_reversed", "attracts_upper", "unused"], default="")
    return out
