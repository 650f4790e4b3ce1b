"""通报反馈: one school's part of the 联考 analysis, and the sentences of 主要结论.

Nothing here computes a statistic: each school's rows are cut from :class:`DistrictAnalysis`
and set beside the district's; the sentences read the intervals the analysis computed
(高于 / 低于 / 与区域无明显差别).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .analysis import DistrictAnalysis
from .load import DistrictData
from .schools import TOTAL

__all__ = ["SchoolFeedback", "school_feedback", "school_feedbacks", "each_school_feedback",
           "district_conclusions", "READ", "WHOLE_SCHOOL"]

#: How a ``vs_district`` code is said in a sentence.
READ = {"above": "高于区域", "below": "低于区域", "similar": "与区域无明显差别",
        "too_few": "人数太少，无法比较"}


@dataclass(frozen=True)
class SchoolFeedback:
    """One school's 通报反馈 (identifier columns, rates as fractions).

    Attributes
    ----------
    school : str
    conclusions : list of str
        主要结论, in plain Chinese.
    subjects : DataFrame
        One row per subject: the school's ``summary`` row with ``district_mean``,
        ``district_pass_rate``, ``district_excellent_rate``, ``district_low_rate``, the
        difference from the district (``diff``, ``diff_low``, ``diff_high``) and
        ``vs_district``.
    classes : DataFrame
        The school's classes × subjects against the district's pupils (``summary`` with
        ``diff`` and its interval, ``vs_district``).
    bands : DataFrame
        The school's 分数段 with the district's share of each band (``district_share``).
    balance : DataFrame
        The indices of the school's classes with the district's class indices beside them.
    value_added : DataFrame or None
        The school's rows of the school value added.
    lines : DataFrame or None
        上线 of the school (``class_id`` "全校") and of its classes, per line:
        :func:`qualitykit.admission_lines`' rows with ``district_over_rate`` (None without
        lines).
    double : DataFrame or None
        The school's 单科有效分 rows (单科上线, 双上线, 命中率, 贡献率) with the district's
        ``district_n_double`` and ``district_hit_rate`` (None without lines).
    """

    school: str
    conclusions: list[str]
    subjects: pd.DataFrame
    classes: pd.DataFrame
    bands: pd.DataFrame
    balance: pd.DataFrame
    value_added: pd.DataFrame | None
    lines: pd.DataFrame | None = None
    double: pd.DataFrame | None = None


def _with_diff(table: pd.DataFrame, comparison: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``table`` with the comparison's ``grade_mean`` (as ``district_mean``) and ``diff``."""
    cols = keys + ["grade_mean", "diff", "diff_low", "diff_high"]
    return table.merge(comparison[cols].rename(columns={"grade_mean": "district_mean"}),
                       on=keys, how="left")


def school_feedback(data: DistrictData, analysis: DistrictAnalysis,
                    school: str) -> SchoolFeedback:
    """The 通报反馈 of ``school`` (one of ``data.schools``).

    Examples
    --------
    >>> from qualitykit.district.load import load_district
    >>> from qualitykit.district.analysis import analyse_district
    >>> d = load_district()
    >>> f = school_feedback(d, analyse_district(d), "城东中学")
    >>> f.subjects["subject"].tolist()[-1], f.conclusions[0][:4]
    ('总分', '本校参考')
    """
    if school not in data.schools:
        raise ValueError(f"联考中没有学校“{school}” (school)；有：{'、'.join(data.schools)}。")
    return _feedback(data, analysis, school, _by_school(analysis, only=school))


def school_feedbacks(data: DistrictData, analysis: DistrictAnalysis) -> dict[str, SchoolFeedback]:
    """Every school's :func:`school_feedback` (the same), the district's tables cut by school
    once for all of them.

    >>> from qualitykit.district.load import load_district
    >>> from qualitykit.district.analysis import analyse_district
    >>> d = load_district()
    >>> list(school_feedbacks(d, analyse_district(d))) == d.schools
    True
    """
    return dict(each_school_feedback(data, analysis))


