"""elearn: customer-harassment prevention training for local government staff."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import event

from .config import DEFAULTS, load_config

# Endpoints reachable without logging in.
PUBLIC_ENDPOINTS = {"auth.login", "auth.activate", "health.healthz", "preferences.language", "static"}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides the environment (tests pass their own)."""
    app = Flask(__name__, instance_path=os.environ.get("ELEARN_INSTANCE_PATH") or None)
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(load_config(os.environ, app.instance_path))
    if config:
        app.config.from_mapping(config)
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_security(app)
    register_proxy_fix(app)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (register the tables on the metadata)
    from .auth import sessions
    from .database import configure_sqlite
    from .extensions import babel, csrf, db, login_manager, migrate
    from .preferences import select_locale
    from .services import security_log

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config["MIGRATIONS_DIR"]))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", configure_sqlite)

    # Checked on every request (require_login below asks for the user first thing): an ended, idle or
    # expired session, or a deactivated employee's, is signed out at once.
    login_manager.user_loader(sessions.load_user)
    sessions.register(app)
    security_log.install()

    @app.before_request
    def require_login():
        if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None


def register_url_converters(app: Flask) -> None:
    from .routing import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app: Flask) -> None:
    from .analysis.routes import bp as analysis_bp
    from .auth.routes import bp as auth_bp
    from .author import uploads  # noqa: F401  (its routes are on the author blueprint)
    from .author.routes import bp as author_bp
    from .certificates.routes import bp as certificates_bp
    from .health import bp as health_bp
    from .hr.routes import bp as hr_bp
    from .learn.routes import bp as learn_bp
    from .manage.routes import bp as manage_bp
    from .preferences import bp as preferences_bp
    from .selfcheck.routes import bp as selfcheck_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(certificates_bp)
    app.register_blueprint(selfcheck_bp)
    app.register_blueprint(preferences_bp)
    app.register_blueprint(hr_bp, url_prefix="/hr")
    app.register_blueprint(author_bp, url_prefix="/author")
    app.register_blueprint(manage_bp, url_prefix="/manage")
    app.register_blueprint(analysis_bp, url_prefix="/analysis")


def register_commands(app: Flask) -> None:
    from .cli import COMMAND_GROUPS

    for group in COMMAND_GROUPS:
        app.cli.add_command(group)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from .templating import register

    register(app)


def register_security(app: Flask) -> None:
    from .security import register

    register(app)


def register_proxy_fix(app: Flask) -> None:
    """Behind reverse proxies, take the client's address and scheme from the headers they set.

    Only when configured: without a proxy that overwrites them, anyone could send these headers
    and, for instance, pick the address that login throttling counts against.
    """
    if proxies := app.config.get("PROXY_FIX", 0):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
