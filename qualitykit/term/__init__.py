"""The term analysis (期中/期末质量分析): 三率一分, distributions, class and teacher comparisons,
level-graded grades, the findings, and loading one term's files (``load``).
"""