def each_school_feedback(data: DistrictData, analysis: DistrictAnalysis):
    """:func:`school_feedbacks` one school at a time, as (school, feedback) pairs in the order
    of ``data.schools``: a school's pages can be written before the next school's feedback is
    made (``qualitykit district`` prints each as soon as it is written).

    >>> from qualitykit.district.load import load_district
    >>> from qualitykit.district.analysis import analyse_district
    >>> d = load_district()
    >>> school, feedback = next(each_school_feedback(d, analyse_district(d)))
    >>> school == d.schools[0] == feedback.school
    True
    """
    shared = _by_school(analysis)
    for school in data.schools:
        yield school, _feedback(data, analysis, school, shared)


def _by_school(analysis: DistrictAnalysis, only: str | None = None) -> dict:
    """What every school's feedback reads: each per-school table cut by school (a school's
    rows as a boolean selection gives them: the same rows, order and index; ``only``: that
    school's rows alone), and each band's share of the district's pupils."""
    tables = {"schools": analysis.schools, "school_cmp": analysis.school_comparison.classes,
              "classes": analysis.classes, "class_cmp": analysis.class_comparison.classes,
              "bands": analysis.bands, "class_balance": analysis.school_class_balance}
    if analysis.value_added is not None:
        tables["va"] = analysis.value_added.units
    cut = {name: ({only: t[t["school"] == only]} if only is not None else
                  dict(iter(t.groupby("school", sort=False, dropna=False))), t.iloc[:0])
           for name, t in tables.items()}
    bands = analysis.bands
    whole = bands.groupby(["subject", "band"], sort=False)["count"].sum()
    n = bands.groupby("subject")["count"].sum()
    return {"cut": cut, "band_share": {p: whole[p] / n[p[0]] if n[p[0]] else float("nan")
                                       for p in whole.index}}


def _own(shared: dict, name: str, school: str) -> pd.DataFrame:
    """The school's rows of one of the tables :func:`_by_school` cut."""
    parts, empty = shared["cut"][name]
    return parts.get(school, empty)


def _feedback(data: DistrictData, analysis: DistrictAnalysis, school: str,
              shared: dict) -> SchoolFeedback:
    """:func:`school_feedback` from the tables cut by school (:func:`_by_school`)."""
    district = analysis.district.set_index("subject")
    subjects = _with_diff(_own(shared, "schools", school), _own(shared, "school_cmp", school),
                          ["school", "subject"])
    for rate in ("pass_rate", "excellent_rate", "low_rate"):
        subjects[f"district_{rate}"] = subjects["subject"].map(district[rate])
    classes = _with_diff(_own(shared, "classes", school), _own(shared, "class_cmp", school),
                         ["school", "class_id", "subject"])
    va_rows = _own(shared, "va", school) if analysis.value_added is not None else None
    feedback = SchoolFeedback(
        school=school, conclusions=[], subjects=subjects.reset_index(drop=True),
        classes=classes.reset_index(drop=True), bands=_school_bands(shared, school),
        balance=_class_balance(analysis, _own(shared, "class_balance", school)),
        value_added=va_rows, lines=_school_lines(analysis, school),
        double=_school_double(analysis, school))
    feedback.conclusions.extend(_school_sentences(data, feedback))
    return feedback


#: The name of the school's own row among its classes in :attr:`SchoolFeedback.lines`.
WHOLE_SCHOOL = "全校"


def _school_lines(analysis: DistrictAnalysis, school: str) -> pd.DataFrame | None:
    """The school's and its classes' 上线 per line, with the district's 上线率 beside."""
    if analysis.lines is None:
        return None
    lines = analysis.lines
    own = lines.schools[lines.schools["school"] == school].assign(class_id=WHOLE_SCHOOL)
    rows = pd.concat([own, lines.classes[lines.classes["school"] == school]], ignore_index=True)
    rows = rows.sort_values("line_name", key=lambda c: c.map(
        {name: i for i, name in enumerate(lines.district["line_name"])}), kind="stable")
    rate = lines.district.set_index("line_name")["over_rate"]
    return rows.assign(district_over_rate=rows["line_name"].map(rate)).reset_index(drop=True)


