"""教师: results per teacher, re-computed from the students she teaches, 横向 and 纵向."""

from __future__ import annotations

import re

import pandas as pd

from ..schema import check_scores_table, schools_in, several_schools, unit_keys
from ..standard import Standard, get_standard
from ..subjects import in_teaching_order
from .indicators import summary

__all__ = ["assign_teachers", "teacher_table", "unmatched_teachers", "unmatched_note"]

_COLUMNS = ["subject", "teacher", "classes", "n_classes", "n_sat", "mean", "pass_rate",
            "excellent_rate", "low_rate", "composite", "grade_mean", "diff_mean",
            "above_mean_rate", "rank", "n_teachers", "mean_class_rank", "overall_mean_rank"]
_EXAM_TERM = re.compile(r"(20\d\d-20\d\d)-([12])")


def _year_term(exam: str) -> tuple[str | None, str | None]:
    m = _EXAM_TERM.match(str(exam))
    return (m[1], m[2]) if m else (None, None)


def assign_teachers(scores: pd.DataFrame, teachers: pd.DataFrame) -> pd.DataFrame:
    """Attach the teacher of each class × subject from the 教学编排表.

    Rows are matched on school year and term (read from the exam name, e.g.
    ``2025-2026-1 期末`` → 2025-2026 学年第 1 学期) when both tables have them, then on grade,
    class and subject. A teacher who took over a class in the spring term is credited with the
    spring exams only.

    Returns
    -------
    DataFrame
        A copy of ``scores`` with ``teacher`` (missing when the table has no teacher for that
        class × subject).

    When either table holds several schools and the teacher table has a 学校 column, rows are
    matched on the school too: every school of a 联考 has its own 9-3.

    Raises
    ------
    ValueError
        When the table names two teachers for the same class × subject × term.

    Examples
    --------
    >>> import qualitykit as qk
    >>> s = qk.assign_teachers(qk.load_sample(exam="2025-2026-1 期末", grade=5),
    ...                        qk.load_sample("teachers"))
    >>> s.groupby("subject", sort=False)["teacher"].nunique().tolist()
    [4, 4, 4, 4]
    """
    out = scores.copy()
    year_term = out["exam"].map(_year_term) if "exam" in out else pd.Series(
        [(None, None)] * len(out), index=out.index)
    out["_year"] = year_term.str[0]
    out["_term"] = year_term.str[1]
    t = teachers.copy()
    t["_year"] = t["school_year"].replace("", None) if "school_year" in t else None
    t["_term"] = t["term"].astype(str).replace({"": None, "<NA>": None}) if "term" in t else None
    keys = ["grade", "class_id", "subject"]
    if _by_school(out, t):  # a class is identified within its school
        keys = ["school"] + keys
    dated = t["_year"].notna().all() and t["_term"].notna().all() and out["_year"].notna().all()
    if dated:
        keys = ["_year", "_term"] + keys
    t = t.dropna(subset=["teacher"])
    dupes = t[t.duplicated(keys, keep=False)]
    dupes = dupes[dupes.groupby(keys)["teacher"].transform("nunique") > 1]
    if len(dupes):
        row = dupes.iloc[0]
        where = f"{row['school']} " if "school" in keys else ""
        raise ValueError(f"教学编排表中 {where}{row['class_id']} 班 {row['subject']} 有两位教师："
                         f"{'、'.join(dupes.loc[(dupes[keys] == row[keys]).all(axis=1), 'teacher'])}"
                         "（teacher table lists two teachers）；请只保留一位，或按学期分开填写。")
    t = t.drop_duplicates(keys)
    merged = out.drop(columns=["teacher"], errors="ignore").merge(
        t[keys + ["teacher"]].astype({"grade": out["grade"].dtype}), on=keys, how="left")
    merged.index = out.index
    return merged.drop(columns=["_year", "_term"])


