"""The print queue of a district run: a few pages at a time in the kept browser, each tab
showing page after page, pages printed as soon as they are written, a page that fails printed
another way; each page printed with its Chinese font cut to its characters, the same PDF."""

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from qualitykit.report import runner
from qualitykit.report.browser import Browser, BrowserError
from qualitykit.report.print_fonts import ALWAYS, PageFonts, page_characters
from qualitykit.report.print_queue import PrintQueue, write_whole_text
from qualitykit.report.runner import find_browser, print_pdfs

needs_browser = pytest.mark.skipif(not find_browser() or not shutil.which("pdftotext"),
                                   reason="needs Chromium and poppler-utils")

PAGE = """<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{name}</title>
<style>@page {{ size: A4; margin: 15mm; @bottom-center {{ content: "第 " counter(page) " 页"; }} }}
.p {{ break-after: page; }}</style></head><body>
<h1>{name}通报反馈</h1><div class='p'>本校参考 {n} 人</div><p>临界生 {n} 人</p></body></html>"""


def text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def page_count(pdf) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def school_pages(folder: Path, n: int) -> dict:
    pages = {}
    for i in range(n):
        html = folder / f"第{i + 1}中学.html"
        html.write_text(PAGE.format(name=f"第{i + 1}中学", n=100 + i), encoding="utf-8")
        pages[html] = html.with_suffix(".pdf")
    return pages


@needs_browser
def test_five_pages_two_tabs_give_five_pdfs_each_its_own_page(tmp_path):
    pages = school_pages(tmp_path, 5)
    with Browser(find_browser()) as browser:
        queue = PrintQueue(browser, tabs=2, cut_fonts=True)  # no local font: printed as written
        for html, pdf in pages.items():
            queue.add(html, pdf)
        queue.add(next(iter(pages)), tmp_path / "again.pdf")  # a page added twice: printed once
        assert queue.finish() == {}
        assert browser._tabs == {}  # every tab closed
    for i, pdf in enumerate(pages.values()):
        said = text(pdf)  # a reused tab printed this page, not the one it showed before
        assert f"第{i + 1}中学通报反馈" in said and f"本校参考 {100 + i} 人" in said
        assert page_count(pdf) == 2
    assert not (tmp_path / "again.pdf").exists()


@needs_browser
def test_watched_pages_are_printed_as_they_are_written_and_finish_waits(tmp_path):
    pages = school_pages(tmp_path, 3)
    stale = next(iter(pages))  # left by an earlier run: not taken for this run's page
    for html in list(pages)[1:]:
        html.unlink()
    old = time.time() - 3600
    import os

    os.utime(stale, (old, old))
    with Browser(find_browser()) as browser:
        queue = PrintQueue(browser)
        queue.watch(pages)
        for i, html in enumerate(list(pages)[1:], start=2):
            write_whole_text(html, PAGE.format(name=f"第{i}中学", n=100 + i - 1))
        deadline = time.monotonic() + 120
        while not all(p.exists() for p in list(pages.values())[1:]) and \
                time.monotonic() < deadline:  # printed before finish() is called
            time.sleep(0.1)
        assert all(p.exists() for p in list(pages.values())[1:])
        assert not pages[stale].exists()
        write_whole_text(stale, PAGE.format(name="第1中学", n=100))  # written just before the end
        assert queue.finish() == {}
    assert "第1中学通报反馈" in text(pages[stale])  # waited for
    assert not list(tmp_path.glob("*.part"))


class FailingBrowser:
    """Prints a stand-in PDF for every page but one, for which it fails as a browser can."""

    def __init__(self, fails: str):
        self.fails, self.tabs, self.closed = fails, 0, 0

    def new_tab(self) -> str:
        self.tabs += 1
        return f"tab-{self.tabs}"

    def print_page(self, tab, html, pdf):
        if not Path(html).exists():
            raise FileNotFoundError(html)
        if Path(html).stem.endswith(self.fails):
            raise BrowserError("浏览器没有回应 (browser timeout)")
        Path(pdf).write_text(f"printed by {tab}")

    def close_tab(self, tab):
        self.closed += 1


def test_a_page_the_browser_fails_is_printed_alone_the_one_shot_way(tmp_path, monkeypatch):
    pages = school_pages(tmp_path, 4)
    one_shot = []
    monkeypatch.setattr(runner, "html_to_pdf", lambda html, pdf, engine=None: (
        one_shot.append(Path(html).name) or Path(pdf).write_text("one shot"), "chromium"))
    browser = FailingBrowser(fails="第3中学")
    assert print_pdfs(pages, "chromium", browser) == "chromium"
    assert one_shot == ["第3中学.html"]  # the others were printed by the browser
    assert [p.read_text()[:7] for p in pages.values()] == ["printed"] * 2 + ["one sho"] + \
        ["printed"]
    assert browser.closed == browser.tabs  # the failed page's tab closed too, a new one used


