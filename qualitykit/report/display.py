"""How results are shown in the notebook and the exported reports (presentation only).

Views name the columns a person reads for each table; :func:`show` turns a computed table into
Chinese HTML, or says plainly why a section is empty. Nothing here computes a statistic.
"""

from __future__ import annotations

import html
import itertools

import numpy as np
import pandas as pd

from ..labels import MISSING, to_display
from ..schema import unit_keys

__all__ = ["VIEWS", "show", "text", "band_table", "title_block", "basic_text", "level_text",
           "conclusion_lines", "show_conclusions", "omnibus_text", "meeting_note", "next_targets",
           "target_table", "measure_prompts", "heading", "SECTION_REFS", "MEETING_NOTES",
           "CAPTIONS", "caption"]

VIEWS: dict[str, list[str]] = {
    # the report's body: what a person reads, in plain words
    "basic": ["subject", "full_mark", "n_enrolled", "n_sat", "n_absent", "mean", "sd", "median",
              "max", "min", "pass_rate", "excellent_rate", "low_rate"],
    "lines": ["subject", "full_mark", "pass_line", "excellent_line", "low_line"],
    "summary": ["class_id", "subject", "n_enrolled", "n_sat", "mean", "pass_rate",
                "excellent_rate", "low_rate", "above_mean_rate", "composite", "vs_grade"],
    "all_pass": ["class_id", "n_students", "n_all_pass", "all_pass_rate"],
    "double_high": ["school", "n_subjects", "min_pass_rate", "weakest_subject", "subjects_below",
                    "all_pass_rate", "meets_subject", "meets_all", "meets"],
    "classes": ["subject", "class_id", "n_sat", "mean", "grade_mean", "diff", "diff_low",
                "diff_high", "vs_grade"],
    "change": ["class_id", "subject", "n_matched", "mean", "prev_mean", "above_mean_rate",
               "prev_above_mean_rate", "vs_expected"],
    "teachers": ["subject", "teacher", "classes", "n_sat", "mean", "diff_mean", "pass_rate",
                 "excellent_rate", "low_rate", "composite", "vs_grade", "vs_expected"],
    "findings": ["topic", "subject", "class_id", "evidence"],
    "next_targets": ["subject", "pass_rate", "excellent_rate", "low_rate", "target_pass",
                     "target_excellent", "target_low"],
    # 附录：方法与术语 (for the researcher: tests, models, ranks with what separates them)
    "glossary": ["term", "definition"],
    "omnibus": ["subject", "n_groups", "n_sat", "anova_f", "anova_p", "eta_squared", "kruskal_h",
                "kruskal_p", "reading"],
    "class_tests": ["subject", "class_id", "n_sat", "mean", "diff", "diff_low", "diff_high",
                    "p_value", "hedges_g", "reading"],
    "pairs": ["subject", "a", "b", "mean_a", "mean_b", "pair_diff", "pair_diff_low",
              "pair_diff_high", "p_value", "hedges_g"],
    "ranks": ["subject", "class_id", "composite", "rank", "indistinct"],
    "teacher_ranks": ["subject", "teacher", "classes", "composite", "rank", "n_teachers",
                      "overall_mean_rank", "prev_rank", "indistinct"],
    # 培优补差 (staff only: no grade ranks on the lists)
    "targets": ["class_id", "list", "subject", "student_id", "name", "score", "reason", "line",
                "distance", "weakest", "teacher", "change"],
    "target_counts": ["class_id", "subject", "n_sat", "n_enrichment", "n_borderline", "n_support",
                      "n_lopsided", "n_support_entered"],
    "improved": ["class_id", "subject", "student_id", "name", "n_subjects", "z_change",
                 "pct_change", "prev_score", "score"],
    "transitions": ["class_id", "list", "transition", "subject", "student_id", "name", "teacher",
                    "prev_score", "score", "prev_rule", "rule"],
    "transition_summary": ["class_id", "subject", "list", "entered", "stayed", "left",
                           "new_student", "new_subject", "gone"],
    "progress": ["class_id", "subject", "student_id", "name", "match", "prev_class_id",
                 "prev_score", "score", "prev_z", "z", "z_change", "pct_change", "prev_rank",
                 "rank", "rank_change", "rank_change_coef"],
    "accounting": ["match", "class_id", "prev_class_id", "student_id", "name", "class_changed"],
    "target_rules": ["list", "rule"],
    # 试卷分析
    "paper": ["subject", "n_students", "n_items", "max_total", "mean_total", "sd_total",
              "difficulty", "alpha", "alpha_low", "alpha_high", "method", "sem", "missing",
              "note"],
    "items": ["item_id", "item_type", "knowledge_point", "item_max", "mean", "difficulty",
              "difficulty_band", "discrimination", "ebel", "rir", "alpha_if_dropped", "flags"],
    "error_items": ["item_id", "item_type", "knowledge_point", "item_max", "mean",
                    "error_rate", "discrimination", "reading"],
    "flagged_items": ["item_id", "item_type", "difficulty", "discrimination", "rir", "reading"],
    "distractors": ["item_id", "option", "key", "n", "share", "share_upper", "share_middle",
                    "share_lower", "flag"],
    "knowledge_points": ["knowledge_point", "class_id", "n_items", "points", "rate",
                         "grade_rate", "share_losing", "weak"],
    # 试卷分析, 教研员: item response model and DIF (issue 20)
    "irt_items": ["item_id", "item_max", "n_steps", "difficulty", "a", "a_se", "b", "b_se",
                  "targets", "reading"],
    "irt_lines": ["cut", "points", "theta", "information", "sem_theta", "reliability"],
    "dif": ["item_id", "reference", "focal", "n_focal", "mh_odds_ratio", "ets_delta",
            "ets_class", "lr_uniform_p", "lr_nonuniform_p", "lr_p_adjusted", "delta_r2",
            "favours", "flagged"],
    "tracking": ["class_id", "student_id", "name", "status", "trend", "z_trend", "first_flagged",
                 "n_flagged", "subjects", "class_history", "measures"],
    # 增值评价, 成长百分位, 届 comparison, 追踪, 趋势 (staff only)
    "value_added": ["class_id", "teacher", "school", "subject", "n", "z_entry", "z_exit",
                    "estimate", "low", "high", "va_method", "rank", "rank_low", "rank_high",
                    "reading"],
    "va_models": ["subject", "n", "n_units", "beta", "between_sd", "within_sd", "icc",
                  "reading"],
    "growth": ["class_id", "teacher", "school", "subject", "n", "median_sgp", "median_low",
               "median_high", "low_growth", "high_growth"],
    "growth_students": ["class_id", "subject", "student_id", "name", "prior_score", "score",
                        "sgp", "sgp_to_pass", "sgp_to_excellent", "note"],
    "cohort_indicators": ["exam", "subject", "n_sat", "mean", "sd", "pass_rate",
                          "excellent_rate", "low_rate", "ref_mean", "ref_position",
                          "ref_above_mean_rate"],
    "cohort_effects": ["exam", "subject", "baseline", "n", "n_baseline", "hedges_g",
                       "hedges_g_low", "hedges_g_high", "ref_change", "comparison"],
    "cohort_classes": ["unit", "n_entry_class", "n_stayed", "n_left", "n_joined",
                       "n_passed_through", "n_exit", "entry_z", "exit_z"],
    "cohort_students": ["exit_class", "student_id", "name", "entry_class", "unit", "path", "n_exams",
                        "first_exam", "last_exam", "matched_by"],
    "name_matches": ["exam", "student_id", "name", "class_id", "joined_to", "name_match"],
    "trend": ["exam", "unit", "class_id", "teacher", "school", "subject", "n", "z_mean",
              "z_low", "z_high", "rank", "n_units", "prev_exam", "estimate", "low", "high"],
    "trend_flags": ["unit", "subject", "flag", "periods", "exams", "evidence"],
    # 等级 (level-graded subjects; shares only, no pupil ranks)
    "level_basic": ["subject", "n_enrolled", "n_sat", "n_absent", "n_excellent", "n_good",
                    "n_satisfactory", "n_unsatisfactory", "excellent_rate", "good_rate",
                    "satisfactory_rate", "basis"],
    "levels": ["class_id", "subject", "n_enrolled", "n_sat", "n_excellent", "share_excellent",
               "n_good", "share_good", "n_satisfactory", "share_satisfactory",
               "n_unsatisfactory", "share_unsatisfactory", "satisfactory_rate"],
    "level_omnibus": ["subject", "n_groups", "n_sat", "kruskal_h", "kruskal_p", "chi2",
                      "chi2_df", "chi2_p", "cramers_v", "reading"],
    "level_classes": ["subject", "class_id", "n_sat", "satisfactory_rate",
                      "satisfactory_rate_low", "satisfactory_rate_high",
                      "grade_satisfactory_rate", "excellent_rate", "excellent_rate_low",
                      "excellent_rate_high", "grade_excellent_rate", "reading"],
    "level_change": ["class_id", "subject", "n_matched", "prev_satisfactory_rate",
                     "satisfactory_rate", "satisfactory_change", "prev_excellent_rate",
                     "excellent_rate", "excellent_change", "n_up", "n_same", "n_down"],
}
_INTERVAL_VIEWS = {"classes", "class_tests", "pairs", "paper", "growth", "cohort_effects", "trend",
                   "level_classes", "value_added"}
