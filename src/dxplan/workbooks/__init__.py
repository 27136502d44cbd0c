"""The update workbook (更新用Excel) of the yearly cycle: a department's (or the whole plan's)
yearly fields for one fiscal year as an Excel workbook that staff fill in offline, and its import
back through the same service as the pages (permission, row version, audit), all or nothing."""
