"""The base of every error a user can fix; the CLI prints these as one line, no traceback."""


class DxplanError(Exception):
    """An error with a message that tells the user what to fix."""
