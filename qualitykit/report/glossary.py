"""附录：方法与术语 — the definitions behind every figure of the term report, and the statistics
used with how to read them (report layer: words only, with the standard's own lines).

The body of the report speaks plainly ("高于年级", "与预期无明显差别"); this appendix is where a
researcher or a careful 教研组长 finds what each word and number means: every indicator with its
formula and the lines of the standard in use, and the tests and models behind the readings.
"""

from __future__ import annotations

import pandas as pd

from ..labels import PRESET_LABELS
from ..standard import Standard, get_standard

__all__ = ["glossary", "methods", "standard_text"]


def _pct(share: float) -> str:
    return f"{100 * share:g}%"


def _excellent(std: Standard, grade: int | None) -> str:
    """The excellent line as a share, with the lower-primary line when it differs."""
    line = _pct(std.excellent_line)
    if grade is not None and grade in std.lower_primary_grades:
        return _pct(std.lower_primary_excellent_line)
    if std.lower_primary_excellent_line != std.excellent_line:
        return f"{line}（一、二年级 {_pct(std.lower_primary_excellent_line)}）"
    return line


_PARTS = {"mean": "平均分（按满分折算为百分数）", "pass_rate": "及格率", "excellent_rate": "优秀率",
          "low_rate": "低分率", "all_pass_rate": "全科合格率", "full_mark_rate": "满分率"}


def composite_text(std: Standard) -> str:
    """综合分 in words: ``平均分（按满分折算为百分数）×0.4 + 及格率×0.3 + 优秀率×0.3``."""
    parts = [f"{_PARTS[k]}×{abs(w):g}" for k, w in std.composite_weights.items()]
    signs = ["−" if w < 0 else "+" for w in std.composite_weights.values()]
    text = parts[0] if signs[0] == "+" else "−" + parts[0]
    return text + "".join(f" {s} {p}" for s, p in zip(signs[1:], parts[1:]))


def standard_text(standard: Standard | str | None = None, grade: int | None = None) -> str:
    """The standard as the title block names it: its name and its lines, in words.

    >>> standard_text()
    '默认标准：及格线为满分的 60%，优秀线 85%（一、二年级 90%），低分线 40%'
    """
    std = get_standard(standard)
    name = PRESET_LABELS.get(std.name, "本校标准")
    return (f"{name}：及格线为满分的 {_pct(std.pass_line)}，优秀线 {_excellent(std, grade)}，"
            f"低分线 {_pct(std.low_line)}")


_ABOVE_MEAN = {
    "relative_mean": "（班级平均分 − 年级平均分）÷ 年级平均分；正数高于年级，负数低于年级",
    "relative_rate": "（班级得分率 − 年级得分率）÷ 年级得分率（得分率 = 平均分 ÷ 满分）",
    "share_above": "达到或超过年级平均分的学生人数 ÷ 实考人数",
}


