"""一、主要结论: the few findings a headteacher reads first, chosen by rules from the results.

Each rule reads results the kit has already computed and writes one plain Chinese sentence
with its number; nothing here computes a statistic. A rule states a difference only where the
interval of the analysis that found it excludes "no difference":

- ``class_below`` / ``class_above``: a class whose mean differs from the grade's beyond chance
  (:func:`qualitykit.compare_classes`: Welch interval, Bonferroni over the classes);
- ``no_gap``: subjects whose classes do not differ (ANOVA and Kruskal–Wallis both p ≥ 0.05),
  so that nobody lines the classes up by their rank;
- ``double_high``: the 双高普九 lines (single-subject and all-subject pass rates of the grade);
- ``value_added``: classes whose value added since the last exam has an interval above or below
  0 (:func:`qualitykit.value_added`), or that every class is within chance;
- ``growth``: a class median growth percentile whose interval excludes 50 (and that value added
  did not already name);
- ``weak_items``: items lost by many pupils, an item with negative discrimination, 共性弱项;
- ``lists``: the sizes of the 培优补差 lists;
- ``fitness``: 体质健康 (a 体测 file given): classes whose mean 学年总分 differs from the grade's
  beyond chance, the item failed by more pupils beyond chance
  (:func:`qualitykit.fitness_findings`); at most two, after the exam's findings and beyond
  their ``most`` (the exam's findings would otherwise crowd them out);
- ``overview``: the grade's means and rates (used when the rules above find fewer than four).

:func:`conclusions` orders the findings for the meeting (期中: 查漏补缺 first; 期末: the term's
result first) and keeps 4–8 of them. The Chinese names of sections are the report's business:
``section`` is a key the report turns into "见三（四）".
"""

from __future__ import annotations

import math

import pandas as pd

from ..labels import VALUE_LABELS
from ..standard import Standard, get_standard
from .findings import line_percent, percent

__all__ = ["conclusions", "meeting_of", "MEETINGS", "CONCLUSION_RULES"]

#: The two meetings of a term: 期中 (查漏补缺) and 期末 (the term's result).
MEETINGS = ("期中", "期末")
#: Every rule, in the order a 期末 meeting reads them; :data:`_ORDER` has the 期中 order.
CONCLUSION_RULES = ("double_high", "class_below", "value_added", "class_above", "growth",
                    "no_gap", "weak_items", "lists", "overview")
_ORDER = {
    "期末": CONCLUSION_RULES,
    "期中": ("weak_items", "class_below", "lists", "value_added", "class_above", "growth",
             "double_high", "no_gap", "overview"),
}
#: How many findings one rule may give before the others have had their turn, per meeting.
_CAPS = {"期末": {"class_below": 2}, "期中": {"class_below": 2, "weak_items": 2}}
COLUMNS = ["rule", "subject", "class_id", "value", "section", "sentence"]


def meeting_of(exam: str, meeting: str | None = None) -> str:
    """The meeting a report is for: ``meeting`` when given, else from the exam's name.

    An exam named 期中 (or 半期) is for the 期中 meeting; every other exam (期末, 月考, 联考 …)
    for the 期末 one.

    >>> meeting_of("2025-2026-1 期中"), meeting_of("2025-2026-1 期末"), meeting_of("期中", "期末")
    ('期中', '期末', '期末')
    """
    if meeting:
        if meeting not in MEETINGS:
            raise ValueError(f"meeting 应为 期中 或 期末（质量分析会），收到 {meeting!r}。")
        return meeting
    return "期中" if any(word in str(exam) for word in ("期中", "半期")) else "期末"


