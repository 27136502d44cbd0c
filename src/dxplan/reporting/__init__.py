"""The yearly reporting (実績報告): the reporting round (the DX division opens it for a plan and a
fiscal year with a due date, each department submits its report, the DX division accepts or
returns it, the committee approves the round, which locks the year), what each department still
has to report (`worklist`), and the reminder e-mails.
"""
