"""The third corpus (tests/third_corpus): ordinary but unusual school situations — classes of
1–3 pupils, a subject every pupil of a class missed, a class all failing or all at full marks,
one class, 32 classes, marks out of 120/150/50 with half points, a teacher of three classes
and two subjects, a mid-term change of teacher, a 编排表 class the sheet lacks, the last exam
with classes re-divided and 学号 typed as numbers, identical names, item files with extreme
items or one item, a 体测 sheet mixing grades with 免测, a 常规 record with a month unchecked,
a 通报 of classes 7-1/7-10, a class low three years running, 台账 and 回头看 — each run through
the commands a teacher types (``qualitykit.cli.main``) and compared with the case's own truth,
computed by the generator from its values with plain pandas (never with the kit).
"""

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent / "third_corpus"))

import tc_gen  # noqa: E402
import tc_judge  # noqa: E402
from tc_judge import run_cli  # noqa: E402


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("third")


@pytest.fixture(scope="module")
def scores(folder):
    return {c["name"]: c for c in tc_gen.build_scores(folder / "scores")}


def ran(argv) -> tuple[int, str, str]:
    """A command as typed; nothing a teacher must not see (traceback, English-only error,
    the last-resort message) whatever its exit code."""
    code, out, err = run_cli(argv)
    assert not tc_judge.plain_problems(code, out, err), (argv[0], code, err)
    return code, out, err


@pytest.mark.parametrize("name", [make.__name__[5:] for make in tc_gen.SCORE_CASES])
def test_score_sheet_case(scores, name, tmp_path):
    """check, summary (every class × subject: counts, mean, 及格/优秀/低分/满分率 against the
    truth) and targets (every class and subject listed, nobody ranked)."""
    case, options = scores[name], scores[name]["options"]
    assert ran(["check", case["file"], *options])[0] == 0
    assert ran(["summary", case["file"], *options, "--out", tmp_path / "s.xlsx"])[0] == 0
    assert tc_judge.compare_summary(case, tc_judge.read_summary(tmp_path / "s.xlsx")) == []
    argv = ["targets", case["file"], *options, "--out", tmp_path / "t.xlsx"]
    if case.get("previous"):
        argv += ["--previous", case["previous"]]
    code, out, _ = ran(argv)
    assert code == 0 and tc_judge.compare_targets(case, tmp_path / "t.xlsx") == []
    if case.get("previous"):  # 学号 012001 now, 12001 (a number) last term: the same pupil
        assert (f"两次都在 {case['matched']} 人，新来 {case['joined']} 人，"
                f"已离开 {case['left']} 人") in out


@pytest.mark.parametrize("name", ["one_class", "many_classes", "mixed_full_marks"])
def test_lines_case(scores, name, tmp_path):
    """lines: 线分数 and 上线人数 of the top half by total, by hand."""
    case = scores[name]
    out = tmp_path / "上线.xlsx"
    assert ran(["lines", case["file"], *case["options"], "--lines", "本科=0.5",
                "--out", out])[0] == 0
    assert tc_judge.compare_lines(case, out) == []


def test_teacher_of_three_classes_and_a_class_the_sheet_lacks(scores, tmp_path):
    """evaluate: one row per teacher × subject with the pupils of all her classes (王芳: 数学 in
    three classes, 科学 in one); 赵磊 of 五(9)班 (not in the sheet) is named, not dropped."""
    case = scores["teachers"]
    code, out, _ = ran(["evaluate", case["file"], "--teachers", case["teachers"],
                        "--out", tmp_path / "e.xlsx"])
    assert code == 0 and tc_judge.compare_teachers(case, tmp_path / "e.xlsx") == []
    assert "五(9)班 数学（赵磊） 在成绩表中没有这个班" in out


def test_two_teachers_of_one_class_is_refused_naming_the_file_and_rows(scores, tmp_path):
    case = scores["teacher_change"]
    code, _, err = ran(["targets", case["file"], "--teachers", case["teachers"],
                        "--out", tmp_path / "t.xlsx"])
    assert code == 2
    assert "teacher_change_编排.xlsx，工作表「教学编排」，第 11 行：五(2)班 语文 有两位教师" in err


def test_report_of_tiny_classes_names_no_one_pupil_problem(scores, tmp_path):
    """report (HTML): the classes of 1, 2 and 3 pupils are in 三率一分 with their own figures,
    read as “人数太少，无法比较”, and no class of one pupil is a 存在问题 of 优秀率."""
    case = scores["tiny_classes"]
    assert ran(["report", case["file"], "--formats", "html", "--out", tmp_path])[0] == 0
    page = next(p for p in tmp_path.glob("*.html") if "班级与教师" not in p.name).read_text()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", page,
                                                                 flags=re.S)))
    truth = case["truth"].set_index(["class", "subject"])
    for (label, subject), row in truth.iterrows():
        assert f"{label} {subject} {row['n']:.0f} {row['n_sat']:.0f} {row['mean']:.1f} " in text
    assert "5-2 语文 1 1" in text and "人数太少，无法比较" in text
    assert not re.search(r"5-2 班优秀率", text)


@pytest.fixture(scope="module")
def items(folder):
    return {c["name"]: c for c in tc_gen.build(tc_gen.ITEM_CASES, folder / "items")}


