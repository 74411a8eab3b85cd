"""SSH collector: read the device file, collect in a thread pool, translate, push, summarise failures."""

from __future__ import annotations

import argparse
import logging

from scanners.batches import BatchWriter, default_scanner_name, new_scan_id
from scanners.client import PushClient
from scanners.common import (
    EXIT_PARTIAL,
    UsageError,
    delivery_exit_code,
    make_client,
    parse_interval,
    push_settings,
    repeat,
)
from scanners.ssh_collector.collect import collect_all
from scanners.ssh_collector.devices import Device, load_devices
from scanners.ssh_collector.records import DeviceOutput, DeviceResult
from scanners.ssh_collector.translate import merge_arp, translate

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--devices", required=True, help="YAML device file (see docs/scanners.md)")
    parser.add_argument("--scanner", help="name of this collector instance (default ssh-<hostname>)")
    parser.add_argument("--workers", type=int, default=8, help="devices visited at once (default 8)")
    parser.add_argument(
        "--device-timeout",
        type=float,
        default=300.0,
        help="seconds one device may take in all (default 300); per-step timeouts are in the file",
    )
    parser.add_argument("--every", help="repeat the collection at this interval, e.g. 15m (default: run once)")


def run(args: argparse.Namespace) -> int:
    devices = load_devices(args.devices)
    if not devices:
        raise UsageError(f"{args.devices} lists no devices")
    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    every = parse_interval(args.every)
    client = make_client(push_settings(vars(args)))
    return repeat(lambda: run_once(args, devices, client), every)


def run_once(args: argparse.Namespace, devices: list[Device], client: PushClient) -> int:
    client.begin_run()
    thresholds = {d.name: d.mac_threshold for d in devices}
    writer = BatchWriter(
        "ssh",
        args.scanner or default_scanner_name("ssh"),
        new_scan_id(),
        [d.name for d in devices],
        client.submit,
        batch_size=push_settings(vars(args)).batch_size,
    )

    def progress(out: DeviceOutput, done: int) -> None:
        state = f"failed ({out.failure})" if out.failure else "ok"
        log.info("[%d/%d] %s %s in %.1f s", done, len(devices), out.name, state, out.elapsed)

    outputs: list[DeviceOutput] = []
    results: list[DeviceResult] = []
    for out in collect_all(devices, workers=args.workers, deadline=args.device_timeout, on_done=progress):
        outputs.append(out)
        if out.failure:
            continue
        result = translate(out, out.finished_at, thresholds[out.name])
        for key, warning in result.warnings.items():
            out.warnings.setdefault(key, warning)
        results.append(result)
    # Observations wait for the whole run: ARP tables of every device add IPs to every switch's endpoints.
    merge_arp(results)
    for result in results:
        writer.add(result.observations)
    failed = [o for o in outputs if o.failure]
    batches = writer.close(complete=not failed)
    delivery = client.finish()
    summarise(outputs, writer.count, batches, delivery.sent)
    code = delivery_exit_code(delivery, client)
    return code or (EXIT_PARTIAL if failed else 0)


def summarise(outputs: list[DeviceOutput], observations: int, batches: int, sent: int) -> None:
    failed = [o for o in outputs if o.failure]
    log.info(
        "ssh: %d device(s), %d ok, %d failed; %d observation(s) in %d batch(es), %d sent",
        len(outputs),
        len(outputs) - len(failed),
        len(failed),
        observations,
        batches,
        sent,
    )
    for out in sorted(failed, key=lambda o: o.name):
        log.error("device %s (%s:%d) failed: %s", out.name, out.host, out.port, out.failure)
    for out in sorted(outputs, key=lambda o: o.name):
        for key, warning in sorted(out.warnings.items()):
            log.warning("device %s: %s: %s", out.name, key, warning)
