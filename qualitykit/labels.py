"""Chinese labels for display: the one mapping from identifiers to what a teacher reads."""

from __future__ import annotations

import numbers

import pandas as pd

__all__ = ["LABELS", "STATUS_LABELS", "VALUE_LABELS", "PRESET_LABELS", "MISSING", "BOUNDS",
           "PERCENT", "label", "to_display", "number_text"]

#: What a report shows for a number that cannot be computed (a class of one has no SD).
MISSING = "—"

LABELS: dict[str, str] = {
    # cycle: 位次奖, 约谈/黄牌/红牌, 教师综合评价
    "n_ranked": "参评数", "rank_from_bottom": "倒数位次",
    "positions": "计奖位次数", "special": "特殊奖", "excluded": "不享受嘉奖", "amount": "奖金(元)",
    "school_year": "学年", "z_low": "平均Z下限", "z_high": "平均Z上限",
    "z_change_low": "平均Z变化下限", "z_change_high": "平均Z变化上限", "decline": "下滑",
    "bottom": "低位", "alert": "预警", "run": "连续年数",
    "across": "横向(平均Z)", "over_time": "纵向(平均Z变化)", "balance": "均衡(低分率低于年级)",
    "below_pass": "未及格率", "combined": "综合评价分",
    "told_apart": "可区分的教师", "not_told_apart": "无法区分的教师",
    "student_id": "学号", "name": "姓名", "school": "学校", "grade": "年级", "class_id": "班级",
    "class_name": "班级名称", "subject": "科目", "exam": "考试", "score": "成绩", "status": "状态",
    "full_mark": "满分", "level": "等级", "teacher": "教师",
    "n_enrolled": "应考人数", "n_sat": "实考人数", "n_absent": "缺考人数", "mean": "平均分",
    "sd": "标准差", "median": "中位数", "min": "最低分", "max": "最高分",
    "pass_rate": "及格率", "excellent_rate": "优秀率", "low_rate": "低分率",
    "full_mark_rate": "满分率", "all_pass_rate": "全科合格率", "above_mean_rate": "超均率",
    "cv": "差异系数", "difficulty": "难度", "composite": "综合分", "rank": "名次",
    "n_students": "学生数", "n_all_pass": "全科合格人数",
    "n_pass": "及格人数", "n_excellent": "优秀人数", "n_low": "低分人数",
    "topic": "方面", "value": "数值", "evidence": "线索", "band": "分数段", "lower": "下限", "upper": "上限", "count": "人数", "share": "占比",
    "cum_count": "累计人数", "cum_share": "累计占比", "z": "Z分数", "t": "T分数",
    "t_total": "标准分总分", "z_mean": "平均Z分数", "n_subjects": "科目数",
    "pass_line": "及格线", "excellent_line": "优秀线", "low_line": "低分线",
    "min_pass_rate": "最低单科合格率", "weakest_subject": "合格率最低科目",
    "subjects_below": "未达线科目", "meets_subject": "单科达标", "meets_all": "全科达标",
    "meets": "双高达标",
    "grade_mean": "年级均分", "diff": "与年级均分差", "p_value": "p值", "hedges_g": "效应量g", "significant": "差异显著",
    "small_group": "人数不足20", "reading": "解读", "n_groups": "班级数",
    "anova_f": "方差分析F", "anova_df1": "组间自由度", "anova_df2": "组内自由度",
    "anova_p": "方差分析p", "eta_squared": "η²",
    "kruskal_h": "秩和检验H", "kruskal_p": "秩和检验p", "epsilon_squared": "ε²",
    "n_pairs_significant": "显著的班级对数", "posthoc": "事后比较方法",
    "a": "班级A", "b": "班级B", "mean_a": "A均分", "mean_b": "B均分",
    "classes": "任教班级", "n_classes": "班级数", "diff_mean": "与年级均分差",
    "n_teachers": "同科教师数", "mean_class_rank": "所教班级平均名次",
    "overall_mean_rank": "多科平均名次", "prev_exam": "上次考试", "prev_mean": "上次平均分",
    "prev_above_mean_rate": "上次超均率", "prev_rank": "上次名次",
    "above_mean_change": "超均率变化", "rank_change": "名次变化（正为上升）",
    "n_matched": "对比人数", "z_change": "平均Z变化", "prev_z_mean": "上次平均Z",
    "prev_pass_rate": "上次及格率", "total": "总分", "complete": "全科参考",
    # 培优补差 and progress
    "list": "名单", "rule": "依据", "line": "分数线", "distance": "距线(分)", "weakest": "最弱科目",
    "change": "与上次比", "match": "对比情况", "prev_class_id": "上次班级", "prev_score": "上次成绩",
    "prev_z": "上次Z", "pct": "百分等级", "prev_pct": "上次百分等级", "pct_change": "百分等级变化",
    "rank_change_coef": "名次变化系数", "transition": "名单变动", "prev_rule": "上次依据",
    "class_changed": "转班", "n_enrichment": "培优人数", "n_borderline": "临界人数",
    "n_support": "补差人数", "n_lopsided": "偏科人数", "n_support_entered": "补差新增人数",
    "entered": "新列入", "stayed": "连续在列", "left": "出列", "new_student": "新来学生",
    "new_subject": "上次未考此科", "gone": "已离开", "class_history": "班级变动", "first_flagged": "首次列入",
    "n_flagged": "列入次数", "exams_flagged": "列入的考试", "subjects": "科目", "z_trend": "平均Z走势",
    "trend": "趋势", "last_exam": "最近考试", "measures": "帮扶措施", "attendance": "参加情况",
    "on_list": "在名单", "mean_z": "平均Z", "mean_rate": "平均得分率", "reason": "原因",
    # 试卷分析
    "item_id": "题号", "item_max": "满分", "item_type": "题型", "knowledge_point": "知识点",
    "option": "选项", "key": "答案", "n": "人数", "error_rate": "失分率", "full_rate": "满分率",
    "discrimination": "区分度D", "uli": "ULI", "rit": "题总相关", "rir": "校正题总相关",
    "alpha_if_dropped": "删题后α", "ebel": "区分度评价", "difficulty_band": "难易",
    "flags": "提示", "n_items": "题数", "max_total": "卷面满分", "mean_total": "平均总分",
    "sd_total": "总分标准差", "alpha": "信度α", "method": "信度方法", "sem": "测量标准误",
    "missing": "缺失处理", "n_missing_cells": "空白小题数", "note": "说明",
    "is_key": "正确选项", "share_upper": "高分组选择率", "share_middle": "中间组选择率",
    "share_lower": "低分组选择率", "upper_minus_lower": "高低组之差", "flag": "提示",
    "points": "分值", "rate": "得分率", "grade_rate": "年级得分率", "share_losing": "未达标学生占比",
    "weak": "共性弱项",
    # 增值评价, 成长百分位, 届 comparison, 追踪, 趋势
    "z_entry": "入口Z", "z_exit": "出口Z", "gain": "平均增值", "ols": "残差均值",
    "va": "增值（收缩估计）", "va_se": "增值标准误", "estimate": "增值", "low": "区间下限",
    "high": "区间上限", "va_method": "估计方法", "small": "人数偏少", "n_units": "单位数",
    "beta": "入口系数β", "intercept": "截距", "between_sd": "单位间标准差",
    "within_sd": "学生间标准差", "icc": "组内相关ICC", "converged": "模型收敛",
    "expected": "预期Z", "residual": "残差", "value_added": "增值",
    "sgp": "成长百分位", "prior_score": "上次成绩", "prior_score_2": "上上次成绩",
    "n_priors": "前测次数", "sgp_to_pass": "达及格线所需成长百分位",
    "sgp_to_excellent": "达优秀线所需成长百分位", "median_sgp": "成长百分位中位数",
    "mean_sgp": "成长百分位均值", "low_growth": "低成长(<35)占比",
    "high_growth": "高成长(>65)占比", "baseline": "基准考试", "n_baseline": "基准人数",
    "ref_mean": "参照均分", "ref_sd": "参照标准差", "ref_position": "相对参照位置",
    "ref_above_mean_rate": "相对参照超均率", "ref_change": "相对参照位置变化",
    "comparison": "比较方式", "entry_class": "入口班级", "exit_class": "出口班级",
    "path": "去向", "n_exams": "参加次数", "first_exam": "首次考试", "matched_by": "匹配方式",
    "n_entry_class": "入口人数", "n_stayed": "留在本届", "n_left": "转出/离开",
    "n_joined": "转入/新来", "n_passed_through": "中途来去", "n_exit": "出口人数",
    "entry_z": "入口Z", "exit_z": "出口Z", "entry_score": "入口成绩", "exit_score": "出口成绩",
    # 等级 (level-graded subjects)
    "n_good": "良好人数", "n_satisfactory": "合格人数", "n_unsatisfactory": "待合格人数",
    "share_excellent": "优秀占比", "share_good": "良好占比", "share_satisfactory": "合格占比",
    "share_unsatisfactory": "待合格占比", "good_rate": "良好及以上", "satisfactory_rate": "合格率",
    "basis": "依据", "level_basis": "等级依据", "grade_satisfactory_rate": "年级合格率",
    "grade_excellent_rate": "年级优秀率", "chi2": "卡方χ²", "chi2_df": "自由度",
    "chi2_p": "卡方检验p", "cramers_v": "Cramér V", "sparse": "期望人数偏少",
    "prev_satisfactory_rate": "上次合格率", "prev_excellent_rate": "上次优秀率",
    "satisfactory_change": "合格率变化", "excellent_change": "优秀率变化",
    "n_up": "等级上升人数", "n_same": "等级不变人数", "n_down": "等级下降人数",
    "joined_to": "合并到学号", "unit": "追踪对象", "periods": "连续期数",
    "exams": "涉及考试", "supported": "区间支持", "name_match": "姓名匹配",
    # 质量目标与整改台账, 回头看, 学习进步奖 (qualitykit.cycle)
    "row_id": "编号", "created": "提出考试", "unit_kind": "单位类型", "indicator": "指标",
    "target": "目标", "measure": "措施", "owner": "责任人", "deadline": "期限",
    "baseline_value": "起始值", "judged": "目标所看数值",
    "attainment": "目标达成情况", "start_change": "与起始考试比", "improvement": "问题是否改善",
    "action": "处理", "last_review": "最近回头看", "pass_rank": "及格率名次",
    "excellent_rank": "优秀率名次", "low_rank": "低分率名次", "mean_rank": "平均分名次",
    "prev_pass_rank": "上次及格率名次", "prev_excellent_rank": "上次优秀率名次",
    "pass_rank_change": "及格率名次变化（正为上升）",
    "excellent_rank_change": "优秀率名次变化（正为上升）", "added_reason": "列入原因",
    # 班级质量分析单 and 教师个人质量分析表 (a figure with its 95 % interval in one cell)
    "mean_ci": "平均分（95%区间）", "diff_ci": "与年级均分差（区间）", "verdict": "与年级比较",
    "pass_rate_ci": "及格率（95%区间）", "excellent_rate_ci": "优秀率（95%区间）",
    "low_rate_ci": "低分率（95%区间）", "grade_pass_rate": "年级及格率",
    "grade_low_rate": "年级低分率", "va_ci": "增值（95%区间）", "va_verdict": "增值结论",
    "direction": "方向", "order": "序", "current_mean": "本次平均分",
    "current_above_mean_rate": "本次超均率",
    # plain readings of the report's body, and the appendix's tables
    "interval": "区间", "vs_grade": "与年级比较", "vs_expected": "与上次比（增值）",
    "indistinct": "均分与之无明显差别者", "pair_diff": "均分差（A−B）", "sentence": "结论",
    "term": "术语", "definition": "定义与计算", "target_pass": "目标及格率（填写）",
    "target_excellent": "目标优秀率（填写）", "target_low": "目标低分率（填写）",
    # 项目反应模型与项目功能差异 (试卷分析, 教研员; issue 20)
    # (a and b of a model are shown as irt_a / irt_b: "a" and "b" are the two classes of a
    # Games–Howell pair; the view irt_items renames them, report.display.VIEW_RENAMES)
    "irt_a": "区分度a", "a_se": "a标准误", "irt_b": "难度b", "b_se": "b标准误", "n_steps": "得分档数",
    "theta": "能力θ", "theta_se": "能力θ标准误", "peak_theta": "信息量峰值处θ",
    "targets": "主要区分", "information": "信息量", "reliability": "信度", "cut": "分数线",
    "sem_theta": "测量标准误(θ)",
    "reference": "参照组", "focal": "目标组", "n_reference": "参照组人数",
    "n_focal": "目标组人数", "n_matching_items": "匹配总分题数", "mh_odds_ratio": "MH优势比",
    "mh_chi2": "MH卡方", "mh_p": "MH p值", "mh_p_adjusted": "MH校正p值", "ets_delta": "ETS Δ",
    "ets_delta_se": "ETS Δ标准误", "ets_class": "ETS分级", "lr_uniform_chi2": "一致性DIF卡方",
    "lr_uniform_p": "一致性DIF p值", "lr_nonuniform_chi2": "非一致性DIF卡方",
    "lr_nonuniform_p": "非一致性DIF p值", "lr_chi2": "逻辑回归卡方", "lr_p": "逻辑回归p值",
    "lr_p_adjusted": "逻辑回归校正p值", "delta_r2": "ΔR²", "favours": "较易答对的一组",
    "flagged": "疑似DIF",
}
_LEVEL_BASIS = {"level": "成绩表上的等级", "score": "按分数折算"}
#: Values of the coded columns, as a teacher reads them.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "list": {"enrichment": "培优", "borderline": "临界", "support": "补差", "lopsided": "偏科"},
    "rule": {"enrichment_line": "达培优线", "excellent_line": "达优秀线", "top_share": "年级前列",
             "near_pass_below": "拟合格",
             "near_excellent_below": "拟优", "near_pass_above": "刚过及格线",
             "near_excellent_above": "刚过优秀线", "below_pass": "未及格",
             "mean_below_pass": "多次平均未及格", "bottom_share": "年级后列", "lopsided": "偏科"},
    "transition": {"entered": "新列入", "stayed": "连续在列", "left": "出列",
                   "new_student": "新来学生", "new_subject": "上次未考此科",
                   "gone": "已离开（转出或未参加）"},
    "change": {"entered": "新列入", "stayed": "连续在列", "new_student": "新来学生",
               "new_subject": "上次未考此科"},
    "match": {"matched": "两次都在", "new": "新来", "left": "已离开", "no_entry": "无入口成绩",
              "no_exit": "无出口成绩", "no_unit": "无所属单位"},
    "ebel": {"very_good": "优良", "good": "良好", "marginal": "尚可（宜修改）",
             "poor": "差（应修改）"},
    "difficulty_band": {"easy": "容易", "medium": "中等", "hard": "较难"},
    "targets": {"low": "能力较低学生", "middle": "中等学生", "high": "优秀学生"},
    "cut": {"low": "低分线", "pass": "及格线", "excellent": "优秀线"},
    "favours": {"reference": "参照组", "focal": "目标组"},
    "flags": {"negative_d": "区分度为负", "low_d": "区分度低", "very_easy": "过易",
              "very_hard": "过难"},
    "flag": {"key_reversed": "答案选择率高分组反低：核对答案", "attracts_upper": "干扰项吸引高分组",
             "unused": "干扰项几乎无人选", "decline": "连续增值为负（区间支持）",
             "bottom": "连续末位且低于年级（区间支持）",
             "bottom_unsupported": "连续末位，但区间与年级重叠（不足以认定）"},
    "missing": {"zero": "空白计0分", "listwise": "整行删除", "pairwise": "成对删除"},
    "va_method": {"mixed": "混合模型（收缩）", "ols": "残差均值（OLS）"},
    "path": {"stayed": "始终在本届", "joined": "中途转入", "left": "中途离开",
             "passed_through": "中途来去"},
    "matched_by": {"student_id": "学号", "name": "姓名+班级（请核对）"},
    "name_match": {"joined": "已按姓名+班级合并", "ambiguous": "同名多人，未合并"},
    "direction": {"up": "进步最多", "down": "退步最多"},
    "basis": _LEVEL_BASIS,
    "level_basis": _LEVEL_BASIS,
    "vs_grade": {"above": "高于年级", "below": "低于年级", "similar": "与年级无明显差别",
                 "too_few": "人数太少，无法比较"},
    "vs_expected": {"above": "进步（高于预期）", "below": "退步（低于预期）",
                    "similar": "与预期无明显差别", "too_few": "人数太少，无法判断"},
}
#: The presets of :data:`qualitykit.PRESETS` as a report names them (a school's own file:
#: 本校标准).
PRESET_LABELS: dict[str, str] = {"default": "默认标准", "county_teacher": "县级教师考核方案",
                                 "pass_focus": "重合格率方案", "primary_grade": "小学年级综合分方案"}
