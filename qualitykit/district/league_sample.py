"""The bundled 联考 sample: six schools of one district in two exams, generated from a seed.

Pupils have an ability that carries from one exam to the next, each school and class adds an
effect, and each subject adds noise; scores are rounded to whole points within the full mark.
The sheet is written as an organiser's export: one row per pupil (学校, 考号, 姓名, 班级, one
column per subject, 总分), with a few pupils absent from a subject and a few roster rows of
pupils who sat nothing (总分 0, every subject blank), as real 联考 files have. Nothing in it is
real data.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..paths import SAMPLE_DATA

__all__ = ["LEAGUE_SUBJECTS", "SAMPLE_GROUPS", "LEAGUE_EXAMS", "league_scores", "write_league",
           "league_sample_path"]

#: Subjects of the sample and their full marks.
LEAGUE_SUBJECTS = {"语文": 150.0, "数学": 150.0, "英语": 150.0, "物理": 100.0, "化学": 100.0}
#: The sample's schools, their 片区 (城区 / 乡镇) and their effect in SD units.
SAMPLE_GROUPS = {"城东中学": "城区", "城西中学": "城区", "实验中学": "城区", "江南中学": "乡镇",
                 "山口中学": "乡镇", "湖畔中学": "乡镇"}
_SCHOOL_EFFECT = (0.35, 0.1, 0.25, -0.15, -0.35, 0.0)
#: The two exams of the sample, earlier first.
LEAGUE_EXAMS = ("2024-2025-2 期末联考", "2025-2026-1 期末联考")
_FOLDER = SAMPLE_DATA / "league"


def league_sample_path(exam: str = LEAGUE_EXAMS[1]) -> Path:
    """The bundled sample file of ``exam`` (one of :data:`LEAGUE_EXAMS`)."""
    if exam not in LEAGUE_EXAMS:
        raise ValueError(f"联考示例只有 {'、'.join(LEAGUE_EXAMS)}，收到 {exam!r}。")
    return _FOLDER / f"{exam}.xlsx"


def _pupils(rng: np.random.Generator) -> pd.DataFrame:
    """Every pupil: school, class, 考号, name, ability (school + class effects included)."""
    rows = []
    for si, (school, effect) in enumerate(zip(SAMPLE_GROUPS, _SCHOOL_EFFECT)):
        for ci in range(int(rng.integers(2, 5))):
            class_effect = rng.normal(0, 0.15)
            for k in range(int(rng.integers(28, 41))):
                rows.append({"school": school, "class_id": str(ci + 1),
                             "student_id": f"25{si + 1:02d}{ci + 1:02d}{k + 1:03d}",
                             "name": f"学生{len(rows) + 1:04d}",
                             "ability": effect + class_effect + rng.normal(0, 1)})
    return pd.DataFrame(rows)


def league_scores(seed: int = 2025) -> dict[str, pd.DataFrame]:
    """The sample's two exams as wide sheets (exam → DataFrame), as :func:`write_league`
    writes them: ``学校``, ``考号``, ``姓名``, ``班级``, the subjects, ``总分``."""
    rng = np.random.default_rng(seed)
    pupils = _pupils(rng)
    sheets = {}
    for ei, exam in enumerate(LEAGUE_EXAMS):
        ability = pupils["ability"] + rng.normal(0, 0.35, len(pupils)) + 0.1 * ei
        sheet = pupils[["school", "student_id", "name", "class_id"]].rename(columns={
            "school": "学校", "student_id": "考号", "name": "姓名", "class_id": "班级"})
        for subject, full in LEAGUE_SUBJECTS.items():
            x = 0.62 * full + 0.16 * full * (0.8 * ability + 0.6 * rng.normal(0, 1, len(pupils)))
            x = np.clip(np.round(x), 0, full)
            absent = rng.random(len(pupils)) < 0.01
            sheet[subject] = np.where(absent, np.nan, x)
        none = rng.choice(len(pupils), size=6, replace=False)  # on the roster, sat nothing
        sheet.loc[sheet.index[none], list(LEAGUE_SUBJECTS)] = np.nan
        sheet["总分"] = sheet[list(LEAGUE_SUBJECTS)].sum(axis=1)
        sheets[exam] = sheet
    return sheets


def write_league(folder: str | Path = _FOLDER, seed: int = 2025) -> list[Path]:
    """Write the sample's two exams as ``<exam>.xlsx`` in ``folder`` (sheet 分数)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for exam, sheet in league_scores(seed).items():
        path = folder / f"{exam}.xlsx"
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            sheet.to_excel(writer, sheet_name="分数", index=False)
        written.append(path)
    return written
