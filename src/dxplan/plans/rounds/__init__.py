"""The reporting round (実績報告): the DX division opens it for a plan and a fiscal year with a due
date, each department submits its yearly report, the DX division accepts or returns it, and the
committee approves the round, which locks the year as a snapshot.

`rules` (pure), `models`, `locks` (what update_initiative asks), `services` (the writes),
`queries` (the dashboard), `mail` and `reminders` (the e-mails).
"""
