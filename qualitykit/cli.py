"""The ``qualitykit`` command: check a score sheet, print 三率一分, run the demo."""

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


def _import_options(args) -> dict:
    options = {"sheet": args.sheet, "exam": args.exam, "grade": args.grade,
               "school": args.school, "roster": args.roster}
    marks = _full_marks(args.full_marks)
    if args.standard:
        from .standard import get_standard

        marks = {**get_standard(args.standard).full_marks, **marks}
    options["full_marks"] = marks
    return {k: v for k, v in options.items() if v not in (None, {})}


def _add_import_options(p: argparse.ArgumentParser) -> None:
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


def cmd_demo(args) -> int:
    """Import, check and summarise the bundled sample school; write the files."""
    from ._excel import write_sheets
    from .importing import check_scores
    from .indicators import all_pass_rate, summary
    from .labels import to_display
    from .sample import sample_path

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    exam, grade = args.exam, args.grade
    path = sample_path(exam, grade=grade)
    print(f"[1/3] 导入示例学校成绩：{path.relative_to(path.parents[3])}")
    report = check_scores(path)
    print("\n".join("      " + line for line in report.summary_lines()))
    report.to_excel(out / "导入报告.xlsx")
    scores = report.data
    print("[2/3] 计算三率一分（按班级 × 科目）")
    by_class = summary(scores, by=["class_id", "subject"])
    by_subject = summary(scores, by=["subject"])
    all_pass = all_pass_rate(scores, by=["class_id"])
    write_sheets(out / "三率一分.xlsx", {
        "班级×科目": to_display(by_class, intervals=True),
        "年级×科目": to_display(by_subject, intervals=True),
        "全科合格率": to_display(all_pass, intervals=True),
    })
    print("[3/3] 写出结果")
    with pd.option_context("display.width", 200, "display.unicode.east_asian_width", True):
        cols = ["subject", "n_enrolled", "n_sat", "mean", "pass_rate", "excellent_rate",
                "low_rate", "composite"]
        print(to_display(by_subject[cols]).to_string(index=False))
    print(f"\n完成。输出在：{out.resolve()}")
    for f in sorted(out.iterdir()):
        print(f"  - {f.name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="qualitykit", description="教学质量分析工具包：检查成绩表、计算三率一分。")
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
    p = sub.add_parser("demo", help="在自带的示例学校数据上运行")
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
    except (FileNotFoundError, ValueError) as exc:
        print(f"\n出错了：{exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
