"""The first and the last cell of every parameterised notebook, as a teacher meets them: the
defaults are "as the file says", every example in a comment is valid Python that passes the
check, a wrong value stops the notebook with a Chinese message (no traceback), a real export
with only its file named gives that file's titles, and "Run All" on the term notebook ends
with the PDF, HTML and Word written by the command line's export."""

import ast
import json
import re

import papermill as pm
import pytest
from conftest import realdata

from qualitykit.paths import NOTEBOOKS
from qualitykit.report.notebook_run import EXAMPLES, KINDS, check_value

PARAMETERISED = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")
                       if any("parameters" in c["metadata"].get("tags", [])
                              for c in json.loads(p.read_text(encoding="utf-8"))["cells"]))
ZHIXIN = ("cn-school-exports", "zhixin-g8-g9")
PINGHU = ("cn-school-exports", "pinghu-g7-2025")


def first_cell(name: str) -> str:
    cells = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]
    return "".join(next(c["source"] for c in cells
                        if "parameters" in c["metadata"].get("tags", [])))


def assignments(source: str) -> dict:
    """name → (value, the example after "如" in its comment)."""
    found = {}
    for line in source.splitlines():
        match = re.match(r"(\w+)\s*=\s*(.+?)\s*(#.*)?$", line)
        if match:
            comment = match[3] or ""
            example = comment.rsplit("如 ", 1)[1] if "如 " in comment else None
            found[match[1]] = (ast.literal_eval(match[2]), example)
    return found


def test_every_notebook_with_parameters_is_covered():
    assert PARAMETERISED == ["00-开始.ipynb", "01-term-analysis.ipynb", "02-cohort-growth.ipynb",
                             "03-target-lists.ipynb", "04-paper-analysis.ipynb",
                             "05-level-analysis.ipynb", "06-专题研究模板.ipynb",
                             "07-联考分析.ipynb", "08-体质健康.ipynb"]


@pytest.mark.parametrize("name", PARAMETERISED)
def test_defaults_are_as_the_file_says_and_examples_are_valid_python(name):
    params = assignments(first_cell(name))
    for key in ("exam", "grade", "school", "subjects", "exams", "subject"):
        if key in params:
            assert params[key][0] is None, (name, key)
    for key, (value, example) in params.items():
        assert key in KINDS, (name, key)
        assert check_value(key, value) is None or KINDS[key] == "file", (name, key, value)
        if example is None:  # a comment without an example must be one that needs none
            assert key in ("item_file", "study_columns", "output_dir", "export"), (name, key)
            continue
        written = ast.literal_eval(example)  # the example, pasted as it is, is Python
        if KINDS[key] not in ("file", "files", "folder") and not (KINDS[key] == "standard"
                                                        and str(written).endswith(".toml")):
            assert check_value(key, written) is None, (name, key, example)
        assert ast.literal_eval(EXAMPLES[key]) is not None


def execute(tmp_path, name: str, params: dict, out: str = "run.ipynb"):
    pm.execute_notebook(str(NOTEBOOKS / name), str(tmp_path / out), parameters=params,
                        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOKS))
    nb = json.loads((tmp_path / out).read_text(encoding="utf-8"))
    text = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/html", "")) +
                   "".join(o.get("data", {}).get("text/plain", ""))
                   for c in nb["cells"] for o in c.get("outputs", []))
    return nb, text


