"""Helpers shared by the API views: the acting context and documented error responses."""

import json

from flask import current_app, g
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser

from ..auth import current_actor
from ..services.context import Context


def ctx() -> Context:
    return Context(actor=current_actor(), request_id=g.get("request_id"))


def json_response(body, status: int = 200):
    """A JSON response of an already JSON-ready body: hot paths skip marshmallow's dump (see schemas)."""
    return current_app.response_class(json.dumps(body, separators=(",", ":")), status, mimetype="application/json")


class StrictParser(FlaskParser):
    """Unknown query parameters are refused (422) rather than ignored: a typo in a filter must not list everything."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}


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
