"""One term's data for the term analysis: the scores, the earlier exam, the teachers.

:func:`load_term` is what the term-analysis notebook calls first: it reads the school's files
(or the bundled sample school when no file is given), applies the standard's full marks,
keeps the chosen subjects and masks names when asked.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..io.checked import checked_path, keep, kept
from ..io.problems import ImportReport, raise_if_errors
from ..schema import align_student_ids
from ..standard import Standard, get_standard

__all__ = ["TermData", "load_term", "mask_names"]

_GRADE_CN = dict(enumerate("一二三四五六七八九", start=1)) | {10: "高一", 11: "高二", 12: "高三"}


@dataclass
class TermData:
    """Everything the term analysis needs, read and checked once.

    Attributes
    ----------
    scores : DataFrame
        The canonical long table of this exam (one grade), subjects with scores. Subjects
        graded in levels only (一、二年级) are in ``levels`` instead.
    report : ImportReport
        How the score file was read (every skipped row is in it).
    previous : DataFrame or None
        The earlier exam for 纵向 comparison.
    teachers : DataFrame or None
        The 教学编排表.
    standard : Standard
    school, exam : str
    grade : int or None
    subjects : list of str
        In teaching order.
    source : str
        The score file (or “示例学校”).
    items : DataFrame or None
        The item (小题) table of this exam when given (:func:`qualitykit.read_items`).
    levels : DataFrame or None
        The rows of the subjects graded in levels only (:func:`qualitykit.level_subjects`),
        None when there are none.
    """

    scores: pd.DataFrame
    report: ImportReport
    previous: pd.DataFrame | None
    teachers: pd.DataFrame | None
    standard: Standard
    school: str
    exam: str
    grade: int | None
    subjects: list[str]
    source: str
    date: str = field(default_factory=lambda: _dt.date.today().isoformat())
    items: pd.DataFrame | None = None
    levels: pd.DataFrame | None = None

    @property
    def n_students(self) -> int:
        """Pupils on the sheet, in subjects with scores or levels."""
        ids = set(self.scores["student_id"])
        return len(ids | set(self.levels["student_id"]) if self.levels is not None else ids)

    @property
    def level_rows(self) -> pd.DataFrame:
        """The rows the 等级分析 reads: the subjects graded in levels, or, on a sheet of scores,
        the scores (turned into 等级 by the standard's bands, :func:`qualitykit.to_levels`)."""
        return self.levels if self.levels is not None else self.scores

    @property
    def levels_only(self) -> bool:
        """Every subject of the sheet is graded in levels (the 等级分析 report applies)."""
        return self.levels is not None and self.scores.empty

    @property
    def grade_name(self) -> str:
        """五年级, 高一 …"""
        if not self.grade:
            return ""
        name = _GRADE_CN.get(self.grade, str(self.grade))
        return name if name.startswith("高") else f"{name}年级"

    @property
    def title(self) -> str:
        """青禾实验小学五年级2025—2026学年第一学期期末教学质量分析"""
        return f"{self.school}{self.grade_name}{exam_title(self.exam)}教学质量分析"


def exam_title(exam: str) -> str:
    """The exam as a title says it.

    >>> exam_title("2025-2026-1 期末"), exam_title("月考")
    ('2025—2026学年第一学期期末', '月考')
    """
    m = re.match(r"(20\d\d)-(20\d\d)(?:-([12]))?\s*(.*)", str(exam))
    if not m:
        return str(exam)
    term = {"1": "第一学期", "2": "第二学期"}.get(m[3] or "", "")
    return f"{m[1]}—{m[2]}学年{term}{m[4]}"


def mask_names(table: pd.DataFrame, column: str = "name") -> pd.DataFrame:
    """Names for a meeting export: the surname and one ＊ per other character (张三 → 张＊).

    >>> mask_names(pd.DataFrame({"name": ["张三", "欧阳娜娜"]}))["name"].tolist()
    ['张＊', '欧＊＊＊']
    """
    out = table.copy()
    if column in out:
        out[column] = out[column].map(
            lambda n: n[0] + "＊" * (len(n) - 1) if isinstance(n, str) and n else n)
    return out


def read_options(std: Standard, full_marks: dict | None, school: str | None,
                 roster_file: str | Path | None) -> dict:
    """``read_scores`` options from notebook parameters: the standard's full marks under the
    given ones; empty parameters ("" or {}) left out."""
    marks = std.full_marks_with(full_marks)
    return {k: v for k, v in {"full_marks": marks, "school": school or None,
                              "roster": roster_file or None}.items() if v}


def _schools_text(names: list[str]) -> str:
    shown = "、".join(names[:6])
    return shown + (f" 等 {len(names)} 所" if len(names) > 6 else "")


def one_school(scores: pd.DataFrame, school: str | None, source: str) -> pd.DataFrame:
    """The rows of one school: a term report is about one school.

    A file of one school (or without a 学校 column) is returned as it is: ``school`` then only
    names it where the sheet does not. A 联考 file of several schools needs ``school`` to pick
    one of them.

    Raises
    ------
    ScoreFileError
        Several schools and no ``school``, or a ``school`` the file does not hold; the message
        lists the schools and says how to choose.
    """
    from ..io.problems import ScoreFileError
    from ..schema import schools_in

    names = schools_in(scores)
    if len(names) <= 1:
        return scores
    how = ("命令行加 --school 学校名，笔记本第一格填 school = \"学校名\""
           f"（如 --school {names[0]}）")
    if not school:
        raise ScoreFileError(
            f"成绩表 {source} 中有 {len(names)} 所学校（{_schools_text(names)}），是多校联考的"
            f"成绩 (several schools in one file)。质量分析报告一次分析一所学校：请{how}。"
            "要把各校放在一起比较（联考分析、每校通报反馈），请用 qualitykit district 文件名。",
            file=source)
    if school not in names:
        raise ScoreFileError(
            f"成绩表 {source} 中没有学校“{school}” (school not in file)；表中的学校有："
            f"{'、'.join(names)}。请照表中的写法填写 --school / school=。", file=source)
    return scores[scores["school"].astype(str) == school].reset_index(drop=True)


def _only_school(scores: pd.DataFrame) -> str | None:
    from ..schema import schools_in

    names = schools_in(scores)
    return names[0] if len(names) == 1 else None


def load_term(score_file: str | Path | None = None, *, exam: str | None = None,
              grade: int | None = None, roster_file: str | Path | None = None,
              teacher_file: str | Path | None = None, previous_file: str | Path | None = None,
              subjects: list[str] | None = None, full_marks: dict | None = None,
              school: str | None = None, standard: Standard | str | None = None,
              mask: bool = False, item_file: str | Path | None = None,
              checked_dir: str | Path | None = None, keep_checked: bool = False) -> TermData:
    """Read one term's files for the term analysis.

    Parameters
    ----------
    score_file : path, optional
        The school's score sheet. Empty: the bundled sample school (``exam`` and ``grade``
        choose the file; its teacher table and last term's 期末 come with it).
    exam, grade : optional
        When the sheet does not say.
    school : str, optional
        The school's name where the sheet does not say it. In a 联考 file of several schools
        (a 学校 column) it chooses the school to analyse (its rows only; the earlier exam's
        file is cut to the same school): the term report is about one school, and such a file
        without ``school`` stops with a message listing its schools.
    roster_file, teacher_file, previous_file : path, optional
        学生信息表, 教学编排表, and the earlier exam's score sheet.
    subjects : list of str, optional
        Keep these subjects (aliases accepted: 语, 数 …); empty keeps all.
    full_marks : dict, optional
        Subject → full mark, over the standard's ``full_marks``.
    standard : Standard, preset name or TOML path
    mask : bool
        Replace pupils' names by 张＊ for a meeting export.
    item_file : path, optional
        The 小题分 file of this exam (试卷分析). The sample school brings its own for
        2025-2026-1 期末, grades 3–6.
    checked_dir : path, optional
        The output folder of ``qualitykit report``, which reads and checks the files before its
        notebook runs and keeps what it read there (:mod:`qualitykit.io.checked`): the
        notebook's kernel takes it instead of reading the same files again, when the files,
        their contents and every other argument are the same. Nothing kept: read as usual.
    keep_checked : bool
        Keep what was read in ``checked_dir`` (the command does; the notebook only takes).

    Raises
    ------
    ScoreFileError
        When the score sheet has errors (the message says where and how to fix them), or holds
        several schools and ``school`` does not choose one of them.

    Examples
    --------
    >>> term = load_term(exam="2025-2026-1 期末", grade=5)
    >>> term.title, term.subjects, term.previous["exam"].iloc[0]
    ('青禾实验小学五年级2025—2026学年第一学期期末教学质量分析', ['语文', '数学', '英语', '科学'], '2024-2025-2 期末')
    """
    arguments = {"score_file": score_file, "exam": exam, "grade": grade,
                 "roster_file": roster_file, "teacher_file": teacher_file,
                 "previous_file": previous_file, "subjects": subjects, "full_marks": full_marks,
                 "school": school, "standard": standard, "mask": mask, "item_file": item_file}
    place = _checked_place(checked_dir, arguments)
    term = kept(place) if place is not None else None
    if term is None:
        term = _load_term(**arguments)
        if place is not None and keep_checked:
            keep(place, term)
    return term


def _checked_place(checked_dir, arguments: dict) -> Path | None:
    """Where :func:`load_term` with ``arguments`` is kept in ``checked_dir`` (None without)."""
    if not checked_dir:
        return None
    files = [arguments[k] for k in ("score_file", "roster_file", "teacher_file", "previous_file",
                                    "item_file")]
    # "not given" as the command says it (None) and as a notebook does ("", 0, {}, "default")
    options = {k: v or None for k, v in arguments.items() if not k.endswith("_file")}
    options["standard"] = get_standard(options["standard"])  # a TOML file by its contents
    return checked_path(checked_dir, files, options)


def _load_term(score_file, *, exam, grade, roster_file, teacher_file, previous_file, subjects,
               full_marks, school, standard, mask, item_file) -> TermData:
    """:func:`load_term`, reading the files."""
    from ..io.scores import read_teachers

    std = get_standard(standard or None)
    grade = grade or None  # 0 / "" from a notebook parameter means "as the sheet says"
    files = {"score_file": score_file, "teacher_file": teacher_file, "item_file": item_file,
             "previous_file": previous_file}
    source = Path(score_file).name if score_file else ""
    if not score_file:
        exam, grade, files, source = _sample_school(exam, grade, files)
    options = read_options(std, full_marks, school, roster_file)
    report, scores = _read_exam(files["score_file"], exam, grade, school, subjects, options)
    previous = _read_previous(files["previous_file"], scores, school, subjects, options)
    if previous is not None and previous.attrs.get("aligned_ids"):
        report.notes.append(aligned_ids_note(previous.attrs["aligned_ids"],
                                             Path(files["previous_file"]).name))
    teachers = read_teachers(files["teacher_file"]) if files["teacher_file"] else None
    items = _read_items(files["item_file"], scores, exam, grade, school)
    scores, levels = _split_levels(scores)
    if mask:
        scores, previous, levels, items = (None if t is None else mask_names(t)
                                           for t in (scores, previous, levels, items))
    return TermData(scores=scores, report=report, previous=previous, teachers=teachers,
                    standard=std, source=source, items=items, levels=levels,
                    **_described(scores, levels, school, exam, grade))


def _sample_school(exam: str | None, grade: int | None,
                   given: dict) -> tuple[str, int, dict, str]:
    """The bundled sample school's exam (2025-2026-1 期末, grade 5 unless said): its files under
    the ones given, and the source the report names."""
    from ..io.sample import SCHOOL, term_files

    exam, grade = exam or "2025-2026-1 期末", grade or 5
    files = term_files(exam, grade) | {k: v for k, v in given.items() if v}
    return exam, grade, files, "示例学校（" + SCHOOL + "）"


def _read_exam(score_file: str | Path, exam: str | None, grade: int | None, school: str | None,
               subjects: list[str] | None, options: dict) -> tuple[ImportReport, pd.DataFrame]:
    """This exam's sheet read and checked (stops on errors), one school, the chosen subjects."""
    from ..io.scores import check_scores

    report = check_scores(score_file, exam=exam or None, grade=grade, **options)
    raise_if_errors(report, score_file, strict=True)
    _one_exam(report.data, Path(score_file).name)
    scores = one_school(report.data, school, Path(score_file).name)
    return report, _keep_subjects(scores, subjects) if subjects else scores


def _one_exam(data: pd.DataFrame, file: str) -> None:
    """Stop on a workbook holding several exams (one sheet per exam: 七上期中, 七上期末 …):
    a term analysis is of one exam."""
    exams = list(pd.unique(data["exam"]))
    if len(exams) > 1:
        sheets = data.drop_duplicates("exam").set_index("exam")["source_sheet"]
        shown = "、".join(f"{e}（工作表「{sheets[e]}」）" for e in exams[:6])
        raise ValueError(
            f"{file} 有 {len(exams)} 次考试的成绩：{shown} (several exams in one file)。质量分析一次分析"
            "一次考试：请把本次考试的工作表另存为一个文件再分析，上次考试的另存一个文件用 --previous 给出；"
            "纵向分析（qualitykit growth）可以直接读这个文件。")


def _keep_subjects(scores: pd.DataFrame, subjects: list[str]) -> pd.DataFrame:
    """The rows of the chosen subjects (aliases accepted); a subject the sheet lacks stops."""
    from ..subjects import canonical_subject, subjects_in_order

    wanted = [canonical_subject(s) or s for s in subjects]
    missing = [s for s in wanted if s not in set(scores["subject"])]
    if missing:
        raise ValueError(f"subjects 中的科目 {missing} 不在成绩表中；表中有："
                         f"{subjects_in_order(scores['subject'].unique())}。")
    return scores[scores["subject"].isin(wanted)].reset_index(drop=True)


def _read_previous(previous_file: str | Path | None, scores: pd.DataFrame, school: str | None,
                   subjects: list[str] | None, options: dict) -> pd.DataFrame | None:
    """The earlier exam, cut to this exam's school and subjects, its 学号 written as this
    exam's where they differ only by leading zeros (:func:`qualitykit.schema.align_student_ids`)."""
    if not previous_file:
        return None
    from ..io.scores import read_scores

    previous = read_scores(previous_file, **{k: v for k, v in options.items() if k != "roster"})
    previous = one_school(previous, school or _only_school(scores), Path(previous_file).name)
    previous = align_student_ids(previous, scores)  # 012001 now, 12001 typed as a number then
    if subjects:
        aligned = previous.attrs["aligned_ids"]
        previous = previous[previous["subject"].isin(scores["subject"].unique())]
        previous.attrs["aligned_ids"] = aligned
    return previous


#: The start of the import report's note on 学号 matched without their leading zeros.
ALIGNED_IDS = "学号开头的 0"


def aligned_ids_note(n: int, previous_file: str) -> str:
    """The import report's note on the pupils of the previous exam whose 学号 was matched to
    this exam's without its leading zeros (:func:`qualitykit.schema.align_student_ids`).

    >>> aligned_ids_note(3, "期中.xlsx")[:31]
    '上次考试成绩表（期中.xlsx）中 3 名学生的学号开头的 0'
    """
    return (f"上次考试成绩表（{previous_file}）中 {n} 名学生的{ALIGNED_IDS}被 Excel 去掉了"
            f"（例如本次 012001、上次 12001），已按本次的写法对应为同一名学生 (student_id "
            "matched without leading zeros)。如果其中有不是同一人的，请把两次成绩表的学号改成"
            "一致的写法（在 Excel 中把学号列设为“文本”格式后重新输入）。")


def _read_items(item_file: str | Path | None, scores: pd.DataFrame, exam: str | None,
                grade: int | None, school: str | None) -> pd.DataFrame | None:
    """The 小题分 table of this exam, when there is a file."""
    if not item_file:
        return None
    from ..io.items import read_items

    return read_items(item_file, exam=str(scores["exam"].iloc[0]) if len(scores) else exam,
                      grade=grade, school=school or None)


def _described(scores: pd.DataFrame, levels: pd.DataFrame | None, school: str | None,
               exam: str | None, grade: int | None) -> dict:
    """The term's ``school``, ``exam``, ``grade`` and ``subjects`` as its rows say (the values
    given where the rows do not)."""
    from ..subjects import subjects_in_order

    everything = scores if levels is None else pd.concat([scores, levels], ignore_index=True)
    grades = everything["grade"].dropna().unique()
    return {"school": school or (everything["school"].dropna().iloc[0]
                                 if everything["school"].notna().any() else ""),
            "exam": str(everything["exam"].iloc[0]) if len(everything) else (exam or ""),
            "grade": int(grades[0]) if len(grades) == 1 else grade,
            "subjects": subjects_in_order(everything["subject"].unique())}


def _split_levels(scores: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(rows of subjects with scores, rows of subjects graded in levels only or None)."""
    from .levels import level_subjects


    graded = scores["subject"].isin(level_subjects(scores))
    if not graded.any():
        return scores, None
    return (scores[~graded].reset_index(drop=True), scores[graded].reset_index(drop=True))
