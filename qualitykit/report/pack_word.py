"""The Word file of the pack (:mod:`qualitykit.report.pack`): the same pages as the PDF, each
starting on a new page with its title as a heading (Word's navigation pane lists every class and
teacher), tables whose header row repeats and whose columns are as wide as their figures, and
fonts set for Chinese (宋体 / 黑体).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import pandas as pd

from .pack import MARGIN_MM, TEXT_COLUMNS, Page
from .word_tables import header_lines as header_lines_of

__all__ = ["write_pack_docx", "column_widths", "column_needs"]

_PAGE_MM = (210, 297)
_TABLE_PT = 8  # the size of table text
_PAD_MM = 3.9  # Word's default cell margins, left and right together


@functools.lru_cache(maxsize=65536)
def _units(text: str) -> float:
    """Width of a text in half-ems: a Chinese (wide) character is 2, a digit or a letter 1.1
    (digits are half an em in 宋体, a little more in other fonts), and 0.6 where 汉字 meet
    Latin letters or digits (Word puts a quarter em there: 平均 Z 变化)."""
    wide = [unicodedata.east_asian_width(ch) in "WF" for ch in str(text)]
    solid = [w for w, ch in zip(wide, str(text)) if not ch.isspace()]
    return sum(2 if w else 1.1 for w in wide) + 0.6 * sum(a != b for a, b in zip(solid, solid[1:]))


def _half_em(size_pt: float) -> float:
    return size_pt / 2 * 25.4 / 72  # mm


def column_needs(table: pd.DataFrame, *, size_pt: float = _TABLE_PT,
                 header_lines: int = 2) -> list[float]:
    """The width (mm) each column needs to keep its longest cell on one line, its header on
    at most ``header_lines`` lines (1 or 2).

    Two lines are as even as they can be, without a lone character on one
    (:func:`qualitykit.report.word_tables.header_lines`): 平均分 stays on one line.

    >>> t = pd.DataFrame({"科目": ["语文"], "平均分": ["81.1"], "与年级比较": ["高于"]})
    >>> [round(w, 2) for w in column_needs(t)]  # 4, 6 and 6 half-ems of 1.411 mm, + margins
    [10.54, 13.37, 13.37]
    >>> [round(w, 2) for w in column_needs(t, header_lines=1)]  # 与年级比较 on one line: 10
    [10.54, 13.37, 19.01]
    """
    needs = []
    for column in table.columns:
        cells = max([_units(v) for v in table[column]] or [0])
        header = max(map(_units, header_lines_of(str(column), header_lines)))
        needs.append(max(cells, header) * _half_em(size_pt) + _PAD_MM + 1)
    return needs


def column_widths(table: pd.DataFrame, total_mm: float, *, size_pt: float = _TABLE_PT,
                  text_columns=TEXT_COLUMNS) -> list[float]:
    """Column widths in mm that keep every figure on one line.

    Each column gets what it needs (:func:`column_needs`, every header on one line when the
    table is wide enough for that, else on two) and the width left over is shared in
    proportion. When the table is too wide, the columns of words (``text_columns``) wrap first
    (down to six characters a line); only a table too wide even then is scaled down as a whole.

    >>> t = pd.DataFrame({"科目": ["语文"], "平均分": ["81.1"], "与年级比较": ["与年级无明显差别"]})
    >>> [round(w, 1) for w in column_widths(t, 100)]
    [20.5, 26.0, 53.5]
    >>> [round(w, 1) for w in column_widths(t, 45)]  # the words wrap, the figures do not
    [10.4, 13.1, 21.5]
    """
    for lines in (1, 2):
        need = column_needs(table, size_pt=size_pt, header_lines=lines)
        spare = total_mm - sum(need)
        if spare >= 0:
            return [w * total_mm / sum(need) for w in need]
    widths = list(need)
    for i, column in enumerate(table.columns):  # words wrap first
        if column in text_columns:
            least = 12 * _half_em(size_pt) + _PAD_MM + 1
            cut = max(0.0, min(widths[i] - least, -spare))
            widths[i] -= cut
            spare += cut
    if spare < 0:
        widths = [w * total_mm / sum(widths) for w in widths]
    return widths


def _east_asian(style, font: str, size_pt: float, *, bold: bool | None = None) -> None:
    """A style's font for Chinese and Latin text alike, its size, and black."""
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = font
    style.font.size = Pt(size_pt)
    style.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style.font.bold = bold
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)  # a theme font would win over the one named
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        rfonts.set(qn(attribute), font)


