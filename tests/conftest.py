from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REALDATA = Path(os.environ.get("QUALITYKIT_REALDATA", ROOT.parent / "shared" / "realdata"))


def realdata(*parts: str) -> Path:
    """A file in ../shared/realdata; the test is skipped when it is absent (never copied here)."""
    path = REALDATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


def zhixin_exams():
    """The zhixin cohort's 八下期末 and 九上期末, joined to the (current) 学生信息表."""
    import qualitykit as qk

    folder = ("cn-school-exports", "zhixin-g8-g9")
    roster = qk.read_roster(realdata(*folder, "zx学生信息表.xlsx"))
    marks = {"语文": 120}
    before = qk.read_scores(realdata(*folder, "zx八下期末成绩表.xlsx"), roster=roster,
                            full_marks=marks, exam="八下期末")
    now = qk.read_scores(realdata(*folder, "zx九上期末成绩表.xlsx"), roster=roster,
                         full_marks=marks, exam="九上期末")
    return before, now


def write_xlsx(path: Path, sheets: dict[str, list[list[object]]], merges=None) -> Path:
    """Write a small workbook: {sheet: rows}; merges = {sheet: [(r0, c0, r1, c1, text)]}."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write(r, c, v)
        for r0, c0, r1, c1, text in (merges or {}).get(name, []):
            ws.merge_range(r0, c0, r1, c1, text)
    wb.close()
    return path


@pytest.fixture
def xlsx(tmp_path):
    def make(sheets, merges=None, name="成绩.xlsx"):
        return write_xlsx(tmp_path / name, sheets, merges)

    return make
