"""Score sheets that are text, whatever their extension (private).

CSV and tab-separated exports (UTF-8, GBK/GB18030 with or without a byte-order mark, UTF-16 as
Excel's "Unicode text" saves), HTML tables saved as ``.xls`` by marking systems (also as MHTML
"single-file web pages"), and Excel 2003 XML (SpreadsheetML). Each becomes the same
:class:`~qualitykit.io._grid.Sheet` grids as a workbook, merged cells (``rowspan``/``colspan``,
``ss:MergeAcross``/``ss:MergeDown``) filled.
"""

from __future__ import annotations

import csv
import email
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from ._cells import SpecialCell
from ._sheet_grid import Sheet
from .problems import ScoreFileError

_GB18030_BOM = b"\x84\x31\x95\x33"
_DELIMITERS = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}
_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_X = "urn:schemas-microsoft-com:office:excel"


def text_kind(head: bytes) -> str:
    """html, mhtml, spreadsheetml, text or binary, from the first bytes of a file."""
    text = _decode_head(head)
    if text is None:
        return "binary"
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith("<?xml") or low.startswith("<workbook"):
        return "spreadsheetml" if _SS in low else "binary"
    if low.startswith("mime-version") or re.match(r"(?s).{0,400}content-type:\s*multipart", low):
        return "mhtml"
    if low.startswith(("<!doctype html", "<html", "<table", "<meta", "<head", "<body")) or (
            low.startswith("<") and "<table" in low):
        return "html"
    return "text"


def _decode_head(head: bytes) -> str | None:
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be"), (_GB18030_BOM, "gb18030")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore")
    utf16 = _utf16_without_bom(head)
    if utf16:
        return head.decode(utf16, errors="ignore")
    if b"\x00" in head:
        return None
    for codec in ("utf-8", "gb18030"):
        try:
            text = head.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                continue
            text = head[:exc.start].decode(codec)
        controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
        return None if controls > max(2, len(text) // 100) else text
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    sample = raw[:4096]
    if len(sample) < 8:
        return None
    if sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) < len(sample) // 16:
        return "utf-16-le"
    if sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) < len(sample) // 16:
        return "utf-16-be"
    return None


def decode(raw: bytes, file: str) -> tuple[str, str]:
    """The text of a file and the name of its encoding (for the import report)."""
    for bom, codec, name in ((b"\xef\xbb\xbf", "utf-8", "UTF-8（带 BOM）"),
                             (b"\xff\xfe", "utf-16-le", "UTF-16"),
                             (b"\xfe\xff", "utf-16-be", "UTF-16"),
                             (_GB18030_BOM, "gb18030", "GB18030（带 BOM）")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), name
            except UnicodeDecodeError:
                break
    utf16 = _utf16_without_bom(raw)
    candidates = [(utf16, "UTF-16")] if utf16 else []
    candidates += [("utf-8", "UTF-8"), ("gb18030", "GBK/GB18030")]
    for codec, name in candidates:
        try:
            return raw.decode(codec).lstrip("\ufeff"), name
        except UnicodeDecodeError:
            continue
    raise ScoreFileError(
        f"无法识别文件 {file} 的文字编码 (unknown text encoding)。"
        "请在 Excel 中打开后另存为 .xlsx（或“CSV UTF-8”）再导入。", file=file)


def read_text_file(path: Path, kind: str):
    """The sheets of a text file and a phrase saying what it was (for the import report)."""

    raw = path.read_bytes()
    if kind == "mhtml":
        raw = _mhtml_html(raw, path.name)
        kind = "html"
    text, encoding = decode(raw, path.name)
    if kind == "html":
        tables = parse_html_tables(text)
        if not tables:
            raise ScoreFileError(f"文件 {path.name} 是网页（HTML），但里面没有表格 (no <table>)。"
                                 "请从原来的系统重新导出成绩表。", file=path.name)
        many = len(tables) > 1
        sheets = [Sheet(f"表{i + 1}" if many else path.stem, rows, merged_from=merged)
                  for i, (rows, merged) in enumerate(tables)]
        return sheets, f"网页表格（HTML，{encoding} 编码）"
    if kind == "spreadsheetml":
        return parse_spreadsheetml(raw, path.name), "Excel 2003 XML 表格（SpreadsheetML）"
    rows, delimiter = parse_delimited(text)
    return [Sheet(path.stem, rows)], f"文本表格（{_DELIMITERS[delimiter]}分隔，{encoding} 编码）"


# --------------------------------------------------------------------------------------------
# CSV / tab-separated
# --------------------------------------------------------------------------------------------
def parse_delimited(text: str) -> tuple[list[list[object]], str]:
    """Rows of a delimited text and the delimiter (comma, tab, semicolon or bar, sniffed)."""
    delimiter = _sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if any(mark in text for mark in _CLEANED_MARKS):  # else no cell has anything to undo
        rows = [[_clean_text_cell(v) for v in row] for row in rows]
    return rows, delimiter


