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
        if case == "three schools":  # 12 long labels: the 三率 chart turns its bars
            names = [t.get_text() for t in figures["rates"].axes[0].get_yticklabels()]
            assert names[0] == "东城区实验小学\n5-1" and len(names) == 12
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


# --- long labels: nothing overlaps, no panel is squeezed -------------------------------------

MIDDLE_SCHOOLS = ("实验中学", "第二实验中学", "育才中学")


def _twelve_long_classes(scores):
    """The sample's 4 classes in three schools, named as a district's file names them:
    "实验中学 初二(1)班" … "育才中学 初二(12)班" (12 long "学校 班级" labels)."""
    parts = []
    for s, school in enumerate(MIDDLE_SCHOOLS):
        number = scores["class_id"].astype(str).str.split("-").str[1].astype(int) + 4 * s
        parts.append(scores.assign(school=school, class_id="初二(" + number.astype(str) + ")班"))
    return pd.concat(parts, ignore_index=True)


def _tick_label_boxes(ax, renderer):
    return [t.get_window_extent(renderer) for axis in (ax.xaxis, ax.yaxis)
            for t in axis.get_ticklabels() if t.get_visible() and t.get_text()]


def _assert_labels_apart_and_panels_wide(name, fig):
    """No two tick labels of a panel overlap (their drawn boxes, as matplotlib measures them
    after drawing) and every panel is at least MIN_PANEL_WIDTH wide."""
    from qualitykit.report.chart_layout import MIN_PANEL_WIDTH

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in (a for a in fig.axes if a.get_visible()):
        boxes = _tick_label_boxes(ax, renderer)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), (name, ax.get_title(), a, b)
        assert ax.get_position().width * fig.get_figwidth() >= MIN_PANEL_WIDTH, (name, ax)


def test_twelve_long_class_names_and_long_teacher_names_neither_overlap_nor_squeeze(sample):
    scores, teachers, previous = sample
    long = _twelve_long_classes(scores)
    long_teachers = teachers.assign(teacher="欧阳" + teachers["teacher"].astype(str)
                                    + "老师（教研组长）")
    table = qk.teacher_table(scores, long_teachers, previous=previous)
    figures = {"rates": qk.plot_rates(qk.summary(long)),
               "distributions": qk.plot_distributions(long),
               "bands": qk.plot_score_bands(qk.score_bands(long, by=["class_id", "subject"])),
               "means": qk.plot_class_means(qk.compare_classes(long).classes),
               "teachers": qk.plot_teachers(table.assign(classes=table["classes"]
                                                         + "、5-2、5-3、5-4"))}
    try:
        rates = figures["rates"].axes[0]  # turned: one row per class, named on two lines
        assert rates.get_yticklabels()[0].get_text() == "实验中学\n初二(1)班"
        assert len(rates.patches) == 3 * 12
        for name, fig in figures.items():
            _assert_labels_apart_and_panels_wide(name, fig)
            _assert_nothing_cut_or_overlapping(name, fig)
    finally:
        plt.close("all")


def test_the_sample_charts_keep_their_labels_flat_and_apart(sample):
    figures = _charts(*sample)
    try:
        rates = figures["rates"].axes[0]
        assert [t.get_text() for t in rates.get_xticklabels()] == ["5-1", "5-2", "5-3", "5-4"]
        assert rates.get_xticklabels()[0].get_rotation() == 0
        for name, fig in figures.items():
            _assert_labels_apart_and_panels_wide(name, fig)
    finally:
        plt.close("all")


def test_labels_of_a_few_schools_wrap_and_of_many_classes_stand_upright():
    from qualitykit.report.chart_layout import category_ticks
    from qualitykit.report.plots import new_figure

    fig, (few, many) = new_figure(1, 2, figsize=(10, 3))
    try:
        assert category_ticks(few, ["实验中学 初二(1)班", "育才中学 初二(2)班"]) == "wrapped"
        assert few.get_xticklabels()[1].get_text() == "育才中学\n初二(2)班"
        assert category_ticks(many, [f"实验中学 初二({i})班" for i in range(1, 13)]) == "upright"
        assert many.get_xticklabels()[0].get_rotation() == 90
        fit_boxes = fig.canvas.draw() or fig.canvas.get_renderer()
        for ax in (few, many):
            boxes = _tick_label_boxes(ax, fit_boxes)
            assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    finally:
        plt.close(fig)


def _items(points):
    return pd.DataFrame({"item_id": [str(i) for i in range(1, len(points) + 1)],
                         "difficulty": [p for p, _ in points],
                         "discrimination": [d for _, d in points]})


@pytest.mark.parametrize("case", ["sample", "crowded"])
def test_item_numbers_neither_overlap_nor_leave_the_panel(case):
    if case == "sample":  # items 13 and 4 sit 0.004 apart in difficulty, 0.009 in D
        term = qk.load_term("")
        items = qk.paper_analysis(term.items, standard=term.standard).items
    else:  # a knot of five items and two at the panel's right edge
        items = _items([(0.60, 0.50), (0.602, 0.505), (0.598, 0.497), (0.605, 0.49),
                        (0.60, 0.51), (1.0, 0.95), (0.99, -0.05), (0.3, 0.3)])
    fig = qk.plot_items(items)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        boxes = [t.get_window_extent(renderer) for t in ax.texts]
        assert sorted(t.get_text() for t in ax.texts) == sorted(map(str, items["item_id"]))
        for i, a in enumerate(boxes):
            assert ax.bbox.padded(1).contains(a.x0, a.y0) and ax.bbox.padded(1).contains(a.x1, a.y1)
            for b in boxes[i + 1:]:
                assert not a.overlaps(b), (ax.texts[i].get_text(), a, b)
    finally:
        plt.close(fig)


def test_charts_with_long_labels_render_the_same_bytes_twice(sample):
    from qualitykit.report.plots import render_png

    long = _twelve_long_classes(sample[0])
    term = qk.load_term("")
    items = qk.paper_analysis(term.items, standard=term.standard).items
    builds = (lambda: qk.plot_rates(qk.summary(long)), lambda: qk.plot_distributions(long),
              lambda: qk.plot_items(items))
    try:
        for build in builds:
            assert render_png(build()) == render_png(build())
    finally:
        plt.close("all")
