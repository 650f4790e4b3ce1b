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


def school_csv(tmp_path, rows: str) -> str:
    """A school's own score sheet as a GBK CSV (as exported by many marking systems)."""
    csv = tmp_path / "学校成绩.csv"
    csv.write_bytes(("学号,姓名,班级,语文,数学\n" + rows).encode("gbk"))
    return str(csv)


def execute(tmp_path, notebook: str, params: dict):
    """Run a notebook with papermill; return it and the text of its HTML outputs."""
    import papermill as pm

    nb = pm.execute_notebook(str(NOTEBOOKS / notebook), str(tmp_path / "out.ipynb"),
                             parameters=params, kernel_name="python3", progress_bar=False,
                             cwd=str(tmp_path))
    text = "".join(str(o.get("data", {}).get("text/html", "")) for c in nb.cells
                   for o in c.get("outputs", []))
    return nb, text


def test_console_notebook_runs_and_shows_the_console(tmp_path):
    nb, _ = execute(tmp_path, "00-开始.ipynb", {"output_dir": str(tmp_path / "控制台")})
    views = [o for c in nb.cells for o in c.get("outputs", [])
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert len(views) == 1  # the console: one Tab holding both panels


@pytest.mark.parametrize("params", [
    {},  # the sample school with teachers and last term's 期末
    {"subjects": ["数"], "mask_names": True, "standard": "county_teacher"},
    {"score_file": "SCHOOL_CSV", "exam": "2025-2026-1 期中", "grade": 0},
])
def test_term_notebook_parameter_sets(tmp_path, params):
    if params.get("score_file") == "SCHOOL_CSV":
        params = {**params, "score_file": school_csv(tmp_path, "".join(
            f"{i},学生{i},五({1 + i % 2})班,{50 + i},{40 + 2 * i}\n" for i in range(30)))}
    nb, text = execute(tmp_path, "01-term-analysis.ipynb",
                       {**params, "output_dir": str(tmp_path), "export": False})
    assert "三率一分" in "".join(c.source for c in nb.cells) and "及格率" in text
    assert list(tmp_path.glob("*.docx")) and list(tmp_path.glob("*.xlsx"))
    if params.get("subjects"):
        assert "英语" not in text  # only 数学 was asked for
    if "score_file" in params:  # no teacher table, no previous exam: the sections say so
        assert "未提供教学编排表" in text and "未提供上次考试成绩" in text


@pytest.mark.parametrize("params", [
    {},  # the sample school: teachers and last term's 期末 come with it
    {"subjects": ["数"], "mask_names": True, "standard": "pass_focus"},
    {"score_file": "SCHOOL_CSV", "exam": "2025-2026-1 期中", "grade": 0},
])
def test_target_lists_notebook_parameter_sets(tmp_path, params):
    import pandas as pd

    if params.get("score_file") == "SCHOOL_CSV":
        params = {**params, "score_file": school_csv(tmp_path, "".join(
            f"{i},学生{i},五({1 + i % 2})班,{40 + 2 * i},{30 + 2 * i}\n" for i in range(30)))}
    nb, text = execute(tmp_path, "03-target-lists.ipynb", {**params, "output_dir": str(tmp_path)})
    assert "补差人数" in text and "原因" in text and "名次" not in text.split("学困生档案")[0]
    sheets = pd.read_excel(tmp_path / "培优补差.xlsx", sheet_name=None, engine="calamine")
    assert "汇总" in sheets and any(name.endswith("班") for name in sheets)
    archive = pd.read_excel(tmp_path / "学困生档案.xlsx", sheet_name="学困生档案", engine="calamine")
    assert archive["学号"].is_unique and not archive["姓名"].str.contains("＊").any()
    if params.get("mask_names"):
        assert all(sheets[n]["姓名"].str.contains("＊").all() for n in sheets if n.endswith("班"))
        assert "英语" not in text
    if "score_file" in params:
        assert "未提供上次考试成绩" in text
    else:
        assert "进步之星候选" in sheets and "学习进步奖候选" in text


@pytest.mark.parametrize("params", [
    {},  # the sample school's 五年级数学 小题分
    {"item_file": "RAW", "missing": "listwise"},
])
def test_paper_notebook_parameter_sets(tmp_path, params):
    import pandas as pd
    from conftest import write_xlsx

    if params.get("item_file") == "RAW":  # a raw export: letters, one info row, no info sheet
        rows = [["七年级英语月考小题分"], ["考号", "姓名", "班级", "1", "2", "3", "4"],
                ["满分", None, None, 1, 1, 2, 5]]
        rows += [[f"{i:03d}", f"生{i}", f"初一{1 + i % 2}班", "AB"[i % 2], "C", i % 3, i % 6]
                 for i in range(30)]
        rows += [["答案", None, None, "A", "C", None, None]]
        params = {**params, "item_file": str(write_xlsx(tmp_path / "小题.xlsx", {"S": rows}))}
    nb, text = execute(tmp_path, "04-paper-analysis.ipynb",
                       {**params, "output_dir": str(tmp_path), "export": False})
    assert "区分度" in text and "知识点" in text and "导入报告" in text
    sheets = pd.read_excel(tmp_path / "试卷分析.xlsx", sheet_name=None, engine="calamine")
    assert {"试卷整体", "小题分析", "各班各题得分率"} <= set(sheets)
    if "item_file" in params:
        assert "选项分析" in sheets and len(sheets["小题分析"]) == 4
        assert sheets["试卷整体"]["缺失处理"].iloc[0] == "整行删除"
    else:
        assert len(sheets["小题分析"]) == 20 and "知识点得分率" in sheets
        # the 教研员 section: item parameters with readings, cut lines, DIF between classes
        assert {"项目参数", "能力与分数线", "试卷信息量", "项目功能差异"} <= set(sheets)
        assert len(sheets["项目参数"]) == 20 and "区分度为负" in text
        assert "本卷在能力" in text and "疑似项目功能差异" in text


def two_exam_csvs(tmp_path) -> list[str]:
    """Two exams of the same pupils as the school exports them (GBK CSV, one per exam)."""
    rng = __import__("numpy").random.default_rng(0)
    paths = []
    for year, grade in (("2024-2025", "四"), ("2025-2026", "五")):
        rows = "".join(f"{i},学生{i},{grade}({1 + i % 3})班,{min(100, 55 + i + int(rng.integers(0, 20)))},"
                       f"{min(100, 50 + i + int(rng.integers(0, 25)))}\n" for i in range(36))
        path = tmp_path / f"{year}-2 期末.csv"
        path.write_bytes(("学号,姓名,班级,语文,数学\n" + rows).encode("gbk"))
        paths.append(str(path))
    return paths


@pytest.mark.parametrize("params", [
    {},  # the sample school: 五年级 and its three 期末 (三→四→五年级), teachers included
    {"grade": 4, "subjects": ["数"], "standard": "county_teacher",
     "exams": ["2024-2025-1 期末", "2024-2025-2 期末", "2025-2026-1 期末"]},
    {"score_files": "SCHOOL_CSVS", "exams": ["2024-2025-2 期末", "2025-2026-2 期末"]},
    {"study_file": "EXAM_CSV"},
])
def test_cohort_growth_notebook_parameter_sets(tmp_path, params):
    from conftest import realdata

    if params.get("score_files") == "SCHOOL_CSVS":
        params = {**params, "score_files": two_exam_csvs(tmp_path)}
    if params.get("study_file") == "EXAM_CSV":
        params = {**params, "study_file": str(realdata("multilevel-school-exams", "Exam.csv"))}
    nb, text = execute(tmp_path, "02-cohort-growth.ipynb",
                       {**params, "output_dir": str(tmp_path), "export": False})
    assert "增值" in text and "成长百分位" in text
    assert (tmp_path / "纵向分析.xlsx").exists()
    images = [c for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    if "score_files" in params:  # the school's own two exams: no 届 comparison, no teachers
        assert "未提供同一年级其他年份的成绩表" in text and "未提供教学编排表" in text
        assert "示例学校" not in text
    if "study_file" in params:  # the caterpillar plot of the 65 London schools
        study = [c for c in nb.cells if "fig_study" in c.source][0]
        assert any("image/png" in o.get("data", {}) for o in study.outputs)
        assert "65 所学校" in text and "六、研究数据" in text
    else:  # no study data: no study section at all (it used to name its parameter)
        assert "研究数据" not in text
    assert "study_file" not in text and "trend_periods" not in text
    assert len(images) >= (2 if "score_files" in params else 4)
