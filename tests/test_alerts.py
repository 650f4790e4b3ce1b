"""约谈/黄牌/红牌 on a constructed five-year series: the levels where the rule says them."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from qualitykit.cycle.alerts import NOT_ESTABLISHED, alerts, school_year_exams
from qualitykit.standard import AlertRules, Standard

N = 60
# the same spread in every school and year: 60 normal quantiles, sd ≈ 9.8 points
BASE = 10 * stats.norm.ppf((np.arange(N) + 0.5) / N)
YEARS = ["2020-2021", "2021-2022", "2022-2023", "2023-2024", "2024-2025"]
# shift of each school's scores (points) per year
SHIFTS = {
    "甲校": [0, 0, 0, 0, 0],
    "乙校": [6, 6, -8, -8, -8],    # a drop of 14 points in year 3 (beyond chance), then stable
    "丙校": [0, 0, 0, 0, -1.5],    # a drop of 1.5 points in year 5: within chance
    "丁校": [-1, -9, -9, -9, -9],  # last every year: within chance in year 1, clearly after
}


def _series(first_term_too: bool = True) -> pd.DataFrame:
    rows = []
    for y, year in enumerate(YEARS):
        exams = [f"{year}-2 期末"] + ([f"{year}-1 期末"] if first_term_too else [])
        for exam in exams:
            for school, shifts in SHIFTS.items():
                # the autumn exam puts 丁校 on top: it must not be read
                shift = shifts[y] if exam.endswith("2 期末") else (20 if school == "丁校" else 0)
                for i, b in enumerate(BASE):
                    rows.append({"student_id": f"{school}{i}", "name": f"生{i}",
                                 "school": school, "grade": 9, "class_id": "9-1",
                                 "subject": "数学", "exam": exam, "score": 70 + shift + b,
                                 "status": "sat", "full_mark": 150.0})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def result():
    return alerts(_series(), by="school")


def _levels(result, school):
    years = result.years[result.years["unit"].eq(school)].sort_values("school_year")
    return years["alert"].tolist()


def test_spring_finals_stand_for_the_years(result):
    assert result.exams == [f"{y}-2 期末" for y in YEARS]


def test_levels_exactly_where_the_rule_says(result):
    # 丁校: last in year 1 but its interval reaches the mean → 不足以认定; then last with the
    # interval below the mean in years 2–5 → 约谈, 黄牌, 红牌, 红牌
    assert _levels(result, "丁校") == [NOT_ESTABLISHED, "约谈", "黄牌", "红牌", "红牌"]
    # 乙校: a decline beyond chance in year 3 only → 约谈 then (not last: 丁校 is)
    assert _levels(result, "乙校") == ["", "", "约谈", "", ""]
    # 丙校: a point decline within chance in year 5 → 不足以认定
    assert _levels(result, "丙校") == ["", "", "", "", NOT_ESTABLISHED]
    assert _levels(result, "甲校") == ["", "", "", "", ""]
    bing = result.years.set_index(["unit", "school_year"]).loc[("丙校", "2024-2025")]
    assert bing["decline"] == NOT_ESTABLISHED and bing["z_change"] < 0 < bing["z_change_high"]
    assert "偶然波动" in bing["evidence"]


def test_the_evidence_is_the_hand_computed_mean_z(result):
    # year 2: scores of the four schools, Z over all 240 pupils (sample sd, as standardize)
    scores = np.concatenate([70 + SHIFTS[s][1] + BASE for s in SHIFTS])
    z = (scores - scores.mean()) / scores.std(ddof=1)
    ding = z[3 * N:]
    half = stats.t.ppf(0.975, N - 1) * ding.std(ddof=1) / np.sqrt(N)
    row = result.years.set_index(["unit", "school_year"]).loc[("丁校", "2021-2022")]
    assert row["z_mean"] == pytest.approx(ding.mean(), abs=1e-12)
    assert (row["z_low"], row["z_high"]) == pytest.approx((ding.mean() - half, ding.mean() + half))
    assert (row["rank"], row["n_units"], row["bottom"], row["n"]) == (4, 4, "是", N)
    # the change since year 1: difference of two means, normal interval
    scores1 = np.concatenate([70 + SHIFTS[s][0] + BASE for s in SHIFTS])
    z1 = ((scores1 - scores1.mean()) / scores1.std(ddof=1))[3 * N:]
    se = np.sqrt(ding.var(ddof=1) / N + z1.var(ddof=1) / N)
    assert row["z_change"] == pytest.approx(ding.mean() - z1.mean())
    assert row["z_change_high"] == pytest.approx(ding.mean() - z1.mean() + 1.959963984540054 * se)


def test_the_alert_table_carries_the_history(result):
    red = result.alerts[(result.alerts["unit"].eq("丁校")) & result.alerts["alert"].eq("红牌")]
    assert red["run"].tolist() == [3, 4]
    assert red.iloc[0]["history"].count("学年") == 3  # the three years of the run


def test_bottom_band_is_configurable():
    std = Standard(alerts=AlertRules(bottom="count", bottom_count=2))
    years = alerts(_series(first_term_too=False), standard=std).years
    # the bottom two in year 3 are 丁校 and 乙校 (both with the interval below 0)
    last = years[years["school_year"].eq("2022-2023")].set_index("unit")
    assert last.loc["乙校", "bottom"] == "是" and last.loc["丙校", "bottom"] == "否"


def test_rules_are_checked_with_chinese_messages(tmp_path):
    with pytest.raises(ValueError, match="bottom 应为"):
        AlertRules(bottom="worst")
    toml = tmp_path / "std.toml"
    toml.write_text('[alerts]\nbottom = "share"\nbottom_share = 0.25\nlevels = ["约谈", "黄牌"]\n',
                    encoding="utf-8")
    std = Standard.from_toml(toml)
    assert std.alerts.bottom_share == 0.25 and std.alerts.levels == ("约谈", "黄牌")
    toml.write_text('[alerts]\nbotom = "share"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="未知的设置"):
        Standard.from_toml(toml)


def test_exam_names_without_a_year_are_refused():
    with pytest.raises(ValueError, match="看不出学年"):
        school_year_exams(["期末", "期中"], AlertRules())


def test_teachers_are_judged_like_their_schools():
    # one teacher per school; 丁校's class is taught by 周老师 from year 3 on: 张老师's run
    # stops with her, 周老师's starts again at 约谈 (years of other teachers do not count)
    rows = [{"teacher": ("周老师" if school == "丁校" and y >= 2 else f"{school[0]}老师"
                         if school != "丁校" else "张老师"),
             "teacher_id": "", "school": school, "school_year": year, "term": "2", "grade": 9,
             "class_id": "9-1", "class_name": "九(1)班", "subject": "数学"}
            for y, year in enumerate(YEARS) for school in SHIFTS]
    result = alerts(_series(first_term_too=False), by="teacher", teachers=pd.DataFrame(rows))
    levels = {u: part.sort_values("school_year")["alert"].tolist()
              for u, part in result.years.groupby("unit")}
    assert levels["丁校 张老师"] == [NOT_ESTABLISHED, "约谈"]
    assert levels["丁校 周老师"] == ["约谈", "黄牌", "红牌"]
    assert levels["乙校 乙老师"] == ["", "", "约谈", "", ""]


def test_one_school_cannot_be_compared_with_itself(capsys, tmp_path):
    from qualitykit.cli import main

    one = _series(first_term_too=False)
    with pytest.raises(ValueError, match="只有一个学校"):
        alerts(one[one["school"].eq("甲校")], by="school")
    # the sample school alone, from the command line: one Chinese line, exit code 2
    assert main(["alerts", "--by", "school", "--out", str(tmp_path / "预警.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "只有一个学校" in err and "Traceback" not in err and err.count("\n") == 1


def test_cli_writes_the_workbook_for_the_sample_classes(tmp_path, capsys):
    from qualitykit.cli import main

    out = tmp_path / "预警.xlsx"
    assert main(["alerts", "--by", "class", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None, engine="calamine")
    assert list(sheets) == ["预警", "逐年证据", "规则"]
    assert set(sheets["预警"]["预警"]) <= {"约谈", "黄牌", "红牌", NOT_ESTABLISHED}
    assert sheets["逐年证据"]["人数"].min() > 30  # whole classes, every year
    assert "预警（班级" in capsys.readouterr().out


def test_the_template_states_the_defaults():
    from pathlib import Path

    from qualitykit.standard import EvaluationRules, get_standard

    std = get_standard(Path(__file__).resolve().parents[1] / "templates" / "standard.toml")
    assert std.alerts == AlertRules() and std.evaluation == EvaluationRules()


def test_units_are_compared_within_their_grade():
    # the same four schools sit a second grade each year, where 甲校 is last: it is judged
    # there, among the 八年级 of the four, and not against the 九年级
    nine = _series(first_term_too=False)
    eight = nine.assign(grade=8, class_id="8-1", student_id=nine["student_id"] + "八",
                        score=np.where(nine["school"].eq("甲校"), nine["score"] - 10,
                                       nine["score"] + 9 * nine["school"].eq("丁校")))
    years = alerts(pd.concat([nine, eight], ignore_index=True)).years
    levels = {u: part.sort_values("school_year")["alert"].tolist()
              for u, part in years.groupby("unit")}
    assert levels["丁校 9年级"] == [NOT_ESTABLISHED, "约谈", "黄牌", "红牌", "红牌"]
    assert levels["甲校 8年级"] == ["约谈", "黄牌", "红牌", "红牌", "红牌"]
    assert years["n_units"].eq(4).all()
