"""Endpoints that speak the inventory agents' own protocols (not JSON API: no OpenAPI entry).

FusionInventory and OCS agents: POST zlib-compressed XML, first a PROLOG (answered SEND), then the
INVENTORY. GLPI agents: POST JSON (plain, zlib or gzip), a `contact` then the `inventory`.
An agent authenticates with a scanner token, as the password of HTTP basic authentication (any user
name), in a secret path (/agent/<token>/ocsinventory) or as a bearer token; the central auth.POLICY decides.
"""

import json

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from ..auth import authorize_token, principal_for_token
from ..errors import ApiError
from ..extensions import db
from ..formats.agent_content import text
from ..formats.agent_json import load_glpi_document, parse_glpi_json
from ..formats.agent_xml import parse_agent_xml, prolog_reply
from ..formats.compression import compress_zlib, decompress
from ..formats.payload import PayloadError
from ..services import agents
from ..services.context import Context

blp = Blueprint("agents", __name__, url_prefix="/agent")


@blp.before_request
def _authorize() -> Response | None:
    """The central check (auth.POLICY["agents"], the token's write rate limit, logged refusals), answered in the
    agent's own form: a zlib <REPLY><ERROR> for OCS/FusionInventory, a JSON status "error" for GLPI."""
    auth = request.authorization
    token = (request.view_args or {}).get("token")
    if token is None and auth is not None:
        token = auth.password if auth.type == "basic" else auth.token
    try:
        authorize_token(principal_for_token(token) if token else None, bool(token),
                        "A scanner token is needed (HTTP basic password, or /agent/<token>/...).",
                        headers={"WWW-Authenticate": 'Basic realm="inventory"'}, source="agent")
    except ApiError as e:
        return _refusal(e)
    return None


def _refusal(e: ApiError) -> Response:
    if request.endpoint == "agents.glpi":
        return _json({"status": "error", "message": e.message}, e.code, e.headers)
    return _xml_error(e.message, e.code, e.headers)


def _body() -> bytes:
    """The decompressed body; a raw body past MAX_CONTENT_LENGTH is a PayloadError (413) like a zip bomb."""
    try:
        raw = request.get_data()
    except RequestEntityTooLarge:
        raise PayloadError(f"payload larger than {agents.max_bytes()} bytes", 413) from None
    return decompress(raw, request.content_type, agents.max_bytes())


def _context() -> Context:
    return Context(g.principal.actor, request.headers.get("X-Request-ID"))


def _xml_reply(body: bytes, status: int = 200, headers: dict | None = None) -> Response:
    return Response(compress_zlib(body), status, headers=headers, mimetype="application/x-compress-zlib")


def _xml_error(message: str, status: int, headers: dict | None = None) -> Response:
    return _xml_reply(f"<REPLY><ERROR>{_escape(message)}</ERROR></REPLY>".encode(), status, headers)


@blp.post("/ocsinventory", defaults={"token": None})
@blp.post("/<token>/ocsinventory")
def ocs(token):
    """FusionInventory / OCS Inventory agents: PROLOG, then INVENTORY."""
    try:
        raw = _body()
        message = parse_agent_xml(raw)
    except PayloadError as e:
        return _xml_error(e.message, e.status)
    if message.query == "PROLOG":
        return _xml_reply(prolog_reply())
    try:
        agents.receive(message.observation, message.deviceid, raw, g.principal.name, _context())
    except ApiError as e:
        db.session.rollback()
        return _xml_error(e.message, e.code)
    db.session.commit()
    return _xml_reply(b"<?xml version='1.0' encoding='UTF-8'?><REPLY><RESPONSE>no_account_update</RESPONSE></REPLY>")


@blp.post("/glpi", defaults={"token": None})
@blp.post("/<token>/glpi")
def glpi(token):
    """GLPI agents: JSON `contact` (answered with the inventory task), then the JSON `inventory`."""
    try:
        raw = _body()
        document = load_glpi_document(raw)  # a JSON object, or PayloadError (bad JSON, absurd nesting, not an object)
        if document.get("action") == "contact":
            return _json({"status": "ok", "expiration": 24, "tasks": {"inventory": {}}})
        observation = parse_glpi_json(document)
    except PayloadError as e:
        return _json({"status": "error", "message": e.message}, e.status)
    try:
        agents.receive(observation, text(document.get("deviceid")) or "glpi", raw, g.principal.name, _context())
    except ApiError as e:
        db.session.rollback()
        return _json({"status": "error", "message": e.message, "errors": e.errors}, e.code)
    db.session.commit()
    return _json({"status": "ok", "expiration": 24})


def _json(body: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status, headers=headers, mimetype="application/json")


def _escape(message: str) -> str:
    return message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
