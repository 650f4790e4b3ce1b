"""届与追踪: the same grade in different years, and one cohort followed over its exams.

* :func:`cohort_compare` sets e.g. 五年级 of 2023, 2024 and 2025 side by side. The papers
  differ from year to year, so raw means say little: the effect size (Hedges g) of each year
  against a baseline year is given with its interval, and where a common reference exists (the
  county's or district's mean and SD of the same exam) each year's position against it.
  Every row says which comparison it is.
* :func:`track_cohort` follows the pupils of one cohort over several exams: matched by
  ``student_id``, then (reported, never silently) by name within the class; entry against exit;
  transfers in and out; an attrition account in which every pupil appears once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..schema import GROWTH_COLUMNS, check_scores_table, sat_mask, sat_rows
from ..standard import Standard
from ..classes import changed_class
from ..subjects import in_teaching_order
from ..term.compare import hedges_g
from ..term.indicators import summary
from .exams import exam_order
from .trend import unit_lines
from .value_added import match_exams

__all__ = ["CohortComparison", "cohort_compare", "CohortTrack", "track_cohort", "read_reference"]

#: What a pupil's record over a cohort's exams is.
PATHS = ("stayed", "joined", "left", "passed_through")


@dataclass(frozen=True)
class CohortComparison:
    """The result of :func:`cohort_compare`.

    Attributes
    ----------
    indicators : DataFrame
        One row per exam × subject: 三率一分 and spread (``n_sat``, ``mean``, ``sd``,
        ``pass_rate``, ``excellent_rate``, ``low_rate``) and, with a reference, ``ref_mean``,
        ``ref_sd``, ``ref_position`` ((mean − reference mean) / reference SD) and
        ``ref_above_mean_rate`` (超均率 against the reference).
    effects : DataFrame
        One row per exam × subject against the baseline exam: ``baseline``, ``n`` and
        ``n_baseline`` (pupils who sat), ``hedges_g`` with ``hedges_g_low``/``hedges_g_high``
        (of the scores as shares of the full mark: the same as on raw scores when the two
        years share a full mark, comparable when they do not),
        ``ref_change`` (change of ``ref_position`` since the baseline, when both exams have a
        reference) and ``comparison`` (what the numbers compare).
    baseline : str
    """

    indicators: pd.DataFrame
    effects: pd.DataFrame
    baseline: str


def cohort_compare(scores: pd.DataFrame, *, exams: Sequence[str] | None = None,
                   baseline: str | None = None, reference: pd.DataFrame | None = None,
                   anchor: dict | None = None, confidence: float = 0.95,
                   standard: Standard | str | None = None) -> CohortComparison:
    """届 comparison: one grade's results in several years.

    Parameters
    ----------
    scores : DataFrame
        Canonical long table holding the same grade at several exams (e.g. 五年级 期末 of
        2023-2024, 2024-2025, 2025-2026), one cohort per exam.
    exams : names, optional
        Which exams and in what order (default: all, in the order they were sat).
    baseline : str, optional
        The exam the others are compared with (default: the first).
    reference : DataFrame or path, optional
        A common reference per exam × subject (``exam``, ``subject``, ``mean``, ``sd``, or
        考试/科目/均分/标准差; a .csv or .xlsx file), e.g. the county's results on the same
        papers. Without it the comparison is of raw scores on
        different papers, and the output says so.
    anchor : dict, optional
        An anchor group present in every year, as column → value (e.g. ``{"school": "县实验小学"}``
        in a 联考 table, or ``{"class_id": "5-1"}``): its mean and SD on each paper are the
        reference, and the anchor's own rows are left out of the comparison.
    confidence : float
        Of the Hedges g intervals.
    standard : Standard, preset name or TOML path

    Returns
    -------
    CohortComparison

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = pd.concat([qk.load_sample(exam=f"{y}-1 期末", grade=5)
    ...                for y in ("2023-2024", "2024-2025", "2025-2026")])
    >>> c = qk.cohort_compare(s)
    >>> c.effects[["exam", "subject", "hedges_g", "hedges_g_low", "hedges_g_high"]].head(2).round(2)
                 exam subject  hedges_g  hedges_g_low  hedges_g_high
    0  2024-2025-1 期末      语文      0.46          0.25           0.66
    1  2024-2025-1 期末      数学      0.64          0.43           0.84
    >>> c.effects["comparison"].iloc[0]
    '原始分效应量：各年试卷不同，差异可能来自试卷难度，仅供参考'
    """
    check_scores_table(scores, where="cohort_compare", required=GROWTH_COLUMNS, bounds=False)
    order = exam_order(scores, exams)
    scores = scores[scores["exam"].isin(order)]
    base = baseline or order[0]
    if base not in order:
        raise ValueError(f"基准考试 {base!r} 不在数据中（baseline must be one of {order}）。")
    reference = read_reference(reference)
    what = "相对共同参照（县/区同卷）的标准化位置：可比"
    if anchor:
        scores, reference, what = _anchor_reference(scores, anchor, reference)
    ind = _year_indicators(scores, order, reference, standard)
    effects = _effects(sat_rows(scores), ind, order, base,
                       what if reference is not None else None, confidence)
    return CohortComparison(indicators=ind, effects=effects, baseline=base)


def _anchor_reference(scores: pd.DataFrame, anchor: dict,
                      reference: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The anchor group's mean and SD per exam × subject as the reference, the scores
    without the anchor's rows, and what the comparison then is."""
    if reference is not None:
        raise ValueError("reference 与 anchor 只能给一个（参照要么是县/区均分，要么是锚定组）。")
    missing = [c for c in anchor if c not in scores]
    if missing:
        raise ValueError(f"锚定组的列 {missing} 不在成绩表中（anchor columns）。")
    in_anchor = np.logical_and.reduce([scores[c].astype(str).eq(str(v))
                                       for c, v in anchor.items()])
    ref_rows = scores[in_anchor & sat_mask(scores)]
    reference = (ref_rows.groupby(["exam", "subject"])["score"].agg(["mean", "std"])
                 .rename(columns={"std": "sd"}).reset_index())
    what = ("相对锚定组（" + "，".join(f"{c}={v}" for c, v in anchor.items())
            + "）的标准化位置：锚定组每年都在时可比")
    return scores[~in_anchor], reference, what


