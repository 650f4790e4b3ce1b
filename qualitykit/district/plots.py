"""Charts of the 联考 report: the schools' means against the district's, with intervals."""

from __future__ import annotations

import numpy as np

from ..report.plots import error_extent, subject_figure
from .analysis import DistrictAnalysis

__all__ = ["plot_school_means"]


def plot_school_means(analysis: DistrictAnalysis, *, subject: str | None = None):
    """Each school's mean against the district's, per subject (schools in the file's order).

    The bar around a mean is the interval of its difference from the district (district mean
    + ``diff_low`` … ``diff_high``, Bonferroni over the schools): a bar that crosses the
    district line is a school not shown to differ (drawn light). Draws nothing new: every
    figure is ``analysis.school_comparison.classes``.
    """
    table = analysis.school_comparison.classes
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
