"""`qualitykit report` on sheets graded in levels: the 等级分析 report as a person reads it (PDF
text, Word tables), and a sheet mixing score and level subjects in the term report."""

import pytest

import qualitykit as qk
from qualitykit.report import LEVEL_NOTEBOOK, run_report

from test_levels import BEFORE, HAND, NOW
from test_report import pdf_text

HEADINGS = ["一、基本情况", "二、等级分布（班级×科目）", "三、班级比较", "四、与上次考试对比",
            "五、存在问题", "六、改进措施"]


def _as_read(text: str) -> str:
    """What pdf_text gives for a string: NFKC (full-width brackets and colons become ASCII),
    no whitespace."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split())


def _pct(count: int, n: int) -> str:
    """A share as the report prints a rate: a percentage with one decimal (also 40.0)."""
    return f"{100 * count / n:.1f}"


@pytest.fixture(scope="module")
def level_report(tmp_path_factory):
    from conftest import write_xlsx

    folder = tmp_path_factory.mktemp("levels")
    now = write_xlsx(folder / "一年级期中.xlsx", {"一年级": NOW})
    before = write_xlsx(folder / "一年级上学期期末.xlsx", {"一年级": BEFORE})
    notes = []
    result = run_report(now, out_dir=folder / "out", exam="2025-2026-2 期中", grade=1,
                        school="青禾实验小学", previous_file=before, log=notes.append)
    return result, notes


def test_a_levels_only_sheet_gets_the_level_report(level_report):
    result, notes = level_report
    assert set(result["files"]) == {"html", "pdf", "docx", "xlsx"}
    assert any("只记等级" in n for n in notes)
    assert any("11 名学生" in n for n in notes)
    assert LEVEL_NOTEBOOK.exists()


def test_pdf_text_holds_the_level_tables(level_report):
    result, _ = level_report
    text = pdf_text(result["files"]["pdf"])
    for heading in HEADINGS:
        assert _as_read(heading) in text, heading
    assert "三率一分" not in text and "平均分" not in text  # no scores, so no score sections
    assert "名次" not in text.replace("不排学生名次", "")  # policy: no ranks
    # every row of the 等级分布 table, as displayed: counts and shares from the hand count
    for (cls, subject), (enrolled, *counts) in HAND.items():
        n = sum(counts)
        cells = f"{cls}{subject}{enrolled}{n}" + "".join(
            f"{c}{_pct(c, n)}" for c in counts) + _pct(sum(counts[:3]), n)
        assert cells in text, cells
    # 与上次对比 (语文 only: 数学 was not on the last sheet): 1-1 班 6 pupils, 2 up, 3 same, 1 down
    assert "1-1语文683.383.30.016.733.316.7231" in text
    assert _as_read("学困生补基础（待合格：语文 3 人、数学 2 人）") in text


def test_docx_of_the_level_report(level_report):
    import docx

    result, _ = level_report
    doc = docx.Document(result["files"]["docx"])
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "{{" not in text and "{%" not in text
    for heading in ("二、等级分布（班级 × 科目）", "四、与上次考试对比", "六、改进措施"):
        assert heading in text
    header = [[c.text.replace("\n", "") for c in t.rows[0].cells]  # a header on two lines
              for t in doc.tables]
    assert ["班级", "科目", "应考人数", "实考人数", "优秀人数", "优秀占比(%)"] in [h[:6] for h in header]
    rows = {tuple(c.text for c in r.cells[:5]) for t in doc.tables for r in t.rows}
    assert ("1-2", "数学", "5", "5", "1") in rows


def test_a_sheet_mixing_scores_and_levels(tmp_path):
    from conftest import write_xlsx

    rows = [["学号", "姓名", "班级", "语文", "道德与法治"]] + [
        [str(i), f"学生{i}", f"二({1 + i % 2})班", 50 + 2 * i, ["优秀", "良好", "合格", "待合格"][i % 4]]
        for i in range(20)]
    sheet = write_xlsx(tmp_path / "二年级.xlsx", {"二年级": rows})
    term = qk.load_term(sheet, exam="2025-2026-2 期末", grade=2)
    assert not term.levels_only and term.subjects == ["语文", "道德与法治"]
    assert set(term.scores["subject"]) == {"语文"} and set(term.levels["subject"]) == {"道德与法治"}
    result = run_report(sheet, out_dir=tmp_path / "out", exam="2025-2026-2 期末", grade=2,
                        formats=("html",), log=lambda _: None)
    html = result["files"]["html"].read_text(encoding="utf-8")
    assert "三率一分" in html and "（五）等级科目" in html
    t = qk.level_summary(term.levels).set_index("class_id")
    # pupils 1, 3, …, 19 are in 二(2)班: i % 4 in (1, 3) → 良好 5, 待合格 5
    assert t.loc["2-2", ["n_good", "n_unsatisfactory", "n_excellent"]].tolist() == [5, 5, 0]
