"""One JSON error shape for every failure: {code, status, message, errors?}."""

import logging
from http import HTTPStatus

from flask import Flask, jsonify, request
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db
from .models.base import MAX_ID

log = logging.getLogger(__name__)


class ApiError(Exception):
    """A business-rule failure raised by services; becomes an error response."""

    def __init__(self, code: int, message: str, errors: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers


class NotFound(ApiError):
    def __init__(self, message: str = "Not found."):
        super().__init__(404, message)


class Conflict(ApiError):
    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(409, message, errors)


class Invalid(ApiError):
    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(422, message, errors)


def error_response(code: int, message: str | None = None, errors: dict | None = None, headers=None):
    status = HTTPStatus(code)
    body = {"code": code, "status": status.phrase, "message": message or status.description}
    if errors:
        body["errors"] = errors
    resp = jsonify(body)
    resp.status_code = code
    if headers:
        resp.headers.update(headers)
    return resp


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(e: ApiError):
        db.session.rollback()
        return error_response(e.code, e.message, e.errors, e.headers)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        db.session.rollback()
        data = getattr(e, "data", None) or {}
        errors = data.get("messages")
        message = data.get("message") or e.description
        if errors and e.code == 422:
            message = "Invalid input."
        if e.code == 404 and message == type(e).description:  # no route matched: say which path (and so which id)
            message = f"Nothing at {request.path}: no such resource, or no such id (ids are 1 to {MAX_ID})."
        headers = dict(data.get("headers") or {})
        if e.code == 405 and getattr(e, "valid_methods", None):
            headers["Allow"] = ", ".join(e.valid_methods)
        elif e.code == 405:
            allow = e.get_headers()
            headers.update({k: v for k, v in allow if k == "Allow"})
        return error_response(e.code or 500, message, errors, headers)

    @app.errorhandler(IntegrityError)
    def _integrity(e: IntegrityError):
        db.session.rollback()
        log.info("integrity error: %s", e.orig)
        return error_response(409, "The change conflicts with existing data (a duplicate or a missing reference).")

    @app.errorhandler(OperationalError)
    def _operational(e: OperationalError):
        db.session.rollback()
        log.warning("database unavailable: %s", e.orig)
        text = str(e.orig).lower()
        if "readonly" in text or "read-only" in text:
            return error_response(503, "The database is read-only; no change was made.")
        if "disk" in text and "full" in text:
            return error_response(507, "The database disk is full; no change was made.")
        return error_response(503, "The database is unavailable; try again shortly.", headers={"Retry-After": "5"})

    @app.errorhandler(DBAPIError)
    def _dbapi(e: DBAPIError):
        db.session.rollback()
        log.warning("database error: %s", e.orig)
        return error_response(400, "The database refused a value (out of range or malformed).")

    @app.errorhandler(OverflowError)
    def _overflow(e: OverflowError):
        db.session.rollback()
        return error_response(400, "A number is out of range.")

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        db.session.rollback()
        log.exception("unexpected error")
        return error_response(500, "Unexpected error; it has been logged.")
