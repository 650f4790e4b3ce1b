"""Differential item functioning (DIF) for the 试卷分析: is an item harder for one group of
pupils (girls, one school of a 联考, one class) than for another group *of the same ability*?
(compute only)

Both methods match pupils on the paper's total score (the studied item included, as Holland &
Thayer 1988 recommend for the Mantel–Haenszel procedure).

Mantel–Haenszel (0/1 items)
---------------------------
For each total score k a 2 × 2 table: A_k, B_k right / wrong in the reference group, C_k, D_k
in the focal group, T_k pupils. Common odds ratio α = Σ A_k D_k / T_k ÷ Σ B_k C_k / T_k (> 1:
the item favours the reference group); MH χ² = (|Σ A_k − Σ E A_k| − ½)² / Σ var A_k with
E A_k = n_Rk m_1k / T_k, var A_k = n_Rk n_Fk m_1k m_0k / (T_k² (T_k − 1)), 1 df; the SE of
ln α by Robins, Breslow & Greenland (1986). ETS delta Δ = −2.35 ln α (negative: harder for the
focal group) and the ETS classes (Zwick 2012, ETS RR-12-08): **C** when |Δ| ≥ 1.5 and |Δ| is
significantly above 1 (one-sided, (|Δ| − 1)/SE(Δ) > z_0.95); **B** when, not C, |Δ| ≥ 1 and
the MH χ² is significant at 5 %; **A** otherwise. Strata with one pupil, or with one group
only, carry no information and are left out.

Logistic regression (Swaminathan & Rogers 1990; Zumbo 1999 for items with partial credit)
----------------------------------------------------------------------------------------
Three nested models of the item score on the total: (1) total, (2) + group, (3) + group ×
total; binary logistic for a 0/1 item, proportional-odds (ordinal) logistic otherwise. Uniform
DIF: likelihood-ratio test of 2 against 1 (1 df); non-uniform: 3 against 2 (1 df); together: 3
against 1 (2 df), with Nagelkerke's ΔR² (3 against 1) as the effect size (Jodoin & Gierl 2001:
< 0.035 negligible, 0.035–0.070 moderate, ≥ 0.070 large).

Purification (Holland & Thayer 1988; ``difR``'s ``purify = TRUE``)
------------------------------------------------------------------
A DIF item in the matching score biases the others (at equal total, the group it disfavours
is slightly abler on the rest). After a first pass, the items flagged are left out of the
matching score (each item stays in its own) and every item is tested again: the second pass
is the result.

Multiple testing
----------------
Over the items of one comparison, the MH and the 2-df logistic p-values are adjusted by
Benjamini–Hochberg (false discovery rate) or Holm (family-wise error), ``correction=``. An item
is **flagged** when its ETS class is B or C, or its adjusted logistic p-value is below
``alpha``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from .analysis import PAPER_KEYS, item_matrix

__all__ = ["dif", "mantel_haenszel", "adjust_p", "ets_class", "ETS_CLASSES", "CORRECTIONS"]

CORRECTIONS = ("bh", "holm")
ETS_CLASSES = ("A", "B", "C")
_REST = "其余"  # the focal group's complement when each group is compared with the rest


def dif(items: pd.DataFrame, group: str | Mapping | pd.Series, *, reference=None,
        alpha: float = 0.05, correction: str = "bh", purify: bool = True,
        missing: str = "zero") -> pd.DataFrame:
    """Differential item functioning of one paper's items between groups of pupils.

    Parameters
    ----------
    items : DataFrame
        The canonical item table of one paper (:func:`qualitykit.read_items`).
    group : str, mapping or Series
        A column of ``items`` (``"class_id"``, ``"school"``) or a map from ``student_id`` to
        the pupil's group (e.g. sex from the roster). Pupils without a group are left out.
    reference : optional
        The reference group. With two groups and none given, the larger one; with more than
        two, each group is compared with the reference, or, when none is given, with all the
        other pupils together (``reference`` = "其余").
    alpha : float
        Significance level of the flags (0.05).
    correction : {"bh", "holm"}
        Benjamini–Hochberg or Holm adjustment over the items of each comparison.
    purify : bool
        Test again with the items flagged at the first pass left out of the matching score
        (each item still counts in its own), so that a DIF item does not bias the others.
    missing : {"zero"}
        A blank item score counts 0 (as in :func:`qualitykit.item_analysis`).

    Returns
    -------
    DataFrame
        One row per item and comparison: ``item_id``, ``reference``, ``focal``,
        ``n_reference``, ``n_focal``, ``n_matching_items`` (items in the matching score),
        ``mh_odds_ratio``, ``mh_chi2``, ``mh_p``,
        ``mh_p_adjusted``, ``ets_delta``, ``ets_delta_se``, ``ets_class`` (A/B/C; empty for an
        item with partial credit), ``lr_uniform_chi2``, ``lr_uniform_p``,
        ``lr_nonuniform_chi2``, ``lr_nonuniform_p``, ``lr_chi2``, ``lr_p``,
        ``lr_p_adjusted``, ``delta_r2``, ``favours`` ("reference" or "focal": who finds the
        item easier at equal total), ``flagged``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> paper = qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items"))
    >>> table = qk.dif(paper, "class_id")
    >>> sorted(table["focal"].unique())
    ['5-1', '5-2', '5-3', '5-4']
    """
    if correction not in CORRECTIONS:
        raise ValueError(f"correction 应为 {CORRECTIONS} 之一，收到 {correction!r}。")
    if missing != "zero":
        raise ValueError(f"missing 应为 'zero'，收到 {missing!r}。")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha 应在 0 与 1 之间，收到 {alpha!r}。")
    X, maxima, labels = _scores_and_groups(items, group)
    rows = []
    for ref, focal, in_ref, in_focal in _comparisons(labels, reference):
        part = _compare(X, maxima, in_ref, in_focal, alpha, correction, purify)
        rows.append(part.assign(reference=ref, focal=focal))
    out = pd.concat(rows, ignore_index=True)
    first = ["item_id", "reference", "focal"]
    return out[first + [c for c in out.columns if c not in first]]


# --------------------------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------------------------
def _scores_and_groups(items: pd.DataFrame, group) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Students × items (blanks 0), full marks, and each student's group (NaN: none)."""
    keys = [k for k in PAPER_KEYS if k in items.columns]
    if keys and len(items[keys].drop_duplicates()) > 1:
        raise ValueError(f"小题分表含多份试卷（{'、'.join(keys)} 不止一种）；DIF 一次只分析一份"
                         "试卷，请先按考试、科目、年级筛选。")
    wide, maxima = item_matrix(items)
    if isinstance(group, str):
        if group not in items.columns:
            raise ValueError(f"小题分表没有分组列 {group!r}（group）；可用 class_id、school，"
                             "或传入“学号 → 组别”的对照（如性别）。")
        labels = items.groupby("student_id", sort=False)[group].first()
    else:
        labels = pd.Series(group) if isinstance(group, Mapping) else group
    labels = labels.reindex(wide.index)
    if labels.dropna().nunique() < 2:
        raise ValueError("分组（group）少于两组，无法做 DIF 分析；请检查分组列或对照表。")
    values = np.nan_to_num(wide.to_numpy(dtype=float), nan=0.0)
    return values, maxima, labels