def conclusions(basic: pd.DataFrame, *, comparison=None, double_high: pd.DataFrame | None = None,
                value_added=None, growth=None, paper=None, lists: pd.DataFrame | None = None,
                meeting: str = "期末", standard: Standard | str | None = None,
                most: int = 8, least: int = 4, fitness=None) -> pd.DataFrame:
    """The report's 主要结论: 4–8 findings, each one sentence with its number.

    Parameters
    ----------
    basic : DataFrame
        ``summary(scores, by="subject")`` (the grade).
    comparison : ClassComparison, optional
        ``compare_classes(scores)``.
    double_high : DataFrame, optional
        ``double_high_check(scores)``.
    value_added : ValueAdded, optional
        ``value_added(scores, previous)`` (classes).
    growth : Growth, optional
        ``growth_percentiles(scores, previous)``.
    paper : PaperAnalysis, optional
        ``paper_analysis(items)``.
    lists : DataFrame, optional
        ``targets(scores, previous=...)``: pupils on each list, and who is new on 补差.
    meeting : {"期中", "期末"}
        The order of the rules (:func:`meeting_of`).
    standard : Standard, preset name or TOML path, optional
        The 双高 lines and the 失分率 line of items.
    most, least : int
        At most ``most`` findings; rules past their cap fill up to ``least``.
    fitness : FitnessSection, optional
        :func:`qualitykit.fitness_section` (a 体测 file given): at most two 体质健康 findings,
        after the others (not counted in ``most``).

    Returns
    -------
    DataFrame
        One row per finding, in reading order: ``rule`` (:data:`CONCLUSION_RULES`, or
        ``fitness``),
        ``subject``, ``class_id`` (empty when about the grade), ``value`` (the number the
        finding turns on), ``section`` (the report section holding the evidence: ``summary``,
        ``basic``, ``classes``, ``change``, ``paper``, ``lists``, ``fitness``) and ``sentence``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> c = qk.conclusions(qk.summary(s, by="subject"), comparison=qk.compare_classes(s),
    ...                    double_high=qk.double_high_check(s))
    >>> c["rule"].tolist()
    ['double_high', 'class_below', 'class_below', 'class_above', 'no_gap']
    >>> c["sentence"].iloc[1]
    '科学 5-1 班平均分 66.9 分，比年级低 12.1 分，差异超出偶然波动。'
    """
    std = get_standard(standard)
    found = {
        "double_high": _double_high(double_high, std),
        "class_below": _class_gaps(comparison, below=True),
        "class_above": _class_gaps(comparison, below=False),
        "no_gap": _no_gap(comparison),
        "value_added": _value_added(value_added),
        "growth": _growth(growth, value_added),
        "weak_items": _weak_items(paper, std),
        "lists": _lists(lists, meeting),
        "overview": _overview(basic),
    }
    meeting = meeting_of("", meeting)
    chosen = _choose(found, _ORDER[meeting], _CAPS[meeting], most, least)
    fitness_rows = _fitness(fitness)
    if not fitness_rows:
        return chosen
    return pd.concat([chosen, pd.DataFrame(fitness_rows, columns=COLUMNS)], ignore_index=True)


def _choose(found: dict[str, list[dict]], order: tuple[str, ...], caps: dict[str, int],
            most: int, least: int) -> pd.DataFrame:
    """Each rule's findings up to its cap, in the meeting's order; then the rest (the grade's
    overview last) while fewer than ``least``."""
    first = [row for rule in order if rule != "overview"
             for row in found[rule][:caps.get(rule, 1)]]
    rest = [row for rule in order if rule != "overview"
            for row in found[rule][caps.get(rule, 1):]] + found["overview"]
    chosen = (first + rest[:max(0, least - len(first))])[:most]
    return pd.DataFrame(chosen, columns=COLUMNS)


def _row(rule: str, sentence: str, *, subject: str = "", class_id: str = "",
         value: float = math.nan, section: str = "") -> dict:
    return {"rule": rule, "subject": subject, "class_id": class_id, "value": value,
            "section": section, "sentence": sentence}


def _unit(row) -> str:
    """A class as a sentence names it: "5-1 班" (with its school in a 联考 table)."""
    school = f"{row['school']} " if "school" in row and isinstance(row["school"], str) else ""
    return f"{school}{row['class_id']} 班"


def _double_high(table: pd.DataFrame | None, std: Standard) -> list[dict]:
    """双高普九 of the grade: met, or which line is missed and by how much."""
    if table is None or table.empty:
        return []
    r = table.iloc[0]
    if pd.isna(r["min_pass_rate"]) or pd.isna(r["all_pass_rate"]):
        return []
    single, whole = line_percent(std.double_high_subject), line_percent(std.double_high_all)
    if r["meets"]:
        return [_row("double_high", f"双高普九两项都已达到：各科合格率最低为{r['weakest_subject']} "
                     f"{percent(r['min_pass_rate'])}（要求 ≥ {single}），全科合格率 "
                     f"{percent(r['all_pass_rate'])}（要求 ≥ {whole}）。",
                     value=r["all_pass_rate"], section="summary")]
    below = [s for s in str(r["subjects_below"]).split("、") if s]
    parts = [f"全科合格率 {percent(r['all_pass_rate'])}"
             f"{'，未达' if not r['meets_all'] else '，达到'} {whole} 的要求"]
    if below:
        parts.append(f"单科合格率未达 {single} 的有 {len(below)} 科（{'、'.join(below)}），"
                     f"最低的是{r['weakest_subject']} {percent(r['min_pass_rate'])}")
    return [_row("double_high", "双高普九未达标：" + "；".join(parts) + "。",
                 value=r["all_pass_rate"], section="summary")]


