"""进步/退步 between two exams: change in Z, percentile and rank, 学习进步奖 candidates, and who
entered or left each 培优补差 list.

Students are matched by ``student_id``. Every student of either exam is accounted for:
``matched`` (in both), ``new`` (only in the current exam: transferred in, or a new id) or
``left`` (only in the previous one: transferred out, or did not take it). A new student has no
change: he is "new", never "improved".

Ranks and percentiles are for staff (teachers, 教研组): under the 2021 rules they are not shown
to students or parents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .distribution import standardize
from .indicators import _in_teaching_order
from .standard import Standard, get_standard
from .targets import LISTS, _scope, targets

__all__ = ["Progress", "progress", "TRANSITIONS"]

#: What happened to a student × subject on a list between two exams.
TRANSITIONS = ("entered", "stayed", "left", "new_student", "gone")
ALL_SUBJECTS = "全科"


@dataclass(frozen=True)
class Progress:
    """The result of :func:`progress`.

    Attributes
    ----------
    students : DataFrame
        One row per student × subject of either exam: ``match``, scores, ``z``/``prev_z``/
        ``z_change``, ``pct``/``prev_pct``/``pct_change`` (百分等级), ``rank``/``prev_rank``
        (competition rank, 1 = best), ``rank_change`` (previous − current: positive = moved
        up), ``rank_change_coef`` ((previous − current) / previous).
    accounting : DataFrame
        One row per student of either exam: ``match``, ``class_id``, ``prev_class_id``.
    improved : DataFrame
        学习进步奖 candidates: the ``improved_top`` students of each class with the largest
        rise in Z, by subject and over all subjects (``subject`` = 全科).
    transitions : DataFrame
        One row per student × subject × list on either exam's list: ``transition`` in
        :data:`TRANSITIONS`, attributed to the current class and teacher.
    summary : DataFrame
        Counts of ``transitions`` per class × subject × list.
    """

    students: pd.DataFrame
    accounting: pd.DataFrame
    improved: pd.DataFrame
    transitions: pd.DataFrame
    summary: pd.DataFrame

    def _repr_html_(self) -> str:
        counts = self.accounting["match"].value_counts().to_dict()
        return (f"<p>Progress: {counts.get('matched', 0)} matched, {counts.get('new', 0)} new, "
                f"{counts.get('left', 0)} left</p>" + self.summary.head(20).to_html(index=False))


def _positions(scores: pd.DataFrame) -> pd.DataFrame:
    """Z, percentile (百分等级) and competition rank of every sat score, within its exam × subject."""
    sat = scores[scores["status"].eq("sat") & scores["score"].notna()].copy()
    scope = _scope(sat)
    sat["z"] = standardize(sat, within=scope)["z"]
    grouped = sat.groupby(scope, dropna=False)["score"]
    n = grouped.transform("size")
    # 百分等级 = (number below + half the number equal) / n × 100
    sat["pct"] = (grouped.rank(method="average") - 0.5) / n * 100
    sat["rank"] = grouped.rank(ascending=False, method="min").astype("Int64")
    return sat


def progress(current: pd.DataFrame, previous: pd.DataFrame, *,
             standard: Standard | str | None = None, teachers: pd.DataFrame | None = None,
             lists: Sequence[str] = LISTS) -> Progress:
    """Progress of the same students from one exam to the next.

    Parameters
    ----------
    current, previous : DataFrame
        Canonical long tables of two exams (one exam each). Subjects are matched by name;
        rename first when the two papers differ (e.g. 中考总分 → 总分).
    standard : Standard, preset name or TOML path
        Lines of the lists and ``improved_top``.
    teachers : DataFrame, optional
        The 教学编排表: new entries on a list are attributed to the current teacher.
    lists : names
        The lists whose transitions are computed (:data:`qualitykit.LISTS`).

    Returns
    -------
    Progress

    Examples
    --------
    >>> import qualitykit as qk
    >>> p = qk.progress(qk.load_sample(exam="2025-2026-1 期末", grade=5),
    ...                 qk.load_sample(exam="2024-2025-2 期末", grade=4))
    >>> p.accounting["match"].value_counts().to_dict()
    {'matched': 167, 'left': 9, 'new': 4}
    """
    std = get_standard(standard)
    for name, table in (("current", current), ("previous", previous)):
        if table["exam"].nunique() > 1:
            raise ValueError(f"{name} 中有多次考试 {list(table['exam'].unique())}；"
                             "progress 比较两次考试，每个表只放一次。")
    students = _students(current, previous)
    accounting = _accounting(current, previous)
    if teachers is not None:
        students = students.merge(_teacher_of(current, teachers), on=["class_id", "subject"],
                                  how="left")
    improved = _improved(students, std.improved_top)
    transitions = _transitions(current, previous, std, teachers, lists, accounting)
    keys = ["class_id", "subject", "list"]
    summary = (transitions.groupby(keys + ["transition"]).size().unstack("transition")
               .reindex(columns=list(TRANSITIONS)).fillna(0).astype(int).reset_index()
               if len(transitions) else pd.DataFrame(columns=keys + list(TRANSITIONS)))
    summary.columns.name = None
    summary = _in_teaching_order(summary, keys)
    return Progress(students=students, accounting=accounting, improved=improved,
                    transitions=transitions, summary=summary)


def _students(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    keys = ["student_id", "subject"]
    info = [c for c in ("name", "class_id") if c in current]
    now = current[keys + info].drop_duplicates(keys)
    before = previous[keys + info].drop_duplicates(keys).rename(
        columns={"name": "prev_name", "class_id": "prev_class_id"})
    rows = now.merge(before, on=keys, how="outer")
    if "name" in rows and "prev_name" in rows:
        rows["name"] = rows["name"].fillna(rows.pop("prev_name"))
    pos_now = _positions(current)[keys + ["score", "z", "pct", "rank"]]
    pos_before = _positions(previous)[keys + ["score", "z", "pct", "rank"]].rename(
        columns={c: f"prev_{c}" for c in ("score", "z", "pct", "rank")})
    rows = rows.merge(pos_now, on=keys, how="left").merge(pos_before, on=keys, how="left")
    in_now, in_before = set(current["student_id"]), set(previous["student_id"])
    rows["match"] = np.select([rows["student_id"].isin(in_now) & rows["student_id"].isin(in_before),
                               rows["student_id"].isin(in_now)], ["matched", "new"], "left")
    rows["z_change"] = rows["z"] - rows["prev_z"]
    rows["pct_change"] = rows["pct"] - rows["prev_pct"]
    rows["rank_change"] = rows["prev_rank"] - rows["rank"]
    rows["rank_change_coef"] = (rows["rank_change"].astype(float)
                                / rows["prev_rank"].astype(float))
    columns = ["student_id", "name", "class_id", "prev_class_id", "subject", "match", "score",
               "prev_score", "z", "prev_z", "z_change", "pct", "prev_pct", "pct_change", "rank",
               "prev_rank", "rank_change", "rank_change_coef"]
    rows = rows.reindex(columns=columns)
    return _in_teaching_order(rows, ["class_id", "subject", "student_id"])


def _accounting(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    info = [c for c in ("name", "class_id") if c in current]
    now = current[["student_id", *info]].drop_duplicates("student_id")
    before = previous[["student_id", *info]].drop_duplicates("student_id").rename(
        columns={"name": "prev_name", "class_id": "prev_class_id"})
    rows = now.merge(before, on="student_id", how="outer", indicator=True)
    rows["match"] = rows.pop("_merge").map(
        {"both": "matched", "left_only": "new", "right_only": "left"}).astype(str)
    if "prev_name" in rows:
        rows["name"] = rows["name"].fillna(rows.pop("prev_name"))
    rows["class_changed"] = (rows["match"].eq("matched")
                             & rows["class_id"].ne(rows["prev_class_id"]))
    return rows.sort_values(["match", "class_id", "student_id"], na_position="last",
                            key=lambda s: s.map({"matched": 0, "new": 1, "left": 2})
                            if s.name == "match" else s).reset_index(drop=True)


def _teacher_of(current: pd.DataFrame, teachers: pd.DataFrame) -> pd.DataFrame:
    """The teacher of each class × subject at the current exam."""
    from .teachers import assign_teachers
    taught = assign_teachers(current.drop_duplicates(["class_id", "subject"]), teachers)
    return taught[["class_id", "subject", "teacher"]]


def _improved(students: pd.DataFrame, top: int) -> pd.DataFrame:
    both = students[students["match"].eq("matched") & students["z_change"].notna()]
    overall = (both.groupby("student_id")
               .agg(name=("name", "first"), class_id=("class_id", "first"),
                    n_subjects=("subject", "size"), z_change=("z_change", "mean"),
                    pct_change=("pct_change", "mean"))
               .reset_index().assign(subject=ALL_SUBJECTS))
    rows = pd.concat([both.assign(n_subjects=1), overall], ignore_index=True)
    rows = rows[rows["z_change"] > 0].sort_values(["z_change", "student_id"],
                                                  ascending=[False, True])
    best = rows.groupby(["class_id", "subject"], sort=False).head(top)
    columns = ["class_id", "subject", "student_id", "name", "n_subjects", "z_change",
               "pct_change", "prev_score", "score"]
    best = best.reindex(columns=columns)
    best["_order"] = best["subject"].eq(ALL_SUBJECTS).map({True: 0, False: 1})
    best = best.sort_values(["class_id", "_order"], kind="stable")
    return _in_teaching_order(best.drop(columns="_order"), ["class_id"]).reset_index(drop=True)


def _transitions(current, previous, std, teachers, lists, accounting) -> pd.DataFrame:
    now = targets(current, standard=std, teachers=teachers, lists=tuple(lists))
    before = targets(previous, standard=std, lists=tuple(lists))
    keys = ["student_id", "subject", "list"]
    cols = ["class_id", "name", "teacher", "rule", "score", "reason"]
    rows = now[keys + [c for c in cols if c in now]].merge(
        before[keys + ["class_id", "rule", "score"]].rename(
            columns={"class_id": "prev_class_id", "rule": "prev_rule", "score": "prev_score"}),
        on=keys, how="outer", indicator=True)
    match = accounting.set_index("student_id")["match"]
    status = rows["student_id"].map(match)
    rows["transition"] = np.select(
        [rows["_merge"].eq("both"), rows["_merge"].eq("left_only") & status.eq("new"),
         rows["_merge"].eq("left_only"), status.eq("left")],
        ["stayed", "new_student", "entered", "gone"], "left")
    rows = rows.drop(columns="_merge")
    # a student who left the list but is still here is counted in his current class
    here = accounting.set_index("student_id")
    missing = rows["class_id"].isna()
    rows.loc[missing, "class_id"] = rows.loc[missing, "student_id"].map(here["class_id"]) \
        .fillna(rows.loc[missing, "prev_class_id"])
    rows.loc[rows["name"].isna(), "name"] = rows.loc[rows["name"].isna(), "student_id"].map(
        here["name"])
    if teachers is not None:
        rows = rows.drop(columns="teacher").merge(_teacher_of(current, teachers),
                                                  on=["class_id", "subject"], how="left")
    rows["list"] = pd.Categorical(rows["list"], categories=LISTS, ordered=True)
    rows["transition"] = pd.Categorical(rows["transition"], categories=TRANSITIONS, ordered=True)
    rows["_gone"] = rows["transition"].eq("gone")  # students no longer here: at the end
    rows = rows.sort_values(["_gone", "class_id", "list", "transition", "subject", "student_id"])
    rows["list"] = rows["list"].astype(str)
    rows["transition"] = rows["transition"].astype(str)
    columns = ["class_id", "student_id", "name", "subject", "list", "transition", "teacher",
               "rule", "score", "prev_class_id", "prev_rule", "prev_score", "reason"]
    return rows.reindex(columns=columns).reset_index(drop=True)
