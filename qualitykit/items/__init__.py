"""试卷分析: item statistics (difficulty, discrimination, reliability), distractors,
knowledge points, and one paper's whole analysis.
"""
