"""The quality-management cycle: targets and 整改台账, 回头看, 学习进步奖 (part A of issue 17)."""
