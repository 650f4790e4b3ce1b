"""存在问题 evidence: the facts a 教研组 should discuss, picked from results already computed.

The 存在问题 and 改进措施 sections of a 质量分析 are written by people. This module only
gathers the evidence they start from (which classes and subjects have the highest 低分率,
which are below the grade beyond chance, which miss the 双高 line), each as one sentence with
the numbers behind it. It never computes a statistic itself.
"""

from __future__ import annotations

import pandas as pd

from ..standard import Standard, get_standard

__all__ = ["findings", "percent", "line_percent"]

COLUMNS = ["topic", "subject", "class_id", "value", "evidence"]


def percent(x: float) -> str:
    """A rate as the evidence sentences write it.

    >>> percent(0.12345)
    '12.3%'
    """
    return f"{100 * x:.1f}%"


def line_percent(share: float) -> str:
    """A line of the standard as a sentence says it (a line is not a measured rate).

    >>> line_percent(0.85), line_percent(0.875)
    ('85%', '87.5%')
    """
    return f"{100 * share:g}%"


def findings(by_class: pd.DataFrame, by_subject: pd.DataFrame, *, comparison=None,
             standard: Standard | str | None = None) -> pd.DataFrame:
    """Evidence for 存在问题, one sentence per finding.

    Parameters
    ----------
    by_class : DataFrame
        ``summary(scores, by=["class_id", "subject"])``.
    by_subject : DataFrame
        ``summary(scores, by=["subject"])`` (the grade).
    comparison : ClassComparison, optional
        ``compare_classes(scores)``: classes below the grade beyond chance are listed.
    standard : Standard, preset name or TOML path, optional
        For the 双高 single-subject line.

    Returns
    -------
    DataFrame
        ``topic`` (低分率 / 班级差异 / 合格率 / 优秀率), ``subject``, ``class_id`` (empty for a
        finding about the grade), ``value`` and ``evidence`` (Chinese sentence).

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> f = qk.findings(qk.summary(s), qk.summary(s, by="subject"))
    >>> f.loc[0, "evidence"]
    '语文低分率最高的是 5-2 班：4.9%（2 人），年级为 2.4%。'
    """
    std = get_standard(standard)
    rows = []
    grade = by_subject.set_index("subject")
    for subject, part in by_class.groupby("subject", sort=False):
        part = part[part["n_sat"] > 0]
        if not part.empty and subject in grade.index:
            rows += _subject_findings(subject, part, grade.loc[subject], std)
    if comparison is not None:
        rows += _comparison_findings(comparison)
    return pd.DataFrame(rows, columns=COLUMNS)


def _subject_findings(subject: str, part: pd.DataFrame, g: pd.Series, std: Standard) -> list:
    """One subject: the class with the highest 低分率 (above the grade's), the grade's 合格率 under
    the 双高 line, the class whose 优秀率 is more than 10 points under the grade's (and would
    still be with one more 优秀 pupil: not a class of one pupil without one)."""
    rows = []
    worst = part.loc[part["low_rate"].idxmax()]
    if worst["low_rate"] > 0 and worst["low_rate"] > g["low_rate"]:
        rows.append(("低分率", subject, worst["class_id"], worst["low_rate"],
                     f"{subject}低分率最高的是 {worst['class_id']} 班：{percent(worst['low_rate'])}"
                     f"（{int(worst['n_low'])} 人），年级为 {percent(g['low_rate'])}。"))
    if g["pass_rate"] < std.double_high_subject:
        rows.append(("合格率", subject, "", g["pass_rate"],
                     f"{subject}年级合格率 {percent(g['pass_rate'])}，低于双高普九要求的 "
                     f"{line_percent(std.double_high_subject)}；不及格 {int(g['n_sat'] - g['n_pass'])} 人。"))
    # one more 优秀 pupil must not close the gap: a class of 1–3 pupils is 0 % or 33 % by chance
    short = part[part["excellent_rate"] + 1 / part["n_sat"] < g["excellent_rate"] - 0.10]
    if len(short):
        weakest = short.loc[short["excellent_rate"].idxmin()]
        rows.append(("优秀率", subject, weakest["class_id"], weakest["excellent_rate"],
                     f"{subject} {weakest['class_id']} 班优秀率 {percent(weakest['excellent_rate'])}，"
                     f"比年级（{percent(g['excellent_rate'])}）低 10 个百分点以上。"))
    return rows


def _comparison_findings(comparison) -> list:
    """Classes below the grade beyond chance, and the subjects whose classes do not differ."""
    rows = []
    table = comparison.classes
    unit = table.columns[table.columns.get_loc("n_sat") - 1]  # class_id, or teacher
    for _, r in table[table["significant"] & (table["diff"] < 0)].iterrows():
        rows.append(("班级差异", r["subject"], r[unit], r["diff"],
                     f"{r['subject']} {r[unit]} 班均分 {r['mean']:.1f}，低于年级 {-r['diff']:.1f} 分，"
                     f"差异超出偶然波动（区间 {r['diff_low']:.1f} 至 {r['diff_high']:.1f}）。"))
    if not comparison.omnibus.empty:
        calm = comparison.omnibus[comparison.omnibus["anova_p"] >= 0.05]
        if len(calm):
            rows.append(("班级差异", "、".join(calm["subject"]), "", float("nan"),
                         f"{'、'.join(calm['subject'])}各班均分差异不显著：这些科目的班级名次"
                         "主要是偶然波动，不宜据此排队。"))
    return rows
