"""联考 files: two schools that share class names (both have 9-1 and 9-2) and 学号 (both number
their pupils 1…60). A class is identified within its school, and so is a pupil: every analysis
that groups by class must keep the four classes apart. Reference values are plain pandas
group-bys on (school, class_id) written here, independent of the kit's grouping code."""

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.schema import student_keys, unit_keys, unit_labels

SCHOOLS = ("甲中", "乙中")
CLASSES = ("9-1", "9-2")
SUBJECTS = ("语文", "数学")
UNITS = [(s, c) for s in SCHOOLS for c in CLASSES]


def league(exam="2025-2026-1 期末", seed=1, shift=0.0, n=30):
    """Two schools × two classes × n pupils, ids 1…2n within each school."""
    rng = np.random.default_rng(seed)
    rows = []
    for si, school in enumerate(SCHOOLS):
        for ci, class_id in enumerate(CLASSES):
            for k in range(n):
                sid = str(ci * n + k + 1)
                ability = rng.normal(0, 1) + 0.4 * si - 0.3 * ci
                for subject in SUBJECTS:
                    score = float(np.clip(round(70 + 12 * ability + shift + rng.normal(0, 6)),
                                          0, 100))
                    rows.append({"student_id": sid, "name": f"{school}{sid}", "school": school,
                                 "grade": 9, "class_id": class_id, "class_name": class_id,
                                 "subject": subject, "exam": exam, "score": score,
                                 "status": "sat", "full_mark": 100.0,
                                 "source_file": "联考.xlsx", "source_sheet": "分数",
                                 "source_row": len(rows) // 2 + 2})
    return pd.DataFrame(rows)


NOW, BEFORE = league(), league("2024-2025-2 期末", seed=2, shift=-3)
# the same pupils in both exams: the earlier exam keeps the pupils' abilities
BEFORE = NOW.assign(exam="2024-2025-2 期末",
                    score=(NOW["score"] - 3 + np.random.default_rng(5).normal(0, 4, len(NOW)))
                    .round().clip(0, 100))


def hand_means(table, value="score"):
    return table.groupby(["school", "class_id", "subject"])[value].mean()


def units_of(table):
    return set(map(tuple, table[["school", "class_id"]].drop_duplicates().to_numpy()))


def test_unit_keys_add_the_school_only_with_several_schools():
    assert unit_keys(NOW, ("class_id", "subject")) == ["school", "class_id", "subject"]
    assert unit_keys(NOW, ("subject", "teacher")) == ["subject", "school", "teacher"]
    assert unit_keys(NOW, ("school", "class_id")) == ["school", "class_id"]
    assert unit_keys(NOW[NOW["school"] == "甲中"], ("class_id", "subject")) == ["class_id", "subject"]
    assert student_keys(NOW) == ["school", "student_id"]
    assert unit_labels(NOW.iloc[[0, -1]]).tolist() == ["甲中 9-1", "乙中 9-2"]


def test_summary_and_score_bands_keep_the_schools_apart():
    s = qk.summary(NOW)
    assert s.columns[:3].tolist() == ["school", "class_id", "subject"]
    assert len(s) == 4 * 2 and units_of(s) == set(UNITS)
    got = s.set_index(["school", "class_id", "subject"])
    assert np.allclose(got["mean"], hand_means(NOW).loc[got.index])
    assert (got["n_sat"] == 30).all()
    hand_pass = NOW.assign(p=NOW["score"] >= 60).groupby(["school", "class_id", "subject"])["p"].mean()
    assert np.allclose(got["pass_rate"], hand_pass.loc[got.index])
    bands = qk.score_bands(NOW)
    assert units_of(bands) == set(UNITS)
    assert bands.groupby(["school", "class_id", "subject"])["count"].sum().eq(30).all()


def test_one_school_gives_exactly_the_output_of_a_plain_table():
    one = NOW[NOW["school"] == "甲中"]
    s = qk.summary(one)
    assert "school" not in s and s.columns[0] == "class_id"
    plain = qk.summary(one.drop(columns="school"))
    pd.testing.assert_frame_equal(s, plain)


def test_all_pass_rate_and_double_high_by_class():
    ap = qk.all_pass_rate(NOW, by="class_id").set_index(["school", "class_id"])
    assert len(ap) == 4 and (ap["n_students"] == 30).all()  # ids 1…60 exist in both schools
    passed = NOW.assign(p=NOW["score"] >= 60).groupby(["school", "class_id", "student_id"])["p"].all()
    hand = passed.groupby(level=["school", "class_id"]).mean()
    assert np.allclose(ap["all_pass_rate"], hand.loc[ap.index])
    dh = qk.double_high_check(NOW, by="class_id")
    assert units_of(dh) == set(UNITS)
    assert qk.double_high_check(NOW)["school"].tolist() == list(sorted(SCHOOLS))


def test_compare_classes_four_classes_and_pairs_named_with_the_school():
    c = qk.compare_classes(NOW)
    assert units_of(c.classes) == set(UNITS) and (c.classes["n_sat"] == 30).all()
    got = c.classes.set_index(["school", "class_id", "subject"])["mean"]
    assert np.allclose(got, hand_means(NOW).loc[got.index])
    assert (c.omnibus["n_groups"] == 4).all()
    assert set(c.pairs["a"]) | set(c.pairs["b"]) == {f"{s} {k}" for s, k in UNITS}
    assert len(c.pairs) == 2 * 6  # 4 classes: 6 pairs per subject


def test_compare_exams_matches_pupils_within_their_school():
    t = qk.compare_exams(NOW, BEFORE)
    assert units_of(t) == set(UNITS) and (t["n_matched"] == 30).all()
    got = t.set_index(["school", "class_id", "subject"])
    assert np.allclose(got["prev_mean"], hand_means(BEFORE).loc[got.index])


def test_teacher_table_same_name_in_two_schools_is_two_people():
    teachers = pd.DataFrame([
        {"teacher": name, "school": school, "grade": 9, "class_id": cls, "subject": subject}
        for school in SCHOOLS for cls in CLASSES for subject in SUBJECTS
        for name in [("王老师" if cls == "9-1" else f"{school}李老师") + subject]])
    t = qk.teacher_table(NOW, teachers)
    assert t.columns[:3].tolist() == ["subject", "school", "teacher"]
    wang = t[t["teacher"] == "王老师数学"].set_index("school")
    assert len(wang) == 2 and (wang["n_sat"] == 30).all() and (wang["classes"] == "9-1").all()
    hand = hand_means(NOW).xs("9-1", level="class_id").xs("数学", level="subject")
    assert np.allclose(wang["mean"], hand.loc[wang.index])
    assert t.groupby("subject").size().eq(4).all()


def test_value_added_by_class_within_school():
    va = qk.value_added(NOW, BEFORE)
    assert units_of(va.units) == set(UNITS) and (va.units["n"] == 30).all()
    assert va.units.columns[:3].tolist() == ["school", "class_id", "subject"]
    assert va.students["match"].eq("matched").all() and len(va.students) == len(NOW)
    # the OLS residual mean of each class, from an independent fit on the same Z scores
    z = lambda t: t.groupby("subject")["score"].transform(lambda x: (x - x.mean()) / x.std())
    d = NOW.assign(z_exit=z(NOW), z_entry=z(BEFORE).to_numpy())
    for subject, part in d.groupby("subject"):
        beta, alpha = np.polyfit(part["z_entry"], part["z_exit"], 1)
        resid = part["z_exit"] - (alpha + beta * part["z_entry"])
        hand = resid.groupby([part["school"], part["class_id"]]).mean()
        got = va.units[va.units["subject"] == subject].set_index(["school", "class_id"])["ols"]
        assert np.allclose(got, hand.loc[got.index])


def test_targets_and_counts_per_class_within_school():
    lists = qk.targets(NOW)
    counts = qk.target_counts(lists, NOW)
    assert counts.columns[:3].tolist() == ["school", "class_id", "subject"]
    assert units_of(counts) == set(UNITS) and (counts["n_sat"] == 30).all()
    hand = lists.groupby(["school", "class_id", "subject", "list"]).size()
    got = counts.set_index(["school", "class_id", "subject"])["n_support"]
    assert got.tolist() == [hand.get((*k, "support"), 0) for k in got.index]
    # pupil "1" of 甲中 and pupil "1" of 乙中 are two pupils: the weakest subject is each one's own
    for school in SCHOOLS:
        one = NOW[(NOW["school"] == school) & (NOW["student_id"] == "1")].set_index("subject")
        rows = lists[(lists["school"] == school) & (lists["student_id"] == "1")]
        if len(rows):
            assert (rows["weakest"].isin(one.index)).all()


def test_progress_counts_pupils_within_their_school():
    p = qk.progress(NOW, BEFORE)
    assert (p.accounting["match"] == "matched").sum() == 120  # not 60: ids repeat across schools
    assert set(map(tuple, p.improved[["school", "class_id"]].drop_duplicates().to_numpy())) <= set(UNITS)
    assert p.improved.groupby(["school", "class_id", "subject"]).size().max() <= 3
    assert units_of(p.students) == set(UNITS)


def test_growth_percentiles_groups_per_class_within_school():
    std = qk.Standard(sgp_min_students=50)
    g = qk.growth_percentiles(NOW, BEFORE, standard=std)
    assert units_of(g.groups) == set(UNITS) and (g.groups["n"] == 30).all()
    med = g.students.groupby(["school", "class_id", "subject"])["sgp"].median()
    got = g.groups.set_index(["school", "class_id", "subject"])["median_sgp"]
    assert np.allclose(got, med.loc[got.index])


def test_trend_follows_each_schools_classes():
    t = qk.trend(pd.concat([BEFORE, NOW]))
    assert set(t.positions["unit"]) == {f"{s} {c}" for s, c in UNITS}
    assert (t.positions["n"] == 30).all() and (t.positions["n_units"] == 4).all()
    assert set(t.value_added["unit"]) == {f"{s} {c}" for s, c in UNITS}


def test_plots_and_tables_name_school_and_class():
    import matplotlib.pyplot as plt

    c = qk.compare_classes(NOW)
    fig = qk.plot_class_means(c.classes, subject="数学")
    labels = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert labels == {f"{s} {k}" for s, k in UNITS}
    fig2 = qk.plot_rates(qk.summary(NOW), subject="语文")
    assert {t.get_text() for t in fig2.axes[0].get_xticklabels()} == labels
    fig3 = qk.plot_value_added(qk.value_added(NOW, BEFORE).units, subject="语文")
    assert {t.get_text() for t in fig3.axes[0].get_yticklabels()} == labels
    plt.close("all")
    shown = qk.show(qk.summary(NOW), "summary").table
    assert shown.columns[:2].tolist() == ["学校", "班级"]
    assert "学校" not in qk.show(qk.summary(NOW[NOW["school"] == "甲中"]), "summary").table


# ---- duplicated pupils are reported, never reduced to the first row -----------------------------
def doubled(table, row=5):
    extra = table.iloc[[row]].assign(source_row=999)
    return pd.concat([table, extra], ignore_index=True)


@pytest.mark.parametrize("call", [
    lambda now, before: qk.value_added(now, before),
    lambda now, before: qk.growth_percentiles(now, before),
    lambda now, before: qk.progress(now, before),
    lambda now, before: qk.compare_exams(now, before),
    lambda now, before: qk.targets(now, previous=before),
], ids=["value_added", "growth_percentiles", "progress", "compare_exams", "targets"])
@pytest.mark.parametrize("which", ["current", "previous"])
def test_duplicated_pupils_stop_with_the_rows_named(call, which):
    now, before = (doubled(NOW), BEFORE) if which == "current" else (NOW, doubled(BEFORE))
    exam = (now if which == "current" else before)["exam"].iloc[0]
    row = NOW.iloc[5]
    with pytest.raises(qk.ScoreFileError) as err:
        call(now, before)
    text = str(err.value)
    assert f"学校 {row['school']}、学号 {row['student_id']}（{row['subject']}）" in text
    assert exam in text and "duplicated student_id" in text
    assert f"第 {row['source_row']} 行" in text and "第 999 行" in text and "联考.xlsx" in text
    assert "删除重复的行" in text


def test_pre_post_duplicated_ids_name_their_rows():
    d = pd.DataFrame({"id": [1, 2, 2, 3], "school": ["A", "A", "A", "B"],
                      "pre": [1.0, 2, 3, 4], "post": [2.0, 3, 4, 5]})
    with pytest.raises(qk.ScoreFileError, match=r"学校 A、学号 2（成绩）：表中第 2、3 行"):
        qk.pre_post(d, entry="pre", exit="post", by="school", student_id="id")
    # the same id in two schools is two pupils
    d.loc[2, "school"] = "B"
    now, before = qk.pre_post(d, entry="pre", exit="post", by="school", student_id="id")
    assert len(now) == 4 and now.attrs["unit"] == "school"


def test_pre_post_pairs_chain_with_any_unit():
    rng = np.random.default_rng(3)
    d = pd.DataFrame({"id": range(200), "district": np.repeat(["东区", "西区", "南区", "北区"], 50)})
    d["pre"] = rng.normal(0, 1, 200)
    d["post"] = 0.6 * d["pre"] + rng.normal(0, 0.8, 200)
    now, before = qk.pre_post(d, entry="pre", exit="post", by="district", student_id="id")
    p = qk.progress(now, before)
    assert set(p.improved["district"]) <= set(d["district"])
    assert (p.accounting["match"] == "matched").all() and len(p.accounting) == 200
    # z change per pupil against an independent standardisation (sample sd)
    z = lambda x: (x - x.mean()) / x.std()
    hand = (z(d["post"]) - z(d["pre"])).to_numpy()
    got = p.students.set_index("student_id").loc[d["id"].astype(str), "z_change"].to_numpy()
    assert np.allclose(got, hand)
    va = qk.value_added(now, before)
    assert va.by == "district" and set(va.units["district"]) == set(d["district"])
    t = qk.compare_exams(now, before)
    assert set(t["district"]) == set(d["district"]) and t["pass_rate"].isna().all()
    g = qk.growth_percentiles(now, before)
    assert set(g.groups["district"]) == set(d["district"])


# ---- 总分 ranks among pupils who sat every subject ----------------------------------------------
def test_student_totals_rank_complete_pupils_only_by_default():
    rows = []
    for sid, yuwen, shuxue in [("1", 90, 90), ("2", 85, 80), ("3", 100, None), ("4", 70, 60),
                               ("5", 85, 80)]:
        for subject, v in (("语文", yuwen), ("数学", shuxue)):
            rows.append({"student_id": sid, "subject": subject, "exam": "期末", "full_mark": 100.0,
                         "score": np.nan if v is None else float(v),
                         "status": "absent" if v is None else "sat", "class_id": "9-1"})
    s = pd.DataFrame(rows)
    t = qk.student_totals(s).set_index("student_id")
    # by hand: totals 180, 165, 100 (语文 only), 130, 165; ranked among 1, 2, 4, 5: 1, 2, 2, 4
    assert t["total"].tolist() == [180, 165, 100, 130, 165]
    assert t["complete"].tolist() == [True, True, False, True, True]
    assert t["rank"].tolist()[:2] == [1, 2] and pd.isna(t.loc["3", "rank"])
    assert t.loc[["4", "5"], "rank"].tolist() == [4, 2]
    everyone = qk.student_totals(s, rank_among="all").set_index("student_id")
    assert everyone["rank"].tolist() == [1, 2, 5, 4, 2]  # 100 is last of five
    with pytest.raises(ValueError, match="rank_among"):
        qk.student_totals(s, rank_among="some")


# ---- the term report is about one school -------------------------------------------------------
def league_file(xlsx):
    rows = [["学校", "考号", "姓名", "班级", "语文", "数学"]]
    for school, base in (("甲中", 80), ("乙中", 60), ("丙中", 70)):
        for cls in ("9-1", "9-2"):
            for k in range(3):
                rows.append([school, f"{school}{cls}{k}", f"学生{k}", cls, base + k, base - k])
    return xlsx({"分数": rows}, name="联考成绩.xlsx")


def test_load_term_on_a_league_file_needs_a_school(xlsx):
    path = league_file(xlsx)
    with pytest.raises(qk.ScoreFileError) as err:
        qk.load_term(path, exam="2025-2026-1 期末")
    text = str(err.value)
    assert "3 所学校" in text and "甲中、乙中、丙中" in text
    assert "--school 学校名" in text and "school =" in text and "qualitykit district" in text
    with pytest.raises(qk.ScoreFileError, match="没有学校“丁中”.*甲中、乙中、丙中"):
        qk.load_term(path, exam="2025-2026-1 期末", school="丁中")
    term = qk.load_term(path, exam="2025-2026-1 期末", school="乙中")
    assert set(term.scores["school"]) == {"乙中"} and term.school == "乙中"
    assert term.title.startswith("乙中")
    s = qk.summary(term.scores)
    assert "school" not in s and len(s) == 4  # one school: exactly today's table
    assert s.set_index(["class_id", "subject"]).loc[("9-1", "语文"), "mean"] == pytest.approx(61)


def test_school_option_still_names_a_school_the_sheet_does_not(xlsx):
    path = xlsx({"S": [["学号", "姓名", "班级", "语文"], ["1", "甲", "五(1)班", 90]]})
    term = qk.load_term(path, exam="2025-2026-1 期末", school="青禾小学")
    assert term.school == "青禾小学" and set(term.scores["school"]) == {"青禾小学"}


def test_cli_report_and_targets_on_a_league_file_say_how_to_choose(xlsx, tmp_path, capsys):
    from qualitykit.cli import main

    path = league_file(xlsx)
    for command in ("report", "targets"):
        code = main([command, str(path), "--exam", "2025-2026-1 期末", "--out",
                     str(tmp_path / command)])
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err
        assert "3 所学校" in err and "--school" in err
    assert main(["targets", str(path), "--exam", "2025-2026-1 期末", "--school", "丙中",
                 "--out", str(tmp_path / "名单.xlsx")]) == 0
    assert "丙中" in capsys.readouterr().out


def test_target_workbook_has_one_sheet_per_class_of_each_school(tmp_path):
    lists = qk.targets(NOW)
    path = qk.write_targets(tmp_path / "培优补差.xlsx", lists, scores=NOW)
    sheets = pd.read_excel(path, sheet_name=None, engine="calamine")
    assert {f"{s} {c}班" for s, c in UNITS} <= set(sheets)
    one = sheets["乙中 9-1班"]
    hand = lists[(lists["school"] == "乙中") & (lists["class_id"] == "9-1")]
    assert len(one) == len(hand)