def _school_double(analysis: DistrictAnalysis, school: str) -> pd.DataFrame | None:
    """The school's 单科有效分 rows with the district's 双上线 and 命中率 beside."""
    if analysis.lines is None:
        return None
    lines = analysis.lines
    own = lines.effective_schools[lines.effective_schools["school"] == school]
    district = lines.effective.set_index("subject")
    return own.assign(district_n_double=own["subject"].map(district["n_double"]),
                      district_hit_rate=own["subject"].map(district["hit_rate"])
                      ).reset_index(drop=True)


def _school_bands(shared: dict, school: str) -> pd.DataFrame:
    """The school's 分数段 with the district's share of each band."""
    own = _own(shared, "bands", school).copy()
    share = shared["band_share"]
    own["district_share"] = [share[p] for p in zip(own["subject"], own["band"])]
    return own.reset_index(drop=True)


def _class_balance(analysis: DistrictAnalysis, own: pd.DataFrame) -> pd.DataFrame:
    """The school's class indices (``own``) beside the district's (``district_cv_means``,
    ``district_icc``)."""
    district = analysis.class_balance.set_index("subject")
    return own.assign(district_cv_means=own["subject"].map(district["cv_means"]),
                      district_icc=own["subject"].map(district["icc"])).reset_index(drop=True)


def _listed(names) -> str:
    return "、".join(map(str, names))


def _school_sentences(data: DistrictData, f: SchoolFeedback) -> list[str]:
    """主要结论 of one school: 参考, 总分, subjects, classes, balance, value added."""
    subj = f.subjects[f.subjects["subject"] != TOTAL]
    n_sat = int(f.subjects["n_sat"].max()) if len(f.subjects) else 0
    lines = [f"本校参考 {n_sat} 人，共 {f.classes['class_id'].nunique()} 个班；本次联考共 "
             f"{len(data.schools)} 所学校、{data.n_sat} 人参考。"]
    total = f.subjects[f.subjects["subject"] == TOTAL]
    if len(total):
        t = total.iloc[0]
        lines.append(f"总分平均分 {t['mean']:.1f}，区域 {t['district_mean']:.1f}，"
                     f"{READ.get(t['vs_district'], '无法比较')}（差 {t['diff']:+.1f} 分，"
                     f"区间 {t['diff_low']:+.1f} 至 {t['diff_high']:+.1f}）。")
    above, below = (subj.loc[subj["vs_district"] == k, "subject"] for k in ("above", "below"))
    rest = len(subj) - len(above) - len(below)
    lines.append((f"高于区域的科目：{_listed(above)}；" if len(above) else "没有科目高于区域；")
                 + (f"低于区域的科目：{_listed(below)}；" if len(below) else "没有科目低于区域；")
                 + ("其余科目与区域无明显差别" if rest else "")
                 + "（按平均分之差的区间判断）。")
    lines.append(_class_sentence(f.classes))
    lines += _balance_sentence(f.balance)
    if f.value_added is not None and len(f.value_added):
        lines.append(_va_sentence(f.value_added))
    if f.lines is not None:
        own = f.lines[f.lines["class_id"] == WHOLE_SCHOOL]
        lines.append("上线：" + "；".join(
            f"{r.line_name}（{r.line_score:g} 分）本校 {r.n_over} 人，上线率 {r.over_rate:.1%}"
            f"（区域 {r.district_over_rate:.1%}）" for r in own.itertuples()) + "。")
    return lines


def _class_sentence(classes: pd.DataFrame) -> str:
    """The school's classes on 总分 (else on every subject) against the district."""
    total = classes[classes["subject"] == TOTAL]
    rows = total if len(total) else classes
    above = rows.loc[rows["vs_district"] == "above", "class_id"].unique()
    below = rows.loc[rows["vs_district"] == "below", "class_id"].unique()
    what = "总分" if len(total) else "各科"
    return (f"{what}高于区域的班级：{_listed(above) or '无'}；低于区域的班级："
            f"{_listed(below) or '无'}；其余班级与区域无明显差别。")


