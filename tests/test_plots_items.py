"""Charts of the item response model: what is drawn is what was computed."""

from __future__ import annotations

import numpy as np
import pytest

import qualitykit as qk


@pytest.fixture(scope="module")
def fitted():
    fit = qk.irt(qk.read_items(qk.sample_path("2025-2026-1 期末", grade=5, kind="items")),
                 model="grm")
    return fit, qk.ability_lines(fit)


def _dashed_x(ax):
    return sorted(line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--")


def test_item_curves_draw_the_items_asked_and_the_lines(fitted):
    fit, lines = fitted
    fig = qk.plot_item_curves(fit, ["6", "17"], lines=lines)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["第6题（a = -0.74）", "第17题（a = 3.70）"]
    np.testing.assert_allclose(_dashed_x(ax), sorted(lines["theta"]))
    curve = ax.get_lines()[0].get_ydata()
    assert curve[0] > curve[-1]  # the negative item falls with ability
    assert qk.plot_item_curves(fit, []) is None


def test_information_is_the_fits_test_information(fitted):
    fit, lines = fitted
    fig = qk.plot_information(fit, lines=lines)
    ax = fig.axes[0]
    drawn = ax.get_lines()[0]
    want = fit.test_information(drawn.get_xdata())["information"]
    np.testing.assert_allclose(drawn.get_ydata(), want)
    np.testing.assert_allclose(_dashed_x(ax), sorted(lines["theta"]))
    texts = [t.get_text() for t in ax.texts]
    assert "及格线 60分" in texts and "优秀线 85分" in texts


def test_wright_map_holds_every_pupil_and_every_step(fitted):
    fit, lines = fitted
    fig = qk.plot_wright_map(fit, lines=lines)
    left, right = fig.axes
    assert sum(p.get_width() for p in left.patches) == len(fit.persons)
    points = sum(len(c.get_offsets()) for c in right.collections)
    assert points == len(fit.thresholds)
    assert left.get_title() == "学生能力" and right.get_xlabel() == "题号"
