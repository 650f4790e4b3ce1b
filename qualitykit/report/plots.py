"""Charts of a term analysis. Each takes results already computed and never recomputes them.

Every function draws one subject (``subject="数学"``) or, by default, every subject of the
table, one row of panels per subject (units are labelled "学校 班级" where the table holds
several schools: :func:`qualitykit.schema.unit_labels`), and returns a matplotlib Figure with Chinese labels
(see :mod:`qualitykit.fonts`). An empty table (a section without data, e.g. no teacher table)
draws nothing and returns None.

A figure is rendered once: the figures are :class:`ReportFigure`, which a notebook shows as a
PNG at :data:`RENDER_DPI` (150 dpi, at the size the figure's own dpi gives on screen), and
:func:`figure_png` hands the Word export the same bytes. Showing a figure again renders it
again, so the Word file always has a figure as it was last shown.
"""

from __future__ import annotations

import io
import weakref
from binascii import b2a_base64

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from ..labels import label
from ..schema import sat_mask, unit_labels
from ..subjects import counted_order
from .chart_layout import (category_labels, category_ticks, fit_panels, place_point_labels,
                           text_width, wrap_label)
from .chart_parts import annotated_heatmap, colormap_palette, desaturate, first_theme_colour
from .fonts import set_theme

__all__ = ["plot_distributions", "plot_score_bands", "plot_rates", "plot_class_means",
           "plot_teachers", "plot_knowledge_points", "plot_items", "plot_levels",
           "error_extent", "ReportFigure", "new_figure", "figure_png", "render_png",
           "RENDER_DPI"]

#: The resolution of every chart, in the notebook, the HTML/PDF report and the Word file.
RENDER_DPI = 150
_PNG_LEVEL = 1  # zlib level of the PNG: ≈ 5 % larger than the default 6, a third less time
_RENDERED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # figure → PNG bytes

#: The widest line (Chinese characters) of a teacher's name with her classes in its chart.
TEACHER_LABEL_WIDTH = 10
#: The most groups named in a legend inside a panel; more are named above the panels.
PANEL_LEGEND_MAX = 6
_RATE_COLOURS = {"excellent_rate": "#2f7ebc", "pass_rate": "#5aae61", "low_rate": "#d6604d"}
_LEVEL_COLOURS = {"excellent": "#2166ac", "good": "#67a9cf", "satisfactory": "#a6dba0",
                  "unsatisfactory": "#ef8a62"}


def subjects_to_plot(table: pd.DataFrame | None, subject: str | None, what: str) -> list[str]:
    if table is None or table.empty:
        return []
    present = list(dict.fromkeys(table["subject"]))
    if subject is None:
        return present
    if subject not in present:
        raise ValueError(f"{what}中没有科目 {subject!r}；有：{present}。")
    return [subject]


def error_extent(centre, low, high) -> np.ndarray:
    """Lengths of error bars below and above ``centre`` (2 × n), never negative.

    A bound that sits a rounding error past its estimate (a rate of 100 % whose upper bound is
    0.9999999999999999) becomes a bar of length 0, which matplotlib draws; an unknown bound
    (NaN, e.g. a class of one) stays NaN and no bar is drawn.

    >>> error_extent([1.0, 0.5], [0.8, float("nan")], [1.0 - 1e-16, 0.7]).round(3).tolist()
    [[0.2, nan], [0.0, 0.2]]
    """
    centre, low, high = (np.asarray(v, dtype=float) for v in (centre, low, high))
    with np.errstate(invalid="ignore"):
        below, above = np.fmax(centre - low, 0.0), np.fmax(high - centre, 0.0)
    below[np.isnan(centre - low)] = np.nan
    above[np.isnan(high - centre)] = np.nan
    return np.vstack([below, above])


class ReportFigure(Figure):
    """A chart of the report: a matplotlib Figure that a notebook shows as one PNG
    (:func:`render_png`), whose bytes the Word export takes again (:func:`figure_png`)."""


def render_png(fig: Figure) -> bytes:
    """Render ``fig`` as a PNG at :data:`RENDER_DPI` and keep the bytes for :func:`figure_png`.

    The figure is saved at its own size (its layout is already tight), without a second pass
    to crop it, and drawn once: the placeholder layout engine ``fig.tight_layout()`` leaves
    behind would make ``savefig`` draw the whole figure once more first.
    """
    buffer = io.BytesIO()
    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        fig.set_layout_engine(None)  # tight_layout's leftover: savefig would draw once more
    fig.savefig(buffer, format="png", dpi=RENDER_DPI, pil_kwargs={"compress_level": _PNG_LEVEL})
    _RENDERED[fig] = data = buffer.getvalue()
    return data


