"""体质测试: the 国家学生体质健康标准（2014年修订） as data, scoring by it, and the schools' exports
read, analysed and reported.

``items`` names the tested items and how each is recorded; ``tables`` reads the standard's
tables shipped in ``tables/`` (sources in ``tables/PROVENANCE.md``); ``score`` turns one row
per pupil × item into 单项得分, 加分, 标准分, 学年总分, 等级 and 毕业成绩. ``read`` (with
``headers`` and ``values``) reads the 体测 exports, ``analysis`` computes the tables of the
体质健康分析, ``report`` cuts them into pages and files, ``run`` is ``qualitykit fitness``,
``sample`` writes the sample school's 体测 files.
"""