def _styles(doc) -> None:
    """Normal 宋体 9 pt; Heading 1 (the page title) and Heading 2 (a block) in 黑体; 注 small."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    _east_asian(normal, "宋体", 9)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, before, after in (("Heading 1", 15, 0, 4), ("Heading 2", 10.5, 8, 2)):
        style = doc.styles[name]
        _east_asian(style, "黑体", size, bold=True)
        style.paragraph_format.space_before, style.paragraph_format.space_after = \
            Pt(before), Pt(after)
        style.paragraph_format.keep_with_next = True
    doc.styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, size in (("QK Meta", 9), ("QK Note", 8)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _east_asian(style, "宋体", size)
    doc.styles["QK Meta"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.styles["QK Note"].paragraph_format.space_before = Pt(2)
    cell = doc.styles.add_style("QK Cell", WD_STYLE_TYPE.PARAGRAPH)  # every table cell
    cell.base_style = normal
    _east_asian(cell, "宋体", _TABLE_PT)
    cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.paragraph_format.line_spacing = 1.0
    cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(1)


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) in the paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _document(title: str):
    """An empty A4 document with the pack's styles, its title and 第 N 页 / 共 M 页 below: a
    copy of the one :func:`_empty_document` built (python-docx reads it back from its bytes,
    the same parts as building it again)."""
    from io import BytesIO

    from docx import Document

    doc = Document(BytesIO(_empty_document()))
    doc.core_properties.title = title
    return doc


@functools.lru_cache(maxsize=1)
def _empty_document() -> bytes:
    """The bytes of :func:`_built_document` (built once)."""
    from io import BytesIO

    out = BytesIO()
    _built_document().save(out)
    return out.getvalue()


def _built_document():
    """The empty A4 document with the pack's styles and its page footer, built by
    python-docx."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(_PAGE_MM[0]), Mm(_PAGE_MM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    section.footer_distance = Mm(6)
    _styles(doc)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 / 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")
    return doc


def _repeat_header(row) -> None:
    """Repeat the row at the top of every page the table runs onto; never split a row."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for tag in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _shade(cell, fill: str = "EEF2F8") -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


_COLOURS = {"高于": "1A7F37", "低于": "C0392B"}


def _fill(cell, text: str, style_id: str, *, width, left: bool, bold: bool = False) -> None:
    """One cell: its text in the cell style (8 pt, centred; words go left, a reading of
    高于 / 低于 in colour), its width."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import RGBColor

    cell.width = width
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id
    if left:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    colour = _COLOURS.get(text[:2]) if left else None  # a reading of 高于 / 低于
    if colour:
        run.bold = True
        run.font.color.rgb = RGBColor.from_string(colour)


