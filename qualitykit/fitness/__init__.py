"""体质测试: the 国家学生体质健康标准（2014年修订） as data, and scoring by it.

``items`` names the tested items and how each is recorded; ``tables`` reads the standard's
tables shipped in ``tables/`` (sources in ``tables/PROVENANCE.md``); ``score`` turns one row
per pupil × item into 单项得分, 加分, 标准分, 学年总分, 等级 and 毕业成绩.
"""
