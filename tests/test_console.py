"""The console (notebooks/00-开始.ipynb) driven as its buttons do: the files, the import report at
once, the options, the four jobs on the sample school and on real school exports, the command
line each run shows (it repeats the same run), the parameters saved beside the files, and the
exploration panel."""

import shlex
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from conftest import realdata

import qualitykit as qk
from qualitykit.paths import SAMPLE_DATA
from qualitykit.report.console import Console, table_files
from qualitykit.report.console_jobs import (JOBS, Choices, command_line, growth_exams,
                                            job_arguments)

SAMPLE = {"score_file": "scores/2025-2026-1 期末/五年级.xlsx",
          "previous_file": "scores/2024-2025-2 期末/四年级.xlsx",
          "teacher_file": "教学编排表.xlsx",
          "item_file": "items/2025-2026-1 期末 五年级 数学 小题分.xlsx",
          "fitness_file": "fitness/体质测试_2025.xlsx"}
ZHIXIN = ("cn-school-exports", "zhixin-g8-g9")


def choose(console: Console, files: dict, folder: Path) -> Console:
    for role, name in files.items():
        console.pick[role].value = str(Path(folder).resolve() / name)
    return console


def pdf_text(path, layout: bool = False) -> str:
    from test_report import pdf_text as text

    return text(path, layout=layout)


# --- the form -------------------------------------------------------------------------------

def test_files_of_the_folder_are_offered_and_the_import_report_appears_at_once(tmp_path):
    console = Console(output_dir=tmp_path)
    labels = [label for label, _ in console.pick["score_file"].options]
    assert labels[0] == "（请选择）" and SAMPLE["score_file"] in labels
    tables = [p for p in SAMPLE_DATA.rglob("*") if p.suffix in (".xlsx", ".csv")]
    assert len(labels) == 1 + len(tables) and "truth/teacher_effects.csv" in labels
    choose(console, {"score_file": SAMPLE["score_file"]}, SAMPLE_DATA)
    shown = console.import_box.value
    assert "导入报告" in shown and "✔ 可以分析" in shown and "171 名学生" in shown
    assert "成绩汇总" in shown and "名次类列" in shown  # the notes: sheet, what was set aside
    assert console.exam.value == "2025-2026-1 期末" and console.grade.label == "按成绩表（5）"
    # one school: its choice is hidden, and only it (the exam name stays on the form)
    assert console.school.layout.display == "none" and console.exam.layout.display is None
    assert console.subjects.value == ("语文", "数学", "英语", "科学")
    # nothing changed from the sheet: the jobs are told nothing but the file
    assert console.choices() == Choices(score_file=str(SAMPLE_DATA / SAMPLE["score_file"]))
    # the 体测 file is offered as the other optional files are, not chosen until picked
    fitness = console.pick["fitness_file"]
    assert fitness.description == "体测文件" and fitness.value == ""
    offered = [label for label, _ in fitness.options]
    assert offered[0] == "（不用）" and offered[1:] == labels[1:]
    assert SAMPLE["fitness_file"] in offered
    choose(console, {"fitness_file": SAMPLE["fitness_file"]}, SAMPLE_DATA)
    assert console.choices().fitness_file == str(SAMPLE_DATA / SAMPLE["fitness_file"])


def test_an_error_is_shown_with_sheet_row_column_and_fix_and_a_full_mark_clears_it(tmp_path):
    folder = realdata(*ZHIXIN)
    console = choose(Console(folder=folder, output_dir=tmp_path),
                     {"score_file": "zx九上期末成绩表.xlsx"}, folder)
    report = qk.check_scores(folder / "zx九上期末成绩表.xlsx")
    shown = console.import_box.value
    assert f"✘ 成绩表有 {len(report.errors)} 个错误" in shown and len(report.errors) == 30
    # the first error as the importer states it: sheet, row 23, column E, the fix
    assert "<td>成绩数据</td>" in shown and "<td>23</td>" in shown and "<td>E</td>" in shown
    assert "语文 成绩 100.5 超过满分 100" in shown and "满分" in shown
    mark = next(box for box in console.full_marks.children[1:] if box.description == "语文")
    mark.value = 120
    assert "✔ 可以分析" in console.import_box.value and console.report.ok
    assert console.choices().full_marks == {"语文": 120.0}