def _table(doc, table: pd.DataFrame, built: dict) -> None:
    """A page table: the header row shaded and repeated, the widths of :func:`column_widths`
    (``built``: the document's cells to copy, :func:`_put`)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm

    widths = [Mm(w) for w in column_widths(table, _PAGE_MM[0] - 2 * MARGIN_MM)]
    words = [c in TEXT_COLUMNS for c in table.columns]
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid._tbl.tblStyle_val = doc.styles["Table Grid"].style_id  # as _paragraph does
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths):
        column.width = width
    style_id = doc.styles["QK Cell"].style_id
    _header(grid, table, style_id, widths, built)
    _rows(grid, table, style_id, widths, words, built)


def _header(grid, table: pd.DataFrame, style_id: str, widths, built: dict) -> None:
    """The header row: bold, shaded, repeated on every page (cells through :func:`_put`)."""
    header = grid.rows[0]
    _repeat_header(header)
    for cell, name, width in zip(header.cells, table.columns, widths):
        room = (width.mm - _PAD_MM - 0.5) / (2 * _half_em(_TABLE_PT))  # ems of the header
        text = "\n".join(header_lines_of(str(name), 2, room))
        _put(cell, text, style_id, width=width, left=False, built=built, header=True)


def _put(cell, text: str, style_id: str, *, width, left: bool, built: dict,
         header: bool = False) -> None:
    """A cell as :func:`_fill` (and, in the ``header``, :func:`_shade`) make it. A
    :func:`_copyable` text goes into a copy of the last cell of the same kind (header; left or
    centred; colour) built in the document, its width set: the same XML without python-docx's
    per-cell work."""
    from copy import deepcopy

    from docx.oxml.ns import qn

    key = (header, left, _COLOURS.get(text[:2]) if left else None) if _copyable(text) else None
    model = built.get(key)
    if model is None:
        _fill(cell, text, style_id, width=width, left=left, bold=header)
        if header:
            _shade(cell)
        if key is not None:
            built[key] = cell._tc
        return
    tc = deepcopy(model)
    next(tc.iter(qn("w:t"))).text = text
    tc.width = width
    cell._tc.getparent().replace(cell._tc, tc)


def _copyable(text: str) -> bool:
    """A cell text that sits in one ``w:t`` as it is: not empty, no tab or line break, no
    space at either end."""
    return bool(text) and text == text.strip() and text.isprintable()


def _plain(text: str, left: bool) -> bool:
    """A cell whose XML is its column's with only the text changed: :func:`_copyable` and no
    colour (not a reading)."""
    return _copyable(text) and not (left and text[:2] in _COLOURS)


def _rows(grid, table: pd.DataFrame, style_id: str, widths, words, built: dict) -> None:
    """The body rows. A row of :func:`_plain` cells is a copy of the last such row built by
    python-docx with its texts replaced (the same XML, without python-docx's per-cell work);
    any other row is built cell by cell (:func:`_put`)."""
    from copy import deepcopy

    from docx.oxml.ns import qn

    tbl, tag, model = grid._tbl, qn("w:t"), None
    for values in table.itertuples(index=False, name=None):
        texts = [str(value) for value in values]
        plain = all(_plain(text, left) for text, left in zip(texts, words))
        if plain and model is not None:
            tr = deepcopy(model)
            for element, text in zip(tr.iter(tag), texts):
                element.text = text
            tbl.append(tr)
            continue
        row = grid.add_row()
        for cell, text, width, left in zip(row.cells, texts, widths, words):
            _put(cell, text, style_id, width=width, left=left, built=built)
        model = row._tr if plain else model


def _paragraph(doc, text: str, style) -> object:
    """A paragraph in ``style`` (set by its id: python-docx's by-style setter looks the style
    up among all of them on every call)."""
    paragraph = doc.add_paragraph(text)
    paragraph._p.style = style.style_id
    return paragraph


def write_pack_docx(pages: list[Page], path: str | Path, *, title: str) -> Path:
    """Write the pages as a Word file at ``path``: each page starts a new page, its title a
    Heading 1, each block a Heading 2 with its table, note and prompts."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc, built = _document(title), {}  # built: cells to copy (_put)
    title_style, block, meta, note = (doc.styles[name] for name in
                                      ("Heading 1", "Heading 2", "QK Meta", "QK Note"))
    for i, page in enumerate(pages):
        heading = _paragraph(doc, page.title, title_style)
        heading.paragraph_format.page_break_before = i > 0
        for line in page.lines:
            _paragraph(doc, line, meta)
        for part in page.blocks:
            _paragraph(doc, part.heading, block)
            if part.table is not None:
                _table(doc, part.table, built)
            if part.note:
                _paragraph(doc, part.note, note)
            for prompt in part.prompts:  # the prompt, then room to write
                _paragraph(doc, prompt, meta).alignment = WD_ALIGN_PARAGRAPH.LEFT
                for _ in range(3):
                    _paragraph(doc, "", meta)
        _paragraph(doc, page.footer, note)
    path = Path(path)
    doc.save(path)
    return path
