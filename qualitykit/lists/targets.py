"""培优补差 lists: enrichment, borderline, support and lopsided students, with the reason.

Every rule and cut-off comes from the :class:`~qualitykit.Standard` (defaults in DOMAIN.md):

========================  ====================================================================
list (名单)               rule (依据)
========================  ====================================================================
``enrichment`` 培优       ``top_share``: in the grade's top ``enrichment_top`` (10 %);
                          ``enrichment_line``: score ≥ the school's 培优线, when it sets one
                          (``enrichment_line`` > 0, a share of the full mark; none by default)
``borderline`` 临界       ``near_pass_below`` 拟合格: pass − k ≤ score < pass;
                          ``near_excellent_below`` 拟优: excellent − k ≤ score < excellent;
                          k = ``borderline_share`` (5 %) of the full mark, or
                          ``borderline_points`` when a school sets them. With ``borderline_above``:
                          ``near_pass_above`` / ``near_excellent_above``, line ≤ score < line + k
                          (just over the line, at risk; off by default)
``support`` 补差          ``below_pass``: score < the pass line (or ``mean_below_pass``: the mean
                          得分率 of the last ``support_exams`` exams < the pass share), at most
                          the grade's bottom ``support_max`` (20 %: where more fail, the lowest);
                          ``bottom_share``: in the grade's bottom ``support_bottom`` (10 %)
``lopsided`` 偏科         ``lopsided``: Z − the student's own mean Z ≤ −``lopsided_z`` (1.0)
========================  ====================================================================

So by default a list names a useful part of the grade, per subject: 培优 the top 10 % (more
only by ties at the cut), 补差 between 10 % and 20 % (the pupils below the pass line, at least
the bottom tenth, at most the bottom fifth), 临界 the bands of 5 points below the two lines.

Only scores a student actually sat count: an absent student is never on a list because of a
missing score. "The grade" is everyone who sat the same exam × subject (× school × grade when
the table has several); shares include students tied with the last one inside (1, 2, 2, 4).
Lists are for staff (teachers, 班主任); they carry scores and distances to lines, never ranks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import (
    check_scores_table,
    check_unique_students,
    sat_rows,
    several_schools,
    student_keys,
    unit_keys,
)
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order, teaching_order
from ..term.distribution import standardize
from ..term.indicators import row_lines

__all__ = ["LISTS", "RULES", "targets", "target_counts", "target_rules"]

#: The lists, in the order teachers read them.
LISTS = ("enrichment", "borderline", "support", "lopsided")
#: Every rule, in priority order within its list (the first one gives ``line`` and ``distance``).
RULES = {
    "enrichment": ("enrichment_line", "top_share"),
    "borderline": ("near_pass_below", "near_excellent_below", "near_pass_above",
                   "near_excellent_above"),
    "support": ("below_pass", "mean_below_pass", "bottom_share"),
    "lopsided": ("lopsided",),
}
_COLUMNS = ["exam", "school", "grade", "class_id", "student_id", "name", "subject", "teacher",
            "list", "rule", "score", "full_mark", "line", "distance", "z", "weakest", "reason"]


def grade_scope(scores: pd.DataFrame) -> list[str]:
    """Who "the grade" is for shares and Z: the same exam × school × grade × subject."""
    return [k for k in ("exam", "school", "grade", "subject") if k in scores.columns]


def _sat(scores: pd.DataFrame, std: Standard) -> pd.DataFrame:
    """Rows with a score the student sat, with their lines and Z."""
    sat = sat_rows(scores, with_full_mark=True).copy()
    lines = row_lines(sat, std)
    sat["pass_line"], sat["excellent_line"] = lines["pass"], lines["excellent"]
    scope = grade_scope(sat)
    sat["z"] = standardize(sat, within=scope)["z"]
    return sat


def _share_cut(sat: pd.DataFrame, share: float, top: bool, values: pd.Series | None = None,
               ties: bool = True) -> tuple[pd.Series, pd.Series]:
    """Who is inside the grade's top (or bottom) ``share`` by ``values`` (default the score),
    and the value of the last one inside. Pupils tied with the last one inside are all in
    (``ties``: a share that is a least) or, when that would pass the share, all out (a share
    that is a most); either way equal scores are treated alike."""
    values = sat["score"] if values is None else values
    scope = [sat[c] for c in grade_scope(sat)]
    grouped = values.groupby(scope, dropna=False)
    rank = grouped.rank(ascending=not top, method="min" if ties else "max")
    n = grouped.transform("count")
    k = np.maximum(1, np.ceil(share * n - 1e-9)) if ties else np.floor(share * n + 1e-9)
    inside = (rank <= k) & (share > 0)
    cut = values.where(inside).groupby(scope, dropna=False).transform("min" if top else "max")
    return inside, cut


def _fmt(x: float) -> str:
    return f"{x:g}"


def _texts(values: pd.Series, fmt=_fmt) -> pd.Series:
    """``fmt`` of every value as text, each distinct value formatted once (lines and scores
    take few values; a list of 100,000 pupils should not call Python once per row)."""
    distinct = pd.unique(values.to_numpy())
    return values.map(dict(zip(distinct, map(fmt, distinct)))).astype(object)


def _rounded(values: pd.Series) -> pd.Series:
    """A difference of scores as text, rounded to 6 decimals as Python's ``round`` does."""
    return _texts(values, lambda v: _fmt(round(v, 6)))


