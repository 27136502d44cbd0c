"""The Japanese labels of the reporting round (実績報告), as the pages, the e-mails and the
refusals say them (pure; keyed by the states' values, which the enums of `reporting.rules` are)."""

from __future__ import annotations

from typing import Final

SUBMISSION_STATE_LABELS: Final[dict[str, str]] = {
    "not_submitted": "未提出",
    "submitted": "提出済",
    "returned": "差戻し",
    "accepted": "承認済",
}
"""Where a department's report stands (`SubmissionState`), in the order it moves."""

SUBMISSION_ACTION_LABELS: Final[dict[str, str]] = {
    "submit": "提出",
    "return": "差戻し",
    "accept": "承認",
}
"""What is done to a department's report (`SubmissionAction`)."""

ROUND_STATE_LABELS: Final[dict[str, str]] = {
    "open": "受付中",
    "approved": "確定（推進委員会承認済）",
}
"""Where a round stands (`RoundState`)."""

MISSING_KIND_LABELS: Final[dict[str, str]] = {
    "activity": "実績・進捗",
    "indicator": "実績値",
    "goal": "達成状況",
}
"""What an initiative still has to report (`reporting.dashboard.Missing.kind`)."""

EMAIL_OUTCOME_LABELS: Final[dict[str, str]] = {
    "sent": "送信済み",
    "failed": "送信できませんでした",
}
"""How sending a reminder went (`EmailLog.outcome`)."""
