"""Charts of the 联考 report: the schools' means against the district's, with intervals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..report.plots import error_extent, new_figure, subject_figure
from .analysis import DistrictAnalysis

__all__ = ["plot_school_means", "MANY_SCHOOLS"]

#: Above this many schools, every subject's chart at once is a grid of schools × subjects
#: (a dot per school and subject would run over many pages: 100 schools × 9 subjects made a
#: chart 167 inches tall, cut across 8 pages of the PDF).
MANY_SCHOOLS = 30
#: Schools per column of the grid (two columns side by side: 100 schools on one A4 page).
_ROWS_PER_PANEL = 50


def plot_school_means(analysis: DistrictAnalysis, *, subject: str | None = None):
    """Each school's mean against the district's, per subject (schools in the file's order).

    The bar around a mean is the interval of its difference from the district (district mean
    + ``diff_low`` … ``diff_high``, Bonferroni over the schools): a bar that crosses the
    district line is a school not shown to differ (drawn light). Draws nothing new: every
    figure is ``analysis.school_comparison.classes``.
    """
    table = analysis.school_comparison.classes
    if subject is None and table["school"].nunique() > MANY_SCHOOLS:
        return _school_grid(table)
    fig, panels = subject_figure(table, subject, "各校与区域比较表", lambda n: 0.32 * n + 1.3)
    if fig is None:
        return None
    for ax, subj, data in panels:
        y = np.arange(len(data))[::-1]
        ax.errorbar(data["mean"], y, xerr=error_extent(data["diff"], data["diff_low"],
                                                       data["diff_high"]),
                    fmt="none", ecolor="#6b6b6b", capsize=3)
        strong = data["significant"].fillna(False).to_numpy(bool)
        ax.scatter(data["mean"], y, c=np.where(strong, "#08519c", "#9ecae1"), s=45, zorder=3)
        centre = float(data["grade_mean"].iloc[0])
        ax.axvline(centre, color="#d6604d", ls="--", lw=1)
        ax.set_yticks(y, [str(s) for s in data["school"]])
        ax.set(xlabel="平均分", ylim=(-0.7, max(y.max(), 0) + 0.7),
               title=f"{subj}（红线：区域均分 {centre:.1f}）")
    fig.suptitle("各校均分：横线为与区域均分之差的置信区间（已按学校数校正），深色为差异显著",
                 fontsize=10)
    fig.tight_layout()
    return fig


def _school_grid(table: pd.DataFrame):
    """Schools (rows, the file's order, in columns of :data:`_ROWS_PER_PANEL`) × subjects:
    each cell the school's mean minus the district's, coloured within its subject (blue above,
    red below; the darker, the larger against the subject's largest gap), framed where the
    difference is significant (the interval of the dot chart, corrected for the schools)."""
    schools = list(dict.fromkeys(table["school"]))
    subjects = list(dict.fromkeys(table["subject"]))

    def grid(column: str) -> pd.DataFrame:
        return table.pivot(index="school", columns="subject", values=column).reindex(
            index=schools, columns=subjects)

    diff = grid("diff").astype(float)
    strong = grid("significant").fillna(False).astype(bool)
    scale = diff.abs().max().replace(0, np.nan)  # each subject's largest gap
    chunks = [schools[i:i + _ROWS_PER_PANEL] for i in range(0, len(schools), _ROWS_PER_PANEL)]
    ncols = min(2, len(chunks))
    rows = min(len(schools), _ROWS_PER_PANEL)
    fig, axes = new_figure(math.ceil(len(chunks) / ncols), ncols, squeeze=False,
                           figsize=(10, (0.17 * rows + 0.9) * math.ceil(len(chunks) / ncols)
                                    + 0.5))
    for ax, chunk in zip(axes.ravel(), chunks):
        _grid_panel(ax, diff.loc[chunk], strong.loc[chunk], scale)
    for ax in axes.ravel()[len(chunks):]:
        ax.set_visible(False)
    fig.suptitle("各校各科均分与区域均分之差（分）：蓝色高于、红色低于区域，颜色越深差得越多；"
                 "黑框为差异显著（已按学校数校正）", fontsize=9)
    fig.tight_layout()
    return fig


def _grid_panel(ax, diff: pd.DataFrame, strong: pd.DataFrame, scale: pd.Series) -> None:
    """One column of the grid: the coloured cells, each with its difference written in."""
    from matplotlib.patches import Rectangle

    shade = (diff / scale).to_numpy(float)
    ax.imshow(np.ma.masked_invalid(shade), cmap="RdBu", vmin=-1.25, vmax=1.25, aspect="auto")
    values, framed = diff.to_numpy(float), strong.to_numpy(bool)
    for (i, j), value in np.ndenumerate(values):
        if not np.isfinite(value):
            continue
        shown = round(value, 1) + 0.0  # no "-0.0"
        ax.text(j, i, f"{shown:+.1f}" if shown else "0.0", ha="center", va="center",
                fontsize=6, color="white" if abs(shade[i, j]) > 0.75 else "#222222")
        if framed[i, j]:
            ax.add_patch(Rectangle((j - 0.46, i - 0.42), 0.92, 0.84, fill=False, lw=0.9,
                                   edgecolor="#111111"))
    ax.set_xticks(range(diff.shape[1]), [str(s) for s in diff.columns], fontsize=7)
    ax.xaxis.tick_top()
    ax.set_yticks(range(diff.shape[0]), [str(s) for s in diff.index], fontsize=6.5)
    ax.tick_params(length=0)
    ax.grid(False)