STATUS_LABELS: dict[str, str] = {
    "sat": "参考", "absent": "缺考", "excused": "请假/免考", "cheated": "作弊",
    "transferred": "转学", "not_scanned": "未扫描", "excluded": "剔除", "not_taken": "未选考",
    "invalid": "无效",
}
PERCENT = {"pass_rate", "excellent_rate", "low_rate", "full_mark_rate", "all_pass_rate",
           "above_mean_rate", "share", "cum_share", "min_pass_rate", "prev_above_mean_rate",
           "above_mean_change", "prev_pass_rate", "mean_rate", "rank_change_coef",
           "error_rate", "full_rate", "share_upper", "share_middle", "share_lower",
           "upper_minus_lower", "rate", "grade_rate", "share_losing", "low_growth",
           "high_growth", "ref_above_mean_rate", "share_excellent", "share_good",
           "share_satisfactory", "share_unsatisfactory", "good_rate", "satisfactory_rate",
           "grade_satisfactory_rate", "grade_excellent_rate", "prev_satisfactory_rate",
           "prev_excellent_rate", "satisfactory_change", "excellent_change"}


FINE = {"cv", "difficulty", "p_value", "anova_p", "kruskal_p", "hedges_g", "eta_squared",
        "epsilon_squared", "z", "z_mean", "prev_z_mean", "z_change", "prev_z", "mean_z",
        "discrimination", "uli", "rit", "rir", "alpha_if_dropped", "alpha", "sem", "z_entry",
        "z_exit", "gain", "ols", "va", "va_se", "estimate", "low", "high", "beta", "between_sd",
        "within_sd", "icc", "ref_position", "ref_change", "entry_z", "exit_z",
        "chi2_p", "cramers_v",
        # 项目反应模型与 DIF (issue 20)
        "irt_a", "a_se", "irt_b", "b_se", "theta", "theta_se", "peak_theta", "information", "sem_theta",
        "reliability", "mh_odds_ratio", "mh_chi2", "mh_p", "mh_p_adjusted", "ets_delta",
        "ets_delta_se", "lr_uniform_chi2", "lr_uniform_p", "lr_nonuniform_chi2",
        "lr_nonuniform_p", "lr_chi2", "lr_p", "lr_p_adjusted", "delta_r2"}  # three decimals
