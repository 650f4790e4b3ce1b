"""The editable Word report (.docx, from a template a school can change in Word), written with
the workbook of every table beside it (:func:`qualitykit.report.workbooks.write_term_tables`).

The template (``templates/质量分析报告模板.docx``) holds the headings, the title block and the
order of sections as docxtpl tags: ``{{ title }}``, ``{{p summary_table }}`` (a table),
``{{ chart_rates }}`` (a chart), and the evidence lists of 存在问题 / 改进措施, which stay
editable text. :func:`build_template` writes the default template; a school may restyle it or
move sections in Word as long as the tags stay.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from ..paths import TEMPLATES

__all__ = ["write_outputs", "build_template", "build_level_template", "TEMPLATE",
           "LEVEL_TEMPLATE"]

TEMPLATE = TEMPLATES / "质量分析报告模板.docx"
#: The template of the 等级分析 (a sheet whose every subject is graded in levels).
LEVEL_TEMPLATE = TEMPLATE.with_name("等级分析报告模板.docx")
TABLES = {  # context key → (table key given to write_outputs, view, note when missing)
    "basic_table": ("basic", "basic", "（无数据）"),
    "summary_table": ("summary", "summary", "（无数据）"),
    "all_pass_table": ("all_pass", "all_pass", "（无数据）"),
    "bands_table": ("bands", None, "（无数据）"),
    "omnibus_table": ("omnibus", "omnibus", "（无数据）"),
    "classes_table": ("classes", "classes", "（无数据）"),
    "change_table": ("change", "change", "未提供上次考试成绩，本节从略。"),
    "teacher_table": ("teachers", "teachers", "未提供教学编排表，本节从略。"),
    "counts_table": ("counts", "target_counts", "（无数据）"),
    "paper_table": ("paper", "paper", "未提供小题分表，本节从略。"),
    "items_table": ("items", "items", "未提供小题分表，本节从略。"),
    "error_items_table": ("error_items", "error_items", "没有失分率 ≥ 40% 的题目。"),
    "weak_table": ("weak", "knowledge_points", "没有共性弱项。"),
    "va_models_table": ("va_models", "va_models", "未提供上次考试成绩，增值评价从略。"),
    "value_added_table": ("value_added", "value_added", "未提供上次考试成绩，增值评价从略。"),
    "growth_table": ("growth", "growth", "未提供上次考试成绩，成长百分位从略。"),
    "teacher_va_table": ("teacher_va", "value_added", "需要教学编排表和上次考试成绩，本表从略。"),
    "levels_table": ("levels", "levels", ""),
    "level_basic_table": ("level_basic", "level_basic", "（无数据）"),
    "level_omnibus_table": ("level_omnibus", "level_omnibus", "（无数据）"),
    "level_classes_table": ("level_classes", "level_classes", "（无数据）"),
    "level_change_table": ("level_change", "level_change", "未提供上次考试成绩，本节从略。"),
}
CHARTS = ("rates", "means", "bands", "distributions", "teachers", "items", "knowledge",
          "value_added", "levels")
_BODY_FONT = "宋体"


def _east_asian(style, font: str, size_pt: float | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style.font.name = font
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), font)
    if size_pt:
        style.font.size = Pt(size_pt)


def _new_document():
    """An empty A4 document: 宋体/黑体, page numbers in the footer, the title block tags."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin = section.bottom_margin = Mm(20)
    _east_asian(doc.styles["Normal"], _BODY_FONT, 10.5)
    for name, size in (("Title", 18), ("Heading 1", 14), ("Heading 2", 12)):
        _east_asian(doc.styles[name], "黑体", size)
    # footer: 第 N 页
    para = section.footer.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("第 ")
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.text = text
        run._r.append(el)
    para.add_run(" 页")
    doc.add_paragraph("{{ title }}", style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("学校：{{ school }}　　年级：{{ grade }}　　考试：{{ exam }}　　"
                      "分析日期：{{ date }}")
    doc.add_paragraph("成绩来源：{{ source }}　　评价标准：{{ standard }}")
    return doc


_H1, _H2 = "Heading 1", "Heading 2"


def _bullets(name: str) -> tuple:
    """A docxtpl loop writing each item of the list ``name`` as an editable bullet."""
    return (f"{{%p for item in {name} %}}", ("List Bullet", "{{ item }}"), "{%p endfor %}")


def _closing(problems: str, measures: str) -> tuple:
    """存在问题 and 改进措施: the evidence as editable bullets, then room for the 教研组."""
    return ((_H1, problems), *_bullets("problems"), "（在此补充：命题、教学、管理等方面的问题）",
            (_H1, measures), *_bullets("measures"), "（在此填写具体措施、责任人和时间）")


#: The default template below its title block, top to bottom: a string is a paragraph (a
#: docxtpl tag or a caption), ``(style, text)`` a paragraph in that style (headings).
TERM_LAYOUT = (
    (_H1, "一、基本情况"), "{{ basic_text }}", "{{p basic_table }}",
    (_H1, "二、成绩分析"),
    (_H2, "（一）三率一分（班级 × 科目）"), "{{p summary_table }}", "{{ chart_rates }}",
    "全科合格率：", "{{p all_pass_table }}",
    (_H2, "（二）分数段"), "{{p bands_table }}", "{{ chart_bands }}",
    (_H2, "（三）成绩分布"), "{{ chart_distributions }}",
    (_H2, "（四）班级比较"), "{{p omnibus_table }}", "{{p classes_table }}", "{{ chart_means }}",
    "{{ levels_caption }}", "{{p levels_table }}", "{{ chart_levels }}",
    (_H1, "三、试卷分析"), "{{p paper_table }}", "{{p items_table }}", "{{ chart_items }}",
    "失分率 ≥ 40% 的题目（讲评重点）：", "{{p error_items_table }}", "{{ chart_knowledge }}",
    "共性弱项：", "{{p weak_table }}",
    (_H1, "四、与上次考试对比"), "{{p change_table }}",
    (_H2, "增值评价与成长百分位（以上次考试为入口）"), "{{p va_models_table }}",
    "{{p value_added_table }}", "{{ chart_value_added }}",
    "各班成长百分位中位数（50 为一般成长）：", "{{p growth_table }}",
    (_H1, "五、教师"), "{{p teacher_table }}", "{{ chart_teachers }}",
    "各位教师所教学生的增值：", "{{p teacher_va_table }}",
    (_H1, "六、培优补差"), "{{p counts_table }}",
    *_closing("七、存在问题（以下为数据给出的线索，请教研组讨论后修改、补充）",
              "八、改进措施（请教研组讨论后填写）"),
)
#: The 等级分析 template (grades graded in levels only, 一、二年级), as :data:`TERM_LAYOUT`.
LEVEL_LAYOUT = (
    (_H1, "一、基本情况"), "{{ basic_text }}", "{{p level_basic_table }}",
    (_H1, "二、等级分布（班级 × 科目）"), "{{p levels_table }}", "{{ chart_levels }}",
    (_H1, "三、班级比较"), "{{p level_omnibus_table }}", "{{p level_classes_table }}",
    (_H1, "四、与上次考试对比"), "{{p level_change_table }}",
    *_closing("五、存在问题（以下为数据给出的线索，请教研组讨论后修改、补充）",
              "六、改进措施（请教研组讨论后填写）"),
)


def _write_template(layout: tuple, path: str | Path) -> Path:
    """A new document (title block, page numbers) with the paragraphs of ``layout``, saved."""
    doc = _new_document()
    for entry in layout:
        style, text = entry if isinstance(entry, tuple) else (None, entry)
        doc.add_paragraph(text, style=style)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def build_template(path: str | Path = TEMPLATE) -> Path:
    """Write the default Word template (A4, 宋体/黑体, page numbers in the footer)."""
    return _write_template(TERM_LAYOUT, path)


def build_level_template(path: str | Path = LEVEL_TEMPLATE) -> Path:
    """Write the Word template of the 等级分析 (grades graded in levels only, 一、二年级)."""
    return _write_template(LEVEL_LAYOUT, path)


def _subdoc_table(tpl, table: pd.DataFrame | None, note: str):
    """A table of the report as a Word table (:mod:`qualitykit.report.word_tables`), or the
    section's note."""
    from .word_tables import table_subdoc

    return table_subdoc(tpl, table, note)


def _measures(counts: pd.DataFrame | None) -> list[str]:
    """改进措施 prompts with the 培优补差 numbers (:func:`qualitykit.target_counts`)."""
    if counts is None or counts.empty:
        return ["优生拓展：", "中等生巩固：", "学困生补基础："]
    total = counts.groupby("subject", sort=False).sum(numeric_only=True)

    def per_subject(column: str, word: str) -> str:
        return "；".join(f"{s} {word} {int(r[column])} 人" for s, r in total.iterrows())

    low = per_subject("n_support", "补差")
    if "n_support_entered" in total:
        low += f"；其中本次新进入补差名单 {int(total['n_support_entered'].sum())} 人次"
    return [f"优生拓展（{per_subject('n_enrichment', '培优')}）：",
            f"中等生巩固（{per_subject('n_borderline', '临界')}）：",
            f"学困生补基础（{low}）："]


def write_outputs(output_dir: str | Path, term, *, tables: dict[str, pd.DataFrame],
                  figures: dict | None = None, findings: pd.DataFrame | None = None,
                  basic_text=None, template: str | Path | None = None,
                  measures: list[str] | None = None) -> dict[str, Path]:
    """Write the Word report and the workbook of all tables into ``output_dir``.

    Parameters
    ----------
    output_dir : path
        Folder for ``<title>.docx`` and ``<title>.xlsx``; empty string: write nothing.
    term : TermData
        From :func:`qualitykit.load_term` (title, school, exam, date, standard).
    tables : dict
        Computed tables by key: ``basic``, ``summary``, ``all_pass``, ``bands`` (already a
        meeting table, e.g. :func:`qualitykit.band_table`), ``omnibus``, ``classes``,
        ``change``, ``teachers``, ``counts``, and for 试卷分析 ``paper``, ``items``,
        ``error_items``, ``weak``, ``knowledge`` (:func:`qualitykit.paper_analysis`), and for
        增值评价 ``va_models``, ``value_added``, ``teacher_va`` (:func:`qualitykit.value_added`)
        and ``growth`` (:func:`qualitykit.growth_percentiles`); for the 等级 sections
        ``levels``, ``level_basic``, ``level_omnibus``, ``level_classes``, ``level_change``
        (:mod:`qualitykit.term.levels`). Missing keys give the section's note.
    figures : dict, optional
        matplotlib Figures by key: ``rates``, ``means``, ``bands``, ``distributions``,
        ``teachers``, ``items``, ``knowledge``, ``value_added``, ``levels``.
    findings : DataFrame, optional
        :func:`qualitykit.findings`: its sentences open 存在问题.
    basic_text : str, optional
        The paragraph of 基本情况 (:func:`qualitykit.basic_text`).
    template : path or ``"levels"``, optional
        A school's own template (default ``templates/质量分析报告模板.docx``); ``"levels"``
        is the 等级分析 template (``templates/等级分析报告模板.docx``).
    measures : list of str, optional
        The 改进措施 prompts (default: from the 培优补差 ``counts``;
        :func:`qualitykit.level_measures` for levels).

    Returns
    -------
    dict
        ``{"docx": path, "xlsx": path}`` (empty when ``output_dir`` is empty); the workbook is
        :func:`qualitykit.report.workbooks.write_term_tables`.
    """
    if not output_dir:
        return {}
    from docxtpl import DocxTemplate

    from .workbooks import write_term_tables

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    tpl = DocxTemplate(str(_template_path(template)))
    context = {**_text_context(term, tables, findings, basic_text, measures),
               **_table_context(tpl, tables), **_chart_context(tpl, figures or {})}
    tpl.render(context, autoescape=True)
    docx_path = out / f"{term.title}.docx"
    tpl.save(docx_path)
    xlsx_path = write_term_tables(out / f"{term.title}.xlsx", tables, findings)
    return {"docx": docx_path, "xlsx": xlsx_path}


def _template_path(template: str | Path | None) -> Path:
    """The Word template to fill: a school's own, the 等级 one (``"levels"``) or the default."""
    path = LEVEL_TEMPLATE if template == "levels" else Path(template) if template else TEMPLATE
    if not path.exists():
        raise FileNotFoundError(f"找不到 Word 模板 {path}；可用 qualitykit.report.word.build_template() "
                                "重新生成。")
    return path


def _text_context(term, tables: dict, findings: pd.DataFrame | None, basic_text,
                  measures: list[str] | None) -> dict:
    """The title block, 基本情况, and the editable lists of 存在问题 and 改进措施."""
    return {
        "title": term.title, "school": term.school, "grade": term.grade_name, "exam": term.exam,
        "date": term.date, "source": term.source,
        "standard": f"{term.standard.name}（{term.standard.source}）",
        "basic_text": getattr(basic_text, "note", basic_text or ""),
        "problems": list(findings["evidence"]) if findings is not None and len(findings) else
        ["（数据未显示明显问题）"],
        "measures": measures if measures is not None else _measures(tables.get("counts")),
        "levels_caption": "" if tables.get("levels") is None or tables["levels"].empty else
        "（五）等级科目（只记等级、没有分数的科目）：",
    }


def _table_context(tpl, tables: dict) -> dict:
    """Each table of :data:`TABLES` as a Word table in its view, or the section's note."""
    from .display import show

    return {name: _subdoc_table(tpl, show(tables.get(key), view).table, note)
            for name, (key, view, note) in TABLES.items()}


def _chart_context(tpl, figures: dict) -> dict:
    """Each chart of :data:`CHARTS` as a 165 mm picture, or ``""`` when not drawn: the PNG the
    notebook showed (:func:`qualitykit.report.plots.figure_png`, 150 dpi), not drawn again."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .plots import figure_png

    context = {}
    for name in CHARTS:
        fig = figures.get(name)
        context[f"chart_{name}"] = "" if fig is None else \
            InlineImage(tpl, io.BytesIO(figure_png(fig)), width=Mm(165))
    return context
