"""Settings read from the environment. Rules that vary by place live in the settings table."""
import os


def _flag(name, default):
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # default set in create_app
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
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
