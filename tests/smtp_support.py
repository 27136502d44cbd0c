"""A real SMTP server for the tests (aiosmtpd on a free local port) that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from dxplan.settings import get_settings


@dataclass
class Mailbox:
    """What the server received, as parsed messages (with their envelope recipients)."""

    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def subjects_to(self, address: str) -> list[str]:
        """The subjects of the messages sent to `address`."""
        return [str(m["Subject"]) for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Mailbox]:
    """A running SMTP server, and the DXPLAN_SMTP_* settings pointing at it."""
    mailbox = Mailbox("127.0.0.1", _free_port())
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    monkeypatch.setenv("DXPLAN_SMTP_HOST", mailbox.host)
    monkeypatch.setenv("DXPLAN_SMTP_PORT", str(mailbox.port))
    monkeypatch.setenv("DXPLAN_SMTP_FROM", "dx@example.jp")
    get_settings.cache_clear()
    try:
        yield mailbox
    finally:
        controller.stop()
        get_settings.cache_clear()
