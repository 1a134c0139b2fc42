"""Addresses printed for residents (QR codes, flyers, mails): PUBLIC_BASE_URL + a path."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import current_app


def public_url(path: str) -> str:
    """An address under PUBLIC_BASE_URL, for print and mail (not the request's own host)."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def survey_link(channel_code: str, **query: str) -> str:
    """The address a channel's QR code encodes: /s/<code>, with an optional query."""
    path = "/s/" + quote(channel_code)
    return public_url(path + ("?" + urlencode(query) if query else ""))
