"""纵向分析: several exams of one cohort, 届 comparison, tracking, value added, growth
percentiles (``sgp``) and trends.
"""
