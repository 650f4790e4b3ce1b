"""A large plain sheet's cells written as the worksheet's XML directly (private).

xlsxwriter spends most of a large workbook's time in its per-cell bookkeeping (about 8 µs a
cell: 1.8 million cells of the 联考 workbook took 15 s). A sheet without formats per cell needs
none of it: :func:`sheet_data_xml` builds its ``<sheetData>`` from the cells
``qualitykit.io.excel`` hands xlsxwriter (the same values: numbers written as xlsxwriter
writes them, ``%.16G``; booleans; text as inline strings; "" as no cell) and
:func:`put_sheet_data` puts it into the worksheet xlsxwriter wrote empty (its column widths,
view and margins kept). Text xlsxwriter would treat otherwise (formulas, links, control
characters, over 32,767 characters) is not taken: such a sheet goes through xlsxwriter.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .problems import column_letter

__all__ = ["sheet_data_xml", "put_sheet_data"]

#: Text xlsxwriter writes as something else than a plain string, or escapes (then: no XML).
_NOT_PLAIN = re.compile(r"^(=|\{=.*\}$|(ftp|http)s?://|mailto:|(in|ex)ternal:|file://)|"
                        r"[\x00-\x08\x0b-\x1f]|_x[0-9a-fA-F]{4}_", re.S)
_MAX_TEXT = 32767
_EMPTY_DATA = "<sheetData/>"
_EMPTY_DIMENSION = '<dimension ref="A1"/>'


def _text_inner(text: str) -> str:
    """The ``<t>`` of an inline-string cell (``&``, ``<``, ``>`` escaped; edge spaces kept)."""
    if "&" in text or "<" in text or ">" in text:
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<t{space}>{text}</t>"


def _column_xml(values: list, letter: str, first_row: int) -> list[str] | None:
    """Each cell of a column as XML ("" for no cell), rows numbered from ``first_row``
    (1-based); None when a value is not a plain number, boolean or text."""
    out, texts = [], {}  # texts: each distinct text's escaped form, checked once
    for row, value in enumerate(values, start=first_row):
        kind = value.__class__
        if kind is float or kind is int:
            out.append(f'<c r="{letter}{row}"><v>{value:.16G}</v></c>')
        elif kind is str:
            if value == "":
                out.append("")
                continue
            inner = texts.get(value)
            if inner is None:
                if len(value) > _MAX_TEXT or _NOT_PLAIN.search(value):
                    return None
                inner = texts[value] = _text_inner(value)
            out.append(f'<c r="{letter}{row}" t="inlineStr"><is>{inner}</is></c>')
        elif kind is bool:
            out.append(f'<c r="{letter}{row}" t="b"><v>{int(value)}</v></c>')
        else:
            return None
    return out


def sheet_data_xml(header: list, columns: list[list]) -> tuple[str, str] | None:
    """The ``<dimension>`` and ``<sheetData>`` elements of a sheet: ``header`` in row 1, each
    of ``columns`` below it (values as :func:`qualitykit.io.excel` hands them to xlsxwriter).

    Returns None when a cell is not plain (then xlsxwriter writes the sheet) or the sheet
    has no cell at all.
    """
    cells = []
    for i, values in enumerate([h, *c] for h, c in zip(header, columns)):
        column = _column_xml(values, column_letter(i), 1)
        if column is None:
            return None
        cells.append(column)
    used = [i for i, column in enumerate(cells) if any(column)]
    if not used:
        return None
    rows, last_row = [], 0
    for r, row_cells in enumerate(zip(*cells), start=1):
        joined = "".join(row_cells)
        if joined:
            rows.append(f'<row r="{r}">{joined}</row>')
            last_row = r
    first, last = column_letter(used[0]), column_letter(used[-1])
    ref = f"{first}1" if (first, last_row) == (last, 1) else f"{first}1:{last}{last_row}"
    return f'<dimension ref="{ref}"/>', "<sheetData>" + "".join(rows) + "</sheetData>"


def put_sheet_data(path: str | Path, data: dict[int, tuple[str, str]]) -> None:
    """Put each sheet's ``(dimension, sheetData)`` (sheet index, 0-based, in the order the
    sheets were added) into the workbook ``path`` that xlsxwriter wrote with those sheets
    empty; every other part of the file is copied as it is."""
    path = Path(path)
    parts = {f"xl/worksheets/sheet{i + 1}.xml": xml for i, xml in data.items()}
    with zipfile.ZipFile(path) as old:
        entries = [(info, old.read(info.filename)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, content in entries:
            if info.filename in parts:  # large: the fastest deflate (≈ 3× faster, ≈ 1.3× larger)
                new.writestr(info, _filled(content.decode("utf-8"), *parts[info.filename]),
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            else:
                new.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)


def _filled(sheet: str, dimension: str, sheet_data: str) -> bytes:
    """An empty worksheet's XML with its dimension and cells put in."""
    if sheet.count(_EMPTY_DATA) != 1 or sheet.count(_EMPTY_DIMENSION) != 1:
        raise ValueError("xlsxwriter wrote the sheet with cells: it cannot be filled")
    return sheet.replace(_EMPTY_DIMENSION, dimension, 1).replace(
        _EMPTY_DATA, sheet_data, 1).encode("utf-8")
