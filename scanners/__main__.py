"""Command line: python -m scanners {nmap,ssh,flush} ...; see docs/scanners.md."""

from __future__ import annotations

import argparse
import logging
import sys

from scanners import __version__
from scanners.common import (
    EXIT_REFUSED,
    UsageError,
    add_push_arguments,
    delivery_exit_code,
    make_client,
    push_settings,
    setup_logging,
)

log = logging.getLogger("scanners")


def run_flush(args: argparse.Namespace) -> int:
    if not args.spool:
        raise UsageError("flush needs --spool DIR")
    client = make_client(push_settings(vars(args)))
    pending = len(client.spool.pending())
    result = client.finish()
    log.info(
        "flush: %d batch(es) pending, %d sent, %d rejected, %d left",
        pending,
        result.sent,
        result.rejected,
        result.remaining,
    )
    return delivery_exit_code(result, client)


def run_nmap(args: argparse.Namespace) -> int:
    from scanners import nmap_discovery

    return nmap_discovery.run(args)


def run_ssh(args: argparse.Namespace) -> int:
    from scanners import ssh_collector

    return ssh_collector.run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scanners", description=__doc__)
    parser.add_argument("--version", action="version", version=f"scanners {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
        p.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")

    nmap_p = sub.add_parser("nmap", help="discover hosts, MACs, ports and OS guesses with nmap")
    from scanners.nmap_discovery import add_arguments as nmap_arguments

    nmap_arguments(nmap_p)
    add_push_arguments(nmap_p, required=False)
    common(nmap_p)
    nmap_p.set_defaults(func=run_nmap)

    ssh_p = sub.add_parser("ssh", help="collect identity, MAC/ARP tables and neighbours over SSH")
    from scanners.ssh_collector import add_arguments as ssh_arguments

    ssh_arguments(ssh_p)
    add_push_arguments(ssh_p)
    common(ssh_p)
    ssh_p.set_defaults(func=run_ssh)

    flush_p = sub.add_parser("flush", help="send batches left in a spool directory, oldest first")
    add_push_arguments(flush_p)
    common(flush_p)
    flush_p.set_defaults(func=run_flush)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(-1 if args.quiet else args.verbose)
    try:
        return args.func(args)
    except UsageError as exc:
        log.error("%s", exc)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        log.error("interrupted; unsent batches stay in the spool")
        return 130


if __name__ == "__main__":
    sys.exit(main())
