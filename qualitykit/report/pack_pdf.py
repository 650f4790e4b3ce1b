"""The PDF of the pack (:mod:`qualitykit.report.pack`): the pages as HTML, printed to one A4 PDF
with a bookmark per class and per teacher."""

from __future__ import annotations

import html
import io
import json
import os
import re
from pathlib import Path

import pandas as pd

from .pack import GROUPS, MARGIN_MM, TEXT_COLUMNS, Page

__all__ = ["pack_html", "write_pack_html", "write_pack_pdf", "print_pack", "add_bookmarks",
           "pack_outline", "pack_bookmarks"]


def _css(title: str) -> str:
    from .fonts import cjk_font

    family, path = cjk_font()
    stack = (f'"QK CJK", "Microsoft YaHei", "PingFang SC", "{family}", "Noto Sans CJK SC", '
             "sans-serif")
    return f"""
@font-face {{ font-family: "QK CJK"; src: local("Microsoft YaHei"), local("PingFang SC"),
  url("{path.as_uri()}"); }}
@page {{ size: A4; margin: {MARGIN_MM}mm {MARGIN_MM}mm 15mm {MARGIN_MM}mm;
  @top-right {{ content: "{html.escape(title)}"; font-family: {stack}; font-size: 7.5pt;
                color: #777; }}
  @bottom-center {{ content: "第 " counter(page) " 页 / 共 " counter(pages) " 页";
                    font-family: {stack}; font-size: 8pt; color: #555; }} }}
html, body, p, td, th, h1, div, span {{ font-family: {stack}; }}
body {{ font-size: 9pt; line-height: 1.4; color: #222; margin: 0; }}
.qk-page {{ break-after: page; page-break-after: always; display: flex; flex-direction: column;
            min-height: 262mm; }}
.qk-page:last-child {{ break-after: auto; page-break-after: auto; }}
h1 {{ font-size: 15pt; text-align: center; margin: 0 0 3pt; }}
.qk-meta {{ text-align: center; color: #444; margin: 0 0 1pt; }}
.qk-h {{ font-weight: bold; font-size: 10.5pt; margin: 9pt 0 3pt; padding-bottom: 1pt;
         border-bottom: 1.2px solid #2f5597; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }}
th, td {{ border: 0.6pt solid #aab; padding: 1.5pt 3pt; text-align: center; white-space: nowrap; }}
th {{ background: #eef2f8; font-weight: bold; white-space: normal; }}
td.qk-text {{ text-align: left; white-space: normal; }}
.qk-note {{ font-size: 8pt; color: #555; margin: 2pt 0 0; }}
.qk-fill {{ border: 0.6pt solid #aab; padding: 2pt 5pt; flex: 1 0 auto; display: flex;
            flex-direction: column; }}
.qk-fill p {{ margin: 0; min-height: 14mm; flex: 1 0 auto; color: #444; }}
td.qk-above {{ color: #1a7f37; font-weight: bold; }}
td.qk-below {{ color: #c0392b; font-weight: bold; }}
.qk-foot {{ font-size: 8pt; color: #777; margin-top: auto; padding-top: 2pt;
            border-top: 0.5pt solid #ccc; }}
"""


def _cell_html(value, words: bool) -> str:
    """A cell; words left-aligned, a reading of 高于 / 低于 in colour."""
    text = str(value)
    kind = ("qk-text " + {"高于": "qk-above", "低于": "qk-below"}.get(text[:2], "")).strip() \
        if words else ""
    return f"<td class='{kind}'>{html.escape(text)}</td>" if kind else \
        f"<td>{html.escape(text)}</td>"