def _year_indicators(scores: pd.DataFrame, order: list[str], reference: pd.DataFrame | None,
                     standard: Standard | str | None) -> pd.DataFrame:
    """:attr:`CohortComparison.indicators`: 三率一分 per exam × subject, and each year's
    position against the reference when there is one; exams in ``order``."""
    ind = summary(scores, by=["exam", "subject"], standard=standard)
    ind = ind[["exam", "subject", "n_sat", "mean", "sd", "pass_rate", "excellent_rate",
               "low_rate"]]
    if reference is not None:
        ref = reference.rename(columns={"mean": "ref_mean", "sd": "ref_sd"})
        ind = ind.merge(ref[["exam", "subject", "ref_mean", "ref_sd"]], on=["exam", "subject"],
                        how="left")
        ind["ref_position"] = (ind["mean"] - ind["ref_mean"]) / ind["ref_sd"]
        ind["ref_above_mean_rate"] = (ind["mean"] - ind["ref_mean"]) / ind["ref_mean"]
    ind["_order"] = ind["exam"].map({e: i for i, e in enumerate(order)})
    return in_teaching_order(ind.sort_values("_order", kind="stable"), ["subject"]) \
        .sort_values(["_order"], kind="stable").drop(columns="_order").reset_index(drop=True)


#: What a 届 comparison without a common reference is.
_RAW = "原始分效应量：各年试卷不同，差异可能来自试卷难度，仅供参考"


def _effects(sat: pd.DataFrame, ind: pd.DataFrame, order: list[str], base: str,
             what: str | None, confidence: float) -> pd.DataFrame:
    """:attr:`CohortComparison.effects`: every exam × subject against the baseline exam.
    ``what`` says what a reference comparison is (None: there is no reference)."""
    rows = []
    q = stats.norm.ppf((1 + confidence) / 2)
    # as shares of the full mark: the same g when two years share a full mark, and a
    # comparable one when they do not (数学 out of 100 one year, 120 the next)
    sat = sat.assign(share=sat["score"] / sat["full_mark"]) if "full_mark" in sat \
        else sat.assign(share=sat["score"])
    for exam in order:
        if exam == base:
            continue
        for subject in ind.loc[ind["exam"].eq(exam), "subject"]:
            now = sat[sat["exam"].eq(exam) & sat["subject"].eq(subject)]
            then = sat[sat["exam"].eq(base) & sat["subject"].eq(subject)]
            change = _reference_change(ind, exam, base, subject, what)
            change["comparison"] += _full_mark_note(now, then)
            rows.append({"exam": exam, "subject": subject, "baseline": base,
                         **_hedges_interval(now["share"].to_numpy(float),
                                            then["share"].to_numpy(float), q), **change})
    return pd.DataFrame(rows, columns=["exam", "subject", "baseline", "n", "n_baseline",
                                       "hedges_g", "hedges_g_low", "hedges_g_high", "ref_change",
                                       "comparison"])


