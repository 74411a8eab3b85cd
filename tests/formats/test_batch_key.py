"""The batch key read from the top of a raw body agrees with a full decode, or declines."""

import json

from hypothesis import given
from hypothesis import strategies as st

from inventory.formats.batch_key import batch_key

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                           max_size=3), max_leaves=8)


def _full_decode_key(raw: bytes):
    d = json.loads(raw)
    return d.get("scanner"), d.get("scan_id"), d.get("batch", 0)


@given(st.dictionaries(st.sampled_from(["scanner", "scan_id", "batch", "source", "complete", "scope", "observations",
                                        "started_at"]), values, min_size=0, max_size=8),
       st.sampled_from([None, 2]), st.booleans())
def test_any_body_gives_the_full_decodes_key_or_none(envelope, indent, ascii_only):
    raw = json.dumps(envelope, indent=indent, ensure_ascii=ascii_only).encode()
    key = batch_key(raw)
    assert key is None or key == _full_decode_key(raw)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(raw):
    assert batch_key(raw) is None or len(batch_key(raw)) == 3


def test_a_scanners_body_is_read_without_its_observations():
    body = {"source": "nmap", "scanner": "scan-hq", "scan_id": "s-1", "batch": 3, "complete": True,
            "scope": ["10.213.0.0/24"], "observations": [{"macs": ["00:14:22:00:00:01"]}] * 3}
    assert batch_key(json.dumps(body).encode()) == ("scan-hq", "s-1", 3)
    # The observations need not even be valid JSON: they are never read.
    assert batch_key(b'{"scanner": "a", "scan_id": "b", "batch": 0, "observations": [{{{') == ("a", "b", 0)


def test_it_declines_what_only_a_full_decode_can_settle():
    assert batch_key(b'{"observations": [], "scanner": "a", "scan_id": "b", "batch": 1}') is None  # after them
    assert batch_key(b'{"scanner": "a", "scan_id": "b", "batch": 1, "scan_id": "c"}') is None  # repeated
    assert batch_key(b'{"scanner": "a", "scan_id": "b"}') is None  # no batch: the default is the full path's
    assert batch_key(b'{"scanner": "a", "scan_id": "b", "batch": true}') is None
    assert batch_key(b'{"scanner": "a", "scan_id": 7, "batch": 1}') is None
    assert batch_key(b'["scanner", "scan_id", "batch"]') is None
