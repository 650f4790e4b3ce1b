"""The sample school: seeded, written as messy sheets, read back exactly by the importer."""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.io.sample import exam_names, simulate


@pytest.fixture(scope="module")
def school():
    return simulate()


def test_generator_is_seeded(school):
    again = simulate()
    pd.testing.assert_frame_equal(school.scores, again.scores)
    assert not simulate(seed=1).scores["score"].equals(school.scores["score"])


def test_layout_follows_the_design(school):
    s = school.scores
    per_class = s.drop_duplicates(["exam", "student_id"]).groupby(["exam", "class_id"]).size()
    assert per_class.between(40, 48).all()
    classes = s.drop_duplicates(["exam", "class_id"]).groupby(["exam", "grade"]).size()
    assert classes.between(3, 5).all()
    subjects = s.groupby("grade")["subject"].unique().map(set)
    assert subjects[1] == {"语文", "数学"} and subjects[5] == {"语文", "数学", "英语", "科学"}
    assert s.loc[s["grade"] <= 2, "score"].isna().all()  # grades 1–2: 等级 only
    assert s.loc[(s["grade"] <= 2) & (s["status"] == "sat"), "level"].notna().all()
    assert s["exam"].nunique() == 12 and list(dict.fromkeys(s["exam"])) == exam_names()
    # ids persist across years (a cohort moves up a grade)
    g4 = set(s.loc[(s["exam"] == "2023-2024-1 期中") & (s["grade"] == 4), "student_id"])
    g5 = set(s.loc[(s["exam"] == "2024-2025-1 期中") & (s["grade"] == 5), "student_id"])
    assert len(g4 & g5) / len(g4) > 0.9
    assert {"absent", "excused", "transferred"} <= set(s["status"])
    # teacher changes exist: some class-subject has two teachers over the years
    t = school.teachers
    assert (t.groupby(["class_name", "subject", "school_year"])["teacher"].nunique() > 1).any()


def test_committed_files_are_what_the_generator_writes(school):
    files = qk.sample_files()
    assert len(files) == 72
    for row in files.itertuples():
        report = qk.check_scores(row.path)
        assert report.ok and report.rows_read == report.rows_imported + report.rows_skipped
        got = report.data
        want = school.scores[(school.scores["exam"] == row.exam) & (school.scores["grade"] == row.grade)]
        merged = want.merge(got, on=["student_id", "subject"], how="outer", indicator=True,
                            suffixes=("_want", "_got"))
        assert (merged["_merge"] == "both").all(), (row.exam, row.grade)
        for col in ("status", "class_id", "exam", "name"):
            assert (merged[f"{col}_want"] == merged[f"{col}_got"]).all(), (row.exam, row.grade, col)
        assert np.allclose(merged["score_want"].fillna(-1), merged["score_got"].fillna(-1))
        assert (merged["level_want"].fillna("") == merged["level_got"].fillna("")).all()


def test_loaders(school):
    roster = qk.load_sample("roster", exam="2025-2026-1 期末")
    want = school.roster[school.roster["school_year"] == "2025-2026"]
    assert sorted(roster["student_id"]) == sorted(want["student_id"])
    teachers = qk.load_sample("teachers", exam="2025-2026-2 期末", grade=5)
    assert set(teachers["subject"]) == {"语文", "数学", "英语", "科学"}
    items = pd.read_excel(qk.sample_path(kind="items", grade=5), sheet_name=None, engine="calamine",
                          dtype={"学号": str})
    assert set(items) == {"小题得分", "小题信息"} and items["小题信息"]["满分"].sum() == 100
    # 选择题 as the letters chosen, with the key (the item total is checked in test_items)
    assert items["小题信息"]["答案"].notna().sum() == 8
    assert set(items["小题得分"]["第1题"].dropna()) <= set("ABCD")
    with pytest.raises(ValueError, match="kind 应为"):
        qk.sample_path(kind="bogus")
    with pytest.raises(FileNotFoundError, match="no such sample file"):
        qk.sample_path("2030-2031-1 期末")
