"""Improvement-plan tracking (theo dõi thực hiện kế hoạch cải tiến chất lượng).

Every improvement item written in a report (and every recommendation of an external evaluation
adopted into it) is a tracked action: its status, dates and owner change during the year, dated
progress notes record how it goes with the evidence they rest on, and a flag says whether it is
late. ``flags`` is the pure rule, ``services`` the writes, ``selectors`` the reads of the school's
plan page and of the district's roll-up, ``views`` the pages.
"""
