"""Charts of growth and cohorts: caterpillar plots of value added, trajectories, 届 distributions.

Like :mod:`qualitykit.plots`, each takes results already computed, draws one subject or all
(one panel per subject) and returns a matplotlib Figure, or None for an empty table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..labels import label
from ..schema import sat_rows, unit_labels
from .chart_layout import fit_panels
from .plots import error_extent, subject_figure, subject_panels, subjects_to_plot

__all__ = ["plot_value_added", "plot_growth", "plot_trend", "plot_cohorts"]

_UP, _DOWN, _NEUTRAL = "#2166ac", "#b2182b", "#9e9e9e"


def _caterpillar(ax, data: pd.DataFrame, unit: str, est: str, low: str, high: str,
                 centre: float, names: bool):
    data = data.sort_values(est).reset_index(drop=True)
    y = np.arange(len(data))
    colours = np.where(data[low] > centre, _UP, np.where(data[high] < centre, _DOWN, _NEUTRAL))
    ax.hlines(y, data[low], data[high], colors=colours, lw=1.6)
    ax.scatter(data[est], y, c=colours, s=18, zorder=3)
    ax.axvline(centre, color="#333333", lw=0.8, ls="--")
    if names:
        ax.set_yticks(y, unit_labels(data, unit))
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{label(unit)}（按估计值排序，共 {len(data)} 个）")
    ax.set_ylim(-0.8, len(data) - 0.2)


def plot_value_added(units: pd.DataFrame, *, subject: str | None = None, by: str | None = None):
    """Caterpillar plot of value added, from ``value_added(...).units``.

    Each unit's estimate (mixed-model where there is one) with its interval, sorted; blue
    intervals lie above 0 (more than expected), red below, grey include 0. With many units the
    names are left out: the picture shows how few units differ from expectation at all.
    """
    subjects = subjects_to_plot(units, subject, "增值表")
    if not subjects:
        return None
    unit = by or next(c for c in ("class_id", "teacher", "school") if c in units)
    n = units.groupby("subject").size().max()
    names = n <= 30
    fig, axes = subject_panels(len(subjects), max(2.6, 0.32 * n + 1.2) if names else 4.5,
                        ncols=1 if len(subjects) == 1 else 2)
    for ax, subj in zip(axes, subjects):
        data = units[units["subject"] == subj]
        _caterpillar(ax, data, unit, "estimate", "low", "high", 0.0, names)
        method = "混合模型收缩估计" if data["va_method"].eq("mixed").all() else "残差均值"
        ax.set(xlabel=f"增值（Z 分数，{method}）", title=subj)
    fig.suptitle("增值及其置信区间：蓝色高于预期，红色低于预期，灰色与预期无明显差别", fontsize=10)
    fit_panels(fig)
    return fig


def plot_growth(groups: pd.DataFrame, *, subject: str | None = None, by: str | None = None):
    """Median growth percentile of each class (or teacher), from ``growth_percentiles(...).groups``.

    The line at 50 is typical growth; the bars are distribution-free intervals of the median.
    """
    subjects = subjects_to_plot(groups, subject, "成长百分位表")
    if not subjects:
        return None
    unit = by or next(c for c in ("class_id", "teacher", "school") if c in groups)
    n = groups.groupby("subject").size().max()
    fig, axes = subject_panels(len(subjects), max(2.4, 0.32 * n + 1.2))
    for ax, subj in zip(axes, subjects):
        data = groups[groups["subject"] == subj]
        _caterpillar(ax, data, unit, "median_sgp", "median_low", "median_high", 50.0,
                     names=n <= 30)
        ax.set(xlim=(0, 100), xlabel="成长百分位中位数", title=subj)
    fig.suptitle("各班成长百分位中位数（50 为一般成长；横线为中位数的置信区间）", fontsize=10)
    fig.tight_layout()
    return fig


def plot_trend(trend, *, subject: str | None = None, lines: list[str] | None = None):
    """Trajectories from :func:`qualitykit.trend`: each unit's mean Z per exam with intervals.

    A hollow marker is a flagged exam; a change of teacher is written where it happens.
    """
    import seaborn as sns  # here: the term report draws no trend and needs no seaborn

    pos = trend.positions
    if lines is not None:
        pos = pos[pos["unit"].isin(lines)]
    subjects = subjects_to_plot(pos, subject, "趋势表")
    if not subjects:
        return None
    order = {e: i for i, e in enumerate(trend.exams)}
    fig, axes = subject_panels(len(subjects), 3.6, width=11, ncols=1 if len(subjects) == 1 else 2)
    palette = sns.color_palette("tab10", n_colors=max(pos["unit"].nunique(), 3))
    colour = dict(zip(pd.unique(pos["unit"]), palette))
    for ax, subj in zip(axes, subjects):
        data = pos[pos["subject"] == subj]
        groups = list(data.groupby("unit", sort=False))
        for i, (line, part) in enumerate(groups):
            part = part.sort_values("exam", key=lambda s: s.map(order))
            # lines side by side at each exam, so that their intervals do not hide each other
            x = part["exam"].map(order).to_numpy() + 0.06 * (i - (len(groups) - 1) / 2)
            ax.errorbar(x, part["z_mean"], yerr=error_extent(part["z_mean"], part["z_low"],
                                                             part["z_high"]),
                        color=colour[line], marker="o", ms=4, lw=1.2, capsize=2, label=line)
            if "teacher" in part:
                changes = part["teacher"].ne(part["teacher"].shift()) & part["teacher"].shift().notna()
                for r in part[changes].itertuples():
                    ax.annotate(f"换教师：{r.teacher}", (x[part.index.get_loc(r.Index)], r.z_mean),
                                fontsize=7,
                                xytext=(4, 10), textcoords="offset points", color=colour[line],
                                arrowprops={"arrowstyle": "-", "color": colour[line], "lw": 0.6})
        ax.axhline(0, color="#333333", lw=0.8, ls="--")
        ax.set_xticks(range(len(trend.exams)), trend.exams, rotation=35, ha="right", fontsize=8)
        ax.set(ylabel="平均 Z（0 为年级平均）", title=subj)
        ax.legend(fontsize=7, ncols=2, loc="best")
    fig.suptitle("各次考试的位置：平均 Z 分数及其置信区间（各次试卷不同，只比相对位置）",
                 fontsize=10)
    fig.tight_layout()
    return fig


def plot_cohorts(scores: pd.DataFrame, *, subject: str | None = None,
                 exams: list[str] | None = None):
    """届 comparison: the score distributions of the same grade in different years, overlaid."""
    import seaborn as sns

    from ..io.titles import order_exams

    sat = sat_rows(scores)
    fig, panels = subject_figure(sat, subject, "成绩表", 3.2)
    if fig is None:
        return None
    order = exams or order_exams(sat["exam"].unique())
    for ax, subj, data in panels:
        for exam, colour in zip(order, sns.color_palette("viridis", n_colors=len(order))):
            x = data.loc[data["exam"] == exam, "score"]
            if len(x) > 1:
                sns.kdeplot(x, ax=ax, color=colour, lw=1.6, cut=0,
                            label=f"{exam}（n={len(x)}，均 {x.mean():.1f}）")
        ax.set(xlabel="成绩", ylabel="密度", title=subj)
        ax.legend(fontsize=7)
    fig.suptitle("同一年级不同届的成绩分布（各年试卷不同，形状比位置更可比）", fontsize=10)
    fig.tight_layout()
    return fig

