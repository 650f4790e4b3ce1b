"""培优补差: the enrichment, borderline, support and lopsided lists, progress between two
exams, and the 学困生档案 tracking file.
"""
