"""The application factory."""
import os
import re

from flask import Flask, g, has_request_context, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from config import Config
from extensions import csrf, db, htmx, login_manager, migrate

ERROR_TEXT = {
    400: ("请求无效", "页面已过期或请求不完整（安全校验未通过）。请刷新页面后重新操作。"),
    403: ("无权操作", "您的账号没有执行此操作的权限。"),
    404: ("未找到", "您要找的页面或记录不存在，或不在您的查看范围内。"),
    405: ("请求方式不正确", "此地址不接受这种请求方式。"),
    409: ("当前状态不允许此操作", "记录的状态已经改变，或已锁定，不能进行此操作。"),
    413: ("提交的内容过大", "上传的文件或提交的内容超过了大小限制，请压缩或拆分后重试。"),
    422: ("输入有误", "提交的内容未通过校验，请按提示修改。"),
    429: ("尝试次数过多", "操作过于频繁，请稍后再试。"),
    500: ("系统错误", "系统出现了意外错误，操作未完成，数据没有被部分保存。请稍后重试或联系管理员。"),
}


STALE_TEXT = "这条记录刚刚被他人修改，您的保存未执行，没有覆盖任何内容。请重新打开页面，在最新内容上修改后再保存。"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _database_locked(error):
    return isinstance(error, OperationalError) and "locked" in str(error.orig).lower()


class Fengqiao(Flask):
    """Flask, with one retry of a request that met SQLite's "database is locked".

    Write requests take SQLite's write lock when they begin (BEGIN IMMEDIATE, below) and wait for it
    (busy_timeout), so they never meet it. A read that writes as well (an audit entry for a download)
    starts as a reader; if another writer got in between, SQLite refuses the upgrade at once. Its
    transaction is rolled back whole and the view runs again, this time taking the lock first.
    """

    def dispatch_request(self):
        try:
            return super().dispatch_request()
        except OperationalError as e:
            if not _database_locked(e) or g.get("writer"):
                raise
            db.session.rollback()
            g.writer = True
            return super().dispatch_request()


# No inline script, no inline style, no eval: htmx is told not to need them (htmx-config in base.html:
# allowEval false, allowScriptTags false, includeIndicatorStyles false).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def current_user_is_signed_in():
    from flask_login import current_user

    return bool(getattr(current_user, "is_authenticated", False))