@pytest.mark.parametrize("name", ["items_extremes", "items_one_item"])
def test_paper_case(items, name, tmp_path):
    """paper: every item's difficulty P = mean ÷ full mark (an item all right 1, all wrong 0,
    a zero-variance one ½); a one-item paper is read and has no D or α."""
    case = items[name]
    assert ran(["paper", case["file"], "--formats", "xlsx", "--out", tmp_path])[0] == 0
    book = pd.ExcelFile(tmp_path / "试卷分析.xlsx", engine="calamine")
    table = pd.read_excel(book, "小题分析").astype({"题号": str})
    got = dict(zip(table["题号"], table["难度"]))
    assert got == pytest.approx(dict(zip(case["truth"]["item"], case["truth"]["p"])), abs=6e-4)  # printed to 3 decimals
    paper = pd.read_excel(book, "试卷整体").iloc[0]
    assert paper["学生数"] == case["n"] and "平均总分" in pd.read_excel(book, "试卷整体").columns
    if name == "items_one_item":
        assert table["区分度D"].isna().all() and pd.isna(paper["信度α"])


def test_fitness_sheet_mixing_grades_with_exempt_pupils(folder, tmp_path):
    """fitness: 50 rows of 三年级 and 五年级; the two pupils 免测 in every item are not imported
    (listed); the rest are counted in their own class and grade (one incomplete pupil each)."""
    case = tc_gen.build(tc_gen.FITNESS_CASES, folder / "fitness")[0]
    code, out, _ = ran(["fitness", case["file"], "--formats", "xlsx", "--out", tmp_path])
    assert code == 0 and "读取 50 行，导入 48 名学生" in out
    classes = pd.read_excel(tmp_path / "体质健康分析.xlsx", sheet_name="各班等级",
                            engine="calamine")
    got = {(r["班级"], r["人数"] + r["缺项人数"]) for _, r in classes.iterrows()}
    assert got == {("3-1", 24), ("5-2", 24)}


def test_routine_record_with_a_month_unchecked(folder, tmp_path):
    """routine: November missed for every teacher; 常规考核得分 by hand (the template's grades
    and weights, reweighted); 前三名 printed in the order of their places."""
    case = tc_gen.build(tc_gen.ROUTINE_CASES, folder / "routine")[0]
    code, out, _ = ran(["routine", case["file"], "--out", tmp_path])
    assert code == 0
    for teacher in case["teachers"]:
        assert f"缺查月份：{teacher} 2025年11月 没有月查记录" in out
    summary = pd.read_excel(tmp_path / "教学常规考核.xlsx", sheet_name="汇总", engine="calamine")
    got = dict(zip(summary["教师"], summary["常规考核得分"]))
    assert got == pytest.approx(case["truth"], abs=0.006)
    order = sorted(case["truth"], key=lambda t: -case["truth"][t])[:3]
    line = next(x for x in out.splitlines() if x.startswith("前三名"))
    assert [re.match(r"(\S+?)（", part)[1] for part in line[4:].split("、")] == order


def test_awards_of_classes_written_7_1(folder, tmp_path):
    case = tc_gen.case_awards_dash_classes(folder, None)
    code, out, _ = ran(["awards", case["file"], "--out", tmp_path / "位次奖.xlsx"])
    assert code == 0 and f"合计 {sum(case['truth'].values())} 元" in out
    table = pd.read_excel(tmp_path / "位次奖.xlsx", engine="calamine")
    paid = table[table["计奖依据"].ne("本科目") | ~table["教师"].duplicated(keep=False)]
    assert dict(zip(paid["教师"], paid["奖金(元)"])) == case["truth"]


@pytest.fixture(scope="module")
def cycle(folder):
    return {c["name"]: c for c in tc_gen.build(tc_gen.CYCLE_CASES, folder / "cycle")}


def test_alerts_for_a_class_low_three_years(cycle, tmp_path):
    """alerts --by class: the class one SD below the others every year gets 红牌 in every
    subject in the third year; no other class gets any level."""
    case = cycle["alerts_weak_class"]
    code, out, _ = ran(["alerts", *case["files"], "--by", "class", "--out", tmp_path / "a.xlsx"])
    assert code == 0 and "红牌 3 条" in out
    table = pd.read_excel(tmp_path / "a.xlsx", sheet_name="预警", engine="calamine")
    red = table[table["预警"] == "红牌"]
    assert red["班级"].str.endswith(case["weak"]).all() and len(red) == 3
    levels = table[table["预警"].isin(["约谈", "黄牌", "红牌"])]
    assert levels["班级"].str.endswith(case["weak"]).all()


def test_register_then_review(cycle, tmp_path):
    """register (期中) writes 6-2 数学's 低分率 with the truth's numbers; review (期末) judges it
    with the 期末's value."""
    case = cycle["register_review"]
    ledger = tmp_path / "台账.xlsx"
    assert ran(["register", case["files"]["期中"], "--out", ledger])[0] == 0
    assert ran(["review", ledger, case["files"]["期末"]])[0] == 0
    table = pd.read_excel(ledger, sheet_name="整改台账", engine="calamine")
    row = table[(table["单位"] == "6-2") & (table["科目"] == "数学")
                & (table["指标"] == "低分率")].iloc[0]
    mid = case["truth_mid"].set_index(["class", "subject"]).loc[("6-2", "数学")]
    end = case["truth_end"].set_index(["class", "subject"]).loc[("6-2", "数学")]
    assert f"{100 * mid['n_low'] / mid['n_sat']:.1f}%（{mid['n_low']:.0f} 人）" in row["存在问题（依据）"]
    assert row["现值"] == f"{100 * end['n_low'] / end['n_sat']:.1f}%"
