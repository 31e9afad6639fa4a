"""Settings read from the environment. Rules that vary by place live in the settings table."""
import os


def _flag(name, default):
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default set in create_app
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL settings of the application's own sessions (libpq "options"), see app.create_app
    PG_OPTIONS = os.environ.get("FENGQIAO_PG_OPTIONS", "-c max_parallel_workers_per_gather=0 -c jit=off")
    # The whole request may carry six evidence files; each file has its own, smaller limit
    # so that a too-large file gets its message beside the field instead of a 413 page.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 64 * 1024 * 1024))
    MAX_FILE_SIZE = int(os.environ.get("MAX_FILE_SIZE", 10 * 1024 * 1024))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", "1")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # A fixed "now" for demos and tests (ISO date or datetime); unset in production.
    FENGQIAO_NOW = os.environ.get("FENGQIAO_NOW")
    # E-mail of notifications: off unless the admin sets MAIL_SERVER (and, as the server needs, the rest).
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _flag("MAIL_USE_TLS", "0")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "fengqiao@localhost")
    # The address the links in e-mails start with (the site as its users reach it).
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://localhost:5000")
