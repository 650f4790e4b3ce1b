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

from ..schema import (
    check_scores_table,
    check_unique_students,
    default_unit,
    sat_rows,
    student_keys,
    unit_keys,
)
from ..standard import Standard, get_standard
from ..classes import changed_class
from ..subjects import in_teaching_order
from ..term.distribution import standardize
from .targets import LISTS, grade_scope, targets

__all__ = ["Progress", "progress", "TRANSITIONS"]

#: What happened to a student × subject on a list between two exams.
TRANSITIONS = ("entered", "stayed", "left", "new_student", "new_subject", "gone")
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
    sat = sat_rows(scores).copy()
    scope = grade_scope(sat)
    sat["z"] = standardize(sat, within=scope)["z"]
    grouped = sat.groupby(scope, dropna=False)["score"]
    n = grouped.transform("size")
    # 百分等级 = (number below + half the number equal) / n × 100
    sat["pct"] = (grouped.rank(method="average") - 0.5) / n * 100
    sat["rank"] = grouped.rank(ascending=False, method="min").astype("Int64")
    return sat


def progress(current: pd.DataFrame, previous: pd.DataFrame, *,
             standard: Standard | str | None = None, teachers: pd.DataFrame | None = None,
             lists: Sequence[str] = LISTS, by: str | None = None) -> Progress:
    """Progress of the same students from one exam to the next.

    Parameters
    ----------
    current, previous : DataFrame
        Canonical long tables of two exams (one exam each), or the pair that
        :func:`qualitykit.pre_post` returns. Subjects are matched by name; rename first when
        the two papers differ (e.g. 中考总分 → 总分).
    standard : Standard, preset name or TOML path
        Lines of the lists and ``improved_top``.
    teachers : DataFrame, optional
        The 教学编排表: new entries on a list are attributed to the current teacher.
    lists : names
        The lists whose transitions are computed (:data:`qualitykit.LISTS`).
    by : str, optional
        The unit pupils are counted in (their unit at the current exam): ``class_id`` by
        default; for a :func:`qualitykit.pre_post` pair without classes, the ``by`` it was made
        with (``school`` …). With several schools a class is identified within its school
        (``school`` is added before ``class_id``) and so is a pupil.

    Returns
    -------
    Progress

    Raises
    ------
    ScoreFileError
        When a pupil has two rows for the same exam × subject (the message names them).

    Examples
    --------
    >>> import qualitykit as qk
    >>> p = qk.progress(qk.load_sample(exam="2025-2026-1 期末", grade=5),
    ...                 qk.load_sample(exam="2024-2025-2 期末", grade=4))
    >>> p.accounting["match"].value_counts().to_dict()
    {'matched': 167, 'left': 9, 'new': 4}
    """
    std = get_standard(standard)
    ids = _check_inputs(current, previous)
    units = _units(current, by)
    students = _students(current, previous, ids, units)
    accounting = _accounting(current, previous, ids, units)
    if teachers is not None:
        students = students.merge(_teacher_of(current, teachers), how="left")
    improved = _improved(students, std.improved_top, ids, units)
    transitions = _transitions(current, previous, std, teachers, lists, accounting, ids, units)
    return Progress(students=students, accounting=accounting, improved=improved,
                    transitions=transitions, summary=_transition_counts(transitions, units))


def _check_inputs(current: pd.DataFrame, previous: pd.DataFrame) -> list[str]:
    """One exam in each table, both canonical, each pupil once per subject; the pupil keys."""
    for name, table in (("current", current), ("previous", previous)):
        if table["exam"].nunique() > 1:
            raise ValueError(f"{name} 中有多次考试 {list(table['exam'].unique())}；"
                             "progress 比较两次考试，每个表只放一次。")
    check_scores_table(current, where="progress（current）")
    check_scores_table(previous, where="progress（previous）")
    ids = student_keys(current, previous)
    check_unique_students(current, what="本次考试（current）", function="progress", keys=ids)
    check_unique_students(previous, what="上次考试（previous）", function="progress", keys=ids)
    return ids


