"""The 教研员 section (qualitykit.items.response) and its sheets in 试卷分析.xlsx."""

from __future__ import annotations

import pandas as pd
import pytest

import qualitykit as qk
from tests.conftest import realdata


@pytest.fixture(scope="module")
def sample_items():
    return qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items"))


def test_sample_paper_gets_the_model_the_lines_and_dif_by_class(sample_items):
    part = qk.paper_irt(sample_items)
    assert part.fit.model == "grm" and part.group == "class_id" and part.note == ""
    assert len(part.items) == 20 and part.items["reading"].str.len().gt(0).all()
    assert part.flagged_ids[0] == "6"  # the negative item first, then any DIF item
    assert set(part.dif_flagged["item_id"]) <= set(part.flagged_ids)
    assert len(part.dif) == 4 * 20 and set(part.dif["reference"]) == {"其余"}
    assert part.reading[0].startswith("本卷在能力")
    assert len(part.reading) == 5 + max(1, len(part.dif_flagged))
    info = part.information
    assert info["theta"].tolist() == [x / 2 for x in range(-6, 7)]


def test_binary_paper_without_classes_fits_2pl_and_says_why_no_dif():
    wide = pd.read_csv(realdata("lsat-psych", "lsat6.csv"), index_col="rownames")
    items = wide.rename_axis("student_id").reset_index().melt(
        id_vars="student_id", var_name="item_id", value_name="score").assign(item_max=1)
    part = qk.paper_irt(items)
    assert part.fit.model == "2pl" and part.group is None and part.dif.empty
    assert "不做项目功能差异" in part.note


def test_a_paper_too_small_gives_a_note_not_an_error(sample_items):
    few = sample_items[sample_items["student_id"].isin(sample_items["student_id"].unique()[:12])]
    part = qk.paper_irt(few)
    assert part.fit is None and part.items.empty and part.flagged_ids == []
    assert part.note.startswith("未做项目反应模型") and "item_min_students" in part.note
    assert part.information.empty


def test_dif_readings_when_nothing_is_flagged():
    table = pd.DataFrame({"item_id": ["1"], "flagged": [False]})
    assert qk.dif_readings(table, "school") == ["按学校比较，没有发现项目功能差异（DIF）明显的题目。"]


def test_workbook_holds_the_irt_sheets_with_the_fitted_values(tmp_path, sample_items):
    paper = qk.paper_analysis(sample_items)
    part = qk.paper_irt(sample_items)
    path = qk.write_paper(tmp_path, paper, irt=part)
    book = pd.read_excel(path, sheet_name=None, engine="calamine")
    params = book["项目参数"]
    assert params["区分度a"].tolist() == part.items["a"].round(3).tolist()
    assert params["解读"].tolist() == part.items["reading"].tolist()
    assert book["能力与分数线"]["分数线"].tolist() == ["低分线", "及格线", "优秀线"]
    assert len(book["项目功能差异"]) == len(part.dif)
    assert "学号" not in "".join(map(str, params.columns))  # no pupil in the workbook
    small = qk.paper_irt(sample_items[sample_items["student_id"].isin(
        sample_items["student_id"].unique()[:12])])
    book = pd.read_excel(qk.write_paper(tmp_path / "b", paper, irt=small), sheet_name=None,
                         engine="calamine")
    assert "项目参数" not in book and "小题分析" in book


def test_a_and_b_keep_their_meaning_in_each_table():
    # an item model's a/b and the two classes of a Games–Howell pair share their names
    import pandas as pd

    from qualitykit.report.display import in_view

    pair = qk.to_display(pd.DataFrame({"a": ["5-1"], "b": ["5-2"], "mean_a": [80.0]}))
    assert pair.columns.tolist()[:2] == ["班级A", "班级B"]
    items = qk.to_display(in_view(pd.DataFrame({"item_id": ["1"], "a": [1.2], "b": [-0.5]}),
                                  "irt_items"))
    assert {"区分度a", "难度b"} <= set(items.columns)
