"""培优补差 lists of a size a teacher can act on: the documented ranges, per exam × subject, on
the sample school and on real school exports (skipped when ../shared/realdata is absent).

The ranges (README, 培优补差; :mod:`qualitykit.lists.targets`), as shares of the pupils who sat:
培优 10–15 % (the top 10 %, ties at the cut included), 补差 10–20 % (below the pass line, at
least the bottom 10 %, at most the bottom 20 %), 临界 at most 25 % and only in the band of 5 %
of the full mark below the pass or the excellent line.
"""

import pandas as pd
import pytest

import qualitykit as qk
from conftest import realdata

RANGES = {"enrichment": (0.10, 0.15), "support": (0.10, 0.20), "borderline": (0.0, 0.25)}
EXPORTS = {  # file → full marks, as tests/test_realdata.py reads them
    "pinghu-g7-2025/ph七上月考成绩.xlsx": {"语文": 40, "英语": 40},
    "pinghu-g7-2025/ph七上期中成绩.xlsx": {"语文": 120},
    "pinghu-g7-2025/ph七上期末成绩.xlsx": {"语文": 120},
    "zhixin-g8-g9/zx八下期末成绩表.xlsx": {"语文": 120},
    "zhixin-g8-g9/zx九上期末成绩表.xlsx": {"语文": 120},
    "pinghu-g9/九下二模学生成绩.xlsx": {"语文": 120},
    "pinghu-g9/学生成绩(现班).csv": {"语文": 120},
    "highschool-g10-g11/高一上期末考试成绩（分班后名单）.xlsx": {"语文": 150, "数学": 150, "英语": 150},
}


def list_shares(scores: pd.DataFrame) -> pd.DataFrame:
    """Share of the sitters of each subject on each list (a pupil once per list and subject)."""
    lists = qk.targets(scores, lists=("enrichment", "borderline", "support"))
    sat = scores[scores["status"] == "sat"].groupby("subject").size()
    counts = lists.groupby(["subject", "list"]).size().unstack("list")
    return counts.reindex(index=sat.index, columns=list(RANGES)).fillna(0).div(sat, axis=0)


def check_sizes(scores: pd.DataFrame) -> pd.DataFrame:
    shares = list_shares(scores)
    for name, (low, high) in RANGES.items():
        outside = shares[(shares[name] < low - 1e-12) | (shares[name] > high + 1e-12)]
        assert outside.empty, (name, outside[name].round(3).to_dict())
    # 临界 is only the band below a line: line − 5 % of the full mark ≤ score < line
    lists = qk.targets(scores, lists=("borderline",))
    band = 0.05 * lists["full_mark"]
    assert ((lists["distance"] < 0) & (lists["distance"] >= -band - 1e-9)).all()
    return shares


def test_list_sizes_on_the_sample_school():
    shares = check_sizes(qk.load_sample(exam="2025-2026-1 期末", grade=5))
    # the defaults of DOMAIN.md (优秀线 or top 10 %; 补差 below pass or bottom 20 %; 临界 ±5)
    # put 134 of the 171 pupils on 培优: now each subject's list is about a tenth of the grade
    assert shares["enrichment"].between(0.10, 0.11).all()


@pytest.mark.parametrize("name", EXPORTS)
def test_list_sizes_on_real_school_exports(name):
    path = realdata("cn-school-exports", *name.split("/"))
    scores = qk.read_scores(path, full_marks=EXPORTS[name])
    check_sizes(scores[scores["subject"] != "总分"])