PERCENT |= {"below_pass", "grade_low_rate", "balance"}  # cycle: 教师综合评价
FINE |= {"across", "over_time", "value_added", "combined"}


# ---- 联考 / district (qualitykit.district): schools against the district, 均衡 indices ----
LABELS.update({
    "vs_district": "与区域比较", "district_mean": "区域平均分", "district_pass_rate": "区域及格率",
    "district_excellent_rate": "区域优秀率", "district_low_rate": "区域低分率",
    "district_share": "区域占比", "district_diff": "与区域均分差", "area": "片区",
    "n_units": "单位数", "unit_mean_min": "单位均分最低", "unit_mean_max": "单位均分最高",
    "cv_means": "均分差异系数", "quartile_units": "高/低分组单位数",
    "quartile_gap": "高低分组均分差", "quartile_gap_sd": "高低分组差（标准差）",
    "district_cv_means": "区域各班均分差异系数", "district_icc": "区域班级间ICC",
    "n_schools": "学校数", "school_rank": "校排名",
})
VALUE_LABELS["vs_district"] = {"above": "高于区域", "below": "低于区域",
                               "similar": "与区域无明显差别", "too_few": "人数太少，无法比较"}
PERCENT |= {"district_pass_rate", "district_excellent_rate", "district_low_rate",
            "district_share"}
