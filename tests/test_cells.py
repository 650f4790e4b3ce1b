import datetime as dt

import pytest

from qualitykit.io._cells import parse_cell


@pytest.mark.parametrize("value, status", [
    ("缺考", "absent"), ("缺", "absent"), ("Q", "absent"), ("q", "absent"), ("请假", "excused"),
    ("免考", "excused"), ("转学", "transferred"), ("作弊", "cheated"), ("未扫", "not_scanned"),
    ("缺考，不计排名", "absent"), ("未扫，不计排名", "not_scanned"), ("N", "not_taken"),
    ("-", "not_taken"), ("因病缺考", "absent"),
])
def test_markers_become_status_never_score(value, status):
    cell = parse_cell(value)
    assert cell.status == status
    assert cell.score is None


@pytest.mark.parametrize("value, score", [
    (0, 0.0), (0.0, 0.0), ("0", 0.0), ("85", 85.0), ("８５．５", 85.5), (" 92 ", 92.0), ("88分", 88.0),
])
def test_numbers_and_text_numbers_are_scores(value, score):
    cell = parse_cell(value)
    assert (cell.status, cell.score) == ("sat", score)


def test_score_with_comment_is_excluded_but_keeps_its_value():
    cell = parse_cell("36，剔除")
    assert (cell.status, cell.score) == ("excluded", 36.0)


@pytest.mark.parametrize("value, level", [("优秀", "优秀"), ("良好", "良好"), ("待合格", "待合格"),
                                          ("B+", "B+"), ("a", "A")])
def test_levels(value, level):
    cell = parse_cell(value)
    assert (cell.status, cell.score, cell.level) == ("sat", None, level)


@pytest.mark.parametrize("value", ["八十", "abc", dt.datetime(2025, 5, 1), True, "85缺考"])
def test_unreadable_cells_are_invalid_with_a_reason(value):
    cell = parse_cell(value)
    assert cell.status == "invalid" and cell.problem


def test_blank():
    assert parse_cell(None).status == parse_cell("  ").status == parse_cell("").status == "blank"
