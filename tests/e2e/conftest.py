from browser_support import browser, context, page, site

__all__ = ["browser", "context", "page", "site"]
