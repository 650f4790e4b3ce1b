"""The ``qualitykit`` command: check a score sheet, print 三率一分, write the term report.

What a teacher sees when something is wrong is one Chinese line on stderr that names the
option, the file and what to do, and exit code 2 — never a traceback (``QUALITYKIT_DEBUG=1``
shows it for developers). Every path is made absolute and checked before any slow step.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from .io.files import (
    InputFileError,
    input_file,
    output_file,
    output_folder,
    output_workbook,
    standard_file,
)

#: Path options of each command: (attribute, option as typed, role). Roles: ``in`` an existing
#: file, ``folder`` an output folder, ``out`` an output file, ``track`` a file that is created
#: when missing (an existing one must be readable), ``sheet`` a folder or the .xlsx to write.
PATH_OPTIONS = {
    "check": [("file", "成绩表文件", "in"), ("roster", "--roster", "in"), ("out", "--out", "out")],
    "summary": [("file", "成绩表文件", "in"), ("roster", "--roster", "in"), ("out", "--out", "out")],
    "report": [("file", "成绩表文件", "in"), ("roster", "--roster", "in"),
               ("teachers", "--teachers", "in"), ("previous", "--previous", "in"),
               ("item_file", "--item-file", "in"), ("out", "--out", "folder"),
               ("register", "--register", "in"), ("fitness", "--fitness", "in")],
    "targets": [("file", "成绩表文件", "in"), ("roster", "--roster", "in"),
                ("teachers", "--teachers", "in"), ("previous", "--previous", "in"),
                ("tracking", "--tracking", "track"), ("out", "--out", "out")],
    "growth": [("files", "成绩表文件", "in"), ("same_grade", "--same-grade", "in"),
               ("reference", "--reference", "in"), ("teachers", "--teachers", "in"),
               ("roster", "--roster", "in"), ("out", "--out", "folder")],
    "paper": [("file", "小题分文件", "in"), ("info", "--info", "in"), ("out", "--out", "folder")],
    "demo": [("out", "--out", "folder")],
    "awards": [("file", "通报表文件", "in"), ("league", "--league", "in"),
               ("teachers", "--teachers", "in"), ("rule", "--rule", "in"), ("out", "--out", "out")],
    "alerts": [("files", "成绩表文件", "in"), ("teachers", "--teachers", "in"), ("out", "--out", "out")],
    "evaluate": [("file", "成绩表文件", "in"), ("roster", "--roster", "in"),
                 ("teachers", "--teachers", "in"), ("previous", "--previous", "in"),
                 ("outside", "--outside", "in"), ("routine", "--routine", "in"),
                 ("out", "--out", "out")],
    "lines": [("file", "成绩表文件", "in"), ("roster", "--roster", "in"), ("out", "--out", "sheet")],
    "district": [("file", "成绩表文件", "in"), ("previous", "--previous", "in"),
                 ("out", "--out", "folder")],
    "register": [("file", "成绩表文件", "in"), ("roster", "--roster", "in"),
                 ("teachers", "--teachers", "in"), ("out", "--out", "track")],
    "review": [("register", "整改台账", "in"), ("file", "成绩表文件", "in"),
               ("roster", "--roster", "in"), ("teachers", "--teachers", "in"),
               ("previous", "--previous", "in"), ("out", "--out", "out")],
    "convert": [("files", "成绩表文件", "in"), ("out", "--out", "out")],
    "fitness": [("files", "体测文件", "in"), ("previous", "--previous", "in"),
                ("out", "--out", "folder")],
    "routine": [("file", "检查记录文件", "in"), ("rules", "--rules", "in"), ("out", "--out", "folder")],
}


class OptionError(ValueError):
    """A command-line option with a value that cannot be used (one Chinese sentence)."""


def _full_marks(text: str | None) -> dict[str, float]:
    """Parse ``语文=120,数学=120`` (full-width punctuation accepted).

    >>> _full_marks("语文＝120，数学=150")
    {'语文': 120.0, '数学': 150.0}
    """
    if not text:
        return {}
    out = {}
    for part in text.replace("，", ",").replace("＝", "=").split(","):
        if not part.strip():
            continue
        subject, sep, value = part.partition("=")
        if not sep:
            raise OptionError(f"--full-marks 的写法应为 科目=满分，如 语文=120,数学=120；收到“{part}”。")
        try:
            mark = float(value)
        except ValueError:
            raise OptionError(f"--full-marks 中 {subject} 的满分“{value}”不是数字；"
                              "请写成 语文=120 这样的形式。") from None
        if not mark > 0:
            raise OptionError(f"--full-marks 中 {subject} 的满分应大于 0，收到“{value}”。")
        out[subject.strip()] = mark
    return out


def _grade(text: str) -> int:
    """``--grade``: a whole number 1–12."""
    try:
        grade = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"年级应为 1–12 的整数（五年级写 5），收到“{text}”") \
            from None
    if not 1 <= grade <= 12:
        raise argparse.ArgumentTypeError(f"年级应为 1–12 的整数（五年级写 5），收到“{text}”")
    return grade


def _count(text: str) -> int:
    """A whole number ≥ 0 (``--max-rows``)."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"应为不小于 0 的整数，收到“{text}”")
    return int(text)


def _names(text: str) -> list[str]:
    """``--subjects`` and ``--exams``: a comma-separated list (full-width comma accepted).

    >>> _names("语文，数学, ")
    ['语文', '数学']
    """
    return [s.strip() for s in text.replace("，", ",").split(",") if s.strip()]


