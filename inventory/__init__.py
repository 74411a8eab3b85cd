"""Inventory: IT assets, the people who hold them, and what the network sees of them."""

import logging
import re
import uuid

from flask import Flask, g, request

from . import config, extensions
from .extensions import db, migrate, write_intent

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,64}$")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(config.INSTANCE_DIR))
    config.load(app, overrides)
    logging.basicConfig(level=app.config.get("LOG_LEVEL", "INFO"))
    from .api.common import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: ids are bounded everywhere
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    from .errors import register_error_handlers

    register_error_handlers(app)
    from .cli import register_commands

    register_commands(app)
    from .middleware import DecompressRequest

    app.wsgi_app = DecompressRequest(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    return app


def register_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - models must be imported before metadata is used

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.INSTANCE_DIR.parent / "migrations"), render_as_batch=True,
                     compare_type=True)
    api = app.extensions["smorest_api"] = extensions.make_api()
    api.init_app(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearer": []}]

    from flask import send_from_directory
    from swagger_ui_bundle import swagger_ui_path

    @app.get("/api/swagger-ui/<path:filename>", endpoint="swagger_ui")
    def _swagger_ui(filename):
        return send_from_directory(swagger_ui_path, filename, max_age=86400)


def register_blueprints(app: Flask) -> None:
    from .api import BLUEPRINTS

    for blp in BLUEPRINTS:
        app.extensions["smorest_api"].register_blueprint(blp)
    from .api.agents import blp as agents_blp

    app.register_blueprint(agents_blp)
    from .web import init_app as init_web

    init_web(app)


def register_request_hooks(app: Flask) -> None:
    from .auth import authorize_api_request, authorize_web_request

    @app.before_request
    def _begin():
        rid = request.headers.get("X-Request-ID", "")
        g.request_id = rid if _REQUEST_ID.match(rid) else uuid.uuid4().hex
        if request.path.startswith("/api/"):
            authorize_api_request()
        elif (request.blueprint or "").split(".")[0] == "web":
            authorize_web_request()
        # Set after authentication, which reads on its own connection: the request's own
        # transaction then starts as a writer (see extensions.write_intent).
        g.write_token = write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.after_request
    def _headers(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            # The API docs page (Swagger UI) is the one page built with inline script and styles.
            inline = " 'unsafe-inline'" if request.endpoint == "api-docs.openapi_swagger_ui" else ""
            response.headers["Content-Security-Policy"] = (
                f"default-src 'self'; script-src 'self'{inline}; style-src 'self'{inline}; img-src 'self' data:; "
                "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
        return response

    @app.teardown_request
    def _end(_exc):
        token = g.pop("write_token", None)
        if token is not None:
            write_intent.reset(token)
