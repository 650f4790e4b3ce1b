"""qualitykit.probability gives scipy.stats' numbers without importing it.

Independent values: scipy.stats itself (imported here, in the test, only), printed tables
(t, F and normal quantiles) and a hand count for the ranks.
"""

import subprocess
import sys

import numpy as np
import pytest
from scipy import stats

from qualitykit import probability as pr

RNG = np.random.default_rng(20261202)


def test_t_quantiles_and_tails_equal_scipy():
    q = np.array([0.5, 0.9, 0.95, 0.975, 0.995, 0.9999, 1 - 1e-9])
    for df in (1, 2, 3.5, 10, 29, 120, 1e4, np.inf):
        np.testing.assert_array_equal(pr.t_ppf(q, df), stats.t.ppf(q, df))
        x = np.array([-3.0, -0.5, 0.0, 0.7, 2.1, 8.0])
        np.testing.assert_array_equal(pr.t_sf(x, df), stats.t.sf(x, df))


def test_t_with_degrees_of_freedom_per_element_and_not_positive():
    df = np.array([0.0, -1.0, np.nan, 1.0, 4.0, 60.0])
    with np.errstate(invalid="ignore"):
        expected = stats.t.ppf(0.975, df)
    np.testing.assert_array_equal(pr.t_ppf(0.975, df), expected)
    np.testing.assert_array_equal(pr.t_sf(1.5, df), stats.t.sf(1.5, df))
    assert np.isnan(pr.t_ppf(0.975, 0))


def test_published_table_values():
    # t(0.025; 10) = 2.228, F(0.05; 3, 20) = 3.10, z(0.975) = 1.960 (any statistics table)
    assert pr.t_ppf(0.975, 10) == pytest.approx(2.2281, abs=1e-4)
    assert pr.f_isf(0.05, 3, 20) == pytest.approx(3.0984, abs=1e-4)
    assert pr.norm_ppf(0.975) == pytest.approx(1.95996, abs=1e-5)
    assert pr.chi2_sf(3.841459, 1) == pytest.approx(0.05, abs=1e-7)


def test_f_and_chi2_equal_scipy():
    x = np.array([0.0, 0.3, 1.0, 2.5, 7.0, 40.0])
    for dfn, dfd in ((1, 1), (2, 10), (3, 57), (10, 1000), (4.5, 8.25)):
        np.testing.assert_array_equal(pr.f_sf(x, dfn, dfd), stats.f.sf(x, dfn, dfd))
        for q in (0.005, 0.025, 0.05, 0.5, 0.975):
            assert pr.f_isf(q, dfn, dfd) == pytest.approx(stats.f.isf(q, dfn, dfd), rel=1e-12)
    for df in (1, 2, 5, 30):
        np.testing.assert_array_equal(pr.chi2_sf(x, df), stats.chi2.sf(x, df))
    assert np.isnan(pr.f_sf(2.0, 0, 10)) and np.isnan(pr.chi2_sf(2.0, 0))


def test_normal_quantile_equals_scipy():
    q = np.concatenate([[0.0, 1e-12, 0.5, 1.0], RNG.uniform(size=200)])
    np.testing.assert_array_equal(pr.norm_ppf(q), stats.norm.ppf(q))


def test_binomial_cdf_equals_scipy():
    for n in (1, 6, 7, 30, 171, 1000):
        k = np.arange(-2, n + 3)
        np.testing.assert_allclose(pr.binom_cdf(k, n, 0.5), stats.binom.cdf(k, n, 0.5),
                                   rtol=1e-10, atol=1e-300)  # cephes vs boost: 2e-12


def test_median_interval_order_statistics_equal_the_scipy_rule():
    from qualitykit.growth.sgp import _median_interval  # noqa: PLC2701 - checked here

    for confidence in (0.8, 0.9, 0.95, 0.99):
        for n in range(6, 400):
            alpha = (1 - confidence) / 2
            k = int(stats.binom.ppf(alpha, n, 0.5))
            while k > 0 and stats.binom.cdf(k - 1, n, 0.5) > alpha:
                k -= 1
            assert _median_interval(n, confidence) == (max(k - 1, 0), min(n - k, n - 1)), n


def test_average_ranks_by_hand_and_scipy():
    # 3 1 3 2: sorted 1 2 3 3 → ranks 1, 2, 3.5, 3.5
    assert pr.average_ranks([3, 1, 3, 2]).tolist() == [3.5, 1.0, 3.5, 2.0]
    for _ in range(20):
        x = RNG.integers(0, 8, size=RNG.integers(1, 60)).astype(float)
        np.testing.assert_array_equal(pr.average_ranks(x), stats.rankdata(x))


def test_min_ranks_by_row_equal_scipy():
    assert pr.min_ranks(np.array([[2.0, 2.0, 1.0, 5.0]])).tolist() == [[2, 2, 1, 4]]
    for shape in ((1, 1), (3, 5), (500, 12)):
        x = np.round(RNG.normal(size=shape), 1)  # rounded: ties happen
        np.testing.assert_array_equal(pr.min_ranks(x), stats.rankdata(x, method="min", axis=1))


def test_the_term_report_imports_neither_scipy_stats_nor_seaborn_nor_statsmodels():
    # what the report's kernel imports before the notebook runs (report.kernel.warm_up)
    code = ("import sys; from qualitykit.report.kernel import warm_up;"
            "from qualitykit.report.term_report import NOTEBOOK; warm_up(NOTEBOOK);"
            "print(sorted(m for m in ('scipy.stats', 'seaborn', 'statsmodels', 'ipywidgets')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
