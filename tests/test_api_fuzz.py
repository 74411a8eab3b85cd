"""schemathesis against the live OpenAPI document, in process, as admin: no server errors, answers that
conform to the document, every status code documented, schema-valid requests accepted and invalid ones refused.
A bounded number of examples per operation; expected statuses per check and operation in schemathesis.toml."""

import os

import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from inventory.extensions import db
from inventory.normalize import imei_check_digit
from inventory.services.context import Context
from inventory.services.demo import seed
from tests.conftest import ROOT

EXAMPLES = int(os.environ.get("INVENTORY_FUZZ_EXAMPLES", "10"))
CONFIG = ROOT / "schemathesis.toml"  # expected statuses per check and operation

# The string formats the document names beyond JSON Schema's: values the API accepts, for positive cases.
_hex = st.text("0123456789abcdef", min_size=12, max_size=12)
schemathesis.openapi.format("mac", _hex.map(lambda h: ":".join(h[i:i + 2] for i in range(0, 12, 2))))
schemathesis.openapi.format("imei", st.text("0123456789", min_size=14, max_size=14).map(
    lambda d: d + str(imei_check_digit(d))))
schemathesis.openapi.format("ip", st.ip_addresses().map(str))
schemathesis.openapi.format("url", st.builds(
    "{}://{}.example/{}".format, st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,30}[a-z0-9]", fullmatch=True), st.from_regex(r"[A-Za-z0-9._~/-]{0,100}", fullmatch=True)))


def a_400_is_only_a_foreign_cursor(ctx, response, case):
    """schemathesis.toml lets a schema-valid list request get 400 for one reason only: a cursor the server never
    gave. Any other 400 (the database refusing a value, say) is a finding."""
    if case.meta is not None and case.meta.generation.mode.is_positive and response.status_code == 400:
        assert "Invalid cursor" in response.text, f"400 for a schema-valid request: {response.text[:300]}"


def _runner(operation, mode, headers, examples):
    """The hypothesis test of one operation in one generation mode; counts the examples it sends."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        db.session.rollback()  # the request shares this thread's session: start it clean
        if mode is GenerationMode.NEGATIVE:  # an empty list or object in a query is not on the wire at all
            assume(not any(v in ([], {}, None) for v in (case.query or {}).values()))
        examples[mode] += 1
        case.call_and_validate(headers=headers, additional_checks=[a_400_is_only_a_foreign_cursor])

    return run


def test_api_conforms_to_its_document(app, tokens):
    app.config["WRITE_RATE_LIMIT"] = 0  # thousands of writes in seconds: the limit has its own test
    seed(Context("test"))  # ids 1..n exist, so operations on /{id} reach their logic
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=SchemathesisConfig.from_path(CONFIG))
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    failures, operations, examples = [], 0, {GenerationMode.POSITIVE: 0, GenerationMode.NEGATIVE: 0}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            run = _runner(operation, mode, headers, examples)
            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to get wrong, e.g. GET /health
            except (Exception, BaseExceptionGroup) as e:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{operation.label} ({mode.value}): {str(e)[:1500]}")
    app.config["WRITE_RATE_LIMIT"] = 1200
    print(f"schemathesis: {operations} operations, {examples[GenerationMode.POSITIVE]} positive and "
          f"{examples[GenerationMode.NEGATIVE]} negative examples (max {EXAMPLES} per operation and mode)")
    assert operations >= 40
    assert examples[GenerationMode.POSITIVE] >= operations * min(EXAMPLES, 3)
    assert not failures, "\n\n".join(failures)


def test_what_the_fuzzer_found_is_refused_cleanly(api):
    """Found by schemathesis on PostgreSQL: a NUL character and an id past the database's integer reached the
    database (400 "refused a value"). Now a NUL is refused with 422 in the one error shape, before any write, and
    such an id is simply not found; the document says both (pattern, maximum)."""
    from inventory.models import Department

    r = api.post("/departments", {"name": "Sales\x00", "cost_center": "CC1"})
    assert r.status_code == 422 and "NUL" in r.get_data(as_text=True) and r.json["code"] == 422
    r = api.get("/assets", query_string={"q": "a\x00b"})
    assert r.status_code == 422 and "NUL" in r.get_data(as_text=True)
    assert db.session.query(Department).count() == 0
    for path in ("/assets/2147483648", "/assets/0", "/employees/99999999999"):
        r = api.get(path)
        assert r.status_code == 404 and r.json["code"] == 404, path
    assert api.post("/departments", {"name": "Sales", "cost_center": "CC1"}).status_code == 201
    doc = api.get("/api/openapi.json", role=None).json
    param = doc["paths"]["/api/v1/assets/{asset_id}"]["parameters"][0]["schema"]
    assert (param["minimum"], param["maximum"]) == (1, 2**31 - 1)
    assert doc["components"]["schemas"]["Department"]["properties"]["name"]["pattern"] == "^[^\\x00]*$"
