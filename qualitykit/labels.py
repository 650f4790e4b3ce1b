"""Chinese labels for display: the one mapping from identifiers to what a teacher reads."""

from __future__ import annotations

import pandas as pd

__all__ = ["LABELS", "STATUS_LABELS", "label", "to_display"]

LABELS: dict[str, str] = {
    "student_id": "学号", "name": "姓名", "school": "学校", "grade": "年级", "class_id": "班级",
    "class_name": "班级名称", "subject": "科目", "exam": "考试", "score": "成绩", "status": "状态",
    "full_mark": "满分", "level": "等级", "teacher": "教师",
    "n_enrolled": "应考人数", "n_sat": "实考人数", "n_absent": "缺考人数", "mean": "平均分",
    "sd": "标准差", "median": "中位数", "min": "最低分", "max": "最高分",
    "pass_rate": "及格率", "excellent_rate": "优秀率", "low_rate": "低分率",
    "full_mark_rate": "满分率", "all_pass_rate": "全科合格率", "above_mean_rate": "超均率",
    "cv": "差异系数", "difficulty": "难度", "composite": "综合分", "rank": "名次",
    "n_students": "学生数", "n_all_pass": "全科合格人数",
}
STATUS_LABELS: dict[str, str] = {
    "sat": "参考", "absent": "缺考", "excused": "请假/免考", "cheated": "作弊",
    "transferred": "转学", "not_scanned": "未扫描", "excluded": "剔除", "not_taken": "未选考",
    "invalid": "无效",
}
PERCENT = {"pass_rate", "excellent_rate", "low_rate", "full_mark_rate", "all_pass_rate",
           "above_mean_rate"}


def label(identifier: str) -> str:
    """Chinese label of a column identifier (the identifier itself when unknown).

    >>> label("pass_rate"), label("pass_rate_low")
    ('及格率', '及格率下限')
    """
    if identifier in LABELS:
        return LABELS[identifier]
    for suffix, cn in (("_low", "下限"), ("_high", "上限")):
        if identifier.endswith(suffix) and identifier[: -len(suffix)] in LABELS:
            return LABELS[identifier[: -len(suffix)]] + cn
    return identifier


def to_display(table: pd.DataFrame, *, digits: int = 1, intervals: bool = False) -> pd.DataFrame:
    """A copy for people: rates as percentages, numbers rounded, Chinese column names."""
    out = table.copy()
    if not intervals:
        out = out[[c for c in out.columns if not c.endswith(("_low", "_high"))]]
    for col in out.columns:
        base = col.removesuffix("_low").removesuffix("_high")
        if base in PERCENT:
            out[col] = (out[col] * 100).round(digits)
        elif pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(digits + 1 if col in ("cv", "difficulty") else digits)
    if "status" in out:
        out["status"] = out["status"].map(STATUS_LABELS).fillna(out["status"])
    return out.rename(columns={c: label(c) + ("(%)" if c.removesuffix("_low").removesuffix("_high")
                                              in PERCENT else "") for c in out.columns})
