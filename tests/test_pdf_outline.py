"""Bookmarks of a page printed untagged (report.pdf_outline): the headings marked in a copy of
the page without moving anything, the outline appended to the PDF as an incremental update,
and — printed by Chromium both ways — the same pages, text and bookmarks as Chromium's own."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qualitykit.report.browser import Browser
from qualitykit.report.pdf_outline import (ANCHOR, Heading, MarkedPage, OutlineCopies,
                                           OutlineError, add_outline, mark_headings)
from qualitykit.report.print_queue import PrintQueue
from qualitykit.report.runner import find_browser

pypdf = pytest.importorskip("pypdf")
needs_browser = pytest.mark.skipif(
    not find_browser() or not shutil.which("pdftoppm") or not shutil.which("pdftotext"),
    reason="needs Chromium and poppler-utils")

STYLE = "<style>@page { size: A4; margin: 16mm 13mm 18mm 10mm; }</style>"


def outline(pdf) -> list[tuple[int, str, int, float, float]]:
    """(depth, title, page index, left, top) of every bookmark, in reading order (pypdf)."""
    reader = pypdf.PdfReader(pdf, strict=True)
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item),
                              float(item.left), float(item.top)))

    walk(reader.outline, 0)
    return found


# --- marking the headings ------------------------------------------------------------------

def test_headings_are_read_with_their_levels_and_text_and_the_margins_in_points():
    page = mark_headings(f"<html lang='zh-CN'><head>{STYLE}</head><body><h1 class='t'>"
                         "甲校 &lt;通报&gt;</h1><p>x</p><h3>一、<b>结论</b>\n  续</h3>"
                         "<H2>二、分数段</H2></body></html>")
    assert [(h.level, h.title) for h in page.headings] == [
        (1, "甲校 <通报>"), (3, "一、结论 续"), (2, "二、分数段")]
    assert [h.anchor for h in page.headings] == [f"{ANCHOR}{i}" for i in (1, 2, 3)]
    # 16 mm = 45.354 pt (72 / 25.4 pt per mm), 13 mm = 36.850 pt, 10 mm = 28.346 pt
    assert page.margins == pytest.approx((45.354, 36.850, 51.024, 28.346), abs=1e-3)
    assert page.lang == "zh-CN"
    # the heading keeps its attributes; the links sit inside the first heading, before its text
    assert "<h1 id='qk-outline-1' class='t'><a href='#qk-outline-1'></a>" in page.text
    assert page.text.count("<a href='#qk-outline-") == 4  # 3 headings and the right edge
    assert page.text.endswith("<H2 id='qk-outline-3'>二、分数段</H2></body></html>")


@pytest.mark.parametrize("text", [
    "<body><h1>无边距</h1></body>",                                     # no @page margins
    f"{STYLE}<h1>无 body 结尾</h1>",                                      # no </body>
    f"{STYLE}<body><h1>甲</h1><h2 id='own'>有自己的 id</h2></body>",      # an id of its own
])
def test_a_page_that_cannot_be_marked_is_none(text):
    assert mark_headings(text) is None


def test_a_page_without_headings_is_marked_unchanged():
    page = mark_headings(f"{STYLE}<body><p>只有正文</p></body>")
    assert page.headings == () and page.text == f"{STYLE}<body><p>只有正文</p></body>"


def test_the_copy_keeps_the_pages_folder_for_relative_paths(tmp_path):
    html = tmp_path / "甲校.html"
    html.write_text(f"<html><head>{STYLE}</head><body><h1>甲</h1>"
                    "<img src='chart.png'></body></html>", encoding="utf-8")
    copies = OutlineCopies()
    copy, page = copies.page(html)
    assert copy.parent != tmp_path and f"<base href='{tmp_path.as_uri()}/'>" in copy.read_text(
        encoding="utf-8")
    assert [h.title for h in page.headings] == ["甲"]
    copies.close()
    assert not copy.exists()


# --- the outline appended to a PDF ---------------------------------------------------------

def skia_like_pdf(dests: dict[str, tuple[int, float, float]], pages: int = 3) -> bytes:
    """A PDF laid out as Chromium (Skia) writes one: objects, one table, a trailer; the
    catalog names the anchors' destinations (page index, x, y)."""
    objects = {1: b"<</Producer (Skia/PDF m156)>>"}
    page_numbers = [10 + i for i in range(pages)]
    for number in page_numbers:
        objects[number] = (b"<</Type /Page\n/Parent 5 0 R\n/MediaBox [0 0 594.95996 841.91998]"
                           b">>")
    objects[4] = b"<</Type /Pages\n/Count %d\n/Kids [5 0 R]>>" % pages
    objects[5] = (b"<</Type /Pages\n/Count %d\n/Parent 4 0 R\n/Kids [" % pages
                  + b" ".join(b"%d 0 R" % n for n in page_numbers) + b"]>>")
    objects[6] = b"<<" + b"\n".join(b"/%s [%d 0 R /XYZ %g %g 0]" % (
        name.encode(), page_numbers[p], x, y) for name, (p, x, y) in dests.items()) + b">>"
    objects[7] = (b"<</Type /Catalog\n/Pages 4 0 R\n/Dests 6 0 R\n/ViewerPreferences "
                  b"<</Type /ViewerPreferences\n/DisplayDocTitle true>>>>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    where = {}
    for number in sorted(objects):
        where[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % where[number]) if number in where else \
            b"0000000000 65535 f \n"
    out += b"trailer\n<</Size %d\n/Root 7 0 R\n/Info 1 0 R>>\nstartxref\n%d\n%%%%EOF" % (
        size, table)
    return bytes(out)


def marked(*levels_titles, margins=(45.0, 36.0, 50.0, 30.0)) -> MarkedPage:
    headings = tuple(Heading(level, title, f"{ANCHOR}{i + 1}")
                     for i, (level, title) in enumerate(levels_titles))
    return MarkedPage("", headings, margins, "zh-CN")


def test_the_outline_nests_by_level_and_points_at_each_headings_page_and_place(tmp_path):
    page = marked((1, "联考分析"), (2, "一、主要结论"), (3, "（一）总分"), (2, "二、分数段"),
                  (1, "附录"), (3, "方法"))
    # content 594.96 - 36 - 30 = 528.96 pt wide; laid out 1.5 × as wide (shrink to fit)
    dests = {f"{ANCHOR}1": (0, 0, 841.92), f"{ANCHOR}2": (0, 0, 801.92),
             f"{ANCHOR}3": (1, 15, 841.92), f"{ANCHOR}4": (1, 0, 441.92),
             f"{ANCHOR}5": (2, 0, 541.92), f"{ANCHOR}6": (2, 0, 500),
             f"{ANCHOR}edge": (0, 793.44, 841.92)}
    pdf = tmp_path / "a.pdf"
    original = skia_like_pdf(dests)
    pdf.write_bytes(original)
    assert add_outline(pdf, page) == 6
    assert pdf.read_bytes().startswith(original)  # an incremental update: the print kept whole
    found = outline(pdf)
    assert [(d, t, p) for d, t, p, _, _ in found] == [
        (0, "联考分析", 0), (1, "一、主要结论", 0), (2, "（一）总分", 1), (1, "二、分数段", 1),
        (0, "附录", 2), (1, "方法", 2)]  # an <h3> right after an <h1> goes under it
    # place = margin + scale × (place before the margins), scale = 528.96 / 793.44 = 2 / 3;
    # y from the top: 45 + 2/3 × (841.92 - y)
    assert [(round(x, 2), round(y, 2)) for *_, x, y in found] == [
        (30.0, 796.92), (30.0, 770.25), (40.0, 796.92), (30.0, 530.25), (30.0, 596.92),
        (30.0, 568.97)]
    reader = pypdf.PdfReader(pdf, strict=True)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN" and "/Dests" not in root  # the anchors' names dropped
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])  # the rest of it kept
    assert root["/Outlines"]["/Count"] == 6
    assert root["/Outlines"]["/First"]["/Count"] == 3  # 联考分析: 3 items below it, open


