"""The charts' layout from their labels' sizes: what matplotlib's tight_layout finds, and
nothing cut off or overlapping, on the sample school and on three schools with long names."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import qualitykit as qk  # noqa: E402

PARAMS = ("left", "right", "bottom", "top", "wspace", "hspace")
SCHOOLS = ("东城区实验小学", "西城区实验小学", "明德小学")


@pytest.fixture(scope="module")
def sample():
    term = qk.load_term("")
    return term.scores, term.teachers, term.previous


def _three_schools(scores, teachers, previous):
    """The sample school three times under long names: 12 classes whose labels are
    "学校 班级" (the 三率 labels turn), and teachers with long names over several classes."""
    def many(table):
        return pd.concat([table.assign(school=s) for s in SCHOOLS], ignore_index=True)
    long_teachers = teachers.assign(teacher="欧阳" + teachers["teacher"].astype(str) + "老师")
    return many(scores), long_teachers, many(previous)


def _charts(scores, teachers, previous, more_classes=""):
    comparison = qk.compare_classes(scores)
    summary = qk.summary(scores)
    table = qk.teacher_table(scores, teachers, previous=previous)
    table = table.assign(classes=table["classes"] + more_classes)
    return {"rates": qk.plot_rates(summary),
            "bands": qk.plot_score_bands(qk.score_bands(scores, by=["class_id", "subject"])),
            "distributions": qk.plot_distributions(scores),
            "means": qk.plot_class_means(comparison.classes),
            "teachers": qk.plot_teachers(table),
            "value_added": qk.plot_value_added(qk.value_added(scores, previous).units)}


def _with_tight_layout(fig, rect=(0, 0, 1, 1)):
    fig.tight_layout(rect=rect)
    return {k: getattr(fig.subplotpars, k) for k in PARAMS}


@pytest.mark.parametrize("case", ["sample", "three schools"])
def test_panels_are_laid_out_as_tight_layout_would_with_nothing_cut(sample, case, monkeypatch):
    from qualitykit.report import plots, plots_growth

    data, more = (sample, "") if case == "sample" else (_three_schools(*sample), "、5-2")
    figures = _charts(*data, more_classes=more)
    # the independent value: matplotlib's own tight_layout, where the charts call fit_panels
    monkeypatch.setattr(plots, "fit_panels", _with_tight_layout)
    monkeypatch.setattr(plots_growth, "fit_panels", _with_tight_layout)
    tight = _charts(*data, more_classes=more)
    try:
        if case == "three schools":  # long labels: the 三率 chart turns its class names
            assert figures["rates"].axes[0].get_xticklabels()[0].get_rotation() == 30
            assert figures["bands"].legends and figures["bands"].axes[0].get_legend() is None
        for name, fig in figures.items():
            fitted = [getattr(fig.subplotpars, k) for k in PARAMS]
            want = [getattr(tight[name].subplotpars, k) for k in PARAMS]
            np.testing.assert_allclose(fitted, want, atol=0.005, err_msg=name)
            _assert_nothing_cut_or_overlapping(name, fig)
    finally:
        plt.close("all")


def _assert_nothing_cut_or_overlapping(name, fig):
    """Every panel with its drawn labels, legend and title, and every text of the figure
    (suptitle, legend) lies inside the figure; no panel's labels reach into another's."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox.padded(1)
    panels = [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()]
    for box in panels + [a.get_window_extent(renderer) for a in fig.texts + fig.legends]:
        assert page.containsx(box.x0) and page.containsx(box.x1), (name, box)
        assert page.containsy(box.y0) and page.containsy(box.y1), (name, box)
    for i, a in enumerate(panels):
        for b in panels[i + 1:]:
            assert not a.overlaps(b), name


def test_tick_texts_are_the_labels_matplotlib_draws(sample):
    from qualitykit.report.chart_layout import tick_texts

    fig = qk.plot_class_means(qk.compare_classes(sample[0]).classes)
    try:
        for ax in fig.axes:
            fig.canvas.draw()
            for axis in (ax.xaxis, ax.yaxis):
                low, high = sorted(axis.get_view_interval())
                drawn = [t.get_text() for t, loc in zip(axis.get_ticklabels(),
                                                         axis.get_majorticklocs())
                         if low - 1e-9 <= loc <= high + 1e-9]
                assert tick_texts(axis)[0] == drawn
    finally:
        plt.close(fig)


def test_labels_wider_than_the_figure_leave_it_as_it_was():
    # tight_layout warns and changes nothing; fit_panels changes nothing either
    from qualitykit.report.chart_layout import fit_panels
    from qualitykit.report.plots import new_figure

    fig, axes = new_figure(1, 2, figsize=(4, 2))
    try:
        for ax in axes:
            ax.set_yticks([0, 1], ["一个非常非常非常长的班级名称" * 2, "短"])
        before = fig.subplotpars.left, fig.subplotpars.wspace
        assert fit_panels(fig) == {}
        assert (fig.subplotpars.left, fig.subplotpars.wspace) == before
    finally:
        plt.close(fig)
