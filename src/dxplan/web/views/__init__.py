"""What the pages (and the API's files) show, worked out from what the domains read: the plan
page, an initiative sheet, marked-up text, files to download, the update workbook's forms."""
