"""The speed-ups of issue 18 change no number: each fast path against the code it replaced."""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

import qualitykit as qk
from qualitykit.io._textfiles import parse_delimited


@pytest.mark.parametrize("confidence", [0.95, 0.9, 0.99])
def test_wilson_interval_is_statsmodels_to_the_last_bit(confidence):
    n = np.repeat(np.arange(1, 61), 61).astype(float)
    k = np.tile(np.arange(0, 61), 60).astype(float)
    k = np.minimum(k, n)
    lo, hi = qk.wilson_interval(k, n, confidence)
    ref_lo, ref_hi = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    p = k / n
    assert np.array_equal(lo, np.clip(ref_lo, 0, p)) and np.array_equal(hi, np.clip(ref_hi, p, 1))


def test_csv_cells_are_cleaned_only_when_there_is_something_to_undo():
    plain, _ = parse_delimited("学号,姓名,语文\n001,张三,88\n")
    assert plain == [["学号", "姓名", "语文"], ["001", "张三", "88"]]
    marked, _ = parse_delimited('学号,姓名,语文\n="001",\'张三,88\n')
    assert marked == [["学号", "姓名", "语文"], ["001", "张三", "88"]]