def _sniff_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        counts = [len(r) for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)]
        multi = [n for n in counts if n > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = (multi.count(mode), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


_FORMULA_TEXT = re.compile(r'^="(.*)"$')
#: What :func:`_clean_text_cell` undoes starts with one of these (a text without any of them
#: is read as it is, without a look at every cell).
_CLEANED_MARKS = ("=", "'", "‘", "’")


def _clean_text_cell(value: str) -> str:
    """Undo the tricks exports use to keep Excel from changing a value: ``="00123"`` and a
    leading apostrophe ``'00123``."""
    m = _FORMULA_TEXT.match(value.strip())
    if m:
        return m[1]
    if value.startswith(("'", "‘", "’")):
        return value[1:]
    return value


# --------------------------------------------------------------------------------------------
# HTML tables (and MHTML)
# --------------------------------------------------------------------------------------------
def _mhtml_html(raw: bytes, file: str) -> bytes:
    message = email.message_from_bytes(raw)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            charset = part.get_content_charset()
            if charset:
                try:
                    return payload.decode(charset).encode("utf-8")
                except (LookupError, UnicodeDecodeError):
                    pass
            return payload
    raise ScoreFileError(f"文件 {file} 是网页存档（MHTML），但里面没有表格。"
                         "请在 Excel 中打开后另存为 .xlsx 再导入。", file=file)


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._stack: list[list] = []  # open tables: their rows
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._numeric = False  # the cell's value came from Excel's x:num attribute
        self._skip = 0  # inside <style>/<script>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "table":
            self._close_cell()
            self._stack.append([])
        elif not self._stack:
            return
        elif tag == "tr":
            self._close_cell()
            self._stack[-1].append([])
        elif tag in ("td", "th"):
            self._close_cell()
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = [a["x:num"]] if _is_number(a.get("x:num")) else []
            self._numeric = bool(self._cell)
            self._span = (_span(a.get("rowspan")), _span(a.get("colspan")))
        elif tag == "br" and self._cell is not None and not self._numeric:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "table" and self._stack:
            self._close_cell()
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None and not self._skip and not self._numeric:
            self._cell.append(data)

    def _close_cell(self):
        if self._cell is not None and self._stack:
            self._stack[-1][-1].append(("".join(self._cell).strip(), *self._span))
        self._cell = None


def _span(text) -> int:
    try:
        return max(1, min(int(str(text).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def _is_number(text) -> bool:
    try:
        float(text)
        return True
    except (TypeError, ValueError):
        return False


def parse_html_tables(text: str):
    """Every ``<table>`` with at least two rows: its grid and its merged cells, spans filled."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    while parser._stack:  # tables left open at the end of a sloppy export
        parser._close_cell()
        parser.tables.append(parser._stack.pop())
    return [_layout(t) for t in parser.tables if len([r for r in t if r]) >= 2]


def _layout(table):
    """Place cells with row/column spans on a grid, as a browser does."""
    grid: dict[tuple[int, int], object] = {}
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(table):
        c = 0
        for value, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = value
                    if dr or dc:
                        merged[(r + dr, c + dc)] = (r, c)
            c += colspan
    return _to_rows(grid, len(table)), merged


# --------------------------------------------------------------------------------------------
# Excel 2003 XML (SpreadsheetML)
# --------------------------------------------------------------------------------------------
def parse_spreadsheetml(raw: bytes, file: str):

    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ScoreFileError(f"文件 {file} 是 Excel 2003 XML 表格，但内容不完整或已损坏：{exc}。"
                             "请在 Excel 中打开后另存为 .xlsx 再导入。", file=file) from exc
    sheets = []
    for ws in root.iter(f"{{{_SS}}}Worksheet"):
        name = ws.get(f"{{{_SS}}}Name") or f"Sheet{len(sheets) + 1}"
        visible = ws.findtext(f".//{{{_X}}}WorksheetOptions/{{{_X}}}Visible") or ""
        state = {"sheethidden": "hidden", "sheetveryhidden": "veryhidden"}.get(
            visible.strip().lower(), "visible")
        table = ws.find(f"{{{_SS}}}Table")
        grid, merged, n_rows = _spreadsheetml_grid(table) if table is not None else ({}, {}, 0)
        rows = _to_rows(grid, n_rows)
        specials = sum(isinstance(v, SpecialCell) for row in rows for v in row)
        sheets.append(Sheet(name, rows, state, merged, specials))
    return sheets


def _spreadsheetml_grid(table):
    grid: dict[tuple[int, int], object] = {}
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    r = -1
    for row in table.iter(f"{{{_SS}}}Row"):
        index = row.get(f"{{{_SS}}}Index")
        r = int(index) - 1 if index else r + 1
        c = -1
        for cell in row.iter(f"{{{_SS}}}Cell"):
            index = cell.get(f"{{{_SS}}}Index")
            c = int(index) - 1 if index else c + 1
            while not index and (r, c) in grid:
                c += 1
            value = _spreadsheetml_value(cell)
            across = int(cell.get(f"{{{_SS}}}MergeAcross") or 0)
            down = int(cell.get(f"{{{_SS}}}MergeDown") or 0)
            for dr in range(down + 1):
                for dc in range(across + 1):
                    grid[(r + dr, c + dc)] = value
                    if dr or dc:
                        merged[(r + dr, c + dc)] = (r, c)
            c += across
    return grid, merged, r + 1


def _spreadsheetml_value(cell):
    data = cell.find(f"{{{_SS}}}Data")
    formula = cell.get(f"{{{_SS}}}Formula")
    if data is None:
        return SpecialCell("formula", formula) if formula else ""
    text = "".join(data.itertext())
    kind = data.get(f"{{{_SS}}}Type") or "String"
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "Error":
        return SpecialCell("error", text.strip() or "#VALUE!")
    return text


def _to_rows(grid: dict, n_rows: int) -> list[list[object]]:
    if not grid:
        return []
    width = max(c for _, c in grid) + 1
    height = max(n_rows, max(r for r, _ in grid) + 1)
    rows = [[""] * width for _ in range(height)]
    for (r, c), value in grid.items():
        rows[r][c] = value
    return rows