def _class_gaps(comparison, *, below: bool) -> list[dict]:
    """Classes below the grade beyond chance, one finding each (the largest effect first); the
    classes above it beyond chance, together in one finding (the largest gap first)."""
    if comparison is None or comparison.classes.empty:
        return []
    table = comparison.classes
    table = table[table["significant"].fillna(False).astype(bool)]
    table = table[table["diff"] < 0] if below else table[table["diff"] > 0]
    if table.empty:
        return []
    table = table.reindex(table["hedges_g"].abs().sort_values(ascending=False).index)
    if below:
        return [_row("class_below", f"{r['subject']} {_unit(r)}平均分 {r['mean']:.1f} 分，比年级低 "
                     f"{-r['diff']:.1f} 分，差异超出偶然波动"
                     f"{_few(r)}。", subject=r["subject"], class_id=r["class_id"],
                     value=r["diff"], section="classes") for _, r in table.iterrows()]
    named = "、".join(f"{r['subject']} {_unit(r)}（高 {r['diff']:.1f} 分）"
                     for _, r in table.sort_values("diff", ascending=False).iterrows())
    return [_row("class_above", f"平均分高于年级且超出偶然波动的有 {len(table)} 个班级科目：{named}。",
                 value=float(table["diff"].max()), section="classes")]


def _few(row) -> str:
    return f"（实考仅 {int(row['n_sat'])} 人，结论不稳）" if row.get("small_group") else ""


def _no_gap(comparison) -> list[dict]:
    """Subjects whose classes do not differ beyond chance (both omnibus tests p ≥ 0.05)."""
    if comparison is None or comparison.omnibus.empty:
        return []
    o = comparison.omnibus
    calm = o[(o["n_groups"] >= 2) & (o["anova_p"] >= 0.05) & (o["kruskal_p"] >= 0.05)]
    if calm.empty:
        return []
    subjects = "、".join(calm["subject"])
    every = "各科" if len(calm) == len(o[o["n_groups"] >= 2]) and len(calm) > 1 else subjects
    return [_row("no_gap", f"{every}各班平均分的差别都在偶然波动范围内（最大相差 "
                 f"{_spread(comparison, calm['subject'])} 分），不宜按名次给这些班级排先后。",
                 subject=subjects, section="classes")]


def _spread(comparison, subjects) -> str:
    """The largest gap between two class means among ``subjects``, as the sentence says it."""
    c = comparison.classes[comparison.classes["subject"].isin(set(subjects))]
    gaps = c.groupby("subject")["mean"].agg(lambda m: m.max() - m.min())
    return f"{gaps.max():.1f}"


def _value_added(va) -> list[dict]:
    """Classes whose value added since the last exam is beyond chance, in one finding; or that
    every class is within chance."""
    if va is None or va.units.empty:
        return []
    u = va.units.dropna(subset=["low", "high"])
    if u.empty:
        return []
    up, down = u[u["low"] > 0], u[u["high"] < 0]
    if up.empty and down.empty:
        return [_row("value_added", f"与上次考试相比，{len(u)} 个班级科目的进退都在偶然波动范围内"
                     "（增值的区间都含 0），没有哪个班明显进步或退步。", section="change")]
    parts = [f"{r['subject']} {_unit(r)}的{word}（增值 {r['estimate']:+.2f} 个标准差，区间 "
             f"{r['low']:.2f} 至 {r['high']:.2f}）" for table, word in ((down, "退步"), (up, "进步"))
             for _, r in table.sort_values("estimate", key=abs, ascending=False).iterrows()]
    rest = len(u) - len(up) - len(down)
    return [_row("value_added", "与上次考试相比，" + _and(parts) + "超出偶然波动；其余 "
                 f"{rest} 个班级科目的进退与按上次成绩的预期无明显差别。",
                 value=float(down["estimate"].min() if len(down) else up["estimate"].max()),
                 section="change")]


def _and(parts: list[str]) -> str:
    """``A、B和C``."""
    return parts[0] if len(parts) == 1 else "、".join(parts[:-1]) + "和" + parts[-1]