def test_bookmarks_given_otherwise_are_made_as_given_and_can_be_shown_on_opening(tmp_path):
    from dataclasses import replace

    # two groups at the places of the page's own headings (one anchor, two bookmarks)
    page = replace(marked((1, "甲班"), (1, "乙班")), show_outline=True, headings=(
        Heading(1, "班级", f"{ANCHOR}1"), Heading(2, "甲班", f"{ANCHOR}1"),
        Heading(2, "乙班", f"{ANCHOR}2")))
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(skia_like_pdf({f"{ANCHOR}1": (0, 0, 841.92), f"{ANCHOR}2": (1, 0, 841.92)}))
    assert add_outline(pdf, page) == 3
    assert [(d, t, p) for d, t, p, _, _ in outline(pdf)] == [(0, "班级", 0), (1, "甲班", 0),
                                                             (1, "乙班", 1)]
    assert pypdf.PdfReader(pdf, strict=True).page_mode == "/UseOutlines"
    plain = tmp_path / "b.pdf"  # by default the reader opens as the browser printed it
    plain.write_bytes(skia_like_pdf({f"{ANCHOR}1": (0, 0, 841.92)}))
    add_outline(plain, marked((1, "甲班")))
    assert pypdf.PdfReader(plain, strict=True).page_mode is None


def test_a_heading_the_browser_did_not_place_has_no_bookmark(tmp_path):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(skia_like_pdf({f"{ANCHOR}1": (0, 0, 841.92)}, pages=1))
    assert add_outline(pdf, marked((1, "甲"), (2, "未显示"))) == 1
    assert [t for _, t, *_ in outline(pdf)] == ["甲"]