def test_a_file_that_is_not_a_table_is_one_chinese_line(tmp_path):
    (tmp_path / "成绩.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    console = choose(Console(folder=tmp_path, output_dir=tmp_path / "out"),
                     {"score_file": "成绩.xlsx"}, tmp_path)
    shown = console.import_box.value
    assert "color:#c62828" in shown and "Traceback" not in shown and "成绩.xlsx" in shown
    assert console.run("report") is None and "没有完成" in console.status.value


def test_a_job_says_which_file_it_needs(tmp_path):
    console = choose(Console(output_dir=tmp_path), {"score_file": SAMPLE["score_file"]},
                     SAMPLE_DATA)
    assert console.run("growth") is None
    assert "上次考试" in console.status.value and console.progress.bar_style == "danger"
    assert console.run("paper") is None and "小题分" in console.status.value
    assert not any(button.disabled for button in console.buttons.values())


# --- the command line repeats the run ---------------------------------------------------------

FULL = Choices(score_file=str(SAMPLE_DATA / SAMPLE["score_file"]),
               previous_file=str(SAMPLE_DATA / SAMPLE["previous_file"]),
               teacher_file=str(SAMPLE_DATA / SAMPLE["teacher_file"]),
               item_file=str(SAMPLE_DATA / SAMPLE["item_file"]),
               roster_file=str(SAMPLE_DATA / "rosters/2025-2026学年 学生信息表.xlsx"),
               fitness_file=str(SAMPLE_DATA / "fitness/体质测试_2025.xlsx"),
               exam="2025-2026-1 期末（补考）", grade=5, subjects=["语文", "数学"],
               full_marks={"语文": 120.0, "数学": 110.0}, standard="county_teacher",
               mask_names=True)
RUNNERS = {"report": ("qualitykit.report.term_report", "run_report"),
           "targets": ("qualitykit.report.targets_report", "run_targets"),
           "growth": ("qualitykit.report.growth_report", "run_growth_report"),
           "paper": ("qualitykit.report.paper_report", "run_paper_report")}


def given(kwargs: dict) -> dict:
    """The arguments that say something (a runner treats None, "", {}, False as not given)."""
    skip = {"formats", "pdf_engine", "log", "progress"}
    return {k: [str(p) for p in v] if isinstance(v, list) and k == "first" else
            str(v) if isinstance(v, Path) else v
            for k, v in kwargs.items() if k not in skip and v not in (None, "", {}, [], False)}


@pytest.mark.parametrize("key", list(JOBS))
def test_the_command_line_shown_makes_the_same_library_call(key, tmp_path, monkeypatch):
    import importlib

    from qualitykit.cli import main

    argv, kwargs = job_arguments(key, FULL, tmp_path / "考试")
    module, name = RUNNERS[key]
    seen = {}
    monkeypatch.setattr(importlib.import_module(module), name, lambda first, **kw: seen.update(
        first=first, **kw) or {"files": {}, "timings": {}, "title": "x", "pdf_engine": None})
    typed = shlex.split(command_line(argv))  # as a person pastes it into a shell
    assert typed[0] == "qualitykit" and typed[1:] == argv
    assert main(typed[1:]) == 0
    assert given(seen) == given(kwargs)
    if key == "report":
        assert "--mask-names" in argv and given(kwargs)["subjects"] == ["语文", "数学"]
        assert argv[argv.index("--fitness") + 1] == FULL.fitness_file
        assert seen["fitness_file"] == FULL.fitness_file
    else:  # the 体测 file is the report's alone
        assert "--fitness" not in argv and "fitness_file" not in given(seen)


def test_each_job_writes_where_it_says(tmp_path):
    out = tmp_path / "2025-2026-1 期末（五年级）"
    assert job_arguments("report", FULL, out)[1]["out_dir"] == out
    assert job_arguments("growth", FULL, out)[1]["out_dir"] == out / "纵向分析"
    assert job_arguments("growth", FULL, out)[1]["first"] == [FULL.previous_file, FULL.score_file]
    lists = job_arguments("targets", FULL, out)[1]
    assert (lists["out"], lists["tracking"]) == (out / "培优补差.xlsx", tmp_path / "学困生档案.xlsx")


# --- the four jobs, on the sample school and on real exports ---------------------------------

@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("console")
    console = choose(Console(output_dir=out), SAMPLE, SAMPLE_DATA)
    return console, {key: console.run(key) for key in JOBS}