#: Views whose cells are sentences (they wrap in the printed page).
_SENTENCE_VIEWS = {"glossary", "target_rules", "va_models"}
#: Columns a view shows under another identifier (its own label): the post-hoc pairs' ``diff``
#: is class A − class B, not a difference from the grade.
_RENAMES = {"pairs": {"diff": "pair_diff", "diff_low": "pair_diff_low",
                      "diff_high": "pair_diff_high"}}


_TABLE_IDS = itertools.count(1)
#: A column whose every cell is at most this wide (em) is never broken inside a cell ("5-2 班"
#: not as "5-2" over "班" when a wide table squeezes its short columns).
SHORT_EM = 4.5


def _unbroken(shown: pd.DataFrame, name: str) -> str:
    """A style keeping the cells of the short columns of table ``name`` on one line.

    >>> _unbroken(pd.DataFrame({"单位": ["5-2 班"], "说明": ["变化在偶然波动范围内"]}), "t")
    '<style>#t td:nth-child(1){white-space:nowrap}</style>'
    """
    from .word_tables import text_width

    short = [i for i, column in enumerate(shown.columns, start=1)
             if max((text_width(v) for v in shown[column].astype(str)), default=0) <= SHORT_EM]
    if not short:
        return ""
    rules = ",".join(f"#{name} td:nth-child({i})" for i in short)
    return f"<style>{rules}{{white-space:nowrap}}</style>"


