"""Write grids as the files schools and their systems produce.

Each writer is ``writer(path, grids)`` and carries a ``format`` label for the report table.
What each format puts in the file (no cached formula value, error records, hidden states,
byte-order marks, merges as rowspan/colspan or ``ss:MergeAcross``) is checked in
``tests/test_messy_sheets.py`` with readers independent of the kit.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Sequence
from pathlib import Path

from .grid import ErrorCell, Formula, Grid

Writer = Callable[[Path, Sequence[Grid]], None]


def _labelled(label: str):
    def wrap(func):
        func.format = label
        return func
    return wrap


def _cells(grid: Grid):
    """(row, col, value) of every non-empty cell outside the covered part of merges."""
    covered = grid.covered()
    for r, row in enumerate(grid.rows):
        for c, v in enumerate(row):
            if v is not None and v != "" and (r, c) not in covered:
                yield r, c, v


# --------------------------------------------------------------------------------------------
# Excel 2007+ (.xlsx)
# --------------------------------------------------------------------------------------------
@_labelled("xlsx (openpyxl)")
def xlsx_openpyxl(path: Path, grids: Sequence[Grid]) -> None:
    """openpyxl: formulas are saved without a cached value; errors as ``t="e"`` cells."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for g in grids:
        ws = wb.create_sheet(g.name)
        for r, c, v in _cells(g):
            cell = ws.cell(row=r + 1, column=c + 1)
            if isinstance(v, Formula):
                cell.value = v.text
            elif isinstance(v, ErrorCell):
                cell.value = v.code  # openpyxl types a known error code as an error cell
            else:
                cell.value = v
        for (r, c), fmt in g.formats.items():  # also on empty cells (formatted, never filled)
            ws.cell(row=r + 1, column=c + 1).number_format = fmt
        for r0, c0, r1, c1 in g.merges:
            ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
        ws.sheet_state = g.state
    wb.save(path)


@_labelled("xlsx (xlsxwriter)")
def xlsx_xlsxwriter(path: Path, grids: Sequence[Grid]) -> None:
    """xlsxwriter: a formula's cached value is 0 and the workbook asks for a full recalculation."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    formats: dict[str, object] = {}
    for g in grids:
        ws = wb.add_worksheet(g.name)
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in g.merges}
        for r, c, v in _cells(g):
            fmt = None
            if (r, c) in g.formats:
                text = g.formats[(r, c)]
                fmt = formats.setdefault(text, wb.add_format({"num_format": text}))
            if (r, c) in merged:
                r1, c1 = merged.pop((r, c))
                ws.merge_range(r, c, r1, c1, v if not isinstance(v, Formula) else "", fmt)
            elif isinstance(v, Formula):
                ws.write_formula(r, c, v.text, fmt)
            elif isinstance(v, ErrorCell):
                raise TypeError("error cells are written with openpyxl or xlwt")
            elif isinstance(v, str):
                ws.write_string(r, c, v, fmt)
            else:
                ws.write(r, c, v, fmt)
        for (r0, c0), (r1, c1) in merged.items():  # merges over empty cells
            ws.merge_range(r0, c0, r1, c1, "")
        filled = {(r, c) for r, c, _ in _cells(g)}
        for (r, c), fmt in g.formats.items():
            if (r, c) not in filled:
                style = formats.setdefault(fmt, wb.add_format({"num_format": fmt}))
                ws.write_blank(r, c, None, style)
        if g.state == "hidden":
            ws.hide()
        elif g.state == "veryHidden":
            ws.very_hidden()
    wb.close()


# --------------------------------------------------------------------------------------------
# Excel 97-2003 (.xls, BIFF8)
# --------------------------------------------------------------------------------------------
XLS_ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17,
                   "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}


@_labelled("xls (xlwt)")
def xls_xlwt(path: Path, grids: Sequence[Grid]) -> None:
    """xlwt: merges with ``write_merge``, errors with ``set_cell_error``, ``visibility`` for
    hidden; a formula is saved without a computed value."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for g in grids:
        ws = wb.add_sheet(g.name)
        merged = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in g.merges}
        styles: dict[str, object] = {}
        for r, c, v in _cells(g):
            style = xlwt.Style.default_style
            if (r, c) in g.formats:
                style = styles.setdefault(g.formats[(r, c)],
                                          xlwt.easyxf(num_format_str=g.formats[(r, c)]))
            if isinstance(v, ErrorCell):
                ws.row(r).set_cell_error(c, XLS_ERROR_CODES[v.code])
                continue
            value = xlwt.Formula(v.text.lstrip("=")) if isinstance(v, Formula) else v
            if (r, c) in merged:
                r1, c1 = merged.pop((r, c))
                ws.write_merge(r, r1, c, c1, value, style)
            else:
                ws.write(r, c, value, style)
        for (r0, c0), (r1, c1) in merged.items():
            ws.write_merge(r0, r1, c0, c1, "")
        ws.visibility = {"visible": 0, "hidden": 1, "veryHidden": 2}[g.state]
    wb.save(str(path))