def test_the_console_runs_the_four_jobs_on_the_sample_school(sample_runs):
    console, runs = sample_runs
    assert all(runs.values()), console.status.value
    report, lists, growth, paper = (runs[k] for k in ("report", "targets", "growth", "paper"))
    assert {p.suffix for p in report["files"].values()} == {".docx", ".xlsx", ".html", ".pdf",
                                                             ".toml"}
    assert {p.suffix for p in growth["files"].values()} == {".xlsx", ".html", ".pdf", ".toml"}
    assert {p.suffix for p in paper["files"].values()} == {".xlsx", ".html", ".pdf", ".toml"}
    assert {"培优补差.xlsx", "学困生档案.xlsx"} <= set(lists["files"])
    assert all(p.exists() and p.stat().st_size > 0 for r in runs.values()
               for p in r["files"].values())
    # the report is the sample school's, with its numbers (an independent summary)
    pdf = next(p for p in report["files"].values() if p.name.endswith("教学质量分析.pdf"))
    # the 班级质量分析单 and 教师个人质量分析表 beside it, as `qualitykit report` writes them
    pack = [p for p in report["files"].values() if "班级与教师质量分析" in p.name]
    assert {p.suffix for p in pack} == {".pdf", ".docx"}
    text = pdf_text(pdf)
    assert "青禾实验小学五年级2025—2026学年第一学期期末教学质量分析" in text
    # the 体测 file chosen: the report's 体质健康 section, with the sample's 171 pupils
    assert "体质健康" in text and "五年级测试171人" in text
    row = qk.summary(qk.load_sample(exam="2025-2026-1 期末", grade=5)).iloc[0]
    # (the layout keeps a table row on its line: a wrapped header may otherwise come between)
    row_text = pdf_text(pdf, layout=True)
    assert f"{row.class_id}{row.subject}{row.n_enrolled}{row.n_sat}{row['mean']:.1f}" in row_text
    assert "已写出" not in text and ".docx" not in text  # no log line on the printed page
    # what the console shows at the end
    assert console.progress.value == 100 and console.progress.bar_style == "success"
    assert "完成" in console.status.value and "qk-command" in console.result.value


def test_each_run_saves_its_parameters_and_the_command_that_repeats_it(sample_runs):
    _, runs = sample_runs
    for key, run in runs.items():
        saved = next(p for name, p in run["files"].items() if name.startswith("运行参数"))
        data = tomllib.loads(saved.read_text(encoding="utf-8"))
        assert data["job"] == JOBS[key].label and data["command"] == run["command"]
        assert data["command"].startswith(f"qualitykit {JOBS[key].command} ")
    report = tomllib.loads(next(p for n, p in runs["report"]["files"].items()
                                if n.startswith("运行参数")).read_text(encoding="utf-8"))
    assert report["arguments"]["first"] == str(SAMPLE_DATA / SAMPLE["score_file"])
    assert report["arguments"]["previous_file"] == str(SAMPLE_DATA / SAMPLE["previous_file"])


def test_the_exploration_panel_shows_a_class_against_the_grade(sample_runs):
    console, _ = sample_runs
    console.widget.selected_index = 1  # the 探索班级 tab computes on first view
    panel = console.explore
    assert panel.class_id.options == ("5-1", "5-2", "5-3", "5-4") and panel.class_id.value == "5-1"
    panel.class_id.value, panel.subject.value = "5-3", "数学"
    assert panel.heading.value.startswith("<h3>5-3 班 · 数学")
    assert panel.distribution.value[:4] == b"\x89PNG" and panel.rates.value[:4] == b"\x89PNG"
    scores = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    row = qk.summary(scores).query("class_id == '5-3' and subject == '数学'").iloc[0]
    grade = qk.summary(scores, by="subject").query("subject == '数学'").iloc[0]
    tables = panel.tables.value
    for value in (row.pass_rate, row.pass_rate_low, row.pass_rate_high, grade.pass_rate):
        assert f"<td>{round(100 * value, 1):.1f}</td>" in tables
    assert "全年级" in tables and "与上次考试相比" in tables and "培优补差名单" in tables
    names = panel.tables.value
    console.mask.value = True
    panel.render()
    assert "＊" in panel.tables.value and "＊" not in names


