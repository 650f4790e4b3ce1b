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


def set_theme(context: str = "notebook", style: str = "whitegrid", **rc) -> str:
    """seaborn's theme with the Chinese font first and a proper minus sign; returns the family.

    >>> set_theme() in PREFERRED
    True
    """
    import seaborn as sns

    family, _ = cjk_font()
    sns.set_theme(context=context, style=style, font=family,
                  rc={"axes.unicode_minus": False, "font.sans-serif": [family, "DejaVu Sans"],
                      "figure.dpi": 110, "savefig.dpi": 150, **rc})
    return family
