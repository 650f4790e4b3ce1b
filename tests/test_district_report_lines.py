"""上线情况 in the district report (``qualitykit district --lines``): the same numbers as
``qualitykit lines`` on the 联考 sample, each school's classes against the district in its
通报反馈, counts only (no pupil's name), and nothing changed without ``--lines``."""

import math
import re

import numpy as np
import pandas as pd
import pytest

from qualitykit.cli import main
from qualitykit.district.analysis import analyse_district
from qualitykit.district.district_lines import critical_counts
from qualitykit.district.feedback import WHOLE_SCHOOL, school_feedback
from qualitykit.district.league_sample import LEAGUE_SUBJECTS, league_sample_path
from qualitykit.district.load import load_district
from qualitykit.district.pages import district_pages, feedback_tables, lines_section
from qualitykit.district.report import write_district, write_feedback

LINES = "特控=0.05,本科=0.40"
MARKS = ",".join(f"{s}={m:g}" for s, m in LEAGUE_SUBJECTS.items())


@pytest.fixture(scope="module")
def sample():
    data = load_district()
    return data, analyse_district(data, lines=LINES)


@pytest.fixture(scope="module")
def lines_book(tmp_path_factory):
    """What ``qualitykit lines`` writes for the same file and lines."""
    out = tmp_path_factory.mktemp("lines")
    assert main(["lines", str(league_sample_path()), "--full-marks", MARKS, "--lines", LINES,
                 "--out", str(out)]) == 0
    return pd.read_excel(out / "上线分析.xlsx", sheet_name=None, engine="calamine")