def _formats(text: str) -> tuple[str, ...]:
    """``--formats``: ``html,pdf`` → ``("html", "pdf")`` (the runner says which it writes)."""
    return tuple(f.strip() for f in text.split(",") if f.strip())


def _import_options(args) -> dict:
    options = {"sheet": args.sheet, "exam": args.exam, "grade": args.grade,
               "school": args.school, "roster": args.roster}
    marks = _full_marks(args.full_marks)
    if args.standard:
        from .standard import get_standard

        marks = get_standard(args.standard).full_marks_with(marks)
    options["full_marks"] = marks
    return {k: v for k, v in options.items() if v not in (None, {})}


def _add_import_options(p: argparse.ArgumentParser, *, for_report: bool = False) -> None:
    if for_report:
        p.add_argument("file", nargs="?", default="", help="成绩表文件（省略则用自带的示例学校）")
    else:
        p.add_argument("file", help="成绩表文件（.xlsx/.xls/.csv）")
        p.add_argument("--sheet", help="只读这个工作表（名称）")
    p.add_argument("--exam", help="考试名称，如 “2025-2026-1 期末”（默认取自表头标题或文件名）")
    p.add_argument("--grade", type=_grade, help="年级 1–12（表中没有写明时）")
    p.add_argument("--school", help="学校名称（表中没有写明时）")
    p.add_argument("--full-marks", help="各科满分，如 语文=120,数学=120（默认 100）")
    p.add_argument("--roster", help="学生信息表，按学号补全班级")
    p.add_argument("--standard", help="标准：预设名（default、county_teacher…）或学校的 .toml 文件")


def cmd_check(args) -> int:
    from .io.scores import check_scores

    report = check_scores(args.file, **_import_options(args))
    print(report.to_text(max_rows=args.max_rows))
    if args.out:
        report.to_excel(args.out)
        print(f"\n完整的导入报告已保存：{Path(args.out).resolve()}")
    if not report.ok:
        print("\n有错误：请按“问题”一栏的提示修改成绩表后重新运行。", file=sys.stderr)
        return 1
    return 0


def cmd_summary(args) -> int:
    from .io.scores import read_scores
    from .labels import to_display
    from .term.indicators import summary

    scores = read_scores(args.file, **_import_options(args))
    by = [b.strip() for b in args.by.split(",") if b.strip()]
    table = summary(scores, by=by, standard=args.standard)
    shown = to_display(table)
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 30,
                           "display.unicode.east_asian_width", True):
        print(shown.to_string(index=False))
    if args.out:
        from .io.excel import write_sheets

        write_sheets(args.out, {"三率一分": shown})
        print(f"\n已保存：{Path(args.out).resolve()}")
    return 0


def _print_report_result(result: dict) -> None:
    t = result["timings"]
    exported = sum(t.get(step, 0) for step in ("export_html", "export_pdf", "pack_pdf"))
    print("用时：读取 {:.1f} 秒，运行笔记本 {:.1f} 秒，导出 {:.1f} 秒{}".format(
        t.get("import", 0), t.get("execute", 0), exported,
        f"（PDF 由 {result['pdf_engine']} 生成）" if result.get("pdf_engine") else ""))
    print("完成。报告文件：")
    for kind, path in result["files"].items():
        print(f"  - {kind.upper():5s} {Path(path).resolve()}")


def cmd_report(args) -> int:
    """期中/期末质量分析 (notebook 01, or 05 for a sheet graded in levels) as HTML, PDF and Word,
    and beside it the 班级质量分析单 and 教师个人质量分析表 (written by the same notebook)."""
    from .report.term_report import run_report

    result = run_report(
        args.file, out_dir=args.out, formats=args.formats, pdf_engine=args.pdf_engine,
        meeting=args.meeting, exam=args.exam, grade=args.grade, roster_file=args.roster,
        teacher_file=args.teachers, previous_file=args.previous, subjects=args.subjects,
        standard=args.standard, school=args.school, full_marks=_full_marks(args.full_marks),
        mask_names=args.mask_names, item_file=args.item_file,
        register_file=args.register, fitness_file=args.fitness)
    _print_report_result(result)
    _print_pack(result.get("pack"))
    return 0


def _print_pack(files: dict | None) -> None:
    """The files of the 班级质量分析单 and 教师个人质量分析表."""
    if files:
        print("班级质量分析单与教师个人质量分析表（每班、每位教师一页）：")
        for kind, path in files.items():
            print(f"  - {kind.upper():5s} {Path(path).resolve()}")


def cmd_growth(args) -> int:
    """纵向分析: 届比较, 追踪, 增值评价, 成长百分位, 趋势 (notebook 02) as HTML, PDF and xlsx."""
    from .report.growth_report import run_growth_report

    result = run_growth_report(
        args.files, out_dir=args.out, formats=args.formats, pdf_engine=args.pdf_engine,
        exams=args.exams, grade=args.grade, same_grade_files=args.same_grade,
        reference_file=args.reference, roster_file=args.roster, teacher_file=args.teachers,
        subjects=args.subjects, standard=args.standard, full_marks=_full_marks(args.full_marks))
    _print_report_result(result)
    return 0


def cmd_targets(args) -> int:
    """培优补差.xlsx for the teachers, and the 学困生档案 brought up to date."""
    from .report.targets_report import run_targets

    run_targets(args.file or None, out=args.out, tracking=args.tracking,
                mask_names=args.mask_names, exam=args.exam, grade=args.grade,
                roster_file=args.roster, teacher_file=args.teachers, previous_file=args.previous,
                subjects=args.subjects, full_marks=_full_marks(args.full_marks),
                school=args.school, standard=args.standard)
    return 0


