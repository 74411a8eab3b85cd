"""SSH collector against FakeNOS switches and a real OpenSSH server, to the test receiver and to the real server."""

import socket

import pytest
import requests

from tests.scanners import nos
from tests.scanners.conftest import delivery, run_cli
from tests.scanners.peers import DMI, ssh_session

# FakeNOS logs a thread error when a login fails (the badpw device): expected here.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
ENV = {"NOS_PASSWORD": nos.PASSWORD}


@pytest.fixture
def silent_port():
    """A port that accepts TCP connections and never says a word: an SSH banner timeout."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield sock.getsockname()[1]


def test_switches_and_a_linux_host_while_two_devices_fail(
    fakenos_devices, sshd, silent_port, receiver, token_file, tmp_path
):
    ssh_session(sshd, "nobody")  # a finished session, so `last` has someone who is not logged in now
    devices = nos.device_file(
        tmp_path / "devices.yaml",
        fakenos_devices,
        names=("sw1", "leaf1", "badpw"),
        ssh=sshd,
        extra=[{"name": "mute", "host": "127.0.0.1", "port": silent_port, "device_type": "cisco_nxos", "timeout": 2}],
    )
    done = run_cli(
        "ssh",
        "--devices",
        str(devices),
        *delivery(receiver, token_file, tmp_path),
        "--workers",
        "5",
        env=ENV,
    )
    assert done.returncode == 3, done.stderr  # delivered, but not every device answered
    assert "ssh: 5 device(s), 3 ok, 2 failed" in done.stderr
    assert "device badpw (127.0.0.1" in done.stderr and "failed: auth failed" in done.stderr
    assert "device mute (127.0.0.1" in done.stderr and "failed: timeout" in done.stderr
    (batch,) = receiver.batches.values()
    assert batch["source"] == "ssh" and batch["complete"] is False  # two devices were not covered
    assert sorted(batch["scope"]) == ["badpw", "leaf1", "mute", "pc1", "sw1"]
    obs = batch["observations"]
    devices_seen = {o["serial_number"]: o for o in obs if o.get("serial_number")}
    assert devices_seen[nos.SW1_SERIAL]["kind"] == "network_device"
    assert devices_seen[nos.SW1_SERIAL]["model"] == nos.SW1_MODEL
    assert devices_seen[nos.LEAF_SERIAL]["kind"] == "network_device"
    pc = devices_seen[DMI["product_serial"]]
    assert (pc["kind"], pc["manufacturer"], pc["model"]) == ("computer", DMI["sys_vendor"], DMI["product_name"])
    assert pc["macs"] and pc["os_name"]
    users = {u["login"]: u for u in pc["users"]}
    assert users["root"]["kind"] == "current" and users["nobody"]["kind"] == "last"
    endpoints = {o["macs"][0]: o for o in obs if o.get("switch")}
    expected = {(m, p, v, "sw1") for m, p, v, _ in nos.SW1_ENDPOINTS} | {
        (m, p, v, "leaf1") for m, p, v, _ in nos.LEAF_ENDPOINTS
    }
    assert {
        (
            k.replace(":", "")[:4] + "." + k.replace(":", "")[4:8] + "." + k.replace(":", "")[8:],
            o["switch_port"],
            o["vlan"],
            o["switch"],
        )
        for k, o in endpoints.items()
    } == expected
    assert endpoints["00:14:22:aa:00:11"]["ip_addresses"] == ["10.20.0.15"]


def _mac(text: str) -> str:
    digits = text.replace(".", "").replace(":", "")
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def test_nxos_and_junos_switches(fakenos_devices, receiver, token_file, tmp_path):
    devices = nos.device_file(tmp_path / "devices.yaml", fakenos_devices, names=("nx1", "ex1"))
    done = run_cli(
        "ssh",
        "--devices",
        str(devices),
        *delivery(receiver, token_file, tmp_path),
        env=ENV,
    )
    assert done.returncode == 0, done.stderr
    assert "ssh: 2 device(s), 2 ok, 0 failed" in done.stderr
    (batch,) = receiver.batches.values()
    assert batch["complete"] is True and sorted(batch["scope"]) == ["ex1", "nx1"]
    obs = batch["observations"]
    switches = {o["hostname"]: o for o in obs if o.get("kind") == "network_device"}
    assert {name: (o["serial_number"], o["model"], o["os_version"]) for name, o in switches.items()} == {
        "nx1": (nos.NX_SERIAL, nos.NX_MODEL, nos.NX_VERSION),
        "ex1": (nos.EX_SERIAL, nos.EX_MODEL, nos.EX_VERSION),
    }
    endpoints = {
        (o["switch"], o["switch_port"], o["vlan"], o["macs"][0], tuple(o.get("ip_addresses", [])))
        for o in obs
        if o.get("switch")
    }
    expected = {("nx1", p, v, _mac(m), (ip,) if ip else ()) for m, p, v, ip in nos.NX_ENDPOINTS}
    expected |= {("ex1", p, v, m, (ip,) if ip else ()) for m, p, v, ip in nos.EX_ENDPOINTS}
    assert endpoints == expected  # nothing from uplinks, trunks or the hub under the desk
    # ex1's LLDP neighbours come with capabilities (`show lldp neighbors detail`): the phone (Bridge Telephone) does
    # not make its access port an uplink, so the phone and the PC behind it are located; core1 (Bridge Router) does.
    on_phone_port = {
        (o["macs"][0], o["vlan"]) for o in obs if o.get("switch") == "ex1" and o["switch_port"] == nos.EX_PHONE_PORT
    }
    assert on_phone_port == {("64:16:7f:bb:00:25", 20), ("00:14:22:bb:00:26", 10)}
    assert not [o for o in obs if o.get("switch") == "ex1" and o["switch_port"] == nos.EX_LLDP_UPLINK]


def test_device_file_refuses_inline_passwords(tmp_path, receiver, token_file):
    devices = tmp_path / "devices.yaml"
    devices.write_text("devices:\n  - {host: 127.0.0.1, device_type: cisco_ios, username: u, password: hunter2}\n")
    done = run_cli(
        "ssh",
        "--devices",
        str(devices),
        *delivery(receiver, token_file, tmp_path),
    )
    assert done.returncode == 2 and "inline password not accepted; use password_env or password_file" in done.stderr
    assert receiver.requests == []


def _get(base, path, token, **params):
    resp = requests.get(f"{base}/api/v1{path}", params=params, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_switch_becomes_an_asset_and_endpoints_get_switch_port_sightings(
    fakenos_devices, live_server, tokens, token_file, tmp_path
):
    it = {"Authorization": f"Bearer {tokens['it']}"}
    laptop = requests.post(
        f"{live_server}/api/v1/assets",
        headers=it,
        timeout=10,
        json={"kind": "computer", "serial_number": "LAPTOP-1", "interfaces": [{"mac": "0014.22aa.0011"}]},
    ).json()
    behind_uplink = requests.post(
        f"{live_server}/api/v1/assets",
        headers=it,
        timeout=10,
        json={"kind": "computer", "serial_number": "SERVER-9", "interfaces": [{"mac": "001b.21bb.0000"}]},
    ).json()
    devices = nos.device_file(tmp_path / "devices.yaml", fakenos_devices, names=("sw1",))
    args = (
        "ssh",
        "--devices",
        str(devices),
        "--server",
        live_server,
        "--token-file",
        token_file(tokens["scanner"]),
        "--spool",
        str(tmp_path / "spool"),
        "--scanner",
        "ssh-e2e",
    )

    first = run_cli(*args, env=ENV)
    assert first.returncode == 0, first.stderr
    # ssh is not trusted to create assets (INVENTORY_CREATE_FROM): the switch waits in triage; IT promotes it.
    items = _get(live_server, "/triage", tokens["it"], source="ssh", limit=100)["items"]
    (switch_item,) = [i for i in items if i["identifiers"].get("serial_number") == nos.SW1_SERIAL]
    promoted = requests.post(
        f"{live_server}/api/v1/triage/{switch_item['id']}/promote",
        headers=it,
        timeout=10,
        json={"kind": "network_device"},
    )
    assert promoted.status_code in (200, 201), promoted.text
    switch_id = promoted.json()["id"]

    second = run_cli(*args, env=ENV)
    assert second.returncode == 0, second.stderr
    switch = _get(live_server, f"/assets/{switch_id}", tokens["it"])
    assert (switch["kind"], switch["serial_number"], switch["hostname"]) == ("network_device", nos.SW1_SERIAL, "sw1")
    assert switch["last_seen_source"] == "ssh" and switch["last_seen_at"] > switch_item["last_seen"]
    still_open = _get(live_server, "/triage", tokens["it"], source="ssh", limit=100)["items"]
    assert not [i for i in still_open if i["identifiers"].get("serial_number") == nos.SW1_SERIAL]

    seen = _get(live_server, "/sightings", tokens["it"], asset_id=laptop["id"], source="ssh")["items"]
    assert {(s["switch"], s["port"], s["vlan"], s["mac"]) for s in seen} == {
        ("sw1", "Gi1/0/5", "10", "00:14:22:aa:00:11")
    }
    assert any(s["ip"] == "10.20.0.15" for s in seen)  # from the ARP table
    # A MAC learned on the uplink to core1 is not a location.
    assert _get(live_server, "/sightings", tokens["it"], asset_id=behind_uplink["id"])["items"] == []


def test_unsupported_command_is_a_reason_and_a_password_file_is_read(fakenos_devices, receiver, token_file, tmp_path):
    """oldsw answers `show version` with "% Invalid input detected": it fails as unsupported, the run goes on;
    sw1's password comes from a file (password_file), no environment variable at all."""
    import yaml

    secret = tmp_path / "sw1.password"
    secret.write_text(nos.PASSWORD + "\n")  # a trailing newline, as editors and `echo` leave it
    secret.chmod(0o600)
    devices = tmp_path / "devices.yaml"
    common = {"host": "127.0.0.1", "device_type": "cisco_ios", "username": nos.USER, "timeout": 10}
    devices.write_text(yaml.safe_dump({"devices": [
        {**common, "name": "sw1", "port": fakenos_devices["sw1"], "password_file": str(secret)},
        {**common, "name": "oldsw", "port": fakenos_devices["oldsw"], "password_file": str(secret)},
    ]}))
    done = run_cli("ssh", "--devices", str(devices), *delivery(receiver, token_file, tmp_path))
    assert done.returncode == 3, done.stderr  # delivered, but one device could not be read
    assert "ssh: 2 device(s), 1 ok, 1 failed" in done.stderr
    failures = [line for line in done.stderr.splitlines() if "device oldsw (127.0.0.1" in line]
    assert failures and "failed: unsupported command: 'show version'" in failures[-1], done.stderr
    (batch,) = receiver.batches.values()
    assert batch["complete"] is False and sorted(batch["scope"]) == ["oldsw", "sw1"]
    serials = {o.get("serial_number") for o in batch["observations"]}
    assert nos.SW1_SERIAL in serials  # sw1 logged in with the file's password and was read
    assert not [o for o in batch["observations"] if o.get("switch") == "oldsw" or o.get("hostname") == "oldsw"]
