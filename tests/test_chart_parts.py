"""The chart pieces and the theme written on matplotlib alone look exactly as seaborn's.

Independent values: seaborn itself (imported here, in the test, only): its theme's rc
parameters, its colours, and the pixels of its heatmap drawn beside ours.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import seaborn as sns  # noqa: E402

from qualitykit.report import chart_parts, fonts  # noqa: E402


@pytest.fixture(autouse=True)
def kept_rc():
    saved = dict(mpl.rcParams)
    codes = {c: mpl.colors.colorConverter.colors[c] for c in "bgrmyck"}
    yield
    mpl.rcParams.update(saved)
    mpl.colors.colorConverter.colors.update(codes)
    plt.close("all")


def test_the_literal_theme_is_seaborns_whitegrid_notebook():
    style = dict(sns.axes_style("whitegrid"))
    for key in ("image.cmap", "font.family", "font.sans-serif"):  # set apart (see fonts)
        style.pop(key)
    assert fonts.WHITEGRID == style
    assert fonts.NOTEBOOK_CONTEXT == dict(sns.plotting_context("notebook"))
    assert [c.upper() for c in sns.color_palette("deep").as_hex()] == list(fonts.DEEP)


def test_set_theme_sets_what_seaborns_set_theme_sets():
    before = dict(mpl.rcParams)
    family = fonts.set_theme()
    ours = dict(mpl.rcParams)
    our_codes = {c: mpl.colors.to_rgb(c) for c in "bgrmyck"}
    mpl.rcParams.update(before)
    sns.set_theme(context="notebook", style="whitegrid", font=family,
                  rc={"axes.unicode_minus": False, "font.sans-serif": [family, "DejaVu Sans"],
                      "figure.dpi": 110, "savefig.dpi": 150})
    theirs = dict(mpl.rcParams)
    differing = {k for k in theirs if theirs[k] != ours.get(k)}
    assert differing == {"image.cmap"}  # seaborn's "rocket"; no chart of the kit uses it
    assert our_codes == {c: mpl.colors.to_rgb(c) for c in "bgrmyck"}


def test_colours_equal_seaborns():
    fonts.set_theme()
    assert chart_parts.first_theme_colour() == sns.color_palette()[0]
    assert chart_parts.desaturate("#c6dbef", 0.75) == sns.desaturate("#c6dbef", 0.75)
    assert chart_parts.desaturate((0.2, 0.4, 0.6), 1) == sns.desaturate((0.2, 0.4, 0.6), 1)
    for n in (1, 2, 3, 7):
        assert chart_parts.colormap_palette("Blues", n, desat=0.75) == \
            list(sns.color_palette("Blues", n, desat=0.75))
        assert chart_parts.colormap_palette("Blues", n) == list(sns.color_palette("Blues", n))


def _pixels(draw, shape):
    fonts.set_theme()
    rows, cols = shape
    grid = pd.DataFrame(np.linspace(20, 100, rows * cols).reshape(shape),
                        index=pd.Index([f"{i}班" for i in range(1, rows + 1)], name="class_id"),
                        columns=pd.Index([f"知识点{j}" for j in range(cols)], name="kp"))
    grid.iloc[0, -1] = np.nan if cols > 1 else grid.iloc[0, -1]  # a blank cell, no text
    text = grid.round(0).astype("Int64").astype(str) + "*"
    fig, ax = plt.subplots(figsize=(0.9 * cols + 2, 0.45 * rows + 1.3))
    draw(ax, grid, text)
    ax.set(xlabel="知识点", ylabel="班级", title="得分率")
    ax.tick_params(axis="x", labelrotation=30)
    ax.tick_params(axis="y", labelrotation=0)
    fig.tight_layout()
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("shape", [(1, 1), (4, 6), (12, 3)])
def test_annotated_heatmap_draws_seaborns_pixels(shape):
    def seaborn_heatmap(ax, grid, text):
        sns.heatmap(grid, annot=text, fmt="", cmap="RdYlGn", vmin=30, vmax=100,
                    linewidths=0.5, cbar_kws={"label": "得分率（%）"}, ax=ax)

    def ours(ax, grid, text):
        chart_parts.annotated_heatmap(ax, grid, text, cmap="RdYlGn", vmin=30, vmax=100,
                                      linewidths=0.5, label="得分率（%）")

    theirs, mine = _pixels(seaborn_heatmap, shape), _pixels(ours, shape)
    assert mine.shape == theirs.shape
    assert (mine != theirs).any(axis=2).sum() == 0


def test_a_heatmap_cell_is_written_dark_on_light_and_white_on_dark():
    fonts.set_theme()
    fig, ax = plt.subplots()
    grid = pd.DataFrame([[31.0, 65.0, 99.0]], index=["1班"], columns=["a", "b", "c"])
    chart_parts.annotated_heatmap(ax, grid, grid.astype(int).astype(str), cmap="RdYlGn",
                                  vmin=30, vmax=100, linewidths=0.5, label="")
    colours = {t.get_text(): t.get_color() for t in ax.texts}
    assert colours == {"31": "w", "65": ".15", "99": "w"}  # deep red / pale yellow / green