FINE |= {"cv_means", "quartile_gap_sd", "district_cv_means", "district_icc"}
# ---- end of the 联考 block ----


#: Suffixes of the columns that hold an interval's bounds (``pass_rate_low``), as read.
BOUNDS = {"_low": "下限", "_high": "上限", "_interval": "区间"}


def label(identifier: str) -> str:
    """Chinese label of a column identifier (the identifier itself when unknown).

    >>> label("pass_rate"), label("pass_rate_low")
    ('及格率', '及格率下限')
    """
    if identifier in LABELS:
        return LABELS[identifier]
    base, suffix = _split_bound(identifier)
    return LABELS[base] + BOUNDS[suffix] if suffix else identifier


def _split_bound(col: str) -> tuple[str, str | None]:
    """``pass_rate_low`` → (``pass_rate``, ``_low``); (col, None) for a column that is not an
    interval bound of a labelled column."""
    if col not in LABELS:
        for suffix in BOUNDS:
            if col.endswith(suffix) and col[: -len(suffix)] in LABELS:
                return col[: -len(suffix)], suffix
    return col, None


def _bound_of(col: str) -> str | None:
    """``pass_rate_low`` → ``pass_rate``; None for a column that is not an interval bound."""
    base, suffix = _split_bound(col)
    return base if suffix else None


