"""The console's four jobs, each the library call behind one ``qualitykit`` command.

A job takes the console's choices (:class:`Choices`) and turns them, through one table per job
(:data:`JOBS`), both into the keyword arguments of the runner it calls and into the command
line that repeats the run (``qualitykit report 成绩.xlsx --teachers … --out …``). Both come
from the same table, so what the console ran and what it shows cannot drift apart (a test runs
the shown command line and compares). Every run saves its parameters next to its files
(``运行参数-质量分析报告.toml``: the job, the command line, each option).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Choices", "Job", "JOBS", "job_arguments", "command_line", "run_job",
           "write_parameters", "toml_text", "growth_exams"]


@dataclass
class Choices:
    """What the console's form holds: files as absolute paths ("" = not chosen), the options a
    person set (None = as the score file says)."""

    score_file: str = ""
    roster_file: str = ""
    teacher_file: str = ""
    previous_file: str = ""
    item_file: str = ""
    register_file: str = ""
    fitness_file: str = ""
    exam: str | None = None
    exams: list[str] | None = None
    grade: int | None = None
    school: str | None = None
    subjects: list[str] | None = None
    full_marks: dict[str, float] = field(default_factory=dict)
    standard: str | None = None
    mask_names: bool = False
    meeting: str | None = None


@dataclass(frozen=True)
class Job:
    """One button of the console.

    Attributes
    ----------
    label : str
        The button and the folder of its files (质量分析报告 …).
    command : str
        The ``qualitykit`` command that does the same.
    first : str
        The choice that is the command's first argument (``score_file``, ``item_file``;
        ``previous_file+score_file`` for the two exams of 纵向分析).
    options : tuple
        ``(choice, the runner's keyword, the command's option)`` for every other choice.
    needs : str
        Why the job cannot run when ``first`` is not chosen (Chinese).
    """

    label: str
    command: str
    first: str
    options: tuple[tuple[str, str, str], ...]
    needs: str


_READ = (("roster_file", "roster_file", "--roster"), ("exam", "exam", "--exam"),
         ("grade", "grade", "--grade"), ("school", "school", "--school"),
         ("subjects", "subjects", "--subjects"), ("full_marks", "full_marks", "--full-marks"),
         ("standard", "standard", "--standard"))

#: The console's jobs by key.
JOBS = {
    "report": Job("质量分析报告", "report", "score_file", _READ + (
        ("teacher_file", "teacher_file", "--teachers"),
        ("previous_file", "previous_file", "--previous"),
        ("item_file", "item_file", "--item-file"),
        ("mask_names", "mask_names", "--mask-names"), ("meeting", "meeting", "--meeting"),
        ("register_file", "register_file", "--register"),
        ("fitness_file", "fitness_file", "--fitness")),
        "请先选择成绩表。"),
    "targets": Job("培优补差名单", "targets", "score_file", _READ + (
        ("teacher_file", "teacher_file", "--teachers"),
        ("previous_file", "previous_file", "--previous"),
        ("mask_names", "mask_names", "--mask-names")), "请先选择成绩表。"),
    "growth": Job("纵向分析", "growth", "previous_file+score_file", (
        ("exams", "exams", "--exams"), ("teacher_file", "teacher_file", "--teachers"),
        ("roster_file", "roster_file", "--roster"),
        ("subjects", "subjects", "--subjects"), ("full_marks", "full_marks", "--full-marks"),
        ("standard", "standard", "--standard")),
        "纵向分析要比较同一批学生的两次考试：请选择本次的成绩表和“上次考试”的成绩表。"),
    "paper": Job("试卷分析", "paper", "item_file", (
        ("exam", "exam", "--exam"), ("grade", "grade", "--grade"),
        ("standard", "standard", "--standard")),
        "试卷分析需要阅卷系统导出的小题分表：请在“小题分”一栏选择。"),
}


def job_arguments(key: str, choices: Choices, out: Path) -> tuple[list[str], dict]:
    """The command's arguments and the runner's keyword arguments for one job.

    Parameters
    ----------
    key : str
        A key of :data:`JOBS`.
    choices : Choices
    out : Path
        The job's folder.

    Returns
    -------
    (list of str, dict)
        ``argv`` after ``qualitykit`` and the keywords of the runner (its first argument under
        ``"first"``).

    Raises
    ------
    ValueError
        A file the job needs is not chosen (the message says which).
    """
    job = JOBS[key]
    firsts = [getattr(choices, name) for name in job.first.split("+")]
    if not all(firsts):
        raise ValueError(job.needs)
    argv, kwargs = [job.command, *firsts], {"first": firsts if len(firsts) > 1 else firsts[0]}
    for choice, keyword, option in job.options:
        value = getattr(choices, choice)
        if value in (None, "", [], {}, False):
            continue
        kwargs[keyword] = value
        argv += [option] if value is True else [option, _option_text(value)]
    argv, kwargs = _output(key, argv, kwargs, out)
    return argv, kwargs


def _output(key: str, argv: list[str], kwargs: dict, out: Path) -> tuple[list[str], dict]:
    """Where a job writes: a folder, or for the lists a workbook and the 学困生档案 beside the
    exams' folders (one archive for the school, updated by every exam)."""
    if key == "targets":
        lists, tracking = out / "培优补差.xlsx", out.parent / "学困生档案.xlsx"
        return (argv + ["--out", str(lists), "--tracking", str(tracking)],
                {**kwargs, "out": lists, "tracking": tracking})
    folder = out / JOBS[key].label if key in ("growth", "paper") else out
    return argv + ["--out", str(folder)], {**kwargs, "out_dir": folder}


