"""The console's 探索班级 panel: one class and one subject against the grade, updated as the
choice changes.

It shows the class's score distribution beside the grade's, its 三率 with their intervals
against the grade's, its change since the last exam (same pupils) and its 培优补差 lists. The
numbers come from the kit's analyses, computed once when the panel is opened
(:func:`explore_data`); changing the class or subject only picks rows and draws.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import pandas as pd

__all__ = ["ExplorePanel", "ExploreData", "explore_data", "GRADE"]

#: How the grade is labelled beside a class in the panel's charts and tables.
GRADE = "全年级"
_RATES = ("pass_rate", "excellent_rate", "low_rate")


@dataclass
class ExploreData:
    """What the panel shows, computed once: the term, 三率一分 by class and for the grade, the
    change since the last exam (None without one), and the 培优补差 lists."""

    term: object
    by_class: pd.DataFrame
    grade: pd.DataFrame
    change: pd.DataFrame | None
    lists: pd.DataFrame

    @property
    def classes(self) -> list[str]:
        return sorted(self.by_class["class_id"].astype(str).unique())


def explore_data(choices) -> ExploreData:
    """Read the console's files and compute the panel's tables (:class:`ExploreData`)."""
    from ..lists.targets import targets
    from ..term.compare import compare_exams
    from ..term.indicators import summary
    from ..term.load import load_term

    term = load_term(choices.score_file, exam=choices.exam, grade=choices.grade,
                     roster_file=choices.roster_file or None,
                     teacher_file=choices.teacher_file or None,
                     previous_file=choices.previous_file or None, subjects=choices.subjects,
                     full_marks=choices.full_marks, school=choices.school,
                     standard=choices.standard)
    std = term.standard
    change = (compare_exams(term.scores, term.previous, standard=std)
              if term.previous is not None else None)
    return ExploreData(term=term, by_class=summary(term.scores, standard=std),
                       grade=summary(term.scores, by="subject", standard=std), change=change,
                       lists=targets(term.scores, standard=std, teachers=term.teachers,
                                     previous=term.previous))


def class_and_grade(data: ExploreData, class_id: str, subject: str) -> pd.DataFrame:
    """The class's 三率一分 row and the grade's, the grade labelled :data:`GRADE`."""
    row = data.by_class[(data.by_class["class_id"].astype(str) == class_id)
                        & (data.by_class["subject"] == subject)]
    grade = data.grade[data.grade["subject"] == subject].assign(class_id=GRADE)
    return pd.concat([row, grade], ignore_index=True)


def figure_png(fig) -> bytes:
    """A matplotlib figure as PNG bytes (the figure is closed)."""
    import matplotlib.pyplot as plt

    if fig is None:
        return b""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


class ExplorePanel:
    """The 探索班级 tab of the console: choose a class and a subject, see them against the
    grade (a distribution chart, 三率 with intervals, change since the last exam, the lists).

    Attributes
    ----------
    class_id, subject : ipywidgets.Dropdown
    distribution, rates : ipywidgets.Image
        The charts (PNG).
    tables : ipywidgets.HTML
    status : ipywidgets.HTML
    data : ExploreData or None
    """

    def __init__(self, console):
        import ipywidgets as widgets

        self.console, self.data, self._filling = console, None, False
        self.class_id = widgets.Dropdown(description="班级", options=[])
        self.subject = widgets.Dropdown(description="科目", options=[])
        for box in (self.class_id, self.subject):
            box.observe(lambda _: None if self._filling else self.render(), names="value")
        self.status = widgets.HTML("<p>先在“生成报告”里选择成绩表，再回到这里。</p>")
        self.heading = widgets.HTML()
        self.distribution = widgets.Image(format="png", layout=widgets.Layout(max_width="48%"))
        self.rates = widgets.Image(format="png", layout=widgets.Layout(max_width="48%"))
        self.tables = widgets.HTML()
        self.widget = widgets.VBox([widgets.HBox([self.class_id, self.subject]), self.status,
                                    self.heading, widgets.HBox([self.distribution, self.rates]),
                                    self.tables])
        self.widget.add_class("qk-explore")

    def reset(self) -> None:
        """Forget the data (another score file or other options were chosen)."""
        self.data = None
        self.heading.value, self.tables.value = "", ""
        self.distribution.value = self.rates.value = b""

    def show(self) -> None:
        """Compute the data if needed and draw the first class."""
        if self.data is None and not self._load():
            return
        self.render()

    def _load(self) -> bool:
        from .console import failure_text

        console = self.console
        if not console.pick["score_file"].value or console.report is None or not console.report.ok:
            self.status.value = "<p>先在“生成报告”里选择成绩表（导入报告没有错误时才能探索）。</p>"
            return False
        self.status.value = "<p>正在计算……</p>"
        try:
            self.data = explore_data(console.choices())
        except Exception as exc:  # one Chinese line, never a traceback
            self.status.value = f"<p style='color:#c62828'>{html.escape(failure_text(exc))}</p>"
            return False
        self._filling = True
        try:
            self.class_id.options = self.data.classes
            self.subject.options = list(self.data.term.subjects)
            self.class_id.value, self.subject.value = self.data.classes[0], self.subject.options[0]
        finally:
            self._filling = False
        self.status.value = ""
        return True

    def render(self) -> None:
        """Draw the chosen class and subject against the grade."""
        from ..report.plots import plot_distributions, plot_rates

        data, class_id, subject = self.data, self.class_id.value, self.subject.value
        if data is None or not class_id or not subject:
            return
        scores = data.term.scores[data.term.scores["subject"] == subject]
        both = pd.concat([scores[scores["class_id"].astype(str) == class_id],
                          scores.assign(class_id=GRADE)], ignore_index=True)
        rates = class_and_grade(data, class_id, subject)
        self.status.value = "<p>正在作图……</p>"
        distribution = figure_png(plot_distributions(both, subject=subject))
        chart = figure_png(plot_rates(rates, subject=subject))
        tables = self._tables(rates, class_id, subject)
        # all at once, the heading last: what the page shows is always of one class
        self.distribution.value, self.rates.value, self.tables.value = distribution, chart, tables
        self.heading.value = (f"<h3>{html.escape(class_id)} 班 · {html.escape(subject)}："
                              f"与{GRADE}相比</h3>")
        self.status.value = ""

    def _tables(self, rates: pd.DataFrame, class_id: str, subject: str) -> str:
        from ..labels import to_display
        from .display import show

        columns = ["class_id", "n_sat", "mean"] + [f"{r}{s}" for r in _RATES
                                                   for s in ("", "_low", "_high")]
        shown = to_display(rates[[c for c in columns if c in rates]], intervals=True)
        parts = ["<p class='qk-caption'>三率（区间为 95% 置信区间；实考人数少时区间宽，"
                 "本班区间包含年级的值时，不能说与年级有差别）</p>",
                 shown.to_html(index=False, border=0, classes="qk-table", na_rep="—")]
        pick = self._rows
        parts.append(show(pick(self.data.change, class_id, subject), "change",
                          caption="与上次考试相比（同一批学生）",
                          empty="没有选择上次考试的成绩表。")._repr_html_())
        lists = pick(self.data.lists, class_id, subject)
        if self.console.mask.value:
            from ..term.load import mask_names

            lists = mask_names(lists)
        parts.append(show(lists, "targets", caption="培优补差名单（只供任课教师）",
                          empty="本班这一科没有学生在名单上。")._repr_html_())
        return "\n".join(parts)

    @staticmethod
    def _rows(table: pd.DataFrame | None, class_id: str, subject: str) -> pd.DataFrame | None:
        if table is None:
            return None
        return table[(table["class_id"].astype(str) == class_id) & (table["subject"] == subject)]
