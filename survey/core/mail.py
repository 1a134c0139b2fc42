"""Outgoing mail over SMTP, with the settings from the app config (MAIL_*)."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate

TIMEOUT_SECONDS = 20


class DeliveryFailed(Exception):
    """The SMTP server was away or did not accept the message."""


def build_message(config: Mapping, key: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message whose Message-ID follows from the outbox key."""
    sender = config["MAIL_FROM"]
    domain = sender.rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    # The same key always gives the same Message-ID, so mail clients can spot a duplicate.
    message["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    return message


def deliver(config: Mapping, message: EmailMessage) -> None:
    """Hand one message to the SMTP server; raise DeliveryFailed if it is not accepted."""
    try:
        smtp = smtplib.SMTP(
            config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=TIMEOUT_SECONDS
        )
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"cannot connect: {exc}") from exc
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        refused = smtp.send_message(message)
        if refused:
            raise DeliveryFailed(f"recipient refused: {refused}")
    except (OSError, smtplib.SMTPException) as exc:
        smtp.close()
        raise DeliveryFailed(str(exc) or exc.__class__.__name__) from exc
    # Accepted: a failing QUIT after this must not make the message count as unsent.
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