def _option_text(value) -> str:
    """A value as the command line takes it: ``语文,数学``, ``语文=120,数学=150``, ``5``.

    >>> _option_text(["语文", "数学"]), _option_text({"语文": 120.0}), _option_text(5)
    ('语文,数学', '语文=120', '5')
    """
    if isinstance(value, dict):
        return ",".join(f"{k}={v:g}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ",".join(value)
    return str(value)


def command_line(argv: list[str]) -> str:
    """The command a person types (PowerShell, cmd or a Unix shell) to repeat a run.

    >>> command_line(["report", "/学校/2025 期末/五年级.xlsx", "--subjects", "语文,数学"])
    'qualitykit report "/学校/2025 期末/五年级.xlsx" --subjects 语文,数学'
    """
    return " ".join(["qualitykit", *(a if re.fullmatch(r"[\w\-./:=,\\]+", a)
                                     else '"' + a.replace('"', '\\"') + '"' for a in argv)])


def run_job(key: str, choices: Choices, out: Path, *, log: Callable[[str], None] = print,
            progress: Callable[[int, int], None] | None = None) -> dict:
    """Run one job and save its parameters beside its files.

    Parameters
    ----------
    key : str
        A key of :data:`JOBS`.
    choices : Choices
    out : Path
        The folder of this exam's files (the report goes in it, 纵向分析 and 试卷分析 in
        sub-folders, the 学困生档案 beside it).
    log, progress : callable
        The runner's ``log(line)`` and ``progress(done, total)`` (cells of the notebook).

    Returns
    -------
    dict
        ``files`` (name → path, the parameter file included), ``command`` (the command line
        that repeats the run) and ``title``.

    Raises
    ------
    ValueError
        A file the job needs is not chosen; and whatever the runner raises (ScoreFileError,
        InputFileError, NotebookError), each with a Chinese message.
    """
    if key == "growth" and choices.exams is None and choices.previous_file and choices.score_file:
        choices = replace(choices, exams=growth_exams(choices))
    argv, kwargs = job_arguments(key, choices, out)
    first = kwargs.pop("first")
    if key != "targets":
        kwargs["progress"] = progress
    result = _runner(key)(first, log=log, **kwargs)
    folder = Path(kwargs.get("out_dir") or Path(kwargs["out"]).parent)
    saved = write_parameters(folder / f"运行参数-{JOBS[key].label}.toml", key, argv,
                             {"first": first, **{k: v for k, v in kwargs.items()
                                                 if k != "progress"}})
    files = {Path(p).name: Path(p) for p in result["files"].values()}
    # the 班级质量分析单 and 教师个人质量分析表, as `qualitykit report` writes them
    files |= {Path(p).name: Path(p) for p in result.get("pack", {}).values()}
    return {"files": {**files, saved.name: saved}, "command": command_line(argv),
            "title": result.get("title", JOBS[key].label)}


def growth_exams(choices: Choices) -> list[str] | None:
    """Names for the two exams of 纵向分析 when their sheets do not tell them apart.

    Two sheets titled "九年级期末" and "八年级期末" (no school year) both read as the exam
    "期末", and would be taken for one exam. Then each exam is named after its file (its folder
    too when the file names are the same); the names are passed as ``--exams`` and so appear in
    the command line that repeats the run. None when the sheets name two different exams.
    """
    from ..io.scores import check_scores

    files = [Path(choices.previous_file), Path(choices.score_file)]
    names = []
    for path in files:
        report = check_scores(path, **({"full_marks": choices.full_marks}
                                       if choices.full_marks else {}))
        data = report.data
        found = data["exam"].dropna().unique() if data is not None else []
        names.append(str(found[0]) if len(found) == 1 else "")
    if all(names) and names[0] != names[1]:
        return None
    stems = [p.stem for p in files]
    return stems if stems[0] != stems[1] else [f"{p.parent.name} {p.stem}" for p in files]


def _runner(key: str) -> Callable:
    if key == "report":
        from .term_report import run_report

        return run_report
    if key == "targets":
        from .targets_report import run_targets

        return run_targets
    if key == "growth":
        from .growth_report import run_growth_report

        return run_growth_report
    from .paper_report import run_paper_report

    return run_paper_report


def write_parameters(path: Path, key: str, argv: list[str], arguments: dict) -> Path:
    """Save a run's parameters as TOML: the job, when, the command line, each argument."""
    from .. import __version__

    data = {"job": JOBS[key].label, "command": command_line(argv),
            "created": dt.datetime.now().isoformat(timespec="seconds"),
            "qualitykit_version": __version__}
    options = {k: str(v) if isinstance(v, Path) else v for k, v in arguments.items()}
    options["first"] = ([str(p) for p in options["first"]] if isinstance(options["first"], list)
                        else str(options["first"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(toml_text(data, {"arguments": options}), encoding="utf-8")
    return path


def toml_text(top: dict, tables: dict[str, dict]) -> str:
    """TOML for flat values: strings, numbers, booleans, lists of strings, small mappings.

    >>> print(toml_text({"job": "纵向分析"}, {"arguments": {"subjects": ["语文"], "grade": 5,
    ...                                                 "full_marks": {"语文": 120.0}}}))
    job = "纵向分析"
    <BLANKLINE>
    [arguments]
    subjects = ["语文"]
    grade = 5
    full_marks = { "语文" = 120.0 }
    <BLANKLINE>
    """
    lines = [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in top.items() if v is not None]
    for name, table in tables.items():
        lines += ["", f"[{name}]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}"
                                for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