class Shown:
    """A table (or a note) ready for the notebook: HTML in Jupyter, text elsewhere."""

    def __init__(self, table: pd.DataFrame | None, note: str = "", caption: str = "",
                 wrap: bool = False):
        self.table, self.note, self.caption, self.wrap = table, note, caption, wrap

    def _repr_html_(self) -> str:
        if (self.table is None or self.table.empty) and not self.note:
            return ""  # a section that does not apply to this sheet shows nothing
        parts = [f"<p class='qk-caption'>{html.escape(self.caption)}</p>"] if self.caption else []
        if self.table is None or self.table.empty:
            parts.append(f"<p class='qk-note'>{html.escape(self.note)}</p>")
        else:
            shown = self.table.astype(object).where(self.table.notna(), MISSING)
            name = f"qk-t{next(_TABLE_IDS)}"
            table = shown.to_html(index=False, classes="qk-table", border=0, table_id=name,
                                  float_format=lambda x: f"{x:g}")
            if self.wrap:  # a table of sentences: its text wraps and reads from the left
                table = table.replace("<td>", "<td style='white-space:normal;text-align:left'>")
            parts.append(_unbroken(shown, name) + table)
        return "\n".join(parts)

    def __repr__(self) -> str:
        if self.table is None or self.table.empty:
            return self.note
        return self.table.to_string(index=False)


