"""``qualitykit targets``: the 培优补差 lists for the teachers, and the 学困生档案 brought up to
date — what the command and the console's 培优补差名单 button both do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = ["run_targets"]


def run_targets(score_file: str | Path | None = None, *, out: str | Path = "培优补差.xlsx",
                tracking: str | Path | None = None, mask_names: bool = False,
                log: Callable[[str], None] = print, **options) -> dict:
    """Write 培优补差.xlsx (a page per class) and update the 学困生档案.

    Parameters
    ----------
    score_file : path, optional
        This exam's score sheet; empty: the sample school.
    out : path
        The workbook of lists.
    tracking : path, optional
        The 学困生档案 .xlsx: created when missing, else this exam is added (teachers' notes
        kept). An existing file that the kit did not write stops before any work.
    mask_names : bool
        Names on the lists as 张＊ (the 档案 always keeps them).
    log : callable
        Called with each line of text (default: ``print``).
    **options
        :func:`qualitykit.load_term`'s ``exam``, ``grade``, ``roster_file``,
        ``teacher_file``, ``previous_file``, ``subjects``, ``full_marks``, ``school``,
        ``standard``.

    Returns
    -------
    dict
        ``files``: ``{"targets": path}`` and ``"tracking"`` when given; ``title``.

    Raises
    ------
    InputFileError
        ``tracking`` exists and is not a 学困生档案.
    ScoreFileError
        A sheet with errors.
    """
    from ..lists.targets import targets
    from ..term.load import load_term
    from ..term.teachers import unmatched_note, unmatched_teachers
    from .workbooks import write_targets

    if tracking and Path(tracking).exists():  # a broken file stops before any work
        _check_tracking(tracking)
    term = load_term(score_file or None, mask=False, **options)
    log(f"{term.school} {term.grade_name} {term.exam}：{term.scores['student_id'].nunique()} 名学生，"
        f"科目 {'、'.join(term.subjects)}")
    lists = targets(term.scores, standard=term.standard, teachers=term.teachers,
                    previous=term.previous)
    note = unmatched_note(unmatched_teachers(term.scores, term.teachers))
    if note:
        log(note)
    moved = _progress(term, log)
    award = _award(term, tracking)
    written = write_targets(out, lists, scores=term.scores, progress=moved, award=award,
                            mask=mask_names)
    _log_sizes(lists, log)
    log(f"培优补差名单已保存：{Path(written).resolve()}")
    files = {"targets": Path(written).resolve()}
    if tracking:
        files["tracking"] = _update_tracking(tracking, term, lists, log)
    return {"files": files, "title": f"{term.school}{term.grade_name}{term.exam}培优补差名单"}


def _check_tracking(path: str | Path) -> None:
    """An existing 学困生档案 must be one the kit wrote (read it now, not after the lists)."""
    from ..io.files import InputFileError
    from ..lists.tracking import Tracking

    try:
        Tracking.read(path)
    except ValueError as exc:
        raise InputFileError("tracking", str(path), str(exc)) from exc


def _progress(term, log: Callable[[str], None]):
    """Pupils compared with the earlier exam (None without one)."""
    if term.previous is None:
        return None
    from ..lists.progress import progress
    from ..schema import matching_hints

    moved = progress(term.scores, term.previous, standard=term.standard, teachers=term.teachers)
    counts = moved.accounting["match"].value_counts()
    log(f"与上次考试（{term.previous['exam'].iloc[0]}）对比：两次都在 {counts.get('matched', 0)} 人，"
        f"新来 {counts.get('new', 0)} 人，已离开 {counts.get('left', 0)} 人")
    for hint in matching_hints(term.scores, term.previous):
        log(f"提醒：{hint}")
    return moved


def _award(term, tracking: str | Path | None):
    """The 学习进步奖 candidates among the 后进生 (the earlier exam's 补差 list and the pupils
    teachers added to the 学困生档案); None without an earlier exam."""
    if term.previous is None:
        return None
    from ..cycle.progress_award import progress_award

    kept = tracking if tracking and Path(tracking).exists() else None
    return progress_award(term.scores, term.previous, tracking=kept, standard=term.standard)


def _log_sizes(lists, log: Callable[[str], None]) -> None:
    from ..labels import VALUE_LABELS

    per_list = lists.groupby("list")["student_id"].nunique()
    log("名单人数（按学生计）：" + "，".join(f"{cn} {per_list.get(k, 0)}"
                                     for k, cn in VALUE_LABELS["list"].items()))


def _update_tracking(tracking: str | Path, term, lists, log: Callable[[str], None]) -> Path:
    from ..lists.tracking import update_tracking

    path = Path(tracking)
    archive = update_tracking(path, term.scores, lists=lists, standard=term.standard,
                              earlier=term.previous).archive
    status = archive["status"].value_counts()
    log(f"学困生档案已更新：{path.resolve()}（{len(archive)} 人：" +
        "，".join(f"{k} {v}" for k, v in status.items()) + "）")
    return path.resolve()
