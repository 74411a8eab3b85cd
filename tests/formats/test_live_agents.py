"""The real Debian agents run on this machine: their live output parses and names this host and its MACs."""

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest

from inventory.formats.agent_xml import parse_agent_xml
from inventory.formats.compression import decompress
from tests.formats.capture import CaptureServer
from tests.formats.conftest import FIXTURES, raw_rows, require_tool

FUSION_TASKS = "--no-task=deploy,esx,collect,wakeonlan,netdiscovery,netinventory"
# No environment or processes in the output (nothing secret in logs); virtualmachine: the container is not a VM.
FUSION_CATEGORIES = "--no-category=virtualmachine,environment,process"
ADDITIONAL = FIXTURES / "fusion-additional-content.xml"
CAP = 64 * 1024 * 1024


def _run(command: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, timeout=180)
    assert result.returncode == 0, (
        f"{command[0]} failed ({result.returncode}): {result.stderr.decode(errors='replace')}"
    )
    return result


def _links() -> dict[str, bool]:
    """Ethernet MACs of this machine from `ip -j link`, each with whether the kernel calls it virtual."""
    require_tool("ip")
    links = json.loads(_run(["ip", "-j", "link"]).stdout)
    result = {}
    for link in links:
        if link.get("link_type") == "ether" and link.get("address"):
            device = os.path.realpath(f"/sys/class/net/{link['ifname']}")
            result[link["address"].lower()] = "/devices/virtual/" in device
    assert result, "this machine has no Ethernet link to check against"
    return result


def _short(name: str) -> str:
    return name.split(".", 1)[0].lower()


def test_fusioninventory_inventory_live_output():
    command = [require_tool("fusioninventory-inventory"), FUSION_CATEGORIES, f"--additional-content={ADDITIONAL}"]
    message = parse_agent_xml(_run(command).stdout)
    obs = message.observation
    assert message.query == "INVENTORY"
    assert _short(obs["hostname"]) == _short(socket.gethostname())
    links = _links()
    physical = {mac for mac, virtual in links.items() if not virtual}
    assert physical, "no physical link: nothing to prove"
    assert physical <= set(obs["macs"])
    assert not {mac for mac, virtual in links.items() if virtual} & set(obs["macs"])  # VIRTUALDEV honoured
    assert obs["serial_number"] == raw_rows(ADDITIONAL.read_bytes(), "BIOS")[0]["SSN"]
    assert obs["software"], "dpkg lists packages on any Debian machine"


def test_ocsinventory_agent_local_mode_live_output(tmp_path: Path):
    out, state = tmp_path / "out", tmp_path / "state"
    out.mkdir()
    state.mkdir()
    _run([require_tool("ocsinventory-agent"), f"--local={out}", f"--basevardir={state}"])
    reports = list(out.glob("*.ocs"))
    assert len(reports) == 1, f"expected one report in {out}, got {reports}"
    obs = parse_agent_xml(reports[0].read_bytes()).observation
    assert _short(obs["hostname"]) == _short(socket.gethostname())
    assert set(_links()) <= set(obs["macs"])  # OCS does not tell virtual devices apart
    assert obs["agent_id"] == reports[0].stem


def _fusion_command(url: str, state: Path) -> list[str]:
    # The agent keeps its state in a fixed /var/lib/fusioninventory-agent: bind an empty dir over it, privately.
    agent = require_tool("fusioninventory-agent")
    bind = 'mount --bind "$0" /var/lib/fusioninventory-agent && exec "$@"'
    return [
        require_tool("unshare"),
        "--mount",
        "--",
        "sh",
        "-c",
        bind,
        str(state),
        agent,
        "--server",
        url,
        "--no-httpd",
        FUSION_TASKS,
        FUSION_CATEGORIES,
        f"--additional-content={ADDITIONAL}",
    ]


def _ocs_command(url: str, state: Path) -> list[str]:
    # Debian's config sets local=, which wins over --server unless --nolocal is given.
    return [require_tool("ocsinventory-agent"), "--nolocal", f"--server={url}", f"--basevardir={state}"]


@pytest.mark.parametrize(
    ("build", "content_type"),
    [(_fusion_command, "application/x-compress-zlib"), (_ocs_command, "application/x-compress")],
    ids=["fusioninventory-agent", "ocsinventory-agent"],
)
def test_agent_over_http_prolog_then_inventory(tmp_path: Path, build, content_type):
    if os.geteuid() != 0:
        pytest.fail("the agents' HTTP runs need root (as CI has): private mounts and /var/lib state")
    with CaptureServer() as capture:
        _run(build(capture.url, tmp_path))
    assert [r.headers["Content-Type"] for r in capture.requests] == [content_type, content_type]
    prolog, inventory = (parse_agent_xml(decompress(r.body, content_type, CAP)) for r in capture.requests)
    assert (prolog.query, inventory.query) == ("PROLOG", "INVENTORY")
    assert prolog.deviceid == inventory.deviceid == inventory.observation["agent_id"]
    assert _short(inventory.observation["hostname"]) == _short(socket.gethostname())
    physical = {mac for mac, virtual in _links().items() if not virtual}
    assert physical <= set(inventory.observation["macs"])