def show(table: pd.DataFrame | None, view: str | None = None, *, empty: str = "（无数据）",
         caption: str = "", requires: pd.DataFrame | None | bool = True) -> Shown:
    """A computed table for people: the view's columns, Chinese labels, numbers as printed.

    Every number is written as the printed report writes its kind (rates with one decimal,
    means with one, p values "<0.001" …: :func:`qualitykit.labels.number_text`), and an
    interval as one column "a 至 b".

    Parameters
    ----------
    table : DataFrame or None
        Any table the kit computed. None or empty shows the ``empty`` note instead.
    view : str, optional
        One of :data:`VIEWS` (columns to show, in order); all columns when omitted.
    empty : str
        What the section says when there is no table ("" says nothing).
    caption : str
        The table's title.
    requires : DataFrame, None or bool
        The data the table is computed from: when it is None, empty or False, nothing is shown
        at all (neither the table nor ``empty``) — a section without its data has already said
        so once and claims nothing more.

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.summary(qk.load_sample(exam="2025-2026-1 期末", grade=5), by="subject")
    >>> print(qk.show(s, "basic").table.iloc[0, :7].tolist())
    ['语文', '100', '171', '166', '5', '81.1', '16.4']
    """
    if view is not None and view not in VIEWS:
        raise ValueError(f"view 应为 {sorted(VIEWS)} 之一，收到 {view!r}。")
    if requires is None or requires is False or (
            isinstance(requires, pd.DataFrame) and requires.empty):
        return Shown(None)
    if table is None or table.empty:
        return Shown(None, empty, caption)
    table = table.rename(columns=_RENAMES.get(view, {}))
    return Shown(to_display(in_view(table, view), intervals=view in _INTERVAL_VIEWS, text=True),
                 caption=caption, wrap=view in _SENTENCE_VIEWS)


#: Columns a view shows under another name, where one name means two things in the kit: an
#: item model's a and b (the classes of a Games–Howell pair are a and b too).
VIEW_RENAMES = {"irt_items": {"a": "irt_a", "b": "irt_b"}}


def in_view(table: pd.DataFrame, view: str | None) -> pd.DataFrame:
    """The columns of ``view`` that the table has, in the view's order (all when None), under
    the names of :data:`VIEW_RENAMES`.

    Where the table holds several schools, a class or teacher is shown with its school: the
    学校 column comes just before it (the view's own columns stay as they are otherwise).

    >>> t = pd.DataFrame({"school": ["甲中", "乙中"], "class_id": ["9-3", "9-3"], "mean": [80, 81]})
    >>> in_view(t, "summary").columns.tolist(), in_view(t.iloc[:1], "summary").columns.tolist()
    (['school', 'class_id', 'mean'], ['class_id', 'mean'])
    """
    if not view:
        return table
    columns = [c for c in VIEWS[view] if c in table.columns]
    if "school" not in columns:
        columns = unit_keys(table, columns)
    return table[columns].rename(columns=VIEW_RENAMES.get(view, {}))


