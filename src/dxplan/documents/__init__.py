"""The documents a city publishes from its plan: initiative sheets, the yearly progress report,
the summary and the revision history, as PDF (WeasyPrint) and as Excel (openpyxl)."""