def cmd_paper(args) -> int:
    """试卷分析 of one paper's 小题分 (notebook 04) as HTML, PDF and 试卷分析.xlsx."""
    from .report.paper_report import run_paper_report

    result = run_paper_report(
        args.file or None, out_dir=args.out, formats=args.formats, pdf_engine=args.pdf_engine,
        info_file=args.info, exam=args.exam, subject=args.subject, grade=args.grade,
        standard=args.standard, missing=args.missing)
    _print_report_result(result)
    return 0


def cmd_demo(args) -> int:
    """The term report of the bundled sample school, plus its import report."""
    from .io.sample import sample_path
    from .io.scores import check_scores
    from .report.growth_report import run_growth_report
    from .report.term_report import run_report

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = sample_path(args.exam, grade=args.grade)
    print(f"示例学校：{path.relative_to(path.parents[3])}（{args.exam}，{args.grade} 年级）")
    check_scores(path).to_excel(out / "导入报告.xlsx")
    result = run_report(None, out_dir=out, exam=args.exam, grade=args.grade,
                        fitness_file=_demo_fitness(args.exam, args.grade))
    result["files"]["导入报告"] = out / "导入报告.xlsx"
    _print_report_result(result)
    _print_pack(result.get("pack"))
    print("\n培优补差名单和学困生档案：")
    tracking = out / "学困生档案.xlsx"
    tracking.unlink(missing_ok=True)  # the demo starts a new file every time
    cmd_targets(argparse.Namespace(
        file="", exam=args.exam, grade=args.grade, roster=None, teachers=None, previous=None,
        subjects=None, full_marks=None, school=None, standard=None, mask_names=False,
        out=str(out / "培优补差.xlsx"), tracking=str(tracking)))
    exams = demo_cohort_exams(args.exam)
    if len(exams) < 2:
        print(f"\n纵向分析从略：示例学校在 {args.exam} 之前没有这一届的考试。")
    else:
        print(f"\n纵向分析（这一届学生的 {'、'.join(exams)}，最后一次与质量分析报告相同）：")
        growth = run_growth_report((), out_dir=out / "纵向分析", grade=args.grade, exams=exams)
        _print_report_result(growth)
    print(f"\n输出文件夹：{out.resolve()}")
    return 0


def _demo_fitness(exam: str, grade: int) -> str | None:
    """The sample school's 体测 file of the exam's school year when it has pupils of ``grade``
    (2025 for 2025-2026), for the demo's 体质健康 section; else None."""
    from .fitness.sample import FITNESS_YEARS, fitness_sample_path

    year = int(str(exam)[:4]) if str(exam)[:4].isdigit() else 0
    return str(fitness_sample_path(year)) if year in FITNESS_YEARS and 1 <= grade <= 6 else None


def _term_options(args) -> dict:
    """load_term's options from a command of the report's inputs."""
    return {"exam": args.exam, "grade": args.grade, "roster_file": args.roster,
            "teacher_file": args.teachers, "previous_file": getattr(args, "previous", None),
            "subjects": args.subjects, "full_marks": _full_marks(args.full_marks),
            "school": args.school, "standard": args.standard}


def cmd_register(args) -> int:
    """质量目标与整改台账: this exam's 存在问题 added to the school's 台账."""
    from .cycle.runs import run_register

    run_register(args.file or None, out=args.out, **_term_options(args))
    return 0


def cmd_review(args) -> int:
    """回头看: the 台账's targets judged at a new exam, and the 两率名次."""
    from .cycle.runs import run_review

    run_review(args.register, args.file or None, out=args.out, **_term_options(args))
    return 0


def demo_cohort_exams(exam: str) -> list[str]:
    """The sample cohort's exams the demo's 纵向分析 reads: the same term's exam in every school
    year up to ``exam``, so that its latest exam is the term report's (and its 届比较 compares
    the same term of other years).

    >>> demo_cohort_exams("2025-2026-1 期末")
    ['2023-2024-1 期末', '2024-2025-1 期末', '2025-2026-1 期末']
    >>> demo_cohort_exams("2023-2024-2 期中")
    ['2023-2024-2 期中']
    """
    from .io.sample import YEARS

    return [f"{year}{exam[9:]}" for year in YEARS if year <= exam[:9]]


def cmd_awards(args) -> int:
    """位次奖.xlsx from a county 通报 sheet, or from a 联考 file ranked by the rule."""
    from .cycle.awards import run_awards

    for line in run_awards(args.file or None, league=args.league, teachers=args.teachers,
                           rule_file=args.rule, preset=args.preset, flat=args.flat,
                           standard=args.standard, full_marks=_full_marks(args.full_marks),
                           out=args.out):
        print(line)
    return 0


def cmd_lines(args) -> int:
    """上线分析.xlsx: 上线 by school and class, 单科有效分 and 双上线, 临界生, 等级赋分."""
    from .district.lines_workbook import (
        LinesRequest,
        lines_workbook,
        parse_subject_lines,
        result_lines,
    )
    from .io.scores import read_scores

    given = parse_subject_lines(args.subject_lines)
    request = LinesRequest(
        lines=args.lines, effective_line=args.effective_line,
        method="given" if given else args.method, subject_lines=given, band=args.band,
        scale=args.scale, scale_subjects=args.scale_subjects, total_subjects=args.subjects,
        mask=args.mask_names)
    scores = read_scores(args.file, **_import_options(args))
    for line in result_lines(lines_workbook(scores, args.out, request), request):
        print(line)
    return 0


