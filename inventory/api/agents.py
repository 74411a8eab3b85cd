"""Endpoints that speak the inventory agents' own protocols (not JSON API: no OpenAPI entry).

FusionInventory and OCS agents: POST zlib-compressed XML, first a PROLOG (answered SEND), then the
INVENTORY. GLPI agents: POST JSON (plain, zlib or gzip), a `contact` then the `inventory`.
An agent authenticates with a scanner token, as the password of HTTP basic authentication (any user
name) or in a secret path: /agent/<token>/ocsinventory.
"""

import json

from flask import Blueprint, Response, request

from ..auth import Principal, principal_for_token
from ..errors import ApiError
from ..extensions import db
from ..formats.agent_json import parse_glpi_json
from ..formats.agent_xml import parse_agent_xml, prolog_reply
from ..formats.compression import compress_zlib, decompress
from ..formats.payload import PayloadError
from ..services import agents
from ..services.context import Context

blp = Blueprint("agents", __name__, url_prefix="/agent")
AGENT_ROLES = ("scanner", "admin")


def _principal(path_token: str | None) -> Principal:
    auth = request.authorization
    token = path_token or (auth.password if auth and auth.type == "basic" else None)
    principal = principal_for_token(token) if token else None
    if principal is None:
        raise ApiError(401, "A scanner token is needed (HTTP basic password, or /agent/<token>/...).",
                       headers={"WWW-Authenticate": 'Basic realm="inventory"'})
    if principal.role not in AGENT_ROLES:
        raise ApiError(403, f"Role '{principal.role}' may not send inventories.")
    return principal


def _xml_reply(body: bytes, status: int = 200) -> Response:
    return Response(compress_zlib(body), status, mimetype="application/x-compress-zlib")


@blp.post("/ocsinventory", defaults={"token": None})
@blp.post("/<token>/ocsinventory")
def ocs(token):
    """FusionInventory / OCS Inventory agents: PROLOG, then INVENTORY."""
    principal = _principal(token)
    try:
        raw = decompress(request.get_data(), request.content_type, agents.max_bytes())
        message = parse_agent_xml(raw)
    except PayloadError as e:
        return _xml_reply(f"<REPLY><ERROR>{_escape(e.message)}</ERROR></REPLY>".encode(), e.status)
    if message.query == "PROLOG":
        return _xml_reply(prolog_reply())
    try:
        agents.receive(message.observation, message.deviceid, raw, principal.name,
                       Context(principal.actor, request.headers.get("X-Request-ID")))
    except ApiError as e:
        db.session.rollback()
        return _xml_reply(f"<REPLY><ERROR>{_escape(e.message)}</ERROR></REPLY>".encode(), e.code)
    db.session.commit()
    return _xml_reply(b"<?xml version='1.0' encoding='UTF-8'?><REPLY><RESPONSE>no_account_update</RESPONSE></REPLY>")


@blp.post("/glpi", defaults={"token": None})
@blp.post("/<token>/glpi")
def glpi(token):
    """GLPI agents: JSON `contact` (answered with the inventory task), then the JSON `inventory`."""
    principal = _principal(token)
    try:
        raw = decompress(request.get_data(), request.content_type, agents.max_bytes())
        document = json.loads(raw)
        if isinstance(document, dict) and document.get("action") == "contact":
            return _json({"status": "ok", "expiration": 24, "tasks": {"inventory": {}}})
        observation = parse_glpi_json(document)
    except PayloadError as e:
        return _json({"status": "error", "message": e.message}, e.status)
    except (ValueError, UnicodeDecodeError):
        return _json({"status": "error", "message": "The body is not JSON."}, 400)
    try:
        agents.receive(observation, str(document.get("deviceid") or "glpi"), raw, principal.name,
                       Context(principal.actor, request.headers.get("X-Request-ID")))
    except ApiError as e:
        db.session.rollback()
        return _json({"status": "error", "message": e.message, "errors": e.errors}, e.code)
    db.session.commit()
    return _json({"status": "ok", "expiration": 24})


def _json(body: dict, status: int = 200) -> Response:
    return Response(json.dumps(body), status, mimetype="application/json")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
