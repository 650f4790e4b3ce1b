"""The layout of a chart's grid of panels, computed from the sizes of its labels.

:func:`fit_panels` finds the subplot parameters matplotlib's ``tight_layout`` finds (the same
padding, the same rule for margins and gaps between panels) without drawing the figure: it
measures only the texts that stand outside the panels (tick labels, axis labels, titles, the
suptitle, a legend taller than its panel), once each, where ``tight_layout`` lays out every
tick and artist of every panel twice or more. Other children drawn inside a panel (bars,
annotations) do not count; a chart whose texts can stand outside its panels in another way
(a colour bar, labels next to points) keeps ``tight_layout``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.text import Text
from matplotlib.transforms import IdentityTransform

__all__ = ["fit_panels"]

PAD = 1.08  # tight_layout's padding, in font sizes


def fit_panels(fig, rect: tuple[float, float, float, float] = (0, 0, 1, 1)) -> dict:
    """Lay out ``fig``'s grid of panels as ``fig.tight_layout(rect=rect)`` would, cheaply.

    Parameters
    ----------
    fig : Figure
        Panels made by ``plt.subplots`` (hidden ones are skipped), drawn and labelled.
    rect : tuple
        The part of the figure (fractions) that the panels and their labels must fit in.

    Returns
    -------
    dict
        The subplot parameters applied (``left``, ``right``, ``bottom``, ``top``, ``wspace``,
        ``hspace``); empty when the labels leave no room for the panels (the figure is left
        as it was, as ``tight_layout`` leaves it).
    """
    import matplotlib as mpl

    axes = [ax for ax in fig.axes if ax.get_visible()]
    nrows, ncols = axes[0].get_subplotspec().get_gridspec().get_geometry()
    renderer = RendererAgg(1, 1, fig.dpi)
    width, height = fig.get_size_inches()
    pad = PAD * mpl.rcParams["font.size"] / 72
    left, right = np.zeros(ncols), np.zeros(ncols)
    top, bottom = np.zeros(nrows), np.zeros(nrows)
    for ax in axes:
        spec = ax.get_subplotspec()
        out = panel_overhang(ax, renderer)  # inches: left, bottom, right, top
        left[spec.colspan.start] = max(left[spec.colspan.start], out[0])
        right[spec.colspan.stop - 1] = max(right[spec.colspan.stop - 1], out[2])
        bottom[spec.rowspan.stop - 1] = max(bottom[spec.rowspan.stop - 1], out[1])
        top[spec.rowspan.start] = max(top[spec.rowspan.start], out[3])
    above = sum(_size(t, renderer)[1] + pad for t in _suptitles(fig))
    params = {"left": rect[0] + (left[0] + pad) / width,
              "right": rect[2] - (right[-1] + pad) / width,
              "bottom": rect[1] + (bottom[-1] + pad) / height,
              "top": rect[3] - (top[0] + pad + above) / height}
    wide = (params["right"] - params["left"] - _gap(right, left, pad, width) * (ncols - 1))
    high = (params["top"] - params["bottom"] - _gap(bottom, top, pad, height) * (nrows - 1))
    if wide <= 0 or high <= 0:  # labels wider than the figure: left as it is (tight_layout too)
        return {}
    params["wspace"] = _gap(right, left, pad, width) / (wide / ncols)
    params["hspace"] = _gap(bottom, top, pad, height) / (high / nrows)
    fig.subplots_adjust(**params)
    return params


def _gap(before: np.ndarray, after: np.ndarray, pad: float, size: float) -> float:
    """The space (fraction of the figure) between neighbouring panels: what the labels of one
    reach towards the next, and the padding."""
    return ((before[:-1] + after[1:]).max(initial=0) + pad) / size


def panel_overhang(ax, renderer) -> tuple[float, float, float, float]:
    """How far (inches) ``ax``'s tick labels, axis labels and title reach past its left,
    bottom, right and top edges."""
    import matplotlib as mpl

    box = ax.get_position(original=True)
    fig_w, fig_h = ax.get_figure(root=True).get_size_inches()
    x_low, x_high, x_away = tick_reach(ax.xaxis, box.width * fig_w, renderer)
    y_low, y_high, y_away = tick_reach(ax.yaxis, box.height * fig_h, renderer)
    bottom = x_away + _label_reach(ax.xaxis, renderer)
    left = y_away + _label_reach(ax.yaxis, renderer)
    top = y_high
    if ax.get_title():  # on the baseline, axes.titlepad above the panel
        top = max(top, mpl.rcParams["axes.titlepad"] / 72
                  + _extent(ax.title, renderer).y1 / renderer.dpi)
    reach = [max(left, -x_low), max(bottom, -y_low), x_high, top]
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():  # a tall legend can stand out of its panel
        lb, pb, dpi = legend.get_window_extent(renderer), ax.bbox, renderer.dpi
        beyond = [pb.x0 - lb.x0, pb.y0 - lb.y0, lb.x1 - pb.x1, lb.y1 - pb.y1]
        reach = [max(r, b / dpi) for r, b in zip(reach, beyond)]
    return tuple(reach)


def tick_reach(axis, length: float, renderer) -> tuple[float, float, float]:
    """How far (inches) an axis' tick labels reach before its start and past its end along
    the axis (negative: they stop short), and away from the panel."""
    texts, where = tick_texts(axis)
    tick = axis.get_major_ticks(1)[0]
    if not texts or not tick.label1.get_visible():
        return 0.0, 0.0, 0.0
    dpi = renderer.dpi
    offset = (tick.get_pad() + tick.get_tick_padding()) / 72
    boxes = [_extent(tick.label1, renderer, s) for s in texts]
    along = where * length
    if axis.axis_name == "x":
        low = min(a + b.x0 / dpi for a, b in zip(along, boxes))
        high = max(a + b.x1 / dpi for a, b in zip(along, boxes)) - length
        return low, high, offset + max(-b.y0 for b in boxes) / dpi
    low = min(a + b.y0 / dpi for a, b in zip(along, boxes))
    high = max(a + b.y1 / dpi for a, b in zip(along, boxes)) - length
    return low, high, offset + max(-b.x0 for b in boxes) / dpi


def tick_texts(axis) -> tuple[list[str], np.ndarray]:
    """The major tick labels an axis will draw, and where (fraction of the axis), without
    making the ticks: the locator and formatter on the current limits, as matplotlib does."""
    low, high = axis.get_view_interval()
    locs = np.asarray(axis.get_majorticklocs(), dtype=float)
    labels = axis.get_major_formatter().format_ticks(locs)
    where = (locs - low) / (high - low)
    shown = [i for i, (f, s) in enumerate(zip(where, labels)) if -1e-10 <= f <= 1 + 1e-10 and s]
    return [labels[i] for i in shown], where[shown]


def _label_reach(axis, renderer) -> float:
    """Inches the axis label adds beyond the tick labels (the label pad and its size)."""
    if not axis.label.get_text() or not axis.label.get_visible():
        return 0.0
    box = _extent(axis.label, renderer)
    return axis.labelpad / 72 + (box.height if axis.axis_name == "x" else box.width) / renderer.dpi


def _extent(text: Text, renderer, string: str | None = None):
    """The box (pixels) of ``text`` (or of ``string`` set like it) around its anchor."""
    probe = Text(0, 0, text.get_text() if string is None else string)
    probe.update_from(text)
    probe.set_rotation_mode(text.get_rotation_mode())
    probe.set_transform(IdentityTransform())
    probe.set_figure(text.get_figure(root=True))
    return probe.get_window_extent(renderer)


def _size(text: Text, renderer) -> tuple[float, float]:
    box = _extent(text, renderer)
    return box.width / renderer.dpi, box.height / renderer.dpi


def _suptitles(fig) -> list[Text]:
    title = fig.get_suptitle()
    return [t for t in fig.texts if title and t.get_text() == title and t.get_visible()][:1]
