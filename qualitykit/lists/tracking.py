"""学困生档案: the tracking file a school keeps of its struggling students, exam after exam.

The file is an Excel workbook with two sheets:

- ``学困生档案`` (:data:`ARCHIVE_COLUMNS`): one row per student ever on the 补差 list: when he
  was first flagged, the exams he was on the list, his trend, where he is now (``在列``,
  ``已出列`` = left the list, ``已转出``, ``未参加最近考试``, ``教师列入``), and the teachers'
  columns: ``帮扶措施`` (free text) and ``列入原因``: a teacher adds a 后进生 by observation
  (a row with his 学号 and the reason), and every update keeps him. Teachers may add columns
  of their own; updates keep them all.
- ``历次记录`` (:data:`HISTORY_COLUMNS`): one row per tracked student × exam, the evidence.

Updating with a new exam appends its records; updating again with the same exam replaces them,
so a re-run changes nothing. Students are matched by ``student_id``: a transfer out (not in the
new exam) or a class change never loses or duplicates a student. A student flagged by mistake
disappears on a corrected re-run unless a teacher already wrote about him.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._text import norm
from ..schema import check_scores_table, sat_rows
from ..term.distribution import standardize
from .targets import grade_scope, targets

__all__ = ["Tracking", "update_tracking", "ARCHIVE_COLUMNS", "HISTORY_COLUMNS", "ATTENDANCE",
           "TREND_Z", "from_headers", "free_text"]

#: Identifier → the header a teacher reads in the file.
ARCHIVE_COLUMNS = {
    "student_id": "学号", "name": "姓名", "class_id": "班级", "class_history": "班级变动",
    "first_flagged": "首次列入", "n_flagged": "列入次数", "exams_flagged": "列入的考试",
    "subjects": "最近列入科目", "z_trend": "平均Z走势", "trend": "趋势", "status": "当前状态",
    "last_exam": "最近考试", "measures": "帮扶措施（教师填写）",
    "added_reason": "列入原因（教师观察列入的后进生填写）",
}
#: Columns a file written by an earlier version may lack (added empty when read).
_OPTIONAL = ("added_reason",)
#: Teachers' columns: kept on every update.
TEACHER_COLUMNS = ("measures", "added_reason")
HISTORY_COLUMNS = {
    "seq": "序号", "exam": "考试", "student_id": "学号", "name": "姓名", "class_id": "班级",
    "attendance": "参加情况", "on_list": "在补差名单", "subjects": "列入科目", "scores": "各科成绩",
    "mean_z": "平均Z", "mean_rate": "平均得分率",
}
#: ``attendance`` codes → what the file says.
ATTENDANCE = {"sat": "参加", "transferred": "已转出", "missing": "未参加"}
#: A change in mean Z of at least this much between the first and the latest exam is a trend.
TREND_Z = 0.2
_SHEETS = ("学困生档案", "历次记录")
_HELP = pd.DataFrame({"说明": [
    "本文件由 qualitykit 生成和更新（qualitykit targets 成绩表 --tracking 本文件）。",
    "“学困生档案”每个学生一行；只需填写“帮扶措施（教师填写）”列，也可以在右边增加自己的列，更新时都会保留。",
    "后进生：根据平时观察把不在补差名单上的学生加入档案时，在最后新增一行，填写学号、姓名、班级和"
    "“列入原因（教师观察列入的后进生填写）”；以后每次更新都保留他，当前状态写“教师列入”。",
    "请不要修改“学号”列：更新时按学号找到同一个学生（转班、转学都不会丢失或重复）。",
    "“历次记录”是每次考试的依据，由程序维护；同一次考试重新更新只会替换这次的记录。",
    "当前状态：在列 = 最近一次考试仍在补差名单；已出列 = 参加了考试但不在名单（进步）；"
    "已转出 = 成绩表中标为转学；未参加最近考试 = 最近一次成绩表中没有该生。",
    f"趋势：比较首次列入与最近一次的平均 Z 分数，变化达到 {TREND_Z} 以上为上升或下降。",
]})


@dataclass(frozen=True)
class Tracking:
    """A 学困生档案: ``archive`` (one row per student) and ``history`` (student × exam)."""

    archive: pd.DataFrame
    history: pd.DataFrame

    @classmethod
    def empty(cls) -> Tracking:
        return cls(pd.DataFrame(columns=list(ARCHIVE_COLUMNS)),
                   pd.DataFrame(columns=list(HISTORY_COLUMNS)))

    @classmethod
    def read(cls, path: str | Path) -> Tracking:
        """Read a tracking file written by :meth:`write` (and edited by teachers)."""
        path = Path(path)
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=object, engine="calamine")
        except Exception as exc:
            raise ValueError(f"无法读取学困生档案 {path.name}：{exc}。请确认它是 qualitykit 生成的 .xlsx 文件。") \
                from exc
        missing = [s for s in _SHEETS if s not in sheets]
        if missing:
            raise ValueError(f"{path.name} 不是 qualitykit 的学困生档案：缺少工作表 {missing}"
                             f"（tracking file needs sheets {list(_SHEETS)}）。")
        archive = from_headers(sheets[_SHEETS[0]], ARCHIVE_COLUMNS, path.name, _SHEETS[0],
                               optional=_OPTIONAL)
        history = from_headers(sheets[_SHEETS[1]], HISTORY_COLUMNS, path.name, _SHEETS[1])
        history["on_list"] = history["on_list"].map({"是": True, "否": False, True: True,
                                                     False: False})
        history["attendance"] = history["attendance"].map(
            {cn: code for code, cn in ATTENDANCE.items()})
        history["seq"] = pd.to_numeric(history["seq"]).astype(int)
        for col in ("mean_z", "mean_rate"):
            history[col] = pd.to_numeric(history[col], errors="coerce")
        for column in TEACHER_COLUMNS:
            archive[column] = free_text(archive[column])
        return cls(archive, history)

    def write(self, path: str | Path) -> Path:
        """Write the file (Chinese headers, cells safe against formula injection)."""
        from ..io.excel import write_sheets
        history = self.history.copy()
        history["on_list"] = history["on_list"].map({True: "是", False: "否"})
        history["attendance"] = history["attendance"].map(ATTENDANCE)
        return write_sheets(path, {
            _SHEETS[0]: self.archive.rename(columns=ARCHIVE_COLUMNS),
            _SHEETS[1]: history.rename(columns=HISTORY_COLUMNS), "说明": _HELP})

    @property
    def exams(self) -> list[str]:
        """The exams in the file, in the order they were added."""
        return list(self.history.sort_values("seq")["exam"].drop_duplicates())


def free_text(column: pd.Series) -> pd.Series:
    """Teachers' free text: empty cells as "", everything else as text."""
    return column.astype(object).where(column.notna(), "").astype(str)