@pytest.mark.parametrize("damage", [
    lambda pdf: pdf.replace(b"/Info 1 0 R>>", b"/Info 1 0 R /Prev 9>>"),  # updated already
    lambda pdf: pdf[:-40],                                                  # cut short
    lambda pdf: pdf.replace(b"/Pages 4 0 R", b"/Pages 99 0 R"),           # no page tree
])
def test_a_pdf_not_as_chromium_writes_it_is_refused_and_left_unchanged(tmp_path, damage):
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(damage(skia_like_pdf({f"{ANCHOR}1": (0, 0, 841.92)}, pages=1)))
    before = pdf.read_bytes()
    with pytest.raises(OutlineError):
        add_outline(pdf, marked((1, "甲")))
    assert pdf.read_bytes() == before


# --- printed by Chromium, both ways ------------------------------------------------------

def kit_report(folder: Path) -> Path:
    """A report page as the kit writes them (nbconvert, the report's CSS): three levels of
    headings, a table long enough to run over pages and one wide enough to be shrunk."""
    import nbformat

    from qualitykit.report.runner import notebook_to_html

    long = "| 学校 | 平均分 |\n|---|---|\n" + "".join(f"| 第{i}中学 | {60 + i % 30}.5 |\n"
                                                     for i in range(90))
    wide = "| " + " | ".join(f"第{i}中学各科平均分" for i in range(14)) + " |\n|" + "---|" * 14
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) for text in (
        "# 联考分析", "## 一、主要结论\n\n总分高于区域的学校：无。", "### （一）各校", long,
        "## 二、分数段", wide, "## 附录：方法\n\n检验明细。")]
    nbformat.write(nb, str(folder / "report.ipynb"))
    return notebook_to_html(folder / "report.ipynb", folder / "report.html", title="联考分析")


def district_feedback(folder: Path) -> Path:
    """A school's 通报反馈 of the bundled 联考 as ``qualitykit district`` writes it."""
    from qualitykit.district.analysis import analyse_district
    from qualitykit.district.load import load_district
    from qualitykit.district.report import write_feedback

    data = load_district()
    return write_feedback(folder, data, analyse_district(data), data.schools[0],
                          formats=("html",))["html"]


def pixels(pdf: Path) -> list[bytes]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(prefix)], check=True)
    return [p.read_bytes() for p in sorted(pdf.parent.glob(f"{prefix.name}-*.png"))]


def text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


@needs_browser
@pytest.mark.parametrize("make", [kit_report, district_feedback])
def test_printed_untagged_the_pdf_reads_looks_and_is_bookmarked_as_chromiums(tmp_path, make):
    page = make(tmp_path)
    tagged, own = tmp_path / "tagged.pdf", tmp_path / "own.pdf"
    with Browser(find_browser()) as browser:
        browser.print_page(browser.new_tab(), page, tagged)  # Chromium's own bookmarks
        queue = PrintQueue(browser, own_outline=True, cut_fonts=True)
        queue.add(page, own)
        assert queue.finish() == {}
    assert b"/StructTreeRoot" in tagged.read_bytes() and b"/StructTreeRoot" not in \
        own.read_bytes()  # printed untagged indeed
    assert pixels(own) == pixels(tagged)  # every pixel of every page, at 60 dpi
    assert text(own) == text(tagged)
    ours, chromiums = outline(own), outline(tagged)
    assert [o[:3] for o in ours] == [o[:3] for o in chromiums] and len(ours) >= 1
    for o, c in zip(ours, chromiums):
        # the top of the heading's box, Chromium's the top of its first letter (below the
        # half-leading: 4.5 pt of an 18 pt <h1> at line-height 1.5): the view that opens
        # shows the heading either way
        assert 0 <= o[4] - c[4] <= 6, (o, c)
    assert len(pypdf.PdfReader(own).pages) == len(pypdf.PdfReader(tagged).pages)
    assert own.stat().st_size < tagged.stat().st_size


@needs_browser
def test_a_page_whose_outline_cannot_be_added_is_printed_tagged(tmp_path, monkeypatch):
    from qualitykit.report import print_queue

    def refuse(pdf, page):
        raise OutlineError("not as expected")

    monkeypatch.setattr(print_queue, "add_outline", refuse)
    page = kit_report(tmp_path)
    with Browser(find_browser()) as browser:
        queue = PrintQueue(browser, own_outline=True)
        queue.add(page, tmp_path / "a.pdf")
        assert queue.finish() == {}
    assert b"/StructTreeRoot" in (tmp_path / "a.pdf").read_bytes()
    assert [t for _, t, *_ in outline(tmp_path / "a.pdf")][:2] == ["联考分析", "一、主要结论"]
    assert re.search(r"附录", text(tmp_path / "a.pdf"))
