"""The yardstick itself: the corpus covers what the issue lists, its files hold the planted
quirks (read back with openpyxl, xlrd and raw bytes, never with the kit), and the judge's truth
statistics and comparisons are right on hand-made tables."""

import io
import math
import re
import zipfile
from collections import Counter
from html.parser import HTMLParser
from xml.etree import ElementTree

import openpyxl
import pandas as pd
import pytest
import xlrd

from messy_sheets import CASES, EXPECTATIONS, KINDS, build
from messy_sheets.judge import (group_differences, compare, data_stats, refusal_gaps,
                                truth_stats)
from messy_sheets.model import Pupil, Refusal, Result, Truth

BY_NAME = {c.name: c for c in CASES}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return build(tmp_path_factory.mktemp("yardstick"))


# --------------------------------------------------------------------------------------------
# coverage
# --------------------------------------------------------------------------------------------
def test_the_corpus_covers_every_kind_in_xlsx_and_xls():
    assert len(CASES) >= 60
    assert len(BY_NAME) == len(CASES), "case names must be unique"
    assert {k for c in CASES for k in c.kinds} == set(KINDS)
    assert {c.expect for c in CASES} == set(EXPECTATIONS)
    for kind in (1, 2, 3, 4, 5, 6, 9):
        formats = {c.format.split(" ")[0] for c in CASES if kind in c.kinds}
        assert {"xlsx", "xls"} <= formats, f"kind {kind} has only {formats}"
    counts = Counter(k for c in CASES for k in c.kinds)
    assert all(counts[k] >= 3 for k in KINDS), counts


def test_every_case_says_what_it_imitates_and_what_to_expect():
    for c in CASES:
        assert len(c.description) > 20 and c.filename
        if c.expect != "refuse":
            assert c.truth.pupils and all(p.results for p in c.truth.pupils)
            assert len({(p.school, p.student_id if c.truth.key == "student_id" else p.name)
                        for p in c.truth.pupils}) == len(c.truth.pupils), c.name


# --------------------------------------------------------------------------------------------
# the planted quirks are in the files
# --------------------------------------------------------------------------------------------
def _sheet_xml(path, index=1):
    with zipfile.ZipFile(path) as z:
        sheet = z.read(f"xl/worksheets/sheet{index}.xml").decode()
        return sheet, z.read("xl/workbook.xml").decode()


def _xml_cell(xml, ref):
    m = re.search(rf'<c r="{ref}"[^>]*?(?:/>|>(.*?)</c>)', xml)
    assert m, f"no cell {ref}"
    return m.group(0)


def test_openpyxl_and_xlwt_formulas_have_no_cached_value(files):
    c = BY_NAME["uncached_formula_scores_xlsx"]
    xml, _ = _sheet_xml(files[c.name])
    for ref in c.refusal.cells:
        cell = _xml_cell(xml, ref)
        assert "<f>" in cell and not re.search(r"<v>[^<]+</v>", cell), cell  # no value cached
    c = BY_NAME["uncached_formula_scores_xls"]
    sheet = xlrd.open_workbook(files[c.name]).sheet_by_name("成绩")
    values = [sheet.cell_value(int(ref[1:]) - 1, ord(ref[0]) - 65) for ref in c.refusal.cells]
    assert values == [""] * 3


def test_xlsxwriter_formulas_cache_zero_and_ask_for_recalculation(files):
    c = BY_NAME["xlsxwriter_formula_scores_xlsx"]
    xml, workbook = _sheet_xml(files[c.name])
    for ref in c.refusal.cells:
        cell = _xml_cell(xml, ref)
        assert "<f>" in cell and "<v>0</v>" in cell, cell
    assert 'fullCalcOnLoad="1"' in workbook


def test_error_cells_are_error_cells(files):
    c = BY_NAME["error_cells_xlsx"]
    ws = openpyxl.load_workbook(files[c.name])["成绩"]
    assert [ws[ref].data_type for ref in c.refusal.cells] == ["e"] * 4
    assert {ws[ref].value for ref in c.refusal.cells} == {"#VALUE!", "#N/A", "#DIV/0!", "#REF!"}
    c = BY_NAME["error_cells_xls"]
    sheet = xlrd.open_workbook(files[c.name]).sheet_by_name("成绩")
    codes = []
    for ref in c.refusal.cells:
        col, row = ord(ref[0]) - 65, int(ref[1:]) - 1
        assert sheet.cell_type(row, col) == xlrd.XL_CELL_ERROR
        codes.append(sheet.cell_value(row, col))
    assert sorted(codes) == sorted([0x0F, 0x2A, 0x07, 0x17])