def from_headers(frame: pd.DataFrame, columns: dict[str, str], file: str, sheet: str, *,
                 key: str = "student_id", optional: tuple[str, ...] = (),
                 key_text=norm) -> pd.DataFrame:
    """A sheet of a workbook the kit keeps (学困生档案, 整改台账) read back: headers to
    identifiers, the school's own extra columns kept as they are, rows without ``key`` dropped.

    Columns in ``optional`` (added in a later version of the kit) are added empty when an older
    file lacks them; every other column of ``columns`` must be there. ``key_text`` turns a key
    cell into text (:func:`qualitykit._text.norm` by default: full-width to half-width, no
    spaces).
    """
    from ..io.excel import unsafe_cell
    back = {cn: ident for ident, cn in columns.items()}
    frame = frame.assign(**{columns[c]: "" for c in optional if columns[c] not in frame.columns})
    missing = [cn for cn in columns.values() if cn not in frame.columns]
    if missing:
        raise ValueError(f"{file} 的工作表「{sheet}」缺少列 {missing}（missing columns）；"
                         "请不要删除或改名 qualitykit 写入的列。")
    frame = frame.rename(columns=back).map(unsafe_cell)
    frame[key] = frame[key].map(key_text)
    return frame[frame[key] != ""].reset_index(drop=True)


