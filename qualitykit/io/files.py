"""Paths given by a person, checked once at the boundary (private).

A teacher types ``qualitykit report 五年级期末.xlsx --out 报告/`` in her own folder; the notebook
behind the report runs in the output folder, where that relative name means nothing. So every
path is made absolute here, once, and checked before any slow step: a missing file, a folder
where a file is expected, an empty or unreadable file each get one Chinese sentence that names
the option, the path and what to do. What is *in* a readable file is the importer's business.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["InputFileError", "absolute", "input_file", "output_file", "output_folder",
           "output_workbook", "standard_file", "workbook_path"]


class InputFileError(ValueError):
    """A path option that cannot be used as given: ``"{option} {path}：{reason}"``, one line.

    Attributes
    ----------
    option : str
        The option or parameter, as the person wrote it (``--teachers``, ``teacher_file``).
    path : str
        The path as given.
    reason : str
        What is wrong and what to do (Chinese).
    """

    def __init__(self, option: str, path: str, reason: str):
        super().__init__(f"{option} {path}：{reason}")
        self.option, self.path, self.reason = option, path, reason


def absolute(path: str | os.PathLike | None) -> str:
    """The path made absolute against the current folder; empty stays empty.

    >>> absolute(""), absolute(None), absolute("/tmp/a/../b.xlsx")
    ('', '', '/tmp/b.xlsx')
    """
    if path is None or str(path) == "":
        return ""
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


def _given(path: str | os.PathLike) -> tuple[str, Path]:
    """The path as the person gave it, and made absolute."""
    given = os.fspath(path)
    return given, Path(absolute(given))


def _where(path: str) -> str:
    """Where a relative path was looked for."""
    return "" if os.path.isabs(path) else f"（当前文件夹是 {os.getcwd()}）"


def input_file(path: str | os.PathLike, option: str) -> Path:
    """An existing, non-empty, readable file, as an absolute path.

    Raises
    ------
    InputFileError
        Missing, a folder, empty (0 bytes) or unreadable; the message names ``option``.

    Examples
    --------
    >>> input_file("没有这个文件.xlsx", "--teachers")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    qualitykit.io.files.InputFileError: --teachers 没有这个文件.xlsx：找不到这个文件（当前文件夹是 ...
    """
    given, full = _given(path)
    if not full.exists():
        raise InputFileError(option, given, f"找不到这个文件{_where(given)}。请检查文件名"
                             "（含扩展名，如 .xlsx）和所在文件夹，或写出完整路径。")
    if full.is_dir():
        raise InputFileError(option, given, "这是一个文件夹，这里需要一个文件。请写出文件夹里的"
                             f"文件名，如 {Path(given) / '成绩.xlsx'}。")
    try:
        with full.open("rb") as handle:
            first = handle.read(1)
    except OSError as exc:
        raise InputFileError(option, given, f"文件无法读取（{exc.strerror or exc}）。请检查文件"
                             "权限，或在 Excel/WPS 中关闭它、复制到自己的文件夹后再试。") from exc
    if not first:
        raise InputFileError(option, given, "文件是空的（0 字节）。请在 Excel/WPS 中打开确认"
                             "内容并保存，或重新导出后再试。")
    return full


def output_folder(path: str | os.PathLike, option: str) -> Path:
    """A folder to write into (created later), as an absolute path; not an existing file."""
    given, full = _given(path)
    if full.exists() and not full.is_dir():
        raise InputFileError(option, given, "这是一个文件，这里需要输出文件夹。请换一个文件夹名，"
                             "如 报告/。")
    return full


def output_file(path: str | os.PathLike, option: str) -> Path:
    """A file to write (its folder is created later), as an absolute path; not a folder."""
    given, full = _given(path)
    if full.is_dir():
        raise InputFileError(option, given, "这是一个文件夹，这里需要要保存的文件名。请在后面加上"
                             f"文件名，如 {Path(given) / '结果.xlsx'}。")
    return full


#: Names of other spreadsheet files, which a command that writes one .xlsx refuses.
_OTHER_SHEETS = (".xls", ".xlsm", ".xlsb", ".et", ".ods", ".csv")


def output_workbook(path: str | os.PathLike, option: str) -> Path:
    """Where a command that writes one workbook writes it, as an absolute path: a name ending
    in ``.xlsx`` (not an existing folder) is that file, anything else a folder
    (:func:`output_folder`); another spreadsheet name (``.xls``, ``.csv`` …) is refused.

    >>> output_workbook("上线分析.xlsx", "--out").name, output_workbook("结果", "--out").name
    ('上线分析.xlsx', '结果')
    """
    given, full = _given(path)
    if full.is_dir():
        return full
    if full.suffix.lower() == ".xlsx":
        return full
    if full.suffix.lower() in _OTHER_SHEETS:
        raise InputFileError(option, given, f"这里只能保存为 .xlsx 文件：请写 {full.stem}.xlsx，"
                             f"或写一个文件夹（如 {full.stem}/），结果保存在文件夹里。")
    return output_folder(path, option)


def workbook_path(out: str | os.PathLike, name: str) -> Path:
    """The workbook a command writes for ``--out out`` (:func:`output_workbook`): ``out``
    itself when it names an .xlsx file, else ``name`` inside the folder ``out``.

    >>> workbook_path("报告/上线.xlsx", "上线分析.xlsx").as_posix(), workbook_path("报告", "上线分析.xlsx").as_posix()
    ('报告/上线.xlsx', '报告/上线分析.xlsx')
    """
    out = Path(out)
    return out if out.suffix.lower() == ".xlsx" and not out.is_dir() else out / name


def standard_file(standard: str | None, option: str) -> str | None:
    """A standard given as a ``.toml`` file: checked and made absolute; a preset name as is."""
    if not standard or not str(standard).lower().endswith(".toml"):
        return standard
    return str(input_file(standard, option))