def _transition_counts(transitions: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """How many of each :data:`TRANSITIONS` per unit × subject × list."""
    keys = [*units, "subject", "list"]
    summary = (transitions.groupby(keys + ["transition"]).size().unstack("transition")
               .reindex(columns=list(TRANSITIONS)).fillna(0).astype(int).reset_index()
               if len(transitions) else pd.DataFrame(columns=keys + list(TRANSITIONS)))
    summary.columns.name = None
    return in_teaching_order(summary, keys)


def _units(current: pd.DataFrame, by: str | None) -> list[str]:
    """The unit columns: ``by`` (default ``class_id``, else the ``pre_post`` unit), with
    ``school`` before a class when the table holds several schools."""
    by = default_unit(current, by)
    if by is None:
        return []
    if by not in current:
        raise ValueError(f"by={by!r} 不在成绩表中 (not in current)；可用的列：{list(current.columns)}。")
    return unit_keys(current, [by])


def _prev(column: str) -> str:
    return f"prev_{column}"


def _students(current: pd.DataFrame, previous: pd.DataFrame, ids: list[str],
              units: list[str]) -> pd.DataFrame:
    keys = [*ids, "subject"]
    info = [c for c in ("name", *units) if c in current and c not in ids]
    now = current[keys + info].drop_duplicates(keys)
    before = previous[keys + [c for c in info if c in previous]].drop_duplicates(keys).rename(
        columns={c: _prev(c) for c in info})
    rows = now.merge(before, on=keys, how="outer")
    if "name" in rows and "prev_name" in rows:
        rows["name"] = rows["name"].fillna(rows.pop("prev_name"))
    pos_now = _positions(current)[keys + ["score", "z", "pct", "rank"]]
    pos_before = _positions(previous)[keys + ["score", "z", "pct", "rank"]].rename(
        columns={c: f"prev_{c}" for c in ("score", "z", "pct", "rank")})
    rows = rows.merge(pos_now, on=keys, how="left").merge(pos_before, on=keys, how="left")
    pupil = pd.MultiIndex.from_frame(rows[ids])
    in_now = pupil.isin(pd.MultiIndex.from_frame(current[ids]))
    in_before = pupil.isin(pd.MultiIndex.from_frame(previous[ids]))
    rows["match"] = np.select([in_now & in_before, in_now], ["matched", "new"], "left")
    rows["z_change"] = rows["z"] - rows["prev_z"]
    rows["pct_change"] = rows["pct"] - rows["prev_pct"]
    rows["rank_change"] = rows["prev_rank"] - rows["rank"]
    rows["rank_change_coef"] = (rows["rank_change"].astype(float)
                                / rows["prev_rank"].astype(float))
    unit_cols = [c for u in units for c in (u, _prev(u)) if u not in ids]
    columns = list(dict.fromkeys(
        [*[u for u in units if u in ids], "student_id", "name", *unit_cols, "subject", "match",
         "score", "prev_score", "z", "prev_z", "z_change", "pct", "prev_pct", "pct_change",
         "rank", "prev_rank", "rank_change", "rank_change_coef"]))
    rows = rows.reindex(columns=columns)
    return in_teaching_order(rows, [*units, "subject", "student_id"])


def _accounting(current: pd.DataFrame, previous: pd.DataFrame, ids: list[str],
                units: list[str]) -> pd.DataFrame:
    info = [c for c in ("name", *units) if c in current and c not in ids]
    now = current[[*ids, *info]].drop_duplicates(ids)
    before = previous[[*ids, *[c for c in info if c in previous]]].drop_duplicates(ids).rename(
        columns={c: _prev(c) for c in info})
    rows = now.merge(before, on=ids, how="outer", indicator=True)
    rows["match"] = rows.pop("_merge").map(
        {"both": "matched", "left_only": "new", "right_only": "left"}).astype(str)
    if "prev_name" in rows:
        rows["name"] = rows["name"].fillna(rows.pop("prev_name"))
    moved = [u for u in units if u not in ids and _prev(u) in rows]
    changed = pd.Series(False, index=rows.index)
    for u in moved:  # 7-1 → 8-1 (the class moved up a grade) is no change
        pairs = zip(rows[_prev(u)], rows[u])
        changed |= pd.Series([changed_class(b, a) if u == "class_id" else b != a
                              for b, a in pairs], index=rows.index)
    name = "class_changed" if "class_id" in units or not units else f"{units[-1]}_changed"
    rows[name] = rows["match"].eq("matched") & changed
    return rows.sort_values(["match", *units, "student_id"], na_position="last",
                            key=lambda s: s.map({"matched": 0, "new": 1, "left": 2})
                            if s.name == "match" else s).reset_index(drop=True)


def _teacher_of(current: pd.DataFrame, teachers: pd.DataFrame) -> pd.DataFrame:
    """The teacher of each class × subject at the current exam."""
    from ..term.teachers import assign_teachers
    cls = unit_keys(current, ["class_id", "subject"])
    taught = assign_teachers(current.drop_duplicates(cls), teachers)
    return taught[[*cls, "teacher"]]


def _improved(students: pd.DataFrame, top: int, ids: list[str],
              units: list[str]) -> pd.DataFrame:
    both = students[students["match"].eq("matched") & students["z_change"].notna()]
    info = [c for c in ("name", *units) if c not in ids]
    overall = (both.groupby(ids)
               .agg(**{c: (c, "first") for c in info}, n_subjects=("subject", "size"),
                    z_change=("z_change", "mean"), pct_change=("pct_change", "mean"))
               .reset_index().assign(subject=ALL_SUBJECTS))
    rows = pd.concat([both.assign(n_subjects=1), overall], ignore_index=True)
    rows = rows[rows["z_change"] > 0].sort_values(["z_change", "student_id"],
                                                  ascending=[False, True])
    best = rows.groupby([*units, "subject"], sort=False, dropna=False).head(top)
    columns = list(dict.fromkeys([*units, "subject", "student_id", "name", "n_subjects",
                                  "z_change", "pct_change", "prev_score", "score"]))
    best = best.reindex(columns=columns)
    best["_order"] = best["subject"].eq(ALL_SUBJECTS).map({True: 0, False: 1})
    best = best.sort_values([*units, "_order"], kind="stable")
    return in_teaching_order(best.drop(columns="_order"), units).reset_index(drop=True)


def _transitions(current, previous, std, teachers, lists, accounting, ids, units) -> pd.DataFrame:
    own = [u for u in units if u not in ids]
    columns = list(dict.fromkeys([*units, "student_id", "name", "subject", "list", "transition",
                                  "teacher", "rule", "score", *[_prev(u) for u in own],
                                  "prev_rule", "prev_score", "reason"]))
    if not lists:  # the pupils' changes only (the pack's movers): no list, no transition
        return pd.DataFrame(columns=columns)
    now = targets(current, standard=std, teachers=teachers, lists=tuple(lists))
    before = targets(previous, standard=std, lists=tuple(lists))
    keys = [*ids, "subject", "list"]
    cols = [*own, "name", "teacher", "rule", "score", "reason"]
    rows = now[keys + [c for c in cols if c in now]].merge(
        before[keys + [c for c in (*own, "rule", "score") if c in before]].rename(
            columns={**{u: _prev(u) for u in own}, "rule": "prev_rule", "score": "prev_score"}),
        on=keys, how="outer", indicator=True)
    here = accounting.set_index(ids)
    status = pd.Series(here["match"].reindex(pd.MultiIndex.from_frame(rows[ids])).to_numpy(),
                       index=rows.index)
    new_subject = ~rows["subject"].isin(set(previous["subject"]))  # 物理 from 八年级 on
    rows["transition"] = np.select(
        [rows["_merge"].eq("both"), rows["_merge"].eq("left_only") & status.eq("new"),
         rows["_merge"].eq("left_only") & new_subject, rows["_merge"].eq("left_only"),
         status.eq("left")],
        ["stayed", "new_student", "new_subject", "entered", "gone"], "left")
    rows = rows.drop(columns="_merge")
    # a student who left the list but is still here is counted in his current unit
    pupils = pd.MultiIndex.from_frame(rows[ids])
    for u in own:  # (the lists carry the class; another unit comes from the accounting)
        now_unit = pd.Series(here[u].reindex(pupils).to_numpy(), index=rows.index)
        before_unit = rows[_prev(u)] if _prev(u) in rows else pd.Series(
            here[_prev(u)].reindex(pupils).to_numpy() if _prev(u) in here else None,
            index=rows.index)
        rows[u] = (rows[u] if u in rows else pd.Series(None, index=rows.index, dtype=object)) \
            .fillna(now_unit).fillna(before_unit)
    if "name" in rows and "name" in here:
        names = pd.Series(here["name"].reindex(pupils).to_numpy(), index=rows.index)
        rows["name"] = rows["name"].fillna(names)
    if teachers is not None:
        rows = rows.drop(columns="teacher").merge(_teacher_of(current, teachers), how="left")
    rows["list"] = pd.Categorical(rows["list"], categories=LISTS, ordered=True)
    rows["transition"] = pd.Categorical(rows["transition"], categories=TRANSITIONS, ordered=True)
    rows["_gone"] = rows["transition"].eq("gone")  # students no longer here: at the end
    rows = rows.sort_values(["_gone", *units, "list", "transition", "subject", "student_id"])
    rows["list"] = rows["list"].astype(str)
    rows["transition"] = rows["transition"].astype(str)
    return rows.reindex(columns=columns).reset_index(drop=True)
