"""MAC, IMEI, serial and host name normalisation, with property-based tests."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from inventory.normalize import (
    imei_check_digit,
    is_identity_mac,
    normalize_imei,
    normalize_mac,
    normalize_serial,
    split_hostname,
)

six_bytes = st.binary(min_size=6, max_size=6)


def notations(raw: bytes) -> list[str]:
    h = raw.hex()
    pairs = [h[i : i + 2] for i in range(0, 12, 2)]
    return [":".join(pairs), "-".join(pairs).upper(), ".".join(h[i : i + 4] for i in range(0, 12, 4)).upper(),
            h.upper(), " " + ":".join(pairs).upper() + " "]


@given(six_bytes)
def test_every_notation_gives_the_same_lower_colon_form(raw):
    expected = ":".join(f"{b:02x}" for b in raw)
    assert {normalize_mac(n) for n in notations(raw)} == {expected}


@given(st.text(max_size=30))
def test_normalize_mac_never_raises_and_only_returns_canonical_form(text):
    mac = normalize_mac(text)
    assert mac is None or (len(mac) == 17 and normalize_mac(mac) == mac and mac == mac.lower())


def test_mac_examples():
    assert normalize_mac("0:1b:21:a:b:c") == "00:1b:21:0a:0b:0c"
    for bad in ("", "00:11:22:33:44", "gg:11:22:33:44:55", "0011.2233.44", "00:11:22:33:44:55:66", None, 42):
        assert normalize_mac(bad) is None


def test_identity_macs():
    assert is_identity_mac("00:14:22:01:23:45")
    for junk in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "da:a1:19:00:00:01",
                 "02:42:ac:11:00:02", "00:50:56:c0:00:08", "52:54:00:12:34:56"):
        assert not is_identity_mac(junk), junk


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_imei_with_its_check_digit_is_valid_and_any_other_digit_is_not(first14):
    check = imei_check_digit(first14)
    assert normalize_imei(first14 + str(check)) == first14 + str(check)
    assert normalize_imei(f"{first14[:2]}-{first14[2:8]} {first14[8:]}{check}") == first14 + str(check)
    for wrong in set(range(10)) - {check}:
        assert normalize_imei(first14 + str(wrong)) is None


def test_imei_examples():
    assert normalize_imei("35-693803-564380-9") == "356938035643809"
    for bad in ("356938035643808", "35693803564380", "3569380356438090", "abcdefghijklmno", "３５６９３８０３５６４３８０９"):
        assert normalize_imei(bad) is None


def test_junk_serials_are_not_identity():
    for junk in ("To Be Filled By O.E.M.", "Default string", "0123456789", "System Serial Number", "000000000",
                 "  ", "N/A", "None", "Not Specified", "FFFFFFFF"):
        assert normalize_serial(junk) is None, junk
    assert normalize_serial("  5cg 123  ") == "5CG 123"


def _by_ipaddress(text: str) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def _by_canonical_ip(text: str) -> str | None:
    from inventory.schemas.observation import canonical_ip

    try:
        return canonical_ip(text)
    except ValueError:
        return None


octets = st.one_of(st.integers(0, 300).map(str), st.sampled_from(["", "00", "01", "007", "1e2", "٣", "²", "-1", " 1"]),
                   st.text(max_size=4))


@given(st.one_of(st.lists(octets, min_size=4, max_size=4).map(".".join),
                 st.lists(octets, min_size=1, max_size=6).map(".".join), st.ip_addresses().map(str),
                 st.ip_addresses(v=6).map(lambda a: a.exploded.upper()), st.text(max_size=20)))
@example("01.2.3.4")
@example("1.2.3.٣")
@example("256.1.1.1")
@settings(deadline=None)  # a loaded CI machine is slow, not wrong
def test_ip_addresses_are_accepted_and_written_as_ipaddress_does(text):
    assert _by_canonical_ip(text) == _by_ipaddress(text)


def test_host_names_split_into_short_name_and_domain():
    assert split_hostname("LT-X.Corp.Example.") == ("lt-x", "corp.example")
    assert split_hostname(" kiosk ") == ("kiosk", None)
    for no_name in (None, "", " . ", ".corp.example", "10.20.0.5", "fe80::1"):
        assert split_hostname(no_name) is None, no_name


@given(st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,20}){0,3}", fullmatch=True))
def test_a_split_host_name_joins_back_to_itself(name):
    parts = split_hostname(name)
    if parts is not None:
        assert ".".join(p for p in parts if p) == name