def _comparisons(labels: pd.Series, reference):
    """(reference label, focal label, reference mask, focal mask) for each comparison."""
    sizes = labels.value_counts(sort=False)
    names = list(pd.unique(labels.dropna()))
    if reference is not None and reference not in names:
        raise ValueError(f"参照组（reference）{reference!r} 不在分组中；分组有：{'、'.join(map(str, names))}。")
    if len(names) == 2 and reference is None:
        reference = names[int(sizes[names[1]] > sizes[names[0]])]
    for focal in names:
        if focal == reference:
            continue
        in_focal = (labels == focal).to_numpy()
        if reference is None:
            yield _REST, focal, (labels.notna() & (labels != focal)).to_numpy(), in_focal
        else:
            yield reference, focal, (labels == reference).to_numpy(), in_focal


# --------------------------------------------------------------------------------------------
# one comparison
# --------------------------------------------------------------------------------------------
def _compare(X, maxima, in_ref, in_focal, alpha, correction, purify) -> pd.DataFrame:
    """One comparison: every item tested with the total as the matching score, then, with
    ``purify``, again with the other flagged items left out of the matching score."""
    keep = in_ref | in_focal
    X, focal = X[keep], in_focal[keep].astype(float)
    out = _classify(_item_rows(X, maxima, focal, set()), alpha, correction)
    if purify and out["flagged"].any():
        out = _classify(_item_rows(X, maxima, focal, set(np.flatnonzero(out["flagged"]))),
                        alpha, correction)
    return out


def _item_rows(X, maxima, focal, leave_out: set) -> pd.DataFrame:
    """Each item's MH and logistic statistics; the matching total leaves out the items in
    ``leave_out`` other than the studied item itself."""
    rows = []
    for j, item in enumerate(maxima.index):
        others = [i for i in leave_out if i != j]
        total = X.sum(axis=1) - X[:, others].sum(axis=1)
        row = {"item_id": item, "n_reference": int((focal == 0).sum()),
               "n_focal": int(focal.sum()), "n_matching_items": X.shape[1] - len(others)}
        values = np.unique(X[:, j])
        binary = len(values) == 2  # right or wrong, whatever the full mark (选择题 0/2)
        right = (X[:, j] == values[-1]).astype(float)
        row.update(mantel_haenszel(right, focal, total) if binary else _no_mh())
        row.update(_logistic(X[:, j], focal, total) if len(values) > 1 else _no_lr())
        if row["favours"] is None and np.isfinite(row["lr_group"]):
            row["favours"] = "focal" if row["lr_group"] > 0 else "reference"
        rows.append(row)
    return pd.DataFrame(rows)


