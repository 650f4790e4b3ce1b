"""学习进步奖: chosen per class among the 后进生, by how much each improved.

The documents: "根据考试分数和任课教师平时观察，确定后进生名单"; "每学期期末在后进生中开展评选
'学习进步奖'活动". The 后进生 are the pupils on the 补差 list of the earlier exam (by the
scores) and the pupils a teacher added to the 学困生档案 by observation, with a reason
(:func:`qualitykit.update_tracking` keeps them). Improvement is measured on scales that do not
depend on the paper: the pupil's mean change in Z score over the subjects he sat both times
(:func:`qualitykit.progress`), or his median growth percentile (SGP, 50 = typical growth;
:func:`qualitykit.growth_percentiles`). Only pupils who improved (Z change > 0, SGP > 50)
can be chosen; each class gets at most ``top`` of them.

The list is for staff: the award names pupils, it is not a ranking published to pupils or
parents, so the table holds no rank column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["progress_award", "AWARD_COLUMNS", "BASES"]

#: Why a pupil was among the candidates.
BASES = {"support": "补差名单", "observed": "教师观察列入"}
AWARD_COLUMNS = ["class_id", "student_id", "name", "basis", "reason", "n_subjects", "prev_z",
                 "z", "z_change", "sgp"]


def progress_award(scores: pd.DataFrame, previous: pd.DataFrame, *, tracking=None,
                   measure: str = "z", top: int | None = None, standard=None) -> pd.DataFrame:
    """The 学习进步奖 list: per class, the 后进生 who improved most since the earlier exam.

    Parameters
    ----------
    scores, previous : DataFrame
        This exam and the earlier one (canonical long tables, one exam each).
    tracking : Tracking or path, optional
        The 学困生档案: pupils a teacher added with a reason (``added_reason``) are candidates
        too, whether or not the scores put them on the 补差 list.
    measure : {"z", "sgp"}
        Mean change in Z over the subjects sat both times, or the median growth percentile.
    top : int, optional
        Pupils per class at most (default: the standard's ``improved_top``).
    standard : Standard, preset name or TOML path, optional
        The 补差 rule and ``improved_top``.

    Returns
    -------
    DataFrame
        :data:`AWARD_COLUMNS`, one row per chosen pupil, by class and then by improvement:
        ``basis`` (:data:`BASES` values, both joined by "、" when both apply), ``reason`` (the
        teacher's), ``n_subjects`` (subjects sat both times), ``prev_z``, ``z``, ``z_change``
        (means over those subjects) and ``sgp`` (median SGP over subjects; with
        ``measure="sgp"`` only).

    Examples
    --------
    >>> import qualitykit as qk
    >>> a = qk.progress_award(qk.load_sample(exam="2025-2026-1 期末", grade=5),
    ...                       qk.load_sample(exam="2025-2026-1 期中", grade=5))
    >>> bool(a.groupby("class_id").size().le(3).all()), bool((a["z_change"] > 0).all())
    (True, True)
    """
    from ..standard import get_standard

    if measure not in ("z", "sgp"):
        raise ValueError(f"measure 应为 \"z\"（Z 分数变化）或 \"sgp\"（成长百分位），收到 {measure!r}。")
    std = get_standard(standard)
    top = std.improved_top if top is None else int(top)
    candidates = _candidates(previous, tracking, std)
    changes = _z_changes(scores, previous, std)
    table = candidates.merge(changes, on="student_id", how="inner")
    if measure == "sgp":
        table = table.merge(_median_sgp(scores, previous, std), on="student_id", how="left")
        table = table[table["sgp"] > 50].sort_values(["sgp", "student_id"],
                                                     ascending=[False, True])
    else:
        table = table.assign(sgp=float("nan"))
        table = table[table["z_change"] > 0].sort_values(["z_change", "student_id"],
                                                         ascending=[False, True])
    chosen = table.groupby("class_id", sort=True).head(top)
    chosen = chosen.sort_values("class_id", kind="stable").reset_index(drop=True)
    return chosen[AWARD_COLUMNS]


def _candidates(previous: pd.DataFrame, tracking, std) -> pd.DataFrame:
    """The 后进生: on the earlier exam's 补差 list, or added by a teacher (with the reason)."""
    from ..lists.targets import targets

    support = targets(previous, standard=std, lists=("support",))
    ids = pd.DataFrame({"student_id": support["student_id"].unique(), "support": True})
    observed = _observed(tracking)
    out = ids.merge(observed, on="student_id", how="outer")
    out["basis"] = [("、".join(BASES[k] for k, on in (("support", s), ("observed", o)) if on))
                    for s, o in zip(out["support"].fillna(False).astype(bool),
                                    out["reason"].fillna("").ne(""))]
    out["reason"] = out["reason"].fillna("")
    return out[["student_id", "basis", "reason"]]


def _observed(tracking) -> pd.DataFrame:
    """The pupils a teacher added to the 学困生档案, with the reason written."""
    from ..lists.tracking import Tracking, free_text

    if tracking is None:
        return pd.DataFrame({"student_id": pd.Series(dtype=object),
                             "reason": pd.Series(dtype=object)})
    if isinstance(tracking, (str, Path)):
        tracking = Tracking.read(tracking)
    archive = tracking.archive
    reasons = free_text(archive["added_reason"]) if "added_reason" in archive else \
        pd.Series("", index=archive.index)
    kept = archive.assign(reason=reasons.str.strip())
    return kept.loc[kept["reason"] != "", ["student_id", "reason"]]


def _z_changes(scores: pd.DataFrame, previous: pd.DataFrame, std) -> pd.DataFrame:
    """Per pupil who sat both exams: class now, name, subjects sat both times, mean Z then and
    now, and the mean change."""
    from ..lists.progress import progress

    moved = progress(scores, previous, standard=std, lists=()).students
    both = moved[moved["match"].eq("matched") & moved["z_change"].notna()]
    return both.groupby("student_id").agg(
        class_id=("class_id", "first"), name=("name", "first"),
        n_subjects=("subject", "size"), prev_z=("prev_z", "mean"), z=("z", "mean"),
        z_change=("z_change", "mean")).reset_index()


def _median_sgp(scores: pd.DataFrame, previous: pd.DataFrame, std) -> pd.DataFrame:
    from ..growth.sgp import growth_percentiles

    students = growth_percentiles(scores, previous, standard=std).students
    return students.groupby("student_id")["sgp"].median().rename("sgp").reset_index()
