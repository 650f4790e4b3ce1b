"""The ``qualitykit`` command: check a score sheet, print 三率一分, write the term report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .import_report import ScoreFileError


def _full_marks(text: str | None) -> dict[str, float]:
    """Parse ``语文=120,数学=120`` (full-width punctuation accepted)."""
    if not text:
        return {}
    out = {}
    for part in text.replace("，", ",").replace("＝", "=").split(","):
        if not part.strip():
            continue
        subject, sep, value = part.partition("=")
        if not sep:
            raise SystemExit(f"--full-marks 的写法应为 科目=满分，如 语文=120,数学=120；收到“{part}”。")
        try:
            out[subject.strip()] = float(value)
        except ValueError:
            raise SystemExit(f"--full-marks 中 {subject} 的满分“{value}”不是数字。") from None
    return out


def _subjects(text: str | None) -> list[str]:
    """Parse ``语文,数学`` (full-width comma accepted)."""
    return [s.strip() for s in (text or "").replace("，", ",").split(",") if s.strip()]


def _import_options(args) -> dict:
    options = {"sheet": args.sheet, "exam": args.exam, "grade": args.grade,
               "school": args.school, "roster": args.roster}
    marks = _full_marks(args.full_marks)
    if args.standard:
        from .standard import get_standard

        marks = {**get_standard(args.standard).full_marks, **marks}
    options["full_marks"] = marks
    return {k: v for k, v in options.items() if v not in (None, {})}


def _add_import_options(p: argparse.ArgumentParser, *, for_report: bool = False) -> None:
    if for_report:
        p.add_argument("file", nargs="?", default="", help="成绩表文件（省略则用自带的示例学校）")
    else:
        p.add_argument("file", help="成绩表文件（.xlsx/.xls/.csv）")
        p.add_argument("--sheet", help="只读这个工作表（名称）")
    p.add_argument("--exam", help="考试名称，如 “2025-2026-1 期末”（默认取自表头标题或文件名）")
    p.add_argument("--grade", type=int, help="年级 1–12（表中没有写明时）")
    p.add_argument("--school", help="学校名称（表中没有写明时）")
    p.add_argument("--full-marks", help="各科满分，如 语文=120,数学=120（默认 100）")
    p.add_argument("--roster", help="学生信息表，按学号补全班级")
    p.add_argument("--standard", help="标准：预设名（default、county_teacher…）或学校的 .toml 文件")


def cmd_check(args) -> int:
    from .importing import check_scores

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
    from .importing import read_scores
    from .indicators import summary
    from .labels import to_display

    scores = read_scores(args.file, **_import_options(args))
    by = [b.strip() for b in args.by.split(",") if b.strip()]
    table = summary(scores, by=by, standard=args.standard)
    shown = to_display(table)
    with pd.option_context("display.width", 200, "display.max_columns", 30,
                           "display.unicode.east_asian_width", True):
        print(shown.to_string(index=False))
    if args.out:
        from ._excel import write_sheets

        write_sheets(args.out, {"三率一分": shown})
        print(f"\n已保存：{Path(args.out).resolve()}")
    return 0


def _print_report_result(result: dict) -> None:
    t = result["timings"]
    print("用时：读取 {:.1f} 秒，运行笔记本 {:.1f} 秒，导出 {:.1f} 秒{}".format(
        t.get("import", 0), t.get("execute", 0), t.get("export_html", 0) + t.get("export_pdf", 0),
        f"（PDF 由 {result['pdf_engine']} 生成）" if result.get("pdf_engine") else ""))
    print("完成。报告文件：")
    for kind, path in result["files"].items():
        print(f"  - {kind.upper():5s} {Path(path).resolve()}")


def cmd_report(args) -> int:
    from .report import run_report

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    subjects = _subjects(args.subjects)
    result = run_report(
        args.file, out_dir=args.out, formats=formats, pdf_engine=args.pdf_engine,
        exam=args.exam or "", grade=args.grade or 0, roster_file=args.roster or "",
        teacher_file=args.teachers or "", previous_file=args.previous or "", subjects=subjects,
        standard=args.standard or "default", school=args.school or "",
        full_marks=_full_marks(args.full_marks), mask_names=args.mask_names,
        item_file=args.item_file or "")
    _print_report_result(result)
    return 0


def cmd_growth(args) -> int:
    """纵向分析: 届比较, 追踪, 增值评价, 成长百分位, 趋势 (notebook 02) as HTML, PDF and xlsx."""
    from .growth_report import run_growth_report

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    exams = _subjects(args.exams)  # the same comma-separated list
    result = run_growth_report(
        args.files, out_dir=args.out, formats=formats, pdf_engine=args.pdf_engine,
        exams=exams, grade=args.grade or 5, same_grade_files=args.same_grade or [],
        reference_file=args.reference or "", roster_file=args.roster or "",
        teacher_file=args.teachers or "", subjects=_subjects(args.subjects),
        standard=args.standard or "default", full_marks=_full_marks(args.full_marks))
    _print_report_result(result)
    return 0


def cmd_targets(args) -> int:
    """培优补差.xlsx for the teachers, and the 学困生档案 brought up to date."""
    from .progress import progress
    from .target_workbook import write_targets
    from .targets import targets
    from .term import load_term
    from .tracking import update_tracking

    subjects = _subjects(args.subjects)
    term = load_term(args.file or None, exam=args.exam, grade=args.grade,
                     roster_file=args.roster, teacher_file=args.teachers,
                     previous_file=args.previous, subjects=subjects,
                     full_marks=_full_marks(args.full_marks), school=args.school,
                     standard=args.standard, mask=False)
    print(f"{term.school} {term.grade_name} {term.exam}：{term.scores['student_id'].nunique()} 名学生，"
          f"科目 {'、'.join(term.subjects)}")
    lists = targets(term.scores, standard=term.standard, teachers=term.teachers,
                    previous=term.previous)
    moved = None
    if term.previous is not None:
        moved = progress(term.scores, term.previous, standard=term.standard,
                         teachers=term.teachers)
        counts = moved.accounting["match"].value_counts()
        print(f"与上次考试（{term.previous['exam'].iloc[0]}）对比：两次都在 {counts.get('matched', 0)} 人，"
              f"新来 {counts.get('new', 0)} 人，已离开 {counts.get('left', 0)} 人")
    out = write_targets(args.out, lists, scores=term.scores, progress=moved,
                        mask=args.mask_names)
    names = {"enrichment": "培优", "borderline": "临界", "support": "补差", "lopsided": "偏科"}
    per_list = lists.groupby("list")["student_id"].nunique()
    print("名单人数（按学生计）：" + "，".join(f"{cn} {per_list.get(k, 0)}" for k, cn in names.items()))
    print(f"培优补差名单已保存：{Path(out).resolve()}")
    if args.tracking:
        path = Path(args.tracking)
        tracking = update_tracking(path, term.scores, lists=lists, standard=term.standard,
                                   earlier=term.previous)
        status = tracking.archive["status"].value_counts()
        print(f"学困生档案已更新：{path.resolve()}（{len(tracking.archive)} 人：" +
              "，".join(f"{k} {v}" for k, v in status.items()) + "）")
    return 0


def cmd_demo(args) -> int:
    """The term report of the bundled sample school, plus its import report."""
    from .growth_report import run_growth_report
    from .importing import check_scores
    from .report import run_report
    from .sample import sample_path

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = sample_path(args.exam, grade=args.grade)
    print(f"示例学校：{path.relative_to(path.parents[3])}（{args.exam}，{args.grade} 年级）")
    check_scores(path).to_excel(out / "导入报告.xlsx")
    result = run_report(None, out_dir=out, exam=args.exam, grade=args.grade)
    result["files"]["导入报告"] = out / "导入报告.xlsx"
    _print_report_result(result)
    print("\n培优补差名单和学困生档案：")
    tracking = out / "学困生档案.xlsx"
    tracking.unlink(missing_ok=True)  # the demo starts a new file every time
    cmd_targets(argparse.Namespace(
        file="", exam=args.exam, grade=args.grade, roster=None, teachers=None, previous=None,
        subjects=None, full_marks=None, school=None, standard=None, mask_names=False,
        out=str(out / "培优补差.xlsx"), tracking=str(tracking)))
    print("\n纵向分析（五年级这一届的三个学年）：")
    growth = run_growth_report((), out_dir=out / "纵向分析", grade=args.grade)
    _print_report_result(growth)
    print(f"\n输出文件夹：{out.resolve()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="qualitykit", description="教学质量分析工具包：检查成绩表、计算三率一分、生成质量分析报告和纵向分析。")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="检查成绩表：列出每个问题的位置和改法；有错误时返回非零")
    _add_import_options(p)
    p.add_argument("--out", help="把完整的导入报告保存为 .xlsx")
    p.add_argument("--max-rows", type=int, default=40, help="屏幕上最多显示多少条问题")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("summary", help="三率一分（实考人数、平均分、及格率、优秀率、低分率…）")
    _add_import_options(p)
    p.add_argument("--by", default="class_id,subject", help="分组，默认 class_id,subject")
    p.add_argument("--out", help="保存为 .xlsx")
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("report", help="期中/期末质量分析报告：网页版、PDF 和可编辑的 Word 版")
    _add_import_options(p, for_report=True)
    p.add_argument("--out", default="output/report", help="输出文件夹（默认 output/report）")
    p.add_argument("--teachers", help="教学编排表（教师一节需要）")
    p.add_argument("--previous", help="上次考试的成绩表（纵向对比需要）")
    p.add_argument("--item-file", help="本次考试的小题分表（试卷分析需要）")
    p.add_argument("--subjects", help="只分析这些科目，如 语文,数学")
    p.add_argument("--mask-names", action="store_true", help="会议用导出：学生姓名显示为“张＊”")
    p.add_argument("--formats", default="html,pdf,docx", help="输出格式，默认 html,pdf,docx")
    p.add_argument("--pdf-engine", choices=("chromium", "weasyprint"),
                   help="PDF 生成方式（默认：有 Chromium/Chrome/Edge 用浏览器，否则 WeasyPrint）")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("targets", help="培优补差名单（每班一页）和学困生档案更新")
    _add_import_options(p, for_report=True)
    p.add_argument("--out", default="培优补差.xlsx", help="名单文件（默认 培优补差.xlsx）")
    p.add_argument("--previous", help="上次考试的成绩表：名单变动、进步之星候选需要它")
    p.add_argument("--tracking", help="学困生档案 .xlsx：不存在就新建，存在就加入本次考试（教师填写的内容保留）")
    p.add_argument("--teachers", help="教学编排表：名单上注明任课教师")
    p.add_argument("--subjects", help="只看这些科目，如 语文,数学")
    p.add_argument("--mask-names", action="store_true", help="名单中学生姓名显示为“张＊”")
    p.set_defaults(func=cmd_targets)
    p = sub.add_parser("growth", help="纵向分析：届比较、追踪、增值评价、成长百分位、趋势（网页版、PDF、Excel）")
    p.add_argument("files", nargs="*", help="同一届学生历次考试的成绩表，按时间先后（省略则用示例学校）")
    p.add_argument("--exams", help="各表对应的考试名称，用逗号分开（表中已写明时省略）")
    p.add_argument("--grade", type=int, help="示例学校：最后一次考试时的年级（默认 5）")
    p.add_argument("--same-grade", nargs="*", help="届比较：同一年级其他年份的成绩表")
    p.add_argument("--reference", help="县/区同卷的均分与标准差（列：考试、科目、均分、标准差）")
    p.add_argument("--teachers", help="教学编排表（按教师的增值和趋势需要）")
    p.add_argument("--roster", help="学生信息表，按学号补全班级")
    p.add_argument("--subjects", help="只分析这些科目，如 语文,数学")
    p.add_argument("--full-marks", help="各科满分，如 语文=120,数学=120（默认 100）")
    p.add_argument("--standard", help="标准：预设名或学校的 .toml 文件")
    p.add_argument("--out", default="output/growth", help="输出文件夹（默认 output/growth）")
    p.add_argument("--formats", default="html,pdf,xlsx", help="输出格式，默认 html,pdf,xlsx")
    p.add_argument("--pdf-engine", choices=("chromium", "weasyprint"))
    p.set_defaults(func=cmd_growth)
    p = sub.add_parser("demo", help="在自带的示例学校数据上运行质量分析报告")
    p.add_argument("--out", default="output/demo", help="输出目录（默认 output/demo）")
    p.add_argument("--exam", default="2025-2026-1 期末")
    p.add_argument("--grade", type=int, default=5)
    p.set_defaults(func=cmd_demo)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ScoreFileError as exc:
        print(f"\n{exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, ValueError, RuntimeError) as exc:
        print(f"\n出错了：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
