"""Charts of an item response model (试卷分析, 教研员 section): item characteristic curves, the
paper's information with the cut lines on the ability scale, and a Wright map of pupils and
items. Each takes an :class:`qualitykit.IRTFit` (and the cut lines of
:func:`qualitykit.ability_lines`) and returns a matplotlib Figure with Chinese labels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..items.irt import IRTFit, ability_grid
from .plots import new_figure

__all__ = ["plot_item_curves", "plot_information", "plot_wright_map"]

_LINE_STYLE = {"low": ("低分线", "#d6604d"), "pass": ("及格线", "#f4a582"),
               "excellent": ("优秀线", "#2166ac")}


def _mark_lines(ax, lines: pd.DataFrame | None, *, vertical: bool = True) -> None:
    """Dashed lines at the abilities of the cut lines, labelled with their points."""
    if lines is None:
        return
    for r in lines.dropna(subset=["theta"]).itertuples():
        name, colour = _LINE_STYLE[r.cut]
        text = f"{name} {r.points:g}分"
        if vertical:
            ax.axvline(r.theta, color=colour, ls="--", lw=1)
            ax.text(r.theta, 0.02, text, transform=ax.get_xaxis_transform(), rotation=90,
                    ha="right", va="bottom", fontsize=8, color=colour)
        else:
            ax.axhline(r.theta, color=colour, ls="--", lw=1)
            ax.text(0.99, r.theta, text, transform=ax.get_yaxis_transform(), ha="right",
                    va="bottom", fontsize=8, color=colour)


def plot_item_curves(fit: IRTFit, item_ids: list | None = None, *,
                     lines: pd.DataFrame | None = None):
    """Item characteristic curves: expected score ÷ full mark against ability.

    Parameters
    ----------
    fit : IRTFit
    item_ids : list, optional
        The items to draw (by default every item; a report passes the flagged ones).
    lines : DataFrame, optional
        :func:`qualitykit.ability_lines`, marked as dashed lines.
    """
    ids = list(fit.items["item_id"]) if item_ids is None else list(item_ids)
    if not ids:
        return None
    fig, ax = new_figure(figsize=(8.5, 4.2))
    curves = fit.curves(ability_grid())
    for item in ids:
        c = curves[curves["item_id"] == item]
        a = float(fit.items.loc[fit.items["item_id"] == item, "a"].iloc[0])
        ax.plot(c["theta"], c["expected"], lw=2 if a < 0 else 1.4, ls="-" if a >= 0 else "-.",
                label=f"第{item}题（a = {a:.2f}）")
    _mark_lines(ax, lines)
    ax.set(xlim=(-4, 4), ylim=(0, 1.02), xlabel="能力 θ（全体学生平均为 0，标准差为 1）",
           ylabel="预期得分率", title="项目特征曲线（点划线：区分度为负）")
    ax.legend(fontsize=8, ncol=2 if len(ids) > 12 else 1, loc="upper left",
              bbox_to_anchor=(1.01, 1), borderaxespad=0)
    fig.tight_layout()
    return fig


def plot_information(fit: IRTFit, *, lines: pd.DataFrame | None = None):
    """The paper's information and its standard error of measurement against ability, with
    the 低分线, 及格线 and 优秀线 marked where they fall on the ability scale."""
    fig, ax = new_figure(figsize=(7, 4.2))
    info = fit.test_information(ability_grid())
    ax.plot(info["theta"], info["information"], color="#2166ac", lw=2, label="测验信息量")
    ax.set(xlim=(-4, 4), ylim=(0, None), xlabel="能力 θ（全体学生平均为 0，标准差为 1）",
           ylabel="信息量", title="试卷信息量：曲线越高，该能力段测得越准")
    twin = ax.twinx()
    twin.plot(info["theta"], info["sem_theta"], color="#999999", lw=1.2, ls=":", label="测量标准误")
    twin.set_ylim(0, min(2.0, float(info["sem_theta"].max()) * 1.05))
    twin.set_ylabel("测量标准误（右轴）")
    twin.grid(False)
    _mark_lines(ax, lines)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def plot_wright_map(fit: IRTFit, *, lines: pd.DataFrame | None = None):
    """Wright map: the pupils' abilities (left, a histogram) and the items' step
    difficulties (right) on one ability scale; an item across from many pupils suits them."""
    fig, (left, right) = new_figure(1, 2, figsize=(8, 5.5), sharey=True,
                                    gridspec_kw={"width_ratios": [1, 1.6], "wspace": 0.05})
    theta = fit.persons["theta"].to_numpy()
    steps = fit.thresholds
    span = np.concatenate([theta, steps["b"].clip(-5, 5).to_numpy()])
    bins = np.arange(np.floor(span.min() * 4) / 4, np.ceil(span.max() * 4) / 4 + 0.25, 0.25)
    left.hist(theta, bins=bins, orientation="horizontal", color="#67a9cf")
    left.invert_xaxis()
    left.set(xlabel="学生人数", ylabel="能力 θ / 难度 b", title="学生能力")
    order = {item: i for i, item in enumerate(fit.items["item_id"])}
    x = steps["item_id"].map(order).to_numpy()
    negative = steps["item_id"].map(fit.items.set_index("item_id")["a"] < 0).to_numpy()
    right.scatter(x[~negative], steps["b"].clip(-5, 5)[~negative], s=18, color="#2166ac",
                  label="难度（多档题每档一点）")
    right.scatter(x[negative], steps["b"].clip(-5, 5)[negative], s=22, color="#d6604d",
                  marker="x", label="区分度为负的题")
    right.set_xticks(range(len(order)), [str(i) for i in order], fontsize=7)
    right.set(xlabel="题号", title="各题难度（超出 ±5 的画在边上）")
    right.legend(fontsize=8, loc="lower right")
    for ax in (left, right):
        _mark_lines(ax, lines, vertical=False)
    return fig
