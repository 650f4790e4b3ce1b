"""The quality-management cycle around the numbers: 约谈/黄牌/红牌 alerts, 位次奖 awards and
教师综合评价 (and the 台账 and 回头看)."""
