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
#: context key → (table key given to write_outputs, view, note when missing, caption, the table
#: key whose absence silences the note). A note or caption may be a key of
#: :data:`qualitykit.report.display.CAPTIONS` (it names lines of the standard in use). A caption is the context key ``<key>_caption``: empty
#: when the table is, so that a section without data says so once and claims nothing more.
#: The caption of :func:`qualitykit.unmatched_teachers`' table (the notebook's is the same).
UNMATCHED_CAPTION = ("教学编排表中有、成绩表中没有的班级（这些任课没有计入上表；班级名称写法不同时，"
                     "请改成与成绩表一致）")
TABLES = {
    "basic_table": ("basic", "basic", "（无数据）", "各科总体情况（全年级）", None),
    "summary_table": ("summary", "summary", "（无数据）", "", None),
    "all_pass_table": ("all_pass", "all_pass", "（无数据）", "全科合格率（参加的每一科都及格的学生占比）",
                       None),
    "bands_table": ("bands", None, "（无数据）", "", None),
    "classes_table": ("classes", "classes", "（无数据）", "各班与年级平均分（区间已按班级数校正）", None),
    "change_table": ("change", "change", "未提供上次考试成绩，本节从略。", "", None),
    "look_back_table": ("look_back", None, "", "回头看：台账中的问题、目标与现值", None),
    "look_back_ranks_table": ("look_back_ranks", None, "", "两率名次：及格率名次与优秀率名次"
                              "（与上一次考试相比，正数为上升）", None),
    "teacher_table": ("teachers", "teachers", "未提供教学编排表，本节从略。", "", None),
    "unmatched_teachers_table": ("unmatched_teachers", None, "", UNMATCHED_CAPTION, None),
    # 体质健康 (a 体测 file given: qualitykit.fitness_section_tables, already as printed)
    "fitness_rates_table": ("fitness_rates", None, "", "全年级等级（学年总分；区间为 95% 置信区间）",
                            None),
    "fitness_classes_table": ("fitness_classes", None, "", "各班与年级：平均学年总分之差（区间已按"
                              "班级数校正；区间含 0 为与年级无明显差别，不排名次）", None),
    "fitness_items_table": ("fitness_items", None, "", "不及格人数最多的项目", None),
    "counts_table": ("counts", "target_counts", "（无数据）", "各班名单人数", None),
    "paper_table": ("paper", "paper", "未提供本次考试的小题分，本节从略。", "试卷整体情况", None),
    "error_items_table": ("error_items", "error_items", "no_error_items", "error_items", "items"),
    "weak_table": ("weak", "knowledge_points", "no_weak", "weak", "items"),
    "levels_table": ("levels", "levels", "", "（五）等级科目：各等级的人数与占比（不排名次）", None),
    "next_targets_table": ("next_targets", "next_targets", "", "下学期质量目标（本次三率与目标）", None),
    # 附录：方法与术语
    "glossary_table": ("glossary", "glossary", "", "（一）指标与术语", None),
    "methods_table": ("methods", "glossary", "", "（二）统计方法与读法", None),
    "omnibus_table": ("omnibus", "omnibus", "", "（三）各班之间是否有差异", None),
    "class_tests_table": ("classes", "class_tests", "", "各班与年级：检验与效应量", None),
    "ranks_table": ("summary", "ranks", "", "各班综合分名次（均分与之无明显差别的班级列在右栏："
                    "它们之间的先后不说明高下）", None),
    "teacher_ranks_table": ("teachers", "teacher_ranks", "", "各位教师综合分名次（均分与之无明显"
                            "差别的教师列在右栏：他们之间的先后不说明高下）", None),
    "va_models_table": ("va_models", "va_models", "", "（四）增值评价：模型与解读", None),
    "value_added_table": ("value_added", "value_added", "", "各班增值（95% 置信区间）", None),
    "teacher_va_table": ("teacher_va", "value_added", "", "各位教师所教学生的增值", None),
    "growth_table": ("growth", "growth", "", "各班成长百分位中位数（50 为一般成长）", None),
    "items_table": ("items", "items", "", "（五）各题难度与区分度", None),
    "level_basic_table": ("level_basic", "level_basic", "（无数据）", "", None),
    "level_omnibus_table": ("level_omnibus", "level_omnibus", "（无数据）", "", None),
    "level_classes_table": ("level_classes", "level_classes", "（无数据）", "", None),
    "level_change_table": ("level_change", "level_change", "未提供上次考试成绩，本节从略。", "", None),
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
    doc.add_paragraph("{{ meeting }}评价标准：{{ standard }}")
    return doc


_H1, _H2 = "Heading 1", "Heading 2"


def _bullets(name: str) -> tuple:
    """A docxtpl loop writing each item of the list ``name`` as an editable bullet."""
    return (f"{{%p for item in {name} %}}", ("List Bullet", "{{ item }}"), "{%p endfor %}")


def _lines(name: str) -> tuple:
    """A docxtpl loop writing each item of the list ``name`` as a paragraph (already numbered)."""
    return (f"{{%p for item in {name} %}}", "{{ item }}", "{%p endfor %}")


def _table(name: str) -> tuple:
    """A table of :data:`TABLES` with its caption above it."""
    return (f"{{{{ {name}_caption }}}}", f"{{{{p {name}_table }}}}")


def _closing(problems: str, measures: str) -> tuple:
    """存在问题 and 改进措施: the evidence as editable bullets, then room for the 教研组."""
    return ((_H1, problems), *_bullets("problems"), "（在此补充：命题、教学、管理等方面的问题）",
            (_H1, measures), *_bullets("measures"), "（在此填写具体措施、责任人和时间）")


#: The default template below its title block, top to bottom: a string is a paragraph (a
#: docxtpl tag or a caption), ``(style, text)`` a paragraph in that style (headings).
TERM_LAYOUT = (
    (_H1, "一、主要结论"), *_lines("conclusions"),
    (_H1, "二、基本情况"), "{{ basic_text }}", *_table("basic"),
    (_H1, "三、成绩分析"),
    (_H2, "（一）三率一分（班级 × 科目）"), *_table("summary"), "{{ chart_rates }}",
    *_table("all_pass"),
    (_H2, "（二）分数段"), *_table("bands"), "{{ chart_bands }}",
    (_H2, "（三）成绩分布"), "{{ chart_distributions }}",
    (_H2, "（四）班级比较"), "{{ omnibus_text }}", *_table("classes"), "{{ chart_means }}",
    *_table("levels"), "{{ chart_levels }}",
    "{%p if fitness_text %}", (_H2, "体质健康"), "{{ fitness_text }}", *_table("fitness_rates"),
    *_table("fitness_classes"), *_table("fitness_items"), "{%p endif %}",
    (_H1, "四、试卷分析"), "{{ paper_note }}", *_table("paper"), *_table("error_items"),
    "{{ chart_knowledge }}", *_table("weak"),
    (_H1, "五、与上次考试对比"), "{{ change_note }}", *_table("change"),
    *_table("look_back"), *_table("look_back_ranks"),
    (_H1, "六、教师"), *_table("teacher"), *_table("unmatched_teachers"), "{{ chart_teachers }}",
    (_H1, "七、培优补差"), "{{ lists_note }}", *_table("counts"),
    *_closing("八、存在问题（以下为数据给出的线索，请教研组讨论后修改、补充）",
              "九、改进措施（请教研组讨论后填写）"),
    "{{ measures_note }}", *_table("next_targets"),
    (_H1, "附录：方法与术语"), *_table("glossary"), *_table("methods"), *_table("omnibus"),
    *_table("class_tests"), *_table("ranks"), *_table("teacher_ranks"), *_table("va_models"),
    *_table("value_added"), "{{ chart_value_added }}", *_table("teacher_va"), *_table("growth"),
    *_table("items"), "{{ chart_items }}",
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


def write_outputs(output_dir: str | Path, term, *, tables: dict[str, pd.DataFrame],
                  figures: dict | None = None, findings: pd.DataFrame | None = None,
                  basic_text=None, template: str | Path | None = None,
                  measures: list[str] | None = None, conclusions: pd.DataFrame | None = None,
                  meeting: str = "", fitness_text: str = "",
                  fitness=None) -> dict[str, Path]:
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
        matplotlib Figures (or their PNG bytes) by key: ``rates``, ``means``, ``bands``, ``distributions``,
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
    conclusions : DataFrame, optional
        :func:`qualitykit.conclusions`: 一、主要结论, numbered, with where the evidence is.
    meeting : {"期中", "期末", ""}
        The meeting the report is for (its notes; 期末 adds next term's targets).
    fitness_text : str
        The 体质健康 paragraph (:func:`qualitykit.fitness_section_text`); the section, with
        the tables ``fitness_rates``, ``fitness_classes``, ``fitness_items``
        (:func:`qualitykit.fitness_section_tables`), is in the report only when it is given.
    fitness : FitnessSection, optional
        :func:`qualitykit.fitness_section`: the workbook gets its tables as 体质健康 sheets.

    Returns
    -------
    dict
        ``{"docx": path, "xlsx": path}`` (empty when ``output_dir`` is empty); the workbook is
        :func:`qualitykit.report.workbooks.write_term_tables`.
    """
    if not output_dir:
        return {}
    from .office import later

    out = Path(output_dir)
    files = {"docx": out / f"{term.title}.docx", "xlsx": out / f"{term.title}.xlsx"}
    if later("report", output_dir, term, tables=tables, figures=_chart_bytes(figures),
             findings=findings, basic_text=basic_text, template=template, measures=measures,
             conclusions=conclusions, meeting=meeting, fitness_text=fitness_text,
             fitness=fitness):
        return files  # qualitykit report writes them after the notebook (report.office)
    from docxtpl import DocxTemplate

    from .workbooks import write_term_tables

    out.mkdir(parents=True, exist_ok=True)
    tpl = DocxTemplate(str(_template_path(template)))
    shown = {**tables, **_appendix_tables(term, tables, meeting)}
    context = {**_text_context(term, tables, findings, basic_text, measures),
               **_meeting_context(conclusions, tables, meeting), "fitness_text": fitness_text,
               **_table_context(tpl, shown, term.standard), **_chart_context(tpl, figures or {})}
    tpl.render(context, autoescape=True)
    tpl.save(files["docx"])
    write_term_tables(files["xlsx"], tables, findings, fitness=fitness)
    return files


def _chart_bytes(figures: dict | None) -> dict:
    """The charts as the PNG bytes the notebook showed (what the Word report takes), or as
    the charts the command renders itself (:func:`qualitykit.report.office.later_figure`)."""
    from .office import later_figure
    from .plots import figure_png

    return {name: fig if fig is None or isinstance(fig, bytes)
            else later_figure(fig) or figure_png(fig) for name, fig in (figures or {}).items()}


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
    from ..term.load import exam_title
    from .display import measure_prompts
    from .glossary import standard_text

    return {
        "title": term.title, "school": term.school, "grade": term.grade_name,
        "exam": exam_title(term.exam), "date": term.date,
        "standard": standard_text(term.standard, term.grade),
        "basic_text": getattr(basic_text, "note", basic_text or ""),
        "problems": list(findings["evidence"]) if findings is not None and len(findings) else
        ["（数据未显示明显问题）"],
        "measures": measures if measures is not None else measure_prompts(tables.get("counts")),
    }


def _meeting_context(conclusions: pd.DataFrame | None, tables: dict, meeting: str) -> dict:
    """一、主要结论, the meeting's notes on its sections, and the plain reading of the class
    comparison."""
    from .display import MEETING_NOTES, conclusion_lines, omnibus_text

    notes = {f"{section}_note": MEETING_NOTES.get((meeting, section), "")
             for section in ("paper", "lists", "measures")}
    change = tables.get("change")
    notes["change_note"] = "" if change is None or change.empty else \
        "同一批学生按现在的班级计算；不同试卷的原始分不宜直接相减，变化看超均率和增值。"
    return {"conclusions": conclusion_lines(conclusions) or ["（见以下各节）"],
            "meeting": f"质量分析会：{meeting}　　" if meeting else "",
            "omnibus_text": omnibus_text(tables.get("omnibus")).note, **notes}


def _appendix_tables(term, tables: dict, meeting: str) -> dict:
    """The tables the Word report shows beside the computed ones: the glossary and methods of
    the appendix, (期末) next term's targets, and the classes against the grade read plainly."""
    from ..term.readings import against_grade
    from .display import target_table
    from .glossary import glossary, methods

    shown = {"glossary": glossary(term.standard, term.grade), "methods": methods(),
             "next_targets": target_table(tables.get("basic"), meeting)}
    classes = tables.get("classes")
    if classes is not None and not classes.empty and "vs_grade" not in classes:
        shown["classes"] = against_grade(classes, classes)  # the body's plain reading
    return shown


def _table_context(tpl, tables: dict, standard=None) -> dict:
    """Each table of :data:`TABLES` as a Word table in its view with its caption, or the
    section's note (nothing when the data it depends on is missing); the lines a caption or
    note names are those of ``standard``."""
    from .display import caption as filled
    from .display import show

    context = {}
    for name, (key, view, note, caption, requires) in TABLES.items():
        table = show(tables.get(key), view).table
        needed = requires is None or (tables.get(requires) is not None
                                      and not tables[requires].empty)
        context[name] = _subdoc_table(tpl, table, filled(note, standard) if needed else "")
        context[name.removesuffix("_table") + "_caption"] = \
            filled(caption, standard) if table is not None else ""
    return context


def _chart_context(tpl, figures: dict) -> dict:
    """Each chart of :data:`CHARTS` as a 165 mm picture, or ``""`` when not drawn: the PNG the
    notebook showed (:func:`qualitykit.report.plots.figure_png`, 150 dpi), not drawn again."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    from .plots import figure_png

    context = {}
    for name in CHARTS:
        fig = figures.get(name)
        png = fig if fig is None or isinstance(fig, bytes) else figure_png(fig)
        context[f"chart_{name}"] = "" if png is None else \
            InlineImage(tpl, io.BytesIO(png), width=Mm(165))
    return context
