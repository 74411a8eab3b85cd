"""What a collector brings back from one device: raw command output, kept as-is for translate and fixtures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from scanners.batches import Observation


@dataclass
class DeviceOutput:
    """Raw answers of one device, keyed by fact ("version", "mac_table", ...), plus what went wrong."""

    name: str
    host: str
    device_type: str
    platform: str
    port: int = 22
    prompt: str = ""
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    failure: str | None = None
    elapsed: float = 0.0
    finished_at: str = ""

    def text(self, key: str) -> str:
        return (self.outputs.get(key) or {}).get("output", "")

    def command(self, key: str) -> str:
        return (self.outputs.get(key) or {}).get("command", "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeviceOutput:
        return cls(**data)


@dataclass
class DeviceResult:
    """Observations from one device, and its ARP table for the run-wide IP merge."""

    name: str
    device: Observation | None = None
    endpoints: list[Observation] = field(default_factory=list)
    arp: dict[str, list[str]] = field(default_factory=dict)
    uplinks: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def observations(self) -> list[Observation]:
        return ([self.device] if self.device else []) + self.endpoints