def test_a_missing_page_is_an_error_and_no_tab_count_below_one(tmp_path):
    browser = FailingBrowser(fails="none")
    with pytest.raises(FileNotFoundError):
        print_pdfs({tmp_path / "none.html": tmp_path / "none.pdf"}, "chromium", browser)
    with pytest.raises(ValueError, match="tabs"):
        PrintQueue(browser, tabs=0)


# --- the font cut to the page's characters ------------------------------------------------

def kit_page(folder: Path, name: str, body: str) -> Path:
    """A page as the kit writes them: its CSS names the kit's Chinese font as a file."""
    import nbformat

    from qualitykit.report.runner import notebook_to_html

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(body)]
    executed = folder / f"{name}.ipynb"
    nbformat.write(nb, str(executed))
    return notebook_to_html(executed, folder / name, title="通报反馈")


def font_characters(path: Path) -> set[str]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path)) as font:
        return {chr(c) for c in font.getBestCmap()}


def test_the_copy_names_a_subset_holding_every_character_of_the_page(tmp_path):
    from qualitykit.report.fonts import cjk_font

    page = kit_page(tmp_path, "甲.html", "## 第一中学\n\n及格率 72.1%，优秀率 &#x5b66;")
    fonts = PageFonts()
    try:
        copy = fonts.page(page)
        assert copy != page and cjk_font()[1].as_uri() not in copy.read_text(encoding="utf-8")
        subset = next(copy.parent.glob("font-*"))
        needed = page_characters(page.read_text(encoding="utf-8")) & font_characters(
            cjk_font()[1])
        assert needed <= font_characters(subset)  # 学 from its entity too
        assert {"学", "第", "率"} <= font_characters(subset)
        assert len(font_characters(subset)) < 1000  # not the 30,000 of the whole font
        assert f"<base href='{tmp_path.as_uri()}/'>" in copy.read_text(encoding="utf-8")
        again = fonts.page(kit_page(tmp_path, "乙.html", "## 第一中学\n\n及格率"))
        assert len(list(copy.parent.glob("font-*"))) == 1  # covered: the same subset
        fonts.page(kit_page(tmp_path, "丙.html", "## 城东实验中学"))
        assert len(list(copy.parent.glob("font-*"))) == 2  # new characters: a new subset
        assert again.exists()
    finally:
        fonts.close()
    assert not copy.parent.exists()


def test_a_page_without_a_font_file_is_printed_as_written(tmp_path):
    plain = tmp_path / "plain.html"
    plain.write_text("<html><head><title>x</title></head><body>甲</body></html>",
                     encoding="utf-8")
    assert PageFonts().page(plain) == plain
    assert ALWAYS >= set("第 1 页 / 共 3 页".replace("第", "").replace("页", "")
                         .replace("共", ""))


@needs_browser
def test_a_page_printed_with_the_cut_font_looks_the_same(tmp_path):
    """Rendered to PNG (poppler), every pixel of the page printed with the subset equals the
    one printed with the whole font, and the text reads the same."""
    if not shutil.which("pdftoppm"):
        pytest.skip("needs pdftoppm")
    page = kit_page(tmp_path, "甲.html", "## 第一中学 通报反馈\n\n**及格率** 72.1%，"
                    "低于区域（差 -3.5 分）。\n\n| 班级 | 均分 |\n|---|---|\n| 5-2 | 88.5 |")
    whole, cut = tmp_path / "whole.pdf", tmp_path / "cut.pdf"
    with Browser(find_browser()) as browser:
        tab = browser.new_tab()
        browser.print_page(tab, page, whole)
        fonts = PageFonts()
        browser.print_page(tab, fonts.page(page), cut)
        fonts.close()
    assert text(cut) == text(whole) and "及格率" in text(cut)
    for pdf in (whole, cut):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / pdf.stem)],
                       check=True)
    from PIL import Image, ImageChops

    a, b = (Image.open(next(tmp_path.glob(f"{s}-*.png"))).convert("RGB") for s in ("whole",
                                                                                     "cut"))
    assert ImageChops.difference(a, b).getbbox() is None


def test_a_cancelled_queue_prints_no_more_pages(tmp_path):
    class Slow(FailingBrowser):
        def print_page(self, tab, html, pdf):
            time.sleep(0.2)
            super().print_page(tab, html, pdf)

    pages = school_pages(tmp_path, 20)
    queue = PrintQueue(Slow(fails="none"), tabs=1)
    for html, pdf in pages.items():
        queue.add(html, pdf)
    queue.cancel()
    printed = [pdf for pdf in pages.values() if pdf.exists()]
    assert len(printed) <= 2  # the page in flight (one tab), not the 18 or more waiting