def _full_mark_note(now: pd.DataFrame, then: pd.DataFrame) -> str:
    """What the comparison says when the two years' full marks differ (empty otherwise)."""
    if "full_mark" not in now:
        return ""
    a, b = now["full_mark"].dropna().unique(), then["full_mark"].dropna().unique()
    if len(a) == 1 and len(b) == 1 and a[0] != b[0]:
        return f"；两年满分不同（{b[0]:g} 与 {a[0]:g}），按得分率（分数 ÷ 满分）比较"
    return ""


def _hedges_interval(now: np.ndarray, then: np.ndarray, q: float) -> dict:
    """Hedges g of ``now`` against ``then`` with its normal-approximation interval
    (± q·SE, SE² = (n₁ + n₂)/(n₁n₂) + g²/(2(n₁ + n₂)))."""
    g = hedges_g(now, then)
    n1, n2 = len(now), len(then)
    se = np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2))) if n1 and n2 else np.nan
    return {"n": n1, "n_baseline": n2, "hedges_g": g, "hedges_g_low": g - q * se,
            "hedges_g_high": g + q * se}


def _reference_change(ind: pd.DataFrame, exam: str, base: str, subject: str,
                      what: str | None) -> dict:
    """The change in position against the reference since the baseline, when both exams
    have one, and what the comparison is."""
    has_ref = what is not None and ind.loc[
        ind["exam"].isin([exam, base]) & ind["subject"].eq(subject),
        "ref_position"].notna().sum() == 2
    if not has_ref:
        return {"ref_change": np.nan, "comparison": _RAW}
    pos = ind.set_index(["exam", "subject"])["ref_position"]
    return {"ref_change": pos[(exam, subject)] - pos[(base, subject)], "comparison": what}


_REFERENCE_HEADERS = {"考试": "exam", "科目": "subject", "均分": "mean", "平均分": "mean",
                      "标准差": "sd"}


def read_reference(reference) -> pd.DataFrame | None:
    """The 县/区 reference of a 届 comparison: a table, or a .xlsx/.xls/.csv file to read.

    Columns ``考试``, ``科目``, ``均分`` (or ``平均分``), ``标准差`` (or exam, subject, mean, sd).

    Raises
    ------
    ValueError
        When a column is missing.
    """
    if reference is None or isinstance(reference, pd.DataFrame):
        return reference
    path = str(reference)
    table = (pd.read_excel(path, engine="calamine") if path.endswith((".xlsx", ".xls"))
             else pd.read_csv(path))
    table = table.rename(columns=lambda c: _REFERENCE_HEADERS.get(str(c).strip(), str(c).strip()))
    missing = {"exam", "subject", "mean", "sd"} - set(table.columns)
    if missing:
        raise ValueError(f"参照表 {path} 缺少列 {sorted(missing)}（需要 考试、科目、均分、标准差；"
                         "reference needs exam, subject, mean, sd）。")
    return table


@dataclass(frozen=True)
class CohortTrack:
    """The result of :func:`track_cohort`.

    Attributes
    ----------
    students : DataFrame
        One row per pupil who appears in any exam: ``student_id``, ``name``, ``entry_class``,
        ``exit_class`` (the last class he was in), ``unit``, ``path`` (:data:`PATHS`: ``stayed`` in the first and last exam,
        ``joined`` later, ``left`` before the end, ``passed_through`` neither), ``n_exams``,
        ``first_exam``, ``last_exam``, ``matched_by`` (``student_id`` or ``name``), ``class_changed``.
    entry_exit : DataFrame
        Pupils present at entry and exit, per subject: entry and exit score and Z.
    classes : DataFrame
        Per class followed through the years (``unit``, e.g. ``3-1→4-1→5-1``; each pupil in
        the last class he was in): ``n_entry_class`` (pupils in it at the first exam),
        ``n_stayed``, ``n_left``, ``n_joined``, ``n_passed_through``, ``n_exit`` (stayed +
        joined), and the stayers' mean Z at entry and exit (over subjects).
    uncertain : DataFrame
        Records joined by name and class instead of ``student_id``, and names that could not
        be joined because several pupils share them: check them in the roster.
    exams : list of str
    """

    students: pd.DataFrame
    entry_exit: pd.DataFrame
    classes: pd.DataFrame
    uncertain: pd.DataFrame
    exams: list[str]

    def _repr_html_(self) -> str:
        counts = self.students["path"].value_counts().to_dict()
        return (f"<p>{len(self.students)} 人：" + "，".join(f"{k} {v}" for k, v in counts.items())
                + "</p>" + self.classes.to_html(index=False))


