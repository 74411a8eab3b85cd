"""Plumbing shared by the scanner commands: push options, logging, intervals, exit codes."""

from __future__ import annotations

import argparse
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scanners.client import PushClient, PushResult, read_token
from scanners.spool import Spool, default_spool_dir

log = logging.getLogger("scanners")

EXIT_OK = 0
EXIT_UNDELIVERED = 1  # batches left in the spool or rejected by the server
EXIT_REFUSED = 2  # bad arguments, configuration or scope: nothing was sent on the network
EXIT_PARTIAL = 3  # delivered, but some targets or devices could not be scanned


class UsageError(Exception):
    """A configuration problem reported to the user with exit code 2."""


@dataclass
class PushSettings:
    server: str
    token_file: str
    spool: str | None = None
    batch_size: int = 500
    retries: int = 6
    backoff: float = 0.5
    timeout: float = 30.0
    gzip: bool = True


def add_push_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    group = parser.add_argument_group("push")
    group.add_argument("--server", required=required, help="inventory base URL, e.g. https://inventory.example.com")
    group.add_argument("--token-file", required=required, help="file holding a scanner-role API token")
    group.add_argument("--spool", help=f"spool directory for unsent batches (default {default_spool_dir()})")
    group.add_argument("--batch-size", type=int, help="observations per batch (default 500)")
    group.add_argument("--retries", type=int, help="retries per batch before giving up for this run (default 6)")
    group.add_argument("--backoff", type=float, help="first retry delay in seconds, doubled each time (default 0.5)")
    group.add_argument("--http-timeout", type=float, dest="timeout", help="seconds per HTTP request (default 30)")
    group.add_argument(
        "--no-gzip", dest="gzip", action="store_false", default=None, help="send plain JSON instead of a gzip body"
    )


def push_settings(values: dict[str, object]) -> PushSettings:
    server, token_file = values.get("server"), values.get("token_file")
    if not server or not token_file:
        raise UsageError("--server and --token-file are required (on the command line or in the config file)")
    settings = PushSettings(server=str(server), token_file=str(token_file))
    for name in ("spool", "batch_size", "retries", "backoff", "timeout", "gzip"):
        if values.get(name) is not None:
            setattr(settings, name, values[name])
    if settings.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    return settings


def make_client(settings: PushSettings) -> PushClient:
    try:
        token = read_token(settings.token_file)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot read the token: {exc}") from None
    spool = Spool(Path(settings.spool) if settings.spool else default_spool_dir())
    return PushClient(
        settings.server,
        token,
        spool,
        use_gzip=settings.gzip,
        retries=settings.retries,
        backoff=settings.backoff,
        timeout=settings.timeout,
    )


def delivery_exit_code(result: PushResult, client: PushClient) -> int:
    """Tell the user what happened to the data; nothing is ever silently dropped."""
    spool = client.spool.dir
    if result.auth_error:
        log.error(
            "the server refused the token (%s): %d batch(es) kept in %s", result.auth_error, result.remaining, spool
        )
    elif result.remaining:
        log.error(
            "server unreachable (%s): %d batch(es) are spooled in %s; they are sent by the next run or by "
            "`python -m scanners flush --server URL --token-file FILE --spool %s`",
            result.last_error,
            result.remaining,
            spool,
            spool,
        )
    if result.rejected:
        log.error("%d batch(es) were rejected by the server and moved to %s/rejected", result.rejected, spool)
    if result.remaining or result.rejected or result.auth_error:
        return EXIT_UNDELIVERED
    return EXIT_OK


def parse_interval(text: str | int | float | None) -> float | None:
    """Interval text such as 90, 30s, 15m, 1h or 1d, in seconds."""
    if text is None or text == "":
        return None
    if isinstance(text, int | float):
        return float(text)
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", str(text).lower())
    if not match:
        raise UsageError(f"bad interval {text!r}: use e.g. 90, 30s, 15m, 1h, 1d")
    value = float(match.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]
    if value <= 0:
        raise UsageError("the interval must be positive")
    return value


def repeat(run_once: Callable[[], int], every: float | None) -> int:
    """Run once, or forever every N seconds (start to start) until interrupted."""
    if not every:
        return run_once()
    while True:
        started = time.monotonic()
        code = run_once()
        delay = max(0.0, every - (time.monotonic() - started))
        log.info("run finished with exit code %d; next run in %.0f s", code, delay)
        time.sleep(delay)


def setup_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity < 0 else logging.DEBUG if verbosity > 0 else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if verbosity <= 0:
        # paramiko and urllib3 narrate every connection; keep their warnings only.
        for noisy in ("paramiko", "urllib3", "netmiko"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
