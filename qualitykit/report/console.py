"""The 教研组长's console in Jupyter (``notebooks/00-开始.ipynb``): pick the files, read the
import report, choose the options, press a button.

Two tabs. **生成报告**: the score file (from a folder on the server or uploaded) and, when there
are, 上次考试, 教学编排表, 学生信息表, 小题分, the 质量目标与整改台账 (the report then looks
back at its targets) and the 体测 file (the report then has a 体质健康 section); the import report appears as soon as the score file is chosen (each problem with its sheet, row, column and what to do); grade, subjects,
exam name, school, full marks, standard and masked names; four buttons, each the library call
of one ``qualitykit`` command (:mod:`qualitykit.report.console_jobs`), with a progress bar while
the notebook runs, links to the files, the parameters saved next to them and the one command
line that repeats the run. **探索班级**: one class and subject against the grade
(:mod:`qualitykit.report.explore`).

Every widget is an attribute, so that tests (and researchers) drive the console from Python
exactly as the buttons do: ``console.pick["score_file"].value = path``,
``console.buttons["report"].click()``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from .console_jobs import JOBS, Choices, run_job
from .notebook_run import file_links

__all__ = ["Console", "ROLES", "TABLE_SUFFIXES", "table_files", "import_html"]

#: The file choices: role → (label, what "nothing chosen" says).
ROLES = {"score_file": ("成绩表", "（请选择）"), "previous_file": ("上次考试", "（不用）"),
         "teacher_file": ("教学编排表", "（不用）"), "roster_file": ("学生信息表", "（不用）"),
         "item_file": ("小题分", "（不用）"), "register_file": ("整改台账", "（不用）"),
         "fitness_file": ("体测文件", "（不用）")}
#: Files the console offers (what the importers read).
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".tsv", ".ods", ".et")
_MAX_FILES = 2000
_WIDE = {"description_width": "7em"}
_SOURCE_NOTE = re.compile(r"DOMAIN\.md\s*默认值：|（DOMAIN\.md）")


def table_files(folder: Path, *, also: Path | None = None) -> list[tuple[str, str]]:
    """(label, absolute path) of every table file under ``folder`` (and ``also``, the uploads),
    labelled by its path inside the folder; hidden folders and temporary Excel files (``~$``)
    are left out.

    >>> from qualitykit.paths import SAMPLE_DATA
    >>> table_files(SAMPLE_DATA)[0][0]
    'fitness/体质测试_2024.xlsx'
    """
    found = []
    for base in [folder] + ([also] if also and also.is_dir() else []):
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if (path.suffix.lower() in TABLE_SUFFIXES and path.is_file()
                    and not path.name.startswith("~$")
                    and not any(p.startswith(".") for p in relative.parts)):
                label = relative.as_posix() if base == folder else f"上传/{relative.as_posix()}"
                found.append((label, str(path)))
            if len(found) >= _MAX_FILES:
                return found
    return found


def import_html(report, *, limit: int = 40) -> str:
    """The import report as the console shows it: whether the sheet can be analysed, the
    summary lines, and the problems (errors first) with sheet, row, column and what to do."""
    table = report.display_table()
    order = {"错误": 0, "提醒": 1, "说明": 2}
    table = table.sort_values("级别", key=lambda s: s.map(order), kind="stable")
    data = report.data
    if report.ok and data is not None and len(data):
        head = (f"<p class='qk-ok' style='color:#2e7d32'><b>✔ 可以分析</b>："
                f"{data['student_id'].nunique()} 名学生，科目 {'、'.join(data['subject'].unique())}。</p>")
    else:
        head = (f"<p class='qk-bad' style='color:#c62828'><b>✘ 成绩表有 {len(report.errors)} 个错误，"
                "暂不能分析</b>：请按下表“处理”一栏改正成绩表后重新选择文件；满分不是 100 的科目，"
                "在下面的“满分”里改；多校联考的表请选学校。</p>")
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in report.summary_lines())
    shown = table.drop(columns=["文件"]).head(limit).to_html(index=False, border=0,
                                                            classes="qk-table")
    more = (f"<p>……另有 {len(table) - limit} 条（命令 qualitykit check 文件名 --out 导入报告.xlsx "
            "可导出完整列表）。</p>" if len(table) > limit else "")
    return (f"<div class='qk-import'><h4>导入报告</h4>{head}<ul>{lines}</ul>"
            f"{shown if len(table) else ''}{more}</div>")


def _standard_options(folder: Path) -> list[tuple[str, str]]:
    """The presets (with what they weigh) and the school's .toml files in the folder."""
    from ..standard import PRESETS

    presets = [(f"{name}：{_SOURCE_NOTE.sub('', s.source)}", name) for name, s in PRESETS.items()]
    tomls = [(f"学校的标准：{p.name}", str(p)) for p in sorted(folder.rglob("*.toml"))[:50]]
    return presets + tomls


