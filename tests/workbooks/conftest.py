from web_support import web

__all__ = ["web"]