def unmatched_teachers(scores: pd.DataFrame, teachers: pd.DataFrame | None) -> pd.DataFrame:
    """The 教学编排表's rows of this exam whose class is not in the score sheet.

    A row counts when it is of the exam's grade, of one of its subjects and (when both tables
    say) of its school year and term, but no pupil of the sheet is in its class: a class the
    sheet leaves out, or a class written differently in the two tables (五(9)班 for 五(6)班).
    Its teacher would otherwise vanish from every teacher table without a word. (A class of
    the sheet without a teacher shows as “（未编排）” in :func:`teacher_table`.)

    Returns
    -------
    DataFrame
        ``teacher``, ``class_id``, ``class_name`` (as the 编排表 writes it), ``subject``; (with
        ``school`` when the tables hold several schools); empty when every class is in the sheet.

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.load_sample("teachers")
    >>> s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    >>> len(qk.unmatched_teachers(s, t)), len(qk.unmatched_teachers(s[s["class_id"] != "5-4"], t))
    (0, 4)
    """
    columns = ["teacher", "class_id", "class_name", "subject"]
    if teachers is None or teachers.empty or scores.empty:
        return pd.DataFrame(columns=columns)
    t = teachers.dropna(subset=["teacher"])
    t = t[t["grade"].isin(scores["grade"].dropna().unique())
          & t["subject"].isin(scores["subject"].unique())]
    year, term = _year_term(scores["exam"].iloc[0]) if "exam" in scores else (None, None)
    if year and "school_year" in t and t["school_year"].replace("", None).notna().all():
        t = t[(t["school_year"] == year) & (t["term"].astype(str) == term)]
    keys = ["class_id"]
    if _by_school(scores, t):
        keys, columns = ["school", "class_id"], ["school", *columns]
    present = scores[keys].drop_duplicates().astype(str)
    t = t.merge(present.assign(_in=True), on=keys, how="left")
    return t[t["_in"].isna()][columns].drop_duplicates().reset_index(drop=True)


def unmatched_note(unmatched: pd.DataFrame) -> str:
    """One Chinese sentence on :func:`unmatched_teachers`' rows ("" when there are none).

    >>> note = unmatched_note(pd.DataFrame({"teacher": ["赵磊"], "class_id": ["5-9"],
    ...                     "class_name": ["五(9)班"], "subject": ["数学"]}))
    >>> note.split("：")[0]
    '教学编排表中的 五(9)班 数学（赵磊） 在成绩表中没有这个班'
    """
    if unmatched is None or unmatched.empty:
        return ""
    named = "、".join(f"{r.class_name} {r.subject}（{r.teacher}）" for r in unmatched.itertuples())
    return (f"教学编排表中的 {named} 在成绩表中没有这个班：这些任课没有计入教师的结果。"
            "如果是班级名称写法不同，请把教学编排表的班级名称改成与成绩表一致。")


def _by_school(scores: pd.DataFrame, teachers: pd.DataFrame) -> bool:
    """Join on school when the teacher table names schools and either table holds several."""
    return ("school" in scores and bool(schools_in(teachers))
            and several_schools(scores, teachers))


def teacher_table(scores: pd.DataFrame, teachers: pd.DataFrame | None, *,
                  previous: pd.DataFrame | None = None,
                  standard: Standard | str | None = None) -> pd.DataFrame:
    """Results per teacher × subject, re-computed from the students of all her classes.

    横向: the teacher's students against the whole grade (difference of means, 超均率) and her
    rank among the teachers of the same subject (by 综合分). ``mean_class_rank`` averages the
    ranks of her classes, and ``overall_mean_rank`` averages her ranks over the subjects she
    teaches (a teacher of two subjects or classes gets one average rank).
    纵向: with ``previous`` (an earlier exam's scores), the same teacher's students then:
    papers differ, so the change is read on 超均率 and on rank, not on raw means.

    Parameters
    ----------
    scores : DataFrame
        The canonical long table of one exam (one grade).
    teachers : DataFrame or None
        The 教学编排表 (:func:`qualitykit.read_teachers`); None gives an empty table.
    previous : DataFrame, optional
        An earlier exam (e.g. last term's 期末), matched to teachers by its own term.
    standard : Standard, preset name or TOML path, optional

    Returns
    -------
    DataFrame
        ``subject``, (``school`` when the scores hold several schools: the same name in two
        schools is two people), ``teacher``, ``classes`` (“5-1、5-2”), ``n_classes``, ``n_sat``, ``mean``,
        ``pass_rate``, ``excellent_rate``, ``low_rate``, ``composite``, ``grade_mean``,
        ``diff_mean`` (teacher − grade), ``above_mean_rate``, ``rank`` (among teachers of the
        subject, 1 = best), ``n_teachers``, ``mean_class_rank``, ``overall_mean_rank``; with
        ``previous`` also ``prev_exam``, ``prev_mean``, ``prev_above_mean_rate``,
        ``prev_rank``, ``above_mean_change`` and ``rank_change`` (previous − current: positive
        is a rise). These are empty when the 教学编排表 names no teacher for the earlier
        exam's classes (e.g. a table of this term only).

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.teacher_table(qk.load_sample(exam="2025-2026-1 期末", grade=5),
    ...                      qk.load_sample("teachers"))
    >>> t[["subject", "teacher", "classes", "n_sat"]].head(2)
      subject teacher classes  n_sat
    0      语文   教师061     5-3     43
    1      语文   教师065     5-4     44
    """
    std = get_standard(standard)
    if teachers is None or teachers.empty:
        return pd.DataFrame(columns=_COLUMNS)
    check_scores_table(scores, where="teacher_table")
    current = _teacher_rows(scores, teachers, std)
    if previous is not None:
        check_scores_table(previous, where="teacher_table（previous）")
        current = _with_previous(current, previous, teachers, std)
    return current


