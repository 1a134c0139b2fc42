"""The only code that reads HX-* headers."""

from __future__ import annotations

from flask import Response, redirect, request


def is_htmx() -> bool:
    """True for an htmx request that wants a fragment (not a history restore)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def vary(response: Response) -> Response:
    """Mark a response that depends on the HX headers, for caches."""
    response.vary.add("HX-Request")
    return response


def push_url(response: Response, url: str) -> Response:
    response.headers["HX-Push-Url"] = url
    return vary(response)


def see_other(url: str) -> Response:
    """Redirect after POST: 303, which htmx follows with the same headers."""
    return redirect(url, code=303)
