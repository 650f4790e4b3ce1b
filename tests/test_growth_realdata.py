"""Cohorts and growth on real data (skipped when ../shared/realdata is absent)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import realdata, zhixin_exams

import qualitykit as qk


def exam_csv_tables():
    d = pd.read_csv(realdata("multilevel-school-exams", "Exam.csv"))
    base = pd.DataFrame({"student_id": d["rownames"].astype(str), "school": d["school"].astype(str),
                         "subject": "GCSE", "status": "sat", "full_mark": np.nan})
    return d, base.assign(exam="GCSE", score=d["normexam"]), base.assign(exam="LRT", score=d["standLRT"])


def test_london_school_value_added_agrees_with_an_independent_mixed_model():
    import statsmodels.formula.api as smf

    d, exit_, entry = exam_csv_tables()
    va = qk.value_added(exit_, entry, by="school")
    u = va.units.set_index("school")
    assert len(u) == 65 and va.models["n"].iloc[0] == 4059
    assert (u["va_low"] < u["va"]).all() and (u["va"] < u["va_high"]).all()
    # the textbook fit on the raw variables (Goldstein et al. 1993: normexam ~ standLRT + (1|school))
    ref = smf.mixedlm("normexam ~ standLRT", d, groups=d["school"]).fit(reml=True)
    blup = pd.Series({str(k): float(v.iloc[0]) for k, v in ref.random_effects.items()})
    assert np.corrcoef(u["va"], blup.loc[u.index])[0, 1] >= 0.99
    # the intake slope and the share of variance between schools are the published ones
    assert 0.55 < va.models["beta"].iloc[0] < 0.57  # 0.563 on the raw scale
    assert 0.12 < va.models["icc"].iloc[0] < 0.17
    # the reading gives how many schools differ and does not rank the rest
    assert "高于预期" in va.reading[0] and "名次" in va.reading[0]


def test_london_pre_post_chains_by_school_and_reports_duplicated_pupils():
    d = pd.read_csv(realdata("multilevel-school-exams", "Exam.csv"))
    # ``student`` is an id within the school, and four (school, student) pairs occur twice
    with pytest.raises(qk.ScoreFileError) as err:
        qk.pre_post(d, entry="standLRT", exit="normexam", by="school", student_id="student")
    dup = d[d.duplicated(["school", "student"], keep=False)]
    assert "共 4 处" in str(err.value)
    for school, student in dup[["school", "student"]].drop_duplicates().itertuples(index=False):
        assert f"学校 {school}、学号 {student}" in str(err.value)
    now, before = qk.pre_post(d, entry="standLRT", exit="normexam", by="school",
                              student_id="rownames")
    p = qk.progress(now, before)
    assert (p.accounting["match"] == "matched").sum() == 4059
    # positions are within the school: rank 1 is each school's best normexam
    best = d.groupby("school")["normexam"].transform("max").eq(d["normexam"])
    top = p.students[p.students["rank"] == 1]
    assert set(top["student_id"]) == set(d.loc[best, "rownames"].astype(str))
    assert p.improved["school"].nunique() == 65
    assert qk.compare_exams(now, before)["school"].nunique() == 65
    assert len(qk.value_added(now, before).units) == 65


def test_reading_growth_percentiles_are_uniform_with_median_50():
    w = pd.read_csv(realdata("sgp-growth", "sgpData_wide.csv"))

    def exam(year):
        d = w.dropna(subset=[f"SS_{year}"])
        return pd.DataFrame({"student_id": d["ID"].astype(str), "grade": d[f"GRADE_{year}"].astype(int),
                             "class_id": "all", "subject": "reading", "exam": str(year),
                             "score": d[f"SS_{year}"], "status": "sat", "full_mark": np.nan})

    g = qk.growth_percentiles(exam(2025), exam(2024))
    sgp = g.students["sgp"].dropna()
    assert len(sgp) > 30000
    deciles = pd.cut(sgp, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]).value_counts(normalize=True)
    assert deciles.between(0.08, 0.12).all(), deciles
    assert abs(sgp.median() - 50) <= 1
    assert set(g.models["grade"]) == {4, 5, 6, 7, 8}
    assert g.students.groupby("grade")["sgp"].median().dropna().between(48, 52).all()


def test_zhixin_cohort_tracking_accounts_for_every_student():
    before, now = zhixin_exams()
    t = qk.track_cohort(pd.concat([now, before]))
    assert t.exams == ["八下期末", "九上期末"]
    ids = set(now["student_id"].astype(str)) | set(before["student_id"].astype(str))
    s = t.students
    assert s["student_id"].is_unique and set(s["student_id"]) == ids
    paths = s["path"].value_counts()
    assert paths["stayed"] == 303
    assert paths.get("joined", 0) == len(set(now["student_id"]) - set(before["student_id"]))
    assert paths.get("left", 0) == len(set(before["student_id"]) - set(now["student_id"]))
    c = t.classes
    assert c["n_exit"].sum() == now["student_id"].nunique()
    assert c["n_stayed"].sum() + c["n_left"].sum() == before["student_id"].nunique()
    assert len(t.entry_exit) > 0 and t.entry_exit["entry_z"].notna().all()
