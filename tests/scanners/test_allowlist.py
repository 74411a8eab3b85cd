"""Allow-list: a target outside --allow is refused (exit 2) before nmap is ever started."""

import ipaddress
import os

import pytest

from scanners.allowlist import LOOPBACK, ScopeError, check_scope, parse_allow
from tests.scanners.conftest import delivery, run_cli


@pytest.fixture
def nmap_spy(tmp_path):
    """An `nmap` first on PATH that records each invocation, then runs the real one."""
    bindir, calls = tmp_path / "bin", tmp_path / "nmap-calls"
    bindir.mkdir()
    spy = bindir / "nmap"
    spy.write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexec /usr/bin/nmap "$@"\n')
    spy.chmod(0o755)
    return {"PATH": f"{bindir}:{os.environ['PATH']}"}, calls


def _scan(receiver, token_file, tmp_path, env, *args):
    return run_cli(
        "nmap",
        *args,
        "-n",
        "--ports",
        "none",
        *delivery(receiver, token_file, tmp_path),
        env=env,
        timeout=60,
    )


def test_target_outside_allow_list_is_refused_and_nmap_never_runs(nmap_spy, receiver, token_file, tmp_path):
    env, calls = nmap_spy
    done = _scan(
        receiver, token_file, tmp_path, env, "--targets", "10.213.0.0/28,192.0.2.10", "--allow", "10.213.0.0/24"
    )
    assert done.returncode == 2
    assert "refusing targets outside the allow-list [10.213.0.0/24]: 192.0.2.10" in done.stderr
    assert not calls.exists()
    assert receiver.requests == [] and not list((tmp_path / "spool").glob("*.json"))


def test_without_allow_only_loopback_may_be_scanned(nmap_spy, receiver, token_file, tmp_path):
    env, calls = nmap_spy
    done = _scan(receiver, token_file, tmp_path, env, "--targets", "10.213.0.5")
    assert done.returncode == 2 and "no --allow given: only loopback may be scanned" in done.stderr
    assert not calls.exists()
    # The same spy does see a permitted scan, so the checks above could fail.
    done = _scan(receiver, token_file, tmp_path, env, "--targets", "127.0.0.1")
    assert done.returncode == 0, done.stderr
    assert "127.0.0.1" in calls.read_text()
    (batch,) = receiver.batches.values()
    assert batch["complete"] is True and batch["scope"] == ["127.0.0.1"]
    assert batch["observations"][0]["ip_addresses"] == ["127.0.0.1"]


def test_default_allow_list_holds_no_public_space():
    assert parse_allow(None) == parse_allow([]) == LOOPBACK
    assert all(net.is_loopback for net in LOOPBACK)
    for public in ("8.8.8.8", "1.1.1.0/24", "2001:4860::8888", "10.213.0.1"):
        with pytest.raises(ScopeError):
            check_scope(public, None)


def test_allow_list_refuses_silly_or_ambiguous_entries():
    with pytest.raises(ScopeError, match="wider than /8"):
        check_scope("10.0.0.1", "0.0.0.0/0")
    with pytest.raises(ScopeError, match="host names are not accepted"):
        check_scope("printer.example.com", "10.0.0.0/8")
    with pytest.raises(ScopeError, match="outside"):
        check_scope("10.213.0.0/23", "10.213.0.0/24")  # half of it is outside
    scope = check_scope("10.213.0.0/25, 10.213.0.200 10.213.0.0/25", ["10.213.0.0/24"])
    assert scope.as_strings() == ["10.213.0.0/25", "10.213.0.200"]
    assert scope.targets[1] == ipaddress.ip_network("10.213.0.200/32")
