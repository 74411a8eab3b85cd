"""Fixed-window rate limits kept in the worker's memory (each gunicorn worker counts on its own)."""

import threading
import time


class RateLimiter:
    def __init__(self):
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, period: float = 60.0) -> int | None:
        """Count one hit; return None if allowed, else the seconds to wait."""
        if limit <= 0:
            return None
        now = time.monotonic()
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= period:
                start, count = now, 0
            if count >= limit:
                return max(1, int(period - (now - start)) + 1)
            self._windows[key] = (start, count + 1)
            if len(self._windows) > 100_000:  # forget stale windows rather than grow without bound
                self._windows = {k: v for k, v in self._windows.items() if now - v[0] < period}
            return None