def cmd_alerts(args) -> int:
    """预警.xlsx: 约谈/黄牌/红牌 of schools, classes or teachers over school years."""
    from .cycle.alerts import run_alerts

    by = {"school": "school", "class": "class_id", "teacher": "teacher"}[args.by]
    for line in run_alerts(args.files, by=by, exams=args.exams, teachers=args.teachers,
                           standard=args.standard, full_marks=_full_marks(args.full_marks),
                           out=args.out):
        print(line)
    return 0


def cmd_evaluate(args) -> int:
    """教师综合评价.xlsx: 横向, 纵向, 均衡, 增值 and the school's own scores, with intervals."""
    from .cycle.evaluation import run_evaluation

    for line in run_evaluation(args.file, teachers=args.teachers, previous=args.previous,
                               outside=args.outside, routine=args.routine, out=args.out,
                               exam=args.exam,
                               grade=args.grade, roster_file=args.roster, school=args.school,
                               full_marks=_full_marks(args.full_marks), standard=args.standard):
        print(line)
    return 0


def _band(text: str) -> float:
    """``--band``: a share below 1 (0.05) or a whole number of ranks (100)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为比例（如 0.05）或名次数（如 100），收到“{text}”") \
            from None
    if not value > 0 or (value >= 1 and value != int(value)):
        raise argparse.ArgumentTypeError(f"应为比例（如 0.05）或名次数（如 100），收到“{text}”")
    return value


def cmd_district(args) -> int:
    """联考分析 (notebook 07) as HTML, PDF, Word and Excel, and one 通报反馈 per school."""
    from .district.report import run_district

    result = run_district(
        args.file or None, out_dir=args.out, formats=args.formats, pdf_engine=args.pdf_engine,
        previous_file=args.previous, exam=args.exam, full_marks=_full_marks(args.full_marks),
        groups=args.groups, standard=args.standard, sheet=args.sheet, engine=args.engine,
        lines=args.lines, lines_method=args.method)
    feedback = result["files"].pop("feedback")
    _print_report_result(result)
    print(f"通报反馈（每校一份，共 {len(feedback)} 所学校）：")
    for school, files in feedback.items():
        print(f"  - {school}：" + "、".join(str(Path(p).resolve()) for p in files.values()))
    return 0


def cmd_convert(args) -> int:
    """Score files → one Parquet file of the long table (for ``district --engine duckdb``)."""
    from .district.engine import convert_scores

    if not args.out.lower().endswith(".parquet"):
        raise OptionError(f"--out 应为 .parquet 文件，如 联考.parquet；收到“{args.out}”。")
    print(f"把 {len(args.files)} 个成绩表转换为 Parquet（逐个读入并检查）……")
    result = convert_scores(args.files, args.out, exam=args.exam, sheet=args.sheet,
                            full_marks=_full_marks(args.full_marks), standard=args.standard)
    kind = "float32（每个分数都能精确表示）" if result["float32"] else "float64"
    print(f"已写出 {Path(result['path']).resolve()}：长表 {result['rows']} 行，分数按 {kind} 存储。")
    print(f"联考分析：qualitykit district {Path(result['path']).name} --engine duckdb")
    return 0


def cmd_fitness(args) -> int:
    """体质健康分析 (PDF, Word, Excel) of this year's 体测 file(s), with last year's for change."""
    from .fitness.run import run_fitness
    from .fitness.sample import fitness_sample_path

    files = args.files or [str(fitness_sample_path(2025))]
    previous = args.previous or ([str(fitness_sample_path(2024))] if not args.files else None)
    result = run_fitness(files, out_dir=args.out, previous=previous, sheet=args.sheet,
                         mask=args.mask_names, formats=args.formats, pdf_engine=args.pdf_engine)
    imported = result["import"]
    counts = imported.problems["severity"].value_counts()
    print(f"读取 {imported.rows_read} 行，导入 {imported.rows_imported} 名学生；"
          f"错误 {counts.get('error', 0)} 个，提醒 {counts.get('warning', 0)} 个"
          "（每个问题的位置和改法见 导入报告.xlsx）")
    print("已生成：")
    for path in result["files"].values():
        print(f"  - {Path(path).resolve()}")
    return 0


def cmd_routine(args) -> int:
    """教学常规考核.xlsx: counts, requirements, missed months and the 常规考核得分 per teacher."""
    from .routine.sample import SAMPLE_RECORD
    from .routine.workbooks import run_routine

    lines, complete = run_routine(args.file or SAMPLE_RECORD, out=args.out, rules=args.rules,
                                  preset=args.preset)
    for line in lines:
        print(line)
    return 0 if complete else 1


def run() -> None:
    """The ``qualitykit`` program: :func:`main`, then :func:`end_process`."""
    try:
        code = main()
    except SystemExit as exc:  # argparse's own end (a wrong option, --help): already printed
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    end_process(code)


def end_process(code: int) -> None:
    """End the process at once with ``code``, once its threads have ended (waited for here, as
    Python would) and its ``atexit`` functions have run.

    When a command returns, every file it writes is written and closed and its browser and
    kernel are gone; what Python would still do is tear down the run's modules and objects
    (pandas, matplotlib, a notebook's tables: ≈ 0.6 s after a term report), which nobody
    needs to wait for.
    """
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (qualitykit … | head), a closed stream
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run one ``qualitykit`` command; returns the exit code (0 ok, 1 sheet has errors, 2 stop).

    Every error a person can cause is one Chinese line on stderr with exit code 2;
    ``QUALITYKIT_DEBUG=1`` adds the traceback.
    """
    parser = _build_parser()
    args = parser.parse_args(argv)  # a wrong option: one line, exit 2 (_Parser.error)
    given: dict[str, str] = {}
    try:
        given = _check_paths(args)
        return args.func(args)
    except (Exception, KeyboardInterrupt) as exc:  # the last resort: never a traceback
        if isinstance(exc, BrokenPipeError) and _reader_gone():
            return 0  # qualitykit … | head: the reader has all it wanted
        if os.environ.get("QUALITYKIT_DEBUG"):
            import traceback

            traceback.print_exc()
        print(_message(exc, given), file=sys.stderr)
        return 130 if isinstance(exc, KeyboardInterrupt) else 2


def _reader_gone() -> bool:
    """Whether standard output is a pipe whose reader has gone (``qualitykit … | head``), as
    the system reports it (POLLERR); False where it cannot say (Windows, not a file)."""
    import select

    try:
        poll = select.poll()
        poll.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poll.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


_ENGINE_HELP = "PDF 生成方式（默认：有 Chromium/Chrome/Edge 用浏览器，否则 WeasyPrint）"
#: The commands: name → (help, which import options (``"sheet"``, ``"report"`` or None), the
#: command's own options in the order ``-h`` lists them as (flag, argparse keywords), function).
COMMANDS = {
    "check": ("检查成绩表：列出每个问题的位置和改法；有错误时返回非零", "sheet", (
        ("--out", {"help": "把完整的导入报告保存为 .xlsx"}),
        ("--max-rows", {"type": _count, "default": 40, "help": "屏幕上最多显示多少条问题"}),
    ), cmd_check),
    "summary": ("三率一分（实考人数、平均分、及格率、优秀率、低分率…）", "sheet", (
        ("--by", {"default": "class_id,subject", "help": "分组，默认 class_id,subject"}),
        ("--out", {"help": "保存为 .xlsx"}),
    ), cmd_summary),
    "report": ("期中/期末质量分析报告：网页版、PDF 和可编辑的 Word 版", "report", (
        ("--out", {"default": "output/report", "help": "输出文件夹（默认 output/report）"}),
        ("--teachers", {"help": "教学编排表（教师一节需要）"}),
        ("--previous", {"help": "上次考试的成绩表（纵向对比需要）"}),
        ("--item-file", {"help": "本次考试的小题分表（试卷分析需要）"}),
        ("--subjects", {"type": _names, "help": "只分析这些科目，如 语文,数学"}),
        ("--mask-names", {"action": "store_true", "help": "会议用导出：学生姓名显示为“张＊”"}),
        ("--formats", {"type": _formats, "default": "html,pdf,docx",
                       "help": "输出格式，默认 html,pdf,docx"}),
        ("--pdf-engine", {"choices": ("chromium", "weasyprint"), "help": _ENGINE_HELP}),
        ("--meeting", {"choices": ("期中", "期末"),
                       "help": "质量分析会：期中（查漏补缺）或 期末（本学期结果、下学期目标）；默认按考试名称"}),
        ("--register", {"help": "质量目标与整改台账 .xlsx：报告中增加“回头看”（不改动台账）"}),
        ("--fitness", {"help": "本年级（或全校）的体测成绩：报告中增加“体质健康”一节（等级、各班与年级、"
                                "不及格最多的项目）"}),
    ), cmd_report),
    "targets": ("培优补差名单（每班一页）和学困生档案更新", "report", (
        ("--out", {"default": "培优补差.xlsx", "help": "名单文件（默认 培优补差.xlsx）"}),
        ("--previous", {"help": "上次考试的成绩表：名单变动、进步之星候选需要它"}),
        ("--tracking", {"help": "学困生档案 .xlsx：不存在就新建，存在就加入本次考试（教师填写的内容保留）"}),
        ("--teachers", {"help": "教学编排表：名单上注明任课教师"}),
        ("--subjects", {"type": _names, "help": "只看这些科目，如 语文,数学"}),
        ("--mask-names", {"action": "store_true", "help": "名单中学生姓名显示为“张＊”"}),
    ), cmd_targets),
    "growth": ("纵向分析：届比较、追踪、增值评价、成长百分位、趋势（网页版、PDF、Excel）", None, (
        ("files", {"nargs": "*", "help": "同一届学生历次考试的成绩表，按时间先后（省略则用示例学校）"}),
        ("--exams", {"type": _names, "help": "各表对应的考试名称，用逗号分开（表中已写明时省略）"}),
        ("--grade", {"type": _grade, "help": "示例学校：最后一次考试时的年级（默认 5）"}),
        ("--same-grade", {"nargs": "*", "help": "届比较：同一年级其他年份的成绩表"}),
        ("--reference", {"help": "县/区同卷的均分与标准差（列：考试、科目、均分、标准差）"}),
        ("--teachers", {"help": "教学编排表（按教师的增值和趋势需要）"}),
        ("--roster", {"help": "学生信息表，按学号补全班级"}),
        ("--subjects", {"type": _names, "help": "只分析这些科目，如 语文,数学"}),
        ("--full-marks", {"help": "各科满分，如 语文=120,数学=120（默认 100）"}),
        ("--standard", {"help": "标准：预设名或学校的 .toml 文件"}),
        ("--out", {"default": "output/growth", "help": "输出文件夹（默认 output/growth）"}),
        ("--formats", {"type": _formats, "default": "html,pdf,xlsx",
                       "help": "输出格式，默认 html,pdf,xlsx"}),
        ("--pdf-engine", {"choices": ("chromium", "weasyprint")}),
    ), cmd_growth),
    "paper": ("试卷分析（小题分）：难度、区分度、信度、选项、知识点（网页版、PDF、Excel）", None, (
        ("file", {"nargs": "?", "default": "", "help": "小题分文件（省略则用示例学校五年级数学）"}),
        ("--info", {"help": "小题信息表（题号、满分、知识点、题型、答案），文件里已有时省略"}),
        ("--exam", {"help": "考试名称（默认取自表头标题或文件名）"}),
        ("--subject", {"help": "科目（默认取自表头标题或文件名）"}),
        ("--grade", {"type": _grade, "help": "年级 1–12（表中没有写明时）"}),
        ("--standard", {"help": "标准：预设名或学校的 .toml 文件"}),
        ("--missing", {"choices": ("zero", "listwise", "pairwise"),
                       "help": "空白小题：zero 计 0 分（默认），listwise 整行删除，pairwise 成对删除"}),
        ("--out", {"default": "output/paper", "help": "输出文件夹（默认 output/paper）"}),
        ("--formats", {"type": _formats, "default": "html,pdf,xlsx",
                       "help": "输出格式，默认 html,pdf,xlsx"}),
        ("--pdf-engine", {"choices": ("chromium", "weasyprint"), "help": _ENGINE_HELP}),
    ), cmd_paper),
    "demo": ("在自带的示例学校数据上运行质量分析报告", None, (
        ("--out", {"default": "output/demo", "help": "输出目录（默认 output/demo）"}),
        ("--exam", {"default": "2025-2026-1 期末"}),
        ("--grade", {"type": _grade, "default": 5}),
    ), cmd_demo),
    "awards": ("位次奖：按县通报位次（或联考成绩算出的位次）和奖励规则计算每位教师的奖金", None, (
        ("file", {"nargs": "?", "default": "", "help": "县成绩通报表（学校、年级、科目、班级、教师、位次、参评数）"}),
        ("--league", {"help": "不用通报表时：联考成绩表，按规则的排位方法算出位次"}),
        ("--teachers", {"help": "教学编排表：联考成绩按教师所教班级重新核算后排位次"}),
        ("--rule", {"help": "位次奖规则文件 .toml（默认 templates/位次奖.toml）"}),
        ("--preset", {"default": "non_graduating",
                      "help": "规则文件中的哪一条：non_graduating 非毕业班（默认）、graduating 毕业班"}),
        ("--flat", {"action": "store_true", "help": "所有位次按达到的那一段金额计（默认逐位次累计）"}),
        ("--full-marks", {"help": "联考各科满分，如 语文=150,数学=150（默认 100）"}),
        ("--standard", {"help": "联考排位次用的及格线、优秀线：预设名或学校的 .toml 文件"}),
        ("--out", {"default": "位次奖.xlsx", "help": "输出文件（默认 位次奖.xlsx）"}),
    ), cmd_awards),
    "alerts": ("约谈/黄牌/红牌预警：学校、班级或教师逐学年的下滑与低位（区间支持才认定）", None, (
        ("files", {"nargs": "*", "help": "各学年的成绩表（每学年默认取第二学期期末；省略则用示例学校）"}),
        ("--by", {"choices": ("school", "class", "teacher"), "default": "school",
                  "help": "预警对象：school 学校（默认）、class 班级、teacher 教师"}),
        ("--exams", {"type": _names, "help": "各表对应的考试名称，如 2023-2024-2 期末（表中已写明时省略）"}),
        ("--teachers", {"help": "各学年的教学编排表（按教师预警需要）"}),
        ("--full-marks", {"help": "各科满分，如 语文=120,数学=120（默认 100）"}),
        ("--standard", {"help": "标准：预设名或学校的 .toml 文件（预警规则在其中的 [alerts] 一节）"}),
        ("--out", {"default": "预警.xlsx", "help": "输出文件（默认 预警.xlsx）"}),
    ), cmd_alerts),
    "evaluate": ("教师综合评价：横向、纵向、均衡、增值和学校自评分，各带区间；区间重叠的教师不分高下", "report", (
        ("--teachers", {"help": "教学编排表（必需；示例学校自带）"}),
        ("--previous", {"help": "上次考试的成绩表（纵向和增值需要）"}),
        ("--outside", {"help": "学校自己的教师评分表（教师、教学常规检查得分、问卷…），权重写在标准的 [evaluation] 中"}),
        ("--routine", {"help": "qualitykit routine 写出的 教学常规考核.xlsx：常规考核得分计入综合评价（权重 routine）"}),
        ("--out", {"default": "教师综合评价.xlsx", "help": "输出文件（默认 教师综合评价.xlsx）"}),
    ), cmd_evaluate),
    "lines": ("联考上线分析：上线人数/上线率、单科有效分与双上线、临界生、等级赋分（Excel）", "sheet", (
        ("--lines", {"required": True,
                     "help": "分数线：分数或前百分比，如 特控=700 或 特控=0.05,本科=0.40"}),
        ("--effective-line", {"help": "单科有效分对应哪条线（默认 --lines 的第一条）"}),
        ("--method", {"choices": ("ratio", "mean"), "default": "ratio",
                      "help": "单科有效分算法：ratio 比例法（默认），mean 均值法"}),
        ("--subject-lines", {"help": "直接给出各科有效分，如 语文=108,数学=94（不再计算）"}),
        ("--band", {"type": _band, "default": 0.05,
                    "help": "临界生：线上下的名次范围，比例（默认 0.05）或名次数（如 100）"}),
        ("--subjects", {"type": _names, "help": "总分只算这些科目，如 语文,数学,英语"}),
        ("--scale", {"choices": ("national2021", "zhejiang2022", "shandong2017"),
                     "help": "同时做等级赋分：national2021（A–E 五级）、zhejiang2022、shandong2017"}),
        ("--scale-subjects", {"type": _names, "help": "赋分的科目（默认按所选方案）"}),
        ("--mask-names", {"action": "store_true", "help": "名单中学生姓名显示为“张＊”"}),
        ("--out", {"default": "output/lines",
                   "help": "输出文件夹（默认 output/lines），或要保存的 .xlsx 文件名"}),
    ), cmd_lines),
    "district": ("联考 / 区县统测分析：各校与区域比较、均衡指数、每校一份通报反馈（网页版、PDF、Word、Excel）", None, (
        ("file", {"nargs": "?", "default": "", "help": "联考成绩表（各校学生在一张表里，有“学校”一列；省略则用自带的联考示例）"}),
        ("--out", {"default": "output/district", "help": "输出文件夹（默认 output/district）"}),
        ("--previous", {"help": "上次联考的成绩表（学校增值需要）"}),
        ("--exam", {"help": "考试名称（默认取自表头标题或文件名）"}),
        ("--full-marks", {"help": "各科满分，如 语文=150,数学=150,英语=150（默认 100）"}),
        ("--groups", {"help": "各校片区或城乡：甲中=城区,乙中=乡镇，或有“学校”“片区”两列的 .xlsx/.csv（成绩表本身有片区列时写它的文件名）"}),
        ("--sheet", {"help": "学生成绩所在的工作表，如 分数（默认自动查找）"}),
        ("--standard", {"help": "标准：预设名或 .toml 文件"}),
        ("--formats", {"type": _formats, "default": "html,pdf,docx",
                       "help": "输出格式，默认 html,pdf,docx（Excel 总是写出）"}),
        ("--pdf-engine", {"choices": ("chromium", "weasyprint"), "help": _ENGINE_HELP}),
        ("--engine", {"choices": ("pandas", "duckdb"), "default": "pandas",
                      "help": "三率一分的计算引擎：pandas（默认）；duckdb 读 qualitykit convert "
                              "写出的 .parquet 文件，数据再大也不必全部装入内存"}),
        ("--lines", {"help": "加“上线情况”：分数线，写法同 qualitykit lines，如 特控=700 或 特控=0.05,本科=0.40"}),
        ("--method", {"choices": ("ratio", "mean"), "default": "ratio",
                      "help": "单科有效分算法（有 --lines 时）：ratio 比例法（默认），mean 均值法"}),
    ), cmd_district),
    "register": ("质量目标与整改台账：把本次考试的存在问题记入台账（措施、责任人、期限、目标由老师填写）", "report", (
        ("--out", {"default": "质量目标与整改台账.xlsx",
                   "help": "台账 .xlsx：不存在就新建，存在就加入本次考试的问题（老师填写的内容保留）"}),
        ("--teachers", {"help": "教学编排表：按教师的目标和两率名次需要它"}),
        ("--subjects", {"type": _names, "help": "只看这些科目，如 语文,数学"}),
    ), cmd_register),
    "review": ("回头看：下次考试后逐条判断台账中的目标是否达成、问题是否改善，并列出两率名次变化", "register", (
        ("--teachers", {"help": "教学编排表：按教师的目标和两率名次需要它"}),
        ("--previous", {"help": "上次考试的成绩表（台账中没有更早的考试时，用它算名次变化）"}),
        ("--subjects", {"type": _names, "help": "只看这些科目，如 语文,数学"}),
        ("--out", {"help": "另存为这个文件（默认写回台账本身）"}),
    ), cmd_review),
    "convert": ("把成绩表转换为 Parquet 文件（列式存储；供 district --engine duckdb 计算全省规模的数据）", None, (
        ("files", {"nargs": "+", "help": "成绩表文件，可以多个（逐个读入、检查）"}),
        ("--out", {"required": True, "help": "写出的 .parquet 文件，如 联考.parquet"}),
        ("--exam", {"help": "考试名称（默认取自表头标题或文件名）"}),
        ("--full-marks", {"help": "各科满分，如 语文=150,数学=150,英语=150（默认 100）"}),
        ("--sheet", {"help": "学生成绩所在的工作表，如 分数（默认自动查找）"}),
        ("--standard", {"help": "标准：预设名或 .toml 文件（其中的各科满分）"}),
    ), cmd_convert),
    "fitness": ("体质健康分析：按《国家学生体质健康标准》计分，各班各项目等级、BMI、不及格名单、与去年比较（PDF、Word、Excel）", None, (
        ("files", {"nargs": "*", "help": "今年的体测文件（可以多个；省略则用示例学校）"}),
        ("--previous", {"nargs": "*", "help": "去年的体测文件：同一批学生的变化"}),
        ("--out", {"default": "output/fitness", "help": "输出文件夹（默认 output/fitness）"}),
        ("--sheet", {"help": "只读这个工作表（默认自动查找）"}),
        ("--mask-names", {"action": "store_true", "help": "不及格名单中学生姓名显示为“张＊”"}),
        ("--formats", {"type": _formats, "default": "pdf,docx,xlsx",
                       "help": "输出格式，默认 pdf,docx,xlsx（可加 html）"}),
        ("--pdf-engine", {"choices": ("chromium", "weasyprint"), "help": _ENGINE_HELP}),
    ), cmd_fitness),
    "routine": ("教学常规考核：按检查记录统计每位教师各项次数和得分、未达要求、缺查月份、常规考核得分与名次（Excel）", None, (
        ("file", {"nargs": "?", "default": "",
                  "help": "教学常规检查记录 .xlsx（模板见 templates/教学常规检查记录.xlsx；省略则用示例学校）"}),
        ("--rules", {"help": "常规考核规则 .toml（默认 templates/常规考核.toml）"}),
        ("--preset", {"default": "default", "help": "规则文件中的哪一节（默认 default）"}),
        ("--out", {"default": "output/routine", "help": "输出文件夹（默认 output/routine），写出 教学常规考核.xlsx"}),
    ), cmd_routine),
}


def _build_parser() -> argparse.ArgumentParser:
    """The parser of every command of :data:`COMMANDS`."""
    parser = _Parser(
        prog="qualitykit", description="教学质量分析工具包：检查成绩表、计算三率一分、生成质量分析报告和纵向分析。")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, imports, options, func) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        if imports == "register":  # review: the 台账 first, then the report's inputs
            p.add_argument("register", help="质量目标与整改台账 .xlsx（qualitykit register 生成）")
        if imports:
            _add_import_options(p, for_report=imports in ("report", "register"))
        for flag, keywords in options:
            p.add_argument(flag, **keywords)
        p.set_defaults(func=func)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse with its complaints in one Chinese line (exit code 2, as argparse's own)."""

    _PATTERNS = (
        (r"the following arguments are required: (.*)", "缺少必需的参数：{0}"),
        (r"unrecognized arguments: (.*)", "不认识的参数：{0}（选项名请查看帮助）"),
        (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", "{0} 的取值 {1} 无效，可选：{2}"),
        (r"argument (\S+): expected one argument", "{0} 后面需要写一个值"),
        (r"argument (\S+): expected at least one argument", "{0} 后面至少要写一个值"),
        (r"argument (\S+): invalid \w+ value: (.*)", "{0} 的取值 {1} 无效"),
        (r"argument (\S+): (.*)", "{0}：{1}"),
    )
    _NAMES = {"file": "成绩表文件", "files": "成绩表文件", "command": "命令",
              "register": "整改台账"}  # positional names

    def error(self, message: str):
        for pattern, chinese in self._PATTERNS:
            m = re.fullmatch(pattern, message)
            if m:
                first = "、".join(self._NAMES.get(n, n) for n in m[1].split(", "))
                message = chinese.format(first, *m.groups()[1:])
                break
        self.exit(2, f"命令行参数有误：{message}。运行 {self.prog} -h 查看用法。\n")


def _check_paths(args) -> dict[str, str]:
    """Make every path option absolute and check it (before any slow step).

    Returns the absolute path → the option as typed, to name the option in later messages.
    """
    given: dict[str, str] = {}
    for attribute, option, role in PATH_OPTIONS.get(args.command, []):
        value = getattr(args, attribute, None)
        if not value:
            continue
        typed = value if isinstance(value, list) else [value]
        paths = [_checked(v, option, role) for v in typed]
        given.update((path, f"{option} {raw}") for raw, path in zip(typed, paths))
        setattr(args, attribute, paths if isinstance(value, list) else paths[0])
    if getattr(args, "standard", None):
        args.standard = standard_file(args.standard, "--standard")
        _check_preset(args.standard)
    return given


def _check_preset(standard: str) -> None:
    from .standard import PRESETS

    if not standard.lower().endswith(".toml") and standard not in PRESETS:
        raise OptionError(f"--standard 的取值“{standard}”无效：应为预设名（{'、'.join(PRESETS)}）"
                          "或学校的 .toml 文件（模板见 templates/standard.toml）。")


def _checked(path: str, option: str, role: str) -> str:
    if role == "folder":
        return str(output_folder(path, option))
    if role == "out":
        return str(output_file(path, option))
    if role == "sheet":
        return str(output_workbook(path, option))
    if role == "track":
        full = output_file(path, option)
        return str(input_file(path, option)) if full.exists() else str(full)
    return str(input_file(path, option))


def _message(exc: BaseException, given: dict[str, str]) -> str:
    """The one line (or, for a sheet's list of errors, the one message) a person reads."""
    from .schema import ScoreFileError  # pandas only when an error is shown

    if isinstance(exc, KeyboardInterrupt):
        return "已中断 (interrupted)。"
    text = str(exc).strip()
    if isinstance(exc, ScoreFileError):
        where = given.get(str(exc.file or ""))
        return f"{where}：{text}" if where and "\n" not in text else text
    if isinstance(exc, InputFileError):  # from a runner: named as the option was typed
        return f"{given[exc.path]}：{exc.reason}" if exc.path in given else text
    if isinstance(exc, OptionError):
        return text
    if isinstance(exc, PermissionError):
        return (f"无法读写文件 {exc.filename}（权限不足，或文件正在 Excel/WPS 中打开）。"
                "请关闭该文件，或换一个文件名、文件夹后再试。")
    line = " ".join(text.split())
    if isinstance(exc, (ValueError, RuntimeError, OSError)) and re.search(r"[\u4e00-\u9fff]", line):
        return f"出错了：{line}"  # the kit's own messages say what to do
    return f"出错了：{line or '（无说明）'}（{type(exc).__name__}）；请把这行信息和所用文件发给维护者。"


if __name__ == "__main__":  # pragma: no cover
    run()