def track_cohort(scores: pd.DataFrame, *, exams: Sequence[str] | None = None,
                 match_names: bool = True) -> CohortTrack:
    """追踪 one cohort over several exams: who stayed, joined and left; entry against exit.

    Parameters
    ----------
    scores : DataFrame
        Canonical long table of one cohort at several exams (e.g. 八下期末 and 九上期末).
    exams : names, optional
        Which exams and in what order (default: all, in the order they were sat).
    match_names : bool
        When a pupil's ``student_id`` changed (a new 考号), join a record that appears only
        later with one that appears only earlier if they have the same name and the same class
        (or a name unique in the grade). Every such join is listed in ``uncertain``.

    Returns
    -------
    CohortTrack

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = pd.concat([qk.load_sample(exam=e, grade=g) for e, g in
    ...                (("2024-2025-2 期末", 4), ("2025-2026-1 期末", 5))])
    >>> qk.track_cohort(s).students["path"].value_counts().to_dict()
    {'stayed': 167, 'left': 9, 'joined': 4}
    """
    check_scores_table(scores, where="track_cohort", required=GROWTH_COLUMNS, bounds=False)
    order = exam_order(scores, exams)
    if len(order) < 2:
        raise ValueError("track_cohort 需要至少两次考试（同一届学生的前后两次）。")
    scores = scores[scores["exam"].isin(order)].copy()
    scores["student_id"] = scores["student_id"].astype(str)
    uncertain = pd.DataFrame(columns=_UNCERTAIN_COLUMNS)
    if match_names and "name" in scores:
        scores, uncertain = _join_by_name(scores, order)
    present, students = _paths(scores, order)
    students = _student_rows(students, scores, uncertain)
    first, last = order[0], order[-1]
    entry_exit = _entry_exit(scores, students, first, last)
    lines = unit_lines(scores, order, "class_id")
    students.insert(4, "unit", [lines.get((e, c)) for e, c in
                                zip(students["last_exam"], students["exit_class"])])
    entry_line = {sid: lines.get((first, c)) for sid, c in
                  zip(present.index, present[first]) if pd.notna(c)}
    classes = _class_account(students, entry_exit, entry_line)
    return CohortTrack(students=students, entry_exit=entry_exit, classes=classes,
                       uncertain=uncertain.reset_index(drop=True), exams=order)


