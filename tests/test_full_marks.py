"""A subject whose best score stays far below its full mark is named in the import report and
by ``qualitykit report``, with the likely full mark and how to give it; every row still read."""

import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.io.full_marks import FULL_MARK_HINT, likely_full_mark


def _sheet(path, n=30, top=48):
    rows = [{"学号": f"S{i:03d}", "姓名": f"学生{i}", "班级": f"7-{1 + i % 2}",
             "语文": 60 + i % 40, "地理": round(top * (i + 1) / n)} for i in range(n)]
    pd.DataFrame(rows).to_excel(path, index=False)
    return path


@pytest.mark.parametrize("best, given, expected", [
    (48, 100, 50), (29.5, 100, 30), (65, 100, 70), (59, 100, 60), (95, 100, None),
    (100, 150, 100), (119, 150, 120), (149, 150, None)])
def test_the_likely_full_mark_is_the_smallest_usual_one_above_the_best(best, given, expected):
    assert likely_full_mark(best, given) == expected


def test_a_subject_marked_out_of_50_is_named_with_its_likely_full_mark(tmp_path):
    report = qk.check_scores(_sheet(tmp_path / "七年级期末.xlsx"), grade=7)
    hints = report.problems[report.problems["problem"].str.contains(FULL_MARK_HINT)]
    assert len(hints) == 1
    hint = hints.iloc[0]
    assert hint["severity"] == "warning" and hint["header"] == "地理"
    assert "最高分 48 只有满分 100 的 48%" in hint["problem"]
    assert "--full-marks 地理=50" in hint["problem"]
    assert report.rows_imported == 30  # nothing is skipped for it
    given = qk.check_scores(tmp_path / "七年级期末.xlsx", grade=7, full_marks={"地理": 50})
    assert not given.problems["problem"].str.contains(FULL_MARK_HINT).any()


def test_few_pupils_or_a_best_score_near_the_full_mark_say_nothing(tmp_path):
    few = qk.check_scores(_sheet(tmp_path / "少.xlsx", n=12), grade=7)
    assert not few.problems["problem"].str.contains(FULL_MARK_HINT).any()
    high = qk.check_scores(_sheet(tmp_path / "高.xlsx", top=75), grade=7)
    assert not high.problems["problem"].str.contains(FULL_MARK_HINT).any()
    sample = qk.check_scores(qk.sample_path("2025-2026-1 期末", 5))
    assert not sample.problems["problem"].str.contains(FULL_MARK_HINT).any()


def test_the_report_command_says_it(tmp_path, capsys):
    sheet = _sheet(tmp_path / "七年级期末.xlsx", n=40)
    code = main(["report", str(sheet), "--out", str(tmp_path / "out"), "--formats", "html"])
    out = capsys.readouterr().out
    assert code == 0 and "提醒：地理 的最高分" in out and "--full-marks 地理=50" in out
