"""体质测试: the 国家学生体质健康标准（2014年修订） scored, read from the schools' exports, analysed
and reported (``read`` import, ``analysis``, ``report``, ``run`` the command)."""
