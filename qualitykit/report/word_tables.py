"""Tables of the Word report as teachers see them in Word or WPS: the header row repeated on
every page, rows that never break across pages, column widths from the content, and the
Chinese font set on every run (the East Asian font attribute, which Word uses for 汉字).

Widths: every cell's text is measured in em of the table's font (a 汉字 or full-width sign is
1 em; East Asian "ambiguous" signs such as α, η, ², –, which 宋体 draws full width, also 1 em;
%, M, W 0.95; other capitals 0.75; digits and the rest 0.6, wider than 宋体's 0.5 and Noto's
≤ 0.56). A cell without 汉字, or short (≤ 8 em), must fit on one line: numbers are never split.
Long text (a 解读 column) may wrap and takes the width that is left, before any other column.
Headers may wrap onto three lines, broken evenly by the kit (:func:`header_lines`), never
leaving one 汉字 alone on a line. When the table does not fit at 9 pt, the font goes down
to 8, 7.5 and 7 pt. The table is written as WordprocessingML in one piece (python-docx's
cell-by-cell API costs seconds for the report's 22 tables).
"""

from __future__ import annotations

import math
from functools import lru_cache
import re
import unicodedata
from xml.sax.saxutils import escape

import pandas as pd

from ..labels import MISSING

__all__ = [
    "PADDING",
    "SIZES",
    "WordXml",
    "body_font",
    "column_widths",
    "fit_table",
    "header_lines",
    "table_subdoc",
    "table_xml",
    "text_width",
]

#: Font sizes tried, largest first (pt).
SIZES = (9.0, 8.0, 7.5, 7.0)
#: Left and right cell margin (twentieths of a point): 1 mm each.
PADDING = 57
_SAFETY = 30  # twips added to every column, for rounding in Word's layout
_WRAP_EM = 8.0  # body text longer than this (with 汉字) may wrap
_HEADER_LINES = 3
_HEADER_FILL = "EEF2F8"
_BORDER = "808080"
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@lru_cache(maxsize=1 << 16)  # a report measures the same few thousand texts at each size
def text_width(text: str) -> float:
    """The width of ``text`` in em of the table's font (widest line of a multi-line text).

    Word (and WPS, LibreOffice) put a quarter em between 汉字 and Latin letters or digits
    (自动调整中文与西文、数字的间距): each such boundary counts 0.3 em.

    >>> text_width("81.2"), text_width("与年级无明显差别"), text_width("η²"), text_width("空白计0分")
    (2.4, 8.0, 2.0, 5.2)
    """
    return max((_line_width(line) for line in str(text).split("\n")), default=0.0)


def _line_width(line: str) -> float:
    wide = [_is_wide(c) for c in line if not c.isspace()]
    boundaries = sum(a != b for a, b in zip(wide, wide[1:]))
    return round(sum(_char_width(c) for c in line) + 0.3 * boundaries, 6)


def _is_wide(char: str) -> bool:
    """Drawn a full em wide by 宋体 (汉字, full-width and East Asian "ambiguous" signs)."""
    return unicodedata.east_asian_width(char) in ("W", "F", "A")


def _char_width(char: str) -> float:
    if _is_wide(char):
        return 1.0
    if char in "%MWmw@":
        return 0.95
    return 0.75 if char.isupper() else 0.6


def _wraps(text: str) -> bool:
    """Body text that may wrap: long and with 汉字 (a sentence, not a number or a name)."""
    return text_width(text) > _WRAP_EM and any(
        unicodedata.east_asian_width(c) in ("W", "F") for c in text)


@lru_cache(maxsize=4096)
def _header_width(text: str, lines: int) -> float:
    """The narrowest a header can be on at most ``lines`` lines (em): its lines as
    :func:`header_lines` breaks it, never a lone 汉字 left on a line of its own."""
    return max(1.0, math.ceil(max(map(text_width, header_lines(text, lines))) - 1e-9))


