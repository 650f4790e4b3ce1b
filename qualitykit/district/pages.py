"""How the 联考 analysis is shown: display tables for the notebook, and the pages of each
school's 通报反馈 (and of the district report's Word file) for the pack's PDF and Word writers
(:mod:`qualitykit.report.pack_pdf`, :mod:`qualitykit.report.pack_word`).

Presentation only: every figure is one of :class:`DistrictAnalysis`'s; labels come from
:mod:`qualitykit.labels`.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..labels import MISSING, VALUE_LABELS, to_display
from ..report.display import Shown, heading
from ..report.pack import Block, Page
from .analysis import DistrictAnalysis
from .district_lines import DistrictLines
from .feedback import WHOLE_SCHOOL, SchoolFeedback
from .lines_workbook import line_notes
from .load import GROUP, DistrictData
from .schools import TOTAL

__all__ = ["district_table", "subject_sections", "district_basic", "text_lines", "school_tests",
           "group_table", "school_value_added", "school_subject_table", "school_matrix", "school_band_table",
           "balance_table", "feedback_tables", "feedback_pages", "district_pages",
           "FEEDBACK_FOOTER", "METHOD_NOTE", "lines_section", "lines_school_table",
           "lines_effective_table", "lines_double_table", "lines_critical_table",
           "lines_notes_table"]

FEEDBACK_FOOTER = ("本报告供教研室与学校内部质量分析使用（通报反馈），不公开，不向学生和家长公布名次；"
                   "学校之间的差别以区间判断，区间重叠的学校不排先后。")
METHOD_NOTE = ("“与区域比较”看平均分：学校（或班级）均分与区域均分之差的 95% 区间（已按学校数或"
               "班级数校正）整体在 0 以上写“高于区域”，整体在 0 以下写“低于区域”，包含 0 写"
               "“与区域无明显差别”。总分为每名学生所考各科之和，没有满分，故不计三率。")
#: Short words for a cell of a class × subject matrix.
_SHORT = {"above": "高于", "below": "低于", "similar": "无差别", "too_few": "人少"}


def _text(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns a person reads, as the report prints them (Chinese labels)."""
    return to_display(table[[c for c in columns if c in table.columns]], intervals=True,
                      text=True).reset_index(drop=True)


def district_table(table: pd.DataFrame | None, caption: str = "", empty: str = "") -> Shown:
    """A display table (from this module) for the notebook."""
    return Shown(table, note=empty, caption=caption)


class _Many(Shown):
    """Several captioned tables shown one after another."""

    def __init__(self, parts: list[Shown]):
        super().__init__(None)
        self.parts = parts

    def _repr_html_(self) -> str:
        return "\n".join(p._repr_html_() for p in self.parts)

    def __repr__(self) -> str:
        return "\n\n".join(f"{p.caption}\n{p!r}" for p in self.parts)


def subject_sections(analysis: DistrictAnalysis) -> Shown:
    """Every subject's table of schools against the district (:func:`school_subject_table`)."""
    return _Many([Shown(school_subject_table(analysis, s), caption=f"{s}：各校与区域")
                  for s in dict.fromkeys(analysis.schools["subject"])])


def district_basic(data: DistrictData) -> Shown:
    """基本情况 in lines: the file, the schools, 参考, subjects and full marks, 片区."""
    marks = data.scores.drop_duplicates("subject").set_index("subject")["full_mark"]
    lines = [f"考试：{data.exam}。",
             f"学校 {len(data.schools)} 所：{'、'.join(data.schools)}。",
             f"参考人数 {data.n_sat} 人（至少有一科成绩的学生）"
             + (f"；另有 {data.n_without_scores} 行没有任何成绩（缺考或只在名单上），不计入参考人数"
                if data.n_without_scores else "") + "。",
             "科目与满分：" + "、".join(f"{s} {marks[s]:g}" for s in data.subjects) + "。"]
    if data.groups:
        by_group: dict[str, list[str]] = {}
        for school, group in data.groups.items():
            by_group.setdefault(group, []).append(school)
        lines.append("片区：" + "；".join(f"{g}（{'、'.join(v)}）" for g, v in by_group.items())
                     + "。")
    if data.previous is not None:
        lines.append(f"上次联考：{'、'.join(map(str, data.previous['exam'].unique()))}"
                     "（学校增值按同一批学生计算）。")
    return text_lines(lines)


