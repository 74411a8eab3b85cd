"""nmap discovery: settings from the command line or a YAML file, then collect -> translate -> push."""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import Any

import yaml

from scanners.allowlist import ScopeError, check_scope, split_list
from scanners.batches import BatchWriter, default_scanner_name, new_scan_id
from scanners.common import (
    EXIT_PARTIAL,
    EXIT_REFUSED,
    UsageError,
    delivery_exit_code,
    make_client,
    parse_interval,
    push_settings,
    repeat,
)
from scanners.nmap_discovery.collect import NmapOptions, collect
from scanners.nmap_discovery.translate import NmapXmlError, translate

log = logging.getLogger(__name__)

# Keys a config file may hold; the same names as the long options (dashes or underscores).
CONFIG_KEYS = {
    "targets",
    "allow",
    "server",
    "token_file",
    "ports",
    "os",
    "service_versions",
    "no_dns",
    "dns",
    "every",
    "spool",
    "scanner",
    "batch_size",
    "chunk_size",
    "parallel",
    "retries",
    "backoff",
    "timeout",
    "gzip",
    "nmap",
    "host_timeout",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="YAML file with the same settings (command-line options win)")
    parser.add_argument("--targets", help="comma-separated addresses and CIDR networks to scan")
    parser.add_argument("--allow", help="comma-separated CIDR networks targets must lie in (default: loopback only)")
    parser.add_argument("--ports", help="topN (default top100), none (host sweep only), or a list like 22,80,8000-8100")
    parser.add_argument("--os", action="store_true", default=None, help="OS detection (-O, needs root)")
    parser.add_argument("--service-versions", action="store_true", default=None, help="service banners (-sV)")
    parser.add_argument("-n", "--no-dns", action="store_true", default=None, help="no reverse DNS lookups")
    parser.add_argument("--every", help="repeat the scan at this interval, e.g. 1h (default: run once)")
    parser.add_argument("--scanner", help="name of this scanner instance (default nmap-<hostname>)")
    parser.add_argument("--chunk-size", type=int, help="addresses per nmap process (default 256)")
    parser.add_argument("--parallel", type=int, help="nmap processes at once (default 4)")
    parser.add_argument("--host-timeout", type=int, help="seconds nmap may spend on one host (default 300)")
    parser.add_argument("--nmap", help="path of the nmap binary (default: nmap on PATH)")


def load_config(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read config {path}: {exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"config {path} must be a mapping of settings")
    data = {str(k).replace("-", "_"): v for k, v in data.items()}
    unknown = sorted(set(data) - CONFIG_KEYS)
    if unknown:
        raise UsageError(f"unknown setting(s) in {path}: {', '.join(unknown)}")
    if "dns" in data:
        data["no_dns"] = not data.pop("dns")
    return data


def settings_from(args: argparse.Namespace) -> dict[str, Any]:
    """Config file first, then every option given on the command line on top."""
    values = load_config(args.config)
    for key, value in vars(args).items():
        if value is not None and key not in ("config", "command", "func", "verbose", "quiet"):
            values[key] = value
    return values


def nmap_options(values: dict[str, Any]) -> NmapOptions:
    """What nmap is asked, from the settings; UsageError for a port list nmap would not take."""
    options = NmapOptions(
        ports=str(values.get("ports") or "top100"),
        os_detection=bool(values.get("os")),
        service_versions=bool(values.get("service_versions")),
        dns=not values.get("no_dns"),
        host_timeout=int(values.get("host_timeout") or 300),
        nmap_path=values.get("nmap"),
    )
    try:
        options.arguments()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return options


def run(args: argparse.Namespace) -> int:
    values = settings_from(args)
    try:
        # The scope check comes first: a refused target must never reach nmap, not even `nmap -V`.
        scope = check_scope(values.get("targets"), values.get("allow"))
    except ScopeError as exc:
        log.error("%s", exc)
        return EXIT_REFUSED
    options = nmap_options(values)
    if options.os_detection and os.geteuid() != 0:
        raise UsageError("--os (nmap -O) needs root")
    every = parse_interval(values.get("every"))
    client = make_client(push_settings(values))
    scanner = str(values.get("scanner") or default_scanner_name("nmap"))
    chunk_size = int(values.get("chunk_size") or 256)
    parallel = int(values.get("parallel") or 4)
    log.info(
        "scope %s (allow %s)",
        ", ".join(scope.as_strings()),
        ", ".join(split_list(values.get("allow"))) or "loopback only",
    )

    def run_once() -> int:
        client.begin_run()
        writer = BatchWriter(
            "nmap", scanner, new_scan_id(), scope.as_strings(), client.submit, batch_size=client_batch_size(values)
        )
        failed = []
        for chunk in collect(scope, options, chunk_size=chunk_size, parallel=parallel):
            if chunk.error:
                failed.append(chunk)
                log.error("chunk %s failed: %s", ",".join(chunk.targets), chunk.error)
                continue
            try:
                observations = translate(chunk.xml)
            except NmapXmlError as exc:
                failed.append(chunk)
                log.error("chunk %s: %s", ",".join(chunk.targets), exc)
                continue
            writer.add(observations)
        batches = writer.close(complete=not failed)
        result = client.finish()
        log.info(
            "scan %s: %d observation(s) in %d batch(es), %d sent, %d chunk(s) failed",
            writer.scan_id,
            writer.count,
            batches,
            result.sent,
            len(failed),
        )
        code = delivery_exit_code(result, client)
        return code or (EXIT_PARTIAL if failed else 0)

    return repeat(run_once, every)


def client_batch_size(values: dict[str, Any]) -> int:
    return int(values.get("batch_size") or 500)
