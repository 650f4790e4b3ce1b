"""体质健康 in the term report (``qualitykit report --fitness``): the section's numbers against
independent counts, its findings only where an interval supports them (constructed data), a
file of another grade refused in Chinese, and what a person reads in the PDF and Word files."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.stats.proportion import proportion_confint

import qualitykit as qk
from qualitykit.cli import main
from qualitykit.report import run_report
from qualitykit.fitness.analysis import LEVELS
from test_report import developer_words, docx_text, html_text, pdf_text

SAMPLE = qk.fitness_sample_path(2025)
EXAM = "2025-2026-1 期末"


@pytest.fixture(scope="module")
def term():
    return qk.load_term(exam=EXAM, grade=5)


@pytest.fixture(scope="module")
def section(term):
    return qk.fitness_section(SAMPLE, term.scores, grade=5)


@pytest.fixture(scope="module")
def grade5():
    """The sample's 五年级 pupils and items as scored (the counts below are made from them by
    hand, not by the analysis functions)."""
    measurements, _ = qk.read_fitness(SAMPLE)
    return qk.score_fitness(measurements[measurements["grade"] == 5])


def test_grade_rates_are_the_grade_pupils_counted_by_hand(section, grade5):
    levels = grade5.pupils["level"].tolist()
    graded = [lv for lv in levels if lv in LEVELS]
    r = section.rates.iloc[0]
    assert (r["n"], r["n_incomplete"]) == (len(graded), len(levels) - len(graded))
    for rate, counted in (("excellent_rate", ("优秀",)), ("pass_rate", ("优秀", "良好", "及格")),
                          ("fail_rate", ("不及格",))):
        k = sum(lv in counted for lv in graded)
        low, high = proportion_confint(k, len(graded), alpha=0.05, method="wilson")  # statsmodels
        assert r[rate] == pytest.approx(k / len(graded))
        assert (r[f"{rate}_low"], r[f"{rate}_high"]) == pytest.approx((low, high))


def test_classes_are_read_against_the_grade_mean(section, grade5):
    pupils = grade5.pupils.dropna(subset=["total_score"])
    grade_mean = float(np.mean(pupils["total_score"]))
    for _, row in section.classes.iterrows():
        mine = pupils.loc[pupils["class_id"] == row["class_id"], "total_score"]
        assert row["mean_total_score"] == pytest.approx(mine.mean())
        assert row["diff"] == pytest.approx(mine.mean() - grade_mean)
        inside = row["diff_low"] <= 0 <= row["diff_high"]
        assert (row["vs_grade"] == "similar") == inside  # shown as 与年级无明显差别
    assert list(section.classes["class_id"]) == sorted(section.classes["class_id"])  # no league


def test_failing_counts_and_matching_to_the_score_sheet(section, grade5, term):
    failing = [(s, i) for s, i, lv in zip(grade5.items["student_id"], grade5.items["item"],
                                          grade5.items["level"]) if lv == "不及格"]
    assert section.n_failing == len({s for s, _ in failing})
    assert section.n_failing_rows == len(failing)
    per_item = pd.Series([i for _, i in failing]).value_counts()
    top = section.items[section.items["n_fail"] > 0]
    assert dict(zip(top["item"], top["n_fail"])) == per_item.to_dict()
    assert list(top["n_fail"]) == sorted(top["n_fail"], reverse=True)
    on_sheet = set(term.scores["student_id"])
    assert section.n_in_sheet == sum(s in on_sheet for s in grade5.pupils["student_id"])
    assert section.extra_classes == ()


def test_the_section_text_gives_counts_not_names(section, grade5):
    text = qk.fitness_section_text(section)
    assert f"至少一个项目不及格的学生 {section.n_failing} 人" in text
    names = set(grade5.items.loc[grade5.items["level"] == "不及格", "name"])
    assert names and not any(name in text for name in names)
    assert developer_words(text) == []
    shown = qk.fitness_section_tables(section)
    assert list(shown["fitness_items"]["项目"]) == ["50米跑", "坐位体前屈", "肺活量"]
    assert qk.fitness_section_text(None) == "" and set(qk.fitness_section_tables(None).values()) == {None}


def _constructed(class_shift: float, fails: dict[str, int]):
    """Four classes of 40 pupils (学年总分 at the N(80, 6) quantiles, class 5-1 shifted) and items with
    the given numbers of 不及格 among 160 pupils."""
    classes = np.repeat(["5-1", "5-2", "5-3", "5-4"], 40)
    spread = 80 + 6 * norm.ppf((np.arange(40) + 0.5) / 40)  # the same spread in every class
    total = np.tile(spread, 4) + np.where(classes == "5-1", class_shift, 0)
    ids = [f"S{i:03d}" for i in range(len(classes))]
    level = pd.cut(total, [-np.inf, 60, 80, 90, np.inf], right=False,
                   labels=["不及格", "及格", "良好", "优秀"]).astype(str)
    pupils = pd.DataFrame({"student_id": ids, "grade": 5, "class_id": classes,
                           "total_score": total, "level": level})
    items = pd.concat([pd.DataFrame({
        "student_id": ids, "grade": 5, "class_id": classes, "item": item, "score": 70.0,
        "level": ["不及格" if i < n else "及格" for i in range(len(ids))]})
        for item, n in fails.items()], ignore_index=True)
    scored = SimpleNamespace(pupils=pupils, items=items, problems=pd.DataFrame())
    scores = pd.DataFrame({"student_id": ids, "class_id": classes})
    return qk.fitness_section_of(scored, scores, grade=5)


def test_a_class_gap_beyond_chance_gives_its_finding_and_one_within_chance_does_not():
    section = _constructed(-10, {"sprint_50m": 3, "sit_ups": 3})
    wide = qk.fitness_findings(section)
    assert wide[0]["class_id"] == "5-1"
    assert wide[0]["sentence"].startswith("体质健康：平均学年总分低于年级且超出偶然波动的有 1 个班：5-1 班")
    # 5-1 pulls the grade's mean down: the others may be above it beyond chance, and are named
    # only if their own interval says so
    c = section.classes.set_index("class_id")
    named = {k for f in wide for k in f["class_id"].split("、")}
    assert named == set(c.index[c["diff_low"] > 0]) | set(c.index[c["diff_high"] < 0])
    assert qk.fitness_findings(_constructed(-1, {"sprint_50m": 3, "sit_ups": 3})) == []


def test_the_most_failed_item_is_a_finding_only_beyond_chance():
    clear = qk.fitness_findings(_constructed(0, {"sprint_50m": 40, "sit_ups": 3,
                                                 "rope_skipping": 2}))
    assert [f["value"] for f in clear] == [pytest.approx(40 / 160)]
    assert "50米跑不及格 40 人" in clear[0]["sentence"]
    # 8 against 5 of 160: the intervals overlap, no sentence
    assert qk.fitness_findings(_constructed(0, {"sprint_50m": 8, "sit_ups": 5})) == []


def test_conclusions_take_the_fitness_findings_and_say_where(term):
    basic = qk.summary(term.scores, by="subject")
    exam = {"comparison": qk.compare_classes(term.scores),
            "double_high": qk.double_high_check(term.scores), "most": 4}
    section = _constructed(-10, {"sprint_50m": 40, "sit_ups": 3})
    without = qk.conclusions(basic, **exam)
    with_it = qk.conclusions(basic, fitness=section, **exam)
    assert without.equals(qk.conclusions(basic, fitness=None, **exam))
    # the exam's findings (already at ``most``) do not crowd out the two 体质健康 ones
    assert with_it.iloc[:len(without)].equals(without) and len(with_it) == len(without) + 2
    added = with_it.iloc[len(without):]
    assert set(added["rule"]) == {"fitness"} and set(added["section"]) == {"fitness"}
    lines = qk.conclusion_lines(with_it)
    assert any("（见三“体质健康”）" in line for line in lines)


def _one_grade_file(tmp_path: Path, sheet: str) -> Path:
    """The sample school's 体测 file with only one grade's sheet."""
    wb = openpyxl.load_workbook(SAMPLE)
    for name in wb.sheetnames:
        if name != sheet:
            del wb[name]
    path = tmp_path / f"{sheet}体测.xlsx"
    wb.save(path)
    return path


def test_a_fitness_file_of_another_grade_is_refused_in_chinese(tmp_path, term, capsys):
    third = _one_grade_file(tmp_path, "三年级")
    with pytest.raises(qk.FitnessError, match="中没有五年级的学生（文件中是三年级）"):
        qk.fitness_section(third, term.scores, grade=5)
    code = main(["report", "--exam", EXAM, "--grade", "5", "--fitness", str(third),
                 "--out", str(tmp_path / "out"), "--formats", "html"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert "没有五年级的学生" in err and "请换用本年级" in err


@pytest.fixture(scope="module")
def with_fitness(tmp_path_factory):
    out = tmp_path_factory.mktemp("fitness_report")
    return run_report(None, out_dir=out, exam=EXAM, grade=5, fitness_file=SAMPLE,
                         formats=("html", "pdf", "docx"), log=lambda _: None)


def test_the_report_shows_the_fitness_section(with_fitness, section):
    files = with_fitness["files"]
    texts = {"pdf": pdf_text(files["pdf"]), "html": html_text(files["html"]).replace(" ", ""),
             "docx": docx_text(files["docx"]).replace(" ", "")}
    r = section.rates.iloc[0]
    for kind, text in texts.items():
        assert "体质健康" in text and "不及格人数最多的项目" in text, kind
        assert f"至少一个项目不及格的学生{section.n_failing}人" in text, kind
        assert f"{100 * r['pass_rate']:.1f}" in text and "50米跑" in text, kind
        assert "与年级无明显差别" in text, kind
        assert developer_words(text) == [], kind


def test_the_term_workbook_holds_the_fitness_tables_as_numbers(with_fitness, section, grade5):
    import openpyxl as xl

    path = next(Path(p) for p in with_fitness["files"].values()
                if Path(p).name.endswith("教学质量分析.xlsx"))
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)]
              for ws in xl.load_workbook(path, read_only=True)}
    rates, classes, items = (sheets[s] for s in ("体质健康-全年级等级", "体质健康-各班与年级",
                                                 "体质健康-不及格最多的项目"))
    # the grade's rates and Wilson bounds, from the pupils counted by hand (statsmodels)
    row = dict(zip(rates[0], rates[1]))
    graded = [lv for lv in grade5.pupils["level"] if lv in LEVELS]
    k = sum(lv in ("优秀", "良好", "及格") for lv in graded)
    low, high = proportion_confint(k, len(graded), alpha=0.05, method="wilson")
    assert row["人数"] == len(graded)
    assert (row["及格率(%)"], row["及格率下限(%)"], row["及格率上限(%)"]) == pytest.approx(
        (round(100 * k / len(graded), 1), round(100 * low, 1), round(100 * high, 1)))
    # each class against the grade (its mean 学年总分 less the grade's), in class order
    pupils = grade5.pupils.dropna(subset=["total_score"])
    header = classes[0]
    got = {r[header.index("班级")]: r[header.index("与年级均分差")] for r in classes[1:]}
    want = {c: round(g.mean() - pupils["total_score"].mean(), 1)
            for c, g in pupils.groupby("class_id")["total_score"]}
    assert got == pytest.approx(want) and list(got) == sorted(want)
    assert "与年级均分差下限" in header and "与年级均分差上限" in header
    # the items with the most 不及格, counted by hand; numbers are numbers, no pupil anywhere
    fails = grade5.items.loc[grade5.items["level"] == "不及格", "item"].value_counts()
    assert items[1][items[0].index("不及格人数")] == fails.iloc[0]
    assert [r[0] for r in items[1:]] == ["50米跑", "坐位体前屈", "肺活量"]
    names = set(grade5.pupils["name"].astype(str)) | set(grade5.pupils["student_id"].astype(str))
    for rows in (rates, classes, items):
        assert not any(str(v) in names for r in rows for v in r)
    assert all(isinstance(v, (int, float)) for v in rates[1] + items[1][1:])