def figure_png(fig: Figure) -> bytes:
    """The PNG of ``fig`` as last shown (rendered now if it never was).

    >>> fig = new_figure(figsize=(2, 1))[0]
    >>> figure_png(fig) is figure_png(fig)  # rendered once
    True
    >>> plt.close(fig)
    """
    return _RENDERED.get(fig) or render_png(fig)


def _png_for_notebook(fig: Figure) -> tuple[str, dict]:
    """The notebook's picture of a :class:`ReportFigure`: the PNG, shown at the size the
    figure's dpi gives (as any matplotlib figure), base64-encoded as IPython sends it. In the
    kernel of ``qualitykit report``, a stand-in: the command renders the chart in its own
    process (:mod:`qualitykit.report.office`)."""
    from .office import later_figure, stand_in

    later = later_figure(fig)
    if later is not None:
        return stand_in(later)
    data = render_png(fig)
    width, height = fig.get_size_inches() * fig.dpi
    return (b2a_base64(data, newline=False).decode("ascii"),
            {"width": int(round(width)), "height": int(round(height))})


def _show_in_notebooks() -> None:
    """In an IPython kernel, show :class:`ReportFigure` through :func:`_png_for_notebook`
    (the inline backend's own printer renders at another dpi and keeps nothing)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["image/png"].for_type(ReportFigure,
                                                                  _png_for_notebook)
        no_redraw_after_cells(shell)


def no_redraw_after_cells(shell) -> bool:
    """In a Jupyter kernel with the inline backend (a notebook in Jupyter, nbval, the kernel of
    ``qualitykit report``): stop pyplot redrawing its stale figures after each cell; whether
    it was stopped (False elsewhere: nothing changes).

    After every cell, pyplot's hook (``_draw_all_if_interactive``, registered when pyplot is
    imported in IPython) draws each figure the cell changed, and only then does the inline
    backend show it — by rendering it again (a report chart through :func:`render_png`, any
    other figure through the backend's own PNG; in ``qualitykit report`` a report chart is
    pickled for the command instead, :func:`qualitykit.report.office.later_figure`). With the
    inline backend nothing shows that first drawing: it cost 0.2–0.7 s per report chart.
    """
    if shell is None or "inline" not in str(matplotlib.get_backend()):
        return False
    try:
        shell.events.unregister("post_execute", plt._draw_all_if_interactive)
    except ValueError:  # not registered, or already removed
        pass
    return True


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` for a report chart: the Chinese theme, a :class:`ReportFigure`."""
    set_theme()
    _show_in_notebooks()
    return plt.subplots(nrows, ncols, FigureClass=ReportFigure, **kwargs)


def subject_panels(n: int, row_height: float, width: float = 10, ncols: int = 2):
    """One panel per subject, two per row; unused panels are hidden."""
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(width, row_height * nrows + 0.4),
                           squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]



def subject_figure(table: pd.DataFrame | None, subject: str | None, what: str,
                   row_height: float, **layout):
    """The figure of a chart drawn per subject, and each panel with its subject's rows.

    Parameters
    ----------
    table : DataFrame or None
        Rows of every subject (a ``subject`` column).
    subject : str, optional
        One subject; every subject of ``table`` when omitted (an unknown one is an error that
        names ``what``, the table as a teacher knows it).
    what : str
        The table's Chinese name for that message.
    row_height : float or callable
        Inches per row of panels, or a function of the most rows any subject has in
        ``table`` that gives them; ``layout`` goes to :func:`subject_panels`.

    Returns
    -------
    (Figure or None, list of (Axes, str, DataFrame))
        ``(None, [])`` for an empty table.
    """
    subjects = subjects_to_plot(table, subject, what)
    if not subjects:
        return None, []
    if callable(row_height):
        row_height = row_height(int(table.groupby("subject").size().max()))
    fig, axes = subject_panels(len(subjects), row_height, **layout)
    return fig, [(ax, subj, table[table["subject"] == subj]) for ax, subj in zip(axes, subjects)]

