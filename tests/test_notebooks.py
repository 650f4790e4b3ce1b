"""Notebooks run with papermill parameter sets (nbval runs them as committed in `make test`)."""

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_notebooks_are_committed_without_outputs_and_orchestrate_only():
    import nbformat

    for path in NOTEBOOKS.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.outputs and c.execution_count is None for c in code), path.name
        assert not any(line.lstrip().startswith(("def ", "class "))
                       for c in code for line in c.source.splitlines()), path.name
        assert "parameters" in code[0].metadata.get("tags", []), path.name


@pytest.mark.parametrize("params", [
    {},  # the sample school
    {"exam": "2024-2025-2 期中", "grade": 3},
    {"score_file": "SCHOOL_CSV", "exam": "", "full_marks": {"语文": 120}},
])
def test_check_notebook_parameter_sets(tmp_path, params):
    import papermill as pm

    if params.get("score_file") == "SCHOOL_CSV":
        csv = tmp_path / "学校成绩.csv"
        csv.write_bytes("学号,姓名,班级,语文,数学\n1,张三,五(1)班,110,缺考\n2,李四,五(2)班,0,90\n"
                        .encode("gbk"))
        params = {**params, "score_file": str(csv)}
    out = tmp_path / "out.ipynb"
    nb = pm.execute_notebook(str(NOTEBOOKS / "00-check-scores.ipynb"), str(out), parameters=params,
                             kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    text = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells
                   for o in c.get("outputs", []))
    assert "及格率" in text and "导入报告" in text


@pytest.mark.parametrize("params", [
    {},  # the sample school with teachers and last term's 期末
    {"subjects": ["数"], "mask_names": True, "standard": "county_teacher"},
    {"score_file": "SCHOOL_CSV", "exam": "2025-2026-1 期中", "grade": 0},
])
def test_term_notebook_parameter_sets(tmp_path, params):
    import papermill as pm

    if params.get("score_file") == "SCHOOL_CSV":
        csv = tmp_path / "学校成绩.csv"
        rows = "".join(f"{i},学生{i},五({1 + i % 2})班,{50 + i},{40 + 2 * i}\n" for i in range(30))
        csv.write_bytes(("学号,姓名,班级,语文,数学\n" + rows).encode("gbk"))
        params = {**params, "score_file": str(csv)}
    out = tmp_path / "out.ipynb"
    nb = pm.execute_notebook(str(NOTEBOOKS / "01-term-analysis.ipynb"), str(out),
                             parameters={**params, "output_dir": str(tmp_path)},
                             kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    text = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells
                   for o in c.get("outputs", []))
    assert "三率一分" in "".join(c.source for c in nb.cells) and "及格率" in text
    assert list(tmp_path.glob("*.docx")) and list(tmp_path.glob("*.xlsx"))
    if params.get("subjects"):
        assert "英语" not in text  # only 数学 was asked for
    if "score_file" in params:  # no teacher table, no previous exam: the sections say so
        assert "未提供教学编排表" in text and "未提供上次考试成绩" in text
