"""The Cabinet Division's documents, made from the stored scores: the league table (.xlsx),
the overdue list of the reporting calendar (.xlsx) and drafted review-meeting minutes (.docx).

No Streamlit and no SQL here: each document asks data/desk.py (and data/queries.py) for its
rows and formats them, in Bengali or English (`reports.text.Style`). The pages and the command
line (`python -m reports league|overdue|minutes ...`) use the same functions:

    league.league(engine, scope, fy, q, level, under, basis) → League;  league.to_xlsx(...)
    overdue.overdue(engine, scope, fy, q, as_of) → Overdue;            overdue.to_xlsx(...)
    minutes.minutes(engine, scope, office, fy, q, with_agencies) → Minutes; minutes.to_docx(...)
"""
