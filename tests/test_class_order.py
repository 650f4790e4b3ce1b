"""Classes in the order a school counts them (5-2 before 5-10, 初二(2)班 before 初二(10)班) in
every table and chart, not by character code — a grade of ten classes or more is common."""

import pandas as pd
import pytest

import qualitykit as qk
from qualitykit.subjects import counted_order, in_teaching_order

COUNTED = ["5-1", "5-2", "5-10", "5-11"]


@pytest.fixture(scope="module")
def scores():
    s = qk.load_sample(exam="2025-2026-1 期末", grade=5)
    s["class_id"] = s["class_id"].map(dict(zip(["5-1", "5-3", "5-2", "5-4"], COUNTED)))
    return s


def test_counted_order_compares_the_numbers_as_numbers():
    names = ["初二(10)班", "初二(2)班", "初二(1)班", "高一12班", "高一3班", "A", "5-02"]
    assert sorted(names, key=counted_order) == ["5-02", "A", "初二(1)班", "初二(2)班",
                                                 "初二(10)班", "高一3班", "高一12班"]


def test_tables_list_the_classes_as_the_school_counts(scores):
    assert qk.summary(scores)["class_id"].unique().tolist() == COUNTED
    comparison = qk.compare_classes(scores)
    assert comparison.classes["class_id"].unique().tolist() == COUNTED
    bands = qk.score_bands(scores, by=["class_id", "subject"])
    assert bands["class_id"].unique().tolist() == COUNTED
    subjects = qk.summary(scores)["subject"].unique().tolist()
    assert subjects == ["语文", "数学", "英语", "科学"]  # subjects still in teaching order


def test_the_charts_too(scores):
    import matplotlib.pyplot as plt

    fig = qk.plot_distributions(scores)
    ticks = [t.get_text().replace("\n", "") for t in fig.axes[0].get_xticklabels()]
    assert ticks == COUNTED
    plt.close(fig)
    fig = qk.plot_class_means(qk.compare_classes(scores).classes)
    assert fig is not None
    plt.close(fig)


def test_a_stable_sort_keeps_the_order_within_a_class_and_missing_classes_last():
    table = pd.DataFrame({"class_id": ["5-10", None, "5-2", "5-10", "5-2"],
                          "rank": [1, 9, 1, 2, 2]})
    out = in_teaching_order(table, ["class_id"])
    assert out["class_id"].tolist()[:4] == ["5-2", "5-2", "5-10", "5-10"]
    assert out["rank"].tolist()[:4] == [1, 2, 1, 2] and pd.isna(out["class_id"].iloc[4])


def test_the_all_pass_table_too(scores):
    assert qk.all_pass_rate(scores)["class_id"].tolist() == COUNTED