def test_hidden_sheets_are_hidden(files):
    wb = openpyxl.load_workbook(files["hidden_template_sheet_xlsx"])
    assert wb["模板"].sheet_state == "hidden" and wb["成绩"].sheet_state == "visible"
    wb = openpyxl.load_workbook(files["very_hidden_old_term_xlsx"])
    assert wb["Sheet2"].sheet_state == "veryHidden"
    book = xlrd.open_workbook(files["hidden_template_sheet_xls"])
    assert [s.visibility for s in book.sheets()] == [1, 0]


def test_merges_are_merged(files):
    ws = openpyxl.load_workbook(files["merged_class_blocks_xlsx"])["五年级"]
    ranges = {str(r) for r in ws.merged_cells.ranges}
    assert any(r.startswith("B") and ":B" in r for r in ranges)  # 班级 merged down
    assert any(r.startswith("A1:") for r in ranges)  # title merged across
    book = xlrd.open_workbook(files["merged_class_blocks_xls"], formatting_info=True)
    merged = book.sheet_by_index(0).merged_cells
    assert any(c0 == 1 and c1 == 2 and r1 - r0 > 1 for r0, r1, c0, c1 in merged)


def test_text_files_carry_their_encodings(files):
    raw = files["gb18030_bom_csv"].read_bytes()
    assert raw[:4] == bytes.fromhex("84319533") and raw[4:].decode("gb18030").startswith("学号")
    raw = files["utf16_unicode_text_txt"].read_bytes()
    assert raw[:2] == b"\xff\xfe" and "\t" in raw[2:].decode("utf-16-le")
    assert files["gbk_csv"].read_bytes().decode("gbk").startswith("学号")
    assert files["utf8_csv_no_bom"].read_bytes()[:3] != b"\xef\xbb\xbf"
    html = files["html_table_gbk_xls"].read_bytes()
    assert b'<meta charset="gbk">' in html and "学号".encode("gbk") in html
    html = files["html_table_utf8_xls"].read_text("utf-8")
    assert "charset=utf-8" in html and "rowspan=" in html and "colspan=" in html
    xml = files["spreadsheetml_xml_xls"].read_text("utf-8")
    assert 'xmlns="urn:schemas-microsoft-com:office:spreadsheet"' in xml
    assert all(w in xml for w in ("ss:MergeAcross=", "ss:MergeDown=", '<Cell ss:Index="',
                                  '<Row ss:Index="'))


def test_files_that_are_not_sheets(files):
    assert files["pdf_named_xlsx"].read_bytes().startswith(b"%PDF-")
    assert "word/document.xml" in zipfile.ZipFile(files["docx_named_xlsx"]).namelist()
    assert files["zero_bytes_xlsx"].stat().st_size == 0
    assert zipfile.is_zipfile(files["xlsx_named_xls"])
    assert files["xls_named_xlsx"].read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")


def test_percent_and_date_cells(files):
    c = BY_NAME["percent_formatted_column_xlsx"]
    ws = openpyxl.load_workbook(files[c.name])["成绩"]
    col = c.refusal.columns[0]
    values = [ws[f"{col}{p.row}"] for p in c.truth.pupils]
    assert all(v.number_format == "0.0%" and 0 <= v.value <= 1 for v in values)
    c = BY_NAME["date_cells_in_scores_xlsx"]
    ws = openpyxl.load_workbook(files[c.name])["成绩"]
    assert all(ws[ref].is_date for ref in c.refusal.cells)


