"""The 联考 / district view: many schools in one analysis.

Admission lines and 赋分 (``lines``: 上线, 单科有效分, 双上线, 临界生; ``scaling``: 等级赋分
under a province's scheme).
"""
