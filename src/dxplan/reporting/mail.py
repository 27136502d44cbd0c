"""Sending e-mail over SMTP (standard library smtplib and email.message), UTF-8 throughout."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class SmtpConfig:
    """The SMTP server to send through (DXPLAN_SMTP_* settings)."""

    host: str
    port: int = 25
    sender: str = "dxplan@localhost"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 30.0


def compose(sender: str, recipient: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message in UTF-8 (Japanese subject and body)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message.set_content(body, charset="utf-8")
    return message


def send(config: SmtpConfig, messages: list[EmailMessage]) -> list[str | None]:
    """Send the messages over one connection; per message None (sent) or the error's text.

    A connection that fails fails every message (each gets the error), never raises.
    """
    if not messages:
        return []
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as server:
            if config.starttls:
                server.starttls()
            if config.user:
                server.login(config.user, config.password or "")
            outcomes: list[str | None] = []
            for message in messages:
                try:
                    server.send_message(message)
                    outcomes.append(None)
                except smtplib.SMTPException as exc:
                    outcomes.append(f"{type(exc).__name__}: {exc}")
            return outcomes
    except (OSError, smtplib.SMTPException) as exc:
        return [f"{type(exc).__name__}: {exc}"] * len(messages)
