"""The browser kept open during a report: it prints several pages at once, each the same PDF
as the one-shot ``--print-to-pdf`` command gives, and when it cannot print the pages are
printed one by one instead."""

import shutil
import subprocess

import pytest

from qualitykit.report.browser import Browser, BrowserError
from qualitykit.report.runner import find_browser, html_to_pdf, print_pdfs

pytestmark = pytest.mark.skipif(not find_browser() or not shutil.which("pdftotext"),
                                reason="needs Chromium and poppler-utils")

PAGE = """<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{title}</title>
<style>@page {{ size: A4; margin: 15mm; @bottom-center {{ content: "第 " counter(page) " 页"; }} }}
.p {{ break-after: page; }}</style></head><body>
<h1>{title}</h1><div class='p'>五（3）班数学及格率 72.1%</div><h1>第二页</h1><p>临界生 12 人</p>
</body></html>"""


def text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def pages(pdf) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


@pytest.fixture
def html_files(tmp_path):
    files = {}
    for title in ("质量分析报告", "班级质量分析单"):
        path = tmp_path / f"{title}.html"
        path.write_text(PAGE.format(title=title), encoding="utf-8")
        files[path] = tmp_path / f"{title}.pdf"
    return files


def test_two_pages_at_once_print_as_the_one_shot_command_prints_them(html_files, tmp_path):
    with Browser(find_browser()) as browser:
        browser.print_pdfs(html_files)
        process = browser._process
    assert process.poll() is not None  # closed with the block, its profile removed
    for html, pdf in html_files.items():
        alone = html_to_pdf(html, tmp_path / f"alone-{pdf.name}", engine="chromium")[0]
        assert pages(pdf) == pages(alone) == 2
        assert text(pdf) == text(alone)
        assert "72.1%" in text(pdf) and "临界生 12 人" in text(pdf)


def test_a_closed_browser_falls_back_to_printing_each_page(html_files):
    browser = Browser(find_browser())
    browser.close()
    with pytest.raises(BrowserError):
        browser.print_pdfs(html_files)
    assert print_pdfs(html_files, "chromium", browser) == "chromium"
    assert all(pages(pdf) == 2 for pdf in html_files.values())


def test_a_missing_page_is_an_error_not_a_printed_error_page(tmp_path):
    with Browser(find_browser()) as browser, pytest.raises(FileNotFoundError):
        browser.print_pdfs({tmp_path / "none.html": tmp_path / "none.pdf"})
    assert not (tmp_path / "none.pdf").exists()
