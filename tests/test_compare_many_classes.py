"""Each class against the grade, computed for all classes at once from their moments, equals
scipy's Welch test of the class against the rest, class by class (the 联考's thousands of
classes made the one-test-per-class loop the district report's largest cost)."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from qualitykit.term.compare import compare_classes, hedges_g


def many_classes(seed=11):
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(40):
        n = int(rng.integers(2, 60))
        scores = np.round(rng.normal(70 + rng.normal(0, 5), 12, n))
        if c == 3:
            scores = np.full(n, 80.0)  # no spread in the class: Welch still tests it
        rows += [{"class_id": f"c{c:02d}", "student_id": f"{c}-{i}", "subject": "数学",
                  "score": float(s), "status": "sat"} for i, s in enumerate(scores)]
    rows.append({"class_id": "one", "student_id": "x", "subject": "数学", "score": 50.0,
                 "status": "sat"})  # a class of one pupil: no test
    return pd.DataFrame(rows)


@pytest.mark.filterwarnings("ignore:Precision loss")
@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_every_class_row_equals_scipy_welch_against_the_rest(confidence):
    t = many_classes()
    got = compare_classes(t, posthoc=None, confidence=confidence).classes.set_index("class_id")
    k = int((t.groupby("class_id").size() >= 2).sum())
    x_all = t["score"].to_numpy()
    for c, part in t.groupby("class_id"):
        x, rest = part["score"].to_numpy(), t.loc[t["class_id"] != c, "score"].to_numpy()
        row = got.loc[c]
        assert row["diff"] == pytest.approx(x.mean() - x_all.mean())
        if len(x) < 2:
            assert np.isnan(row["p_value"]) and np.isnan(row["diff_low"])
            continue
        welch = stats.ttest_ind(x, rest, equal_var=False)
        ci = welch.confidence_interval(1 - (1 - confidence) / k)
        half = len(rest) / len(x_all) * (ci.high - ci.low) / 2
        assert row["p_value"] == pytest.approx(min(1.0, welch.pvalue * k), rel=1e-9)
        assert row["diff_low"] == pytest.approx(row["diff"] - half, rel=1e-9)
        assert row["diff_high"] == pytest.approx(row["diff"] + half, rel=1e-9)
        assert row["hedges_g"] == pytest.approx(hedges_g(x, rest), rel=1e-9)
        if x.std() > 0:
            mean_ci = stats.t.interval(confidence, len(x) - 1, x.mean(), stats.sem(x))
            assert (row["mean_low"], row["mean_high"]) == pytest.approx(mean_ci, rel=1e-12)
        else:
            assert np.isnan(row["mean_low"])


def test_two_classes_without_any_spread_are_not_tested():
    t = pd.DataFrame({"class_id": ["a"] * 3 + ["b"] * 3, "student_id": list("123456"),
                      "subject": "数学", "score": [70.0] * 3 + [80.0] * 3, "status": "sat"})
    got = compare_classes(t, posthoc=None).classes
    assert got["p_value"].isna().all() and got["diff_low"].isna().all()
    assert got["diff"].tolist() == [-5.0, 5.0]