def band_table(bands: pd.DataFrame, *, group: str = "subject") -> pd.DataFrame:
    """分数段 as a meeting table: one row per band (top first), 人数 and 累计% per subject.

    Takes :func:`qualitykit.score_bands` output (grouped by ``subject``).

    Examples
    --------
    >>> import qualitykit as qk
    >>> b = qk.score_bands(qk.load_sample(exam="2025-2026-1 期末", grade=5), by="subject")
    >>> band_table(b).columns[:3].tolist()
    ['分数段', '语文 人数', '语文 累计%']
    """
    order = list(dict.fromkeys(bands[group]))
    out = None
    for g in order:
        part = bands[bands[group] == g][["band", "count", "cum_share"]]
        part = part.rename(columns={"band": "分数段", "count": f"{g} 人数",
                                    "cum_share": f"{g} 累计%"})
        part[f"{g} 累计%"] = (part[f"{g} 累计%"] * 100).round(1)
        out = part if out is None else out.merge(part, on="分数段", how="outer", sort=False)
    # an outer merge sorts the labels as text ("100–<110" before "20–<30" when one paper has
    # 120 points): put the bands back from the top down
    edges = bands.drop_duplicates("band").set_index("band")[["lower", "upper"]]
    order = edges.loc[out["分数段"]].to_numpy()
    out = out.iloc[np.lexsort((-order[:, 1], -order[:, 0]))]
    return out.reset_index(drop=True)


def title_block(term, *, meeting: str = "") -> Shown:
    """The report's title block: school, grade, exam, subjects, meeting, standard and date.

    No file name and no setting's identifier: the standard is named and its lines written out
    (:func:`qualitykit.report.glossary.standard_text`).
    """
    from ..term.load import exam_title
    from .glossary import standard_text

    items = {"学校": term.school, "年级": term.grade_name, "考试": exam_title(term.exam),
             "科目": "、".join(term.subjects),
             "质量分析会": f"{meeting}质量分析会" if meeting else "",
             "评价标准": standard_text(term.standard, term.grade), "分析日期": term.date}
    rows = pd.DataFrame({"项目": [k for k, v in items.items() if v],
                         "内容": [v for v in items.values() if v]})
    return _Title(term.title, rows)


class _Title(Shown):
    def __init__(self, title: str, rows: pd.DataFrame):
        super().__init__(rows)
        self.title = title

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in zip(self.table["项目"], self.table["内容"]))
        return (f"<div class='qk-title'><h1>{html.escape(self.title)}</h1>"
                f"<table class='qk-titletable'>{body}</table></div>")

    def __repr__(self) -> str:
        return self.title + "\n" + self.table.to_string(index=False)


def basic_text(term, basic: pd.DataFrame) -> Shown:
    """基本情况 in one paragraph: enrolled, sat, absent, problems found at import.

    ``basic`` is ``summary(term.scores, by="subject")``.
    """
    from ..term.load import exam_title

    report = term.report
    counts = report.problems["severity"].value_counts()
    subjects = "、".join(f"{r.subject} {int(r.n_sat)}/{int(r.n_enrolled)}"
                         for r in basic.itertuples())
    n_students = term.scores["student_id"].nunique()
    n_classes = term.scores["class_id"].nunique()
    return Shown(None, note=f"本次{exam_title(term.exam)}考试，{term.grade_name}共 {n_classes} 个班、"
            f"{n_students} 名学生。各科实考/应考人数：{subjects}。缺考、请假、转学等不计入实考，"
            f"也不参与各率的计算。成绩表共读取 {report.rows_read} 行，导入 {report.rows_imported} 行，"
            f"跳过 {report.rows_skipped} 行；导入时记录提醒 {counts.get('warning', 0)} 条、说明 "
            f"{counts.get('info', 0)} 条（详见导入报告）。")


#: Captions and notes that name a line of the standard (filled by :func:`caption`).
CAPTIONS = {
    "double_high": "双高普九：单科合格率 ≥ {double_high_subject}，全科合格率 ≥ {double_high_all}",
    "error_items": "失分率 ≥ {item_error_rate} 的题目（讲评重点）",
    "no_error_items": "没有失分率 ≥ {item_error_rate} 的题目。",
    "weak": "共性弱项（得分率 < {knowledge_weak_rate}，且至少 {knowledge_weak_share} 的学生在该知识点"
            "未达及格）",
    "no_weak": "没有共性弱项：各知识点的年级得分率都不低于 {knowledge_weak_rate}，或未达标的学生不足 "
               "{knowledge_weak_share}。",
}
_LINES = ("double_high_subject", "double_high_all", "item_error_rate", "knowledge_weak_rate",
          "knowledge_weak_share")


