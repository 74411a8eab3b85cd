"""One error shape for everything, and a role check on every endpoint of the URL map."""

import re

import pytest

from inventory.auth import POLICY, PUBLIC_ENDPOINTS


def assert_error_shape(r, code):
    assert r.status_code == code, r.get_data(as_text=True)
    assert r.is_json, r.get_data(as_text=True)
    assert r.json["code"] == code and isinstance(r.json["status"], str) and isinstance(r.json["message"], str)


def test_unknown_path_and_method_are_json(api):
    assert_error_shape(api.get("/nowhere"), 404)
    r = api.call("PUT", "/assets")
    assert_error_shape(r, 405)
    assert "GET" in r.headers["Allow"] and "POST" in r.headers["Allow"]


@pytest.mark.parametrize("body, content_type", [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"null", "application/json"),
    (b"\xff\xfe", "application/json"),
    (b"kind=computer", "application/x-www-form-urlencoded"),
])
def test_malformed_bodies_are_4xx_json(api, body, content_type):
    r = api.call("POST", "/assets", data=body, headers={"Content-Type": content_type})
    assert 400 <= r.status_code < 500 and r.is_json, r.get_data(as_text=True)
    assert set(r.json) >= {"code", "status", "message"}


def test_huge_ids_and_numbers_never_500(api):
    assert_error_shape(api.get("/assets/99999999999999999999999"), 404)
    assert_error_shape(api.patch("/assets/1", {"purchase_cost_cents": 10**30}), 422)
    r = api.get("/assets", query_string={"model_id": 10**30})
    assert r.status_code in (200, 422)


def test_request_id_is_echoed(api):
    r = api.get("/assets", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"


def _blueprint(endpoint: str) -> str:
    return endpoint.rsplit(".", 1)[0] if "." in endpoint else ""


def _token_rules(app):
    """Every rule of the URL map but pages (tests/web/test_roles.py) and static files: the API and the agents."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] == "web" or rule.endpoint == "static":
            continue
        yield rule


def _api_rules(app):
    for rule in _token_rules(app):
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield _blueprint(rule.endpoint), method, rule.rule


def _path(rule: str, token: str) -> str:
    # A token in the path (the agents' secret URL) is the credential of the call; any other parameter is 1.
    path = re.sub(r"<(?:int:)?[^>]+>", "1", re.sub(r"<(?:string:)?token>", token, rule))
    return path if path.startswith("/api/") else "http://localhost" + path


def test_every_endpoint_is_in_the_policy_table_or_public(app):
    escaped = [rule.endpoint for rule in _token_rules(app)
               if rule.endpoint not in PUBLIC_ENDPOINTS and _blueprint(rule.endpoint) not in POLICY]
    assert not escaped, f"endpoints in neither POLICY nor PUBLIC_ENDPOINTS: {escaped}"
    walked = {_blueprint(rule.endpoint) for rule in _token_rules(app)}
    assert {"assets", "observations", "agents"} <= walked


def test_every_endpoint_enforces_roles(app, api):
    """No token: 401. A role the table does not allow: 403 before any work is done. Every non-page rule."""
    checked, blueprints = 0, set()
    for blueprint, method, rule in _api_rules(app):
        blueprints.add(blueprint)
        r = api.call(method, _path(rule, "1"), role=None, json={})
        assert r.status_code == 401, (method, rule, r.status_code)
        read_roles, write_roles = POLICY[blueprint]
        allowed = read_roles if method == "GET" else write_roles
        for role in ("it", "hr", "scanner", "auditor"):
            if role not in allowed:
                r = api.call(method, _path(rule, api.tokens[role]), role=role, json={})
                assert r.status_code == 403, (role, method, rule, r.status_code)
                checked += 1
    assert checked > 20 and "agents" in blueprints


def test_openapi_document_is_public_and_describes_the_api(api):
    r = api.get("/api/openapi.json", role=None)
    assert r.status_code == 200
    paths = r.json["paths"]
    for p in ("/api/v1/assets", "/api/v1/assets/{asset_id}/checkout", "/api/v1/employees/{employee_id}/assets",
              "/api/v1/changes", "/api/v1/models", "/api/v1/locations", "/api/v1/departments", "/api/v1/health"):
        assert p in paths, p
    assert "AssetPatch" in r.json["components"]["schemas"]
    docs = api.get("/api/docs", role=None)
    assert docs.status_code == 200 and b"/api/swagger-ui/swagger-ui-bundle.js" in docs.data
    bundle = api.get("/api/swagger-ui/swagger-ui-bundle.js", role=None)
    assert bundle.status_code == 200 and len(bundle.data) > 100_000
    assert api.get("/api/v1/health", role=None).json["status"] == "ok"


def test_writes_are_rate_limited_per_token_with_retry_after(app, api):
    from inventory.auth import limiter

    limiter._windows.clear()
    app.config["WRITE_RATE_LIMIT"] = 3
    try:
        codes = [api.post("/departments", {"name": f"D{i}"}, role="it").status_code for i in range(4)]
        assert codes == [201, 201, 201, 429]
        r = api.post("/departments", {"name": "D9"}, role="it")
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1 and r.json["code"] == 429
        assert api.post("/departments", {"name": "D9"}, role="admin").status_code == 201  # another token
        assert api.get("/departments", role="it").status_code == 200  # reads are not limited
    finally:
        app.config["WRITE_RATE_LIMIT"] = 1200
        limiter._windows.clear()


def test_security_headers(api):
    r = api.get("/assets")
    assert r.headers["X-Content-Type-Options"] == "nosniff" and r.headers["X-Frame-Options"] == "DENY"
    docs = api.get("/api/docs", role=None)
    assert "frame-ancestors 'none'" in docs.headers["Content-Security-Policy"]


def test_production_requires_a_secret_key():
    import pytest

    from inventory import create_app

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})
    assert create_app({"ENV": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://"}).secret_key


def test_unknown_filters_are_refused_not_ignored(api):
    r = api.get("/assets?stauts=retired")
    assert r.status_code == 422 and "stauts" in r.json["errors"]["query"]