def _table_html(table: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    words = [c in TEXT_COLUMNS for c in table.columns]
    body = "".join("<tr>" + "".join(_cell_html(v, w) for v, w in zip(row, words)) + "</tr>"
                   for row in table.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _page_html(page: Page) -> str:
    parts = [f"<section class='qk-page'><h1>{html.escape(page.title)}</h1>"]
    parts += [f"<p class='qk-meta'>{html.escape(line)}</p>" for line in page.lines]
    for block in page.blocks:
        parts.append(f"<p class='qk-h'>{html.escape(block.heading)}</p>")
        if block.table is not None:
            parts.append(_table_html(block.table))
        if block.note:
            parts.append(f"<p class='qk-note'>{html.escape(block.note)}</p>")
        if block.prompts:
            parts.append("<div class='qk-fill'>" + "".join(
                f"<p>{html.escape(prompt)}</p>" for prompt in block.prompts) + "</div>")
    parts.append(f"<p class='qk-foot'>{html.escape(page.footer)}</p></section>")
    return "".join(parts)


#: The ``<meta>`` of the pack's HTML that keeps its bookmarks: a JSON list of [kind, name].
_OUTLINE = re.compile(r"<meta name='qk-outline' content='([^']*)'>")


def pack_html(pages: list[Page], title: str) -> str:
    """The pages as one HTML document: a ``<section>`` and an ``<h1>`` per page (the PDF
    engines make a bookmark of each ``<h1>``), A4, page numbers, the Chinese font first; the
    bookmarks the PDF gets (:func:`pack_outline`) are in a ``<meta>``."""
    body = "\n".join(_page_html(p) for p in pages)
    outline = html.escape(json.dumps([[p.kind, p.name] for p in pages], ensure_ascii=False),
                          quote=True)
    return (f"<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<meta name='qk-outline' content='{outline}'>"
            f"<title>{html.escape(title)}</title><style>{_css(title)}</style></head>"
            f"<body>{body}</body></html>")


def write_pack_html(pages: list[Page], path: str | Path, *, title: str) -> Path:
    """Write :func:`pack_html` to ``path``, to be printed by :func:`print_pack`.

    The file appears whole or not at all (written beside, then renamed): ``qualitykit
    report`` prints it as soon as it exists, while the notebook goes on.
    """
    path = Path(path)
    part = path.with_name(path.name + ".part")
    part.write_text(pack_html(pages, title), encoding="utf-8")
    os.replace(part, path)
    return path


def pack_outline(html_path: str | Path) -> tuple[str, list[tuple[str, str]]]:
    """The title and the (kind, name) of every page of a pack's HTML file."""
    text = Path(html_path).read_text(encoding="utf-8")
    found = _OUTLINE.search(text)
    title = re.search(r"<title>(.*?)</title>", text)
    pages = [tuple(p) for p in json.loads(html.unescape(found[1]))] if found else []
    return (html.unescape(title[1]) if title else ""), pages


def pack_bookmarks(marked):
    """The bookmarks of a pack printed untagged (:mod:`qualitykit.report.pdf_outline`), as
    :func:`add_bookmarks` makes them: a group per kind of page (:data:`GROUPS`) at its first
    page's heading, under it a bookmark per class or teacher at its page's heading; the reader
    opens with them shown. ``marked``: the :class:`~qualitykit.report.pdf_outline.MarkedPage`
    of the pack's HTML (:func:`pack_html`: one ``<h1>`` per page); given back as it is when
    its headings are not one per page of the pack."""
    from dataclasses import replace

    from .pdf_outline import Heading

    found = _OUTLINE.search(marked.text)
    pages = json.loads(html.unescape(found[1])) if found else []
    titles = [h for h in marked.headings if h.level == 1]
    if not pages or len(titles) != len(pages) or len(titles) != len(marked.headings):
        return marked
    groups: dict[str, list[Heading]] = {}  # in the order of their first page
    for (kind, name), heading in zip(pages, titles):
        groups.setdefault(kind, [Heading(1, GROUPS[kind], heading.anchor)]).append(
            Heading(2, name, heading.anchor))
    return replace(marked, headings=tuple(h for group in groups.values() for h in group),
                   show_outline=True)


def print_pack(html_path: str | Path, pdf_path: str | Path, *,
               engine: str | None = None) -> Path:
    """Print a pack's HTML file (:func:`write_pack_html`) to its PDF and bookmark it (for a PDF
    already printed from it, ``engine="printed"`` only adds the bookmarks)."""
    from .runner import html_to_pdf

    if engine != "printed":
        html_to_pdf(html_path, pdf_path, engine=engine)
    title, pages = pack_outline(html_path)
    add_bookmarks(pdf_path, pages, title=title)
    return Path(pdf_path)


def write_pack_pdf(pages: list[Page], path: str | Path, *, title: str,
                   engine: str | None = None) -> Path:
    """Print the pages to an A4 PDF at ``path`` and bookmark every class and teacher.

    ``engine``: see :func:`qualitykit.report.html_to_pdf` (the HTML is a temporary file next
    to ``path``).
    """
    path = Path(path)
    html_path = write_pack_html(pages, path.with_suffix(".html"), title=title)
    try:
        return print_pack(html_path, path, engine=engine)
    finally:
        html_path.unlink(missing_ok=True)


def _page_starts(reader, n: int) -> list[int] | None:
    """The page each of the ``n`` pages of the pack starts on: from the engine's outline (one
    entry per ``<h1>``), else one PDF page per pack page; None when neither holds."""
    outline = [o for o in reader.outline if not isinstance(o, list)]
    if len(outline) == n:
        return [reader.get_destination_page_number(o) for o in outline]
    if len(reader.pages) == n:
        return list(range(n))
    return None


def add_bookmarks(path: str | Path, pages: list, *, title: str) -> bool:
    """Replace the PDF's outline by one group per kind of page (:data:`GROUPS`) with a bookmark
    per class or teacher; the reader opens with the bookmarks shown. ``pages``: the
    :class:`~qualitykit.report.pack.Page` objects, or their (kind, name) pairs.

    Returns False (the PDF unchanged) when the pages cannot be located: the engine made no
    outline and a page ran over onto a second sheet.
    """
    from pypdf import PdfReader, PdfWriter

    path = Path(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    starts = _page_starts(reader, len(pages))
    if starts is None:
        return False
    writer = PdfWriter()
    writer.append(reader, import_outline=False)
    parents = {}
    for page, start in zip(pages, starts):
        kind, name = (page.kind, page.name) if isinstance(page, Page) else page
        if kind not in parents:
            parents[kind] = writer.add_outline_item(title=GROUPS[kind], page_number=start)
        writer.add_outline_item(title=name, page_number=start, parent=parents[kind])
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": title})
    with path.open("wb") as f:
        writer.write(f)
    return True