def _classify(out: pd.DataFrame, alpha: float, correction: str) -> pd.DataFrame:
    """Adjusted p-values, ETS classes and flags of one comparison's items."""
    out["mh_p_adjusted"] = adjust_p(out["mh_p"].to_numpy(), correction)
    out["lr_p_adjusted"] = adjust_p(out["lr_p"].to_numpy(), correction)
    out["ets_class"] = [ets_class(d, se, p) if np.isfinite(d) else None
                        for d, se, p in zip(out["ets_delta"], out["ets_delta_se"], out["mh_p"])]
    out["flagged"] = out["ets_class"].isin(["B", "C"]) | (out["lr_p_adjusted"] < alpha)
    return out.drop(columns="lr_group")


def _no_lr() -> dict:
    return dict.fromkeys(("lr_uniform_chi2", "lr_uniform_p", "lr_nonuniform_chi2",
                          "lr_nonuniform_p", "lr_chi2", "lr_p", "delta_r2", "lr_group"), np.nan)


def mantel_haenszel(item: np.ndarray, focal: np.ndarray, total: np.ndarray) -> dict:
    """Mantel–Haenszel statistics of one 0/1 item, strata by total score.

    Parameters
    ----------
    item, focal, total : arrays
        The pupils' item scores (0/1), 1 for a pupil of the focal group, and the matching
        total score.

    Returns
    -------
    dict
        ``mh_odds_ratio``, ``mh_chi2`` (continuity-corrected), ``mh_p``, ``ets_delta``,
        ``ets_delta_se``, ``favours``.
    """
    A, B, C, D = _strata(item, focal, total)
    T = A + B + C + D
    n_ref, m1 = A + B, A + C
    R, S = A * D / T, B * C / T
    var = n_ref * (C + D) * m1 * (B + D) / (T ** 2 * (T - 1))
    if R.sum() == 0 or S.sum() == 0 or var.sum() == 0:
        return _no_mh()
    odds = R.sum() / S.sum()
    chi2 = (abs(A.sum() - (n_ref * m1 / T).sum()) - 0.5) ** 2 / var.sum()
    P, Q = (A + D) / T, (B + C) / T
    log_var = ((P * R).sum() / (2 * R.sum() ** 2) + (P * S + Q * R).sum()
               / (2 * R.sum() * S.sum()) + (Q * S).sum() / (2 * S.sum() ** 2))
    return {"mh_odds_ratio": float(odds), "mh_chi2": float(chi2),
            "mh_p": float(stats.chi2.sf(chi2, 1)), "ets_delta": float(-2.35 * np.log(odds)),
            "ets_delta_se": float(2.35 * np.sqrt(log_var)),
            "favours": "reference" if odds > 1 else "focal"}


def _strata(item, focal, total):
    """The 2 × 2 counts A, B, C, D of each total score that has both groups and ≥ 2 pupils."""
    frame = pd.DataFrame({"k": total, "A": (1 - focal) * item, "B": (1 - focal) * (1 - item),
                          "C": focal * item, "D": focal * (1 - item)})
    s = frame.groupby("k").sum()
    s = s[((s["A"] + s["B"]) > 0) & ((s["C"] + s["D"]) > 0)]
    return (s[c].to_numpy(dtype=float) for c in "ABCD")


def _no_mh() -> dict:
    return dict.fromkeys(("mh_odds_ratio", "mh_chi2", "mh_p", "ets_delta", "ets_delta_se"),
                         np.nan) | {"favours": None}


def ets_class(delta: float, se: float, p: float) -> str:
    """The ETS class of an item's Mantel–Haenszel result (Zwick 2012, ETS RR-12-08).

    Parameters
    ----------
    delta, se : float
        ETS Δ = −2.35 ln α_MH and its standard error.
    p : float
        The MH χ² p-value.

    Returns
    -------
    str
        "C" when |Δ| ≥ 1.5 and |Δ| is significantly above 1 (one-sided 5 %); else "B" when
        |Δ| ≥ 1 and p < 0.05; else "A".

    Examples
    --------
    >>> ets_class(-1.6, 0.2, 0.001), ets_class(1.2, 0.3, 0.2)
    ('C', 'A')
    """
    size = abs(delta)
    if size >= 1.5 and (size - 1) / se > stats.norm.ppf(0.95):
        return "C"
    if size >= 1 and p < 0.05:
        return "B"
    return "A"


