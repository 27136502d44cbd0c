"""Editing the plan as staff do: an initiative's yearly report and, inside an open revision, the
plan itself (initiatives, sections)."""
