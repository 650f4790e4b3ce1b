"""The term report's 回头看 when a 质量目标与整改台账 is given: what a person reads in the PDF,
no developer words, and the school's 台账 left as it was."""

import hashlib

import openpyxl
import pytest

import qualitykit as qk
from qualitykit.report import run_report
from qualitykit.report.console_jobs import Choices, job_arguments
from test_report import developer_words, html_text, pdf_text


@pytest.fixture(scope="module")
def looked_back(tmp_path_factory):
    folder = tmp_path_factory.mktemp("look_back")
    register = folder / "质量目标与整改台账.xlsx"
    qk.update_register(register, qk.load_sample(exam="2025-2026-1 期中", grade=5),
                       teachers=qk.load_sample("teachers"))
    wb = openpyxl.load_workbook(register)
    ws = wb["整改台账"]
    column = [c.value for c in ws[1]].index("目标（填写）") + 1
    ws.cell(2, column).value = "低分率≤1%"
    ws.cell(3, column).value = "优秀率+5"
    wb.save(register)
    digest = hashlib.sha256(register.read_bytes()).hexdigest()
    result = run_report(None, out_dir=folder / "报告", exam="2025-2026-1 期末", grade=5,
                        formats=("html", "pdf"), register_file=register)
    expected = qk.review(register, qk.load_sample(exam="2025-2026-1 期末", grade=5),
                         teachers=qk.load_sample("teachers"), write=False)
    return result, register, digest, expected


def test_the_report_looks_back_at_the_register(looked_back):
    result, register, digest, expected = looked_back
    text = pdf_text(result["files"]["pdf"])
    assert "回头看:台账中的问题、目标与现值" in text and "两率名次" in text
    shown = qk.look_back_table(expected)
    for _, row in shown.iterrows():   # every problem with its value and verdict, as computed
        assert f"{row['编号']}".replace(" ", "") in text
        assert row["现值（区间）"].split("（")[0] in text
    assert "未达成" in text and "重新制定" in text
    assert hashlib.sha256(register.read_bytes()).hexdigest() == digest   # the 台账 untouched


def test_the_look_back_pages_show_no_developer_words(looked_back):
    result = looked_back[0]
    for kind in ("pdf", "html"):
        text = pdf_text(result["files"]["pdf"]) if kind == "pdf" else \
            html_text(result["files"]["html"])
        assert developer_words(text) == [], kind


def test_the_console_passes_the_register_to_the_report(tmp_path):
    choices = Choices(score_file="/学校/五年级期末.xlsx", register_file="/学校/台账.xlsx")
    argv, kwargs = job_arguments("report", choices, tmp_path)
    assert argv[argv.index("--register") + 1] == "/学校/台账.xlsx"
    assert kwargs["register_file"] == "/学校/台账.xlsx"
