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

    from qualitykit.report.plots import RENDER_DPI, ReportFigure, new_figure, render_png

    fig, ax = new_figure(figsize=(4, 3))  # as the charts that keep tight_layout are
    ax.plot([0, 1], [0, 1])
    ax.set(title="标题", xlabel="难度", ylabel="区分度")
    fig.tight_layout()
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


def _sample_sat():
    scores = qk.read_scores(qk.sample_path())
    return scores[scores["score"].notna()]


def _outline_points(paths):
    """The outline points of polygons, as a set independent of where each path starts."""
    return [np.unique(np.round(p.vertices, 9), axis=0) for p in paths]


def _line_pieces(line):
    """Each segment (or each marker) of a Line2D with its width and marker: several segments
    in one line separated by NaN count as the separate lines seaborn draws."""
    x, y = (np.asarray(v, dtype=float) for v in (line.get_xdata(), line.get_ydata()))
    if line.get_marker() == "_":
        parts = [(x[i:i + 1], y[i:i + 1]) for i in range(len(x))]
    else:
        cut = np.flatnonzero(np.isnan(x))
        parts = zip(np.split(x, cut), np.split(y, cut))
    return {(tuple(np.round(px[~np.isnan(px)], 9)), tuple(np.round(py[~np.isnan(py)], 9)),
             line.get_linewidth(), line.get_marker(), line.get_color()) for px, py in parts
            if (~np.isnan(px)).any()}


def test_violins_are_the_ones_seaborn_draws():
    # the independent value: seaborn's own violinplot with the arguments the chart used to pass
    import seaborn as sns

    from qualitykit.report.plots import draw_violins, new_figure

    sat = _sample_sat()
    sat = sat[sat["subject"] == "数学"]
    order = sorted(sat["class_id"].unique())
    groups = [sat.loc[sat["class_id"] == c, "score"].to_numpy(float) for c in order]
    # a class of one pupil and a class whose pupils all scored the same: seaborn's line
    groups += [np.array([77.0]), np.array([64.0, 64.0, 64.0])]
    long = pd.DataFrame({"unit": np.repeat(np.arange(len(groups)), [len(g) for g in groups]),
                         "score": np.concatenate(groups)})
    fig, (theirs, ours) = new_figure(1, 2)
    try:
        sns.violinplot(data=long, x="unit", y="score", ax=theirs, color="#c6dbef", inner="box",
                       cut=0, density_norm="width", linewidth=0.8)
        draw_violins(ours, groups)
        (bodies,) = ours.collections
        want = _outline_points(p for c in theirs.collections for p in c.get_paths())
        for got, expected in zip(_outline_points(bodies.get_paths()), want, strict=True):
            np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)
        assert all(np.allclose(c.get_facecolor(), bodies.get_facecolor())
                   and np.allclose(c.get_edgecolor(), bodies.get_edgecolor())
                   for c in theirs.collections)
        # seaborn: per violin its whiskers, box and median; a singular group is one line
        theirs_lines = {piece for line in theirs.lines for piece in _line_pieces(line)}
        drawn = {piece for line in ours.lines for piece in _line_pieces(line)}
        assert drawn == theirs_lines
    finally:
        plt.close(fig)


def test_band_bars_are_the_tables_counts_where_seaborn_put_them():
    import seaborn as sns

    from qualitykit.report.plots import new_figure

    bands = qk.score_bands(qk.read_scores(qk.sample_path()), by=["class_id", "subject"])
    fig = qk.plot_score_bands(bands)
    try:
        ax = fig.axes[1]  # 数学
        data = bands[bands["subject"] == ax.get_title().split("：")[0]]
        order = [t.get_text() for t in ax.get_xticklabels()]
        assert order == list(dict.fromkeys(data.sort_values("lower")["band"]))
        bars = ax.patches
        heights = {c.get_label(): [p.get_height() for p in c] for c in ax.containers}
        want = (data.pivot(index="band", columns="class_id", values="count")
                .reindex(order).astype(float).to_dict("list"))
        assert heights == want  # read back from the figure: each class's count in each band
        check, theirs = new_figure()
        sns.barplot(data=data, x="band", y="count", hue="class_id", order=order, ax=theirs,
                    palette="Blues")
        want = sorted((round(p.get_x(), 9), round(p.get_width(), 9), p.get_height(),
                       tuple(np.round(p.get_facecolor(), 9))) for p in theirs.patches
                      if p.get_width() > 0)  # seaborn's legend patches have none
        got = sorted((round(p.get_x(), 9), round(p.get_width(), 9), p.get_height(),
                      tuple(np.round(p.get_facecolor(), 9))) for p in bars)
        assert got == want
        assert ax.get_xlim() == theirs.get_xlim()
        legend = fig.axes[0].get_legend()  # on the first panel only
        assert [t.get_text() for t in legend.get_texts()] == ["5-1", "5-2", "5-3", "5-4"]
        assert legend.get_title().get_text() == "班级" and ax.get_legend() is None
    finally:
        plt.close("all")