def update_tracking(tracking: Tracking | str | Path | None, scores: pd.DataFrame, *,
                    lists: pd.DataFrame | None = None, standard=None,
                    earlier: pd.DataFrame | None = None,
                    out: str | Path | None = None) -> Tracking:
    """Add one exam to the 学困生档案.

    Parameters
    ----------
    tracking : Tracking, path or None
        The school's tracking file (created when the path does not exist yet), a
        :class:`Tracking`, or None to start a new one.
    scores : DataFrame
        The exam's canonical long table (one exam; every student of the grade, so that students
        who left the list are seen).
    lists : DataFrame, optional
        :func:`qualitykit.targets` of this exam; computed with ``standard`` when omitted. Its
        ``support`` rows put students on the list.
    earlier : DataFrame, optional
        Earlier exams to start a *new* file with (e.g. last term's 期末), so that its first
        version already shows who was on the list before; ignored when the file exists.
    out : path, optional
        Where to write; by default back to ``tracking`` when it is a path.

    Returns
    -------
    Tracking

    Examples
    --------
    >>> import qualitykit as qk
    >>> t = qk.update_tracking(None, qk.load_sample(exam="2025-2026-1 期中", grade=5))
    >>> t = qk.update_tracking(t, qk.load_sample(exam="2025-2026-1 期末", grade=5))
    >>> t.exams, bool(t.archive["student_id"].is_unique)
    (['2025-2026-1 期中', '2025-2026-1 期末'], True)
    """
    path = Path(tracking) if isinstance(tracking, (str, Path)) else None
    current = _opened(tracking, path)
    if earlier is not None and current.history.empty:
        for _, exam_scores in sorted(earlier.groupby("exam"), key=lambda item: str(item[0])):
            current = update_tracking(current, exam_scores, standard=standard)
    exams = scores["exam"].dropna().unique()
    if len(exams) != 1:
        raise ValueError(f"update_tracking 每次加入一次考试，表中有 {list(exams)}。")
    check_scores_table(scores, where="update_tracking")
    exam = str(exams[0])
    if lists is None:
        lists = targets(scores, standard=standard, lists=("support",))
    support = lists[lists["list"] == "support"]
    history = current.history[current.history["exam"] != exam]
    tracked = _tracked(current, history, support)
    rows = _exam_rows(scores, support, tracked, exam, _exam_seq(current.history, exam), current)
    history = pd.concat([history, rows], ignore_index=True) if len(history) else rows
    history = history[history["student_id"].isin(tracked)]
    history = history.sort_values(["seq", "class_id", "student_id"]).reset_index(drop=True)
    result = Tracking(_archive(history, current.archive), history)
    target = out or path
    if target is not None:
        result.write(target)
    return result


def _opened(tracking: Tracking | str | Path | None, path: Path | None) -> Tracking:
    """The tracking file as it is (a new, empty one when there is none yet)."""
    if path is not None:
        return Tracking.read(path) if path.exists() else Tracking.empty()
    return tracking if tracking is not None else Tracking.empty()


def _exam_seq(history: pd.DataFrame, exam: str) -> int:
    """The exam's number in the file: its old one when it is updated again, else the next."""
    if (history["exam"] == exam).any():
        return int(history.loc[history["exam"] == exam, "seq"].iloc[0])
    return int(history["seq"].max()) + 1 if len(history) else 1


def _tracked(current: Tracking, history: pd.DataFrame, support: pd.DataFrame) -> list[str]:
    """Who the file follows: everyone on the 补差 list before or now, and everyone a teacher
    wrote about or added (a pupil flagged by mistake and never written about drops out on a
    re-run)."""
    archive = current.archive
    written = pd.Series(False, index=archive.index)
    for column in TEACHER_COLUMNS:
        if column in archive:
            written |= free_text(archive[column]).str.strip() != ""
    noted = set(archive.loc[written, "student_id"])
    flagged_before = set(history.loc[history["on_list"].astype(bool), "student_id"])
    return sorted(flagged_before | noted | set(support["student_id"]))