def text_lines(lines: list[str]) -> Shown:
    """Lines of text as paragraphs."""
    return _Many([Shown(None, note=line) for line in lines])


def school_tests(analysis: DistrictAnalysis) -> pd.DataFrame:
    """附录: each school against the rest of the district (Welch, Bonferroni over the schools)."""
    return _text(analysis.school_comparison.classes,
                 ["subject", "school", "n_sat", "mean", "grade_mean", "diff", "diff_low",
                  "diff_high", "p_value", "hedges_g"]).rename(columns={
        "年级均分": "区域均分", "与年级均分差": "与区域均分差", "与年级均分差区间": "与区域均分差区间"})


def school_subject_table(analysis: DistrictAnalysis, subject: str) -> pd.DataFrame:
    """One subject: each school's 三率一分 and its mean against the district (schools in the
    file's order, not ranked), the district's row last."""
    rows = analysis.schools[analysis.schools["subject"] == subject]
    cmp = analysis.school_comparison.classes
    rows = rows.merge(cmp[["school", "subject", "diff", "diff_low", "diff_high"]],
                      on=["school", "subject"], how="left")
    district = analysis.district[analysis.district["subject"] == subject].assign(school="区域")
    table = pd.concat([rows, district], ignore_index=True)
    columns = ["school", "n_sat", "mean", "diff", "diff_low", "diff_high", "pass_rate",
               "excellent_rate", "low_rate", "vs_district"]
    if subject == TOTAL:
        columns = [c for c in columns if not c.endswith("_rate")] + ["sd", "max"]
    return _text(table, columns).rename(columns={"与年级均分差": "与区域均分差",
                                                 "与年级均分差区间": "与区域均分差区间"})


def school_matrix(analysis: DistrictAnalysis) -> pd.DataFrame:
    """Schools × subjects: each mean with its reading (高/低 where the interval says so)."""
    t = analysis.schools
    mark = t["vs_district"].map({"above": "（高）", "below": "（低）"}).fillna("")
    cells = t["mean"].map(lambda v: MISSING if pd.isna(v) else f"{v:.1f}") + mark
    wide = t.assign(cell=cells).pivot(index="school", columns="subject", values="cell")
    order = list(dict.fromkeys(t["subject"]))
    wide = wide.reindex(index=list(dict.fromkeys(t["school"])), columns=order)
    wide.columns.name = None
    return wide.fillna(MISSING).reset_index().rename(columns={"school": "学校"})


def school_band_table(analysis: DistrictAnalysis, subject: str = TOTAL) -> pd.DataFrame:
    """分数段 of one subject: bands as rows (top first), each school's count and share."""
    b = analysis.bands[analysis.bands["subject"] == subject]
    order = b.drop_duplicates("band").sort_values("lower", ascending=False)["band"].tolist()
    parts = []  # each school's two columns, by band; put side by side at once (no inserts)
    for school, part in b.groupby("school", sort=False):
        part = part[["band", "count", "share"]].rename(columns={
            "band": "分数段", "count": f"{school} 人数", "share": f"{school} 占比%"})
        part[f"{school} 占比%"] = (part[f"{school} 占比%"] * 100).round(1)
        parts.append(part.set_index("分数段"))
    if not parts:
        return pd.DataFrame()
    wide = pd.concat(parts, axis=1).reindex(order).fillna(0)
    return pd.concat([pd.Series(wide.index, name="分数段"), wide.reset_index(drop=True)], axis=1)


def balance_table(balance: pd.DataFrame, *, unit: str = "学校") -> pd.DataFrame:
    """均衡 indices per subject, with the unit's name in the labels."""
    t = _text(balance, ["school", "subject", "n_units", "n_sat", "mean", "unit_mean_min",
                        "unit_mean_max", "cv_means", "icc", "quartile_units", "quartile_gap",
                        "quartile_gap_sd", "district_cv_means", "district_icc"])
    return t.rename(columns=lambda c: c.replace("单位", unit).replace(
        "组内相关ICC", f"{unit}间差异占比ICC"))


