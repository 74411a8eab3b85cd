"""Log in to each device with netmiko, run its commands, keep the raw answers; one device never stops the run."""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from netmiko import ConnectHandler
from netmiko.exceptions import (
    NetmikoAuthenticationException,
    NetmikoBaseException,
    NetmikoTimeoutException,
    ReadTimeout,
)
from paramiko.ssh_exception import SSHException

from scanners.batches import utcnow
from scanners.ssh_collector.commands import DEFAULT_REQUIRED, REQUIRED, commands_for, is_unsupported
from scanners.ssh_collector.devices import CredentialError, Device
from scanners.ssh_collector.records import DeviceOutput

log = logging.getLogger(__name__)

ENABLE_PLATFORMS = {"cisco_ios", "cisco_nxos", "arista_eos"}


class DeviceFailure(Exception):
    """Why a device gave nothing usable; the message is what the run summary shows."""


def connection_params(device: Device) -> dict[str, Any]:
    params: dict[str, Any] = {
        "device_type": device.device_type if device.device_type != "juniper" else "juniper_junos",
        "host": device.host,
        "port": device.port,
        "username": device.username or "",
        "conn_timeout": device.timeout,
        "auth_timeout": device.timeout,
        "banner_timeout": device.timeout,
        "timeout": device.timeout,
        "fast_cli": True,
    }
    password = device.credential("password")
    if password is not None:
        params["password"] = password
    secret = device.credential("secret")
    if secret is not None:
        params["secret"] = secret
    if device.key_file:
        params.update(use_keys=True, key_file=device.key_file, allow_agent=False)
        passphrase = device.credential("passphrase")
        if passphrase is not None:
            params["passphrase"] = passphrase
    if device.known_hosts:
        # Verify the host key against the given file instead of trusting whatever answers.
        params.update(ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=device.known_hosts)
    return params


def classify(exc: BaseException) -> str:
    """A short reason for the run summary: auth failed, timeout, connection refused, ..."""
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, NetmikoAuthenticationException):
        return f"auth failed: {text}"
    if isinstance(exc, NetmikoTimeoutException | ReadTimeout | socket.timeout | TimeoutError):
        return f"timeout: {text}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, CredentialError):
        return f"credentials: {exc}"
    if isinstance(exc, DeviceFailure):
        return str(exc)
    return f"{type(exc).__name__}: {text}"


def collect_device(device: Device, deadline: float = 300.0) -> DeviceOutput:
    """Everything one device answers; failures are recorded on the result, never raised."""
    out = DeviceOutput(device.name, device.host, device.device_type, device.platform, port=device.port)
    started = time.monotonic()
    try:
        _collect(device, out, started + deadline)
    except (NetmikoBaseException, SSHException, OSError, EOFError, CredentialError, DeviceFailure, ValueError) as exc:
        out.failure = classify(exc)
    out.elapsed = round(time.monotonic() - started, 3)
    out.finished_at = utcnow()
    return out


def _collect(device: Device, out: DeviceOutput, deadline: float) -> None:
    params = connection_params(device)
    conn = ConnectHandler(**params)
    try:
        out.prompt = conn.base_prompt or ""
        if device.platform in ENABLE_PLATFORMS:
            _enable(conn, device, out)
        for key, candidates in commands_for(device.platform, device.dmi_path).items():
            if time.monotonic() > deadline:
                raise DeviceFailure(f"timeout: device took longer than its {deadline:.0f} s budget")
            _run_key(conn, key, candidates, device, out)
    finally:
        try:
            conn.disconnect()
        except (OSError, EOFError, SSHException, NetmikoBaseException):
            pass
    required = REQUIRED.get(device.platform, DEFAULT_REQUIRED)
    if not any(k in out.outputs for k in required):
        # Each warning already names its reason ("unsupported command: 'show version'", "timeout: ...").
        raise DeviceFailure("; ".join(out.warnings.get(k) or f"unsupported command: no answer to {k}" for k in required))


def _enable(conn: Any, device: Device, out: DeviceOutput) -> None:
    try:
        if not conn.check_enable_mode():
            conn.enable()
    except (NetmikoBaseException, ValueError, OSError) as exc:
        # Many facts are readable without enable; say so and carry on.
        out.warnings["enable"] = f"enable failed: {classify(exc)}"


def _run_key(conn: Any, key: str, candidates: Sequence[str], device: Device, out: DeviceOutput) -> None:
    for command in candidates:
        try:
            text = conn.send_command(command, read_timeout=device.timeout)
        except ReadTimeout as exc:
            out.warnings[key] = f"timeout: {command!r} ({exc})"[:300]
            return
        if not isinstance(text, str):
            text = str(text)
        if is_unsupported(text):
            out.warnings[key] = f"unsupported command: {command!r}"
            continue
        out.outputs[key] = {"command": command, "output": text}
        out.warnings.pop(key, None)
        return


def collect_all(
    devices: Sequence[Device],
    workers: int = 8,
    deadline: float = 300.0,
    on_done: Callable[[DeviceOutput, int], None] | None = None,
) -> Iterator[DeviceOutput]:
    """Visit devices in a bounded thread pool; yield each result as soon as it is ready."""
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ssh") as pool:
        futures = {pool.submit(_guarded, d, deadline): d for d in devices}
        for done, future in enumerate(as_completed(futures), start=1):
            out = future.result()
            if on_done:
                on_done(out, done)
            yield out


def _guarded(device: Device, deadline: float) -> DeviceOutput:
    try:
        return collect_device(device, deadline)
    except Exception as exc:  # noqa: BLE001 - a bug in one device's handling must not stop the run
        log.exception("unexpected error on %s", device.name)
        out = DeviceOutput(device.name, device.host, device.device_type, device.platform, port=device.port)
        out.failure = classify(exc)
        out.finished_at = utcnow()
        return out
