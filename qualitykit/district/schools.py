"""Each school of a 联考 against the district, and the 总分 of every pupil.

A school is to the district what a class is to its grade: the school's mean against the
district's by :func:`qualitykit.compare_classes` (``group="school"``: Welch's test of the
school against the rest of the district, Bonferroni over the schools) and read by
:func:`qualitykit.against_grade` as 高于 / 低于 / 与区域无明显差别 — no league order where the
intervals cannot tell schools apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..term.compare import ClassComparison, compare_classes
from ..term.distribution import student_totals
from ..term.readings import against_grade

__all__ = ["TOTAL", "in_file_order", "subjects_not_sat", "subject_not_sat_notes", "district_totals", "with_totals", "vs_district", "compare_schools",
           "compare_district_classes"]

#: The subject name of the pupils' 总分 rows added by :func:`with_totals`.
TOTAL = "总分"


def in_file_order(table: pd.DataFrame, schools: list[str]) -> pd.DataFrame:
    """A table of schools, sorted by name by a group-by (一中, 三中, 二中 …), with the schools
    in ``schools``' order (the 联考 file's) and everything else as it was.

    Within each block of the table where the schools run in name order (the whole table, or
    each line, subject … of a table sorted by it first), the rows go by the schools'
    positions in ``schools``, the rows of one school keeping their order.

    >>> t = pd.DataFrame({"line": ["甲", "甲", "甲", "乙", "乙", "乙"],
    ...                   "school": ["一中", "三中", "二中", "一中", "三中", "二中"]})
    >>> in_file_order(t, ["一中", "二中", "三中"])["school"].tolist()
    ['一中', '二中', '三中', '一中', '二中', '三中']
    """
    if "school" not in table.columns or table.empty:
        return table
    name = table["school"].astype(str).to_numpy()
    starts = np.flatnonzero(np.r_[True, name[1:] != name[:-1]])
    restart = np.zeros(len(name), dtype=int)
    restart[starts[1:]] = name[starts[1:]] <= name[starts[:-1]]
    position = table["school"].map({school: i for i, school in enumerate(schools)})
    order = np.lexsort((np.arange(len(name)), position.fillna(len(schools)).to_numpy(),
                        restart.cumsum()))
    return table.iloc[order].reset_index(drop=True)


def subjects_not_sat(scores: pd.DataFrame, *, least: int = 5) -> pd.DataFrame:
    """Schools where a subject that others sat has no sitter at all: every one of its pupils
    (``least`` or more) 缺考 in it — the school did not sit the subject, or its scores were
    not handed in. Columns ``school``, ``subject``, ``n`` (its pupils in that subject).

    Such a school's 总分 covers fewer subjects than the others': its 总分, 上线 and 位次
    cannot be compared with theirs, and its 缺考 in the subject counts every pupil.

    >>> t = pd.DataFrame({"school": ["一中"] * 6 + ["二中"] * 6, "subject": "英语",
    ...                   "status": ["sat"] * 6 + ["absent"] * 6, "score": [80.0] * 6 + [None] * 6})
    >>> subjects_not_sat(t).to_dict("records")
    [{'school': '二中', 'subject': '英语', 'n': 6}]
    """
    from ..schema import sat_mask

    keys = ["school", "subject"]
    rows = scores.assign(_sat=sat_mask(scores), _absent=scores["status"].eq("absent"))
    per = rows.groupby(keys, sort=False).agg(n=("_sat", "size"), sat=("_sat", "sum"),
                                             absent=("_absent", "sum")).reset_index()
    taken = per.loc[per["sat"] > 0, "subject"].unique()
    found = per[(per["sat"] == 0) & (per["absent"] == per["n"]) & (per["n"] >= least)
                & per["subject"].isin(taken)]
    return found[["school", "subject", "n"]].reset_index(drop=True).astype({"n": int})


def subject_not_sat_notes(scores: pd.DataFrame) -> list[str]:
    """One Chinese line per school and subject of :func:`subjects_not_sat`, saying what it
    does to the school's figures and what to do."""
    return [f"{r.school} 的{r.subject}没有一名学生有成绩（{r.n} 人都记为缺考）：如果该校没有考"
            f"这一科或漏交了成绩，请补上成绩；否则该校的总分少了一科，总分、上线和名次与其他学校"
            f"不可比，{r.subject}缺考 {r.n} 人也不是真的缺考 (subject not sat)。"
            for r in subjects_not_sat(scores).itertuples()]