def to_display(table: pd.DataFrame, *, digits: int = 1, intervals: bool = False,
               text: bool = False) -> pd.DataFrame:
    """A copy for people: rates as percentages, numbers rounded, yes/no, Chinese column names.

    Parameters
    ----------
    table : DataFrame
        A computed table (identifier columns).
    digits : int
        Decimals of rates and means (numbers stay numbers: for a workbook).
    intervals : bool
        Keep the columns of interval bounds (``pass_rate_low`` …).
    text : bool
        Every number as the printed report writes it (:func:`number_text`): one format per
        kind of figure, p values under 0.001 as "<0.001", nothing as "—"; and an interval
        as one column "a 至 b" (its label ends in 区间).

    >>> to_display(pd.DataFrame({"pass_rate": [0.8123], "n_low": [2], "meets": [True]}))
       及格率(%)  低分人数 双高达标
    0     81.2     2    是
    >>> to_display(pd.DataFrame({"mean": [78.0], "diff": [-3.14], "diff_low": [-9.3],
    ...                          "diff_high": [3.2], "p_value": [0.0004]}),
    ...            intervals=True, text=True).iloc[0].tolist()
    ['78.0', '-3.1', '-9.3 至 3.2', '<0.001']
    """
    out = table.copy()
    if not intervals:
        out = out[[c for c in out.columns if _bound_of(c) is None]]
    for col in out.columns:
        base = _bound_of(col) or col
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: "是", False: "否"})
        elif text:
            out[col] = out[col].map(lambda v, base=base: number_text(v, base))
        elif base in PERCENT:
            out[col] = (out[col] * 100).round(digits)
        elif pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(3 if base in FINE else digits)
    if text:
        out = _interval_columns(out)
    if "status" in out:
        out["status"] = out["status"].map(STATUS_LABELS).fillna(out["status"])
    for col, values in VALUE_LABELS.items():
        if col in out:
            out[col] = out[col].map(lambda v, values=values: "+".join(
                values.get(part, part) for part in v.split("+")) if isinstance(v, str) else v)
    return out.rename(columns={c: label(c) + ("(%)" if (_bound_of(c) or c) in PERCENT else "")
                               for c in out.columns})