def upright_length(table: pd.DataFrame, subject: str | None, group: str) -> float:
    """Inches the names of ``group`` take below a chart's panels (side by side, one panel
    per subject, two per row of a 10-inch figure) when they must stand upright
    (:func:`qualitykit.report.chart_layout.category_labels`); 0 when they lie flat."""
    subjects = subjects_to_plot(table, subject, "")
    shown = table[table["subject"].isin(subjects)]
    names = pd.Series(unit_labels(shown, group).unique())
    units = int(shown.assign(_u=unit_labels(shown, group)).groupby("subject")["_u"].nunique().max())
    share = (10 / min(2, len(subjects)) - 1.4) / units
    if category_labels(names, share, 10)[0] != "upright":
        return 0.0
    return max(text_width(v) for v in names) * 10 / 72


def plot_distributions(scores: pd.DataFrame, *, subject: str | None = None,
                       group: str = "class_id"):
    """Distribution of scores per class: violins (the density, KDE) with a box inside.

    Drawn as seaborn's ``violinplot(inner="box", cut=0, density_norm="width")`` draws it (the
    same Gaussian KDE with Scott's bandwidth on 100 points from the lowest to the highest
    score, the same box, whiskers and median), with plain matplotlib: one outline collection
    per panel, not seaborn's per-violin machinery.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table (sitters are plotted).
    subject : str, optional
        One subject; all subjects when omitted.
    group : str
        Column whose values get one violin each (default ``class_id``).
    """
    sat = scores[sat_mask(scores)
                 & scores["full_mark"].notna()]
    fig, panels = subject_figure(sat, subject, "成绩表",
                                 lambda n: 3.3 + upright_length(sat, subject, group))
    if fig is None:
        return None
    for ax, subj, data in panels:
        units = unit_labels(data, group).to_numpy()
        order = sorted(set(units), key=counted_order)  # 初二(2)班 before 初二(10)班
        full = float(data["full_mark"].max())
        score = data["score"].to_numpy(float)
        draw_violins(ax, [score[units == u] for u in order])
        category_ticks(ax, order)
        ax.xaxis.grid(False)
        ax.set(xlabel=label(group), ylabel="成绩", xlim=(-0.5, len(order) - 0.5),
               ylim=(0, full * 1.02), title=f"{subj}：各{label(group)}成绩分布")
    fit_panels(fig)
    return fig


def violin_outline(values: np.ndarray, position: float, half_width: float = 0.4):
    """The outline of one violin as seaborn draws it (``cut=0``, ``density_norm="width"``).

    A Gaussian KDE (Scott's bandwidth) on 100 points from the lowest to the highest value,
    scaled so that its widest point is ``half_width`` on each side of ``position``.

    Returns
    -------
    ndarray (2 × 100, 2) or None
        The polygon (x, score), up the left side and down the right; None where no density
        can be estimated (fewer than two values, or all equal).

    >>> xy = violin_outline(np.array([1.0, 2.0, 2.0, 3.0]), position=0)
    >>> xy.shape, float(abs(xy[:, 0]).max()), float(xy[:, 1].min()), float(xy[:, 1].max())
    ((200, 2), 0.4, 1.0, 3.0)
    """
    spread = float(np.var(values, ddof=1)) if len(values) > 1 else 0.0
    if not spread > 0:  # fewer than two values, or all equal: no density to estimate
        return None
    bandwidth = np.sqrt(spread) * len(values) ** -0.2  # Scott's factor, as scipy's gaussian_kde
    support = np.linspace(values.min(), values.max(), 100)
    span = np.exp(-0.5 * ((support[:, None] - values[None, :]) / bandwidth) ** 2).sum(axis=1)
    span = span / span.max() * half_width
    return np.concatenate([np.column_stack([position - span, support]),
                           np.column_stack([position + span, support])[::-1]])


