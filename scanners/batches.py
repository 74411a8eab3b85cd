"""Observation batch envelopes (the contract in docs/observations.md) and run identifiers."""

from __future__ import annotations

import datetime as dt
import secrets
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Observation = dict[str, Any]
Batch = dict[str, Any]


def utcnow() -> str:
    """Now in UTC, ISO 8601 with a Z, second precision."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_scan_id(label: str = "") -> str:
    """One id per run: sortable time, then random bits so two runs in the same second differ."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    suffix = f"-{label}" if label else ""
    return f"{stamp}-{secrets.token_hex(3)}{suffix}"


def default_scanner_name(source: str) -> str:
    return f"{source}-{socket.gethostname().split('.')[0]}"


@dataclass
class BatchWriter:
    """Cut a stream of observations into numbered batches and hand each to `emit`.

    Only the batch written by `close(complete=True)` carries complete=true, so a run that
    ends early never claims to have covered its scope.
    """

    source: str
    scanner: str
    scan_id: str
    scope: list[str]
    emit: Callable[[Batch], None]
    batch_size: int = 500
    started_at: str = field(default_factory=utcnow)
    _pending: list[Observation] = field(default_factory=list)
    _next: int = 0
    count: int = 0

    def add(self, observations: Iterable[Observation]) -> None:
        for obs in observations:
            # A full batch waits for one more observation, so the last one sent (complete=true) is never empty
            # unless the run found nothing at all.
            if len(self._pending) >= self.batch_size:
                self._flush(complete=False)
            self._pending.append(obs)
            self.count += 1

    def close(self, complete: bool) -> int:
        """Write the last batch (empty if need be, so complete=true always reaches the server)."""
        self._flush(complete=complete, final=True)
        return self._next

    def _flush(self, complete: bool, final: bool = False) -> None:
        if not self._pending and not (final and complete):
            return
        batch: Batch = {
            "source": self.source,
            "scanner": self.scanner,
            "scan_id": self.scan_id,
            "batch": self._next,
            "complete": complete,
            "scope": list(self.scope),
            "started_at": self.started_at,
            "finished_at": utcnow(),
            "observations": self._pending,
        }
        self._pending = []
        self._next += 1
        self.emit(batch)
