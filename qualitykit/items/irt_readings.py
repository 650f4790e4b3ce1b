"""Plain readings of an item response model for the 教研员: where on the ability scale the
paper's cut lines lie, what each item distinguishes, where the paper measures well (compute
only; the figures come from :func:`qualitykit.irt`).

* The ability at a cut line (低分线, 及格线, 优秀线 of the Standard, in points of the paper's full
  mark) is the θ at which the expected total (the test characteristic curve) equals the line.
* An item's reading: a negative discrimination first (check the key), then a low one
  (a < ``irt_low_a``, Baker 2001), else which pupils it tells apart: the ability where its
  information peaks (b for a 0/1 item) against the abilities at the pass and excellent lines.
* The paper's reading: where its information peaks, and its standard error of measurement and
  reliability 1 − SEM² (θ has variance 1) at each cut line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize

from ..standard import Standard, get_standard
from .irt import IRTFit, ability_grid

__all__ = ["ability_lines", "irt_readings", "information_reading", "CUT_LINES"]

CUT_LINES = ("low", "pass", "excellent")
_LINE_NAMES = {"low": "低分线", "pass": "及格线", "excellent": "优秀线"}
_LISTS = {"low": "补差名单", "pass": "临界生名单", "excellent": "培优名单"}


def ability_lines(fit: IRTFit, *, standard: Standard | str | None = None) -> pd.DataFrame:
    """The abilities at the paper's 低分线, 及格线 and 优秀线.

    Parameters
    ----------
    fit : IRTFit
        From :func:`qualitykit.irt`.
    standard : Standard or str, optional
        The cut lines (shares of the full mark; grades 1–2 have their own 优秀线).

    Returns
    -------
    DataFrame
        One row per line: ``cut`` (low, pass, excellent), ``points``, ``theta``
        (NaN when the line is out of the expected totals' reach), ``information``, ``sem_theta``
        (1/√information) and ``reliability`` (1 − sem²) at that θ.

    Examples
    --------
    >>> import qualitykit as qk
    >>> fit = qk.irt(qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items")),
    ...              model="grm")
    >>> ability_lines(fit)["cut"].tolist()
    ['low', 'pass', 'excellent']
    """
    std = get_standard(standard)
    rows = []
    for which in CUT_LINES:
        points = std.line(which, fit.paper_max, fit.grade)
        rows.append({"cut": which, "points": points, "theta": _ability_at(fit, points)})
    out = pd.DataFrame(rows)
    info = np.full(len(out), np.nan)
    known = out["theta"].notna().to_numpy()
    if known.any():
        info[known] = fit.test_information(out.loc[known, "theta"].to_numpy())["information"]
    out["information"] = info
    out["sem_theta"] = 1 / np.sqrt(info)
    out["reliability"] = 1 - out["sem_theta"] ** 2
    return out


def _ability_at(fit: IRTFit, points: float) -> float:
    """θ with expected total = points, by bracketing on [−8, 8]; NaN out of reach."""
    low, high = fit.expected_total(np.array([-8.0, 8.0]))
    if not low < points < high:
        return np.nan
    return float(optimize.brentq(lambda t: fit.expected_total(t)[0] - points, -8, 8,
                                 xtol=1e-10))


def irt_readings(fit: IRTFit, lines: pd.DataFrame, *,
                 standard: Standard | str | None = None) -> pd.DataFrame:
    """Each item's parameters with a plain Chinese reading.

    Parameters
    ----------
    fit : IRTFit
    lines : DataFrame
        From :func:`ability_lines`.
    standard : Standard or str, optional
        ``irt_low_a``: a discrimination below it is low.

    Returns
    -------
    DataFrame
        ``fit.items`` with ``peak_theta`` (the ability where the item's information is
        highest), ``targets`` (low, middle, high: the pupils the item tells apart best; empty
        for a negative or low discrimination) and ``reading``.
    """
    std = get_standard(standard)
    at = lines.set_index("cut")["theta"]
    out = fit.items.copy()
    info = fit.information(ability_grid(-6, 6, 0.01))
    peaks = info.loc[info.groupby("item_id", sort=False)["information"].idxmax()]
    out["peak_theta"] = out["item_id"].map(peaks.set_index("item_id")["theta"])
    out["targets"] = [_targets(r.a, r.peak_theta, at["pass"], at["excellent"], std.irt_low_a)
                      for r in out.itertuples()]
    out["reading"] = [_reading(r.a, r.targets, std.irt_low_a) for r in out.itertuples()]
    return out


def _targets(a: float, peak: float, pass_theta: float, excellent_theta: float, low_a: float):
    if not a >= low_a:
        return None
    if np.isfinite(pass_theta) and peak < pass_theta:
        return "low"
    if np.isfinite(excellent_theta) and peak >= excellent_theta:
        return "high"
    return "middle"


def _reading(a: float, targets: str | None, low_a: float) -> str:
    if a < 0:
        return "区分度为负：能力强的学生反而更容易失分，先核对答案和题目表述。"
    if a < low_a:
        return f"区分度低（a = {a:.2f} < {low_a:.2f}）：得分与能力关系弱，难以区分学生。"
    return {"low": "该题主要区分能力较低的学生（信息量峰值在及格线以下），对优秀学生区分作用小。",
            "middle": "该题主要区分中等学生（信息量峰值在及格线与优秀线之间）。",
            "high": "该题主要区分优秀学生（信息量峰值在优秀线以上），对能力较低学生区分度低。"}[targets]


def information_reading(fit: IRTFit, lines: pd.DataFrame) -> list[str]:
    """Plain sentences on where the paper measures well, from its test information.

    Returns
    -------
    list of str
        Where the information peaks (with the expected total there), the SEM and reliability
        at each cut line, and the line where the paper measures least precisely.
    """
    grid = fit.test_information(ability_grid())
    peak = grid.loc[grid["information"].idxmax()]
    total = float(fit.expected_total(peak["theta"])[0])
    out = [f"本卷在能力 θ ≈ {peak['theta']:.1f}（预期总分约 {total:.0f} 分）附近测得最准："
           f"测量标准误 {peak['sem_theta']:.2f}，相当于信度 {1 - peak['sem_theta'] ** 2:.2f}。"]
    known = lines.dropna(subset=["theta"])
    for r in known.itertuples():
        out.append(f"{_LINE_NAMES[r.cut]}（{r.points:g} 分，θ ≈ {r.theta:.2f}）处：测量标准误 "
                   f"{r.sem_theta:.2f}，信度约 {r.reliability:.2f}。")
    if len(known) > 1:
        worst = known.loc[known["sem_theta"].idxmax()]
        out.append(f"三条线中，本卷对{_LINE_NAMES[worst['cut']]}附近学生的测量最不精确；"
                   f"据此确定{_LISTS[worst['cut']]}时，宜结合平时表现。")
    for r in lines[lines["theta"].isna()].itertuples():
        out.append(f"{_LINE_NAMES[r.cut]}（{r.points:g} 分）超出本卷预期总分的范围，无法换算为能力值。")
    return out