def _balance_sentence(balance: pd.DataFrame) -> list[str]:
    row = balance[balance["subject"] == TOTAL]
    if not len(row) or pd.isna(row["cv_means"].iloc[0]):
        return []
    r = row.iloc[0]
    return [f"班级均衡：本校各班总分均分的差异系数 {r['cv_means']:.3f}（区域各班为 "
            f"{r['district_cv_means']:.3f}），班级间差异占学生总分差异的 "
            f"{max(r['icc'], 0) * 100:.1f}%（区域为 {max(r['district_icc'], 0) * 100:.1f}%）。"]


def _va_sentence(va: pd.DataFrame) -> str:
    up = va.loc[va["low"] > 0, "subject"]
    down = va.loc[va["high"] < 0, "subject"]
    if not len(up) and not len(down):
        return "与上次联考相比（增值评价）：各科都与预期无明显差别。"
    return ("与上次联考相比（增值评价）：" + (f"{_listed(up)} 高于预期；" if len(up) else "")
            + (f"{_listed(down)} 低于预期；" if len(down) else "")
            + ("其余科目与预期无明显差别。" if len(up) + len(down) < len(va) else ""))


def district_conclusions(data: DistrictData, analysis: DistrictAnalysis) -> list[str]:
    """主要结论 of the district report: 参考, schools on 总分, 均衡, groups, value added."""
    lines = [f"本次联考共 {len(data.schools)} 所学校、{data.n_sat} 人参考"
             + (f"（另有 {data.n_without_scores} 行没有任何成绩，不计入参考人数）"
                if data.n_without_scores else "") + "。"]
    total = analysis.schools[analysis.schools["subject"] == TOTAL]
    for code in ("above", "below"):
        names = total.loc[total["vs_district"] == code, "school"]
        lines.append(f"总分平均分{READ[code]}的学校：{_listed(names) or '无'}。")
    lines.append("其余学校与区域无明显差别：它们之间的先后只反映偶然波动，不宜排出名次。")
    lines += _district_balance_sentences(analysis)
    if analysis.groups is not None:
        g = analysis.groups[analysis.groups["subject"] == TOTAL]
        lines.append("片区：" + "；".join(f"{r.area} 总分均分 {r.mean:.1f}，"
                                          f"{READ.get(r.vs_district, '无法比较')}"
                                          for r in g.itertuples()) + "。")
    if analysis.value_added is not None:
        u = analysis.value_added.units
        up, down = u.loc[u["low"] > 0], u.loc[u["high"] < 0]
        lines.append(f"与上次联考相比（增值评价）：{len(up)} 个学校×科目高于预期，"
                     f"{len(down)} 个低于预期，其余与预期无明显差别。")
    if analysis.lines is not None:
        lines.append("上线：" + "；".join(
            f"{r.line_name}线 {r.line_score:g} 分，全区上线 {r.n_over} 人（{r.over_rate:.1%}）"
            for r in analysis.lines.district.itertuples()) + "。")
    return lines


def _district_balance_sentences(analysis: DistrictAnalysis) -> list[str]:
    b = analysis.balance[analysis.balance["subject"] != TOTAL].dropna(subset=["cv_means"])
    if not len(b):
        return []
    widest = b.loc[b["icc"].idxmax()]
    lines = [f"校际均衡：各科学校均分的差异系数在 {b['cv_means'].min():.3f} 至 "
             f"{b['cv_means'].max():.3f} 之间；学校间差异占学生成绩差异的比例（ICC）最大的是"
             f"{widest['subject']}（{max(widest['icc'], 0) * 100:.1f}%）。"]
    t = analysis.balance[analysis.balance["subject"] == TOTAL]
    if len(t):
        r = t.iloc[0]
        lines.append(f"总分：均分最高的 {r['quartile_units']} 所学校与最低的 "
                     f"{r['quartile_units']} 所学校相差 {r['quartile_gap']:.1f} 分"
                     f"（{r['quartile_gap_sd']:.2f} 个标准差）。")
    return lines
