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

__all__ = ["fit_panels", "category_labels", "category_ticks", "wrap_label", "text_width",
           "place_point_labels", "MIN_PANEL_WIDTH"]

PAD = 1.08  # tight_layout's padding, in font sizes
#: The narrowest panel (inches) a chart may leave after its labels have taken their room.
MIN_PANEL_WIDTH = 2.0
_BREAK_AFTER = " 、，,；;"  # a label may break after these characters
_BREAK_BEFORE = "（("  # … and before these


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


def wrap_label(text: str, width: float) -> str:
    r"""``text`` broken into lines of at most ``width`` Chinese characters (a Latin letter or
    digit counts half), at a space, after 、 or a comma, before an opening bracket, or, in a
    word longer than a line, anywhere.

    >>> wrap_label("第二实验中学 初二(12)班", 6)
    '第二实验中学\n初二(12)班'
    >>> wrap_label("欧阳教师老师（5-1、5-2、5-3）", 6)
    '欧阳教师老师\n（5-1、5-2、\n5-3）'
    """
    lines, line = [], ""
    for token in _wrap_tokens(text, width):
        if line and text_width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        while text_width(token.rstrip()) > width:  # a word longer than a line
            cut = _fit_chars(token, width)
            lines.append(token[:cut])
            token = token[cut:]
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def _wrap_tokens(text: str, width: float) -> list[str]:
    """The words of ``text`` (cut at spaces) that fit a line, and the pieces of those that
    do not (:func:`_label_tokens`): a line breaks at a space before anywhere else."""
    words = [w + " " for w in text.split(" ")]
    words[-1] = words[-1][:-1]
    return [t for w in words
            for t in ([w] if text_width(w.rstrip()) <= width else _label_tokens(w)) if t]


def _label_tokens(text: str) -> list[str]:
    """``text`` cut where a line may break (the break characters stay with their word)."""
    tokens, token = [], ""
    for char in text:
        if char in _BREAK_BEFORE and token:
            tokens.append(token)
            token = ""
        token += char
        if char in _BREAK_AFTER:
            tokens.append(token)
            token = ""
    return tokens + [token] if token else tokens


def text_width(text: str) -> float:
    """Width in Chinese characters: a wide (CJK, full-width) character is 1, others ½.

    >>> text_width("初二(12)班")
    5.0
    """
    from unicodedata import east_asian_width

    return sum(1.0 if east_asian_width(c) in "WF" else 0.5 for c in text)


def _fit_chars(text: str, width: float) -> int:
    """How many leading characters of ``text`` fit in ``width`` (at least one)."""
    for n in range(len(text), 0, -1):
        if text_width(text[:n]) <= width:
            return n
    return 1


def category_labels(labels, share: float, fontsize: float) -> tuple[str, list[str]]:
    r"""How category labels side by side fit their shares of an axis, and their texts.

    Each label stays on one line if every label fits in ``share`` inches, else is broken into
    lines (:func:`wrap_label`, at most three) as narrow as the share; when even its longest
    word does not fit, the labels must stand upright (turned 90°) or the chart turn its bars.

    >>> category_labels(["5-1", "5-2"], share=1.0, fontsize=10)
    ('flat', ['5-1', '5-2'])
    >>> category_labels(["实验中学 初二(1)班"], share=0.9, fontsize=10)
    ('wrapped', ['实验中学\n初二(1)班'])
    >>> category_labels(["第二实验中学 初二(12)班"], share=0.3, fontsize=10)[0]
    'upright'
    """
    labels = [str(v) for v in labels]
    room = share * 0.85 * 72 / fontsize  # Chinese characters (one em each) in a share
    if max(map(text_width, labels), default=0) <= room:
        return "flat", labels
    wrapped = [wrap_label(v, room) for v in labels]
    longest_word = max((text_width(t.strip()) for v in labels for t in _label_tokens(v)),
                       default=0)
    if longest_word <= room and max(w.count("\n") for w in wrapped) < 3:
        return "wrapped", wrapped
    return "upright", labels


