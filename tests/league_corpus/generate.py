"""Seeded 联考 files as organisers send them, with the values they were written from.

A :class:`League` holds one row per pupil on the roster (学校, 班级, 考号, 姓名, 片区 and one
float per subject: NaN where the pupil did not take or did not sit it) and, separately, the
text written into a cell instead of a score (``缺考``). Writers turn it into the workbook or csv
an organiser would send; :mod:`tests.league_corpus.truth` computes every expected number from
the same values with plain pandas/numpy (never with qualitykit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

BASIC = {"语文": 150.0, "数学": 150.0, "英语": 150.0}
FIRST = ("物理", "历史")  # 首选: one of the two
SECOND = ("化学", "生物", "政治", "地理")  # 再选: two of the four


@dataclass
class League:
    """The roster and the values written to the file (NaN = blank or marked)."""

    pupils: pd.DataFrame
    subjects: dict[str, float]
    marks: dict[tuple[int, str], str] = field(default_factory=dict)

    @property
    def schools(self) -> list[str]:
        return list(dict.fromkeys(self.pupils["学校"]))


def league(seed: int, schools: dict[str, list[int]], *, subjects=None, electives=False,
           absent=0.02, zeros=0, not_taken: dict[str, str] | None = None,
           sat_nothing=0, ids_from=250000001) -> League:
    """Pupils of ``schools`` ({school: [class sizes]}); classes are 1班, 2班 … in every school.

    ``electives`` gives each pupil 物理 or 历史 and two of 化学/生物/政治/地理 (the others stay
    blank); ``absent`` is the share of taken subjects marked 缺考; ``zeros`` pupils score 0 in
    one subject; ``not_taken`` = {school: subject} leaves that subject blank for the school;
    ``sat_nothing`` roster rows per school sat nothing (every subject blank).
    """
    rng = np.random.default_rng(seed)
    subjects = dict(subjects or BASIC)
    if electives:
        subjects.update({s: 100.0 for s in FIRST + SECOND})
    rows, sid = [], ids_from
    for s_index, (school, sizes) in enumerate(schools.items()):
        effect = rng.normal(0, 0.3)
        for c_index, size in enumerate(sizes, start=1):
            for _ in range(size):
                ability = effect + rng.normal(0, 1)
                row = {"学校": school, "班级": f"{c_index}班", "考号": str(sid),
                       "姓名": f"学生{sid % 100000:05d}", "片区": "城区" if s_index % 2 else "乡镇"}
                for subject, full in subjects.items():
                    raw = full * (0.62 + 0.16 * ability + rng.normal(0, 0.08))
                    row[subject] = float(np.clip(np.round(raw), 0, full))
                if electives:
                    first = rng.choice(FIRST)
                    second = set(rng.choice(SECOND, size=2, replace=False))
                    for subject in FIRST + SECOND:
                        if subject != first and subject not in second:
                            row[subject] = np.nan
                rows.append(row)
                sid += 1
    pupils = pd.DataFrame(rows)
    return _with_gaps(League(pupils, subjects), rng, absent, zeros, not_taken, sat_nothing)


def _with_gaps(result: League, rng, absent, zeros, not_taken, sat_nothing) -> League:
    """缺考 marks, pupils with 0, a subject a school did not take, pupils who sat nothing."""
    pupils = result.pupils
    for (school, subject) in (not_taken or {}).items():
        pupils.loc[pupils["学校"] == school, subject] = np.nan
    names = list(result.subjects)
    for i in range(len(pupils)):
        for subject in names:
            if not np.isnan(pupils.at[i, subject]) and rng.random() < absent:
                pupils.at[i, subject] = np.nan
                result.marks[(i, subject)] = "缺考"
    for i in rng.choice(len(pupils), size=zeros, replace=False):
        subject = rng.choice([s for s in names if not np.isnan(pupils.at[i, s])])
        pupils.at[i, subject] = 0.0
    for school in result.schools if sat_nothing else ():
        index = pupils.index[pupils["学校"] == school][-sat_nothing:]
        pupils.loc[index, names] = np.nan
        for i in index:
            for subject in names:
                result.marks.pop((i, subject), None)
    return result


def cells(result: League, *, school_header="学校", area=False, total="sum", scaled=None):
    """The sheet as rows of cells: header first. ``total``: "sum", "none", or "wrong" (one
    pupil's 总分 off by 10); ``scaled`` = {subject: Series of 赋分} written after the raw."""
    pupils = result.pupils
    header = [school_header, "考号", "姓名", "班级"] + (["片区"] if area else [])
    for subject in result.subjects:
        header.append(subject)
        if scaled and subject in scaled:
            header.append(f"{subject}赋分")
    header += ["总分"] if total != "none" else []
    rows = [header]
    for i, pupil in pupils.iterrows():
        row = [pupil["学校"], pupil["考号"], pupil["姓名"], pupil["班级"]]
        row += [pupil["片区"]] if area else []
        for subject in result.subjects:
            row.append(_cell(result, i, subject))
            if scaled and subject in scaled:
                value = scaled[subject][i]
                row.append(None if np.isnan(value) else value)
        if total != "none":
            row.append(float(np.nansum(pupil[list(result.subjects)].to_numpy(float))))
        rows.append(row)
    if total == "wrong":
        rows[1][-1] += 10
    return rows


def _cell(result: League, i: int, subject: str):
    value = result.pupils.at[i, subject]
    if np.isnan(value):
        return result.marks.get((i, subject))
    return int(value) if value == int(value) else value


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook of ``{sheet: rows}`` (numbers as numbers, None as a blank cell)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


def write_csv(path: Path, rows: list[list], encoding="gbk") -> Path:
    """A csv as a 阅卷 system exports it (GBK by default)."""
    text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows)
    path.write_bytes((text + "\n").encode(encoding))
    return path


def by_school(result: League, **options) -> dict[str, list[list]]:
    """One sheet per school (header repeated), as some organisers send a workbook."""
    rows = cells(result, **options)
    sheets = {}
    for school in result.schools:
        sheets[school] = [rows[0]] + [r for r in rows[1:] if r[0] == school]
    return sheets