def _paths(scores: pd.DataFrame, order: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each pupil's class at each exam (pupils × exams), and his record: ``path``,
    ``n_exams``, ``first_exam``, ``last_exam``, ``entry_class``, ``exit_class``,
    ``class_changed``."""
    once = scores.drop_duplicates(["student_id", "exam"])
    present = once.pivot(index="student_id", columns="exam", values="class_id").reindex(
        columns=order)
    seen_at = (pd.crosstab(once["student_id"], once["exam"]).reindex(
        index=present.index, columns=order, fill_value=0) > 0)  # present even without a class
    at_first, at_last = seen_at[order[0]], seen_at[order[-1]]
    students = pd.DataFrame({"student_id": present.index})
    students["path"] = np.select([(at_first & at_last).to_numpy(), at_last.to_numpy(),
                                  at_first.to_numpy()], ["stayed", "joined", "left"],
                                 "passed_through")
    seen = seen_at.to_numpy()
    students["n_exams"] = seen.sum(axis=1)
    students["first_exam"] = [order[i] for i in seen.argmax(axis=1)]
    students["last_exam"] = [order[len(order) - 1 - i] for i in seen[:, ::-1].argmax(axis=1)]
    students["entry_class"] = present.bfill(axis=1).iloc[:, 0].to_numpy()
    students["exit_class"] = present.ffill(axis=1).iloc[:, -1].to_numpy()
    students["class_changed"] = present.apply(_changed_class_path, axis=1).to_numpy()
    return present, students


def _changed_class_path(classes: pd.Series) -> bool:
    """Whether a pupil's classes over the exams show a 转班 (moving up a grade, 7-1 → 8-1,
    is none)."""
    seen = classes.dropna().tolist()
    return any(changed_class(b, a) for b, a in zip(seen, seen[1:]))


def _student_rows(students: pd.DataFrame, scores: pd.DataFrame,
                  uncertain: pd.DataFrame) -> pd.DataFrame:
    """The pupils' records with ``name`` and ``matched_by``, in the documented columns, by
    exit class."""
    names = scores.drop_duplicates("student_id").set_index("student_id")
    students["name"] = students["student_id"].map(names["name"]) if "name" in names else ""
    joined = set(uncertain.loc[uncertain["name_match"].eq("joined"), "joined_to"])
    students["matched_by"] = np.where(students["student_id"].isin(joined), "name", "student_id")
    students = students[["student_id", "name", "entry_class", "exit_class", "path", "n_exams",
                         "first_exam", "last_exam", "matched_by", "class_changed"]]
    return in_teaching_order(students.rename(columns={"exit_class": "class_id"}),
                             ["class_id", "student_id"]).rename(
        columns={"class_id": "exit_class"}).reset_index(drop=True)


#: The columns of :attr:`CohortTrack.uncertain`.
_UNCERTAIN_COLUMNS = ["exam", "student_id", "name", "class_id", "joined_to", "name_match"]


def _join_by_name(scores: pd.DataFrame, order: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Re-key records whose id appears only later to an earlier id of the same pupil."""
    ids = scores.groupby("student_id")["exam"].agg(lambda e: {order.index(x) for x in e})
    first_seen, last_seen = ids.map(min), ids.map(max)
    info = scores.drop_duplicates("student_id").set_index("student_id")[["name", "class_id", "exam"]]
    found = []
    mapping: dict[str, str] = {}
    used: set[str] = set()
    by_name = info.reset_index().groupby("name")["student_id"].agg(list).to_dict()
    for sid in ids.index[first_seen > 0]:  # appears only from a later exam on
        name, cls = info.at[sid, "name"], info.at[sid, "class_id"]
        if not isinstance(name, str) or not name:
            continue
        # earlier records of the same name that stop before this one starts
        earlier = [e for e in by_name.get(name, []) if last_seen[e] < first_seen[sid]
                   and e not in used]
        same_class = [e for e in earlier if info.at[e, "class_id"] == cls]
        candidates = same_class or (earlier if len(earlier) == 1 else [])
        if len(candidates) == 1:
            mapping[sid] = candidates[0]
            used.add(candidates[0])
            found.append({"exam": info.at[sid, "exam"], "student_id": sid, "name": name,
                          "class_id": cls, "joined_to": candidates[0], "name_match": "joined"})
        elif len(candidates) > 1 or len(earlier) > 1:
            found.append({"exam": info.at[sid, "exam"], "student_id": sid, "name": name,
                          "class_id": cls, "joined_to": "", "name_match": "ambiguous"})
    out = scores.copy()
    out["student_id"] = out["student_id"].replace(mapping)
    return out, pd.DataFrame(found, columns=_UNCERTAIN_COLUMNS)


def _entry_exit(scores, students, first, last) -> pd.DataFrame:
    """Pupils who sat the first and the last exam, per subject: scores, Z and their change."""
    both = match_exams(scores[scores["exam"].eq(last)], scores[scores["exam"].eq(first)])
    both = both[both["match"].eq("matched")].rename(columns={
        "prev_score": "entry_score", "score": "exit_score", "z_entry": "entry_z",
        "z_exit": "exit_z", "class_id": "exit_class", "prev_class_id": "entry_class"})
    both["z_change"] = both["exit_z"] - both["entry_z"]
    columns = ["student_id", "name", "entry_class", "exit_class", "subject", "entry_score",
               "exit_score", "entry_z", "exit_z", "z_change"]
    return both.reindex(columns=columns).reset_index(drop=True)


def _class_account(students: pd.DataFrame, entry_exit: pd.DataFrame,
                   entry_line: dict[str, str]) -> pd.DataFrame:
    """One row per class followed through the years (四(2) → 五(2) is one line)."""
    counts = pd.crosstab(students["unit"], students["path"]).reindex(
        columns=list(PATHS), fill_value=0).rename(columns=lambda c: f"n_{c}")
    out = counts.reset_index()
    n_entry = pd.Series(entry_line).value_counts()
    out["n_entry_class"] = out["unit"].map(n_entry).fillna(0).astype(int)
    out["n_exit"] = out["n_stayed"] + out["n_joined"]
    line_of = students.set_index("student_id")["unit"]
    z = entry_exit.assign(unit=entry_exit["student_id"].map(line_of)).groupby("unit")[
        ["entry_z", "exit_z"]].mean()
    out["entry_z"] = out["unit"].map(z["entry_z"])
    out["exit_z"] = out["unit"].map(z["exit_z"])
    out.columns.name = None
    columns = ["unit", "n_entry_class", "n_stayed", "n_left", "n_joined", "n_passed_through",
               "n_exit", "entry_z", "exit_z"]
    return out[columns].sort_values("unit", key=lambda s: s.str.split("→").str[-1]) \
        .reset_index(drop=True)
