"""On-disk spool: each batch is a JSON file written atomically before it is sent, removed once acknowledged."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REJECTED = "rejected"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def default_spool_dir() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(state) / "inventory-scanners" / "spool"


class Spool:
    """A directory of pending batches, oldest first by file name."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)

    def write(self, batch: dict[str, Any]) -> Path:
        """Persist a batch (temp file, fsync, rename) so a crash never leaves half a batch behind."""
        # The nanosecond prefix orders files by creation; the rest makes them readable and unique.
        name = "{:020d}-{}-{}-{:06d}.json".format(
            time.time_ns(),
            _UNSAFE.sub("_", str(batch.get("scanner", "")))[:40],
            _UNSAFE.sub("_", str(batch.get("scan_id", "")))[:60],
            int(batch.get("batch", 0)),
        )
        data = json.dumps(batch, separators=(",", ":"), sort_keys=True).encode()
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.dir)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            final = self.dir / name
            os.replace(tmp, final)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._sync_dir()
        return final

    def pending(self) -> list[Path]:
        return sorted(p for p in self.dir.glob("*.json") if not p.name.startswith("."))

    def read(self, path: Path) -> dict[str, Any]:
        with open(path, "rb") as fh:
            return json.load(fh)

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        self._sync_dir()

    def reject(self, path: Path, reason: str) -> Path:
        """Move a batch the server refused aside, with the server's answer next to it."""
        target_dir = self.dir / REJECTED
        target_dir.mkdir(exist_ok=True)
        target = target_dir / path.name
        os.replace(path, target)
        target.with_suffix(".reason.txt").write_text(reason + "\n", encoding="utf-8")
        self._sync_dir()
        return target

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise senders sharing a spool (a cron flush and a periodic scan) so batches go out in order."""
        with open(self.dir / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _sync_dir(self) -> None:
        fd = os.open(self.dir, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