def targets(scores: pd.DataFrame, *, standard: Standard | str | None = None,
            teachers: pd.DataFrame | None = None, previous: pd.DataFrame | None = None,
            lists: tuple[str, ...] | list[str] = LISTS) -> pd.DataFrame:
    """The 培优补差 lists of one exam: one row per student × subject × list, with the reason.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table of one exam (see :func:`qualitykit.read_scores`).
    standard : Standard, preset name or TOML path
        Lines and every cut-off of the lists (``enrichment_top``, ``enrichment_line``,
        ``borderline_share``, ``borderline_points``, ``borderline_above``, ``support_max``,
        ``support_bottom``, ``support_exams``, ``lopsided_z``, ``lopsided_min_subjects``).
    teachers : DataFrame, optional
        The 教学编排表 (:func:`qualitykit.read_teachers`): each row gets the subject teacher.
    previous : DataFrame, optional
        Earlier exams of the same students. With ``support_exams`` > 1 the 补差 rule uses the
        mean 得分率 of the last n exams (exams in the order of their names, e.g.
        ``2024-2025-2 期末`` < ``2025-2026-1 期中``). The latest earlier exam also gives
        ``change``: ``entered`` (new on this list: counts against the class), ``stayed``,
        ``new_student`` (not in that exam) or ``new_subject`` (that exam had no such subject).
    lists : names
        Which of :data:`LISTS` to build.

    Returns
    -------
    DataFrame
        ``exam``, ``school``, ``grade``, ``class_id``, ``student_id``, ``name``, ``subject``,
        ``teacher``, ``list``, ``rule`` (the rules that apply, ``+``-joined, see :data:`RULES`),
        ``score``, ``full_mark``, ``line`` (the line of the first rule, in points), ``distance``
        (score − line), ``z``, ``weakest`` (the student's subject with the lowest Z),
        ``reason`` (in Chinese), and ``change`` when ``previous`` is given.

    Examples
    --------
    >>> import qualitykit as qk
    >>> lists = qk.targets(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> lists["list"].value_counts().reindex(qk.LISTS).index.tolist()
    ['enrichment', 'borderline', 'support', 'lopsided']
    >>> row = lists[lists["rule"] == "near_pass_below"].iloc[0]
    >>> bool(row.line - 5 <= row.score < row.line)
    True
    """
    std = get_standard(standard)
    _check_inputs(scores, previous, lists)
    sat = _with_teachers(_sat(scores, std), teachers)
    sat["weakest"] = _weakest(sat)
    hits = []  # (mask, list, rule, line, reason), in the order of LISTS
    if "enrichment" in lists:
        hits += _enrichment_hits(sat, std)
    if "borderline" in lists:
        hits += _borderline_hits(sat, std)
    if "support" in lists:
        hits += _support_hits(sat, std, previous)
    if "lopsided" in lists:
        hits += _lopsided_hits(sat, std)
    out = _rows(sat, hits)
    if previous is not None and len(out):
        out["change"] = _change(out, scores, previous, std, lists)
    return out


