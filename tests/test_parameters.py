"""Notebook parameters turned once into what the notebook and the library take
(qualitykit.report.parameters), and the runners and the command line that use it."""

import ast
import inspect
import json
from pathlib import Path

import pytest

from qualitykit.growth.exams import load_exams
from qualitykit.io.files import InputFileError
from qualitykit.report import growth_report, term_report
from qualitykit.report.parameters import library_arguments, notebook_parameters
from qualitykit.term.load import load_term


def notebook_defaults(path: Path) -> dict:
    """The literals of a notebook's ``parameters`` cell (read as the notebook states them)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    (cell,) = [c for c in cells if "parameters" in c["metadata"].get("tags", [])]
    tree = ast.parse("".join(cell["source"]))
    return {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}


def test_none_is_left_out_and_defaults_fill_what_is_not_given():
    params = notebook_parameters({"exam": None, "grade": None, "school": "青禾", "mask_names": False},
                                 defaults={"exam": "", "grade": 0})
    assert params == {"exam": "", "grade": 0, "school": "青禾", "mask_names": False}


def test_files_are_checked_made_absolute_and_empty_when_not_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("成绩.xlsx").write_bytes(b"x")
    Path("上次.xlsx").write_bytes(b"x")
    params = notebook_parameters({"score_files": ["成绩.xlsx", "上次.xlsx"], "roster_file": None,
                                  "teacher_file": ""},
                                 files=("score_files", "same_grade_files", "roster_file",
                                        "teacher_file"))
    assert params == {"score_files": [str(tmp_path / "成绩.xlsx"), str(tmp_path / "上次.xlsx")],
                      "same_grade_files": [], "roster_file": "", "teacher_file": ""}


def test_a_missing_file_is_named_by_its_parameter(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputFileError, match="^teacher_file 教学编排表.xlsx：找不到这个文件"):
        notebook_parameters({"teacher_file": "教学编排表.xlsx"}, files=("teacher_file",))
    with pytest.raises(InputFileError, match="^standard 本校.toml：找不到这个文件"):
        notebook_parameters({"standard": "本校.toml"})
    assert notebook_parameters({"standard": "county_teacher"}) == {"standard": "county_teacher"}


def test_every_empty_literal_is_none_for_the_library():
    params = {"score_file": "", "grade": 0, "subjects": [], "full_marks": {}, "exam": "期末",
              "school": None}
    assert library_arguments(params, ["score_file", "grade", "subjects", "full_marks", "exam",
                                      "school", "item_file"]) == {
        "score_file": None, "grade": None, "subjects": None, "full_marks": None,
        "exam": "期末", "school": None, "item_file": None}


@pytest.mark.parametrize("runner,loader,notebooks,extra", [
    (term_report, load_term, ("NOTEBOOK", "LEVEL_NOTEBOOK"), ()),
    (growth_report, load_exams, ("NOTEBOOK",), ("score_files", "exams")),
])
def test_the_runner_reads_the_notebooks_own_parameters(runner, loader, notebooks, extra):
    """What the runner hands the loader has the notebook's names and the loader's names."""
    names = getattr(runner, "LOAD_TERM", None) or getattr(runner, "LOAD_EXAMS") + extra
    assert set(names) <= set(inspect.signature(loader).parameters)
    for notebook in notebooks:
        declared = notebook_defaults(getattr(runner, notebook))
        assert set(names) | set(runner.FILES) <= set(declared), notebook


def run_captured(monkeypatch, module, argv):
    """Run ``qualitykit`` with the notebook and the export replaced: the parameters it got."""
    from qualitykit.cli import main

    seen = {}
    monkeypatch.setattr(module, "execute_notebook",
                        lambda notebook, executed, params, out, *rest: seen.update(params))
    monkeypatch.setattr(module, "export", lambda *args, **kwargs: None)
    # no notebook ran: no chart to put into it (the term report renders its charts itself)
    monkeypatch.setattr(module, "put_figures", lambda *args: 0, raising=False)
    assert main(argv) == 0
    return seen


def test_the_report_command_passes_its_options_through(monkeypatch, tmp_path, capsys):
    # nothing typed: the notebook gets "not given" for every file and keeps its own "as the
    # sheet says" (None) for exam, grade, school and subjects; it never exports itself
    assert run_captured(monkeypatch, term_report,
                        ["report", "--out", str(tmp_path), "--formats", "html"]) == {
        "export": False, "score_file": "", "full_marks": {}, "mask_names": False,
        "roster_file": "", "teacher_file": "", "previous_file": "", "item_file": "",
        "register_file": "", "fitness_file": "",
        "output_dir": ""}
    defaults = notebook_defaults(term_report.NOTEBOOK)
    assert [defaults[k] for k in ("exam", "grade", "school", "subjects")] == [None] * 4
    params = run_captured(monkeypatch, term_report,
                          ["report", "--exam", "2025-2026-1 期末", "--grade", "5", "--subjects",
                           "语文，数学", "--full-marks", "语文=120", "--standard", "pass_focus",
                           "--out", str(tmp_path)])
    assert params["subjects"] == ["语文", "数学"] and params["full_marks"] == {"语文": 120.0}
    assert (params["exam"], params["grade"], params["standard"]) == ("2025-2026-1 期末", 5,
                                                                     "pass_focus")
    assert params["output_dir"] == str(tmp_path)


def test_the_growth_command_leaves_what_is_not_typed_to_the_notebook(monkeypatch, tmp_path):
    params = run_captured(monkeypatch, growth_report, ["growth", "--out", str(tmp_path)])
    assert params == {"export": False, "score_files": [], "full_marks": {},
                      "same_grade_files": [], "reference_file": "", "roster_file": "",
                      "teacher_file": "", "study_file": "", "output_dir": str(tmp_path)}
    # so grade, exams and standard are the notebook's own: as the sheets say (the sample
    # school: its 五年级), the default standard
    defaults = notebook_defaults(growth_report.NOTEBOOK)
    assert (defaults["grade"], defaults["exams"], defaults["standard"]) == (None, None, "default")
