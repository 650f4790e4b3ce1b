"""Read a workbook or a text export into raw grids of cells, one per sheet (private).

Row ``i`` of a grid is Excel row ``i + 1``: leading empty rows are kept so that every row
number in the import report is the one a teacher sees in Excel.

What a file *is* is read from its content, not its name: the marking systems' "Excel" exports
are often HTML tables or Excel 2003 XML saved as ``.xls``, CSV files get named ``.xlsx`` and
text exports come in GBK, GB18030 or UTF-16. Three things spreadsheet readers hide are put
back: merged ranges fill every cell they cover (a class written once per block), hidden
sheets are marked, and Excel error cells and formulas never calculated become
:class:`~qualitykit.io._cells.SpecialCell` instead of blanks.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from .._text import norm
from . import _textfiles
from ._cells import SpecialCell
from ._sheet_grid import Sheet
from .problems import ScoreFileError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再导入"
INSTRUCTION_SHEET_WORDS = ("说明", "readme", "使用方法", "填表须知", "注意事项")


def read_grids(path: Path) -> tuple[list[Sheet], list[str]]:
    """Return the sheets of a file and notes on how it was read (its real format, encoding)."""
    path = Path(path)
    _check_path(path)
    kind = sniff(path)
    notes = []
    suffix = path.suffix.lower()
    if kind in ("xlsx", "ole", "ods", "xlsb"):
        if suffix not in EXCEL_SUFFIXES:
            notes.append(f"文件内容是 Excel 工作簿，扩展名却是“{path.suffix}”，已按工作簿读取")
        elif _mismatch(kind, suffix):
            notes.append(f"文件内容是 {_KIND_NAMES[kind]}，扩展名却是“{path.suffix}”，已按实际格式读取")
        return _read_workbook(path, kind), notes
    if kind in ("html", "mhtml", "spreadsheetml", "text"):
        sheets, how = _textfiles.read_text_file(path, kind)
        if suffix in EXCEL_SUFFIXES:
            notes.append(f"文件扩展名是“{path.suffix}”，内容实际是{how}，已按实际格式读取")
        else:
            notes.append(f"文件格式：{how}")
        return sheets, notes
    raise ScoreFileError(_not_a_sheet_message(path, kind), file=str(path))


def select_sheets(sheets: list[Sheet], sheet, file: str) -> list[Sheet]:
    """The sheets named by the ``sheet=`` option (names or 0-based positions); all when None.

    Raises
    ------
    ScoreFileError
        A position or a name the file does not have; the message lists the sheets.
    """
    if sheet is None:
        return sheets
    wanted = [sheet] if isinstance(sheet, (str, int)) else list(sheet)
    names = [s.name for s in sheets]
    chosen = []
    for w in wanted:
        if isinstance(w, int):
            if not 0 <= w < len(sheets):
                raise ScoreFileError(
                    f"文件 {file} 没有第 {w} 个工作表 (sheet={w!r})；工作表有：{'、'.join(names)}。",
                    file=file)
            chosen.append(sheets[w])
        else:
            match = [s for s in sheets if s.name == w or norm(s.name) == norm(w)]
            if not match:
                raise ScoreFileError(
                    f"文件 {file} 中找不到工作表「{w}」(sheet={w!r})；工作表有：{'、'.join(names)}。"
                    "请检查工作表名称。", file=file)
            chosen.append(match[0])
    return chosen


def is_instruction_sheet(name: str) -> bool:
    """A sheet of instructions (填写说明 …) rather than data.

    >>> is_instruction_sheet("填写说明"), is_instruction_sheet("五(1)班")
    (True, False)
    """
    low = norm(name).lower()
    return any(w in low for w in INSTRUCTION_SHEET_WORDS)


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise ScoreFileError(f"“{path}”是一个文件夹，不是成绩表文件 (is a directory)。"
                             "请给出文件夹里的成绩表文件，如 五年级期末.xlsx。", file=str(path))
    if not path.exists():
        raise ScoreFileError(f"找不到文件 (file not found)：{path}。请检查路径和文件名是否正确。",
                             file=str(path))
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise ScoreFileError(f"无法读取文件 (cannot read file) {path}：{exc.strerror}。"
                             "请检查文件是否被其他程序占用或没有读取权限。", file=str(path)) from exc


_KIND_NAMES = {"xlsx": "Excel 工作簿（.xlsx）", "ole": "Excel 97-2003 工作簿（.xls）",
               "ods": "OpenDocument 表格（.ods）", "xlsb": "Excel 二进制工作簿（.xlsb）"}


def _mismatch(kind: str, suffix: str) -> bool:
    expected = {"xlsx": {".xlsx", ".xlsm"}, "ole": {".xls", ".et"}, "ods": {".ods"},
                "xlsb": {".xlsb"}}
    return suffix not in expected[kind]


def sniff(path: Path) -> str:
    """What the file is, from its first bytes: xlsx, xlsb, ods, ole (.xls/.et, also encrypted
    workbooks and Word .doc), html, mhtml, spreadsheetml, text, or pdf/docx/pptx/zip/image/
    empty/binary."""
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip(b"\x00 \t\r\n"):
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return _textfiles.text_kind(head)


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError):
        return "broken_zip"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if b"spreadsheet" in mimetype:
        return "ods"
    if "word/document.xml" in names:
        return "docx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    return "zip"


def _not_a_sheet_message(path: Path, kind: str) -> str:
    what = {
        "empty": "是空文件（0 字节或没有内容）",
        "pdf": "是 PDF 文档",
        "docx": "是 Word 文档（.docx）",
        "pptx": "是 PowerPoint 演示文稿",
        "zip": "是 ZIP 压缩包",
        "broken_zip": "是损坏的 Excel 文件或压缩包（无法解压）",
        "image": "是图片",
        "rtf": "是 RTF 文档",
        "binary": "不是表格文件（无法识别的二进制内容）",
    }.get(kind, "不是可以读取的表格文件")
    return (f"文件 {path.name} {what}，不是成绩表 (unsupported file type: {kind})。"
            f"请从原来的系统重新导出成绩表，或{_SAVE_AS}。")


# --------------------------------------------------------------------------------------------
# workbooks (calamine), with hidden sheets, merged ranges and special cells
# --------------------------------------------------------------------------------------------
def _open_workbook(path: Path, kind: str):
    from python_calamine import CalamineWorkbook

    try:
        if _mismatch(kind, path.suffix.lower()) or path.suffix.lower() == ".et":
            with open(path, "rb") as f:  # calamine picks its reader by extension; this sniffs
                return CalamineWorkbook.from_filelike(f)
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise ScoreFileError(_unopenable_message(path, kind, exc), file=str(path)) from exc


def _unopenable_message(path: Path, kind: str, exc: Exception) -> str:
    if kind == "ole":
        raw = path.read_bytes()[:1 << 20]
        if "EncryptedPackage".encode("utf-16-le") in raw:
            return (f"文件 {path.name} 设有打开密码 (password-protected)，无法读取。"
                    "请在 Excel 中打开，取消密码（文件 → 信息 → 保护工作簿），保存后再导入。")
        if "WordDocument".encode("utf-16-le") in raw:
            return f"文件 {path.name} 是 Word 文档（.doc），不是成绩表。请导入 Excel 成绩表。"
    return (f"无法打开工作簿 (cannot open workbook) {path.name}：{exc}。"
            f"文件可能已损坏；请{_SAVE_AS}。")


def _read_workbook(path: Path, kind: str) -> list[Sheet]:
    wb = _open_workbook(path, kind)
    states = {m.name: str(m.visible).rsplit(".", 1)[-1].lower() for m in wb.sheets_metadata}
    specials = _special_cells(path, kind, wb.sheet_names)
    padded = _zero_padded_cells(path) if kind == "xlsx" else {}
    sheets = []
    for name in wb.sheet_names:
        try:
            sheet = wb.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception:  # a chart sheet or a damaged sheet: nothing to read in it
            sheets.append(Sheet(name, [], _state(states.get(name))))
            continue
        for (r, c), width in padded.get(name, {}).items():  # 0501001 shown, 501001 stored
            if r < len(rows) and c < len(rows[r]) and isinstance(rows[r][c], float) \
                    and rows[r][c].is_integer():
                rows[r][c] = str(int(rows[r][c])).zfill(width)
        placed = 0
        for (r, c), value in specials.get(name, {}).items():
            if r < len(rows) and c < len(rows[r]) and _blankish(rows[r][c], value):
                rows[r][c] = value
                placed += 1
        merged = fill_merged(rows, sheet.merged_cell_ranges or ())
        sheets.append(Sheet(name, rows, _state(states.get(name)), merged, placed))
    return sheets


def _state(text: str | None) -> str:
    return {"hidden": "hidden", "veryhidden": "veryhidden"}.get(text or "", "visible")


def _blankish(read: object, special: SpecialCell) -> bool:
    """calamine shows an error or an uncached formula as ''; a stale cached 0 (a formula in a
    workbook marked "recalculate on open") is replaced too."""
    return read in ("", None) or (special.kind == "formula" and read == 0)


def fill_merged(rows: list[list[object]], ranges) -> dict[tuple[int, int], tuple[int, int]]:
    """Write the value of each merged range's top-left cell into every cell of the range.

    ``ranges`` are ``((first_row, first_col), (last_row, last_col))``, 0-based and inclusive.
    Returns the filled cells, each mapped to its range's top-left cell.
    """
    filled = {}
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0):
                    row[c] = value
                    filled[(r, c)] = (r0, c0)
    return filled


def _special_cells(path: Path, kind: str, names) -> dict[str, dict[tuple[int, int], SpecialCell]]:
    """Error cells and formulas without a calculated value, by sheet name and (row, col)."""
    try:
        if kind == "xlsx":
            return _xlsx_special_cells(path)
        if kind == "ole":
            return _xls_error_cells(path)
    except Exception:  # the cell types are a check on top of calamine; never a reason to fail
        return {}
    return {}


_CELL_REF = re.compile(rb'\br\s*=\s*["\']([A-Z]+)(\d+)["\']')
_ERROR_TYPE = re.compile(rb'\bt\s*=\s*["\']e["\']')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_FORMULA_TEXT = re.compile(rb"<(?:\w+:)?f(?:\s[^>]*)?>(.*?)</(?:\w+:)?f>", re.S)


def _xlsx_special_cells(path: Path) -> dict[str, dict[tuple[int, int], SpecialCell]]:
    out: dict[str, dict[tuple[int, int], SpecialCell]] = {}
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml")
        recalc = re.search(rb'fullCalcOnLoad\s*=\s*["\'](1|true)["\']', workbook) is not None
        for name, member in _xlsx_sheet_files(z, workbook).items():
            data = z.read(member)
            if b"<f" not in data and b't="e"' not in data and b"t='e'" not in data:
                continue  # no formula and no error cell: the common case
            cells = {}
            for start in _cell_starts(data):
                found = _special_cell(data, start, recalc)
                if found:
                    cells[found[0]] = found[1]
            if cells:
                out[name] = cells
    return out


def _xlsx_sheet_files(z: zipfile.ZipFile, workbook: bytes) -> dict[str, str]:
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels))
    targets |= {i: t for t, i in re.findall(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)}
    out = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\s[^>]*>", workbook.decode("utf-8")):
        name = re.search(r'\bname="([^"]*)"', tag)
        rid = re.search(r'\br:id="([^"]+)"', tag) or re.search(r'\bid="([^"]+)"', tag)
        if not (name and rid and rid[1] in targets):
            continue
        target = targets[rid[1]]
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out[html.unescape(name[1])] = member
    return out


def _cell_starts(data: bytes):
    """Start offsets of the <c> elements holding a formula or an error type."""
    seen = set()
    for m in _FORMULA.finditer(data):
        start = data.rfind(b"<c ", 0, m.start())
        if start >= 0 and start not in seen:
            seen.add(start)
            yield start
    for m in _ERROR_TYPE.finditer(data):
        start = data.rfind(b"<c ", 0, m.start())
        if start >= 0 and start not in seen:
            seen.add(start)
            yield start


def _special_cell(data: bytes, start: int, recalc: bool):
    head_end = data.find(b">", start)
    head = data[start:head_end + 1]
    ref = _CELL_REF.search(head)
    if not ref:
        return None
    end = len(head) + start if head.endswith(b"/>") else data.find(b"</c>", head_end)
    body = data[head_end + 1:end]
    value = _VALUE.search(body)
    cached = value[1].strip() if value else b""
    where = (int(ref[2]) - 1, _column_index(ref[1].decode()))
    if _ERROR_TYPE.search(head):
        return where, SpecialCell("error", cached.decode("utf-8", "replace") or "#VALUE!")
    formula = _FORMULA_TEXT.search(body)
    if formula is None and not _FORMULA.search(body):
        return None
    if not cached and re.search(rb'\bt\s*=\s*["\'](str|s|inlineStr)["\']', head):
        return None  # a formula Excel calculated to "" (=IF(C5="","",…)): a blank
    if not cached or (recalc and cached == b"0"):
        text = html.unescape(formula[1].decode("utf-8", "replace")) if formula else ""
        return where, SpecialCell("formula", f"={text}" if text else "（共享公式）")
    return None


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _xls_error_cells(path: Path) -> dict[str, dict[tuple[int, int], SpecialCell]]:
    """Error cells of a .xls, and formulas whose stored result is empty text: a formula never
    calculated (written by a program) or one that returns "" — a blank to calamine either way."""
    import xlrd

    book = xlrd.open_workbook(file_contents=path.read_bytes(), on_demand=True)
    out = {}
    for i, name in enumerate(book.sheet_names()):
        sheet = book.sheet_by_index(i)
        cells = {}
        for c in range(sheet.ncols):
            values = sheet.col_values(c)
            for r, ctype in enumerate(sheet.col_types(c)):
                if ctype == xlrd.XL_CELL_ERROR:
                    text = xlrd.error_text_from_code.get(values[r], "#VALUE!")
                    cells[(r, c)] = SpecialCell("error", text)
                elif ctype == xlrd.XL_CELL_TEXT and values[r] == "":
                    cells[(r, c)] = SpecialCell("empty_formula", "（公式，结果为空）")
        if cells:
            out[name] = cells
        book.unload_sheet(i)
    return out


def filled_cells(path: Path, sheet_name: str) -> dict[tuple[int, int], str]:
    """Cells of an .xlsx sheet with a background fill (0-based row, column → colour), for
    sheets whose notes say a colour marks a status. Empty for other formats."""
    path = Path(path)
    try:
        if sniff(path) != "xlsx":
            return {}
        with zipfile.ZipFile(path) as z:
            member = _xlsx_sheet_files(z, z.read("xl/workbook.xml")).get(sheet_name)
            if member is None:
                return {}
            fills = _filled_styles(z.read("xl/styles.xml"))
            data = z.read(member)
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    out = {}
    for m in re.finditer(rb"<c\s([^>]*)>", data):
        attrs = m[1]
        ref, style = _CELL_REF.search(attrs), re.search(rb'\bs\s*=\s*["\'](\d+)["\']', attrs)
        if ref and style and int(style[1]) in fills:
            out[(int(ref[2]) - 1, _column_index(ref[1].decode()))] = fills[int(style[1])]
    return out


def _filled_styles(styles: bytes) -> dict[int, str]:
    """Cell style index → fill colour, for the styles with a solid background."""
    fills_xml = re.search(rb"<fills[^>]*>(.*?)</fills>", styles, re.S)
    xfs_xml = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
    if not (fills_xml and xfs_xml):
        return {}
    colours = []
    for fill in re.findall(rb"<fill>(.*?)</fill>|<fill/>", fills_xml[1], re.S):
        solid = re.search(rb'patternType\s*=\s*["\']solid["\']', fill or b"")
        rgb = re.search(rb'<fgColor[^>]*(?:rgb|theme|indexed)\s*=\s*["\']([^"\']+)["\']', fill or b"")
        colours.append((rgb[1].decode() if rgb else "solid") if solid else None)
    out = {}
    for k, xf in enumerate(re.findall(rb"<xf\b([^>]*)/?>", xfs_xml[1])):
        fill_id = re.search(rb'fillId\s*=\s*["\'](\d+)["\']', xf)
        if fill_id and int(fill_id[1]) < len(colours) and colours[int(fill_id[1])]:
            out[k] = colours[int(fill_id[1])]
    return out


def _zero_padded_cells(path: Path) -> dict[str, dict[tuple[int, int], int]]:
    """Numbers shown with leading zeros by a custom format such as 0000000 (an id 0501001
    stored as 501001): (row, col) → width, by sheet. Empty when no such format exists."""
    try:
        with zipfile.ZipFile(path) as z:
            styles = z.read("xl/styles.xml")
            formats = {int(i): len(code) for i, code in re.findall(
                rb'<numFmt\s[^>]*numFmtId\s*=\s*["\'](\d+)["\'][^>]*formatCode\s*=\s*["\'](0{2,})["\']',
                styles)}
            if not formats:
                return {}
            xfs = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S)
            widths = {}
            for k, xf in enumerate(re.findall(rb"<xf\b([^>]*)/?>", xfs[1] if xfs else b"")):
                fmt = re.search(rb'numFmtId\s*=\s*["\'](\d+)["\']', xf)
                if fmt and int(fmt[1]) in formats:
                    widths[k] = formats[int(fmt[1])]
            if not widths:
                return {}
            out = {}
            for name, member in _xlsx_sheet_files(z, z.read("xl/workbook.xml")).items():
                cells = {}
                for m in re.finditer(rb"<c\s([^>]*)>", z.read(member)):
                    ref = _CELL_REF.search(m[1])
                    style = re.search(rb'\bs\s*=\s*["\'](\d+)["\']', m[1])
                    if ref and style and int(style[1]) in widths:
                        cells[(int(ref[2]) - 1, _column_index(ref[1].decode()))] = widths[int(style[1])]
                if cells:
                    out[name] = cells
            return out
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