def _growth(growth, va) -> list[dict]:
    """Class median growth percentiles whose interval excludes 50, unless value added already
    named that class and subject."""
    if growth is None or growth.groups.empty or "class_id" not in growth.groups:
        return []
    g = growth.groups.dropna(subset=["median_low", "median_high"])
    g = g[(g["median_low"] > 50) | (g["median_high"] < 50)]
    if va is not None and not va.units.empty and "class_id" in va.units:
        named = va.units[(va.units["low"] > 0) | (va.units["high"] < 0)]
        seen = set(zip(named["class_id"], named["subject"]))
        g = g[[(c, s) not in seen for c, s in zip(g["class_id"], g["subject"])]]
    return [_row("growth", f"{r['subject']} {_unit(r)}学生成长百分位的中位数为 {r['median_sgp']:g}"
                 f"（区间 {r['median_low']:g}–{r['median_high']:g}），"
                 f"{'高' if r['median_low'] > 50 else '低'}于一般成长（50）。",
                 subject=r["subject"], class_id=r["class_id"], value=r["median_sgp"],
                 section="change") for _, r in g.iterrows()]


def _weak_items(paper, std: Standard) -> list[dict]:
    """Items with a high 失分率 (the most lost named), 共性弱项, items with negative D."""
    if paper is None or paper.items.empty:
        return []
    subject = paper.paper["subject"].iloc[0] if "subject" in paper.paper else ""
    rows = []
    lost = paper.error_items
    if len(lost):
        top = lost.iloc[0]
        rows.append(_row("weak_items", f"{subject}失分率在 {line_percent(std.item_error_rate)} 以上的小题有 "
                         f"{len(lost)} 道，失分最多的是第 {top['item_id']} 题{_point(top)}，失分率 "
                         f"{percent(top['error_rate'])}，是讲评和查漏补缺的重点。", subject=subject,
                         value=top["error_rate"], section="paper"))
    weak = paper.weak
    if len(weak):
        named = "、".join(f"{r['knowledge_point']}（得分率 {percent(r['rate'])}）"
                         for _, r in weak.sort_values("rate").iterrows())
        rows.append(_row("weak_items", f"{subject}共性弱项 {len(weak)} 个：{named}。",
                         subject=subject, value=float(weak["rate"].min()), section="paper"))
    negative = paper.items[paper.items["discrimination"] < 0]
    if len(negative):
        ids = "、".join(f"第 {i} 题" for i in negative["item_id"])
        rows.append(_row("weak_items", f"{subject}{ids}区分度为负（高分学生反而得分低），请先核对答案"
                         "和题目表述。", subject=subject,
                         value=float(negative["discrimination"].min()), section="paper"))
    return rows


def _point(item) -> str:
    point = item.get("knowledge_point", "")
    return f"（{point}）" if isinstance(point, str) and point else ""


def _lists(lists: pd.DataFrame | None, meeting: str) -> list[dict]:
    """The sizes of the 培优补差 lists, counted in pupils (a pupil on a list in two subjects
    counts once), and the pupils new on 补差."""
    if lists is None or lists.empty:
        return []
    pupils = lists.groupby("list")["student_id"].nunique()
    sizes = "、".join(f"{cn} {int(pupils.get(k, 0))} 人" for k, cn in VALUE_LABELS["list"].items()
                      if k != "lopsided")
    new = ""
    if "change" in lists:
        entered = lists[(lists["list"] == "support") & (lists["change"] == "entered")]
        new = f"，其中 {entered['student_id'].nunique()} 人是本次新进入补差名单的"
    when = "下半学期" if meeting == "期中" else "下学期"
    return [_row("lists", f"{when}培优补差名单（一名学生在几科上榜只计一次）：{sizes}{new}。",
                 value=float(pupils.get("support", 0)), section="lists")]


def _fitness(section) -> list[dict]:
    """体质健康 findings of a 体测 file (none without one)."""
    if section is None:
        return []
    from ..fitness.term_section import fitness_findings

    return fitness_findings(section)


def _overview(basic: pd.DataFrame) -> list[dict]:
    """The grade's means and pass and excellent rates: the lowest and highest subject."""
    b = basic[basic["n_sat"] > 0]
    if b.empty:
        return []
    if len(b) == 1:
        r = b.iloc[0]
        return [_row("overview", f"全年级{r['subject']}平均分 {r['mean']:.1f} 分，及格率 "
                     f"{percent(r['pass_rate'])}，优秀率 {percent(r['excellent_rate'])}。",
                     subject=r["subject"], value=r["pass_rate"], section="basic")]

    def span(column: str) -> str:
        low, high = b.loc[b[column].idxmin()], b.loc[b[column].idxmax()]
        return (f"{percent(low[column])}（{low['subject']}）至 {percent(high[column])}"
                f"（{high['subject']}）")

    return [_row("overview", f"全年级 {len(b)} 科平均分 {b['mean'].min():.1f}–{b['mean'].max():.1f} 分，"
                 f"及格率 {span('pass_rate')}，优秀率 {span('excellent_rate')}。",
                 value=float(b["pass_rate"].min()), section="basic")]