def _with_previous(current: pd.DataFrame, previous: pd.DataFrame, teachers: pd.DataFrame,
                   std: Standard) -> pd.DataFrame:
    """纵向: the same teacher's results at the earlier exam and the change since."""
    before = _teacher_rows(previous, teachers, std, required=False)
    who = ["school", "teacher"] if before is not None and "school" in before \
        and "school" in current else ["teacher"]
    columns = ["subject", *who, "mean", "above_mean_rate", "rank"]
    before = pd.DataFrame(columns=columns) if before is None else before[columns]
    before = before.rename(columns={"mean": "prev_mean", "above_mean_rate": "prev_above_mean_rate",
                                    "rank": "prev_rank"}).astype({"prev_rank": "Int64"})
    current = current.merge(before, on=["subject", *who], how="left")
    current.insert(current.columns.get_loc("prev_mean"), "prev_exam",
                   ", ".join(map(str, pd.unique(previous["exam"]))) if "exam" in previous
                   else "")
    current["above_mean_change"] = current["above_mean_rate"] - current["prev_above_mean_rate"]
    current["rank_change"] = (current["prev_rank"] - current["rank"]).astype("Int64")
    return current


def _mean_rank(ranks: pd.Series) -> float:
    """Mean of the ranks there are: a class where nobody sat (all absent) has none."""
    return float(ranks.astype(float).mean())


def _teacher_rows(scores: pd.DataFrame, teachers: pd.DataFrame, std: Standard, *,
                  required: bool = True) -> pd.DataFrame | None:
    """Per teacher × subject; None (instead of an error) when nobody matched and not required."""
    with_t = assign_teachers(scores, teachers)
    with_t = with_t[with_t["full_mark"].notna()]
    missing = with_t[with_t["teacher"].isna()]
    with_t = with_t.assign(teacher=with_t["teacher"].fillna("（未编排）"))
    if len(missing) and len(missing) == len(with_t):
        if not required:
            return None
        raise ValueError("教学编排表中找不到这次考试任何班级的教师 (no teacher matched)："
                         "请检查编排表的学年、学期、班级与科目是否与成绩表一致。")
    who = unit_keys(with_t, ["teacher"])  # the same name in two schools is two people
    cls = unit_keys(with_t, ["class_id"])
    per_teacher = summary(with_t, by=["subject", *who], standard=std)
    per_class = summary(with_t, by=["subject", *cls], standard=std)
    grade = summary(with_t, by=["subject"], standard=std)[["subject", "mean"]].rename(
        columns={"mean": "grade_mean"})
    classes = (with_t.drop_duplicates(["subject", *who, "class_id"])
               .merge(per_class[["subject", *cls, "rank"]], on=["subject", *cls])
               .groupby(["subject", *who])
               .agg(classes=("class_id", lambda c: "、".join(sorted(c))),
                    n_classes=("class_id", "size"),
                    mean_class_rank=("rank", _mean_rank)).reset_index())
    out = per_teacher.merge(classes, on=["subject", *who]).merge(grade, on="subject")
    out["diff_mean"] = out["mean"] - out["grade_mean"]
    out["n_teachers"] = out.groupby("subject")["teacher"].transform("size")
    out["overall_mean_rank"] = out.groupby(who)["rank"].transform(_mean_rank)
    out = out[unit_keys(out, _COLUMNS)]
    return in_teaching_order(out.sort_values(["subject", *who]), ["subject", *who])
