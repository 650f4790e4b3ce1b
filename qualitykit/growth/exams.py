"""Several exams in one table, for cohorts and growth: one 届 over the years, or one grade in
different years, read from the school's files (or the bundled sample school)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..io.titles import order_exams
from ..schema import align_student_ids
from ..standard import Standard, get_standard

__all__ = ["Exams", "load_exams", "pre_post", "exam_order"]


@dataclass
class Exams:
    """Several exams read and checked: ``scores`` (one canonical long table), ``exams`` (in
    the order they were sat), ``teachers`` (教学编排表 or None), ``standard``, ``source``, and
    ``dropped``: each subject left out because some exam lacks it → the exams that have it
    (物理 only from 八年级 on)."""

    scores: pd.DataFrame
    exams: list[str]
    teachers: pd.DataFrame | None
    standard: Standard
    source: str
    dropped: dict[str, list[str]] = field(default_factory=dict)

    def dropped_lines(self) -> list[str]:
        """One Chinese line per subject left out (empty when none was)."""
        kept = "、".join(pd.unique(self.scores["subject"]))
        return [f"{s} 只在 {'、'.join(order_exams(e))} 有成绩，没有每次考试都考，纵向分析不含这一科"
                f"（各次都有的科目：{kept}）" for s, e in self.dropped.items()]

    def exam(self, name: str) -> pd.DataFrame:
        """The rows of one exam."""
        return self.scores[self.scores["exam"].eq(name)]

    @property
    def last(self) -> pd.DataFrame:
        return self.exam(self.exams[-1])

    @property
    def earlier(self) -> list[pd.DataFrame]:
        """The exams before the last, most recent first (priors for growth percentiles)."""
        return [self.exam(e) for e in self.exams[-2::-1]]


def load_exams(score_files: Sequence[str | Path] | None = None, *,
               exams: Sequence[str] | None = None, grade: int | None = None,
               cohort: bool = True, roster_file: str | Path | None = None,
               teacher_file: str | Path | None = None, subjects: Sequence[str] | None = None,
               full_marks: dict | None = None, school: str | None = None,
               standard: Standard | str | None = None) -> Exams:
    """Read several exams into one table.

    Parameters
    ----------
    score_files : paths, optional
        One score sheet per exam. Empty: the bundled sample school.
    exams : names, optional
        The exams' names, one per file when the sheets do not say; for the sample school, which
        exams (default: the 期末 of the spring term of each year).
    grade : int, optional
        Sample school: the grade at the *last* exam. With ``cohort=True`` earlier exams are of
        the same pupils (a grade lower per school year: 三年级 → 四年级 → 五年级); with
        ``cohort=False`` every exam is of this grade (届 comparison).
    roster_file, teacher_file : path, optional
    subjects : names, optional
        Keep these subjects; subjects missing from any exam are dropped.
    full_marks, school, standard : optional
        As for :func:`qualitykit.load_term`.

    Returns
    -------
    Exams

    Examples
    --------
    >>> e = load_exams(grade=5)
    >>> e.exams, sorted(e.scores.groupby("exam")["grade"].first().tolist())
    (['2023-2024-2 期末', '2024-2025-2 期末', '2025-2026-2 期末'], [3, 4, 5])
    """
    from ..io.sample import sample_path
    from ..io.scores import read_teachers
    from ..term.load import read_options

    std = get_standard(standard or None)
    options = read_options(std, full_marks, school, roster_file)
    if not score_files:
        frames, source = _sample_exams(exams, grade, cohort)
        teacher_file = teacher_file or sample_path(kind="teachers")
    else:
        frames, source = _exam_files(score_files, exams, options)
    scores, dropped = _common_subjects(pd.concat(frames, ignore_index=True), subjects)
    teachers = read_teachers(teacher_file) if teacher_file else None
    return Exams(scores=scores, exams=order_exams(scores["exam"].unique()), teachers=teachers,
                 standard=std, source=source, dropped=dropped)


def exam_order(scores: pd.DataFrame, exams: Sequence[str] | None = None) -> list[str]:
    """The exams to analyse, in order: ``exams`` as given, or every exam of ``scores`` in the
    order they were sat (:func:`qualitykit.io.titles.order_exams`).

    >>> exam_order(pd.DataFrame({"exam": ["九上期末", "八下期末", "九上期末"]}))
    ['八下期末', '九上期末']
    """
    return list(exams) if exams is not None else order_exams(scores["exam"].unique())


def _sample_exams(exams: Sequence[str] | None, grade: int | None,
                  cohort: bool) -> tuple[list[pd.DataFrame], str]:
    """The bundled sample school's exams (one grade lower per year back for a cohort) and
    the source."""
    from ..io.sample import SCHOOL, YEARS, sample_path
    from ..io.scores import read_scores

    names = list(exams) if exams else [f"{y}-2 期末" for y in YEARS]
    unknown = [n for n in names if n[:9] not in YEARS]
    if unknown:
        raise ValueError(f"示例学校没有考试 {unknown}；有 {YEARS} 各学年的 -1/-2 期中、期末，"
                         "如 2025-2026-1 期末。")
    grade = grade or 5
    last_year = YEARS.index(order_exams(names)[-1][:9])
    frames = []
    for name in names:
        g = grade - (last_year - YEARS.index(name[:9])) if cohort else grade
        if g < 1:
            continue
        frames.append(read_scores(sample_path(name, grade=g)))
    return frames, f"示例学校（{SCHOOL}）"


def _exam_files(score_files: Sequence[str | Path], exams: Sequence[str] | None,
                options: dict) -> tuple[list[pd.DataFrame], str]:
    """The school's score sheets, one per exam (named by ``exams`` when given), and the
    source."""
    from ..io.scores import read_scores

    names = list(exams or [])
    if names and len(names) != len(score_files):
        raise ValueError(f"exams 给了 {len(names)} 个名称，成绩表有 {len(score_files)} 个；"
                         "请一一对应，或留空（按表中写明的考试）。")
    frames = [read_scores(path, exam=names[i] if names else None, **options)
              for i, path in enumerate(score_files)]
    _same_exam_twice(frames, score_files)
    for i in range(len(frames) - 2, -1, -1):  # 学号 as the later sheets write them
        frames[i] = align_student_ids(frames[i], pd.concat(frames[i + 1:]))
    return frames, "、".join(Path(p).name for p in score_files)


def _same_exam_twice(frames: list[pd.DataFrame], score_files: Sequence[str | Path]) -> None:
    """Stop when two files hold the same exam of the same pupils (a file given twice, or two
    exams whose titles name the same exam); files of one exam's different classes are fine."""
    from ..schema import ScoreFileError, student_keys

    seen: dict[str, tuple[str, set]] = {}
    for path, frame in zip(score_files, frames):
        pupils = set(frame[student_keys(frame)].itertuples(index=False, name=None))
        for exam in pd.unique(frame["exam"]):
            if exam in seen and seen[exam][1] & pupils:
                both = len(seen[exam][1] & pupils)
                raise ScoreFileError(
                    f"{seen[exam][0]} 与 {Path(path).name} 都是“{exam}”的成绩，有 {both} 名学生两个文件里都有 "
                    "(same exam twice)：是重复给了同一个文件，还是两次考试的标题写成了同一次？"
                    "请去掉重复的文件；两次不同的考试请用 --exams 按顺序写明各文件的考试名称"
                    "（Python 中 exams=[...]）。", file=str(path))
            seen.setdefault(exam, (Path(path).name, set()))[1].update(pupils)