def create_app(test_config=None):
    app = Fengqiao(__name__, instance_relative_config=True)
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "fengqiao.db")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgres://"):]
    elif uri.startswith("postgresql://"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri[len("postgresql://"):]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Web requests are short: a parallel query's workers cost more to start than they save, and the
        # JIT compiles for longer than such a query runs (issue 16; FENGQIAO_PG_OPTIONS to change).
        options = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
        options["connect_args"] = {"options": app.config["PG_OPTIONS"], **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    if app.config.get("FENGQIAO_NOW"):
        from models import clock

        clock.set_now(app.config["FENGQIAO_NOW"])
    if os.environ.get("PROXY_FIX") == "1":
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)

    import models  # noqa: F401  (complete metadata before migrations and queries)
    import services.audit  # noqa: F401  (registers the flush hook)
    import services.dashboard_summary  # noqa: F401  (registers the summary's flush hooks)
    import services.ocds  # noqa: F401  (registers the open-data feed's revision hook)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    login_manager.login_message_category = "info"

    from blueprints import register_all

    register_all(app)
    _register_errors(app)
    _register_template_helpers(app)

    from cli import register_cli

    register_cli(app)
    _register_static_versions(app)

    @app.after_request
    def _headers(response):
        response.vary.add("HX-Request")
        response.vary.update(sorted(g.get("htmx_vary", ())))  # HX-Target, HX-Boosted when the body depends on them
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static" and (current_user_is_signed_in() or request.method not in SAFE_METHODS):
            # Personal data stays out of every cache, downloads included: replace what send_file set (no-cache,
            # which lets a browser or proxy store the file and only revalidate it). Answers to a POST too (the
            # logout's, sent once the user is signed out).
            response.headers["Cache-Control"] = "no-store"
        return response

    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: enforce foreign keys, WAL, wait on locks; let SQLAlchemy run transactions (savepoints)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """SQLite: a write request takes the write lock first (BEGIN IMMEDIATE), waiting for it up to the
    busy timeout, so its later writes never fail with "database is locked"; reads stay concurrent."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_request() else "BEGIN")


# PostgreSQL: a read request runs in autocommit, so it sends no BEGIN and no ROLLBACK (two round trips of the
# floor's four, of a list page's ten). Its first statement that writes or locks (INSERT, UPDATE, DELETE, an
# advisory lock as the dashboard's summary refresh takes, FOR UPDATE, a savepoint, a server-side cursor) opens
# a transaction there, which commits or rolls back as any other; a view's audit entry (services.audit.log_read)
# marks the request a writer first and gets its transaction from the start. Reads see the same: under READ
# COMMITTED each statement has its own snapshot inside a transaction too (issue 16).
_OPENS_TRANSACTION = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|LOCK|SHARE|SAVEPOINT|"
                                r"pg_advisory\w*|nextval|setval|set_config)\b")


@event.listens_for(Engine, "engine_connect")
def _pg_read_autocommit(conn):
    if conn.dialect.name == "postgresql" and has_request_context() and not _write_request():
        conn.execution_options(isolation_level="AUTOCOMMIT", fengqiao_read=True)


@event.listens_for(Engine, "before_cursor_execute")
def _pg_begin_on_write(conn, cursor, statement, parameters, context, executemany):
    if conn.dialect.name != "postgresql" or not conn.get_execution_options().get("fengqiao_read"):
        return
    dbapi_connection = cursor.connection
    if dbapi_connection.autocommit and _opens_transaction(statement, context):
        dbapi_connection.autocommit = False  # psycopg sends BEGIN before this statement


def _opens_transaction(statement, context):
    if not statement.lstrip().startswith(("SELECT", "WITH")):
        return True
    if context is not None and context.execution_options.get("stream_results"):
        return True  # a server-side cursor lives in a transaction
    return _OPENS_TRANSACTION.search(statement) is not None


def _write_request():
    """A POST and the like, or a read that is about to write (g.writer: its next transaction is a writer's)."""
    if not has_request_context():
        return False
    return request.method not in SAFE_METHODS or bool(g.get("writer"))


def _register_errors(app):
    def respond(code, message=None):
        title, text = ERROR_TEXT.get(code, ERROR_TEXT[500])
        text = message or text
        if htmx and not htmx.boosted:
            body = render_template("errors/_fragment.html", code=code, title=title, text=text)
            return body, code, {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
        return render_template("errors/page.html", code=code, title=title, text=text), code

    @app.errorhandler(StaleDataError)
    def stale(e):
        db.session.rollback()  # two saves from the same version met in the database: the later one loses
        return respond(409, STALE_TEXT)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return respond(400)

    @app.errorhandler(HTTPException)
    def http_error(e):
        if e.code in ERROR_TEXT:
            return respond(e.code, getattr(e, "fengqiao_message", None))
        return e

    @app.errorhandler(Exception)
    def server_error(e):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        if app.config.get("PROPAGATE_UNHANDLED"):
            raise e
        return respond(500)


def _register_template_helpers(app):
    from docgen.formats import amount_in_words
    from models import clock
    from models.formats import cn_date, cn_datetime, money, quantity

    app.jinja_env.filters["cn_date"] = cn_date
    app.jinja_env.filters["cn_datetime"] = cn_datetime
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["qty"] = quantity
    app.jinja_env.filters["capitals"] = amount_in_words

    @app.context_processor
    def _globals():
        return {"today": clock.today()}


def _register_static_versions(app):
    """Static files carry a content hash in their URL (?v=…) and are cached for a year under it; a changed
    file gets a new URL, so no one keeps an old stylesheet or script (issue 8)."""
    import hashlib

    versions = {}

    def version(filename):
        if filename not in versions:
            try:
                with open(os.path.join(app.static_folder, filename), "rb") as f:
                    versions[filename] = hashlib.sha256(f.read()).hexdigest()[:12]
            except OSError:
                versions[filename] = None
        return versions[filename]

    @app.url_defaults
    def _static_version(endpoint, values):
        if endpoint == "static" and "v" not in values and values.get("filename"):
            v = version(values["filename"])
            if v:
                values["v"] = v

    @app.after_request
    def _static_cache(response):
        if request.endpoint == "static" and response.status_code == 200:
            v = request.args.get("v")
            if v and v == version(request.view_args.get("filename", "")):
                response.cache_control.public = True
                response.cache_control.max_age = 365 * 24 * 3600
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
        return response