def district_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """总分 of every pupil with its rank in the district and in his school (staff only).

    Ranked as 联考 organisers do: every pupil with a total (``rank_among="all"``: a pupil
    absent from a subject keeps his partial 总分 and his rank), ties sharing the best rank
    (1, 2, 2, 4). Pupils who sat nothing have no total and no rank.

    Returns
    -------
    DataFrame
        :func:`qualitykit.student_totals`'s columns (``rank`` = 联考排名) with ``school_rank``
        (校排名).

    Examples
    --------
    >>> from qualitykit.district.load import load_district
    >>> t = district_totals(load_district().scores)
    >>> int(t["rank"].min()), int(t["rank"].max()) <= len(t), int(t["school_rank"].min())
    (1, True, 1)
    """
    out = student_totals(scores, rank_among="all")
    # 校排名 as student_totals(rank_within="school") ranks (the same totals, not summed again)
    within = [out[k] for k in ("exam", "school") if k in out.columns]
    out["school_rank"] = out["total"].groupby(within, dropna=False).rank(
        ascending=False, method="min").astype("Int64")
    return out


def with_totals(scores: pd.DataFrame, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """``scores`` with one more subject, :data:`TOTAL`: each pupil's 总分 as a sat row.

    The 总分 rows have no full mark (no 及格率 or 优秀率 of a sum of papers), so summary
    gives their mean, SD and extremes, and the comparisons treat them like any subject.
    """
    totals = district_totals(scores) if totals is None else totals
    keys = [k for k in ("exam", "school", "student_id", "name", "grade", "class_id", "area")
            if k in scores.columns]
    pupils = scores.drop_duplicates(["school", "student_id"])[keys]
    rows = pupils.merge(totals[["school", "student_id", "total"]], on=["school", "student_id"])
    rows = rows.rename(columns={"total": "score"}).assign(subject=TOTAL, status="sat",
                                                           full_mark=np.nan)
    return pd.concat([scores, rows], ignore_index=True)


def compare_schools(scores: pd.DataFrame, *, confidence: float = 0.95,
                    posthoc: str | None = None) -> ClassComparison:
    """Each school against the district and the schools' omnibus, per subject.

    The district report reads each school against the district, never pairs of schools, so
    no pairs by default: Games–Howell over 100 schools is 4,950 pairs per subject, whose
    studentized-range quantiles were most of the report's time at 100,000 pupils. A
    researcher asks for them with ``posthoc="games-howell"`` (or ``"tukey"``).
    """
    return compare_classes(scores, group="school", confidence=confidence, posthoc=posthoc)


def compare_district_classes(scores: pd.DataFrame, *, confidence: float = 0.95
                             ) -> ClassComparison:
    """Each class (within its school) against the district's pupils, per subject.

    Bonferroni over every class of the district, as a class is compared with its grade; no
    post-hoc pairs (a district has hundreds of classes).
    """
    return compare_classes(scores, group="class_id", posthoc=None, confidence=confidence)


def vs_district(table: pd.DataFrame, comparison: ClassComparison | None, *,
                unit: str = "school") -> pd.DataFrame:
    """``table`` with ``vs_district`` (``above`` / ``below`` / ``similar`` / ``too_few``):
    the unit's mean against the district's, read from ``comparison``'s interval."""
    read = against_grade(table, comparison, unit=unit)
    return read.rename(columns={"vs_grade": "vs_district"})
