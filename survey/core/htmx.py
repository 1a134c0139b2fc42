"""The only code that reads HX-* headers."""

from __future__ import annotations

from flask import Response, g, redirect, request


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


def show_next(url: str) -> None:
    """This POST answers with the screen of `url` (the next step) instead of a 303 to it: the
    address htmx pushes and the language links point to become that step's."""
    g.screen_url = url


def screen_path() -> str:
    """The address of the screen this response shows (without its query)."""
    return g.get("screen_url") or request.path


def screen_full_path() -> str:
    """The same with the query, as htmx pushes it."""
    return g.get("screen_url") or request.full_path.rstrip("?")