# --------------------------------------------------------------------------------------------
# text formats
# --------------------------------------------------------------------------------------------
def _text_rows(grid: Grid) -> list[list[str]]:
    out = []
    for row in grid.rows:
        out.append(["" if v is None else _text(v) for v in row])
    return out


def _text(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (Formula, ErrorCell)):
        raise TypeError("text formats hold no formulas or error cells")
    return str(v)


def csv_bytes(grid: Grid, *, delimiter: str = ",", encoding: str = "utf-8",
              bom: bytes = b"", newline: str = "\r\n") -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerows(_text_rows(grid))
    return bom + buf.getvalue().encode(encoding)


def text_writer(label: str, **options) -> Writer:
    """A writer of the first grid as delimited text (CSV, tab text, UTF-16 'Unicode text')."""
    @_labelled(label)
    def write(path: Path, grids: Sequence[Grid]) -> None:
        path.write_bytes(csv_bytes(grids[0], **options))
    return write


GB18030_BOM = "\ufeff".encode("gb18030")  # b"\x84\x31\x95\x33"

csv_utf8 = text_writer("csv utf-8")
csv_utf8_bom = text_writer("csv utf-8 with BOM", bom=b"\xef\xbb\xbf")
csv_gbk = text_writer("csv gbk", encoding="gbk")
csv_gb18030_bom = text_writer("csv gb18030 with BOM", encoding="gb18030", bom=GB18030_BOM)
tab_utf8 = text_writer("tab-separated utf-8", delimiter="\t")
tab_gbk = text_writer("tab-separated gbk", delimiter="\t", encoding="gbk")
utf16_tab = text_writer("utf-16 tab text (Excel Unicode text)", delimiter="\t",
                        encoding="utf-16-le", bom=b"\xff\xfe")


def html_writer(charset: str = "utf-8", short_meta: bool = False) -> Writer:
    """An HTML table as 阅卷 systems export it and name ``.xls`` (merges as rowspan/colspan);
    the charset in ``<meta charset=…>`` (``short_meta``) or ``<meta http-equiv=…>``."""
    meta = (f'<meta charset="{charset}">' if short_meta else
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">')

    @_labelled(f"html table ({charset}) named .xls")
    def write(path: Path, grids: Sequence[Grid]) -> None:
        parts = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" '
                 'xmlns:x="urn:schemas-microsoft-com:office:excel">',
                 f'<head>{meta}',
                 '<style>td{mso-number-format:"\\@";}</style></head><body>']
        for g in grids:
            parts.append(_html_table(g))
        parts.append("</body></html>")
        path.write_bytes("\n".join(parts).encode(charset))
    return write


