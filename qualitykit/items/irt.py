"""Item response models for the 试卷分析: Rasch, 2PL and the graded response model (compute only).

Models (IRT parameterisation, ability θ ~ N(0, 1) in the population of pupils)
----------------------------------------------------------------------------------
* 2PL: P(X = 1 | θ) = 1 / (1 + exp(−a(θ − b))); ``a`` the discrimination, ``b`` the difficulty.
* Rasch: the 2PL with one discrimination shared by every item, estimated (as R ``ltm::rasch``
  does by default; fixing a = 1 and estimating the spread of θ instead is the same model).
* Graded response model (Samejima 1969), for items scored 0 … max: P(X ≥ s | θ) =
  1 / (1 + exp(−a(θ − b_s))) for each score s reached by some pupil, b_s increasing. A 0/1
  item is a 2PL item. Score values no pupil obtained are left out (the steps are between the
  scores observed), as ``mirt`` does.

Estimation
----------
Marginal maximum likelihood (Bock & Aitkin 1981, Psychometrika 46:443–459): the likelihood of
each response pattern is integrated over θ by Gauss–Hermite quadrature (61 nodes for the
standard normal), identical patterns counted once. The marginal log-likelihood is maximised
directly by BFGS with its exact gradient, which by Fisher's identity is the gradient of the
EM algorithm's expected complete-data log-likelihood at the current posterior (Louis 1982);
this reaches the same maximum as Bock–Aitkin EM, faster. Standard errors come from the
observed information: the Hessian of the marginal log-likelihood by central differences of that
exact gradient, in the slope–intercept parameters (a, d_s = −a·b_s); the SE of b by the delta
method. Abilities are EAP estimates (posterior mean on the same nodes) with the posterior SD as
their standard error (Bock & Mislevy 1982).

Information: I_j(θ) = Σ_s P'_js(θ)² / P_js(θ) over the item's score categories (a²P(1 − P)
for a 0/1 item); the test information is the sum over items and 1/√I(θ) the standard error of
measurement at θ.

Checked in ``tests/test_irt.py``: LSAT6 2PL against R ``ltm``'s published values, the Rasch fit
and the standard errors against an independent fit by adaptive quadrature (scipy ``quad``),
EAP against ``quad`` on the posterior, the GRM on generated data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special

from ..standard import Standard, get_standard
from .analysis import PAPER_KEYS, item_matrix

__all__ = ["irt", "IRTFit", "IRT_MODELS", "ability_grid"]

IRT_MODELS = ("rasch", "2pl", "grm")
IRT_MISSING = ("zero", "omit")
N_NODES = 61
_STEP = 1e-5  # central-difference step for the observed information


def ability_grid(low: float = -4.0, high: float = 4.0, step: float = 0.05) -> np.ndarray:
    """Ability values from ``low`` to ``high`` (inclusive) for curves and information."""
    return np.round(np.arange(low, high + step / 2, step), 10)


@dataclass
class IRTFit:
    """What :func:`irt` estimated.

    Attributes
    ----------
    items : DataFrame
        One row per item: ``item_id``, ``item_max``, ``n_steps`` (score steps estimated),
        ``a``, ``a_se`` (discrimination), ``b``, ``b_se`` (difficulty; for an item with
        several steps the mean of its step difficulties, its location), ``difficulty`` (the
        classical P: mean score / full mark, for orientation).
    thresholds : DataFrame
        One row per item and score step: ``item_id``, ``score`` (the score reached), ``b``,
        ``b_se`` (the ability at which half the pupils reach that score).
    persons : DataFrame
        One row per pupil: ``student_id``, ``total``, ``theta`` (EAP), ``theta_se``
        (posterior SD).
    model : str
        ``"rasch"``, ``"2pl"`` or ``"grm"``.
    log_likelihood, aic, bic : float
        The maximised marginal log-likelihood and the information criteria.
    n_params : int
    converged : bool
        Whether the optimiser met its tolerance and the information matrix was invertible.
    excluded : list
        Items left out because every pupil has the same score on them.
    a, d, scores : array and lists
        Slope–intercept parameters per item (a·θ + d_s) and each item's score values.
    paper_max, excluded_score : float
        The paper's full mark (every item) and the points every pupil has on the excluded
        items; the expected total at θ is ``excluded_score`` + the fitted items' expected score.
    grade : int or None
        The paper's grade, when the item table says (it sets the 优秀 line of grades 1–2).
    """

    items: pd.DataFrame
    thresholds: pd.DataFrame
    persons: pd.DataFrame
    model: str
    log_likelihood: float
    aic: float
    bic: float
    n_params: int
    converged: bool
    excluded: list
    a: np.ndarray
    d: list
    scores: list
    paper_max: float
    excluded_score: float
    grade: int | None

    def information(self, theta: np.ndarray | None = None) -> pd.DataFrame:
        """Item information on an ability grid.

        Returns
        -------
        DataFrame
            ``theta``, ``item_id``, ``information``: one row per item and ability value.
        """
        theta = ability_grid() if theta is None else np.asarray(theta, dtype=float)
        rows = [pd.DataFrame({"theta": theta, "item_id": item,
                              "information": _item_information(self.a[j], self.d[j], theta)})
                for j, item in enumerate(self.items["item_id"])]
        return pd.concat(rows, ignore_index=True)

    def test_information(self, theta: np.ndarray | None = None) -> pd.DataFrame:
        """The paper's information and standard error of measurement on an ability grid.

        Returns
        -------
        DataFrame
            ``theta``, ``information`` (sum over items), ``sem_theta`` (1/√information).
        """
        info = self.information(theta).groupby("theta", sort=True)["information"].sum()
        return pd.DataFrame({"theta": info.index.to_numpy(), "information": info.to_numpy(),
                             "sem_theta": 1 / np.sqrt(info.to_numpy())})

    def expected_total(self, theta: np.ndarray) -> np.ndarray:
        """The expected total score at each ability (the test characteristic curve)."""
        theta = np.atleast_1d(np.asarray(theta, dtype=float))
        out = np.full(len(theta), self.excluded_score)
        for j in range(len(self.a)):
            out += _category_probs(self.a[j], self.d[j], theta) @ self.scores[j]
        return out

    def curves(self, theta: np.ndarray | None = None) -> pd.DataFrame:
        """Expected item score / full mark (the item characteristic curve) on an ability grid.

        Returns
        -------
        DataFrame
            ``theta``, ``item_id``, ``expected`` (expected score ÷ the item's full mark).
        """
        theta = ability_grid() if theta is None else np.asarray(theta, dtype=float)
        rows = []
        for j, (item, top) in enumerate(zip(self.items["item_id"], self.items["item_max"])):
            P = _category_probs(self.a[j], self.d[j], theta)
            rows.append(pd.DataFrame({"theta": theta, "item_id": item,
                                      "expected": P @ self.scores[j] / top}))
        return pd.concat(rows, ignore_index=True)



def irt(items: pd.DataFrame, *, model: str = "2pl", missing: str = "zero",
        standard: Standard | str | None = None) -> IRTFit:
    """Fit an item response model to one paper's item scores by marginal maximum likelihood.

    Parameters
    ----------
    items : DataFrame
        The canonical item table of one paper (``student_id``, ``item_id``, ``score``,
        ``item_max``), as :func:`qualitykit.read_items` returns it.
    model : {"2pl", "rasch", "grm"}
        ``rasch`` and ``2pl`` need 0/1 items; ``grm`` takes items with partial credit
        (whole-number scores) and 0/1 items alike.
    missing : {"zero", "omit"}
        A blank item score counts 0 (as in :func:`qualitykit.item_analysis`), or is left out
        of the pupil's likelihood.
    standard : Standard or str, optional
        ``item_min_students``: fewer pupils than this and no model is fitted.

    Returns
    -------
    IRTFit
        Item parameters with standard errors, step difficulties, EAP abilities; its
        methods give item and test information and the item characteristic curves.

    Examples
    --------
    >>> import qualitykit as qk
    >>> paper = qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items"))
    >>> fit = qk.irt(paper, model="grm")
    >>> len(fit.items), fit.converged
    (20, True)
    """
    X, cats, maxima, students, excluded = _prepare(items, model, missing, standard)
    constant = _constant_score(items, excluded)
    shared = model == "rasch"
    patterns, inverse, counts = np.unique(X, axis=0, return_inverse=True, return_counts=True)
    K = np.array([len(c) - 1 for c in cats])
    nodes, weights = _quadrature()
    data = _Data(patterns, counts.astype(float), K, shared, nodes, np.log(weights))
    vec, converged = _maximise(data, _start(patterns, counts, K, shared))
    cov, ok = _covariance(data, vec)
    a, d = _unpack(vec, K, shared)
    loglik = -_negloglik(data, vec)[0]
    post, _ = _posterior(data, a, d)
    fit = IRTFit(
        items=_item_table(maxima, K, a, d, cov, shared, X, cats),
        thresholds=_threshold_table(maxima.index, cats, a, d, cov, K, shared),
        persons=_person_table(students, X, cats, post[inverse.ravel()], nodes),
        model=model, log_likelihood=float(loglik), n_params=len(vec),
        aic=float(-2 * loglik + 2 * len(vec)),
        bic=float(-2 * loglik + np.log(counts.sum()) * len(vec)),
        converged=bool(converged and ok), excluded=excluded, a=a, d=d,
        scores=[np.asarray(c, dtype=float) for c in cats],
        paper_max=float(maxima.sum()) + constant[1], excluded_score=constant[0],
        grade=_grade_of(items))
    return fit


# --------------------------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------------------------
def _prepare(items, model, missing, standard):
    """Students × items as category codes (−1 for an omitted blank), each item's score
    values, full marks, the students, and the items left out for having no spread."""
    if model not in IRT_MODELS:
        raise ValueError(f"model 应为 {IRT_MODELS} 之一，收到 {model!r}。")
    if missing not in IRT_MISSING:
        raise ValueError(f"missing 应为 {IRT_MISSING} 之一，收到 {missing!r}。")
    _one_paper(items)
    wide, maxima = item_matrix(items)
    values = wide.to_numpy(dtype=float)
    if missing == "zero":
        values = np.nan_to_num(values, nan=0.0)
    _check_scores(values, maxima, model)
    minimum = get_standard(standard).item_min_students
    if len(wide) < minimum:
        raise ValueError(f"只有 {len(wide)} 名学生的小题分（student_id），少于 item_min_students"
                         f" = {minimum}，不能估计项目反应模型；请用全年级或联考的小题分。")
    keep = [j for j in range(values.shape[1]) if len(_observed(values[:, j])) > 1]
    excluded = [wide.columns[j] for j in range(values.shape[1]) if j not in keep]
    if len(keep) < 2:
        raise ValueError("有得分差异的小题（item_id）少于 2 道，不能估计项目反应模型。")
    values, maxima = values[:, keep], maxima.iloc[keep]
    cats = [_observed(values[:, j]) for j in range(values.shape[1])]
    X = np.full(values.shape, -1, dtype=int)
    for j, c in enumerate(cats):
        ok = ~np.isnan(values[:, j])
        X[ok, j] = np.searchsorted(c, values[ok, j])
    return X, cats, maxima, wide.index, excluded


def _constant_score(items: pd.DataFrame, excluded: list) -> tuple[float, float]:
    """The common score and the full marks of the items left out (the same for everyone)."""
    if not excluded:
        return 0.0, 0.0
    _, maxima = item_matrix(items)
    part = items[items["item_id"].isin(excluded)]
    common = part.groupby("item_id")["score"].max().fillna(0).sum()
    return float(common), float(maxima[excluded].sum())


def _grade_of(items: pd.DataFrame) -> int | None:
    grades = items["grade"].dropna().unique() if "grade" in items.columns else []
    return int(grades[0]) if len(grades) == 1 else None


def _observed(column: np.ndarray) -> np.ndarray:
    return np.unique(column[~np.isnan(column)])


def _one_paper(items: pd.DataFrame) -> None:
    for column in ("student_id", "item_id", "score"):
        if column not in items.columns:
            raise ValueError(f"小题分表缺少列 {column}；请传入 qk.read_items 读出的小题分表。")
    keys = [k for k in PAPER_KEYS if k in items.columns]
    if keys and len(items[keys].drop_duplicates()) > 1:
        raise ValueError(f"小题分表含多份试卷（{'、'.join(keys)} 不止一种）；项目反应模型一次"
                         "只分析一份试卷，请先按考试、科目、年级筛选。")


def _check_scores(values: np.ndarray, maxima: pd.Series, model: str) -> None:
    seen = values[~np.isnan(values)]
    if not np.all(seen == np.round(seen)):
        raise ValueError("小题得分（score）含小数（如半分），项目反应模型要求整数分；"
                         "请把得分换成整数档次后再分析。")
    if model != "grm" and not np.isin(seen, (0.0, 1.0)).all():
        raise ValueError(f"model={model!r} 只适用于 0/1 计分的小题；有小题得分超过 1 分，"
                         "请用 model=\"grm\"（等级反应模型）。")


# --------------------------------------------------------------------------------------------
# the model
# --------------------------------------------------------------------------------------------
@dataclass
class _Data:
    patterns: np.ndarray  # unique response patterns, category codes, −1 = omitted
    counts: np.ndarray
    K: np.ndarray  # score steps per item
    shared: bool  # one discrimination for every item (Rasch)
    nodes: np.ndarray
    log_weights: np.ndarray


def _quadrature(n: int = N_NODES) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Hermite nodes and weights for the standard normal density."""
    x, w = np.polynomial.hermite_e.hermegauss(n)
    return x, w / w.sum()


def _cumulative(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """P(X ≥ step s) for s = 0 … K + 1 (1 first, 0 last), nodes × (K + 2)."""
    inner = special.expit(np.outer(theta, np.full(len(d), a)) + d)
    ones = np.ones((len(theta), 1))
    return np.hstack([ones, inner, 0 * ones])


def _category_probs(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """P(X = category) at each θ: nodes × (K + 1)."""
    star = _cumulative(a, d, theta)
    return np.clip(star[:, :-1] - star[:, 1:], 1e-300, None)


def _item_information(a: float, d: np.ndarray, theta: np.ndarray) -> np.ndarray:
    star = _cumulative(a, d, theta)
    W = star * (1 - star)
    slope = a * (W[:, :-1] - W[:, 1:])
    return (slope ** 2 / _category_probs(a, d, theta)).sum(axis=1)


def _unpack(vec: np.ndarray, K: np.ndarray, shared: bool) -> tuple[np.ndarray, list]:
    """Slope–intercept parameters: discriminations (one per item) and intercepts per item."""
    n_a = 1 if shared else len(K)
    a = np.full(len(K), vec[0]) if shared else vec[:n_a].copy()
    ends = n_a + np.cumsum(K)
    d = [vec[e - k:e] for e, k in zip(ends, K)]
    return a, d


def _posterior(data: _Data, a: np.ndarray, d: list) -> tuple[np.ndarray, np.ndarray]:
    """Posterior weights of the nodes per pattern, and each pattern's log marginal likelihood."""
    log_l = np.tile(data.log_weights, (len(data.patterns), 1))
    for j in range(len(a)):
        log_p = np.log(_category_probs(a[j], d[j], data.nodes))
        x = data.patterns[:, j]
        seen = x >= 0
        log_l[seen] += log_p[:, x[seen]].T
    marginal = special.logsumexp(log_l, axis=1)
    return np.exp(log_l - marginal[:, None]), marginal


def _negloglik(data: _Data, vec: np.ndarray) -> tuple[float, np.ndarray]:
    """Minus the marginal log-likelihood and its exact gradient (Fisher's identity)."""
    a, d = _unpack(vec, data.K, data.shared)
    post, marginal = _posterior(data, a, d)
    weighted = post * data.counts[:, None]
    grad_a, grad_d = np.zeros(len(a)), []
    for j in range(len(a)):
        x = data.patterns[:, j]
        onehot = (x[:, None] == np.arange(data.K[j] + 1)).astype(float)
        expected = weighted.T @ onehot  # nodes × categories
        star = _cumulative(a[j], d[j], data.nodes)
        W = star * (1 - star)
        R = expected / _category_probs(a[j], d[j], data.nodes)
        grad_a[j] = np.sum(R * data.nodes[:, None] * (W[:, :-1] - W[:, 1:]))
        grad_d.append(np.sum(W[:, 1:-1] * (R[:, 1:] - R[:, :-1]), axis=0))
    grad = np.concatenate([[grad_a.sum()] if data.shared else grad_a, *grad_d])
    return -float(data.counts @ marginal), -grad


# --------------------------------------------------------------------------------------------
# estimation
# --------------------------------------------------------------------------------------------
def _start(patterns, counts, K, shared) -> np.ndarray:
    """a = 1; intercepts at the logits of the share of pupils reaching each step."""
    d = []
    for j, k in enumerate(K):
        x = patterns[:, j]
        seen = x >= 0
        reach = [(counts[seen] * (x[seen] >= s)).sum() / counts[seen].sum() for s in range(1, k + 1)]
        d.append(special.logit(np.clip(reach, 0.01, 0.99)) * 1.2)
    a = [1.0] if shared else [1.0] * len(K)
    return np.concatenate([a, *d])


def _ordered(vec: np.ndarray, K: np.ndarray, n_a: int, forward: bool) -> np.ndarray:
    """Intercepts of an item ↔ free values: d_1, then log(d_(s−1) − d_s), so that the
    optimiser never leaves the ordered region of the graded model."""
    out = vec.copy()
    start = n_a
    for k in K:
        block = vec[start:start + k]
        if forward:
            out[start + 1:start + k] = np.log(-np.diff(block))
        else:
            out[start:start + k] = block[0] - np.concatenate([[0], np.cumsum(np.exp(block[1:]))])
        start += k
    return out


def _maximise(data: _Data, start: np.ndarray) -> tuple[np.ndarray, bool]:
    n_a = 1 if data.shared else len(data.K)

    def objective(free):
        vec = _ordered(free, data.K, n_a, forward=False)
        value, grad = _negloglik(data, vec)
        return value, _free_gradient(grad, free, data.K, n_a)

    result = optimize.minimize(objective, _ordered(start, data.K, n_a, forward=True), jac=True,
                               method="BFGS", options={"gtol": 1e-6, "maxiter": 2000})
    converged = result.success or np.max(np.abs(result.jac)) < 1e-3
    return _ordered(result.x, data.K, n_a, forward=False), bool(converged)


def _free_gradient(grad: np.ndarray, free: np.ndarray, K: np.ndarray, n_a: int) -> np.ndarray:
    """The chain rule through :func:`_ordered`: ∂d_m/∂u_1 = 1, ∂d_m/∂u_l = −e^(u_l), m ≥ l."""
    out = grad.copy()
    start = n_a
    for k in K:
        g = grad[start:start + k]
        tail = np.cumsum(g[::-1])[::-1]  # Σ over m ≥ l
        out[start] = tail[0]
        out[start + 1:start + k] = -np.exp(free[start + 1:start + k]) * tail[1:]
        start += k
    return out


def _covariance(data: _Data, vec: np.ndarray) -> tuple[np.ndarray, bool]:
    """Inverse observed information: central differences of the exact gradient."""
    n = len(vec)
    H = np.empty((n, n))
    for i in range(n):
        step = np.zeros(n)
        step[i] = _STEP
        H[i] = (_negloglik(data, vec + step)[1] - _negloglik(data, vec - step)[1]) / (2 * _STEP)
    H = (H + H.T) / 2
    try:
        cov = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        return np.full((n, n), np.nan), False
    ok = bool(np.all(np.diag(cov) > 0))
    return (cov if ok else np.full((n, n), np.nan)), ok


# --------------------------------------------------------------------------------------------
# output
# --------------------------------------------------------------------------------------------
def _index_of(j: int, K: np.ndarray, shared: bool) -> tuple[int, np.ndarray]:
    """Positions of item j's discrimination and intercepts in the parameter vector."""
    n_a = 1 if shared else len(K)
    start = n_a + int(K[:j].sum())
    return (0 if shared else j), np.arange(start, start + K[j])


def _difficulty_se(cov, ia, idx, a, d, weights) -> float:
    """SE of Σ w_s·(−d_s/a) by the delta method."""
    grad = np.zeros(len(cov))
    grad[idx] = -weights / a
    grad[ia] = np.sum(weights * d) / a ** 2
    return float(np.sqrt(grad @ cov @ grad))


def _item_table(maxima, K, a, d, cov, shared, X, cats) -> pd.DataFrame:
    rows = []
    for j, item in enumerate(maxima.index):
        ia, idx = _index_of(j, K, shared)
        mean = np.full(K[j], 1 / K[j])
        x = X[:, j]
        scores = cats[j][x[x >= 0]]
        rows.append({"item_id": item, "item_max": float(maxima.iloc[j]), "n_steps": int(K[j]),
                     "a": float(a[j]), "a_se": float(np.sqrt(cov[ia, ia])),
                     "b": float(np.mean(-d[j] / a[j])),
                     "b_se": _difficulty_se(cov, ia, idx, a[j], d[j], mean),
                     "difficulty": float(scores.mean() / maxima.iloc[j])})
    return pd.DataFrame(rows)


def _threshold_table(item_ids, cats, a, d, cov, K, shared) -> pd.DataFrame:
    rows = []
    for j, item in enumerate(item_ids):
        ia, idx = _index_of(j, K, shared)
        for s in range(K[j]):
            one = np.eye(K[j])[s]
            rows.append({"item_id": item, "score": float(cats[j][s + 1]),
                         "b": float(-d[j][s] / a[j]),
                         "b_se": _difficulty_se(cov, ia, idx, a[j], d[j], one)})
    return pd.DataFrame(rows)


def _person_table(students, X, cats, post, nodes) -> pd.DataFrame:
    theta = post @ nodes
    se = np.sqrt(np.clip(post @ nodes ** 2 - theta ** 2, 0, None))
    total = np.zeros(len(X))
    for j, c in enumerate(cats):
        seen = X[:, j] >= 0
        total[seen] += c[X[seen, j]]
    return pd.DataFrame({"student_id": np.asarray(students), "total": total,
                         "theta": theta, "theta_se": se})