def _subject_rows(f: SchoolFeedback) -> pd.DataFrame:
    return _text(f.subjects, ["subject", "n_sat", "mean", "district_mean", "diff", "diff_low",
                              "diff_high", "pass_rate", "district_pass_rate", "excellent_rate",
                              "district_excellent_rate", "low_rate", "district_low_rate",
                              "vs_district"]).rename(columns={
        "与年级均分差": "与区域均分差", "与年级均分差区间": "与区域均分差区间"})


def _class_order(classes) -> list[str]:
    """Class names in natural order (2 before 10), each once."""
    return sorted(dict.fromkeys(map(str, classes)),
                  key=lambda c: [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", c)])


def _class_matrix(f: SchoolFeedback) -> pd.DataFrame:
    """The school's classes × subjects: the reading of each class mean against the district."""
    c = f.classes.assign(class_id=f.classes["class_id"].astype(str))
    wide = c.assign(cell=c["vs_district"].map(_SHORT).fillna(MISSING)).pivot(
        index="class_id", columns="subject", values="cell")
    wide = wide.reindex(index=_class_order(c["class_id"]),
                        columns=list(dict.fromkeys(c["subject"])))
    wide.columns.name = None
    return wide.fillna(MISSING).reset_index().rename(columns={"class_id": "班级"})


def _class_totals(f: SchoolFeedback) -> pd.DataFrame:
    c = f.classes[f.classes["subject"] == TOTAL]
    if not len(c):
        return pd.DataFrame()
    order = {name: i for i, name in enumerate(_class_order(c["class_id"]))}
    c = c.iloc[c["class_id"].astype(str).map(order).argsort()]
    return _text(c, ["class_id", "n_sat", "mean", "district_mean", "diff", "diff_low",
                     "diff_high", "vs_district"]).rename(columns={
        "与年级均分差": "与区域均分差", "与年级均分差区间": "与区域均分差区间"})


def _band_rows(f: SchoolFeedback) -> pd.DataFrame:
    b = f.bands[f.bands["subject"] == TOTAL]
    used = (b["count"] > 0) | (b["district_share"] > 0)  # bands nobody reached: left out
    b = b[used.cummax() & used[::-1].cummax()[::-1]] if used.any() else b
    return _text(b, ["band", "count", "share", "cum_share", "district_share"])


def _va_rows(f: SchoolFeedback) -> pd.DataFrame | None:
    if f.value_added is None or not len(f.value_added):
        return None
    t = f.value_added
    out = _text(t, ["subject", "n", "z_entry", "z_exit", "estimate", "low", "high"])
    out["与上次比（增值）"] = _va_reading(t)
    return out


def feedback_tables(f: SchoolFeedback) -> dict[str, pd.DataFrame | None]:
    """The school's tables as printed: heading → display table (None: section left out)."""
    return {"一、各科与区域比较": _subject_rows(f),
            "二、各班总分与区域比较": _class_totals(f),
            "三、各班各科与区域比较（高于 / 低于 / 无差别：与区域无明显差别）": _class_matrix(f),
            "四、总分分数段（本校与区域占比）": _band_rows(f),
            "五、班级均衡（本校各班与区域各班）": balance_table(f.balance.drop(columns="school"),
                                                       unit="班级"),
            "六、与上次联考比较（增值评价，Z 分数）": _va_rows(f),
            **_feedback_line_tables(f)}


def _feedback_line_tables(f: SchoolFeedback) -> dict[str, pd.DataFrame]:
    """上线 of the school and its classes against the district, and its 双上线 (no section
    without lines)."""
    if f.lines is None:
        return {}
    classes = f.lines.loc[f.lines["class_id"] != WHOLE_SCHOOL, "class_id"]
    order = {c: i for i, c in enumerate([WHOLE_SCHOOL, *_class_order(classes)])}
    rows = f.lines.assign(class_id=f.lines["class_id"].astype(str))
    rows = rows.iloc[np.lexsort((rows["class_id"].map(order).to_numpy(),
                                 rows["line_name"].map(_line_order(rows)).to_numpy()))]
    classes = _text(rows, ["line_name", "line_score", "class_id", "n_sat", "n_over",
                           "over_rate", "over_rate_low", "over_rate_high", "district_over_rate"])
    double = _text(f.double, ["subject", "effective_method", "line_name", "effective_line",
                              "n_sat", "n_over_total", "n_over_subject", "n_double",
                              "district_n_double", "hit_rate", "district_hit_rate",
                              "contribution_rate"])
    return {"七、上线情况（本校及各班与区域；上线率带 95% 区间）": classes,
            "八、单科有效分与双上线（本校各科）": double}


def _line_order(rows: pd.DataFrame) -> dict:
    """Line name → its position (the order the lines were given in)."""
    return {name: i for i, name in enumerate(dict.fromkeys(rows["line_name"]))}


def feedback_pages(data: DistrictData, f: SchoolFeedback) -> list[Page]:
    """The 通报反馈 of one school as pages: 主要结论 first, then its tables."""
    blocks = [Block("主要结论", note="\n".join(f"{i}. {s}" for i, s in
                                           enumerate(f.conclusions, 1)))]
    blocks += [Block(h, table=t) for h, t in feedback_tables(f).items()
               if t is not None and len(t)]
    blocks.append(Block("读法说明", note=METHOD_NOTE))
    return [Page(kind="class", name=f.school, title=f"{f.school} {data.exam} 联考通报反馈",
                 lines=(f"本校与全区（{len(data.schools)} 所学校、{data.n_sat} 人参考）比较",),
                 blocks=tuple(blocks), footer=FEEDBACK_FOOTER)]


def district_pages(data: DistrictData, analysis: DistrictAnalysis,
                   conclusions: list[str]) -> list[Page]:
    """The district report's Word file: 主要结论, the schools on every subject, 均衡."""
    blocks = [Block("一、主要结论", note="\n".join(f"{i}. {s}" for i, s in
                                             enumerate(conclusions, 1))),
              Block("二、各校各科平均分（（高）/（低）：高于 / 低于区域）",
                    table=school_matrix(analysis), note=METHOD_NOTE)]
    blocks += [Block(f"三、{s}：各校与区域", table=school_subject_table(analysis, s))
               for s in dict.fromkeys(analysis.schools["subject"])]
    blocks += [Block("四、校际均衡", table=balance_table(analysis.balance)),
               Block("五、班级均衡（全区各班）", table=balance_table(analysis.class_balance,
                                                             unit="班级"))]
    if analysis.groups is not None:
        g = analysis.groups
        blocks.append(Block("六、片区", table=_text(g, [GROUP, "subject", "n_sat", "mean",
                                                       "pass_rate", "excellent_rate",
                                                       "vs_district"])))
    if analysis.lines is not None:
        blocks += _district_line_blocks(analysis.lines, "七" if analysis.groups is not None
                                        else "六")
    return [Page(kind="class", name=data.title, title=data.title,
                 lines=(f"{len(data.schools)} 所学校，{data.n_sat} 人参考",),
                 blocks=tuple(blocks), footer=FEEDBACK_FOOTER)]


def group_table(analysis: DistrictAnalysis) -> pd.DataFrame | None:
    """片区 / 城乡 groups on every subject against the district (None without groups)."""
    if analysis.groups is None:
        return None
    cmp = analysis.group_comparison.classes
    g = analysis.groups.merge(cmp[[GROUP, "subject", "diff", "diff_low", "diff_high"]],
                              on=[GROUP, "subject"], how="left")
    return _text(g, ["subject", GROUP, "n_sat", "mean", "diff", "diff_low", "diff_high",
                     "pass_rate", "excellent_rate", "low_rate", "vs_district"]).rename(columns={
        "与年级均分差": "与区域均分差", "与年级均分差区间": "与区域均分差区间"})


def school_value_added(analysis: DistrictAnalysis) -> pd.DataFrame | None:
    """School value added since the earlier 联考, read (None without one)."""
    va = analysis.value_added
    if va is None:
        return None
    out = _text(va.units, ["subject", "school", "n", "z_entry", "z_exit", "estimate", "low",
                           "high"])
    out["与上次比（增值）"] = _va_reading(va.units)
    return out


def _va_reading(units: pd.DataFrame) -> list[str]:
    """The words of each value-added interval (above 0, below 0, containing 0)."""
    words = VALUE_LABELS["vs_expected"]
    return [words["too_few"] if pd.isna(lo) or pd.isna(hi) else words["above"] if lo > 0
            else words["below"] if hi < 0 else words["similar"]
            for lo, hi in zip(units["low"], units["high"])]


# ---- 上线情况 (with admission lines: qualitykit district --lines) ----------------------------

def lines_school_table(lines: DistrictLines) -> pd.DataFrame:
    """上线人数 and 上线率 (with its interval) of every school per line, the district's row
    last under each line; schools in the file's order (not ranked)."""
    district = lines.district.assign(school="区域")
    rows = pd.concat([lines.schools, district], ignore_index=True)
    rows = rows.sort_values("line_name", key=lambda c: c.map(_line_order(lines.district)),
                            kind="stable")
    return _text(rows, ["line_name", "line_score", "school", "n_sat", "n_over", "over_rate",
                        "over_rate_low", "over_rate_high"])


def lines_effective_table(lines: DistrictLines) -> pd.DataFrame:
    """单科有效分 of the district with 单科上线, 双上线, 命中率, 贡献率, and the other method's
    有效分 beside (比例法 and 均值法)."""
    table = lines.effective.merge(lines.methods[["subject", "ratio_line", "mean_line"]],
                                  on="subject", how="left")
    out = _text(table, ["subject", "effective_method", "line_name", "total_line",
                        "effective_line", "n_sat", "n_over_total", "n_over_subject", "n_double",
                        "hit_rate", "contribution_rate"])
    out["比例法有效分"] = table["ratio_line"].map(lambda v: f"{v:g}").to_numpy()
    out["均值法有效分"] = table["mean_line"].map(lambda v: f"{v:.2f}").to_numpy()
    return out


def lines_double_table(lines: DistrictLines) -> pd.DataFrame:
    """Schools × subjects: 双上线人数 (单科 and 总分 both over), with 总分上线人数 first."""
    t = lines.effective_schools
    wide = t.pivot(index="school", columns="subject", values="n_double")
    wide = wide.reindex(index=list(dict.fromkeys(t["school"])),
                        columns=list(dict.fromkeys(t["subject"])))
    total = t.groupby("school", sort=False)["n_over_total"].max()
    wide.insert(0, "总分上线人数", total.reindex(wide.index))
    wide.columns.name = None
    return wide.fillna(0).astype(int).reset_index().rename(columns={"school": "学校"})


def lines_critical_table(lines: DistrictLines) -> pd.DataFrame:
    """临界生 counts by school and line (counts only: the names are in ``qualitykit lines``)."""
    return _text(lines.critical, ["line_name", "school", "n_critical_above",
                                  "n_critical_below"])


def lines_notes_table(lines: DistrictLines) -> pd.DataFrame:
    """How the lines, 有效分, 双上线 and 临界生 are set (the 说明 of ``qualitykit lines``)."""
    return line_notes(lines.request)


def lines_section(analysis: DistrictAnalysis) -> Shown:
    """上线情况 for the notebook (nothing at all without lines): the lines by school, 单科有效分
    and 双上线, 临界生 counts, and how each is set."""
    lines = analysis.lines
    if lines is None:
        return Shown(None)
    parts = [heading("上线情况", level=3),
              Shown(lines_notes_table(lines), caption="分数线与算法", wrap=True),
              Shown(lines_school_table(lines), caption="各校上线人数与上线率（上线率带 95% 区间；"
                                                      "学校按成绩表顺序，不是名次）"),
              Shown(lines_effective_table(lines), caption="单科有效分与双上线（区域）"),
              Shown(lines_double_table(lines), caption="各校双上线人数（该科与总分都上线）"),
              Shown(lines_critical_table(lines), caption="各校临界生人数（只计人数，不列姓名）")]
    return _Many(parts)


def _district_line_blocks(lines: DistrictLines, number: str) -> list[Block]:
    """The Word file's 上线情况 blocks."""
    return [Block(f"{number}、上线情况：各校上线人数与上线率", table=lines_school_table(lines),
                  note="上线率带 95% 区间；学校按成绩表顺序，不是名次。"),
            Block("单科有效分与双上线（区域）", table=lines_effective_table(lines)),
            Block("各校双上线人数（该科与总分都上线）", table=lines_double_table(lines)),
            Block("各校临界生人数（只计人数，不列姓名）", table=lines_critical_table(lines)),
            Block("分数线与算法", table=lines_notes_table(lines))]
