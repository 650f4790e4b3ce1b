"""Generated score sheets of ordinary grades: tiny classes, 100 % and 0 % rates, whole absences.

Used by the report and CLI tests. Everything is made from a seed, written as a school would
write it (one wide sheet, 班级 as 五(1)班, 缺考 as a word), so the files go through the real
importer.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from conftest import write_xlsx

SUBJECTS = ("语文", "数学", "英语")
FULL_MARKS = {"语文": 120, "数学": 100, "英语": 100}
#: Class sizes of the grade: one pupil, two pupils and the sizes that broke the 三率 chart.
SIZES = (1, 2, 28, 38, 41, 42, 60)
ALL_PASS = 3  # 五(3)班: every pupil passes every subject, nobody is low (100 % / 0 %)
NONE_PASS = 5  # 五(5)班: nobody passes 数学
ABSENT = (6, "英语")  # 五(6)班: the whole class is absent from 英语


def _score(rng, klass: int, subject: str, full: float) -> float | str:
    """A score on a coarse grid (many ties) that respects the class's story."""
    if (klass, subject) == ABSENT:
        return "缺考"
    step = full / 20  # multiples of 5 (of 6 for 120)
    if klass == ALL_PASS:
        return float(rng.integers(12, 21) * step)  # 60 %–100 %
    if klass == NONE_PASS and subject == "数学":
        return float(rng.integers(0, 12) * step)  # below 60 %
    if rng.random() < 0.04:
        return "缺考"
    return float(rng.integers(0, 21) * step)


def grade_rows(sizes=SIZES, *, seed: int = 0, start: int = 1) -> list[list]:
    """The wide sheet (header first): 学号, 姓名, 班级, one column per subject."""
    rng = np.random.default_rng(seed)
    rows = [["学号", "姓名", "班级", *SUBJECTS]]
    sid = start
    for klass, n in enumerate(sizes, start=1):
        for _ in range(n):
            rows.append([f"G{sid:05d}", f"学生{sid}", f"五({klass})班",
                         *(_score(rng, klass, s, FULL_MARKS[s]) for s in SUBJECTS)])
            sid += 1
    return rows


def teacher_rows(sizes=SIZES) -> list[list]:
    """教学编排表: one teacher per class × subject; the classes 1 and 2 share their teachers."""
    rows = [["班级名称", "科目", "教师姓名"]]
    for klass in range(1, len(sizes) + 1):
        rows += [[f"五({klass})班", s, f"{s}教师{max(klass, 2)}"] for s in SUBJECTS]
    return rows


def item_rows(score_rows: list[list], *, seed: int = 0) -> dict[str, list[list]]:
    """小题分 of 数学 (10 items of 10 points) for every pupil who sat it, with the item sheet."""
    rng = np.random.default_rng(seed + 1)
    maths = score_rows[0].index("数学")
    rows = [["学号", "姓名", "班级", *(f"第{i}题" for i in range(1, 11))]]
    for r in score_rows[1:]:
        if isinstance(r[maths], float):
            rows.append(r[:3] + [int(v) for v in rng.integers(0, 11, size=10)])
    info = [["题号", "满分", "知识点", "题型"]] + [
        [i, 10, ("数与运算", "图形与几何")[i % 2], "解答题"] for i in range(1, 11)]
    return {"小题得分": rows, "小题信息": info}


def write_grade(folder: Path, sizes=SIZES, *, seed: int = 0) -> dict[str, Path]:
    """Write the grade's files into ``folder``: this exam, the last one, teachers, 小题分.

    Returns
    -------
    dict
        ``scores``, ``previous``, ``teachers``, ``items`` → paths (names as a school has them).
    """
    folder.mkdir(parents=True, exist_ok=True)
    now = grade_rows(sizes, seed=seed)
    # last term: the same pupils with other scores; the last one came this term, and one
    # pupil of last term has left
    before = grade_rows(sizes, seed=seed + 7)[:-1]
    before.append(["G09999", "转走生", f"五({len(sizes)})班", 80.0, 70.0, 60.0])
    return {
        "scores": write_xlsx(folder / "五年级期末.xlsx", {"成绩": now}),
        "previous": write_xlsx(folder / "五年级期中.xlsx", {"成绩": before}),
        "teachers": write_xlsx(folder / "教学编排表.xlsx", {"编排": teacher_rows(sizes)}),
        "items": write_xlsx(folder / "数学小题分.xlsx", item_rows(now, seed=seed)),
    }