def _exam_rows(scores, support, tracked, exam, seq, current) -> pd.DataFrame:
    """This exam's record of every tracked student, present or not."""
    sat = sat_rows(scores)
    z = standardize(sat, within=grade_scope(sat))
    z = z.assign(rate=z["score"] / z["full_mark"])
    per_student = z.groupby("student_id").agg(mean_z=("z", "mean"), mean_rate=("rate", "mean"))
    who = scores.drop_duplicates("student_id").set_index("student_id")
    transferred = scores.groupby("student_id")["status"].agg(
        lambda s: bool(len(s)) and s.eq("transferred").all())
    on_list = support.groupby("student_id")["subject"].agg(
        lambda s: "、".join(dict.fromkeys(s)))
    scores_text = support.assign(text=support["subject"] + " " + support["score"].map(
        lambda x: f"{x:g}")).groupby("student_id")["text"].agg("；".join)
    last_known = (current.history.sort_values("seq").groupby("student_id").last()
                  if len(current.history) else pd.DataFrame(columns=["name", "class_id"]))
    typed = current.archive.drop_duplicates("student_id").set_index("student_id")
    last_known = pd.concat([last_known[["name", "class_id"]], typed.loc[
        ~typed.index.isin(last_known.index), ["name", "class_id"]]])
    rows = []
    for sid in tracked:
        attendance = ("missing" if sid not in who.index else
                      "transferred" if transferred.get(sid, False) else "sat")
        present = attendance == "sat"
        known = last_known.loc[sid] if sid in last_known.index else None
        name = who.at[sid, "name"] if sid in who.index else (known["name"] if known is not None
                                                             else "")
        class_id = who.at[sid, "class_id"] if sid in who.index else (
            known["class_id"] if known is not None else "")
        rows.append({
            "seq": seq, "exam": exam, "student_id": sid, "name": name, "class_id": class_id,
            "attendance": attendance, "on_list": sid in on_list.index,
            "subjects": on_list.get(sid, ""), "scores": scores_text.get(sid, ""),
            "mean_z": per_student["mean_z"].get(sid, np.nan) if present else np.nan,
            "mean_rate": per_student["mean_rate"].get(sid, np.nan) if present else np.nan,
        })
    frame = pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
    frame["mean_z"] = frame["mean_z"].astype(float).round(3)
    frame["mean_rate"] = frame["mean_rate"].astype(float).round(4)
    return frame


def _archive(history: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """One row per tracked student, recomputed from the history; teachers' columns kept."""
    latest_seq = history["seq"].max()
    rows = []
    for sid, h in history.sort_values("seq").groupby("student_id", sort=False):
        flagged = h[h["on_list"].astype(bool)]
        present = h[h["attendance"].eq("sat")]
        last = h.iloc[-1]
        classes = list(dict.fromkeys(c for c in present["class_id"] if isinstance(c, str) and c))
        zs = present["mean_z"].dropna()
        if not flagged.empty:
            zs = present.loc[present["seq"] >= flagged["seq"].min(), "mean_z"].dropna()
        trend = "—"
        if len(zs) >= 2:
            change = zs.iloc[-1] - zs.iloc[0]
            trend = "上升" if change >= TREND_Z else "下降" if change <= -TREND_Z else "持平"
        at_latest = h[h["seq"] == latest_seq]
        if at_latest.empty:
            status = "未参加最近考试"
        else:
            row = at_latest.iloc[0]
            status = ("在列" if row["on_list"] else "已出列" if row["attendance"] == "sat" else
                      "已转出" if row["attendance"] == "transferred" else "未参加最近考试")
        rows.append({
            "student_id": sid, "name": last["name"],
            "class_id": classes[-1] if classes else last["class_id"],
            "class_history": " → ".join(classes),
            "first_flagged": flagged["exam"].iloc[0] if len(flagged) else "",
            "n_flagged": len(flagged), "exams_flagged": "；".join(flagged["exam"]),
            "subjects": flagged["subjects"].iloc[-1] if len(flagged) else "",
            "z_trend": " → ".join(f"{z:.2f}" for z in zs), "trend": trend, "status": status,
            "last_exam": present["exam"].iloc[-1] if len(present) else "",
        })
    archive = pd.DataFrame(rows, columns=[c for c in ARCHIVE_COLUMNS if c not in TEACHER_COLUMNS])
    extra = [c for c in before.columns if c not in ARCHIVE_COLUMNS or c in TEACHER_COLUMNS]
    kept = before[["student_id", *extra]].drop_duplicates("student_id") if len(before) else \
        pd.DataFrame(columns=["student_id", *TEACHER_COLUMNS])
    archive = archive.merge(kept, on="student_id", how="left")
    for column in TEACHER_COLUMNS:
        archive[column] = free_text(archive[column]) if column in archive else ""
    added = archive["added_reason"].str.strip() != ""
    archive.loc[added & archive["status"].eq("已出列"), "status"] = "教师列入"
    archive = archive.sort_values(["class_id", "student_id"]).reset_index(drop=True)
    return archive[[*ARCHIVE_COLUMNS, *[c for c in archive.columns if c not in ARCHIVE_COLUMNS]]]