def test_a_wrong_parameter_stops_at_once_with_one_chinese_line_each(tmp_path):
    with pytest.raises(pm.PapermillExecutionError) as raised:
        execute(tmp_path, "01-term-analysis.ipynb",
                {"grade": "五", "subjects": "语文", "score_file": "D:\new\\期末.xlsx",
                 "output_dir": ""})
    assert raised.value.ename == "ParameterError"
    nb = json.loads((tmp_path / "run.ipynb").read_text(encoding="utf-8"))
    errors = [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    shown = "\n".join(errors[0]["traceback"])
    assert "Traceback" not in shown and "File " not in shown  # what the teacher sees
    assert "grade（年级）应为 1–12 的整数，不加引号，如 grade = 5" in shown
    assert 'subjects 应为列表（方括号，每项加引号），如 subjects = ["语文", "数学"]' in shown
    assert "score_file 的路径里有反斜杠被当成了控制字符" in shown and 'r"' in shown
    failed = next(c for c in nb["cells"] if any(o["output_type"] == "error"
                                                for o in c.get("outputs", [])))
    assert "check_parameters" in "".join(failed["source"])  # the check is the first step


def test_run_all_on_the_term_notebook_exports_pdf_html_word(tmp_path):
    from test_report import pdf_text

    out = tmp_path / "报告"
    nb, text = execute(tmp_path, "01-term-analysis.ipynb",
                       {"output_dir": str(out), "subjects": ["语文", "数学"]})
    title = "青禾实验小学五年级2025—2026学年第一学期期末教学质量分析"
    assert {p.suffix for p in out.glob(f"{title}.*")} >= {".pdf", ".html", ".docx", ".xlsx"}
    assert "已生成的文件" in text and f"{title}.pdf" in text  # links in the last cell
    pdf = pdf_text(out / f"{title}.pdf")
    assert title in pdf and "三率一分" in pdf
    # the printed pages: no file names, no log lines, no progress text
    for leaked in ("已生成的文件", ".docx", ".pdf", "[2/4]", "导出 PDF", "ParameterError"):
        assert leaked not in pdf, leaked


def test_term_notebook_on_a_real_export_takes_exam_and_school_from_the_file(tmp_path):
    score = realdata(*ZHIXIN, "zx九上期末成绩表.xlsx")
    # only the file (and the 语文 full mark the sheet needs: 120) is set; exam, grade, school
    # and subjects stay None
    nb, text = execute(tmp_path, "01-term-analysis.ipynb",
                       {"score_file": str(score), "full_marks": {"语文": 120},
                        "output_dir": str(tmp_path), "export": False})
    assert "知新九年级期末教学质量分析" in text
    assert "青禾" not in text and "2025-2026-1" not in text and "五年级" not in text
    assert list(tmp_path.glob("知新九年级期末教学质量分析.docx"))


def test_target_lists_on_a_real_export(tmp_path):
    score = realdata(*ZHIXIN, "zx九上期末成绩表.xlsx")
    nb, text = execute(tmp_path, "03-target-lists.ipynb",
                       {"score_file": str(score), "full_marks": {"语文": 120},
                        "output_dir": str(tmp_path)})
    assert "知新" in text and "九年级" in text and "青禾" not in text
    assert (tmp_path / "培优补差.xlsx").exists()


def test_growth_notebook_on_real_exports_takes_the_exams_from_the_files(tmp_path):
    files = [str(realdata(*PINGHU, f)) for f in ("ph七上期中成绩.xlsx", "ph七上期末成绩.xlsx")]
    nb, text = execute(tmp_path, "02-cohort-growth.ipynb",
                       {"score_files": files, "full_marks": {"语文": 120},
                        "output_dir": str(tmp_path), "export": False})
    # the exams as the sheets name them (not the sample school's)
    assert "2 次考试（期中、期末）" in text
    assert "青禾" not in text and "2024-2025-2" not in text and "五年级" not in text


def test_the_study_template_uses_only_the_public_api():
    nb = json.loads((NOTEBOOKS / "06-专题研究模板.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    import qualitykit as qk

    used = set(re.findall(r"\bqk\.(\w+)", code))
    assert used and used <= set(qk.__all__), used - set(qk.__all__)
    assert not re.search(r"qualitykit\.|from qualitykit|qk\._", code)  # no module paths, no _names


def test_paper_notebook_on_real_item_responses_names_nothing_of_the_sample(tmp_path):
    import pandas as pd

    hci = pd.read_csv(realdata("item-response-shinyitemanalysis", "HCI.csv"))
    items = hci[[f"Item {i}" for i in range(1, 21)]]
    sheet = pd.concat([pd.Series(range(1, len(hci) + 1), name="学号"),
                       items.rename(columns=lambda c: c.split()[1])], axis=1).astype(str)
    marks = pd.DataFrame([["满分"] + ["1"] * 20], columns=sheet.columns)  # the row under the header
    pd.concat([marks, sheet]).to_csv(tmp_path / "HCI 小题分.csv", index=False)
    nb, text = execute(tmp_path, "04-paper-analysis.ipynb",
                       {"item_file": str(tmp_path / "HCI 小题分.csv"),
                        "output_dir": str(tmp_path), "export": False})
    assert "青禾" not in text and "五年级" not in text and "2025-2026" not in text
    assert f"{len(hci)}" in text  # the sheet's pupils, not the sample's
    book = pd.read_excel(tmp_path / "试卷分析.xlsx", sheet_name="小题分析", engine="calamine")
    assert len(book) == 20
    assert book.iloc[0].filter(like="难度").iloc[0] == pytest.approx(items["Item 1"].mean(), abs=5e-3)


def test_level_notebook_on_a_real_export_of_scores_turns_them_into_levels(tmp_path):
    # a school whose sheet has scores where the report must show 等级 only: the 等级分析 takes
    # the scores through the standard's bands instead of stopping
    score = realdata(*ZHIXIN, "zx九上期末成绩表.xlsx")
    nb, text = execute(tmp_path, "05-level-analysis.ipynb",
                       {"score_file": str(score), "full_marks": {"语文": 120},
                        "output_dir": str(tmp_path), "export": False})
    assert "知新九年级期末教学质量分析" in text and "青禾" not in text and "一年级" not in text
    assert "本表记的是分数，按评价标准的分数段换算为等级" in text
    import qualitykit as qk

    term = qk.load_term(str(score), full_marks={"语文": 120})
    maths = term.scores[(term.scores["subject"] == "数学") & (term.scores["status"] == "sat")]
    share = (maths["score"] >= 0.85 * maths["full_mark"]).mean()  # 优秀: ≥ 85 % by hand
    table = qk.level_summary(term.level_rows, by="subject", standard=term.standard)
    assert table.set_index("subject").loc["数学", "excellent_rate"] == pytest.approx(share)