def glossary(standard: Standard | str | None = None, grade: int | None = None) -> pd.DataFrame:
    """Every indicator of the term report: ``term`` and ``definition`` (with the standard's lines).

    >>> glossary().set_index("term").loc["及格率", "definition"]
    '成绩 ≥ 满分 × 60% 的人数 ÷ 实考人数（满分 100 分时及格线为 60 分；恰好在线上算达线）'
    """
    std = get_standard(standard)
    excellent = _excellent(std, grade)
    rows = [
        ("应考人数", "成绩表上该科的学生数，含缺考、请假、转学等"),
        ("实考人数", "参加考试、有成绩的学生数；0 分是真实成绩，计入；缺考、请假、转学、作弊等不计入。"
                 "以下各率都以实考人数为分母"),
        ("平均分", "实考学生成绩之和 ÷ 实考人数"),
        ("标准差", "成绩的离散程度（样本标准差）：越大，学生之间差距越大"),
        ("及格率", f"成绩 ≥ 满分 × {_pct(std.pass_line)} 的人数 ÷ 实考人数（满分 100 分时及格线为 "
                f"{100 * std.pass_line:g} 分；恰好在线上算达线）"),
        ("优秀率", f"成绩 ≥ 满分 × {excellent} 的人数 ÷ 实考人数"),
        ("低分率", f"成绩 < 满分 × {_pct(std.low_line)} 的人数 ÷ 实考人数"),
        ("超均率", _ABOVE_MEAN.get(std.above_mean_variant, std.above_mean_variant)),
        ("综合分（三率一分）", f"100 ×（{composite_text(std)}）；名次按综合分在同一科目的班级（教师）之间排"),
        ("全科合格率", "参加的每一科都及格的学生人数 ÷ 参加考试的学生人数"),
        ("双高普九", f"单科合格率 ≥ {_pct(std.double_high_subject)}，且全科合格率 ≥ "
                 f"{_pct(std.double_high_all)}（全年级）"),
        ("分数段", "每 10 分一段，含下限、不含上限，最高一段含满分；累计百分比从最高段往下累计"),
        ("与年级均分差、区间", "班级平均分 − 年级平均分；区间为 95% 置信区间，已按班级数校正"
                        "（见下表“班级与年级比较”）"),
        ("与年级比较", "区间整体在 0 以上写“高于年级”，整体在 0 以下写“低于年级”，区间包含 0 写"
                  "“与年级无明显差别”：这样的差距可能只是偶然波动"),
        ("与上次比（增值）", "同一批学生，本次成绩比按上次成绩预期的高（进步）或低（退步）；"
                     "区间包含 0 写“与预期无明显差别”（见下表“增值评价”）"),
        ("成长百分位", "与上次成绩相同的学生相比，本次考得比百分之多少的人好（1–99，50 为一般成长）；"
                  "班级看中位数"),
        ("Z 分数（标准分）", "（成绩 − 本次该科年级平均分）÷ 年级标准差：不同试卷之间比较相对位置用"),
        ("难度 P", "平均得分 ÷ 满分（越大越容易）；失分率 = 1 − 难度"),
        ("区分度 D", "总分前 27% 与后 27% 两组的得分率之差；≥ 0.40 优良，0.30–0.39 良好，"
                  "0.20–0.29 尚可，< 0.20 差，为负时先核对答案"),
        ("信度 α", "整卷的内部一致性（0/1 计分即 KR-20），区间为 95% 置信区间；不足 "
                 f"{std.item_min_students} 人不计算"),
        ("知识点得分率", "考查该知识点的各题得分之和 ÷ 满分之和"),
        ("共性弱项", f"年级知识点得分率 < {_pct(std.knowledge_weak_rate)}，且至少 "
                 f"{_pct(std.knowledge_weak_share)} 的学生在该知识点未达及格"),
        ("培优、临界、补差、偏科", "见“培优补差”一节的名单规则（来自评价标准）"),
    ]
    return pd.DataFrame(rows, columns=["term", "definition"])


def methods() -> pd.DataFrame:
    """The statistics behind the readings of the report, and how to read them: ``term``,
    ``definition``.

    >>> methods()["term"].tolist()[:2]
    ['置信区间与“偶然波动”', '方差分析（F、η²）']
    """
    rows = [
        ("置信区间与“偶然波动”", "同一个班换一套难度相当的试卷再考一次，平均分也会上下浮动。95% 置信区间"
                          "给出这种浮动的范围：区间包含 0（或包含年级的值）时，差异可能只是偶然波动，"
                          "报告正文写“无明显差别”，不据此排先后"),
        ("方差分析（F、η²）", "检验一个科目各班平均分之间整体有没有差异；p < 0.05 为有差异。η² 是班级"
                       "之间的差异占全部差异的比例（0.01 小、0.06 中、0.14 大）"),
        ("秩和检验（Kruskal–Wallis H）", "不假定成绩呈正态分布的同类检验；与方差分析结论一致时更可靠"),
        ("班级与年级比较（Welch t 检验）", "班级与年级其他学生比较，允许两组方差不同；区间和 p 值按班级数"
                                  "做 Bonferroni 校正，以免班级多了偶然碰出“显著”"),
        ("两两比较（Games–Howell）", "每两个班之间的比较，允许人数和方差不同，已对全部班级对校正；"
                                "均分差为 A 班 − B 班"),
        ("效应量 g（Hedges）", "两组平均分之差除以合并标准差：0.2 小、0.5 中、0.8 大；与人数无关"),
        ("p 值", "假如各组其实没有差别，出现这么大（或更大）差异的概率；< 0.05 称差异显著，写作"
               "“<0.001”时表示小于千分之一"),
        ("增值评价（混合模型、收缩）", "以上次考试的 Z 分数为入口、本次为出口做回归（入口系数 β），"
                              "每个班的增值是其学生实际成绩高出预期的平均。混合模型（班级随机截距）把"
                              "人数少、波动大的班向 0 收缩，不会因偶然排在两端；模型估计班级间差异为 0 "
                              "时改用残差均值（OLS）及其 t 区间。ICC 为班级之间差异所占的比例"),
        ("名次区间", "按估计的不确定性抽样 2000 次得到的名次范围（2.5%–97.5%）：区间重叠的班级，"
                  "名次先后不能说明差别"),
        ("成长百分位（SGP）", "对每个年级和科目，用 B 样条分位数回归拟合 100 条“相同起点下的成绩分位线”，"
                         "学生高过几条就是几；班级中位数的区间不含 50 才算高于或低于一般成长"),
    ]
    return pd.DataFrame(rows, columns=["term", "definition"])
