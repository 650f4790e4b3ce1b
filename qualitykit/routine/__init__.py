"""教学常规检查记录: the term's checks of 备课、上课、作业批改… per teacher, against the school's
rules (``templates/常规考核.toml``), as the 常规考核 score that joins the teacher evaluation.

``rules`` (the typed rules and their presets), ``read`` (the record workbook and the school's
own variants, with the import report), ``summary`` (counts, requirements, missed months, the
score and its order), ``workbooks`` (the template, the sample record and the output).
"""