def header_lines(text: str, lines: int, width: float | None = None) -> list[str]:
    """``text`` (a column header) on at most ``lines`` lines, as even as they can be, each at
    most ``width`` em when given: the fewest lines that fit, where no line holds a single
    汉字 while another holds more (an orphan: "与年级均分差区" over "间"); an ASCII word
    (``(%)``, ``P``) is never split, nor a header of two (班级, 人数). Without a ``width``,
    the narrowest such lines.

    >>> header_lines("与年级均分差区间", 3)
    ['与年级', '均分差', '区间']
    >>> header_lines("与年级均分差区间", 3, width=7)
    ['与年级均', '分差区间']
    >>> header_lines("缺项人数", 3), header_lines("不及格率(%)", 2, width=5)
    (['缺项', '人数'], ['不及格', '率(%)'])
    """
    if "\n" in text:  # broken where its author wanted
        return text.split("\n")
    units = re.findall(r"[\x21-\x7e]+\s*|\S\s*", text.strip()) or [text]
    lines = lines if len(units) > 2 else 1  # a word of two (班级, 人数) is never split
    best = None
    for count in range(1, min(lines, len(units)) + 1):
        split = min(_splits(units, count), key=_split_cost)
        fits = width is None or max(map(text_width, split)) <= width + 1e-9
        if fits and (best is None or _split_cost(split) < _split_cost(best)):
            best = split
        if width is not None and fits and not _split_cost(split)[0]:
            return split  # the fewest lines that fit, without an orphan
    return best or min(_splits(units, min(lines, len(units))), key=_split_cost)


def _splits(units: list[str], count: int):
    """Every way to cut ``units`` into ``count`` non-empty lines."""
    from itertools import combinations

    for cuts in combinations(range(1, len(units)), count - 1):
        edges = (0, *cuts, len(units))
        yield ["".join(units[a:b]).strip() for a, b in zip(edges, edges[1:])]


def _split_cost(split: list[str]) -> tuple:
    """An orphan first (a lone 汉字 beside a longer line), then the widest line, then how
    uneven the lines are, then earlier lines longer."""
    widths = [text_width(line) for line in split]
    orphan = len(split) > 1 and any(len(line) == 1 and _is_wide(line) for line in split) \
        and max(len(line) for line in split) > 1
    return orphan, max(widths), max(widths) - min(widths), tuple(-w for w in widths)


def _measure(header: list[str], rows: list[list[str]], size: float):
    """Per column at ``size`` pt (twips, padding included): the natural width (every cell on
    one line), the comfortable one (header on two lines), the floor (what must stay on one
    line; header on three lines), and whether the column holds long text that wraps."""
    em = 20 * size
    pad = 2 * PADDING + _SAFETY
    columns = list(zip(*rows)) if rows else [() for _ in header]
    wraps = [any(_wraps(t) for t in col) for col in columns]
    body = [max([0.0, *(_WRAP_EM if _wraps(t) else text_width(t) for t in col)])
            for col in columns]
    natural = [max([text_width(h), *(text_width(t) for t in col)]) * em + pad
               for h, col in zip(header, columns)]
    comfortable = [max(_header_width(h, 2), b) * em + pad for h, b in zip(header, body)]
    floor = [max(_header_width(h, _HEADER_LINES), b) * em + pad for h, b in zip(header, body)]
    return natural, comfortable, floor, wraps


def column_widths(header: list[str], rows: list[list[str]], available: int,
                  size: float) -> tuple[list[int], list[bool]] | None:
    """Column widths (twips) that fit ``available`` at ``size`` pt, and which columns wrap.

    Each column gets at least its floor: its longest cell that must stay on one line and its
    header on three lines. What is left goes to the headers (two lines), then to the columns
    of long text (up to their natural width, the longest cell on one line), then to the
    others in proportion to what they lack; a table narrower than ``available`` is widened
    in proportion. None when the floors alone do not fit.

    >>> widths, wraps = column_widths(["班级", "解读"], [["5-1", "与年级均分差异不显著，名次主要反映偶然波动"]],
    ...                               9000, 9.0)
    >>> wraps, sum(widths) <= 9000, widths[1] > widths[0]
    ([False, True], True, True)
    """
    natural, comfortable, floor, wraps = _measure(header, rows, size)
    if sum(floor) > available:
        return None
    if sum(natural) <= available:
        widths = [w * available / sum(natural) for w in natural]
    else:
        widths = floor
        for target, takers in ((comfortable, [True] * len(wraps)), (natural, wraps),
                               (natural, [True] * len(wraps))):
            widths = _towards(widths, target, takers, available)
    return [int(w) for w in widths], wraps


def _towards(widths: list[float], target: list[float], takers: list[bool],
             available: int) -> list[float]:
    """Widen the ``takers`` towards ``target`` with what is left of ``available``, each in
    proportion to what it lacks."""
    lacking = [max(t - w, 0.0) if take else 0.0 for w, t, take in zip(widths, target, takers)]
    left = available - sum(widths)
    if sum(lacking) <= 0 or left <= 0:
        return widths
    share = min(1.0, left / sum(lacking))
    return [w + share * lack for w, lack in zip(widths, lacking)]