def category_ticks(ax, labels) -> str:
    """Name the categories at x = 0, 1, … so that no two labels overlap
    (:func:`category_labels`); upright labels are made smaller if their lines are taller
    than their shares. The panel's width is taken as the space its grid cell gives, less
    room for the value axis' labels (the layout that follows narrows it a little).

    Returns
    -------
    str
        ``"flat"``, ``"wrapped"`` or ``"upright"``: how the labels were set.
    """
    fig = ax.get_figure(root=True)
    size = ax.xaxis.get_major_ticks(1)[0].label1.get_fontsize()
    box = ax.get_subplotspec().get_position(fig)
    share = max(box.width * fig.get_figwidth() - 0.8, 0.5) / max(len(labels), 1)
    how, texts = category_labels(labels, share, size)
    if how == "upright":
        size = min(size, share * 0.8 * 72 / 1.2)  # one line of 1.2 em per share
        ax.set_xticks(range(len(texts)), texts, rotation=90, ha="center", fontsize=size)
    else:
        ax.set_xticks(range(len(texts)), texts)
    return how


#: Where a point's label may stand, in order of preference: (x, y) offset in gaps, and the
#: label's alignment to that spot (upper right first, as a label usually stands).
_LABEL_SPOTS = ((1, 1, "left", "bottom"), (1, -1, "left", "top"), (-1, 1, "right", "bottom"),
                (-1, -1, "right", "top"), (1.4, 0, "left", "center"),
                (-1.4, 0, "right", "center"), (0, 1.4, "center", "bottom"),
                (0, -1.4, "center", "top"))


def place_point_labels(ax, x, y, texts, *, fontsize: float = 7, gap: float = 3,
                       marker_size: float = 40) -> list:
    """Write each text next to its point where it covers no other label, no other point and
    stays inside the panel: upper right if free, else the first free spot of lower right,
    upper left, lower left, right, left, above, below; where none is free, the spot that
    covers least. Call it when the panel's place and limits are final.

    Parameters
    ----------
    ax : Axes
    x, y : array-like
        The points, in data coordinates.
    texts : list of str
    fontsize : float
        Points.
    gap : float
        Points between a point's centre and its label.
    marker_size : float
        The points' size as ``scatter`` takes it (points²), the discs labels keep off.

    Returns
    -------
    list of Annotation
    """
    fig = ax.get_figure(root=True)
    renderer = RendererAgg(1, 1, fig.dpi)
    scale = fig.dpi / 72  # pixels per point
    centres = ax.transData.transform(np.column_stack([x, y]).astype(float))
    radius = np.sqrt(marker_size) / 2 * scale
    discs = [(cx - radius, cy - radius, cx + radius, cy + radius) for cx, cy in centres]
    panel = ax.bbox
    placed, notes = [], []
    for i, (text, (cx, cy)) in enumerate(zip(texts, centres)):
        probe = Text(0, 0, text, fontsize=fontsize)
        probe.set_figure(fig)
        box = _extent(probe, renderer)
        others = placed + discs[:i] + discs[i + 1:]
        best = min(_LABEL_SPOTS, key=lambda spot: _spot_cost(
            _spot_box(spot, cx, cy, box.width, box.height, gap * scale), others, panel))
        dx, dy, ha, va = best
        notes.append(ax.annotate(text, (x[i], y[i]), xytext=(dx * gap, dy * gap),
                                 textcoords="offset points", ha=ha, va=va, fontsize=fontsize))
        placed.append(_spot_box(best, cx, cy, box.width, box.height, gap * scale))
    return notes


def _spot_box(spot, cx: float, cy: float, width: float, height: float, gap: float):
    """The box (pixels: x0, y0, x1, y1) of a label of ``width`` × ``height`` at ``spot``."""
    dx, dy, ha, va = spot
    x0 = cx + dx * gap - {"left": 0, "center": width / 2, "right": width}[ha]
    y0 = cy + dy * gap - {"bottom": 0, "center": height / 2, "top": height}[va]
    return x0, y0, x0 + width, y0 + height


def _spot_cost(box, others, panel) -> tuple[bool, float]:
    """Whether a label's box leaves the panel, then the area it covers of ``others``; the
    order of the spots breaks ties (``min`` keeps the first)."""
    outside = box[0] < panel.x0 or box[1] < panel.y0 or box[2] > panel.x1 or box[3] > panel.y1
    covered = sum(max(0.0, min(box[2], o[2]) - max(box[0], o[0]))
                  * max(0.0, min(box[3], o[3]) - max(box[1], o[1])) for o in others)
    return outside, covered