#: p values: "<0.001" below a thousandth, else three decimals.
P_VALUES = {"p_value", "anova_p", "kruskal_p", "chi2_p", "mh_p", "mh_p_adjusted", "lr_uniform_p",
            "lr_nonuniform_p", "lr_p", "lr_p_adjusted"}
#: Figures shown as they are (scores, lines, counts, ranks, percentiles): 99.5, 100, 3.
RAW = {"score", "max", "min", "median", "full_mark", "pass_line", "excellent_line", "low_line",
       "line", "prev_score", "prior_score", "prior_score_2", "item_max", "points", "max_total",
       "distance", "count", "cum_count", "rank", "prev_rank", "rank_low", "rank_high",
       "rank_change", "n", "sgp", "sgp_to_pass", "sgp_to_excellent", "median_sgp",
       "anova_df1", "anova_df2", "chi2_df", "periods", "n_priors"}
#: Reliability (α and α if an item is dropped): three decimals, since items move it little.
THREE_DECIMALS = {"alpha", "alpha_if_dropped", "cv_means", "district_cv_means"}  # 差异系数: 联考
#: Standardised figures and coefficients (Z, g, 增值, 难度, 区分度 …): two decimals.
TWO_DECIMALS = FINE - P_VALUES - THREE_DECIMALS - {"sem"}


