"""``qualitykit register`` and ``qualitykit review``: read the term's files as the term report
does (:func:`qualitykit.load_term`), update the 台账, and say in Chinese what changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = ["run_register", "run_review"]


def run_register(score_file: str | Path | None, *, out: str | Path,
                 log: Callable[[str], None] = print, **options) -> dict:
    """Create or extend the 质量目标与整改台账 with this exam's 存在问题.

    Parameters
    ----------
    score_file : path, optional
        This exam's score sheet; empty: the sample school.
    out : path
        The 台账 .xlsx (created when missing; otherwise this exam's problems are added and
        every teacher's cell kept).
    log : callable
        Called with each line of text.
    **options
        :func:`qualitykit.load_term`'s options (``exam``, ``grade``, ``teacher_file`` …).

    Returns
    -------
    dict
        ``file`` (the 台账), ``n_rows``, ``n_new`` (rows this run added).
    """
    from ..term.load import load_term
    from .register import Register, update_register

    before = _rows_before(out, Register)
    term = load_term(score_file or None, mask=False, **options)
    log(f"{term.school} {term.grade_name} {term.exam}：{term.scores['student_id'].nunique()} 名学生，"
        f"科目 {'、'.join(term.subjects)}")
    register = update_register(out, term.scores, teachers=term.teachers, standard=term.standard)
    n_new = len(register.rows) - before
    open_rows = int((register.rows["status"] != "已达成").sum())
    log(f"整改台账已保存：{Path(out).resolve()}（共 {len(register.rows)} 个问题，本次新增 {n_new} 个，"
        f"待回头看 {open_rows} 个）")
    log("请在“整改台账”工作表填写措施、责任人、期限和目标（如 及格率≥90%、优秀率+5、位次上升2），"
        "下次考试后运行 qualitykit review 回头看。")
    return {"file": Path(out).resolve(), "n_rows": len(register.rows), "n_new": n_new}


def _rows_before(path: str | Path, register_class) -> int:
    """Rows of the 台账 before this run (0 for a new one); an unreadable file stops here."""
    return len(register_class.read(path).rows) if Path(path).exists() else 0


def run_review(register_file: str | Path, score_file: str | Path | None, *,
               out: str | Path | None = None, log: Callable[[str], None] = print,
               **options) -> dict:
    """回头看 of the 台账 at a new exam: each open problem judged, the 两率名次 added.

    Parameters
    ----------
    register_file : path
        The 台账 (:func:`run_register` wrote it).
    score_file : path, optional
        The new exam's score sheet; empty: the sample school.
    out : path, optional
        Write the result there instead of back into ``register_file``.
    **options
        :func:`qualitykit.load_term`'s options; its ``previous_file`` is used for the 两率名次
        change only when the 台账 holds no earlier exam.

    Returns
    -------
    dict
        ``file``, ``counts`` (verdict → rows), ``actions`` (action → rows).
    """
    from ..term.load import load_term
    from .register import Register
    from .review import review

    Register.read(register_file)  # a file that is not a 台账 stops before any work
    term = load_term(score_file or None, mask=False, **options)
    result = review(register_file, term.scores, teachers=term.teachers,
                    standard=term.standard, previous=term.previous, out=out)
    target = Path(out or register_file).resolve()
    counts = result.judged["attainment"].value_counts().to_dict()
    actions = result.judged["action"].value_counts().to_dict()
    if result.judged.empty:
        log(f"回头看 {term.exam}：台账中没有在此之前提出、尚未达成的问题。")
    else:
        log(f"回头看 {term.exam}：判断了 {len(result.judged)} 个问题：" + "，".join(
            f"{k} {v} 个" for k, v in counts.items()) + "；处理：" + "，".join(
            f"{k} {v} 个" for k, v in actions.items()) + "。")
        redo = result.judged.loc[result.judged["action"] == "重新制定", "row_id"].tolist()
        if redo:
            log(f"需要重新制定的问题（请在“整改台账”中修改措施和目标，下次回头看从本次考试起重新判断）："
                f"{'、'.join(redo)}")
    log(f"两率名次（及格率、优秀率，班级和教师）已写入“两率名次”工作表；台账已保存：{target}")
    return {"file": target, "counts": counts, "actions": actions}
