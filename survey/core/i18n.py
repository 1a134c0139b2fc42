"""Languages: choosing the locale, and text direction."""

from __future__ import annotations

from decimal import Decimal
from functools import wraps
from urllib.parse import urlencode

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from survey.config import LANGUAGES, RTL_LANGUAGES
from survey.core import htmx
from survey.core.errors import UserError, error_page
from survey.extensions import babel
from survey.models._types import text_and_lang, text_in

LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "English",
    "tr": "Türkçe",
    "pl": "Polski",
    "ar": "العربية",
}
COOKIE = "lang"


def select_locale() -> str:
    """?lang= first (and remembered), then the cookie, then the browser's languages."""
    if not has_request_context():  # the CLI and background work speak Dutch
        return "nl"
    asked = None if _prints() else request.args.get("lang")
    if asked in LANGUAGES:
        g.lang_chosen = asked
        return asked
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(LANGUAGES) or "nl"


def _prints() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "prints_language", False)


def printout(view):
    """A view that prints in a language (a PDF): its ?lang= is the printout's language, not the
    officer's, so it is not remembered and the officer's pages stay in their own language. A
    language the survey lacks (printout_language) gives a 400 page that says so."""

    @wraps(view)
    def printing(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except UserError as exc:
            if exc.field != "lang":
                raise
            return error_page(exc.message, 400)

    printing.prints_language = True
    return printing


def printout_language(languages, default: str | None = None) -> str:
    """The language a printout is asked in: ?lang= if the survey has it, else `default` (a
    channel's own language) if the survey has that, else Dutch. Another language: UserError."""
    asked = request.args.get("lang", "").strip()
    if not asked:
        return default if default in languages else "nl"
    if asked in languages:
        return asked
    names = ", ".join(f"{LANGUAGE_NAMES.get(code, code)} ({code})" for code in languages)
    raise UserError(
        _l("Deze peiling is er niet in die taal. Kies een van: %(names)s.", names=names),
        field="lang",
    )


def current_lang() -> str:
    return str(get_locale() or "nl")


def text_direction(lang: str | None = None) -> str:
    return "rtl" if (lang or current_lang()) in RTL_LANGUAGES else "ltr"


def content(texts, lang: str | None = None) -> Markup:
    """Survey content for a page in `lang`: the escaped text, wrapped in a span with the
    language it is really in when that is a fallback (WCAG 3.1.2, mixed-language pages).
    `texts` is a {lang: text} dict or a (text, actual language) pair (Question.text_and_lang).
    Not for attributes (aria-label, title, value): those take the plain text_in."""
    lang = lang or current_lang()
    text, actual = texts if isinstance(texts, tuple) else text_and_lang(texts, lang)
    if not text or actual == lang:
        return escape(text)
    direction = text_direction(actual)
    if direction != text_direction(lang):  # Dutch inside an Arabic page runs left to right
        return Markup('<span lang="{}" dir="{}">{}</span>').format(actual, direction, text)
    return Markup('<span lang="{}">{}</span>').format(actual, text)


def lang_attr(texts, lang: str | None = None) -> Markup:
    """` lang="nl"` for an element whose whole text is a fallback (an <option>), else nothing."""
    lang = lang or current_lang()
    text, actual = texts if isinstance(texts, tuple) else text_and_lang(texts, lang)
    return Markup(' lang="{}"').format(actual) if text and actual != lang else Markup("")


def language_url(code: str) -> str:
    """This page in another language, keeping its other query (a door code from a flyer)."""
    if htmx.screen_path() != request.path:  # a POST that shows the next step's screen
        return htmx.screen_path() + "?" + urlencode([("lang", code)])
    query = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + "?" + urlencode([("lang", code), *query])


def number(value):
    """A number as the page's locale writes it (1.234 or 1,234); anything else as it is
    (a rounded public figure may be a phrase such as "minder dan 10")."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return format_decimal(value)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.after_request
    def remember_language(response):
        chosen = g.get("lang_chosen")
        if chosen and request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE,
                chosen,
                max_age=60 * 60 * 24 * 365,
                samesite="Lax",
                secure=app.config["PRODUCTION"],
                httponly=True,
            )
        return response

    # Numbers and dates in the page's locale: 1.234 in Dutch, 1,234 in English, Arabic months.
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["day"] = lambda moment: format_date(moment, "long")

    @app.context_processor
    def language_context():
        lang = current_lang()
        return {
            "lang": lang,
            "dir": text_direction(lang),
            "language_names": LANGUAGE_NAMES,
            "languages": LANGUAGES,
            "text_in": text_in,
            "content": content,
            "lang_attr": lang_attr,
            "language_url": language_url,
        }