def _check_inputs(scores: pd.DataFrame, previous: pd.DataFrame | None, lists) -> None:
    """Known lists, one exam, canonical tables with each pupil once per subject."""
    unknown = set(lists) - set(LISTS)
    if unknown:
        raise ValueError(f"lists 中有未知的名单 {sorted(unknown)}；可用：{list(LISTS)}。")
    exams = scores["exam"].dropna().unique() if "exam" in scores else []
    if len(exams) > 1:
        raise ValueError(f"targets 一次处理一次考试，表中有 {len(exams)} 次：{list(exams)}。"
                         "请先筛选，如 scores[scores['exam'] == '2025-2026-1 期末']；"
                         "更早的考试用 previous= 传入。")
    check_scores_table(scores, where="targets")
    check_unique_students(scores, what="成绩表（scores）", function="targets")
    if previous is not None:
        check_scores_table(previous, where="targets（previous）")
        check_unique_students(previous, what="之前的考试（previous）", function="targets",
                              keys=student_keys(scores, previous))


def _with_teachers(sat: pd.DataFrame, teachers: pd.DataFrame | None) -> pd.DataFrame:
    """Each row's subject teacher from the 教学编排表 (an empty ``teacher`` without one)."""
    if teachers is not None:
        from ..term.teachers import assign_teachers
        return assign_teachers(sat, teachers)
    if "teacher" not in sat:
        sat["teacher"] = None
    return sat


def _enrichment_hits(sat: pd.DataFrame, std: Standard) -> list:
    """培优: the school's 培优线 (when it sets one); the grade's top share."""
    inside, cut = _share_cut(sat, std.enrichment_top, top=True)
    hits = [(inside, "enrichment", "top_share", cut,
             lambda r: f"在年级该科前 {std.enrichment_top:.0%}（≥ " + _texts(r["line"]) + " 分）")]
    if std.enrichment_line > 0:
        grade = sat["grade"] if "grade" in sat else pd.Series(None, index=sat.index)
        pairs = pd.DataFrame({"f": sat["full_mark"].to_numpy(float),
                              "g": pd.array(grade, dtype="Int64")}, index=sat.index)
        distinct = pairs.drop_duplicates()
        lines = [std.line("enrichment", f, None if pd.isna(g) else int(g))
                 for f, g in zip(distinct["f"], distinct["g"])]
        line = pairs.merge(distinct.assign(line=lines), on=["f", "g"], how="left")["line"]
        line.index = sat.index
        hits.insert(0, (sat["score"] >= line, "enrichment", "enrichment_line", line,
                        lambda r: "达到培优线 " + _texts(r["line"]) + " 分"))
    return hits


def _borderline_hits(sat: pd.DataFrame, std: Standard) -> list:
    """临界: within k points below the pass or excellent line (and, with
    ``borderline_above``, less than k above it)."""
    hits, k = [], borderline_band(sat, std)
    for which, cn in (("pass", "及格"), ("excellent", "优秀")):
        line = sat[f"{which}_line"]
        hits.append(((sat["score"] < line) & (sat["score"] >= line - k), "borderline",
                     f"near_{which}_below", line,
                     lambda r, cn=cn: "差 " + _rounded(r["line"] - r["score"]) + f" 分达{cn}线 "
                     + _texts(r["line"]) + " 分"))
        if std.borderline_above:
            hits.append(((sat["score"] >= line) & (sat["score"] < line + k), "borderline",
                         f"near_{which}_above", line,
                         lambda r, cn=cn: f"只比{cn}线 " + _texts(r["line"]) + " 分高 "
                         + _rounded(r["score"] - r["line"]) + " 分，易滑落"))
    return hits


def borderline_band(scores: pd.DataFrame, std: Standard) -> pd.Series:
    """The width of the 临界 band of each row, in points: ``borderline_points`` when the school
    sets them, else ``borderline_share`` of the row's full mark.

    >>> t = pd.DataFrame({"full_mark": [100.0, 150.0, 40.0]})
    >>> borderline_band(t, Standard()).tolist(), borderline_band(t, Standard(borderline_points=10)).tolist()
    ([5.0, 7.5, 2.0], [10.0, 10.0, 10.0])
    """
    if std.borderline_points > 0:
        return pd.Series(float(std.borderline_points), index=scores.index)
    return (scores["full_mark"].astype(float) * std.borderline_share).round(9)


