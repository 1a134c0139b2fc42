"""Settings from the environment, with safe defaults for a laptop."""

import os
import secrets
from datetime import date
from pathlib import Path

LANGUAGES = ("nl", "en", "tr", "pl", "ar")
RTL_LANGUAGES = frozenset({"ar"})
# Retention terms in days (0: at once), applied by `flask --app app retention run`: volunteers'
# details and open text count from the survey's closing, the others from their own time.
RETENTION_SETTINGS = {
    "VOLUNTEER_RETENTION_DAYS": 365,
    "OPEN_TEXT_RETENTION_DAYS": 180,
    "MAIL_RETENTION_DAYS": 30,
    "UNCONFIRMED_FOLLOW_DAYS": 7,
    "AUDIT_RETENTION_DAYS": 365,
    # The hash of a response's address (for the review of bursts) is forgotten after this.
    "CLIENT_KEY_DAYS": 30,
}
LIMIT_SETTINGS = (
    "LIMIT_SIGN_IN",
    "LIMIT_START",
    "LIMIT_ANSWER",
    "LIMIT_FOLLOW",
    "LIMIT_VOLUNTEER",
    "LIMIT_SCAN",
)


class ConfigError(RuntimeError):
    """A setting the app cannot start without; the message says which and why."""


def _secret_key(instance: Path, production: bool = False) -> str | None:
    """Return SECRET_KEY, or (not in production) one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    if production:  # several app servers must sign with the same key: check() refuses None
        return None
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _database_url(instance: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'buurtpeiling.sqlite3'}"


def from_environment(instance: Path) -> dict:
    """Collect the configuration for create_app()."""
    production = os.environ.get("BUURTPEILING_ENV", "development") == "production"
    return {
        "SECRET_KEY": _secret_key(instance, production),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PRODUCTION": production,
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": int(os.environ.get("OFFICER_IDLE_SECONDS", 3600)),
        # An officer session ends this long after sign-in, however active the officer is.
        "OFFICER_SESSION_MAX_HOURS": float(os.environ.get("OFFICER_SESSION_MAX_HOURS", 12)),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)),
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
        "MAX_FORM_PARTS": 500,
        # Number of proxies (load balancer, TLS terminator) in front of the app, trusted for
        # X-Forwarded-For/-Proto: rate limits count per resident address, not per balancer.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        # Above 0: a post needs the signed screen token of a served screen (no one is refused
        # for being quick; 0 switches the token check off).
        "HUMAN_MIN_SECONDS": float(os.environ.get("HUMAN_MIN_SECONDS", 0.5)),
        # Against stuffing: responses of one address per survey per day that count, and a
        # burst (more than BURST_STARTS starts within BURST_MINUTES); the rest is "verdacht".
        "RESPONSES_PER_ADDRESS_PER_DAY": int(os.environ.get("RESPONSES_PER_ADDRESS_PER_DAY", 25)),
        "BURST_STARTS": int(os.environ.get("BURST_STARTS", 10)),
        "BURST_MINUTES": int(os.environ.get("BURST_MINUTES", 10)),
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_TRANSLATION_DIRECTORIES": "translations",
        "LANGUAGES": LANGUAGES,
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": os.environ.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", "buurtpeiling"),
        # Redis away: count in memory and keep serving rather than refuse residents.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        **{name: os.environ.get(name) for name in LIMIT_SETTINGS},
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "MUNICIPALITY": os.environ.get("MUNICIPALITY", "Gemeente Voorbeeldstad"),
        # The Noto fonts the PDFs are set in (Debian's fonts-noto-core puts them here).
        "PDF_FONT_DIR": os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype/noto"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_FROM": os.environ.get("MAIL_FROM", "peiling@voorbeeldstad.nl"),
        # The accessibility statement (/toegankelijkheid): where to report a barrier, and when
        # the statement was last checked (ISO date).
        "ACCESSIBILITY_CONTACT": os.environ.get(
            "ACCESSIBILITY_CONTACT", "toegankelijkheid@voorbeeldstad.nl"
        ),
        "ACCESSIBILITY_DATE": os.environ.get("ACCESSIBILITY_DATE", "2026-12-03"),
        **{name: int(os.environ.get(name, days)) for name, days in RETENTION_SETTINGS.items()},
        # Engagement profile definitions (JSON); empty means the shipped survey/profiling file.
        "PROFILES_FILE": os.environ.get("PROFILES_FILE") or None,
    }


def check(config) -> None:
    """Refuse to start without what the app cannot do without."""
    if not config.get("SECRET_KEY"):
        raise ConfigError(
            "SECRET_KEY is not set. With BUURTPEILING_ENV=production every app server needs "
            "the same SECRET_KEY in its environment."
        )
    try:
        date.fromisoformat(str(config.get("ACCESSIBILITY_DATE")))
    except ValueError as error:
        raise ConfigError("ACCESSIBILITY_DATE is a date written as 2026-12-31.") from error
    for name in RETENTION_SETTINGS:
        if not isinstance(config.get(name), int) or config[name] < 0:
            raise ConfigError(f"{name} is a number of days: 0 (erase at once) or more.")
