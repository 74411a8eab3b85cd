"""Push client: spool every batch, send it gzipped with the scanner token, retry what is worth retrying."""

from __future__ import annotations

import email.utils
import gzip
import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from scanners import __version__
from scanners.spool import Spool

log = logging.getLogger(__name__)

ENDPOINT = "/api/v1/observations"
RETRYABLE = {408, 429}
AUTH = {401, 403}


@dataclass
class PushResult:
    """What a flush achieved; `remaining` batches are still in the spool."""

    sent: int = 0
    rejected: int = 0
    remaining: int = 0
    auth_error: str | None = None
    last_error: str | None = None
    replies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.remaining == 0 and self.rejected == 0 and self.auth_error is None


def read_token(path: str | Path) -> str:
    token = Path(path).read_text(encoding="utf-8").strip()
    if not token:
        raise ValueError(f"token file {path} is empty")
    return token


def observations_url(server: str) -> str:
    """Accept the server's base URL, with or without /api/v1."""
    base = server.rstrip("/")
    if base.endswith("/api/v1"):
        base = base[: -len("/api/v1")]
    return base + ENDPOINT


def retry_after_seconds(value: str | None) -> float | None:
    """Parse Retry-After as seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class PushClient:
    """Send batches to the server through a spool, so an unreachable server never loses data."""

    def __init__(
        self,
        server: str,
        token: str,
        spool: Spool,
        *,
        use_gzip: bool = True,
        retries: int = 6,
        backoff: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 300.0,
        timeout: float = 30.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = observations_url(server)
        self.token = token
        self.spool = spool
        self.use_gzip = use_gzip
        self.retries = retries
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.timeout = timeout
        self.session = session or requests.Session()
        self.sleep = sleep
        # Once the server is found unreachable in a run, later batches are only spooled:
        # retrying each of them would stall the scan for minutes. `finish()` tries once more.
        self.server_down = False
        self.result = PushResult()

    def begin_run(self) -> None:
        """Forget the previous run's outcome (periodic scans reuse one client)."""
        self.server_down = False
        self.result = PushResult()

    def submit(self, batch: dict[str, Any]) -> Path:
        """Spool the batch, then send everything pending unless the server is known to be down."""
        path = self.spool.write(batch)
        if not self.server_down and self.result.auth_error is None:
            self.flush()
        return path

    def finish(self) -> PushResult:
        """Last attempt of the run: send what is left, oldest first."""
        self.server_down = False
        if self.result.auth_error is None:
            self.flush()
        self.result.remaining = len(self.spool.pending())
        return self.result

    def flush(self) -> PushResult:
        """Send pending batches oldest first; stop at the first one the server cannot take now."""
        with self.spool.locked():
            for path in self.spool.pending():
                try:
                    batch = self.spool.read(path)
                except (OSError, ValueError) as exc:
                    self.spool.reject(path, f"unreadable spool file: {exc}")
                    self.result.rejected += 1
                    continue
                if not self._deliver(path, batch):
                    break
        self.result.remaining = len(self.spool.pending())
        return self.result

    def _deliver(self, path: Path, batch: dict[str, Any]) -> bool:
        """Send one batch with retries. True means go on with the next one."""
        label = f"{batch.get('scanner')}/{batch.get('scan_id')}#{batch.get('batch')}"
        body = json.dumps(batch, separators=(",", ":")).encode()
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"inventory-scanners/{__version__}",
        }
        if self.use_gzip:
            body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = "gzip"
        for attempt in range(self.retries + 1):
            wait: float | None = None
            try:
                resp = self.session.post(self.url, data=body, headers=headers, timeout=self.timeout)
            except requests.RequestException as exc:
                reason = f"{type(exc).__name__}: {exc}"
            else:
                if 200 <= resp.status_code < 300:
                    self._acknowledged(path, label, resp)
                    return True
                reason = f"HTTP {resp.status_code}: {_error_text(resp)}"
                if resp.status_code in AUTH:
                    # A wrong token would refuse every batch: keep them all spooled for a later run.
                    log.error("server refused the scanner token (%s); batches stay in %s", reason, self.spool.dir)
                    self.result.auth_error = reason
                    return False
                if resp.status_code < 500 and resp.status_code not in RETRYABLE:
                    # The server understood and refused this batch: a bug, not an outage. Keep it for a person.
                    log.error("server rejected batch %s (%s); moved to %s/", label, reason, self.spool.dir / "rejected")
                    self.spool.reject(path, reason)
                    self.result.rejected += 1
                    return True
                after = retry_after_seconds(resp.headers.get("Retry-After"))
                if after is not None:
                    wait = min(after, self.retry_after_max)
            self.result.last_error = reason
            if attempt == self.retries:
                break
            if wait is None:
                wait = self._backoff(attempt)
            log.warning(
                "sending batch %s failed (%s); retry %d/%d in %.1f s", label, reason, attempt + 1, self.retries, wait
            )
            self.sleep(wait)
        log.error("server unavailable for batch %s (%s); it stays spooled", label, self.result.last_error)
        self.server_down = True
        return False

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter on its upper half, so many scanners do not retry in step."""
        ceiling = min(self.backoff_max, self.backoff * (2**attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def _acknowledged(self, path: Path, label: str, resp: requests.Response) -> None:
        self.spool.remove(path)
        self.result.sent += 1
        try:
            reply = resp.json()
        except ValueError:
            reply = {}
        if isinstance(reply, dict):
            self.result.replies.append(reply)
            counts = ", ".join(f"{k}={reply[k]}" for k in ("matched", "created", "updated", "conflicts") if k in reply)
            log.info("batch %s accepted%s", label, f" ({counts})" if counts else "")


def _error_text(resp: requests.Response) -> str:
    """The message of the server's JSON error shape, or the start of the body."""
    try:
        data = resp.json()
    except ValueError:
        return resp.text[:300].strip() or resp.reason or ""
    if isinstance(data, dict):
        message = str(data.get("message") or data.get("status") or "")
        if data.get("errors"):
            message += f" {json.dumps(data['errors'])[:500]}"
        return message
    return str(data)[:300]