def _support_hits(sat: pd.DataFrame, std: Standard, previous: pd.DataFrame | None) -> list:
    """补差: below the pass line (or the mean 得分率 of the last exams below the pass share),
    the lowest ``support_max`` of the grade at most; the grade's bottom ``support_bottom``.
    Adds ``mean_rate``, ``n_exams`` and ``support_capped`` to ``sat`` for the reason."""
    history = _history_rate(sat, previous, std.support_exams)
    if history is None:
        below, rule, measure = sat["score"] < sat["pass_line"], "below_pass", sat["score"]
    else:
        sat["mean_rate"], sat["n_exams"] = history
        measure = sat["mean_rate"]
        below, rule = measure < sat["pass_line"] / sat["full_mark"] - 1e-12, "mean_below_pass"
    lowest, _ = _share_cut(sat, std.support_max, top=False, values=measure, ties=False)
    left_out = (below & ~lowest).groupby([sat[c] for c in grade_scope(sat)], dropna=False)
    sat["support_capped"] = left_out.transform("any")  # more fail than the cap: the lowest
    inside, cut = _share_cut(sat, std.support_bottom, top=False)
    return [(below & lowest, "support", rule, sat["pass_line"],
             lambda r: _below_pass_reason(r, std)),
            (inside, "support", "bottom_share", cut,
             lambda r: f"在年级该科后 {std.support_bottom:.0%}（≤ " + _texts(r["line"]) + " 分）")]


def _below_pass_reason(r: pd.DataFrame, std: Standard) -> pd.Series:
    """Why the pupils below the pass line are on 补差 (the rows of one rule of :func:`_rows`)."""
    if (r["rule"] == "mean_below_pass").all():
        text = ("最近 " + _texts(r["n_exams"], lambda v: f"{int(v)}") + " 次考试平均得分率 "
                + _texts(r["mean_rate"], lambda v: f"{v:.1%}") + "，低于及格线 "
                + _texts(r["pass_line"] / r["full_mark"], lambda v: f"{v:.0%}"))
    else:
        text = "低于及格线 " + _texts(r["line"]) + " 分"
    capped = f"（低于及格线的学生多，列出年级该科最低的 {std.support_max:.0%}）"
    return text.where(~r["support_capped"].astype(bool), text + capped)


def _lopsided_hits(sat: pd.DataFrame, std: Standard) -> list:
    """偏科: a Z far below the pupil's own mean Z. Adds ``own_z`` to ``sat`` for the reason."""
    z_mean, n_z = _own_mean_z(sat)
    gap = sat["z"] - z_mean
    sat["own_z"] = z_mean
    return [((gap <= -std.lopsided_z) & (n_z >= std.lopsided_min_subjects), "lopsided",
             "lopsided", pd.Series(np.nan, index=sat.index),
             lambda r: "Z = " + _texts(r["z"], _two) + "，比本人各科平均 Z（"
             + _texts(r["own_z"], _two) + "）低 " + _texts(r["own_z"] - r["z"], _two))]


def _two(v: float) -> str:
    return f"{v:.2f}"


def _weakest(sat: pd.DataFrame) -> pd.Series:
    """Each student's subject with the lowest Z (the one to work on first)."""
    z = sat.dropna(subset=["z"])
    if z.empty:
        return pd.Series(None, index=sat.index, dtype=object)
    keys = [k for k in ("exam", *student_keys(sat)) if k in z]
    idx = z.groupby(keys, dropna=False)["z"].idxmin()
    weakest = z.loc[idx, keys + ["subject"]]
    return sat[keys].merge(weakest, on=keys, how="left")["subject"].set_axis(sat.index)