@pytest.fixture(scope="module")
def real_runs(tmp_path_factory):
    folder = realdata(*ZHIXIN)
    out = tmp_path_factory.mktemp("console-real")
    console = choose(Console(folder=folder, output_dir=out), {
        "score_file": "zx九上期末成绩表.xlsx", "previous_file": "zx八下期末成绩表.xlsx",
        "teacher_file": "zx教学编排表.xlsx", "roster_file": "zx学生信息表.xlsx"}, folder)
    next(b for b in console.full_marks.children[1:] if b.description == "语文").value = 120
    console.subjects.value = ("语文", "数学")  # two subjects keep the run short
    runs = {key: console.run(key) for key in ("report", "targets", "growth")}
    return console, runs


def test_the_console_runs_the_jobs_on_a_real_school_export(real_runs):
    console, runs = real_runs
    assert all(runs.values()), console.status.value
    pdf = next(p for p in runs["report"]["files"].values() if p.name.endswith("教学质量分析.pdf"))
    text = pdf_text(pdf)
    assert "知新九年级期末教学质量分析" in text and "青禾" not in text
    # PROVENANCE.md: 303 students; 九上 数学 mean 74.153 over 290 sitters, 语文 86.921 over
    # 290 (full mark, enrolled, sat, absent, mean in the 各科总体情况 table)
    assert "数学1003032901374.2" in text and "语文1203032901386.9" in text
    assert "--subjects 语文,数学" in runs["report"]["command"]
    assert "--full-marks 语文=120" in runs["report"]["command"]
    assert {"培优补差.xlsx", "学困生档案.xlsx"} <= set(runs["targets"]["files"])
    growth = pdf_text(next(p for p in runs["growth"]["files"].values() if p.suffix == ".pdf"))
    assert "八下期末" in growth and "九上期末" in growth
    # both sheets are titled "…期末" with no school year: one exam "期末" to the importer; the
    # console names each exam after its file, and says so in the command line
    assert qk.check_scores(realdata(*ZHIXIN, "zx八下期末成绩表.xlsx")).data["exam"].iloc[0] == \
        qk.check_scores(realdata(*ZHIXIN, "zx九上期末成绩表.xlsx")).data["exam"].iloc[0]
    assert "--exams zx八下期末成绩表,zx九上期末成绩表" in runs["growth"]["command"]


def test_exams_the_sheets_tell_apart_keep_their_names():
    choices = Choices(score_file=str(SAMPLE_DATA / SAMPLE["score_file"]),
                      previous_file=str(SAMPLE_DATA / SAMPLE["previous_file"]))
    assert growth_exams(choices) is None  # 2024-2025-2 期末 and 2025-2026-1 期末


def test_the_paper_job_on_real_item_responses(tmp_path):
    hci = pd.read_csv(realdata("item-response-shinyitemanalysis", "HCI.csv"))
    items = hci[[f"Item {i}" for i in range(1, 21)]]
    sheet = pd.concat([pd.Series(range(1, len(hci) + 1), name="学号"),
                       items.rename(columns=lambda c: c.split()[1])], axis=1).astype(str)
    marks = pd.DataFrame([["满分"] + ["1"] * 20], columns=sheet.columns)  # the row under the header
    pd.concat([marks, sheet]).to_csv(tmp_path / "HCI 小题分.csv", index=False)
    console = choose(Console(folder=tmp_path, output_dir=tmp_path / "out"),
                     {"item_file": "HCI 小题分.csv"}, tmp_path)
    run = console.run("paper")
    assert run is not None, console.status.value
    book = pd.read_excel(next(p for p in run["files"].values() if p.suffix == ".xlsx"),
                         sheet_name="小题分析", engine="calamine")
    assert len(book) == 20
    # difficulty of item 1 = its mean (0/1 items): pandas on the published data
    assert book.iloc[0].filter(like="难度").iloc[0] == pytest.approx(items["Item 1"].mean(), abs=5e-3)


def test_table_files_skip_hidden_folders_and_excel_lock_files(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "a.xlsx").write_bytes(b"x")
    (tmp_path / "~$成绩.xlsx").write_bytes(b"x")
    (tmp_path / "成绩.xlsx").write_bytes(b"x")
    (tmp_path / "说明.docx").write_bytes(b"x")
    assert [label for label, _ in table_files(tmp_path)] == ["成绩.xlsx"]
