"""The device file (YAML): which devices to visit, how, and credentials by reference only."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scanners.common import UsageError

# netmiko device types we collect from, and the ntc-templates platform that parses their output.
PLATFORMS = {
    "cisco_ios": "cisco_ios",
    "cisco_xe": "cisco_ios",
    "cisco_nxos": "cisco_nxos",
    "arista_eos": "arista_eos",
    "juniper_junos": "juniper_junos",
    "juniper": "juniper_junos",
    "linux": "linux",
}
SECRET_FIELDS = ("password", "secret", "passphrase")
DEVICE_KEYS = {
    "name",
    "host",
    "port",
    "device_type",
    "username",
    "password_env",
    "password_file",
    "secret_env",
    "secret_file",
    "key_file",
    "passphrase_env",
    "passphrase_file",
    "known_hosts",
    "timeout",
    "mac_threshold",
    "dmi_path",
}


class CredentialError(Exception):
    """A credential reference that cannot be resolved (missing variable or unreadable file)."""


@dataclass(frozen=True)
class Device:
    """One entry of the device file; secrets stay references until the collector needs them."""

    name: str
    host: str
    device_type: str
    port: int = 22
    username: str | None = None
    refs: dict[str, str] = field(default_factory=dict, repr=False)
    key_file: str | None = None
    known_hosts: str | None = None
    timeout: float = 30.0
    mac_threshold: int = 5
    dmi_path: str | None = None

    @property
    def platform(self) -> str:
        return PLATFORMS[self.device_type]

    def credential(self, kind: str) -> str | None:
        """Resolve password/secret/passphrase from `<kind>_env` or `<kind>_file`."""
        env, path = self.refs.get(f"{kind}_env"), self.refs.get(f"{kind}_file")
        if env:
            value = os.environ.get(env)
            if value is None:
                raise CredentialError(f"environment variable {env} ({kind} of {self.name}) is not set")
            return value
        if path:
            try:
                return Path(path).expanduser().read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise CredentialError(f"cannot read {kind} file {path}: {exc.strerror}") from None
        return None


def load_devices(path: str | os.PathLike[str]) -> list[Device]:
    """Read and check the whole file up front: a typo must stop the run before any connection."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read device file {path}: {exc}") from None
    if isinstance(data, list):
        data = {"devices": data}
    if not isinstance(data, dict) or not isinstance(data.get("devices"), list):
        raise UsageError(f"{path}: expected a 'devices:' list (and optional 'defaults:')")
    defaults = data.get("defaults") or {}
    devices = [
        _device({**defaults, **(entry or {})}, f"{path}: device {i + 1}") for i, entry in enumerate(data["devices"])
    ]
    names = [d.name for d in devices]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise UsageError(f"{path}: duplicate device names: {', '.join(duplicates)}")
    return devices


def _device(entry: dict[str, Any], where: str) -> Device:
    inline = [k for k in SECRET_FIELDS if k in entry]
    if inline:
        raise UsageError(f"{where}: inline {', '.join(inline)} not accepted; use {inline[0]}_env or {inline[0]}_file")
    unknown = sorted(set(entry) - DEVICE_KEYS)
    if unknown:
        raise UsageError(f"{where}: unknown key(s) {', '.join(unknown)}")
    host, device_type = entry.get("host"), entry.get("device_type")
    if not host or not device_type:
        raise UsageError(f"{where}: 'host' and 'device_type' are required")
    if device_type not in PLATFORMS:
        raise UsageError(f"{where}: device_type {device_type!r} not supported ({', '.join(sorted(PLATFORMS))})")
    port = int(entry.get("port") or 22)
    refs = {k: str(entry[k]) for k in entry if k.endswith(("_env", "_file")) and k != "key_file" and entry[k]}
    if device_type != "linux" and not (entry.get("password_env") or entry.get("password_file")):
        if not entry.get("key_file"):
            raise UsageError(f"{where}: give password_env, password_file or key_file")
    return Device(
        name=str(entry.get("name") or (host if port == 22 else f"{host}:{port}")),
        host=str(host),
        port=port,
        device_type=str(device_type),
        username=entry.get("username"),
        refs=refs,
        key_file=str(Path(entry["key_file"]).expanduser()) if entry.get("key_file") else None,
        known_hosts=str(Path(entry["known_hosts"]).expanduser()) if entry.get("known_hosts") else None,
        timeout=float(entry.get("timeout") or 30),
        mac_threshold=int(entry.get("mac_threshold") or 5),
        dmi_path=str(entry["dmi_path"]) if entry.get("dmi_path") else None,
    )
