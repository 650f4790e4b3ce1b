"""The fourth corpus (tests/fourth_corpus): several exams of one 届 over time, a workbook with a
sheet per exam, a previous exam without one class, two 届 at the same stage, a platform 小题分
export (letters with a key row, half points, 选做 22/23, 缺考, a wrong 总分, a 知识点 sheet
without one item), and the researcher's API — run as a teacher types the commands
(``qualitykit.cli.main``) and as a researcher calls ``qk.…``, compared with each case's truth
computed by the generator with plain pandas/numpy (never with the kit).
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import qualitykit as qk

sys.path.insert(0, str(Path(__file__).parent / "fourth_corpus"))
sys.path.insert(0, str(Path(__file__).parent / "third_corpus"))

import fc_gen  # noqa: E402
import tc_judge  # noqa: E402


def ran(argv) -> tuple[int, str, str]:
    """A command as typed; nothing a teacher must not see (traceback, English-only error,
    the last-resort message) whatever its exit code."""
    code, out, err = tc_judge.run_cli(argv)
    assert not tc_judge.plain_problems(code, out, err), (argv[0], code, err)
    return code, out, err


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fourth")


@pytest.fixture(scope="module")
def cohort(folder):
    return fc_gen.cohort_case(folder / "cohort")


def test_cohort_exams_in_order_with_the_subject_added_named(cohort, tmp_path):
    """growth on four files given out of date order: the exams in the order sat, every pupil
    of any exam in 追踪-学生 with the right 去向, and 物理 (八年级 only) named, not silently
    dropped."""
    files = [cohort["files"][i] for i in (3, 0, 2, 1)]
    code, out, _ = ran(["growth", *files, "--formats", "xlsx", "--out", tmp_path])
    assert code == 0
    assert "物理 只在 2025-2026-1 期末 有成绩" in out
    assert "、".join(cohort["exams"]) in out
    pupils = pd.read_excel(tmp_path / "纵向分析.xlsx", sheet_name="追踪-学生", engine="calamine",
                           dtype={"学号": str})
    assert set(pupils["学号"]) == cohort["all_ids"]
    path = pupils.set_index("学号")["去向"]
    assert set(path[path.eq("转出/离开") | path.str.contains("离开")].index) >= cohort["left"]
    assert set(path[path.str.contains("转入|新来")].index) == cohort["joined"]


def test_cohort_track_says_who_changed_class(cohort):
    """追踪 and progress: 七(1)班 → 八(1)班 is no 转班; only the six pupils moved are."""
    exams = qk.load_exams(cohort["files"])
    assert exams.exams == cohort["exams"] and exams.dropped == {"物理": ["2025-2026-1 期末"]}
    track = qk.track_cohort(exams.scores).students
    assert set(track.loc[track["class_changed"], "student_id"]) == cohort["moved"]
    p = qk.progress(exams.exam(cohort["exams"][3]), exams.exam(cohort["exams"][2]))
    acc = p.accounting
    assert set(acc.loc[acc["class_changed"], "student_id"]) == cohort["moved"]


def test_cohort_progress_z_changes_against_the_truth(cohort):
    """进步/退步: each pupil's Z change per subject (Z within exam × subject, sample SD) between
    七下期末 and 八上期末 — 数学 out of 100 then 120 — by hand."""
    before, now = cohort["tables"][2], cohort["tables"][3]
    subjects = list(fc_gen.FULL7)
    change = (fc_gen.z_scores(now, subjects, 1) - fc_gen.z_scores(before, subjects, 1)).dropna()
    exams = qk.load_exams(cohort["files"][2:])
    got = qk.progress(exams.exam(cohort["exams"][3]), exams.exam(cohort["exams"][2])).students
    got = got[got["match"].eq("matched")].pivot(index="student_id", columns="subject",
                                                values="z_change")
    assert set(got.index) == set(change.index)
    np.testing.assert_allclose(got.loc[change.index, subjects].to_numpy(), change.to_numpy(),
                               atol=1e-9)


def test_cohort_summary_of_the_exam_out_of_120(cohort, tmp_path):
    """summary of 八上期末: 数学(120分) read from the header; every class × subject right."""
    file, table = cohort["files"][3], cohort["tables"][3]
    assert ran(["summary", file, "--out", tmp_path / "s.xlsx"])[0] == 0
    truth = fc_gen.summary_truth(table, fc_gen.FULL8, 8)
    truth["class"] = truth["class"].str.replace(r"八\((\d)\)班", r"8-\1", regex=True)
    case = {"truth": truth}
    assert tc_judge.compare_summary(case, tc_judge.read_summary(tmp_path / "s.xlsx")) == []


def test_workbook_with_a_sheet_per_exam(folder, tmp_path):
    """One workbook, sheets 七上期中/七上期末/七下期末 without titles: read as three exams
    (no “学号重复”), growth runs on it; report refuses in one Chinese line naming the file and
    the sheets and saying what to do."""
    case = fc_gen.workbook_case(folder / "workbook")
    scores = qk.read_scores(case["file"])
    assert sorted(scores["exam"].unique()) == sorted(case["exams"])
    for name, table in case["tables"].items():
        got = scores[scores["exam"].eq(name)].groupby("subject")["score"].mean()
        np.testing.assert_allclose(got[list(fc_gen.FULL7)].to_numpy(),
                                   table[list(fc_gen.FULL7)].mean().to_numpy())
    assert qk.load_exams([case["file"]]).exams == case["exams"]
    code, _, err = ran(["report", case["file"], "--formats", "html", "--out", tmp_path])
    assert code == 2 and "七年级历次考试成绩.xlsx 有 3 次考试" in err and "另存" in err


def test_previous_exam_without_one_class(folder, tmp_path):
    """targets --previous where the previous file lacks 七(3)班: the counts of pupils in both,
    new and gone are right (七(3)班 counted as 新来, as the files say)."""
    case = fc_gen.missing_class_case(folder / "missing_class")
    code, out, _ = ran(["targets", case["files"]["now"], "--previous", case["files"]["before"],
                        "--out", tmp_path / "t.xlsx"])
    n_both = len(case["before"])
    assert code == 0 and f"两次都在 {n_both} 人，新来 {len(case['now']) - n_both} 人" in out
    assert "本次 7-3 班的 28 名学生都不在上次的成绩表中" in out  # not silently all “新来”


def test_id_format_changed_between_exams(folder, tmp_path):
    """学号 2024001 then G2024001: targets says nobody matched *and why* (names given, how to
    fix); track_cohort joins the pupils by name and class, the shared name left ambiguous."""
    case = fc_gen.id_change_case(folder / "ids")
    code, out, _ = ran(["targets", case["files"][1], "--previous", case["files"][0],
                        "--out", tmp_path / "t.xlsx"])
    assert code == 0 and "两次都在 0 人" in out
    assert f"有 {case['n_same_name']} 人姓名相同" in out and "学号的写法可能变了" in out
    track = qk.track_cohort(qk.load_exams(case["files"]).scores)
    assert track.students["path"].value_counts().to_dict() == {
        "stayed": case["n_same_name"], "left": 2, "joined": 2}
    assert track.uncertain["name_match"].value_counts().to_dict() == {
        "joined": case["n_same_name"], "ambiguous": 2}


def test_two_cohorts_at_the_same_stage(folder):
    """届比较: Hedges g of the 2024-2025 届 against the 2023-2024 届 per subject, by hand, on
    the scores as shares of the full mark (数学 out of 100, then 120: raw scores gave g 1.49
    instead of 0.53), and the comparison says the full marks differ."""
    case = fc_gen.two_cohorts_case(folder / "cohorts")
    exams = qk.load_exams(case["files"], cohort=False)
    effects = qk.cohort_compare(exams.scores).effects.set_index("subject")
    (old, new), (full_old, full_new) = case["tables"], case["full"]
    for subject in fc_gen.FULL7:
        want = fc_gen.hedges(new[subject].to_numpy(float) / full_new[subject],
                             old[subject].to_numpy(float) / full_old[subject])
        assert effects.loc[subject, "hedges_g"] == pytest.approx(want, abs=1e-9)
        assert effects.loc[subject, "n"] == len(new)
    assert "两年满分不同（100 与 120）" in effects.loc["数学", "comparison"]
    assert "满分不同" not in effects.loc["语文", "comparison"]


@pytest.fixture(scope="module")
def items(folder):
    return fc_gen.item_case(folder / "items")


def test_item_export_difficulty_discrimination_alpha(items):
    """P (选做 on the pupils who chose it), D (upper − lower 27 % by total, ties by row order,
    the kit's documented definition), α with the 选做 pair as one item and the paper's full mark
    (90, not 100) — against the truth; 缺考 pupils are out."""
    data = qk.read_items(items["file"])
    assert set(data["student_id"]) == set(items["ids"])
    result = qk.item_analysis(data)
    truth = items["truth"]
    got = result.items.set_index("item_id")
    for item in items["item_ids"]:
        assert got.loc[item, "difficulty"] == pytest.approx(truth["p"][item], abs=1e-12), item
        assert got.loc[item, "discrimination"] == pytest.approx(truth["d"][item], abs=1e-12), item
    assert got.loc["22", "n"] == truth["n_chosen"]["22"] and got.loc["23", "n"] == truth["n_chosen"]["23"]
    assert "选做题" in got.loc["22", "reading"]
    paper = result.paper.iloc[0]
    assert paper["n_students"] == truth["n"] and paper["max_total"] == truth["max_total"]
    assert paper["alpha"] == pytest.approx(truth["alpha"], abs=1e-12)
    assert "选做题" in paper["note"]


def test_long_item_export_gives_the_same_analysis(items, tmp_path):
    """The same scores as a long 考号/题号/得分 export (no row for the unchosen 选做 item): the
    same P, D and α as the truth."""
    data = qk.read_items(fc_gen.long_item_file(items, tmp_path))
    result = qk.item_analysis(data)
    got = result.items.set_index("item_id")
    for item in items["item_ids"]:
        assert got.loc[item, "difficulty"] == pytest.approx(items["truth"]["p"][item], abs=1e-12)
        assert got.loc[item, "discrimination"] == pytest.approx(items["truth"]["d"][item], abs=1e-12)
    assert result.paper["alpha"].iloc[0] == pytest.approx(items["truth"]["alpha"], abs=1e-12)


def test_item_export_options_and_knowledge_points(items):
    """Option table of item 1 (shares of A–D among the pupils who sat) and 知识点得分率 of the
    grade with 选做 points counted only for the item chosen."""
    data = qk.read_items(items["file"])
    opts = qk.distractors(data)
    one = opts[opts["item_id"].eq("1")].set_index("option")["share"]
    letters = pd.Series(items["letters"][:, 0]).value_counts(normalize=True)
    for option, share in letters.items():
        assert one[option] == pytest.approx(share)
    kp = qk.knowledge_points(data)
    grade = kp[kp["class_id"].eq("全年级")].set_index("knowledge_point")["rate"]
    S, maxima = items["S"], items["maxima"]
    for point in set(items["points"].values()):
        cols = [j for j, i in enumerate(items["item_ids"][:-1]) if items["points"][i] == point]
        earned = np.nansum(S[:, cols])
        possible = (~np.isnan(S[:, cols]) * maxima[cols]).sum()
        assert grade[point] == pytest.approx(earned / possible), point


def test_item_export_import_report(items):
    """The import report names the 缺考 pupils, the 选做 pair once (not a “blank scored 0” per
    pupil), the pupil whose 总分 is not the sum of his items, and item 23 without a 知识点."""
    problems = qk.check_items(items["file"]).problems
    text = problems["problem"]
    for sid in items["absent"]:
        assert text.str.contains(f"{sid} .*视为未参加本卷").any()
    assert text.str.contains("第 22、23 题为选做题").sum() == 1
    assert not text.str.contains("第 2[23] 题为空").any()
    wrong = problems[text.str.contains("total ≠ sum of items")]
    assert len(wrong) == 1 and wrong["problem"].iloc[0].count("总分") >= 1
    row = 3 + 1 + int(items["wrong_total"]) - 2025001  # the pupil's Excel row
    assert wrong["row"].iloc[0] == row
    assert text.str.contains("第 23 题没有知识点").sum() == 1


def test_paper_command_on_the_export(items, tmp_path):
    """paper as a teacher runs it: finishes, and the workbook's 小题分析 holds every item."""
    code, _, _ = ran(["paper", items["file"], "--formats", "xlsx", "--out", tmp_path])
    assert code == 0
    book = pd.read_excel(tmp_path / "试卷分析.xlsx", sheet_name=None, engine="calamine")
    item_sheet = next(t for name, t in book.items() if "小题" in name)
    assert {str(i) for i in item_sheet.iloc[:, 0:6].astype(str).stack()} >= set(items["item_ids"])


def test_api_long_frame_summary_and_errors_in_chinese():
    """qk.summary on a researcher's long frame: the documented columns, an absent pupil counted
    in n_enrolled and n_absent, not n_sat; a missing column is refused in Chinese naming it."""
    rows = [{"student_id": str(i), "name": f"生{i}", "school": "甲校", "grade": 7,
             "class_id": f"7-{1 + i % 2}", "subject": "数学", "exam": "期末",
             "score": float(40 + 5 * i) if i != 3 else np.nan,
             "status": "sat" if i != 3 else "absent", "full_mark": 100.0} for i in range(10)]
    df = pd.DataFrame(rows)
    out = qk.summary(df).set_index("class_id")
    for cls, part in df.groupby("class_id"):
        x = part["score"].dropna()
        assert out.loc[cls, "n_enrolled"] == len(part) and out.loc[cls, "n_sat"] == len(x)
        assert out.loc[cls, "n_absent"] == len(part) - len(x)
        assert out.loc[cls, "mean"] == pytest.approx(x.mean())
        assert out.loc[cls, "pass_rate"] == pytest.approx((x >= 60).mean())
    with pytest.raises(Exception, match=r"[\u4e00-\u9fff].*class_id|class_id.*[\u4e00-\u9fff]"):
        qk.summary(df.drop(columns="class_id"))


def test_trend_flag_names_only_the_consecutive_exams():
    """趋势: 7-2 is last at the 1st, 2nd and 4th exam but not the 3rd; the flag rests on the run
    of the 1st and 2nd, and lists those two exams only (it listed all three before)."""
    rng = np.random.default_rng(46)
    shift = {"a": -1.0, "b": -1.0, "c": 1.0, "d": -1.0}  # class 7-2 against the others
    rows = []
    for exam, s in shift.items():
        for i in range(60):
            cls = f"7-{1 + i % 3}"
            score = 70 + 8 * rng.normal() + (10 * s if cls == "7-2" else 0)
            rows.append({"student_id": str(i), "name": f"生{i}", "school": "", "grade": 7,
                         "class_id": cls, "subject": "数学", "exam": exam, "score": score,
                         "status": "sat", "full_mark": 200.0})
    flags = qk.trend(pd.DataFrame(rows), exams=list(shift)).flags
    bottom = flags[flags["flag"].str.startswith("bottom")].iloc[0]
    assert bottom["periods"] == 2 and bottom["exams"] == "a、b"


def test_api_value_added_ols_against_a_hand_fit(cohort):
    """qk.value_added between 七下期末 and 八上期末: each class's mean OLS residual (Z within
    the exam over all who sat, sample SD; exit on entry over the pupils who sat both) equals a
    least-squares fit by numpy; every pupil of either exam is in ``students`` (matched, or
    no_entry / no_exit), none dropped."""
    before, now = cohort["tables"][2], cohort["tables"][3]
    exams = qk.load_exams(cohort["files"][2:])
    va = qk.value_added(exams.exam(cohort["exams"][3]), exams.exam(cohort["exams"][2]))
    got = va.units.set_index(["class_id", "subject"])["ols"]
    for subject in fc_gen.FULL7:
        z_now = fc_gen.z_scores(now, [subject], 1)[subject]
        z_before = fc_gen.z_scores(before, [subject], 1)[subject]
        both = z_now.index.intersection(z_before.index)
        slope, intercept = np.polyfit(z_before[both], z_now[both], 1)
        residual = z_now[both] - (intercept + slope * z_before[both])
        cls = now.set_index("student_id").loc[both, "class_no"].map(lambda n: f"8-{n}")
        for c, mean in residual.groupby(cls).mean().items():
            assert got[(c, subject)] == pytest.approx(mean, abs=1e-9), (c, subject)
    ids = set(before["student_id"]) | set(now["student_id"])
    assert set(va.students["student_id"]) == ids


def test_targets_across_the_school_year_rank_nobody(cohort, tmp_path):
    """targets 八上期末 --previous 七下期末 as a teacher runs it: the counts of pupils in both,
    new and gone are the truth's; no sheet of the teachers' lists carries a rank."""
    before, now = cohort["tables"][2], cohort["tables"][3]
    both = set(before["student_id"]) & set(now["student_id"])
    code, out, _ = ran(["targets", cohort["files"][3], "--previous", cohort["files"][2],
                        "--out", tmp_path / "t.xlsx"])
    assert code == 0
    assert (f"两次都在 {len(both)} 人，新来 {len(set(now['student_id']) - both)} 人，"
            f"已离开 {len(set(before['student_id']) - both)} 人") in out
    for name, sheet in pd.read_excel(tmp_path / "t.xlsx", sheet_name=None,
                                     engine="calamine").items():
        headers = " ".join(map(str, sheet.columns))
        assert not any(w in headers for w in tc_judge.RANK_WORDS), name


def test_a_subject_new_this_term_has_no_new_support_names(cohort):
    """物理 starts in 八年级: nobody “entered” its 补差 list (there was no list to enter), so
    no 补差新增 is counted against the 物理 teachers; the other subjects count theirs."""
    exams = qk.load_exams(cohort["files"][2:], subjects=None)
    now = qk.read_scores(cohort["files"][3])
    before = exams.exam(cohort["exams"][2])
    lists = qk.targets(now, previous=before)
    physics = lists[lists["subject"].eq("物理")]
    assert len(physics) and set(physics["change"]) <= {"new_subject", "new_student"}
    counts = qk.target_counts(lists, now).set_index(["class_id", "subject"])
    assert counts.xs("物理", level="subject")["n_support_entered"].eq(0).all()
    transitions = qk.progress(now, before).transitions
    assert set(transitions.loc[transitions["subject"].eq("物理"), "transition"]) <= {
        "new_subject", "new_student"}


def test_api_refusals_are_chinese_and_name_the_parameter(cohort, items):
    """A researcher's mistakes: one exam to track_cohort, an unknown missing= to item_analysis,
    exams= not one per file to load_exams, a table without ``status`` to the growth functions —
    each refused in Chinese naming the identifier."""
    cjk = r"[\u4e00-\u9fff]"
    exams = qk.load_exams(cohort["files"][2:])
    with pytest.raises(ValueError, match=f"track_cohort.*{cjk}"):
        qk.track_cohort(exams.exam(cohort["exams"][3]))
    with pytest.raises(ValueError, match=f"missing.*{cjk}|{cjk}.*missing"):
        qk.item_analysis(qk.read_items(items["file"]), missing="drop")
    with pytest.raises(ValueError, match=f"exams.*{cjk}"):
        qk.load_exams(cohort["files"][2:], exams=["七下期末"])
    bare = exams.scores.drop(columns="status")  # a researcher's own table without status
    now, before = bare[bare["exam"].eq(cohort["exams"][3])], bare[bare["exam"].eq(cohort["exams"][2])]
    for call in (lambda: qk.track_cohort(bare), lambda: qk.value_added(now, before),
                 lambda: qk.growth_percentiles(now, before), lambda: qk.trend(bare),
                 lambda: qk.cohort_compare(bare)):  # each was a bare KeyError: 'status'
        with pytest.raises(ValueError, match=f"{cjk}.*status"):
            call()


def test_review_follows_a_class_up_a_grade(cohort, tmp_path):
    """register at 七下期末, review at 八上期末: a problem of 七(1)班 is judged on 八(1)班 (it was
    “无法判断 / 待核对” for every class problem), its 现值 is the truth's, and the 两率名次
    table has last time's ranks of 7-1 beside 8-1's."""
    import openpyxl

    book = tmp_path / "台账.xlsx"
    assert ran(["register", cohort["files"][2], "--out", book])[0] == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["整改台账"]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, header.index("目标（填写）") + 1).value = "≤2%" if ws.cell(
            r, header.index("指标") + 1).value == "低分率" else "≥80%"
    wb.save(book)
    code, out, _ = ran(["review", book, cohort["files"][3]])
    assert code == 0 and "待核对" not in out
    looked = pd.read_excel(book, sheet_name="回头看", engine="calamine")
    classes = looked[looked["单位类型"].eq("班级")]
    assert len(classes) and classes["说明"].str.startswith("按升年级后的 8-").all()
    now = cohort["tables"][3]
    for row in classes.itertuples():
        part = now[now["class_no"].eq(int(row.单位[-1]))][row.科目].dropna()
        low = (part < 0.4 * fc_gen.FULL8[row.科目]).mean()
        assert row.现值 == f"{100 * low:.1f}%"
    ranks = pd.read_excel(book, sheet_name="两率名次", engine="calamine")
    old = ranks[ranks["单位类型"].eq("班级") & ranks["科目"].isin(list(fc_gen.FULL7))]
    assert old["上次及格率名次"].notna().all()


def test_the_same_exam_given_twice_is_refused_before_any_work(cohort, tmp_path):
    """growth with the 七上期中 file given twice (a copy under another name): one Chinese line
    naming both files and what to do, before the notebook runs (it stopped inside it, asking to
    delete “duplicated” rows)."""
    import shutil

    copy = tmp_path / "七上期中（副本）.xlsx"
    shutil.copy(cohort["files"][0], copy)
    code, out, err = ran(["growth", cohort["files"][0], copy, cohort["files"][1],
                          "--formats", "xlsx", "--out", tmp_path / "out"])
    assert code == 2 and "[2/4]" not in out
    assert "七上期中（副本）.xlsx 都是“2024-2025-1 期中”的成绩" in err and "--exams" in err


def test_report_with_another_cohorts_item_file_says_so(cohort, items, tmp_path):
    """report 八上期末 --item-file of other pupils (another exam's 小题分): the report is made
    and step 1 says that none of the file's pupils is in the score sheet (it said nothing)."""
    code, out, _ = ran(["report", cohort["files"][3], "--item-file", items["file"],
                        "--formats", "html", "--out", tmp_path])
    n = items["truth"]["n"]
    assert code == 0 and f"的 {n} 名学生中只有 0 人的学号在成绩表中" in out