def _cell_text(value) -> str:
    """What a cell shows: ``MISSING`` for no value, floats without trailing zeros."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return MISSING
    return f"{value:g}" if isinstance(value, float) else str(value)


def _run(text: str, size: float, font: str, bold: bool = False) -> str:
    half_points = int(round(size * 2))
    lines = _INVALID_XML.sub("", text).split("\n")
    body = '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    return (f'<w:r><w:rPr><w:rFonts w:eastAsia="{escape(font)}" w:hint="eastAsia"/>'
            f'{"<w:b/><w:bCs/>" if bold else ""}<w:sz w:val="{half_points}"/>'
            f'<w:szCs w:val="{half_points}"/></w:rPr>{body}</w:r>')


def _cell(text: str, width: int, size: float, font: str, *, header: bool, left: bool) -> str:
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{_HEADER_FILL}"/>' if header else ""
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}'
            f'<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>'
            f'<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'
            f'<w:jc w:val="{"left" if left else "center"}"/></w:pPr>'
            f'{_run(text, size, font, bold=header)}</w:p></w:tc>')


def table_xml(header: list[str], rows: list[list[str]], widths: list[int], wraps: list[bool],
              size: float, font: str, namespace: bool = True) -> str:
    """The ``w:tbl`` element: fixed layout at ``widths``, header row repeated on each page,
    rows kept whole, grid borders, the East Asian ``font`` on every run (``namespace``: with
    its own declaration of the ``w:`` prefix, to be parsed on its own)."""
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{_BORDER}"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    props = (f'<w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
             f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
             f'<w:tblCellMar><w:left w:w="{PADDING}" w:type="dxa"/>'
             f'<w:right w:w="{PADDING}" w:type="dxa"/></w:tblCellMar>'
             f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
             f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>')
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)

    def row(texts: list[str], is_header: bool) -> str:
        repeat = "<w:tblHeader/>" if is_header else ""
        cells = "".join(_cell(t, w, size, font, header=is_header, left=wrap and not is_header)
                        for t, w, wrap in zip(texts, widths, wraps))
        return f'<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>{cells}</w:tr>'

    em = 20 * size  # the lines fit the cell less its margins, with 10 twips to spare
    header = ["\n".join(header_lines(h, _HEADER_LINES, (w - 2 * PADDING - 10) / em))
              for h, w in zip(header, widths)]
    body = row(header, True) + "".join(row(r, False) for r in rows)
    declared = f" {_W}" if namespace else ""
    return f'<w:tbl{declared}>{props}<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>'


def fit_table(header: list[str], rows: list[list[str]], available: int):
    """The largest of :data:`SIZES` at which the table fits, with its widths; at the smallest
    size a table too wide for the page keeps its floors (it runs into the margin rather than
    split a number)."""
    for size in SIZES:
        fitted = column_widths(header, rows, available, size)
        if fitted is not None:
            return size, *fitted
    _, _, floor, wraps = _measure(header, rows, SIZES[-1])
    return SIZES[-1], [int(w) for w in floor], wraps


class WordXml(str):
    """WordprocessingML that a docxtpl ``{{p name }}`` tag takes in place of its paragraph
    (as a docxtpl ``Subdoc`` would, without building a python-docx Document for each)."""

    def __html__(self) -> str:  # jinja's autoescape leaves it as it is
        return str(self)


def table_subdoc(tpl, table: pd.DataFrame | None, note: str) -> WordXml:
    """``table`` (display strings and numbers) as a Word table that fits the template's text
    width, followed by an empty paragraph (two tables in a row would merge in Word); or the
    paragraph ``note`` when there is no table. For a ``{{p name }}`` tag of ``tpl``."""
    doc = tpl.get_docx()
    font = body_font(doc)
    if table is None or table.empty:
        return WordXml(f"<w:p>{_run(note, 10.5, font)}</w:p>" if note else "<w:p/>")
    header = [str(c) for c in table.columns]
    rows = [[_cell_text(v) for v in r] for r in table.itertuples(index=False)]
    size, widths, wraps = fit_table(header, rows, _text_width_of(doc))
    gap = '<w:p><w:pPr><w:spacing w:before="0" w:after="60"/></w:pPr></w:p>'
    return WordXml(table_xml(header, rows, widths, wraps, size, font, namespace=False) + gap)


def _text_width_of(doc) -> int:
    """The width between the margins of the document's first section (twips)."""
    section = doc.sections[0]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)


def body_font(doc, default: str = "宋体") -> str:
    """The East Asian font of the document's Normal style (the school's template decides)."""
    from docx.oxml.ns import qn

    rpr = doc.styles["Normal"].element.rPr
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return (fonts.get(qn("w:eastAsia")) if fonts is not None else None) or default
