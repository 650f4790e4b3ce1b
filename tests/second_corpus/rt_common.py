"""Infrastructure for the red-team generator: pupils with truth, class labels, writers."""
from __future__ import annotations

import csv
import io
import random
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import openpyxl
import xlsxwriter
import xlwt
from openpyxl.utils import get_column_letter

NaN = float("nan")
SURN = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
        "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩欣怡子涵梓轩诗琪雨泽思远佳一"
         "博嘉梦瑶俊豪雅婷晨曦睿可馨若彤铭航奕辰语桐沐宸依诺皓")
CN = "零一二三四五六七八九"

# marker written in a cell -> status (None = pupil not enrolled in that subject)
MARK = {"缺考": "absent", "缺": "absent", "Q": "absent", "缺考，不计排名": "absent", "": "absent", None: "absent",
        "请假": "excused", "免考": "excused", "转学": "transferred", "作弊": "cheated", "未扫": "not_scanned",
        "36，剔除": "excluded", "N": None, "-": None}


def cn_num(n: int) -> str:
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n - 10] if n > 10 else "")
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


def grade_word(grade: int, style: str = "std") -> str:
    if grade <= 6:
        return CN[grade]
    if grade <= 9:
        return {"std": "初" + CN[grade - 6], "nianji": CN[grade] + "年级", "num": str(grade)}[style] \
            if style != "std" else "初" + CN[grade - 6]
    return "高" + CN[grade - 9]


def class_label(grade: int, c: int, style: str) -> str:
    g = grade_word(grade)
    return {
        "paren": f"{g}({c})班", "fparen": f"{g}（{c}）班", "dash": f"{grade}-{c}", "num3": f"{grade}{c:02d}",
        "digits": f"{grade}({c})", "cn": f"{g}年级{cn_num(c)}班", "plain": f"{g}{c}班",
        "nianji": f"{CN[grade] if grade < 10 else cn_num(grade)}年级{c}班", "nparen": f"{g}年级（{c}）班",
    }[style]


@dataclass
class Pupil:
    id: str
    name: str
    school: str
    grade: int
    cls: int
    cells: dict = field(default_factory=dict)   # subject -> value as written
    truth: dict = field(default_factory=dict)   # subject -> (score, status, level) or None (not enrolled)

    @property
    def class_id(self):
        return f"{self.grade}-{self.cls}"


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.used = set()

    def name(self, allow_dup=False):
        for _ in range(1000):
            n = self.rng.choice(SURN) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice([1, 2, 2])))
            if allow_dup or n not in self.used:
                self.used.add(n)
                return n
        raise RuntimeError

    def score(self, full, halves=False, mean=0.74, sd=0.14):
        x = self.rng.gauss(mean * full, sd * full)
        x = min(full, max(0, x))
        if halves:
            return round(x * 2) / 2
        return int(round(x))

    def pupils(self, grade, classes, n, subjects, full=None, school="", id_fn=None, markers=(), p_mark=0.0,
               halves=(), n_per=None):
        full = full or {}
        out = []
        for c in classes:
            for k in range((n_per or {}).get(c, n)):
                pid = id_fn(c, k) if id_fn else f"{grade:02d}{c:02d}{k + 1:02d}"
                p = Pupil(pid, self.name(), school, grade, c)
                for s in subjects:
                    if markers and self.rng.random() < p_mark:
                        m = self.rng.choice(markers)
                        p.cells[s] = m
                        st = MARK[m]
                        p.truth[s] = None if st is None else (NaN, st, None)
                    else:
                        v = self.score(full.get(s, 100), s in halves)
                        p.cells[s] = v
                        p.truth[s] = (float(v), "sat", None)
                out.append(p)
        return out


def truth_rows(pupils, subjects=None, exam=None):
    rows = []
    for p in pupils:
        for s, t in p.truth.items():
            if subjects and s not in subjects:
                continue
            if t is None:
                continue
            r = dict(school=p.school, class_id=p.class_id, subject=s, student_id=p.id, name=p.name,
                     score=t[0], status=t[1], level=t[2])
            if exam:
                r["exam"] = exam
            rows.append(r)
    return rows