def draw_violins(ax, groups: list[np.ndarray], colour: str = "#c6dbef",
                 linewidth: float = 0.8) -> None:
    """Violins at x = 0, 1, … with seaborn's inner box: whiskers (1.5 IQR), the quartile
    box as a thick line and a white median mark, in the grey seaborn derives from ``colour``.

    A group with one value or with all values equal is a short horizontal line at its mean
    and nothing else, as seaborn draws it; an empty group draws nothing.
    """
    from colorsys import rgb_to_hls

    import matplotlib as mpl
    from matplotlib.collections import PolyCollection

    face = desaturate(colour, 0.75)
    grey = (rgb_to_hls(*face)[1] * 0.6,) * 3
    polygons, whiskers, boxes, medians = [], [], [], []
    for x, values in enumerate(groups):
        if len(values) == 0:
            continue
        outline = violin_outline(values, x)
        if outline is None:
            ax.plot([x - 0.4, x + 0.4], [values.mean()] * 2, color=grey, linewidth=linewidth)
            continue
        polygons.append(outline)
        stats = mpl.cbook.boxplot_stats(values)[0]
        whiskers += [(x, stats["whislo"]), (x, stats["whishi"]), (np.nan, np.nan)]
        boxes += [(x, stats["q1"]), (x, stats["q3"]), (np.nan, np.nan)]
        medians.append((x, stats["med"]))
    ax.add_collection(PolyCollection(polygons, facecolors=[face], edgecolors=[grey],
                                     linewidths=linewidth))
    box = linewidth * 4.5
    for points, width in ((whiskers, box / 3), (boxes, box)):
        if points:
            ax.plot(*np.array(points).T, color=grey, linewidth=width)
    if medians:
        ax.plot(*np.array(medians).T, linestyle="none", marker="_", markersize=box / 1.2,
                markeredgewidth=box / 5, markeredgecolor="w", markerfacecolor="w", color=grey)


