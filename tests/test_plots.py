"""Charts draw whatever a result table holds: rounding hairs, missing intervals, empty classes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

import qualitykit as qk  # noqa: E402
from qualitykit.report.plots import error_extent  # noqa: E402


def test_error_bars_are_never_negative_and_unknown_bounds_draw_nothing():
    # 28 of 28 passed: statsmodels' raw upper bound is 0.9999999999999999, a hair below 1
    lo, hi = proportion_confint(28, 28, method="wilson")
    assert hi < 1.0
    err = error_extent([100.0, 50.0], [lo * 100, np.nan], [hi * 100, np.nan])
    assert err[1, 0] == 0.0 and err[0, 0] > 0 and np.isnan(err[:, 1]).all()


def test_the_rates_chart_takes_raw_bounds_and_a_class_nobody_sat():
    # statsmodels' raw Wilson bounds (which cross 0 % and 100 % by a hair) and a class of 0
    n = np.array([28, 28, 5])
    table = pd.DataFrame({"class_id": ["5-1", "5-2", "5-3", "5-4"], "subject": "数学",
                          "n_sat": [*n, 0]})
    crossed = False
    for rate, k in (("pass_rate", [28, 0, 3]), ("excellent_rate", [28, 0, 3]),
                    ("low_rate", [0, 28, 2])):
        p = np.array(k) / n
        lo, hi = proportion_confint(np.array(k), n, method="wilson")
        crossed |= bool(((lo > p) | (hi < p)).any())
        table[rate] = [*p, np.nan]
        table[f"{rate}_low"], table[f"{rate}_high"] = [*lo, np.nan], [*hi, np.nan]
    assert crossed
    fig = qk.plot_rates(table)
    try:
        fig.canvas.draw()
        assert [t.get_text() for t in fig.axes[0].texts] == ["无人\n实考"]  # 5-4: nobody sat
    finally:
        plt.close("all")


def test_a_chart_is_drawn_once_when_rendered(monkeypatch):
    # fig.tight_layout() leaves a placeholder layout engine behind, for which savefig would
    # draw the whole figure once more (without rendering it) before the real draw
    import io

    from PIL import Image

    from qualitykit.report.plots import RENDER_DPI, ReportFigure, render_png

    scores = qk.read_scores(qk.sample_path())
    fig = qk.plot_rates(qk.summary(scores))
    draws = []
    draw = ReportFigure.draw

    def counted(self, renderer):
        draws.append(renderer)
        return draw(self, renderer)

    monkeypatch.setattr(ReportFigure, "draw", counted)
    try:
        png = render_png(fig)
    finally:
        plt.close(fig)
    assert len(draws) == 1
    width, height = Image.open(io.BytesIO(png)).size
    assert (width, height) == tuple(round(v * RENDER_DPI) for v in fig.get_size_inches())