def caption(text: str, standard=None) -> str:
    """A caption with the lines of the standard in use: ``text`` is a key of :data:`CAPTIONS`
    or a text with ``{line}`` fields (the standard's line names).

    >>> import qualitykit as qk
    >>> caption("error_items"), caption("error_items", qk.Standard(item_error_rate=0.5))
    ('失分率 ≥ 40% 的题目（讲评重点）', '失分率 ≥ 50% 的题目（讲评重点）')
    """
    from ..standard import get_standard
    from ..term.findings import line_percent

    std = get_standard(standard)
    return CAPTIONS.get(text, text).format(**{k: line_percent(getattr(std, k)) for k in _LINES})


#: Where the report's evidence for a finding of :func:`qualitykit.conclusions` is.
SECTION_REFS = {"basic": "二", "summary": "三（一）", "bands": "三（二）", "classes": "三（四）",
                "paper": "四", "change": "五", "teachers": "六", "lists": "七",
                "fitness": "三“体质健康”"}


def conclusion_lines(conclusions: pd.DataFrame | None) -> list[str]:
    """The findings of :func:`qualitykit.conclusions` as numbered sentences with where their
    evidence is: ``1．…（见三（四））``."""
    if conclusions is None or conclusions.empty:
        return []
    return [f"{i}．{r.sentence.rstrip('。')}（见{SECTION_REFS[r.section]}）。"
            if r.section in SECTION_REFS else f"{i}．{r.sentence}"
            for i, r in enumerate(conclusions.itertuples(), start=1)]


def show_conclusions(conclusions: pd.DataFrame | None) -> Shown:
    """一、主要结论 for the report: the numbered findings, one paragraph each."""
    lines = conclusion_lines(conclusions)
    if not lines:
        return Shown(None, note="本次数据不足以得出结论。")
    return _Numbered(lines)


class _Numbered(Shown):
    def __init__(self, lines: list[str]):
        super().__init__(None, note="\n".join(lines))
        self.lines = lines

    def _repr_html_(self) -> str:
        return ("<div class='qk-conclusions'>" +
                "".join(f"<p>{html.escape(x)}</p>" for x in self.lines) + "</div>")


def omnibus_text(omnibus: pd.DataFrame | None) -> Shown:
    """Whether the classes of each subject differ, in one plain sentence (the tests are in the
    appendix)."""
    if omnibus is None or omnibus.empty:
        return Shown(None)
    apart = omnibus[(omnibus["anova_p"] < 0.05) & (omnibus["kruskal_p"] < 0.05)]
    alone = omnibus[omnibus["n_groups"] < 2]
    calm = omnibus[~omnibus.index.isin(apart.index) & ~omnibus.index.isin(alone.index)]
    parts = []
    if len(apart):
        parts.append(f"{'、'.join(apart['subject'])}各班之间有超出偶然波动的差异")
    if len(calm):
        parts.append(f"{'、'.join(calm['subject'])}各班平均分的差别在偶然波动范围内，名次先后不说明高下")
    if len(alone):
        parts.append(f"{'、'.join(alone['subject'])}只有一个班，无需比较")
    return Shown(None, note="；".join(parts) + "。检验方法和数字见附录。")


#: What each meeting stresses, section by section (期中: 查漏补缺; 期末: the term's result).
MEETING_NOTES = {
    ("期中", "paper"): "期中检测重在查漏补缺：下面失分多的题目和薄弱知识点，是下半学期讲评和复习的重点。",
    ("期中", "lists"): "名单用于下半学期的分层辅导：期末检测后对照本次名单，看补差学生是否出列。",
    ("期中", "measures"): "下半学期的措施请针对上面的失分题目、薄弱知识点和名单来写。",
    ("期末", "paper"): "本学期的试卷分析：失分多的题目和薄弱知识点留作下学期的起点。",
    ("期末", "lists"): "名单用于下学期的分层辅导，并记入学困生档案，下次考试后对照。",
    ("期末", "measures"): "期末质量分析会还要定下学期的质量目标：下表列出本次的三率，请在空栏中填写目标，"
                        "下次考试后逐项判断达成与否。",
}