def number_text(value, kind: str) -> str:
    """One figure as the printed report writes it; ``kind`` is the column's identifier.

    Rates (:data:`PERCENT`) as percentages with one decimal; p values three decimals or
    "<0.001"; scores, counts and ranks (:data:`RAW`) as they are; standardised figures
    (:data:`TWO_DECIMALS`) with two decimals, reliability with three; every other number (means, differences, SD,
    综合分) with one; nothing as "—"; text as it is. A figure that rounds to zero has no minus
    sign (-0.04 is "0.0", not "-0.0").

    >>> [number_text(v, k) for v, k in ((0.8, "pass_rate"), (0.0, "anova_p"), (99.5, "max"),
    ...                                 (78.0, "mean"), (0.1234, "hedges_g"), (None, "mean"),
    ...                                 (-0.04, "mean_diff"))]
    ['80.0', '<0.001', '99.5', '78.0', '0.12', '—', '0.0']
    """
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return MISSING
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return str(value)
    text = _number_text(value, kind)
    return text[1:] if text.startswith("-") and set(text[1:]) <= set("0.") else text


def _number_text(value: numbers.Real, kind: str) -> str:
    if kind in P_VALUES:
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    if kind in PERCENT:
        return f"{100 * value:.1f}"
    if isinstance(value, numbers.Integral) or kind in RAW or kind.startswith("n_"):
        return f"{value:g}"
    if kind in THREE_DECIMALS:
        return f"{value:.3f}"
    return f"{value:.2f}" if kind in TWO_DECIMALS else f"{value:.1f}"


def _interval_columns(out: pd.DataFrame) -> pd.DataFrame:
    """Each pair of bound columns (``x_low``, ``x_high``; ``low``, ``high``) as one column
    ``x_interval`` ("a 至 b", "—" when either is missing), where the lower bound was."""
    pairs = [(c, c[:-4] + "_high", c[:-4] + "_interval") for c in out.columns
             if _bound_of(c) and c.endswith("_low") and c[:-4] + "_high" in out.columns]
    if "low" in out.columns and "high" in out.columns:
        pairs.append(("low", "high", "interval"))
    for low, high, name in pairs:
        joined = [MISSING if MISSING in (a, b) else f"{a} 至 {b}"
                  for a, b in zip(out[low], out[high])]
        out.insert(out.columns.get_loc(low), name, joined)
        out = out.drop(columns=[low, high])
    return out


# ---- 联考: admission lines, 单科有效分, 临界生 and 等级赋分 (qualitykit.district) -------------------
LABELS.update({
    "line_name": "分数线", "line_share": "划线比例", "line_score": "线分数", "n_over": "上线人数",
    "over_rate": "上线率", "effective_method": "有效分算法", "total_line": "总分线",
    "effective_line": "单科有效分", "n_over_total": "总分上线人数",
    "n_over_subject": "单科上线人数", "n_double": "双上线人数", "hit_rate": "命中率",
    "contribution_rate": "贡献率", "side": "线上/线下", "rank_gap": "与线的名次差",
    "scale_band": "赋分等级", "raw_low": "原始分下限", "raw_high": "原始分上限",
    "scaled_low": "赋分下限", "scaled_high": "赋分上限", "scaled_exact": "赋分（未取整）",
    "scaled": "赋分", "target_share": "规定比例", "actual_share": "实际比例",
})
PERCENT.update({"line_share", "over_rate", "hit_rate", "contribution_rate", "target_share",
                "actual_share"})
RAW.update({"line_score", "total_line", "raw_low", "raw_high", "scaled_low", "scaled_high",
            "scaled", "rank_gap"})
VALUE_LABELS.update({
    "side": {"above": "线上（易滑落）", "below": "线下（可冲线）"},
    "effective_method": {"ratio": "比例法", "mean": "均值法", "given": "给定"},
})

# ---- 联考: 上线情况 in the district report and the 通报反馈 (qualitykit.district.district_lines) ----
LABELS.update({
    "n_critical_above": "线上临界人数", "n_critical_below": "线下临界人数",
    "district_over_rate": "区域上线率", "district_n_double": "区域双上线人数",
    "district_hit_rate": "区域命中率",
})
PERCENT.update({"district_over_rate", "district_hit_rate"})
# ---- end of the 上线情况 block ----

