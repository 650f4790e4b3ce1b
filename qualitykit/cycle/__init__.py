"""The quality-management cycle around the numbers: the 质量目标与整改台账 (``register``), 回头看
(``review``, with the targets read from plain Chinese in ``goals``), 学习进步奖 among the
后进生 (``progress_award``), 约谈/黄牌/红牌 alerts (``alerts``), 位次奖 awards (``awards``) and
教师综合评价 (``evaluation``); ``runs`` holds the logic of the register/review commands."""