# --------------------------------------------------------------------------------------------
# every pupil is on the row the truth says
# --------------------------------------------------------------------------------------------
class _HtmlRows(HTMLParser):
    """The text of each <tr> of an HTML table (Excel opens each <tr> as one row)."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])

    def handle_data(self, data):
        if self.rows and data.strip():
            self.rows[-1].append(data.strip())


def _spreadsheetml_rows(path):
    """Rows of an Excel 2003 XML sheet, placed by ``ss:Index`` as Excel places them."""
    ns = {"ss": "urn:schemas-microsoft-com:office:spreadsheet"}
    rows, number = {}, 0
    for row in ElementTree.parse(path).getroot().iterfind(".//ss:Row", ns):
        number = int(row.get(f"{{{ns['ss']}}}Index", number + 1))
        rows[number] = [d.text for d in row.iterfind(".//ss:Data", ns)]
    return [rows.get(i, []) for i in range(1, max(rows) + 1)]


def _rows(path, fmt, sheet):
    if fmt.startswith("html"):
        parser = _HtmlRows()
        raw = path.read_bytes()
        parser.feed(raw.decode("gbk" if b"charset=\"gbk\"" in raw else "utf-8"))
        return parser.rows
    if fmt.startswith("SpreadsheetML"):
        return _spreadsheetml_rows(path)
    if fmt.startswith("xlsx"):  # from bytes: openpyxl refuses an .xlsx named .xls
        ws = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True)[sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]
    if fmt.startswith("xls"):
        s = xlrd.open_workbook(file_contents=path.read_bytes()).sheet_by_name(sheet)
        return [s.row_values(i) for i in range(s.nrows)]
    encoding = {"csv gbk": "gbk", "csv gb18030 with BOM": "gb18030",
                "tab-separated gbk named .xls": "gbk",
                "utf-16 tab text (Excel Unicode text)": "utf-16"}.get(fmt, "utf-8-sig")
    text = path.read_bytes().decode(encoding).lstrip("\ufeff")
    delimiter = "\t" if "tab" in fmt else ","
    return [line.split(delimiter) for line in text.split("\r\n")]


@pytest.mark.parametrize("case", [c for c in CASES if c.truth is not None],
                         ids=lambda c: c.name)
def test_each_pupil_is_on_his_excel_row(case, files):
    names = {p.sheet for p in case.truth.pupils}
    sheets = {s: _rows(files[case.name], case.format, s) for s in names}
    for p in case.truth.pupils:
        rows = sheets[p.sheet]
        text = "".join("" if v is None else str(v) for v in rows[p.row - 1]).replace(" ", "")
        assert p.name in text, (case.name, p.name, p.row, rows[p.row - 1])


_MARKERS = {"缺考": "absent", "缺": "absent", "Q": "absent", "缺考，不计排名": "absent",
            "请假": "excused", "免考": "excused", "转学": "transferred", "作弊": "cheated"}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


@pytest.mark.parametrize("name", ["everyday_cells_xlsx", "everyday_cells_xls"])
def test_everyday_cells_say_what_the_truth_says(name, files):
    """Read the mixed cells back by hand: every score and marker is the truth's."""
    c = BY_NAME[name]
    rows = _rows(files[name], c.format, "成绩")
    header = [str(v).strip() if v is not None else "" for v in rows[1]]
    seen = Counter()
    for p in c.truth.pupils:
        for subject, result in p.results.items():
            cell = rows[p.row - 1][header.index(subject)]
            text = "" if cell in (None, "") else str(cell).strip().translate(_FULLWIDTH)
            if result.status == "sat":
                assert float(text.removesuffix("分")) == result.score, (p, subject, cell)
            elif result.status == "excluded":
                assert text == f"{result.score:g}，剔除"
            else:
                assert _MARKERS.get(text, "absent" if text == "" else None) == result.status
            seen[result.status] += 1
    assert {"sat", "absent", "excused", "transferred", "cheated", "excluded"} <= set(seen)
    assert any(p.results["数学"].score == 0 for p in c.truth.pupils)


# --------------------------------------------------------------------------------------------
# the judge
# --------------------------------------------------------------------------------------------
def _truth():
    def pupil(cls, sid, **results):
        return Pupil("甲校", cls, sid, f"学生{sid}", results, row=int(sid) + 2, sheet="成绩")
    return Truth([
        pupil("5-1", "1", 语文=Result("sat", 80.0), 音乐=Result("sat", None, "优秀")),
        pupil("5-1", "2", 语文=Result("sat", 91.5), 音乐=Result("sat", None, "良好")),
        pupil("5-1", "3", 语文=Result("absent"), 音乐=Result("sat", None, "优秀")),
        pupil("5-2", "4", 语文=Result("excluded", 36.0), 音乐=Result("excused")),
        pupil("5-2", "5", 语文=Result("sat", 0.0), 音乐=Result("sat", None, "合格")),
    ], {"语文": 120.0, "音乐": 100.0})


