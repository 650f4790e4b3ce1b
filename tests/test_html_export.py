"""The report's HTML page: nbconvert's ``basic`` template, without nbconvert's second pass over
the page (BeautifulSoup, only for ``alt`` and ``tabindex``), and the same page otherwise."""

import nbformat
import pytest

from qualitykit.report.runner import _exporter, _html_page, _with_alt


def _notebook():
    nb = nbformat.v4.new_notebook()
    png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII="
    table = {"text/html": "<table><tr><th>班级</th></tr><tr><td>5-1 &amp; 5-2</td></tr></table>",
             "text/plain": "班级"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("## 一、主要结论\n\n1．**数学** 与年级无明显差别 > 引用"),
        nbformat.v4.new_code_cell("qk.show(x)", outputs=[
            nbformat.v4.new_output("display_data", data=table),
            nbformat.v4.new_output("display_data", data={"image/png": png, "text/plain": "<Fig>"}),
            nbformat.v4.new_output("stream", name="stdout", text="文字 <b>\n")]),
    ]
    return nb


def test_the_page_is_nbconvert_s_own_page_without_its_second_pass():
    bs4 = pytest.importorskip("bs4")
    from nbconvert import HTMLExporter

    nb = _notebook()
    theirs, _ = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                             exclude_output_prompt=True,
                             exclude_anchor_links=True).from_notebook_node(nb)
    ours, _ = _exporter().from_notebook_node(nb)

    def parsed(page):  # both through the same parser, nbconvert's English alt and tabindex out
        page = str(bs4.BeautifulSoup(page, features="html.parser"))
        return page.replace(' tabindex="0"', "").replace(
            'alt="No description has been provided for this image"', 'alt="图表"')

    assert parsed(ours) == parsed(theirs)
    assert 'alt="图表"' in ours and "No description" not in ours


def test_the_exporter_is_made_once_and_the_page_has_the_report_s_css():
    assert _exporter() is _exporter()
    page = _html_page(_notebook(), "青禾实验小学 期末")
    assert page.startswith("<!DOCTYPE html>") and "@font-face" in page
    assert "一、主要结论" in page and "qk.show" not in page  # the code is hidden
    assert page.count("<img") == page.count('alt="图表"') == 1


@pytest.mark.parametrize("tag, expected", [
    ('<img src="a.png">', '<img alt="图表" src="a.png">'),
    ('<img alt="已有" src="a.png">', '<img alt="已有" src="a.png">'),
    ('<img\nsrc="a.png"\nalt="">', '<img\nsrc="a.png"\nalt="">'),
    ("<image src='x'>", "<image src='x'>"),
])
def test_alt_text_only_where_an_image_has_none(tag, expected):
    assert _with_alt(tag) == expected