def _printed_text(html_text: str) -> str:
    text = re.sub(r"<style.*?</style>", "", html_text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def test_the_section_equals_the_lines_command_on_the_league_sample(sample, lines_book, tmp_path):
    data, a = sample
    files = write_district(tmp_path, data, a, formats=("html",), log=lambda line: None)
    book = pd.read_excel(files["xlsx"], sheet_name=None, engine="calamine")
    for sheet in ("分数线", "上线_学校", "上线_班级", "单科有效分", "单科有效分_学校",
                  "有效分两种算法"):
        theirs, ours = lines_book[sheet], book[sheet]
        pd.testing.assert_frame_equal(ours[theirs.columns], theirs, check_dtype=False)
    # 临界生: the command lists pupils; the district report counts them by school and line
    listed = lines_book["临界生"].groupby(["学校", "分数线", "线上/线下"]).size()
    counts = book["临界生人数_学校"].set_index(["学校", "分数线"])
    assert counts["线上临界人数"].sum() + counts["线下临界人数"].sum() == listed.sum()
    for (school, line, side), n in listed.items():
        column = "线上临界人数" if side.startswith("线上") else "线下临界人数"
        assert counts.loc[(school, line), column] == n
    assert "上线说明" in book and "比例法" in book["上线说明"].to_string()


def test_over_counts_by_school_equal_a_plain_pandas_count(sample):
    # independent of the kit: 总分 = sum of each pupil's scores, the line = the 总分 at rank
    # ⌈share × n⌉ from the top, over = 总分 ≥ line
    data, a = sample
    s = data.scores[(data.scores["status"] == "sat") & data.scores["score"].notna()]
    total = s.groupby(["school", "student_id"])["score"].sum()
    for line, share in (("特控", 0.05), ("本科", 0.40)):
        cut = total.sort_values(ascending=False).iloc[math.ceil(share * len(total)) - 1]
        expected = (total >= cut).groupby(level="school").sum()
        got = a.lines.schools[a.lines.schools["line_name"] == line].set_index("school")
        assert got["line_score"].iloc[0] == cut
        assert got["n_over"].to_dict() == expected.to_dict()
        assert got["n_sat"].to_dict() == total.groupby(level="school").size().to_dict()


def test_critical_counts_cover_every_school_and_line():
    listed = pd.DataFrame({"school": ["甲", "甲", "乙", "乙"], "line_name": ["A", "B", "A", "A"],
                           "side": ["above", "below", "below", "below"]})
    schools = pd.DataFrame({"school": ["甲", "乙", "甲", "乙"], "line_name": ["A", "A", "B", "B"]})
    out = critical_counts(listed, schools)
    assert out.values.tolist() == [["甲", "A", 1, 0], ["乙", "A", 0, 2], ["甲", "B", 0, 1],
                                   ["乙", "B", 0, 0]]
    empty = critical_counts(listed.iloc[:0], schools)
    assert empty[["n_critical_above", "n_critical_below"]].to_numpy().sum() == 0


def test_each_feedback_has_its_classes_against_the_district(sample, tmp_path):
    data, a = sample
    for school in data.schools:
        f = school_feedback(data, a, school)
        own = f.lines[f.lines["class_id"] == WHOLE_SCHOOL].set_index("line_name")
        classes = f.lines[f.lines["class_id"] != WHOLE_SCHOOL]
        assert classes.groupby("line_name")["n_over"].sum().to_dict() == own["n_over"].to_dict()
        district = a.lines.district.set_index("line_name")["over_rate"]
        assert np.allclose(f.lines["district_over_rate"], f.lines["line_name"].map(district))
        assert set(f.double["school"]) == {school}
    f = school_feedback(data, a, "城东中学")
    tables = feedback_tables(f)
    assert "七、上线情况（本校及各班与区域；上线率带 95% 区间）" in tables
    first = tables["七、上线情况（本校及各班与区域；上线率带 95% 区间）"]
    assert first["班级"].tolist()[0] == WHOLE_SCHOOL  # the school first, then its classes
    text = _printed_text(write_feedback(tmp_path, data, a, "城东中学", formats=("html",))
                         ["html"].read_text(encoding="utf-8"))
    assert "上线情况" in text and "双上线" in text and "上线：特控（" in text


def test_no_pupil_name_in_the_reports(sample, tmp_path):
    data, a = sample
    names = set(data.scores["name"].dropna().astype(str))
    pages = district_pages(data, a, [])
    shown = "\n".join(b.table.to_string() for p in pages for b in p.blocks if b.table is not None)
    shown += repr(lines_section(a))
    for school in data.schools:
        shown += _printed_text(write_feedback(tmp_path, data, a, school, formats=("html",))
                               ["html"].read_text(encoding="utf-8"))
    assert not [n for n in names if n in shown]


def test_without_lines_nothing_changes(tmp_path):
    data = load_district()
    plain = analyse_district(data)
    assert plain.lines is None
    assert lines_section(plain)._repr_html_() == ""
    f = school_feedback(data, plain, "城东中学")
    assert f.lines is None and f.double is None
    assert list(feedback_tables(f)) == [
        "一、各科与区域比较", "二、各班总分与区域比较",
        "三、各班各科与区域比较（高于 / 低于 / 无差别：与区域无明显差别）",
        "四、总分分数段（本校与区域占比）", "五、班级均衡（本校各班与区域各班）",
        "六、与上次联考比较（增值评价，Z 分数）"]
    assert not any("上线" in s for s in f.conclusions)
    headings = [b.heading for p in district_pages(data, plain, []) for b in p.blocks]
    assert not any("上线" in h for h in headings)
    book = pd.read_excel(write_district(tmp_path, data, plain, formats=("html",),
                                        log=lambda line: None)["xlsx"],
                         sheet_name=None, engine="calamine")
    assert list(book) == ["各校各科平均分", "各校三率一分", "各班三率一分", "校际均衡", "班级均衡",
                          "总分分数段", "学生总分与排名（仅供教研室）",
                          "各班位次（位次奖排位，仅供教研室）", "片区", "学校增值"]


def test_district_command_with_lines(tmp_path, capsys):
    assert main(["district", "--lines", LINES, "--method", "mean", "--formats", "html,docx",
                 "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    report = next(p for p in tmp_path.glob("*.html"))
    text = _printed_text(report.read_text(encoding="utf-8"))
    assert text.index("四、分数段") < text.index("上线情况") < text.index("五、均衡")
    assert "均值法" in text and "各校临界生人数" in text
    feedback = _printed_text((tmp_path / "通报反馈" / "山口中学.html").read_text(encoding="utf-8"))
    assert "七、上线情况" in feedback
    import docx

    words = "\n".join(p.text for p in docx.Document(next(tmp_path.glob("*.docx"))).paragraphs)
    assert "上线情况" in words


def test_a_wrong_line_is_one_chinese_line_before_the_notebook(tmp_path, capsys):
    assert main(["district", "--lines", "特控", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "名称=分数" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert not list(tmp_path.glob("*.ipynb"))  # stopped before the notebook ran
