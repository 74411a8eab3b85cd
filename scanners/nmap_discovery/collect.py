"""Run nmap (through python-nmap) over a validated scope, in chunks, with bounded parallelism."""

from __future__ import annotations

import ipaddress
import logging
import math
import re
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TextIO

import nmap

from scanners.allowlist import Network, Scope, format_network
from scanners.batches import utcnow
from scanners.nmap_discovery.translate import live_hosts

log = logging.getLogger(__name__)

_PORT_SPEC = re.compile(r"^(?:[TUS]:)?\d+(?:-\d+)?(?:,(?:[TUS]:)?\d+(?:-\d+)?)*$")


@dataclass(frozen=True)
class NmapOptions:
    """What to ask nmap; every field maps to fixed arguments, never free text."""

    ports: str = "top100"
    os_detection: bool = False
    service_versions: bool = False
    dns: bool = True
    timing: int = 4
    host_timeout: int = 300
    nmap_path: str | None = None

    def arguments(self) -> str:
        args = [f"-T{self.timing}", f"--host-timeout {self.host_timeout}s"]
        if not self.dns:
            args.append("-n")
        ports = self.ports.strip().lower()
        if ports in ("none", "sweep"):
            args.append("-sn")
        elif ports.startswith("top"):
            args.append(f"--top-ports {int(ports[3:] or 100)}")
        elif _PORT_SPEC.match(ports.upper()):
            args.append(f"-p {ports.upper()}")
        else:
            raise ValueError(f"bad port list {self.ports!r}: use topN, none, or nmap syntax like 22,80,8000-8100")
        if self.service_versions and "-sn" not in args:
            args.append("-sV")
        if self.os_detection:
            args.append("-O")
        return " ".join(args)


@dataclass
class ChunkResult:
    """One nmap run: its XML output (what translate() takes), or why it failed."""

    targets: list[str]
    addresses: int
    xml: str = ""
    error: str | None = None
    finished_at: str = field(default_factory=utcnow)

    @property
    def live(self) -> int:
        return live_hosts(self.xml) if self.xml and not self.error else 0


def plan_chunks(targets: Sequence[Network], chunk_size: int) -> list[list[Network]]:
    """Split big networks into subnets of about chunk_size addresses and group small targets together."""
    chunk_size = max(1, chunk_size)
    bits = max(0, int(math.log2(chunk_size)))
    chunks: list[list[Network]] = []
    group: list[Network] = []
    group_size = 0
    for net in targets:
        if net.num_addresses > chunk_size:
            new_prefix = max(net.prefixlen, net.max_prefixlen - bits)
            chunks.extend([sub] for sub in net.subnets(new_prefix=new_prefix))
            continue
        if group and group_size + net.num_addresses > chunk_size:
            chunks.append(group)
            group, group_size = [], 0
        group.append(net)
        group_size += net.num_addresses
    if group:
        chunks.append(group)
    return chunks


def scan_chunk(targets: list[Network], options: NmapOptions, timeout: float) -> ChunkResult:
    """Run one nmap process; errors are returned, not raised, so one chunk never stops a run."""
    hosts = [format_network(n) for n in targets]
    result = ChunkResult(hosts, sum(n.num_addresses for n in targets))
    try:
        search = (options.nmap_path,) if options.nmap_path else ("nmap", "/usr/bin/nmap", "/usr/local/bin/nmap")
        scanner = nmap.PortScanner(nmap_search_path=search)
        ipv6 = any(isinstance(n, ipaddress.IPv6Network) for n in targets)
        args = options.arguments() + (" -6" if ipv6 else "")
        parsed = scanner.scan(hosts=" ".join(hosts), arguments=args, timeout=int(timeout))
        xml = scanner.get_nmap_last_output()
        result.xml = xml.decode() if isinstance(xml, bytes) else str(xml)
        # nmap prints harmless notes on stderr (no DNS servers, RTT warnings); only a failed run counts.
        errors = parsed.get("nmap", {}).get("scaninfo", {}).get("error")
        if errors:
            log.warning("nmap said on %s: %s", " ".join(hosts), " ".join(str(e).strip() for e in errors)[:500])
        if 'exit="error"' in result.xml:
            result.error = "nmap reported an error: " + _errormsg(result.xml)
    except (nmap.PortScannerError, nmap.PortScannerTimeout, OSError, ValueError) as exc:
        result.error = f"{type(exc).__name__}: {str(exc).strip()[:500]}"
    result.finished_at = utcnow()
    return result


class Progress:
    """hosts done / total, live found, ETA: one rewritten line on a terminal, log lines otherwise."""

    def __init__(self, total: int, chunks: int, stream: TextIO | None = None) -> None:
        self.total, self.chunks = total, chunks
        self.done = self.live = self.chunks_done = 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.start = time.monotonic()

    def update(self, result: ChunkResult) -> None:
        self.done += result.addresses
        self.live += result.live
        self.chunks_done += 1
        elapsed = time.monotonic() - self.start
        eta = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        line = (
            f"nmap: {self.done}/{self.total} hosts ({100 * self.done // max(1, self.total)}%), "
            f"{self.live} live, ETA {_duration(eta)}"
        )
        if self.tty:
            end = "\n" if self.chunks_done == self.chunks else ""
            self.stream.write(f"\r{line}\x1b[K{end}")
            self.stream.flush()
        else:
            log.info(
                "%s (chunk %d/%d%s)",
                line,
                self.chunks_done,
                self.chunks,
                f", failed: {result.error}" if result.error else "",
            )


def _errormsg(xml: str) -> str:
    match = re.search(r'errormsg="([^"]*)"', xml)
    return match.group(1) if match else "unknown"


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def collect(
    scope: Scope,
    options: NmapOptions,
    *,
    chunk_size: int = 256,
    parallel: int = 4,
    chunk_timeout: float = 3600,
    progress: Progress | None = None,
) -> Iterator[ChunkResult]:
    """Scan the scope chunk by chunk, yielding each result as soon as its nmap process ends."""
    options.arguments()  # refuse a bad port list before starting anything
    chunks = plan_chunks(scope.targets, chunk_size)
    progress = progress or Progress(scope.total_addresses, len(chunks))
    log.info(
        "nmap: %d addresses in %d chunk(s), %d in parallel, arguments: %s",
        scope.total_addresses,
        len(chunks),
        parallel,
        options.arguments(),
    )
    with ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="nmap") as pool:
        queue = iter(chunks)
        running: set[Future[ChunkResult]] = set()
        # Submit lazily so a /8 does not create 65536 futures up front.
        for chunk in queue:
            running.add(pool.submit(scan_chunk, chunk, options, chunk_timeout))
            if len(running) >= parallel * 2:
                break
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                result = future.result()
                progress.update(result)
                yield result
                nxt = next(queue, None)
                if nxt is not None:
                    running.add(pool.submit(scan_chunk, nxt, options, chunk_timeout))
