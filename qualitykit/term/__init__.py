"""The term analysis (期中/期末质量分析): 三率一分 (``indicators``), distributions (``distribution``),
class and teacher comparisons (``compare``, ``teachers``), level-graded grades (``levels``, on the
等级 scale of ``level_scale``), the findings (``findings``), and loading one term's files
(``load``). Each module imports only modules before it in this order: ``level_scale``,
``distribution``, ``indicators``, ``findings``, ``levels``, ``compare``, ``teachers``, ``load``.
"""
