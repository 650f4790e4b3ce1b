"""The canonical tables every analysis in qualitykit takes.

Scores (long, tidy): one row per student × exam × subject.

==============  =========  ========================================================================
column          dtype      meaning
==============  =========  ========================================================================
student_id      str        学号 (or 考号); a surrogate ``X…`` built from school+class+name when
                           the sheet has none (listed in the import report)
name            str        姓名
school          str        学校
grade           Int64      年级 1–12 (初一/七年级 = 7, 高一 = 10)
class_id        str        ``"5-1"`` for 五(1)班; ``"3"`` when the grade is unknown
class_name      str        班级 as written on the sheet
subject         str        canonical Chinese subject name (语文, 数学, 英语, 科学, 道德与法治, …)
exam            str        e.g. ``"2025-2026-1 期末"``
score           float      NaN unless ``status == "sat"`` (and for 等级-only subjects)
status          str        sat, absent 缺考, excused 请假/免考, cheated 作弊, transferred 转学,
                           not_scanned 未扫, excluded 剔除/不计, invalid (lenient import only)
full_mark       float      满分 of the subject in this exam (default 100)
level           str        等级 when the sheet records one (优秀/良好/合格/待合格, A+…E)
source_file     str        file the row came from
source_sheet    str        sheet the row came from
source_row      Int64      Excel row number
==============  =========  ========================================================================

Counting rules: 应考人数 (``n_enrolled``) counts every row; 实考人数 (``n_sat``) counts
``status == "sat"``; rates use 实考人数. A 0 is a real score. Subjects a student does not take
(7选3, 未选考 N) produce no row at all.

Roster (学生信息表): ``student_id``, ``name``, ``school``, ``grade``, ``class_id``,
``class_name``. Teacher assignment (教学编排表): ``teacher``, ``teacher_id``, ``school``,
``school_year``, ``term``, ``grade``, ``class_id``, ``class_name``, ``subject``.
"""

from __future__ import annotations

from ._cells import STATUSES

__all__ = ["SCORE_COLUMNS", "ROSTER_COLUMNS", "TEACHER_COLUMNS", "STATUSES"]

SCORE_COLUMNS = ["student_id", "name", "school", "grade", "class_id", "class_name", "subject",
                 "exam", "score", "status", "full_mark", "level", "source_file", "source_sheet",
                 "source_row"]
ROSTER_COLUMNS = ["student_id", "name", "school", "grade", "class_id", "class_name"]
TEACHER_COLUMNS = ["teacher", "teacher_id", "school", "school_year", "term", "grade", "class_id",
                   "class_name", "subject"]