def meeting_note(meeting: str, section: str, *,
                 requires: pd.DataFrame | None | bool = True) -> Shown:
    """The meeting's word on a section (:data:`MEETING_NOTES`), or nothing (also when the data
    the section needs, ``requires``, is None or empty: as for :func:`show`)."""
    if requires is None or requires is False or (
            isinstance(requires, pd.DataFrame) and requires.empty):
        return Shown(None)
    return Shown(None, note=MEETING_NOTES.get((meeting, section), ""))


def target_table(basic: pd.DataFrame | None, meeting: str) -> pd.DataFrame | None:
    """期末: this term's 三率 per subject (``summary(by="subject")``) with blank columns
    ``target_pass``, ``target_excellent``, ``target_low`` for next term's targets; None for a
    期中 meeting."""
    if meeting != "期末" or basic is None or basic.empty:
        return None
    blank = "＿＿＿"
    return basic[["subject", "pass_rate", "excellent_rate", "low_rate"]].assign(
        target_pass=blank, target_excellent=blank, target_low=blank)


def next_targets(basic: pd.DataFrame | None, meeting: str) -> Shown:
    """期末: :func:`target_table` for the report (nothing for a 期中 meeting)."""
    return show(target_table(basic, meeting), "next_targets", empty="",
                caption="下学期质量目标（本次三率与目标）")


def measure_prompts(counts: pd.DataFrame | None) -> list[str]:
    """改进措施 prompts in three layers, with the 培优补差 numbers per subject
    (:func:`qualitykit.target_counts`)."""
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


def heading(title: str, level: int = 2) -> Shown:
    """A section heading printed only when it has a title (a section that applies to some
    inputs only: "" shows nothing)."""
    return _Heading(title, level)


class _Heading(Shown):
    def __init__(self, title: str, level: int):
        super().__init__(None, note=title)
        self.level = level

    def _repr_html_(self) -> str:
        return f"<h{self.level}>{html.escape(self.note)}</h{self.level}>" if self.note else ""


def text(message: str | list[str]) -> Shown:
    """A paragraph of plain text for the report; a list gives one paragraph per item."""
    if isinstance(message, str):
        return Shown(None, note=message)
    return _Lines(list(message))


class _Lines(Shown):
    def __init__(self, lines: list[str]):
        super().__init__(None, note="\n".join(lines))
        self.lines = lines

    def _repr_html_(self) -> str:
        return "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in self.lines) + "</ul>"


def level_text(term, by_subject: pd.DataFrame) -> Shown:
    """基本情况 of a sheet graded in levels: classes, pupils, who has a level, how levels are read.

    ``by_subject`` is ``level_summary(term.level_rows, by="subject")``.
    """
    from ..term.load import exam_title

    scores = term.level_rows
    how = ("按规定一、二年级不用分数，只记等级" if term.levels is not None
           else "本表记的是分数，按评价标准的分数段换算为等级")
    subjects = "、".join(f"{r.subject} {int(r.n_sat)}/{int(r.n_enrolled)}"
                         for r in by_subject.itertuples())
    letters = "、".join(f"{k}→{v}" for k, v in term.standard.level_letters.items())
    report = term.report
    return Shown(None, note=(
        f"本次{exam_title(term.exam)}考试，{term.grade_name}共 {scores['class_id'].nunique()} 个班、"
        f"{scores['student_id'].nunique()} 名学生。{how}"
        f"（{'、'.join(term.standard.level_names)}），本报告只统计各等级的人数和占比，不排学生名次。"
        f"各科有等级/应考人数：{subjects}；缺考、请假等不计入。字母等级按评价标准换算：{letters}。"
        f"成绩表共读取 {report.rows_read} 行，导入 {report.rows_imported} 行，跳过 "
        f"{report.rows_skipped} 行（详见导入报告）。"))
