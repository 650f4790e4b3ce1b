"""Charts of a term analysis. Each takes results already computed and never recomputes them.

Every function draws one subject (``subject="数学"``) or, by default, every subject of the
table, one row of panels per subject, and returns a matplotlib Figure with Chinese labels
(see :mod:`qualitykit.fonts`). An empty table (a section without data, e.g. no teacher table)
draws nothing and returns None.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .fonts import set_theme
from .labels import label

__all__ = ["plot_distributions", "plot_score_bands", "plot_rates", "plot_class_means",
           "plot_teachers"]

_RATE_COLOURS = {"excellent_rate": "#2f7ebc", "pass_rate": "#5aae61", "low_rate": "#d6604d"}


def _subjects(table: pd.DataFrame | None, subject: str | None, what: str) -> list[str]:
    if table is None or table.empty:
        return []
    present = list(dict.fromkeys(table["subject"]))
    if subject is None:
        return present
    if subject not in present:
        raise ValueError(f"{what}中没有科目 {subject!r}；有：{present}。")
    return [subject]


def _panels(n: int, row_height: float, width: float = 10, ncols: int = 2):
    """One panel per subject, two per row; unused panels are hidden."""
    set_theme()
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, row_height * nrows + 0.4),
                             squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def plot_distributions(scores: pd.DataFrame, *, subject: str | None = None,
                       group: str = "class_id"):
    """Distribution of scores per class: violins (the density, KDE) with a box inside.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table (sitters are plotted).
    subject : str, optional
        One subject; all subjects when omitted.
    group : str
        Column whose values get one violin each (default ``class_id``).
    """
    sat = scores[scores["status"].eq("sat") & scores["score"].notna()
                 & scores["full_mark"].notna()]
    subjects = _subjects(sat, subject, "成绩表")
    if not subjects:
        return None
    fig, axes = _panels(len(subjects), 3.3)
    for ax, subj in zip(axes, subjects):
        data = sat[sat["subject"] == subj]
        order = sorted(data[group].unique())
        full = float(data["full_mark"].max())
        sns.violinplot(data=data, x=group, y="score", order=order, ax=ax, color="#c6dbef",
                       inner="box", cut=0, density_norm="width", linewidth=0.8)
        ax.set(xlabel=label(group), ylabel="成绩", ylim=(0, full * 1.02),
               title=f"{subj}：各{label(group)}成绩分布")
    fig.tight_layout()
    return fig


def plot_score_bands(bands: pd.DataFrame, *, subject: str | None = None,
                     group: str = "class_id"):
    """分数段 bars from :func:`qualitykit.score_bands`, bands from low to high.

    With bands by ``group`` × subject, each group gets its own colour.
    """
    subjects = _subjects(bands, subject, "分数段表")
    if not subjects:
        return None
    fig, axes = _panels(len(subjects), 3.0)
    for ax, subj in zip(axes, subjects):
        data = bands[bands["subject"] == subj]
        order = list(dict.fromkeys(data.sort_values("lower")["band"]))
        hue = group if group in data else None
        sns.barplot(data=data, x="band", y="count", hue=hue, order=order, ax=ax,
                    palette="Blues" if hue else None)
        ax.set(xlabel="", ylabel="人数", title=f"{subj}：分数段人数")
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)
        if ax.get_legend() is not None:
            ax.get_legend().set_title(label(group))
            if ax is not axes[0]:
                ax.get_legend().remove()
    fig.tight_layout()
    return fig


def plot_rates(summary: pd.DataFrame, *, subject: str | None = None, group: str = "class_id"):
    """优秀率, 及格率 and 低分率 per class from :func:`qualitykit.summary`, with Wilson intervals."""
    subjects = _subjects(summary, subject, "三率一分表")
    if not subjects:
        return None
    fig, axes = _panels(len(subjects), 3.0)
    width = 0.26
    for ax, subj in zip(axes, subjects):
        data = summary[summary["subject"] == subj]
        x = np.arange(len(data))
        for i, rate in enumerate(("excellent_rate", "pass_rate", "low_rate")):
            values = data[rate].to_numpy(float) * 100
            err = np.vstack([values - data[f"{rate}_low"].to_numpy(float) * 100,
                             data[f"{rate}_high"].to_numpy(float) * 100 - values])
            ax.bar(x + (i - 1) * width, values, width, yerr=err, capsize=3, label=label(rate),
                   color=_RATE_COLOURS[rate], error_kw={"elinewidth": 0.8, "alpha": 0.7})
        ax.set_xticks(x, data[group])
        ax.set(xlabel=label(group), ylabel="百分比（%）", ylim=(0, 115),
               title=f"{subj}：三率（误差线为 95% 置信区间）")
    axes[0].legend(ncols=3, loc="upper center", fontsize=8, framealpha=0.9)
    fig.tight_layout()
    return fig


def plot_class_means(classes: pd.DataFrame, *, subject: str | None = None,
                     group: str = "class_id"):
    """Class means against the grade mean, from ``compare_classes(...).classes``.

    The bar around each class mean is the interval of its difference from the grade mean
    (grade mean + ``diff_low`` … ``diff_high``): where it crosses the grade line, the class is
    not shown to differ from the grade (drawn light).
    """
    subjects = _subjects(classes, subject, "班级比较表")
    if not subjects:
        return None
    n = classes.groupby("subject")[group].nunique().max()
    fig, axes = _panels(len(subjects), 0.42 * n + 1.5)
    for ax, subj in zip(axes, subjects):
        data = classes[classes["subject"] == subj]
        y = np.arange(len(data))[::-1]
        colours = np.where(data["significant"].to_numpy(bool), "#08519c", "#9ecae1")
        ax.errorbar(data["mean"], y, xerr=[data["diff"] - data["diff_low"],
                                           data["diff_high"] - data["diff"]],
                    fmt="none", ecolor="#6b6b6b", capsize=3)
        ax.scatter(data["mean"], y, c=colours, s=55, zorder=3)
        grade_mean = float(data["grade_mean"].iloc[0])
        ax.axvline(grade_mean, color="#d6604d", ls="--", lw=1)
        ax.set_yticks(y, data[group])
        ax.set(ylabel=label(group), xlabel="平均分", ylim=(-0.7, y.max() + 0.7),
               title=f"{subj}（红线：年级均分 {grade_mean:.1f}）")
    fig.suptitle("各班均分：横线为与年级均分之差的置信区间（已按班级数校正），深色为差异显著",
                 fontsize=10)
    fig.tight_layout()
    return fig


def plot_teachers(teachers: pd.DataFrame, *, subject: str | None = None):
    """Each teacher's students against the grade mean, from :func:`qualitykit.teacher_table`."""
    subjects = _subjects(teachers, subject, "教师表")
    if not subjects:
        return None
    n = teachers.groupby("subject")["teacher"].nunique().max()
    fig, axes = _panels(len(subjects), 0.4 * n + 1.4)
    for ax, subj in zip(axes, subjects):
        data = teachers[teachers["subject"] == subj].sort_values("diff_mean")
        colours = np.where(data["diff_mean"] >= 0, "#4393c3", "#d6604d")
        ax.barh(data["teacher"] + "（" + data["classes"] + "）", data["diff_mean"],
                color=colours)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set(ylabel="", xlabel="与年级均分之差（分）", title=subj)
        ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    return fig
