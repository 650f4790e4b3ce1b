"""A Chinese font for charts and reports, found or registered at run time (no system install).

Order of preference: Microsoft YaHei (Windows), PingFang SC (macOS), Noto Sans CJK SC /
WenQuanYi (Linux), then Noto Sans SC shipped in the pip package ``pylopdf-fonts-zh-cn``, which
every installation of the kit has. A bare ``seaborn.set_theme()`` resets the font list and
brings back the boxes; :func:`set_theme` always passes the Chinese font.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["cjk_font", "set_theme"]

PREFERRED = ("Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Micro Hei", "Noto Sans SC")


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, Path]:
    """The family name and file of the Chinese font used for charts and PDF.

    >>> family, path = cjk_font()
    >>> path.exists() and family in PREFERRED
    True
    """
    from matplotlib import font_manager

    available = {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist
                 if not f.fname.lower().endswith(".ttc")}  # .ttc may pick the Japanese face
    for family in PREFERRED[:-1]:
        if family in available:
            return family, available[family]
    import pylopdf_fonts_zh_cn

    path = Path(pylopdf_fonts_zh_cn.sans_path())
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name(), path


#: seaborn's ``axes_style("whitegrid")`` and ``plotting_context("notebook")``, the kit's chart
#: theme, as literals: the report sets them without importing seaborn (≈ 0.2 s, and
#: ``scipy.stats`` with it). ``tests/test_plots.py`` checks them against seaborn's own; its
#: ``image.cmap`` ("rocket", a seaborn colormap) is left out: every chart names its colours.
WHITEGRID = {
    "figure.facecolor": "white", "axes.labelcolor": ".15", "xtick.direction": "out",
    "ytick.direction": "out", "xtick.color": ".15", "ytick.color": ".15",
    "axes.axisbelow": True, "grid.linestyle": "-", "text.color": ".15",
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "xtick.top": False, "ytick.right": False, "axes.grid": True, "axes.facecolor": "white",
    "axes.edgecolor": ".8", "grid.color": ".8", "axes.spines.left": True,
    "axes.spines.bottom": True, "axes.spines.right": True, "axes.spines.top": True,
    "xtick.bottom": False, "ytick.left": False,
}
NOTEBOOK_CONTEXT = {
    "axes.linewidth": 1.25, "grid.linewidth": 1, "lines.linewidth": 1.5, "lines.markersize": 6,
    "patch.linewidth": 1, "xtick.major.width": 1.25, "ytick.major.width": 1.25,
    "xtick.minor.width": 1, "ytick.minor.width": 1, "xtick.major.size": 6,
    "ytick.major.size": 6, "xtick.minor.size": 4, "ytick.minor.size": 4, "font.size": 12,
    "axes.labelsize": 12, "axes.titlesize": 12, "xtick.labelsize": 11, "ytick.labelsize": 11,
    "legend.fontsize": 11, "legend.title_fontsize": 12,
}
#: seaborn's "deep" palette (the colour cycle) and its six colours behind the codes b g r m y c.
DEEP = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
        "#8C8C8C", "#CCB974", "#64B5CD")
DEEP6 = ("#4C72B0", "#55A868", "#C44E52", "#8172B3", "#CCB974", "#64B5CD")


def set_theme(context: str = "notebook", style: str = "whitegrid", **rc) -> str:
    """seaborn's theme with the Chinese font first and a proper minus sign; returns the family.

    The kit's theme (``notebook``, ``whitegrid``) is set as seaborn's ``set_theme`` sets it,
    from :data:`WHITEGRID`, :data:`NOTEBOOK_CONTEXT` and :data:`DEEP`; any other is left to
    seaborn.

    >>> set_theme() in PREFERRED
    True
    """
    family, _ = cjk_font()
    rc = {"axes.unicode_minus": False, "font.sans-serif": [family, "DejaVu Sans"],
          "figure.dpi": 110, "savefig.dpi": 150, **rc}
    if (context, style) != ("notebook", "whitegrid"):
        import seaborn as sns

        sns.set_theme(context=context, style=style, font=family, rc=rc)
        return family
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(NOTEBOOK_CONTEXT)
    mpl.rcParams.update({**WHITEGRID, "font.family": [family]})
    mpl.rcParams["axes.prop_cycle"] = cycler("color", [mpl.colors.to_rgb(c) for c in DEEP])
    for code, colour in zip("bgrmyck", [*DEEP6, (0.1, 0.1, 0.1)]):
        mpl.colors.colorConverter.colors[code] = mpl.colors.to_rgb(colour)
    mpl.rcParams.update(rc)
    return family