def adjust_p(p: np.ndarray, method: str = "bh") -> np.ndarray:
    """Benjamini–Hochberg or Holm adjusted p-values (NaN stays NaN, not counted).

    Examples
    --------
    >>> adjust_p(np.array([0.01, 0.04, 0.03, 0.20])).round(3).tolist()
    [0.04, 0.053, 0.053, 0.2]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(len(p), np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    ranked = p[order]
    if method == "bh":
        adjusted = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
    else:
        adjusted = np.maximum.accumulate(ranked * (m - np.arange(m)))
    out[order] = np.minimum(adjusted, 1.0)
    return out


# --------------------------------------------------------------------------------------------
# logistic regression
# --------------------------------------------------------------------------------------------
def _logistic(item, focal, total) -> dict:
    """Likelihood-ratio tests of the three nested models, Nagelkerke's ΔR² (3 vs 1), and the
    side the group term of model 2 favours."""
    z = (total - total.mean()) / (total.std() or 1.0)
    designs = [np.column_stack(cols) for cols in ([z], [z, focal], [z, focal, z * focal])]
    fits = [_fit(item, x) for x in designs]
    ll = [f[0] for f in fits]
    null = _null_loglik(item)
    out = {"lr_group": fits[1][1]}
    for name, (small, big, df) in {"lr_uniform": (0, 1, 1), "lr_nonuniform": (1, 2, 1),
                                   "lr": (0, 2, 2)}.items():
        chi2 = max(2 * (ll[big] - ll[small]), 0.0)
        out[f"{name}_chi2"] = chi2
        out[f"{name}_p"] = float(stats.chi2.sf(chi2, df))
    out["delta_r2"] = _nagelkerke(ll[2], null, len(item)) - _nagelkerke(ll[0], null, len(item))
    return out


def _nagelkerke(ll: float, null: float, n: int) -> float:
    cox_snell = 1 - np.exp(2 * (null - ll) / n)
    return float(cox_snell / (1 - np.exp(2 * null / n)))


def _null_loglik(y: np.ndarray) -> float:
    """Log-likelihood of the model with intercepts only (closed form)."""
    counts = np.unique(y, return_counts=True)[1]
    return float(np.sum(counts * np.log(counts / len(y))))


def _fit(y: np.ndarray, x: np.ndarray) -> tuple[float, float]:
    """Maximised log-likelihood of the proportional-odds logistic model P(y ≥ s) =
    1/(1 + exp(−(x·β + d_s))) (the binary logit when y has two values), and β of x's second
    column (the group) when it has one. BFGS with the exact gradient; the intercepts are kept
    in order as d_1, log(d_(s−1) − d_s)."""
    codes = np.unique(y, return_inverse=True)[1]
    K = int(codes.max())
    share = np.array([(codes >= s).mean() for s in range(1, K + 1)])
    start = np.concatenate([np.zeros(x.shape[1]), [np.log(share[0] / (1 - share[0]))],
                            np.log(-np.diff(np.log(share / (1 - share))) + 1e-9)])
    res = optimize.minimize(_ordinal_negloglik, start, args=(codes, x, K), jac=True,
                            method="BFGS", options={"gtol": 1e-7, "maxiter": 500})
    coef = res.x[1] if x.shape[1] > 1 else np.nan
    return -float(res.fun), float(coef)


def _ordinal_negloglik(free, codes, x, K) -> tuple[float, np.ndarray]:
    p = x.shape[1]
    beta, u = free[:p], free[p:]
    d = u[0] - np.concatenate([[0.0], np.cumsum(np.exp(u[1:]))])
    star = special.expit((x @ beta)[:, None] + d[None, :])
    n = len(codes)
    star = np.hstack([np.ones((n, 1)), star, np.zeros((n, 1))])
    W = star * (1 - star)
    rows = np.arange(n)
    prob = np.clip(star[rows, codes] - star[rows, codes + 1], 1e-300, None)
    upper, lower = W[rows, codes] / prob, W[rows, codes + 1] / prob
    grad_beta = x.T @ (upper - lower)
    grad_d = np.zeros(K + 2)
    np.add.at(grad_d, codes, upper)
    np.add.at(grad_d, codes + 1, -lower)
    grad_d = grad_d[1:-1]
    tail = np.cumsum(grad_d[::-1])[::-1]  # ∂d_m/∂u_1 = 1, ∂d_m/∂u_l = −e^(u_l) for m ≥ l
    grad_u = np.concatenate([[tail[0]], -np.exp(u[1:]) * tail[1:]])
    return -float(np.log(prob).sum()), -np.concatenate([grad_beta, grad_u])