def _as_imported(truth):
    """The table a correct import of ``truth`` returns (built here, independently of the kit)."""
    rows = []
    for p in truth.pupils:
        for s, r in p.results.items():
            rows.append({"student_id": p.student_id, "name": p.name, "school": p.school,
                         "class_id": p.class_id, "subject": s,
                         "score": math.nan if r.status != "sat" or r.score is None else r.score,
                         "status": r.status, "full_mark": truth.full_marks[s], "level": r.level,
                         "source_row": p.row, "source_sheet": p.sheet})
    return pd.DataFrame(rows)


def test_truth_statistics_by_hand():
    stats = truth_stats(_truth())
    chinese_1 = stats[("甲校", "5-1", "语文")]
    assert (chinese_1.n_sat, chinese_1.mean) == (2, (80 + 91.5) / 2)
    assert chinese_1.statuses == Counter(sat=2, absent=1) and chinese_1.full_marks == {120.0}
    chinese_2 = stats[("甲校", "5-2", "语文")]
    assert (chinese_2.n_sat, chinese_2.mean) == (1, 0.0)  # a real 0 counts; 剔除 does not
    music_1 = stats[("甲校", "5-1", "音乐")]
    assert music_1.levels == Counter(优秀=2, 良好=1) and math.isnan(music_1.mean)
    assert music_1.full_marks == frozenset()  # level-graded: no full mark compared
    assert stats[("甲校", "5-2", "音乐")].statuses == Counter(excused=1, sat=1)


def test_data_statistics_agree_with_truth_statistics_on_a_correct_table():
    truth = _truth()
    expected = truth_stats(truth)
    levelled = {k for k, s in expected.items() if not s.full_marks}
    got = data_stats(_as_imported(truth), "student_id", levelled)
    assert got.keys() == expected.keys()
    assert all(group_differences(str(k), expected[k], got[k]) == [] for k in expected)
    assert compare(truth, _as_imported(truth)) == []


@pytest.mark.parametrize("change, expected", [
    (lambda d: d.assign(class_id=d["class_id"].where(d["student_id"] != "2", "5-2")),
     "pupils differ"),
    (lambda d: d.assign(score=d["score"].where(d["score"] != 91.5, 91.0)), "mean expected"),
    (lambda d: d.assign(status=d["status"].where(d["status"] != "absent", "excused")), "statuses"),
    (lambda d: d.assign(level=d["level"].where(d["level"] != "良好", "优秀")), "levels"),
    (lambda d: d.assign(full_mark=100.0), "full_mark"),
    (lambda d: d[d["student_id"] != "3"], "pupils differ"),
    (lambda d: pd.concat([d, d.head(1)]), "share a pupil and subject"),
    (lambda d: d.assign(source_row=d["source_row"] + 1), "source_row"),
    (lambda d: d.assign(name=d["name"].str.replace("学生1", "平均分")), "names"),
    (lambda d: d.assign(source_sheet="Sheet1"), "source_sheet"),
])
def test_compare_finds_each_kind_of_wrong_table(change, expected):
    truth = _truth()
    differences = compare(truth, change(_as_imported(truth)))
    assert any(expected in d for d in differences), differences


def test_a_refusal_must_name_the_file_sheet_and_cells():
    spec = Refusal(sheet="成绩", cells=("E7",), columns=("F",))
    clear = "文件 a.xlsx，工作表「成绩」，第 7 行，E 列「数学」：#N/A；F 列全部小于 1。请改为分数。"
    assert refusal_gaps(spec, "a.xlsx", clear) == []
    assert len(refusal_gaps(spec, "a.xlsx", "文件 a.xlsx 有错误，请检查。")) == 3
    assert refusal_gaps(Refusal(), "a.xlsx", "cannot open a.xlsx") == [
        "the message is not in Chinese", "the message does not say how to fix the file"]
