"""``qualitykit fitness``: read this year's (and last year's) 体测 files, score them by the 2014
standard, and write the 体质健康分析 (PDF, Word, Excel) with the import report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..io.files import input_file, output_folder

__all__ = ["run_fitness", "FORMATS"]

FORMATS = ("pdf", "docx", "xlsx", "html")


def _scored(paths, option: str, sheet):
    """The files read and scored: (scores, import problems, measurements)."""
    from ..io.files import InputFileError
    from .read import read_fitness
    from .score import score_fitness

    files = [input_file(p, option) for p in ([paths] if isinstance(paths, (str, Path)) else paths)]
    if not files:
        raise InputFileError(option, "", "没有给出体测文件。")
    measurements, report = read_fitness(files, sheet=sheet)
    if measurements.empty:
        raise ValueError(f"{option}：没有读到任何学生的测试成绩（fitness measurements）。请检查表头"
                         "（学籍号、姓名、性别、年级、班级、各测试项目）和数据行。")
    return score_fitness(measurements), report, measurements


def run_fitness(files, *, out_dir: str | Path = "output/fitness", previous=None,
                sheet=None, mask: bool = False, formats=("pdf", "docx", "xlsx"),
                pdf_engine: str | None = None, log: Callable[[str], None] = print) -> dict:
    """Read, score, analyse and write the 体质健康分析.

    Parameters
    ----------
    files : path or list of paths
        This year's 体测 export(s).
    out_dir : path
        The output folder (created).
    previous : path or list of paths, optional
        Last year's export(s): change for the same pupils.
    sheet : name or index, optional
        Read only this sheet of each file.
    mask : bool
        Names as 张＊ in the 不及格 list and the workbook.
    formats : tuple
        Among ``pdf``, ``docx``, ``xlsx``, ``html``.

    Returns
    -------
    dict
        ``files`` (format → path, plus ``import`` for 导入报告.xlsx), ``report`` (the
        :class:`~qualitykit.fitness.report.FitnessReport`), ``import`` (the ImportReport).
    """
    from ..report.runner import check_formats
    from .report import fitness_report, write_fitness

    check_formats(tuple(formats), FORMATS)
    out = output_folder(out_dir, "--out")
    log("[1/3] 读取体测文件……")
    scores, imported, measurements = _scored(files, "体测文件", sheet)
    previous_scores = _scored(previous, "--previous", sheet)[0] if previous else None
    log("[2/3] 计分与分析……")
    report = fitness_report(scores, previous=previous_scores, import_problems=imported.problems,
                            mask=mask, measurements=measurements)
    log("[3/3] 写出报告……")
    written = write_fitness(out, report, formats=formats, pdf_engine=pdf_engine, mask=mask)
    imported.to_excel(out / "导入报告.xlsx")
    written["import"] = out / "导入报告.xlsx"
    return {"files": written, "report": report, "import": imported}