class Console:
    """The console: a form over the kit's four jobs, and a panel to explore one class.

    Parameters
    ----------
    folder : path, optional
        The folder whose table files are offered (sub-folders included); default: the sample
        school's ``sample_data``.
    output_dir : path
        Where the jobs write (a folder per exam inside it); relative to the current folder.

    Attributes
    ----------
    pick : dict
        Role (:data:`ROLES`) → its Dropdown of files.
    buttons : dict
        Job key (:data:`~qualitykit.report.console_jobs.JOBS`) → its Button.
    report : ImportReport or None
        The import report of the chosen score file.
    last : dict or None
        What the last job returned (files, command, title), or None after a failure.
    explore : ExplorePanel
    widget : ipywidgets.Tab
    """

    def __init__(self, folder: str | Path | None = None,
                 output_dir: str | Path = "../output/控制台"):
        import ipywidgets as widgets

        from ..paths import SAMPLE_DATA
        from .explore import ExplorePanel

        self.folder = Path(folder or SAMPLE_DATA).resolve()
        self.output_dir = Path(output_dir).resolve()
        self.report, self.last, self.marks = None, None, {}
        self._detected: dict = {}
        self._build_files(widgets)
        self._build_options(widgets)
        self._build_jobs(widgets)
        self.explore = ExplorePanel(self)
        run_tab = widgets.VBox([self._heading("① 选择文件"), self.files_box,
                                self.import_box, self._heading("② 选项"), self.options_box,
                                self._heading("③ 生成"), self.jobs_box])
        self.widget = widgets.Tab(children=[run_tab, self.explore.widget],
                                  titles=("生成报告", "探索班级"))
        self.widget.add_class("qk-console")
        self.widget.observe(self._on_tab, names="selected_index")
        self.refresh_files()

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    @staticmethod
    def _heading(text: str):
        import ipywidgets as widgets

        return widgets.HTML(f"<h3 style='margin:8px 0 2px'>{html.escape(text)}</h3>")

    # ① files ---------------------------------------------------------------------------
    def _build_files(self, widgets) -> None:
        self.folder_text = widgets.Text(value=str(self.folder), description="文件夹",
                                        style=_WIDE, layout=widgets.Layout(width="70%"))
        self.refresh_button = widgets.Button(description="刷新文件列表", icon="refresh")
        self.refresh_button.on_click(lambda _: self.refresh_files())
        self.pick = {role: widgets.Dropdown(options=[(empty, "")], value="", description=label,
                                            style=_WIDE, layout=widgets.Layout(width="90%"))
                     for role, (label, empty) in ROLES.items()}
        self.upload = widgets.FileUpload(accept=",".join(TABLE_SUFFIXES), multiple=True,
                                         description="上传文件")
        self.upload.observe(self._on_upload, names="value")
        self.pick["score_file"].observe(lambda _: self.check_import(), names="value")
        self.pick["roster_file"].observe(lambda _: self.check_import(), names="value")
        note = widgets.HTML("<small>成绩表以外的文件都可以不选。文件不在列表里：在“文件夹”填写它所在的"
                            "文件夹并刷新，或用“上传文件”（存到输出文件夹的“上传”里）。</small>")
        self.files_box = widgets.VBox([widgets.HBox([self.folder_text, self.refresh_button]),
                                       *self.pick.values(), widgets.HBox([self.upload, note])])
        self.import_box = widgets.HTML()

    def refresh_files(self) -> None:
        """List the table files of the folder (and the uploads) in every file choice."""
        folder = Path(self.folder_text.value.strip().strip('"')).expanduser()
        if not folder.is_dir():
            self.import_box.value = (f"<p style='color:#c62828'>找不到文件夹“{html.escape(str(folder))}”："
                                     "请填写成绩表所在文件夹的完整路径，如 D:\\成绩。</p>")
            return
        self.folder = folder.resolve()
        files = table_files(self.folder, also=self.output_dir / "上传")
        for role, dropdown in self.pick.items():
            keep = dropdown.value
            dropdown.options = [(ROLES[role][1], ""), *files]
            dropdown.value = keep if keep in {v for _, v in files} else ""
        self.standard.options = _standard_options(self.folder)

    def _on_upload(self, change) -> None:
        """Save uploaded files under the output folder's 上传 and offer them."""
        target = self.output_dir / "上传"
        target.mkdir(parents=True, exist_ok=True)
        saved = []
        for item in change["new"]:
            path = target / Path(item["name"]).name
            path.write_bytes(bytes(item["content"]))
            saved.append(str(path))
        self.refresh_files()
        if saved and not self.pick["score_file"].value:
            self.pick["score_file"].value = saved[0]

    def check_import(self) -> None:
        """Read the chosen score file and show its import report at once."""
        from ..io.scores import check_scores

        path = self.pick["score_file"].value
        self.report, self._detected = None, {}
        self.explore.reset()
        if not path:
            self.import_box.value = ""
            return
        self.import_box.value = "<p>正在读取成绩表……</p>"
        options = {"full_marks": self.marks or None, "grade": self.grade.value,
                   "school": self.school.value, "roster": self.pick["roster_file"].value or None}
        try:
            self.report = check_scores(path, **{k: v for k, v in options.items() if v})
        except Exception as exc:  # a file the importer cannot open: say so, never a traceback
            self.import_box.value = f"<p style='color:#c62828'>{html.escape(failure_text(exc))}</p>"
            return
        self.import_box.value = import_html(self.report)
        self._fill_options(self.report.data)

    # ② options -------------------------------------------------------------------------
    def _build_options(self, widgets) -> None:
        def wide():  # one Layout per widget: hiding the school must not hide the exam name
            return widgets.Layout(width="60%")

        self.exam = widgets.Text(description="考试名称", style=_WIDE, layout=wide(),
                                 placeholder="按成绩表；表里没有写时填写，如 2025-2026-1 期末")
        self.meeting = widgets.ToggleButtons(options=[("按考试名称", ""), ("期中", "期中"),
                                                      ("期末", "期末")], description="会议",
                                             style=_WIDE)
        self.meeting.layout.display = None if _meeting_supported() else "none"
        self.grade = widgets.Dropdown(options=_grade_options(None), value=0,
                                      description="年级", style=_WIDE, layout=wide())
        self.school = widgets.Dropdown(options=[("按成绩表", "")], value="",
                                       description="学校", style=_WIDE, layout=wide())
        self.school.layout.display = "none"
        self.subjects = widgets.SelectMultiple(options=[], description="科目", rows=4,
                                               style=_WIDE)
        self.full_marks = widgets.HBox([])
        self.standard = widgets.Dropdown(description="评价标准", style=_WIDE,
                                         layout=widgets.Layout(width="90%"),
                                         options=_standard_options(self.folder))
        self.mask = widgets.Checkbox(value=False, description="会议用导出：学生姓名显示为“张＊”",
                                     indent=False)
        self.output_text = widgets.Text(value=str(self.output_dir), description="输出文件夹",
                                        style=_WIDE, layout=widgets.Layout(width="90%"))
        self._filling = False
        for box in (self.grade, self.school):
            box.observe(lambda _: None if self._filling else self.check_import(), names="value")
        self.options_box = widgets.VBox([self.exam, self.meeting, self.grade, self.school,
                                         self.subjects, self.full_marks, self.standard,
                                         self.mask, self.output_text])

    def _fill_options(self, data) -> None:
        """Exam, grade, schools, subjects and full marks as the sheet says."""
        import ipywidgets as widgets

        if data is None or data.empty:
            return
        self._filling = True
        try:
            exam = str(data["exam"].dropna().iloc[0]) if data["exam"].notna().any() else ""
            grades = sorted(int(g) for g in data["grade"].dropna().unique())
            self._detected = {"exam": exam, "grade": grades[0] if len(grades) == 1 else None}
            self.exam.value = exam
            self.grade.options = _grade_options(self._detected["grade"])
            schools = sorted(data["school"].dropna().astype(str).unique())
            self.school.layout.display = None if len(schools) > 1 else "none"
            if len(schools) > 1 and self.school.value not in schools:
                self.school.options = [("（请选择学校）", ""), *((s, s) for s in schools)]
            subjects = list(dict.fromkeys(data["subject"]))
            self.subjects.options, self.subjects.value = subjects, tuple(subjects)
            marks = data.groupby("subject", sort=False)["full_mark"].max()
            self.full_marks.children = [widgets.HTML("满分：")] + [
                self._mark_box(widgets, s, float(m)) for s, m in marks.items()]
        finally:
            self._filling = False

    def _mark_box(self, widgets, subject: str, mark: float):
        box = widgets.BoundedFloatText(value=mark, min=1, max=1000, description=subject,
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="9em"))
        box.observe(lambda change, s=subject: self._set_mark(s, change["new"]), names="value")
        return box

    def _set_mark(self, subject: str, mark: float) -> None:
        self.marks[subject] = float(mark)
        self.check_import()

    def choices(self) -> Choices:
        """The form as the jobs take it (what the person changed from the sheet; files as
        absolute paths)."""
        exam = self.exam.value.strip()
        subjects = list(self.subjects.value)
        return Choices(
            **{role: dropdown.value for role, dropdown in self.pick.items()},
            exam=exam if exam and exam != self._detected.get("exam") else None,
            grade=self.grade.value or None, school=self.school.value or None,
            subjects=subjects if subjects and len(subjects) < len(self.subjects.options) else None,
            full_marks=dict(self.marks),
            standard=None if self.standard.value == "default" else self.standard.value,
            mask_names=self.mask.value, meeting=self.meeting.value or None)

    # ③ jobs ----------------------------------------------------------------------------
    def _build_jobs(self, widgets) -> None:
        self.buttons = {}
        for key, job in JOBS.items():
            button = widgets.Button(description=job.label, button_style="primary",
                                    layout=widgets.Layout(width="11em"))
            button.on_click(lambda _, key=key: self.run(key))
            self.buttons[key] = button
        self.progress = widgets.IntProgress(value=0, min=0, max=100,
                                            layout=widgets.Layout(width="60%"))
        self.status = widgets.HTML()
        self.result = widgets.HTML()
        self.jobs_box = widgets.VBox([widgets.HBox(list(self.buttons.values())), self.progress,
                                      self.status, self.result])

    def exam_folder(self) -> Path:
        """The folder of this exam's files: the output folder / "<exam>（<file name>）"."""
        output = Path(self.output_text.value.strip().strip('"') or self.output_dir).expanduser()
        score = self.pick["score_file"].value or self.pick["item_file"].value
        exam = self.exam.value.strip() or "未命名考试"
        name = f"{exam}（{Path(score).stem}）" if score else exam
        return output.resolve() / re.sub(r'[\\/:*?"<>|]+', "_", name)

    def run(self, key: str) -> dict | None:
        """Run one job as its button does; the result (files, command) or None on failure."""
        self.last, self.result.value = None, ""
        if key in ("report", "targets") and self.report is not None and not self.report.ok:
            return self._failed("成绩表还有错误（见上面的导入报告）：请先改正，再生成。")
        self._busy(True)
        try:
            self.last = run_job(key, self.choices(), self.exam_folder(), log=self._log,
                                progress=self._cells)
        except Exception as exc:  # every failure is one Chinese message, never a traceback
            return self._failed(failure_text(exc))
        finally:
            self._busy(False)
        self.progress.value, self.progress.bar_style = 100, "success"
        self.status.value = f"<b>完成：{html.escape(self.last['title'])}</b>"
        self.result.value = result_html(self.last)
        return self.last

    def _busy(self, busy: bool) -> None:
        for button in self.buttons.values():
            button.disabled = busy
        if busy:
            self.progress.value, self.progress.bar_style = 0, "info"
            self.status.value = "正在准备……"

    def _failed(self, message: str) -> None:
        self.progress.bar_style = "danger"
        self.status.value = f"<p style='color:#c62828'><b>没有完成</b>：{html.escape(message)}</p>"
        return None

    def _log(self, line: str) -> None:
        """A runner's step line: the text under the bar, and the bar at the step."""
        step = re.match(r"\s*\[(\d)/(\d)\]", line)
        if step:
            done, steps = int(step[1]), int(step[2])
            self.progress.value = max(self.progress.value, round(100 * (done - 1) / steps) + 2)
        self.status.value = html.escape(line.strip())

    def _cells(self, done: int, total: int) -> None:
        """Cells of the notebook: step 2 of 4 runs from 25 % to 75 % of the bar."""
        self.progress.value = max(self.progress.value, 25 + round(50 * done / max(total, 1)))

    def _on_tab(self, change) -> None:
        if change["new"] == 1:
            self.explore.show()


