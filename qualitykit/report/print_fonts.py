"""Print a page with its Chinese font cut down to the characters it uses.

Every report page names the kit's Chinese font by ``@font-face { src: url("file:///…otf") }``
(Noto Sans SC, 8 MB, ≈ 30,000 glyphs, when the machine has no Microsoft YaHei or PingFang). For
each page the browser reads, checks and embeds that whole font: measured on a district's
通报反馈 (3 A4 pages), about half the CPU of printing it. :class:`PageFonts` gives the browser a
copy of the page that names a subset of the same font (fontTools, which matplotlib brings)
holding every character written anywhere in the page's file: the same glyphs, the same
metrics and layout features, hence the same PDF as a reader sees it.

One subset serves page after page; when a page has a character the subset lacks, a new subset
of every character seen so far is made (≈ 0.6 s; a hundred schools' pages that share their
words need one or two). When the font cannot be cut (no fontTools, an unreadable font), the
page is printed as written.
"""

from __future__ import annotations

import html as html_text
import re
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

__all__ = ["PageFonts", "page_characters", "subset_font", "ALWAYS"]

#: Characters every subset holds: the printable ASCII, and the digits and signs a page's own
#: counters (第 n 页 / 共 m 页) and the browser's ellipsis can add to what its file says.
ALWAYS = frozenset(map(chr, range(0x20, 0x7F))) | frozenset("…—–·“”‘’（）《》，。：；、！？％")
#: A font named by a page as a local file (``url("file:///….otf")``).
_FONT_URL = re.compile(r"""url\(\s*["']?(file:[^"')]+?\.(?:otf|ttf))["']?\s*\)""", re.I)


def page_characters(text: str) -> frozenset[str]:
    """Every character of a page's HTML text (entities read: ``&#x5b66;`` is 学), with
    :data:`ALWAYS`.

    >>> sorted(page_characters("<p>&#x5b66;校</p>") - ALWAYS)
    ['学', '校']
    """
    return frozenset(html_text.unescape(text)) | ALWAYS


def subset_font(font: Path, characters, path: Path) -> Path:
    """Write to ``path`` the glyphs of ``font`` for ``characters``, with all its layout
    features, names and metrics (what the browser needs to set the same text the same way)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features, options.name_IDs, options.name_languages = ["*"], ["*"], ["*"]
    options.notdef_outline = True
    cut = subset.Subsetter(options)
    cut.populate(text="".join(sorted(characters)))
    with TTFont(str(font), lazy=True) as whole:
        cut.subset(whole)
        whole.save(str(path))
    return path


class PageFonts:
    """Copies of pages that name a cut-down font (:meth:`page`), kept in a folder of their own
    until :meth:`close`."""

    def __init__(self):
        self._folder: Path | None = None
        self._fonts: dict[str, tuple[frozenset, Path]] = {}  # font URL → (characters, subset)
        self._count = 0
        self._lock = threading.Lock()

    def page(self, html) -> Path:
        """The file to print for ``html``: a copy naming subsets of its local fonts, or
        ``html`` itself (no local font, no ``<head>``, or the font could not be cut)."""
        html = Path(html)
        try:
            text = html.read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            return html  # the browser says what is wrong with the file
        fonts = set(_FONT_URL.findall(text))
        if not fonts or "<head>" not in text or "<base" in text:
            return html
        characters = page_characters(text)
        try:
            with self._lock:
                cut = {url: self._subset(url, characters) for url in fonts}
                self._count += 1
                copy = self._here() / f"{self._count}-{html.name}"
        except Exception:  # noqa: BLE001 — any failure to cut a font: print the page as written
            return html
        for url, path in cut.items():
            text = text.replace(url, path.as_uri())
        base = f"<head><base href='{html.resolve().parent.as_uri()}/'>"
        copy.write_text(text.replace("<head>", base, 1), encoding="utf-8")
        return copy

    def _subset(self, url: str, characters: frozenset) -> Path:
        """A subset of the font at ``url`` holding ``characters`` (the last one when it does)."""
        seen, path = self._fonts.get(url, (frozenset(), None))
        if path is not None and characters <= seen:
            return path
        seen = seen | characters
        font = Path(unquote(urlparse(url).path))
        path = subset_font(font, seen, self._here() / f"font-{len(self._fonts)}-{self._count}"
                                                      f"{font.suffix}")
        self._fonts[url] = (seen, path)
        return path

    def _here(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="qk-print-"))
        return self._folder

    def close(self) -> None:
        """Remove the copies and the subsets (safe to call twice)."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
            self._fonts.clear()