class Formula:
    """A formula; `value` is the cached result (only xlsxwriter can store it)."""
    def __init__(self, f, value=None):
        self.f, self.value = f, value


class Cell:
    """A value with a number format / fill (openpyxl writer)."""
    def __init__(self, value, fmt=None, fill=None):
        self.value, self.fmt, self.fill = value, fmt, fill


# ---------------------------------------------------------------- writers
def write_xlsx(path, sheets, post=None, r0=0, c0=0):
    """sheets: list of (name, grid). grid: list of rows. post(wb) for styling."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, grid in sheets:
        ws = wb.create_sheet(name)
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v is None:
                    continue
                cell = ws.cell(row=i + 1 + r0, column=j + 1 + c0)
                if isinstance(v, Cell):
                    cell.value = v.value
                    if v.fmt:
                        cell.number_format = v.fmt
                    if v.fill:
                        cell.fill = openpyxl.styles.PatternFill("solid", fgColor=v.fill)
                elif isinstance(v, Formula):
                    cell.value = v.f
                else:
                    cell.value = v
    if post:
        post(wb)
    wb.save(path)


def write_xlsxwriter(path, sheets, post=None):
    wb = xlsxwriter.Workbook(path)
    for name, grid in sheets:
        ws = wb.add_worksheet(name)
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, Formula):
                    ws.write_formula(i, j, v.f, None, v.value)
                elif isinstance(v, str):
                    ws.write_string(i, j, v)
                else:
                    ws.write(i, j, v)
        if post:
            post(wb, ws, name)
    wb.close()


def write_xls(path, sheets, merges=None):
    wb = xlwt.Workbook(encoding="utf-8")
    for name, grid in sheets:
        ws = wb.add_sheet(name)
        mm = (merges or {}).get(name, [])
        covered = set()
        for (r1, c1, r2, c2) in mm:
            v = grid[r1][c1]
            ws.write_merge(r1, r2, c1, c2, v)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    covered.add((r, c))
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v is None or (i, j) in covered:
                    continue
                ws.write(i, j, v)
    wb.save(path)


def write_csv(path, grid, encoding="utf-8", sep=",", bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    for row in grid:
        w.writerow(["" if v is None else v for v in row])
    data = buf.getvalue().encode(encoding)
    if bom:
        data = {"utf-8": b"\xef\xbb\xbf", "gb18030": b"\x84\x31\x95\x33"}[encoding] + data
    with open(path, "wb") as f:
        f.write(data)


def write_html_xls(path, rows_html, title=None):
    """rows_html: list of rows; each row a list of (text, rowspan, colspan)."""
    out = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">',
           '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>',
           '<table border="1">']
    for row in rows_html:
        out.append("<tr>" + "".join(
            f'<td{" rowspan=%d" % rs if rs > 1 else ""}{" colspan=%d" % cs if cs > 1 else ""}>'
            f'{escape(str(t)) if t is not None else ""}</td>' for (t, rs, cs) in row) + "</tr>")
    out.append("</table></body></html>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def write_xml2003(path, sheets):
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
             '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
             'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">']
    for name, grid in sheets:
        parts.append(f'<Worksheet ss:Name="{escape(name)}"><Table>')
        for row in grid:
            parts.append("<Row>")
            for v in row:
                if v is None:
                    parts.append("<Cell/>")
                elif isinstance(v, (int, float)):
                    parts.append(f'<Cell><Data ss:Type="Number">{v}</Data></Cell>')
                else:
                    parts.append(f'<Cell><Data ss:Type="String">{escape(str(v))}</Data></Cell>')
            parts.append("</Row>")
        parts.append("</Table></Worksheet>")
    parts.append("</Workbook>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


def write_ods(path, sheets):
    body = []
    for name, grid in sheets:
        body.append(f'<table:table table:name="{escape(name)}">')
        for row in grid:
            body.append("<table:table-row>")
            for v in row:
                if v is None:
                    body.append("<table:table-cell/>")
                elif isinstance(v, (int, float)):
                    body.append(f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                                f'</table:table-cell>')
                else:
                    body.append(f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
                                f'</table:table-cell>')
            body.append("</table:table-row>")
        body.append("</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet>' + "".join(body) +
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


L = get_column_letter
