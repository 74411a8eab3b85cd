"""Helpers shared by the API views: the acting context and documented error responses."""

import json
from collections.abc import Mapping

from flask import current_app, g
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE, ValidationError
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

from ..auth import current_actor
from ..models.base import MAX_ID
from ..services.context import Context


def ctx() -> Context:
    return Context(actor=current_actor(), request_id=g.get("request_id"))


def json_response(body, status: int = 200):
    """A JSON response of an already JSON-ready body: hot paths skip marshmallow's dump (see schemas)."""
    return current_app.response_class(json.dumps(body, separators=(",", ":")), status, mimetype="application/json")


class StrictParser(FlaskParser):
    """Unknown query parameters are refused (422) rather than ignored: a typo in a filter must not list everything."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}

    def _load_location_data(self, *, schema, req, location):
        data = super()._load_location_data(schema=schema, req=req, location=location)
        if _has_nul(data):  # PostgreSQL cannot store it: refused here (422) rather than by the database (400)
            raise ValidationError(["Text may not contain NUL (\\u0000) characters."])
        return data


def _has_nul(value, depth: int = 0) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if depth > 50:
        return False
    if isinstance(value, Mapping):
        return any(_has_nul(k, depth + 1) or _has_nul(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v, depth + 1) for v in value)
    return False


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictParser()


def blueprint(name: str, description: str, url_prefix: str = "/api/v1") -> Blueprint:
    return Blueprint(name, __name__, url_prefix=url_prefix, description=description)


def documents(blp: Blueprint, *codes: int):
    """Document the error responses a view can give, in the one error shape."""

    def wrap(func):
        for code in (401, 403, 429, *codes):
            func = blp.alt_response(code, schema="Error", description=_WHY.get(code))(func)
        return func

    return wrap


_WHY = {
    400: "Malformed request",
    401: "No valid bearer token",
    403: "Role not allowed",
    404: "Not found",
    409: "Conflicts with the current state",
    413: "Body too large",
    415: "Unsupported content encoding",
    422: "Invalid input",
    429: "Too many writes: wait for Retry-After seconds",
}


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: an id is 1 to MAX_ID (the database's integer), so a larger one is simply
    not found (404) instead of reaching the database; flask-smorest documents the bounds on each path."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