# ---- 体质测试: 国家学生体质健康标准（2014年修订） (qualitykit.fitness, the standard's part) ----
LABELS.update({
    "item": "项目", "bonus": "加分", "weight": "权重", "bmi": "体重指数(BMI)",
    "bmi_category": "体重指数等级", "standard_score": "标准分", "extra_score": "附加分",
    "total_score": "学年总分", "final_year": "毕业年级", "final_score": "毕业当年学年总分",
    "other_mean": "其他学年学年总分平均", "n_years": "学年数", "graduation_score": "毕业成绩",
    "problem": "问题", "message": "说明", "sex": "性别",
})
#: the fitness items and the problem codes of :func:`qualitykit.score_fitness`, as read
#: (``missing`` of a fitness pupil joins item ids with "+": map each part through "item").
VALUE_LABELS.update({
    "item": {"height": "身高", "weight": "体重", "bmi": "体重指数", "vital_capacity": "肺活量",
             "sprint_50m": "50米跑", "sit_and_reach": "坐位体前屈", "rope_skipping": "1分钟跳绳",
             "sit_ups": "1分钟仰卧起坐", "shuttle_50x8": "50米×8往返跑",
             "standing_long_jump": "立定跳远", "pull_ups": "引体向上", "run_800m": "800米跑",
             "run_1000m": "1000米跑"},
    "problem": {"grade": "年级不在1–12", "sex": "性别不是男/女", "item": "不是标准中的项目",
                "not_tested": "该年级不测此项", "not_number": "成绩不是数字",
                "out_of_range": "成绩超出可能范围", "not_whole": "次数不是整数",
                "duplicate": "同一项目有多条成绩", "bmi_replaced": "体重指数与身高体重不符"},
})
RAW.update({"bonus", "standard_score", "extra_score", "total_score", "final_score",
            "other_mean", "graduation_score", "bmi"})
# ---- end of the 体质测试 standard block ----


# ---- 体质测试 (qualitykit.fitness, issue 19 part B): rates of the 等级, BMI, change -----------
LABELS.update({
    "sex": "性别", "n_incomplete": "缺项人数", "n_pass_level": "及格等级人数",
    "n_fail": "不及格人数", "good_level_rate": "良好率", "excellent_good_rate": "优良率",
    "fail_rate": "不及格率",
    "mean_total_score": "平均学年总分", "mean_before": "去年平均", "mean_now": "今年平均",
    "mean_change": "平均变化", "level_before": "去年等级", "level_now": "今年等级",
    "total_before": "去年学年总分", "total_now": "今年学年总分", "mean_score": "平均单项得分",
    "item_score": "单项得分", "missing_items": "缺测项目",
    "n_measured": "测试人数", "n_up": "等级上升人数", "n_same": "等级不变人数",
    "n_down": "等级下降人数", "overweight_obese_rate": "超重与肥胖率",
    "file": "文件", "sheet": "工作表", "row": "行",
})
PERCENT |= {"good_level_rate", "excellent_good_rate", "fail_rate", "overweight_obese_rate"}
RAW |= {"item_score", "bonus", "total_score", "standard_score", "extra_score",
        "total_before", "total_now"}
VALUE_LABELS["item"] = {"total_score": "学年总分", **VALUE_LABELS["item"]}
VALUE_LABELS["missing_items"] = VALUE_LABELS["item"]  # item ids joined by "+"
# ---- end of the 体质测试 block ----

# ---- 教学常规检查记录 / 常规考核 (qualitykit.routine) ------------------------------------------------
LABELS.update({
    "date": "日期", "month": "月份", "check_type": "检查类型", "item": "项目", "quantity": "数量",
    "rating": "等级或得分", "rating_points": "折算得分", "checker": "检查人", "remark": "备注",
    "role": "职务", "n_records": "记录条数", "n_scored": "有得分的条数", "mean_points": "平均得分",
    "weight": "权重", "spot_checks": "抽查次数", "months_missed": "缺查月数",
    "requirements_missed": "未达要求项数", "routine_score": "常规考核得分",
    "routine_rank": "常规考核名次", "routine_flag": "标记", "requirement": "要求项目",
    "required": "要求", "done": "完成", "shortfall": "差额", "met": "达到要求",
    "routine": "教学常规考核",
})
RAW.update({"quantity", "required", "done", "shortfall"})

# ---- 体质测试, 初中 tables and report labels (issue 19, i19d) --------------------------------
# ``matched`` of FitnessChange.matched: the pupil is also in last year's file.
LABELS.update({"matched": "去年有记录"})
# ---- end of the i19d block ----
