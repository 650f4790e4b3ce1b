"""The check that opens a parameterised notebook and the step that closes it.

A teacher changes the first cell (the ``parameters`` cell) and presses "Run All". The cell
after it calls :func:`check_parameters`: every parameter is checked at once, and a wrong one
stops the notebook with one Chinese message per problem that names the parameter, says what
was found and shows a valid example (:class:`ParameterError`; no Python traceback is shown).

The last cell calls :meth:`NotebookRun.finish`. With ``export = True`` (the default of a
notebook opened in Jupyter) it writes the PDF and the web page (HTML) into ``output_dir``
through the runner that ``qualitykit report`` (``growth``, ``paper``) uses, then shows links to
every file written. The runner runs the kit's notebook headless with papermill, with the same
parameters, and exports that run.

Why a second, headless run: a notebook cannot export itself while it runs (its outputs are in
the browser, not in the file, until it is saved), and an export of the kernel's own outputs
would lose the notebook's markdown cells and have to copy the runner's export. The second run
costs a few seconds and makes the PDF of "Run All" the PDF of the command line: the same
notebook, the same parameters, the same export. The runner passes ``export = False``, and then
the last cell shows nothing: no log line or file name reaches a printed page. A guard in the
environment (:data:`EXPORTING`) stops the headless run from exporting again even if a caller
forgets that.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..io.files import InputFileError, input_file

__all__ = ["check_parameters", "check_value", "NotebookRun", "ParameterError", "ExportError",
           "KINDS", "EXAMPLES", "EXPORTING", "file_links", "written_files", "ProgressBar"]

#: Set in the environment while the last cell exports: a notebook run inside it never exports.
EXPORTING = "QUALITYKIT_EXPORTING"

#: Each parameter of the kit's notebooks → what kind of value it takes.
KINDS = {
    **dict.fromkeys(("score_file", "roster_file", "teacher_file", "previous_file", "item_file",
                     "info_file", "tracking_file", "reference_file", "study_file",
                     "register_file"), "file"),
    **dict.fromkeys(("score_files", "same_grade_files"), "files"),
    **dict.fromkeys(("exam", "school", "subject"), "text"),
    **dict.fromkeys(("exams", "subjects"), "names"),
    "grade": "grade", "standard": "standard", "full_marks": "marks",
    **dict.fromkeys(("mask_names", "export"), "flag"),
    "output_dir": "output_folder", "folder": "folder",
    **dict.fromkeys(("anchor", "study_columns"), "mapping"),
    "missing": ("zero", "listwise", "pairwise"), "meeting": (None, "期中", "期末"),
    # 联考 (notebooks/07-联考分析.ipynb)
    "groups": "mapping", "sheet": "text", "formats": "names",
    "pdf_engine": ("", "chromium", "weasyprint"), "engine": ("", "pandas", "duckdb"),
    "lines": "text", "lines_method": ("ratio", "mean"),  # 联考 上线情况
    # 体质测试 (notebooks/08-体质健康.ipynb)
    "fitness_file": "file",
}

#: A valid value of each parameter, as it is written in the first cell.
EXAMPLES = {
    "score_file": 'r"D:\\成绩\\五年级期末.xlsx"', "roster_file": 'r"D:\\成绩\\学生信息表.xlsx"',
    "teacher_file": 'r"D:\\成绩\\教学编排表.xlsx"', "previous_file": 'r"D:\\成绩\\五年级期中.xlsx"',
    "item_file": 'r"D:\\成绩\\数学小题分.xlsx"', "info_file": 'r"D:\\成绩\\小题信息.xlsx"',
    "tracking_file": 'r"D:\\成绩\\学困生档案.xlsx"', "reference_file": 'r"D:\\成绩\\县均分.xlsx"',
    "study_file": 'r"D:\\研究\\Exam.csv"', "register_file": 'r"D:\\成绩\\质量目标与整改台账.xlsx"',
    "score_files": '[r"D:\\成绩\\四年级期末.xlsx", r"D:\\成绩\\五年级期末.xlsx"]',
    "same_grade_files": '[r"D:\\成绩\\2024五年级期末.xlsx", r"D:\\成绩\\2025五年级期末.xlsx"]',
    "exam": '"2025-2026-1 期末"', "school": '"青禾实验小学"', "subject": '"数学"',
    "exams": '["2024-2025-2 期末", "2025-2026-2 期末"]', "subjects": '["语文", "数学"]',
    "grade": "5", "standard": '"county_teacher"', "full_marks": '{"语文": 120, "数学": 120}',
    "mask_names": "True", "export": "True", "output_dir": '"../output/质量分析报告"',
    "folder": 'r"D:\\成绩"', "anchor": '{"school": "县实验小学"}',
    "study_columns": '{"student_id": "id", "by": "school", "entry": "入口", "exit": "出口"}',
    "missing": '"zero"', "meeting": '"期末"',
    "groups": '{"城东中学": "城区", "山口中学": "乡镇"}', "sheet": '"分数"',
    "formats": '["html", "pdf", "docx"]', "pdf_engine": '"chromium"', "engine": '"duckdb"',
    "lines": '"特控=0.05,本科=0.40"', "lines_method": '"mean"',
    "fitness_file": 'r"D:\\体测\\2025体测成绩.xlsx"',
}


class _ChineseMessage(Exception):
    """Shown in Jupyter as its Chinese lines only (IPython calls ``_render_traceback_``)."""

    heading = ""
    closing = ""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = list(problems)

    def _render_traceback_(self) -> list[str]:
        return [self.heading] + [f"  - {p}" for p in self.problems] + [self.closing]


class ParameterError(_ChineseMessage, ValueError):
    """Parameters of the first cell that cannot be used; ``problems`` holds one Chinese
    sentence per parameter (name, what was found, a valid example)."""

    heading = "第一格的参数有误 (ParameterError)："
    closing = "请改好第一格，再从头“运行全部”。"


class ExportError(_ChineseMessage, RuntimeError):
    """The PDF and the web page could not be written (the reason in Chinese)."""

    heading = "导出 PDF 和网页版时出错 (ExportError)："
    closing = "本页的结果不受影响；改好后重新运行最后一格即可导出。"


def check_parameters(notebook: str, **values) -> NotebookRun:
    """Check a notebook's parameters as a person wrote them; the run they describe.

    Parameters
    ----------
    notebook : str
        The notebook's name without ``.ipynb`` (``"01-term-analysis"``): what
        :meth:`NotebookRun.finish` re-runs to export.
    **values
        Every parameter of the first cell (names of :data:`KINDS`). ``None`` (and the empty
        ``""``, ``0``, ``[]``, ``{}`` that papermill and older notebooks pass) is "not given":
        as the file says, or the kit's default.

    Returns
    -------
    NotebookRun

    Raises
    ------
    ParameterError
        Every problem at once: a file that is not there, a grade written as text, one subject
        where a list is wanted, an unknown preset … each with a valid example.

    Examples
    --------
    >>> check_parameters("01-term-analysis", exam=None, grade=5, subjects=["语文"]).parameters
    {'exam': None, 'grade': 5, 'subjects': ['语文']}
    >>> check_parameters("01-term-analysis", grade="五", subjects="语文")
    Traceback (most recent call last):
    qualitykit.report.notebook_run.ParameterError: grade（年级）应为 1–12 的整数，不加引号，如 grade = 5；None 表示按成绩表。现在是 '五'。
    subjects 应为列表（方括号，每项加引号），如 subjects = ["语文", "数学"]；只有一项也写成 ["语文"]。现在是 '语文'。
    """
    unknown = sorted(set(values) - set(KINDS))
    if unknown:
        raise ParameterError([f"check_parameters 不认识参数 {unknown}；认识的有：{sorted(KINDS)}。"])
    problems = [problem for name, value in values.items()
                if (problem := check_value(name, value))]
    if problems:
        raise ParameterError(problems)
    return NotebookRun(notebook, dict(values))


def check_value(name: str, value) -> str | None:
    """The problem with one parameter's value (one Chinese sentence), or None when it is fine.

    >>> print(check_value("full_marks", {"语文": "120"}))
    full_marks 应为“科目: 满分”的字典，满分是大于 0 的数字（不加引号），如 full_marks = {"语文": 120, "数学": 120}。现在是 {'语文': '120'}。
    """
    kind = KINDS[name]
    if isinstance(kind, tuple):
        return None if value in kind else _wrong(name, value, "应为 " + "、".join(
            "None" if k is None else f'"{k}"' for k in kind) + " 之一")
    return _CHECKS[kind](name, value)


def _wrong(name: str, value, what: str, note: str = "") -> str:
    return f"{name}{_ROLE.get(name, ' ')}{what}，如 {name} = {EXAMPLES[name]}{note}。现在是 {value!r}。"


_ROLE = {"grade": "（年级）", "exam": "（考试名称）", "school": "（学校）",
         "score_file": "（成绩表）", "output_dir": "（输出文件夹）"}


def _not_given(value) -> bool:
    return value is None or (not isinstance(value, bool) and value in ("", 0, [], {}, ()))


def _file(name: str, value) -> str | None:
    if _not_given(value):
        return None
    if not isinstance(value, (str, os.PathLike)):
        return _wrong(name, value, "应为文件的路径（加引号）")
    text = os.fspath(value)
    if re.search(r"[\x00-\x1f]", text):  # "D:\new\期末.xlsx": \n became a line break
        return (f"{name} 的路径里有反斜杠被当成了控制字符（如 \\n、\\t）：请在引号前加 r，"
                f"如 {name} = {EXAMPLES.get(name, EXAMPLES['score_file'])}，或把 \\ 换成 /。"
                f"现在是 {value!r}。")
    try:
        input_file(text, name)
    except InputFileError as exc:
        return f"{name}：{exc.reason}"
    return None


def _files(name: str, value) -> str | None:
    if _not_given(value):
        return None
    if not isinstance(value, (list, tuple)):
        return _wrong(name, value, "应为文件路径的列表（方括号）", "；只有一个文件也要加方括号")
    return next((p for v in value if (p := _file(name, v))), None)


def _text(name: str, value) -> str | None:
    if value is None or isinstance(value, str):
        return None
    return _wrong(name, value, "应为文字（加引号）", "；None 表示按成绩表")


def _names(name: str, value) -> str | None:
    if _not_given(value):
        return None
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        return (f"{name} 应为列表（方括号，每项加引号），如 {name} = {EXAMPLES[name]}；"
                f"只有一项也写成 {EXAMPLES[name].split(',')[0]}]。现在是 {value!r}。")
    return None


def _grade(name: str, value) -> str | None:
    if _not_given(value) or (isinstance(value, int) and not isinstance(value, bool)
                             and 1 <= value <= 12):
        return None
    return _wrong(name, value, "应为 1–12 的整数，不加引号", "；None 表示按成绩表")


def _standard(name: str, value) -> str | None:
    from ..standard import PRESETS

    if _not_given(value):
        return None
    if isinstance(value, (str, os.PathLike)) and os.fspath(value).lower().endswith(".toml"):
        return _file(name, value)
    if isinstance(value, str) and value in PRESETS:
        return None
    return _wrong(name, value, f"应为预设名（{'、'.join(PRESETS)}）或学校的 .toml 文件")


def _marks(name: str, value) -> str | None:
    if _not_given(value):
        return None
    if isinstance(value, Mapping) and all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
            and v > 0 for k, v in value.items()):
        return None
    return _wrong(name, value, "应为“科目: 满分”的字典，满分是大于 0 的数字（不加引号）")


def _flag(name: str, value) -> str | None:
    return None if isinstance(value, bool) else _wrong(name, value, "应为 True 或 False")


def _output_folder(name: str, value) -> str | None:
    if _not_given(value):
        return None
    if not isinstance(value, (str, os.PathLike)):
        return _wrong(name, value, "应为文件夹的路径（加引号）", "；\"\" 表示不写文件")
    if Path(value).is_file():
        return _wrong(name, value, "是一个已有的文件，这里需要文件夹")
    return None


def _folder(name: str, value) -> str | None:
    if _not_given(value):
        return None
    if not isinstance(value, (str, os.PathLike)) or not Path(value).is_dir():
        return _wrong(name, value, f"应为已有的文件夹（当前文件夹是 {os.getcwd()}）")
    return None


def _mapping(name: str, value) -> str | None:
    return None if _not_given(value) or isinstance(value, Mapping) else _wrong(
        name, value, "应为字典（花括号）")


_CHECKS: dict[str, Callable[[str, object], str | None]] = {
    "file": _file, "files": _files, "text": _text, "names": _names, "grade": _grade,
    "standard": _standard, "marks": _marks, "flag": _flag, "output_folder": _output_folder,
    "folder": _folder, "mapping": _mapping}


@dataclass
class NotebookRun:
    """A notebook's checked parameters, and what its last cell does with them.

    Attributes
    ----------
    notebook : str
        The notebook's name without ``.ipynb``.
    parameters : dict
        The parameters as the first cell (and papermill) set them.
    """

    notebook: str
    parameters: dict = field(default_factory=dict)

    @property
    def exports(self) -> bool:
        """The last cell writes the PDF and the web page: ``export`` is on, the notebook has a
        runner, and this is not the headless run of an export."""
        return bool(self.parameters.get("export")) and self.notebook in _RUNNERS \
            and not os.environ.get(EXPORTING)

    def finish(self, written=None) -> dict[str, Path]:
        """The last cell: export when asked, and show links to every file written.

        Parameters
        ----------
        written : dict, path or None
            What the notebook wrote (``write_outputs``' dict, ``write_growth``' path …).

        Returns
        -------
        dict
            File name → path of every file written (the PDF and HTML included). Nothing is
            shown (and nothing returned) when a runner runs the notebook (``export = False``):
            the runner prints this page.

        Raises
        ------
        ExportError
            The export stopped (a file, a sheet or the browser); the reason in Chinese.
        """
        from IPython.display import display

        files = written_files(written)
        if "export" in self.parameters and not self.exports:
            return {}
        if self.exports:
            if not self.parameters.get("output_dir"):
                display(_note("output_dir 为空：只生成本页，不写文件。要导出 PDF、网页版、Word "
                              f"和 Excel，请在第一格填写 output_dir，如 output_dir = {EXAMPLES['output_dir']}。"))
                return {}
            files |= self._export()
        if files:
            display(file_links(files))
        return files

    def _export(self) -> dict[str, Path]:
        """HTML and PDF through the runner of the command line, with a progress bar."""
        from ..io.problems import ScoreFileError
        from .runner import NotebookError

        runner, first = _RUNNERS[self.notebook]
        params = {k: v for k, v in self.parameters.items() if k not in ("output_dir", "export")}
        if runner == "term":
            params["notebook"] = _notebook_path(self.notebook)
        bar = ProgressBar("导出 PDF 和网页版（与命令行的导出相同）")
        os.environ[EXPORTING] = "1"
        # the term report's run writes the Word file, the workbook and the pack again (the same
        # files this notebook wrote); asked for, they are kept and listed
        formats = ("html", "pdf", "docx") if runner == "term" else ("html", "pdf")
        try:
            result = _runner(runner)(params.pop(first, None), out_dir=self.parameters["output_dir"],
                                     formats=formats, log=bar.log, progress=bar.progress,
                                     **params)
        except (NotebookError, ScoreFileError, InputFileError, RuntimeError, ValueError,
                OSError) as exc:
            bar.fail()
            raise ExportError([" ".join(str(exc).split())]) from exc
        finally:
            os.environ.pop(EXPORTING, None)
        bar.done()
        written = [*result["files"].values(), *result.get("pack", {}).values()]
        return {Path(p).name: Path(p) for p in written}


#: Notebooks whose last cell exports → (runner, the runner's first argument).
_RUNNERS = {"01-term-analysis": ("term", "score_file"), "05-level-analysis": ("term", "score_file"),
            "02-cohort-growth": ("growth", "score_files"), "04-paper-analysis": ("paper", "item_file")}


def _runner(kind: str) -> Callable:
    if kind == "term":
        from .term_report import run_report

        return run_report
    if kind == "growth":
        from .growth_report import run_growth_report

        return run_growth_report
    from .paper_report import run_paper_report

    return run_paper_report


def _notebook_path(name: str) -> Path:
    from ..paths import NOTEBOOKS

    return NOTEBOOKS / f"{name}.ipynb"


def written_files(written) -> dict[str, Path]:
    """File name → path of what a notebook wrote (a dict or list of paths, one path, or nothing).

    >>> written_files({"docx": "a/报告.docx", "xlsx": None}), written_files(""), written_files(None)
    ({'报告.docx': PosixPath('a/报告.docx')}, {}, {})
    """
    values = (written.values() if isinstance(written, Mapping)
              else written if isinstance(written, (list, tuple)) else [written])
    return {Path(v).name: Path(v) for v in values if v}


def file_links(files: Mapping[str, Path], *, folder_note: bool = True):
    """Links to files for a Jupyter page (relative to the kernel's folder, as JupyterLab opens
    them), with the folder's full path to find them in the file manager."""
    from IPython.display import HTML

    items = "".join(f'<li><a href="{html.escape(_href(p))}" target="_blank">'
                    f"{html.escape(name)}</a></li>" for name, p in files.items())
    folders = sorted({str(Path(p).resolve().parent) for p in files.values()})
    where = f"<p>文件夹：{'；'.join(html.escape(f) for f in folders)}</p>" if folder_note else ""
    return HTML(f'<div class="qk-files"><p><b>已生成的文件</b>（点击打开或下载）：</p>'
                f"<ul>{items}</ul>{where}</div>")


def _href(path: Path) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive on Windows
        return Path(path).resolve().as_uri()


def _note(text: str):
    from IPython.display import HTML

    return HTML(f'<p class="qk-note">{html.escape(text)}</p>')


class ProgressBar:
    """A progress bar and a line of text in a Jupyter page, fed by a runner's ``log`` and
    ``progress`` callbacks."""

    def __init__(self, title: str):
        import ipywidgets as widgets
        from IPython.display import display

        self.bar = widgets.IntProgress(value=0, min=0, max=100, description="",
                                       layout=widgets.Layout(width="60%"))
        self.text = widgets.HTML(value=html.escape(title))
        self.box = widgets.VBox([self.text, self.bar])
        display(self.box)

    def log(self, line: str) -> None:
        self.text.value = html.escape(line.strip())

    def progress(self, done: int, total: int) -> None:
        self.bar.value = round(100 * done / max(total, 1))

    def done(self) -> None:
        self.bar.value, self.bar.bar_style = 100, "success"
        self.text.value = "完成。"

    def fail(self) -> None:
        self.bar.bar_style = "danger"