def plot_score_bands(bands: pd.DataFrame, *, subject: str | None = None,
                     group: str = "class_id"):
    """分数段 bars from :func:`qualitykit.score_bands`, bands from low to high.

    With bands by ``group`` × subject, each group gets its own colour (seaborn's ``Blues``
    palette at its bar saturation, side by side as seaborn dodges them), named in the first
    panel's legend, or above the panels when there are more than :data:`PANEL_LEGEND_MAX`
    groups (a taller legend would cover the panel); the bars are the table's counts, drawn
    with one ``bar`` call per group.
    """
    fig, panels = subject_figure(bands, subject, "分数段表", 3.0)
    if fig is None:
        return None
    named = group in bands
    above = named and unit_labels(bands, group).nunique() > PANEL_LEGEND_MAX
    for ax, subj, data in panels:
        order = list(dict.fromkeys(data.sort_values("lower")["band"]))
        units = unit_labels(data, group) if named else pd.Series("", index=data.index)
        counts = data.assign(_unit=units).pivot_table(index="band", columns="_unit",
                                                      values="count", sort=False)
        counts = counts.reindex(index=order, columns=list(dict.fromkeys(units)))
        draw_dodged_bars(ax, counts, label(group) if named else None,
                         legend=ax is panels[0][0] and not above)
        ax.set(xlabel="", ylabel="人数", title=f"{subj}：分数段人数")
        ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    top = 1.0
    if above:
        handles, names = panels[0][0].get_legend_handles_labels()
        ncols = min(6, len(names))
        top = 1 - (0.2 * (-(-len(names) // ncols) + 1) + 0.1) / fig.get_figheight()
        fig.legend(handles, names, title=label(group), ncols=ncols, loc="upper center",
                   fontsize=8, title_fontsize=9, frameon=False)
    fit_panels(fig, rect=(0, 0, 1, top))
    return fig


def draw_dodged_bars(ax, values: pd.DataFrame, title: str | None, legend: bool) -> None:
    """Bars of ``values`` (categories × series) side by side as seaborn's ``barplot`` places
    them (0.8 wide per category, split between the series), one ``bar`` call per series:
    ``Blues`` shades when there are named series (with a legend titled ``title``), the
    theme's first colour otherwise, desaturated to 75 % as seaborn does."""
    n = values.shape[1]
    x = np.arange(len(values))
    width = 0.8 / n
    if title is None:
        colours = [desaturate(first_theme_colour(), 0.75)]
    else:
        colours = colormap_palette("Blues", n, desat=0.75)
    for i, (name, colour) in enumerate(zip(values.columns, colours)):
        ax.bar(x - 0.4 + i * width, values[name].to_numpy(float), width, align="edge",
               color=colour, label=name)
    ax.set_xticks(x, values.index)
    ax.xaxis.grid(False)
    ax.set_xlim(-0.5, len(values) - 0.5)
    if legend and title is not None:
        ax.legend(title=title)


def plot_rates(summary: pd.DataFrame, *, subject: str | None = None, group: str = "class_id"):
    """优秀率, 及格率 and 低分率 per class from :func:`qualitykit.summary`, with Wilson intervals.

    A rate of 0 % has no bar but keeps its interval (how high it could be); a class where
    nobody sat the subject is marked 无人实考. The classes stand side by side, named on one
    line or on two (school, class); when their names do not fit under the bars even so (many
    classes of several schools), the bars turn: one row per class, named on the left.
    """
    subjects = subjects_to_plot(summary, subject, "三率一分表")
    if not subjects:
        return None
    rows = int(summary[summary["subject"].isin(subjects)].groupby("subject").size().max())
    share = (10 / min(2, len(subjects)) - 1.4) / rows  # inches per class under the bars
    names = unit_labels(summary, group)
    across = category_labels(names, share, 10)[0] == "upright"
    fig, panels = subject_figure(summary, subject, "三率一分表",
                                 (lambda n: 0.42 * n + 1.3) if across else 3.0)
    for ax, subj, data in panels:
        (_rate_rows if across else _rate_columns)(ax, data, unit_labels(data, group))
        ax.set(title=f"{subj}：三率（误差线为 95% 置信区间）",
               **{"ylabel" if across else "xlabel": label(group)})
    handles, labels = panels[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, ncols=3, loc="upper center", fontsize=8, frameon=False)
    fit_panels(fig, rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    return fig


_RATES = ("excellent_rate", "pass_rate", "low_rate")


def _rate_bars(data: pd.DataFrame, rate: str) -> tuple[np.ndarray, np.ndarray]:
    """A rate's bars (%) and the lengths of their error bars."""
    values = data[rate].to_numpy(float) * 100
    return values, error_extent(values, data[f"{rate}_low"].to_numpy(float) * 100,
                                data[f"{rate}_high"].to_numpy(float) * 100)


def _rate_columns(ax, data: pd.DataFrame, names: pd.Series, width: float = 0.26) -> None:
    """The three rates as columns, the classes side by side along x."""
    x = np.arange(len(data))
    for i, rate in enumerate(_RATES):
        values, err = _rate_bars(data, rate)
        ax.bar(x + (i - 1) * width, values, width, yerr=err, capsize=3, label=label(rate),
               color=_RATE_COLOURS[rate], error_kw={"elinewidth": 0.8, "alpha": 0.7})
    for xi in x[data["n_sat"].to_numpy() == 0]:
        ax.text(xi, 50, "无人\n实考", ha="center", va="center", fontsize=8, color="#555555")
    category_ticks(ax, names)
    ax.set(ylabel="百分比（%）", ylim=(0, 105))


def _rate_rows(ax, data: pd.DataFrame, names: pd.Series, height: float = 0.26) -> None:
    """The three rates as bars across, one row per class from the top, named on the left
    (on two lines where a name is long)."""
    y = np.arange(len(data))[::-1]
    for i, rate in enumerate(_RATES):
        values, err = _rate_bars(data, rate)
        ax.barh(y + (1 - i) * height, values, height, xerr=err, capsize=2, label=label(rate),
                color=_RATE_COLOURS[rate], error_kw={"elinewidth": 0.8, "alpha": 0.7})
    for yi in y[data["n_sat"].to_numpy() == 0]:
        ax.text(50, yi, "无人实考", ha="center", va="center", fontsize=8, color="#555555")
    ax.set_yticks(y, [wrap_label(v, 8) for v in names])
    ax.yaxis.grid(False)
    ax.set(xlabel="百分比（%）", xlim=(0, 105), ylim=(-0.6, len(data) - 0.4))


def plot_class_means(classes: pd.DataFrame, *, subject: str | None = None,
                     group: str = "class_id"):
    """Class means against the grade mean, from ``compare_classes(...).classes``.

    The bar around each class mean is the interval of its difference from the grade mean
    (grade mean + ``diff_low`` … ``diff_high``): where it crosses the grade line, the class is
    not shown to differ from the grade (drawn light).
    """
    fig, panels = subject_figure(classes, subject, "班级比较表", lambda n: 0.42 * n + 1.5)
    if fig is None:
        return None
    for ax, subj, data in panels:
        y = np.arange(len(data))[::-1]
        colours = np.where(data["significant"].to_numpy(bool), "#08519c", "#9ecae1")
        ax.errorbar(data["mean"], y, xerr=error_extent(data["diff"], data["diff_low"],
                                                       data["diff_high"]),
                    fmt="none", ecolor="#6b6b6b", capsize=3)
        ax.scatter(data["mean"], y, c=colours, s=55, zorder=3)
        grade_mean = float(data["grade_mean"].iloc[0])
        ax.axvline(grade_mean, color="#d6604d", ls="--", lw=1)
        small = data["small_group"].to_numpy(bool) if "small_group" in data else np.zeros(len(y), bool)
        ax.set_yticks(y, [f"{g}（{k} 人）" if tiny else str(g)
                          for g, k, tiny in zip(unit_labels(data, group), data["n_sat"], small)])
        ax.set(ylabel=label(group), xlabel="平均分", ylim=(-0.7, y.max() + 0.7),
               xlim=_mean_axis(data, small), title=f"{subj}（红线：年级均分 {grade_mean:.1f}）")
    fig.suptitle("各班均分：横线为与年级均分之差的置信区间（已按班级数校正），深色为差异显著",
                 fontsize=10)
    fit_panels(fig)
    return fig


def _mean_axis(data: pd.DataFrame, small: np.ndarray) -> tuple[float, float]:
    """The mean axis: every class mean, and the intervals of the classes that are not small.

    The interval of a class of two or three pupils can run hundreds of points past the paper;
    it is cut at the edge of the panel instead of squeezing every other class into a dot.
    """
    shown = data.loc[~small] if (~small).any() else data.iloc[0:0]
    values = np.concatenate([data["mean"].to_numpy(float), data["grade_mean"].to_numpy(float),
                             (shown["grade_mean"] + shown["diff_low"]).to_numpy(float),
                             (shown["grade_mean"] + shown["diff_high"]).to_numpy(float)])
    values = values[np.isfinite(values)]
    lo, hi = float(values.min()), float(values.max())
    pad = max(0.08 * (hi - lo), 2.0)
    return lo - pad, hi + pad


def plot_teachers(teachers: pd.DataFrame, *, subject: str | None = None):
    """Each teacher's students against the grade mean, from :func:`qualitykit.teacher_table`.

    A teacher is named with her classes, broken into lines of at most
    :data:`TEACHER_LABEL_WIDTH` Chinese characters (a long name or many classes would
    otherwise squeeze the panels), and each row is as tall as its name's lines.
    """
    if teachers is None or teachers.empty:
        return None
    names = (unit_labels(teachers, "teacher") + "（" + teachers["classes"].astype(str) + "）"
             ).map(lambda v: wrap_label(v, TEACHER_LABEL_WIDTH))
    lines = max(v.count("\n") for v in names) + 1
    fig, panels = subject_figure(teachers.assign(_name=names), subject, "教师表",
                                 lambda n: max(0.4, 0.2 * lines + 0.1) * n + 1.4)
    for ax, subj, data in panels:
        data = data.sort_values("diff_mean")
        colours = np.where(data["diff_mean"] >= 0, "#4393c3", "#d6604d")
        ax.barh(data["_name"], data["diff_mean"], color=colours)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set(ylabel="", xlabel="与年级均分之差（分）", title=subj)
    fit_panels(fig)
    return fig


def plot_knowledge_points(kp: pd.DataFrame, *, subject: str | None = None,
                          group: str = "class_id"):
    """知识点得分率 heatmap: classes (and the grade) × knowledge points, from
    :func:`qualitykit.knowledge_points`. Weakest points on the left; 共性弱项 are starred."""
    subjects = subjects_to_plot(kp, subject, "知识点表")
    if not subjects:
        return None
    n_rows = kp[group].nunique()
    n_cols = kp["knowledge_point"].nunique()
    fig, axes = new_figure(len(subjects), 1, squeeze=False,
                           figsize=(max(6.0, 0.9 * n_cols + 2), (0.45 * n_rows + 1.3) * len(subjects)))
    for ax, subj in zip(axes[:, 0], subjects):
        data = kp[kp["subject"] == subj] if "subject" in kp else kp
        points = list(dict.fromkeys(data["knowledge_point"]))
        rows = list(dict.fromkeys(data[group]))
        grid = data.pivot_table(index=group, columns="knowledge_point", values="rate",
                                aggfunc="first", sort=False).reindex(index=rows, columns=points)
        weak = data.pivot_table(index=group, columns="knowledge_point", values="weak",
                                aggfunc="first", sort=False).reindex(index=rows, columns=points)
        text = (grid * 100).round(0).astype("Int64").astype(str) + np.where(
            weak.fillna(False).astype(bool), "*", "")
        annotated_heatmap(ax, grid * 100, text, cmap="RdYlGn", vmin=30, vmax=100,
                          linewidths=0.5, label="得分率（%）")
        ax.set(xlabel="知识点", ylabel=label(group),
               title=f"{subj}：知识点得分率（%，* 为共性弱项）")
        ax.tick_params(axis="x", labelrotation=30)
        ax.tick_params(axis="y", labelrotation=0)
    fig.tight_layout()
    return fig


def plot_items(items: pd.DataFrame, *, subject: str | None = None):
    """Difficulty × discrimination of each item, from ``item_analysis(...).items``.

    Dashed lines: Ebel's D = 0.20 and 0.40, and the difficulty bands; items below D = 0.20
    (red) need a look, a negative D first of all.
    """
    if items is None or items.empty or items["discrimination"].isna().all():
        return None
    subjects = subjects_to_plot(items, subject, "小题分析表") if "subject" in items else [None]
    if not subjects:
        return None
    fig, axes = subject_panels(len(subjects), 4.2, width=10 if len(subjects) > 1 else 6.5)
    for ax, subj in zip(axes, subjects):
        data = items[items["subject"] == subj] if subj is not None else items
        colours = np.where(data["discrimination"] < 0.20, "#d6604d",
                           np.where(data["discrimination"] < 0.30, "#f4a582", "#4393c3"))
        ax.scatter(data["difficulty"], data["discrimination"], c=colours, s=40, zorder=3)
        for d in (0.2, 0.4):
            ax.axhline(d, color="#999999", ls="--", lw=0.8)
        ax.axhline(0, color="#333333", lw=0.8)
        low = min(-0.1, float(data["discrimination"].min()) - 0.05)
        ax.set(xlim=(0, 1.02), ylim=(low, 1.0), xlabel="难度 P（得分率，越大越容易）",
               ylabel="区分度 D", title=f"{subj or ''}：各题难度与区分度（红色 D < 0.20）")
    fig.tight_layout()
    for ax, subj in zip(axes, subjects):  # the item numbers, once the panels are in place
        data = items[items["subject"] == subj] if subj is not None else items
        place_point_labels(ax, data["difficulty"].to_numpy(float),
                           data["discrimination"].to_numpy(float),
                           [str(i) for i in data["item_id"]], marker_size=40)
    return fig


def plot_levels(levels: pd.DataFrame, *, subject: str | None = None, group: str = "class_id"):
    """等级分布: stacked bars of the share of each level per class, one panel per subject.

    Takes :func:`qualitykit.level_summary` by ``group`` × subject; each bar is one class's
    pupils with a level (100 %), from 优秀 on the left to 待合格 on the right, with the share
    written in every segment of 6 % or more and the number of pupils at the bar's end.
    """
    from ..term.levels import LEVEL_IDS

    subjects = subjects_to_plot(levels, subject, "等级表")
    if not subjects:
        return None
    n_rows = max(int((levels["subject"] == s).sum()) for s in subjects)
    fig, axes = subject_panels(len(subjects), 0.42 * n_rows + 1.2)
    for ax, subj in zip(axes, subjects):
        data = levels[(levels["subject"] == subj) & (levels["n_sat"] > 0)].iloc[::-1]
        y = np.arange(len(data))
        left = np.zeros(len(data))
        for lid in LEVEL_IDS:
            share = data[f"share_{lid}"].to_numpy(float) * 100
            ax.barh(y, share, left=left, color=_LEVEL_COLOURS[lid], edgecolor="white",
                    label=label(f"n_{lid}").removesuffix("人数"))
            for yi, (x0, w) in enumerate(zip(left, share)):
                if w >= 6:
                    ax.text(x0 + w / 2, yi, f"{w:.0f}", ha="center", va="center", fontsize=7.5,
                            color="white" if lid == "excellent" else "#222")
            left += share
        for yi, n in enumerate(data["n_sat"]):
            ax.text(101, yi, f"{int(n)}人", va="center", fontsize=7.5, color="#555")
        ax.set_yticks(y, data[group])
        ax.set(xlim=(0, 110), xlabel="占有等级学生的百分比（%）", ylabel=label(group),
               title=f"{subj}：各{label(group)}等级分布")
    handles, names = axes[0].get_legend_handles_labels()
    top = 1 - 0.45 / fig.get_figheight()
    fig.legend(handles, names, ncols=4, loc="upper center", bbox_to_anchor=(0.5, 1.0),
               fontsize=8.5, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, top))
    return fig
