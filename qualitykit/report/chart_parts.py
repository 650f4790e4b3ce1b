"""Chart pieces drawn exactly as seaborn draws them, with matplotlib alone.

The report's charts keep seaborn's look (its theme, its desaturated bars, its annotated
heatmap), but importing seaborn costs ≈ 0.2 s and brings ``scipy.stats`` (≈ 0.5 s) and
``ipywidgets`` with it, in the command and again in its notebook's kernel. The few seaborn
functions the term report used are written here on matplotlib; ``tests/test_plots.py`` checks
each against seaborn's own (the same colours, the same pixels).
"""

from __future__ import annotations

import colorsys

import numpy as np
import pandas as pd

__all__ = ["desaturate", "colormap_palette", "first_theme_colour", "annotated_heatmap"]


def desaturate(colour, prop: float) -> tuple[float, float, float]:
    """``colour`` with its HLS saturation multiplied by ``prop`` (``seaborn.desaturate``)."""
    from matplotlib.colors import to_rgb

    rgb = to_rgb(colour)
    if prop == 1:
        return rgb
    h, l, s = colorsys.rgb_to_hls(*rgb)
    return colorsys.hls_to_rgb(h, l, s * prop)


def colormap_palette(name: str, n: int, desat: float | None = None) -> list[tuple]:
    """``n`` colours of a continuous matplotlib colormap, its two ends left out, optionally
    desaturated (``seaborn.color_palette(name, n, desat=…)`` for such a colormap)."""
    from matplotlib import colormaps

    colours = [tuple(c) for c in colormaps[name](np.linspace(0, 1, n + 2)[1:-1])[:, :3]]
    return [desaturate(c, desat) for c in colours] if desat is not None else colours


def first_theme_colour() -> tuple[float, float, float]:
    """The first colour of the theme's cycle (``seaborn.color_palette()[0]``)."""
    import matplotlib as mpl
    from matplotlib.colors import to_rgb

    return to_rgb(mpl.rcParams["axes.prop_cycle"].by_key()["color"][0])


def _luminance(rgba: np.ndarray) -> np.ndarray:
    """W3C relative luminance of RGBA rows (``seaborn.utils.relative_luminance``)."""
    rgb = rgba[:, :3]
    rgb = np.where(rgb <= .03928, rgb / 12.92, ((rgb + .055) / 1.055) ** 2.4)
    return rgb.dot([.2126, .7152, .0722])


def _tick_every(ax, n: int, axis: int) -> int:
    """How many labels to skip so that they fit, as seaborn's ``heatmap`` decides (1: all)."""
    box = ax.get_window_extent().transformed(ax.figure.dpi_scale_trans.inverted())
    size = [box.width, box.height][axis]
    which = [ax.xaxis, ax.yaxis][axis]
    tick, = which.set_ticks([0])
    max_ticks = int(size // (tick.label1.get_size() / 72))
    return 0 if max_ticks < 1 else n // max_ticks + 1


def annotated_heatmap(ax, data: pd.DataFrame, text: pd.DataFrame, *, cmap: str, vmin: float,
                      vmax: float, linewidths: float, label: str):
    """Cells of ``data`` coloured by ``cmap`` from ``vmin`` to ``vmax``, each written with its
    ``text`` (dark on light cells, white on dark ones; blank cells left empty), a colour bar
    labelled ``label``, rows top-down: ``seaborn.heatmap(data, annot=text, fmt="", cmap=cmap,
    vmin=vmin, vmax=vmax, linewidths=linewidths, cbar_kws={"label": label}, ax=ax)`` without
    its trial drawing of the whole figure. Returns the mesh.
    """
    values = data.to_numpy(float)
    masked = np.ma.masked_where(np.isnan(values), values)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    mesh = ax.pcolormesh(masked, cmap=cmap, vmin=vmin, vmax=vmax, linewidths=linewidths,
                         edgecolor="white")
    ax.set(xlim=(0, values.shape[1]), ylim=(0, values.shape[0]))
    ax.invert_yaxis()
    bar = ax.figure.colorbar(mesh, None, ax, label=label)
    bar.outline.set_linewidth(0)
    ticks = []
    for axis, labels in ((0, list(data.columns)), (1, list(data.index))):
        every = _tick_every(ax, len(labels), axis)
        ticks.append((np.arange(0, len(labels), every) + .5, labels[::every]) if every else
                     ([], []))
    ax.set(xticks=ticks[0][0], yticks=ticks[1][0])
    ax.set_xticklabels(ticks[0][1])
    for tick_label in ax.set_yticklabels(ticks[1][1], rotation="vertical"):
        tick_label.set_verticalalignment("center")
    ax.set(xlabel=data.columns.name or "", ylabel=data.index.name or "")
    mesh.update_scalarmappable()
    light = (_luminance(mesh.get_facecolors()) > .408).reshape(values.shape)  # every cell
    for y, x in zip(*np.nonzero(~np.isnan(values))):
        ax.text(x + .5, y + .5, f"{text.iat[y, x]}", color=".15" if light[y, x] else "w",
                ha="center", va="center")
    return mesh