def _common_subjects(scores: pd.DataFrame, subjects: Sequence[str] | None
                     ) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The subjects asked for (all by default) that every exam has, and each subject left
    out → the exams that have it."""
    from ..subjects import canonical_subject

    if subjects:
        wanted = [canonical_subject(s) or s for s in subjects]
        scores = scores[scores["subject"].isin(wanted)]
    in_all = set.intersection(*(set(g["subject"]) for _, g in scores.groupby("exam")))
    left_out = scores[~scores["subject"].isin(in_all)]
    dropped = {s: list(pd.unique(g["exam"])) for s, g in left_out.groupby("subject", sort=False)}
    return scores[scores["subject"].isin(in_all)].reset_index(drop=True), dropped


def pre_post(data: pd.DataFrame, *, entry: str, exit: str, by: str,
             student_id: str | None = None, subject: str = "成绩",
             entry_exam: str = "entry", exit_exam: str = "exit") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A researcher's table (one row per pupil, an entry and an exit score) as two exams.

    Returns ``(current, previous)`` canonical long tables for :func:`qualitykit.value_added`,
    :func:`qualitykit.growth_percentiles`, :func:`qualitykit.progress` and
    :func:`qualitykit.compare_exams`; ``by`` (school, class …) is kept as a column of the same
    name and recorded as the tables' unit (``attrs["unit"]``, the default unit of
    :func:`qualitykit.progress`); a ``school`` column of ``data`` is kept too, and pupils are
    then identified within their school. Rows without a score are kept with status ``absent``.

    Raises
    ------
    ScoreFileError
        When a pupil id appears on two rows (within one school when there is a school column):
        the message names the ids and their rows.

    Examples
    --------
    >>> d = pd.DataFrame({"id": [1, 2], "school": ["A", "B"], "pre": [0.1, -0.3], "post": [0.2, 0.0]})
    >>> now, before = pre_post(d, entry="pre", exit="post", by="school", student_id="id")
    >>> now[["student_id", "school", "exam", "score", "status"]].values.tolist()
    [['1', 'A', 'exit', 0.2, 'sat'], ['2', 'B', 'exit', 0.0, 'sat']]
    """
    from ..schema import check_unique_students, student_keys

    ids = (data[student_id] if student_id else pd.Series(np.arange(len(data)), index=data.index))
    columns = {"student_id": ids.astype(str).to_numpy(), by: data[by].astype(str).to_numpy()}
    if "school" in data and by != "school":
        columns["school"] = data["school"].astype(str).to_numpy()
    base = pd.DataFrame({**columns, "subject": subject, "full_mark": np.nan})
    check_unique_students(base, what=f"研究数据（data，学号列 {student_id or '行号'}）",
                          function="pre_post", keys=student_keys(base))

    def exam(column: str, name: str) -> pd.DataFrame:
        score = pd.to_numeric(data[column], errors="coerce").to_numpy()
        table = base.assign(exam=name, score=score,
                            status=np.where(np.isnan(score), "absent", "sat"))
        table.attrs["unit"] = by
        return table

    return exam(exit, exit_exam), exam(entry, entry_exam)
