"""Property-based tests of the other parsers: register CSV, MDM CSV, the observation batch, login names.

Whatever the input, a parser either returns its result or raises its own error (a 4xx for the user), never
anything else (a 500); and what it returns keeps its promises.
"""

import csv
import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.errors import Invalid
from inventory.formats import mdm, register_csv
from inventory.normalize import normalize_login, normalize_mac
from inventory.schemas.observation import load_batch

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cell = st.text(alphabet=string.printable + "éß€😀\u2028", max_size=30)


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@SETTINGS
@given(st.text(max_size=400))
def test_register_csv_of_any_text_parses_or_says_why(text):
    for parse in (register_csv.parse_assets, register_csv.parse_employees):
        try:
            rows = parse(text)
        except register_csv.CsvError as e:
            assert str(e)
            continue
        assert all(r.line >= 2 and isinstance(r.errors, list) for r in rows)


@SETTINGS
@given(st.lists(st.lists(cell, min_size=len(register_csv.ASSET_COLUMNS), max_size=len(register_csv.ASSET_COLUMNS)),
                max_size=8))
def test_register_csv_rows_get_their_own_line_numbers_and_errors(rows):
    parsed = register_csv.parse_assets(to_csv(register_csv.ASSET_COLUMNS, rows))
    lines = [r.line for r in parsed]  # the line in the file (a cell may hold line breaks; blank rows are skipped)
    assert lines == sorted(set(lines)) and all(n >= 2 for n in lines)
    for r in parsed:
        assert all(isinstance(e, str) and e for e in r.errors)


@SETTINGS
@given(st.sampled_from(sorted(mdm.FORMATS)), st.data())
def test_mdm_rows_of_any_content_import_or_name_their_lines(fmt, data):
    header = list(dict.fromkeys(mdm.FORMATS[fmt].values()))
    rows = data.draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=6))
    try:
        observations = mdm.parse(to_csv(header, rows), fmt)
    except mdm.MdmError as e:
        assert str(e) and all(k.startswith("line ") or k == "missing_columns" for k in e.errors), e.errors
        return
    assert len(observations) <= len(rows)
    for obs in observations:
        assert all(normalize_mac(m) == m for m in obs.get("macs", []))


identifier = st.fixed_dictionaries({}, optional={
    "serial_number": st.one_of(cell, st.integers(), st.none()),
    "macs": st.one_of(st.lists(st.one_of(cell, st.sampled_from(["00:14:22:01:02:03", "AABB.CCDD.EEFF"]))), cell),
    "hostname": st.one_of(cell, st.booleans()),
    "ip_addresses": st.lists(st.one_of(cell, st.ip_addresses().map(str)), max_size=3),
    "imei": st.one_of(cell, st.just("490154203237518")),
    "vlan": st.one_of(st.integers(-5, 5000), cell),
    "open_ports": st.lists(st.fixed_dictionaries({"port": st.integers(-1, 70000)}), max_size=3),
    "software": st.one_of(st.lists(st.fixed_dictionaries({}, optional={"name": cell, "version": cell})), cell),
    "users": st.one_of(st.lists(st.fixed_dictionaries({}, optional={"login": cell, "kind": cell,
                                                                    "seen_at": cell})), cell),
    "seen_at": st.one_of(cell, st.datetimes().map(lambda d: d.isoformat())),
})


@SETTINGS
@given(st.fixed_dictionaries({"source": st.sampled_from(["nmap", "agent", "bogus"]), "scanner": cell,
                              "scan_id": cell, "observations": st.lists(identifier, max_size=5)},
                             optional={"batch": st.one_of(st.integers(-3, 2**32), cell), "complete": st.booleans()}))
def test_any_observation_batch_is_loaded_or_refused_with_errors_by_index(payload):
    try:
        batch = load_batch(payload)
    except Invalid as e:
        errors = e.errors["json"]
        assert errors and set(errors.get("observations", {})) <= {str(i) for i in range(len(payload["observations"]))}
        return
    assert len(batch["observations"]) == len(payload["observations"])
    for obs in batch["observations"]:
        assert obs["seen_at"].tzinfo is not None
        assert all(normalize_mac(m) == m for m in obs["macs"])
        assert all(isinstance(u["login"], str) and u["kind"] in ("current", "last", "enrolled")
                   for u in obs.get("users", []))


@given(st.text(max_size=40))
def test_login_keys_ignore_case_and_domain_and_are_stable(login):
    key = normalize_login(login)
    assert key is None or (key == key.lower() == key.strip() and "\\" not in key and normalize_login(key) == key)
    assert normalize_login(login.lower()) == key
    if "\\" not in login and key:
        assert normalize_login(f"CORP\\{login}") == key