def result_html(result: dict) -> str:
    """Links to the files, the command line that repeats the run, where the parameters are."""
    params = [p for name, p in result["files"].items() if name.startswith("运行参数")]
    return (file_links(result["files"]).data
            + "<p><b>重复这次运行的命令</b>（在项目文件夹里打开 PowerShell 或终端，粘贴运行）：</p>"
            + f"<pre class='qk-command'>{html.escape(result['command'])}</pre>"
            + (f"<p>本次的参数已保存在 {html.escape(params[0].name)}（与上面的文件在一起）。</p>"
               if params else ""))


def failure_text(exc: BaseException) -> str:
    """One Chinese sentence for a failed job or import (the kit's own messages as they are)."""
    text = " ".join(str(exc).split())
    if re.search(r"[\u4e00-\u9fff]", text):
        return text
    return f"出错了：{text or '（无说明）'}（{type(exc).__name__}）；请把这行信息和所用文件发给维护者。"


def _grade_options(detected: int | None) -> list[tuple[str, int]]:
    """按成绩表 (0: as the sheet says, the kit's "not given") and the grades 1–12."""
    said = f"（{detected}）" if detected else "（表中没有写明时请选择）"
    return [(f"按成绩表{said}", 0), *((f"{g}", g) for g in range(1, 13))]


def _meeting_supported() -> bool:
    """The term notebook takes a ``meeting`` parameter (期中/期末 meetings)."""
    import ast
    import json

    from .term_report import NOTEBOOK

    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    source = "".join(next(c["source"] for c in cells if "parameters" in c["metadata"].get("tags", [])))
    return any(isinstance(n, ast.Assign) and n.targets[0].id == "meeting"
               for n in ast.parse(source).body if isinstance(n, ast.Assign))