def _own_mean_z(sat: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    keys = [k for k in ("exam", *student_keys(sat)) if k in sat]
    grouped = sat.groupby(keys, dropna=False)["z"]
    return grouped.transform("mean"), grouped.transform("count")


def _history_rate(sat: pd.DataFrame, previous: pd.DataFrame | None, n: int):
    """Mean 得分率 of each student × subject over his last n sat exams (this one included),
    and how many exams that is; None when the rule is this exam alone."""
    if n <= 1 or previous is None or previous.empty:
        return None
    before = sat_rows(previous, with_full_mark=True)
    before = _earlier(before, sat)
    earlier = sorted(before["exam"].unique())[-(n - 1):]
    before = before[before["exam"].isin(earlier)]
    ids = student_keys(sat, previous)
    rates = pd.concat([before[[*ids, "subject", "score", "full_mark"]],
                       sat[[*ids, "subject", "score", "full_mark"]]])
    rates = rates.assign(rate=rates["score"] / rates["full_mark"]).groupby(
        [*ids, "subject"])["rate"].agg(["mean", "size"])
    joined = sat[[*ids, "subject"]].join(rates, on=[*ids, "subject"])
    return joined["mean"], joined["size"]


def _earlier(previous: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """The earlier exams: all of ``previous`` when it holds one exam (even one named like the
    current, e.g. two files both called 期末); otherwise the ones not named as the current."""
    if previous["exam"].nunique() <= 1:
        return previous
    current = scores["exam"].iloc[0] if len(scores) else None
    return previous[previous["exam"] != current]


def _rows(sat: pd.DataFrame, hits) -> pd.DataFrame:
    """One row per student × subject × list; rules joined in priority order."""
    frames = []
    for mask, name, rule, line, reason in hits:
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            continue
        rows = sat[mask].copy()
        rows["list"], rows["rule"], rows["line"] = name, rule, line[mask].astype(float)
        rows["distance"] = rows["score"] - rows["line"]
        rows["reason"] = reason(rows).to_numpy()
        rows["_order"] = RULES[name].index(rule)
        frames.append(rows)
    if not frames:
        return pd.DataFrame(columns=_COLUMNS)
    rows = pd.concat(frames).sort_values("_order", kind="stable")
    keys = [k for k in ("exam", *student_keys(sat), "subject", "list") if k in rows]
    out = _joined_rules(rows, keys)
    out["reason"] = (out["subject"].astype(object) + " " + _texts(out["score"]) + " 分："
                     + out["reason"]).astype(str)
    out["list"] = pd.Categorical(out["list"], categories=LISTS, ordered=True)
    out["_neg_score"] = -out["score"]
    order = [k for k in unit_keys(out, "class_id") if k in out]
    out = out.sort_values([*order, "list", "subject", "_neg_score", "student_id"],
                          key=lambda s: s.map(teaching_order) if s.name == "subject" else s,
                          kind="stable")
    out["list"] = out["list"].astype(str)
    return out.reindex(columns=[c for c in _COLUMNS if c in out or c in ("teacher",)]) \
        .reset_index(drop=True)


def _joined_rules(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The first row of each student × subject × list (rows in priority order), with the
    rules of the group ``+``-joined and the reasons ``；``-joined in that order (column-wise:
    a group holds at most a handful of rules)."""
    position = rows.groupby(keys, sort=False, dropna=False).cumcount().to_numpy()
    group = rows.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    first = rows[position == 0].copy()
    rule = np.array(first["rule"], dtype=object)  # a writable copy
    reason = np.array(first["reason"], dtype=object)
    slot = np.empty(group.max() + 1 if len(group) else 0, dtype=int)
    slot[group[position == 0]] = np.arange(len(first))
    for p in range(1, position.max() + 1 if len(position) else 1):
        more = position == p
        at = slot[group[more]]
        rule[at] = rule[at] + "+" + rows["rule"].astype(object).to_numpy()[more]
        reason[at] = reason[at] + "；" + rows["reason"].astype(object).to_numpy()[more]
    first["rule"], first["reason"] = rule, reason
    return first.reset_index(drop=True)


def _change(out: pd.DataFrame, scores: pd.DataFrame, previous: pd.DataFrame, std: Standard,
            lists) -> pd.Series:
    """Against the latest earlier exam: entered, stayed, new_student, or new_subject (a
    subject that exam did not have, such as 物理 in its first term: no list to enter)."""
    from ..io.titles import order_exams

    earlier = _earlier(previous, scores)
    if earlier.empty:
        return pd.Series("new_student", index=out.index)
    last = earlier[earlier["exam"] == order_exams(earlier["exam"].unique())[-1]]
    before = targets(last, standard=std, lists=lists)
    ids = student_keys(out, last)
    on_before = set(before[[*ids, "subject", "list"]].itertuples(index=False, name=None))
    present = set(last[ids].itertuples(index=False, name=None))
    subjects = set(last["subject"])
    return pd.Series([
        "new_student" if pupil[:len(ids)] not in present else
        "new_subject" if pupil[-2] not in subjects else
        "stayed" if pupil in on_before else "entered"
        for pupil in out[[*ids, "subject", "list"]].itertuples(index=False, name=None)],
        index=out.index)


def target_counts(lists: pd.DataFrame, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many students each class has on each list, by subject (for the meeting).

    Parameters
    ----------
    lists : DataFrame
        From :func:`targets`.
    scores : DataFrame, optional
        The exam's scores, to add the number of sitters ``n_sat``.

    Returns
    -------
    DataFrame
        (``school`` when there are several: a class is counted within its school),
        ``class_id``, ``subject``, (``n_sat``), ``n_enrichment``, ``n_borderline``,
        ``n_support``, ``n_lopsided``, and ``n_support_entered`` (new names on the 补差 list,
        which count against the class) when the lists carry ``change``.

    Examples
    --------
    >>> import qualitykit as qk
    >>> scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> counts = qk.target_counts(qk.targets(scores), scores)
    >>> counts.columns.tolist()[:4]
    ['class_id', 'subject', 'n_sat', 'n_enrichment']
    """
    keys = unit_keys(lists, ["class_id", "subject"],
                     schools=several_schools(lists, scores))
    counts = lists.groupby(keys + ["list"]).size().unstack("list")
    counts = counts.reindex(columns=list(LISTS)).fillna(0).astype(int)
    counts.columns = [f"n_{c}" for c in counts.columns]
    if "change" in lists:
        entered = lists[(lists["list"] == "support") & (lists["change"] == "entered")]
        counts["n_support_entered"] = entered.groupby(keys).size().reindex(counts.index) \
            .fillna(0).astype(int)
    if scores is not None:
        n_sat = sat_rows(scores).groupby(keys).size().rename("n_sat")
        counts = counts.join(n_sat, how="outer").fillna(0).astype(int)
        counts = counts[["n_sat"] + [c for c in counts.columns if c != "n_sat"]]
    return in_teaching_order(counts.reset_index(), keys)


def target_rules(standard: Standard | str | None = None) -> pd.DataFrame:
    """The rules of the lists in words, with this standard's numbers (for the report).

    >>> for rule in target_rules()["rule"]:
    ...     print(rule)
    年级该科前 10%（与第 10% 名同分的一并列入）
    及格线、优秀线下方满分的 5%（满分 100 即 5 分）以内（拟合格、拟优）
    低于及格线（及格线为满分的 60%），至多年级该科最低的 20%；年级该科后 10% 总在名单上
    某科 Z 分数比本人各科平均 Z 低 1 以上（至少 3 科有成绩）
    """
    std = get_standard(standard)
    k = (f" {_fmt(std.borderline_points)} 分" if std.borderline_points > 0 else
         f"满分的 {std.borderline_share:.0%}（满分 100 即 {_fmt(100 * std.borderline_share)} 分）")
    return pd.DataFrame({"list": list(LISTS), "rule": [
        _enrichment_rule(std),
        f"及格线、优秀线下方{k}以内（拟合格、拟优）" + (
            "，或刚过线不到这么多（易滑落）" if std.borderline_above else ""),
        _support_rule(std),
        f"某科 Z 分数比本人各科平均 Z 低 {_fmt(std.lopsided_z)} 以上（至少 "
        f"{std.lopsided_min_subjects} 科有成绩）"]})


def _enrichment_rule(std: Standard) -> str:
    parts = []
    if std.enrichment_line > 0:
        parts.append(f"达到培优线（满分的 {std.enrichment_line:.0%}）")
    if std.enrichment_top:
        parts.append(f"年级该科前 {std.enrichment_top:.0%}（与第 {std.enrichment_top:.0%} 名同分的"
                     "一并列入）")
    return "，或".join(parts) or "（未设规则）"


def _support_rule(std: Standard) -> str:
    rule = (f"最近 {std.support_exams} 次考试平均得分率低于及格线" if std.support_exams > 1
            else "低于及格线") + f"（及格线为满分的 {std.pass_line:.0%}）"
    if std.support_max < 1:
        rule += f"，至多年级该科最低的 {std.support_max:.0%}"
    if std.support_bottom:
        rule += f"；年级该科后 {std.support_bottom:.0%} 总在名单上"
    return rule