def _html_table(g: Grid) -> str:
    span = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in g.merges}
    covered = g.covered()
    lines = ['<table border="1">']
    width = g.width
    for r, row in enumerate(g.rows):
        cells = []
        for c in range(width):
            if (r, c) in covered:
                continue
            v = row[c] if c < len(row) else None
            attrs = ""
            if (r, c) in span:
                rs, cs = span[(r, c)]
                attrs += f' rowspan="{rs}"' if rs > 1 else ""
                attrs += f' colspan="{cs}"' if cs > 1 else ""
            text = "" if v is None else html.escape(_text(v))
            cells.append(f"<td{attrs}>{text}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


@_labelled("SpreadsheetML 2003 xml named .xls")
def spreadsheetml(path: Path, grids: Sequence[Grid]) -> None:
    """Excel 2003 XML: merges as ``ss:MergeAcross``/``ss:MergeDown``, gaps as ``ss:Index``."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:o="urn:schemas-microsoft-com:office:office" '
           'xmlns:x="urn:schemas-microsoft-com:office:excel" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">']
    for g in grids:
        out.append(f'<Worksheet ss:Name="{html.escape(g.name)}"><Table>')
        span = {(r0, c0): (r1 - r0, c1 - c0) for r0, c0, r1, c1 in g.merges}
        covered = g.covered()
        skipped_row = False
        for r, row in enumerate(g.rows):
            cells, expect = [], 0
            for c, v in enumerate(row):
                if (r, c) in covered or v is None or v == "":
                    continue
                attrs = f' ss:Index="{c + 1}"' if c != expect else ""
                if (r, c) in span:
                    down, across = span[(r, c)]
                    attrs += f' ss:MergeAcross="{across}"' if across else ""
                    attrs += f' ss:MergeDown="{down}"' if down else ""
                    expect = c + (span[(r, c)][1]) + 1
                else:
                    expect = c + 1
                kind = "Number" if isinstance(v, (int, float)) else "String"
                data = f'<Data ss:Type="{kind}">{html.escape(_text(v))}</Data>'
                cells.append(f"<Cell{attrs}>{data}</Cell>")
            if not cells:
                skipped_row = True  # Excel leaves an empty row out and numbers the next one
                continue
            index = f' ss:Index="{r + 1}"' if skipped_row else ""
            skipped_row = False
            out.append(f"<Row{index}>" + "".join(cells) + "</Row>")
        out.append("</Table></Worksheet>")
    out.append("</Workbook>")
    path.write_text("\n".join(out), encoding="utf-8")


# --------------------------------------------------------------------------------------------
# files that are not score sheets at all
# --------------------------------------------------------------------------------------------
@_labelled("PDF")
def pdf_file(path: Path, grids: Sequence[Grid]) -> None:
    """A minimal one-page PDF (what a teacher gets from 打印 → 另存为 PDF)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"]
    stream = b"BT /F1 12 Tf 72 770 Td (score sheet) Tj ET"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    body, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    body += b"startxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(body)


@_labelled("Word .docx")
def docx_file(path: Path, grids: Sequence[Grid]) -> None:
    """A Word document holding the score table (typed in Word, then renamed)."""
    import docx

    document = docx.Document()
    g = grids[0]
    rows = _text_rows(g)
    table = document.add_table(rows=len(rows), cols=g.width)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            table.cell(r, c).text = v
    buf = io.BytesIO()
    document.save(buf)
    path.write_bytes(buf.getvalue())


@_labelled("zero bytes")
def empty_file(path: Path, grids: Sequence[Grid]) -> None:
    path.write_bytes(b"")


def random_bytes(seed_bytes: bytes) -> Writer:
    @_labelled("random bytes")
    def write(path: Path, grids: Sequence[Grid]) -> None:
        path.write_bytes(seed_bytes)
    return write


def misnamed(writer: Writer, label: str) -> Writer:
    """The same writer, labelled as the misnamed file it makes (e.g. 'csv named .xlsx')."""
    @_labelled(label)
    def write(path: Path, grids: Sequence[Grid]) -> None:
        writer(path, grids)
    return write
