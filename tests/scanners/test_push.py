"""Push client: gzip and bearer, retries and backoff, the on-disk spool, flush, and exactly-once delivery."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from scanners.batches import BatchWriter
from scanners.client import PushClient
from scanners.spool import Spool
from tests.conftest import ROOT, free_port, wait_http
from tests.scanners.conftest import run_cli
from tests.scanners.receiver import Receiver


def _client(url, token, spool_dir, waits, **kw):
    def sleep(seconds):
        waits.append(seconds)
        time.sleep(seconds)

    return PushClient(url, token, Spool(spool_dir), sleep=sleep, **kw)


def _batch(number, macs=("00:14:22:01:00:01",), scan_id="scan-1"):
    return {
        "source": "nmap",
        "scanner": "push-test",
        "scan_id": scan_id,
        "batch": number,
        "complete": False,
        "scope": [],
        "observations": [{"macs": [m]} for m in macs],
    }


def test_gzip_bearer_and_retry_after_on_429_then_backoff_on_503(receiver, tmp_path):
    spool_dir = tmp_path / "spool"
    on_disk = []
    receiver.reject_when = lambda batch: on_disk.append(sorted(p.name for p in spool_dir.glob("*.json"))) and None
    receiver.script.extend([(429, {"Retry-After": "1"}), (503, {})])
    waits = []
    client = _client(receiver.url, receiver.token, spool_dir, waits, backoff=0.2)
    started = time.monotonic()
    client.submit(_batch(0))
    assert client.finish().ok
    assert [r["status"] for r in receiver.requests] == [429, 503, 200]
    assert waits[0] == 1.0 and time.monotonic() - started >= 1.0  # Retry-After wins over the backoff
    assert 0.2 <= waits[1] <= 0.4  # second attempt: up to 0.2 * 2, jitter on the upper half
    headers = receiver.requests[-1]["headers"]
    assert headers["Authorization"] == "Bearer rx-token" and headers["Content-Encoding"] == "gzip"
    # The batch was on disk when the server took it, and is gone once acknowledged.
    assert len(on_disk) == 1 and len(on_disk[0]) == 1
    assert list(spool_dir.glob("*.json")) == []


def test_a_4xx_refusal_is_not_retried_and_is_kept_aside_for_a_person(receiver, tmp_path):
    receiver.reject_when = lambda batch: 422 if batch["batch"] == 0 else None
    client = _client(receiver.url, receiver.token, tmp_path / "spool", [], backoff=0.05)
    client.submit(_batch(0))
    client.submit(_batch(1))
    result = client.finish()
    assert [r["status"] for r in receiver.requests] == [422, 200]  # one try for the refused batch, the next goes on
    assert (result.sent, result.rejected, result.remaining) == (1, 1, 0)
    (kept,) = (tmp_path / "spool" / "rejected").glob("*.json")
    assert json.loads(kept.read_text())["batch"] == 0
    assert "HTTP 422" in kept.with_suffix(".reason.txt").read_text()


def test_server_down_keeps_everything_spooled_and_flush_sends_it_oldest_first(tmp_path, token_file):
    rx = Receiver("rx-token")
    rx.port = free_port()  # nothing listens there yet
    waits = []
    client = _client(rx.url, rx.token, tmp_path / "spool", waits, retries=3, backoff=0.1)
    for n in range(3):
        client.submit(_batch(n, macs=[f"00:14:22:01:00:0{n}"]))
    result = client.finish()
    assert (result.sent, result.remaining) == (0, 3) and "ConnectionError" in result.last_error
    # Exponential backoff with jitter on the first batch; later batches are only spooled once the server is down,
    # and the end of the run tries the oldest once more.
    assert len(waits) == 6 and all(0.1 * 2**i / 2 <= w <= 0.1 * 2**i for i, w in enumerate(waits[:3]))
    assert all(0.1 * 2**i / 2 <= w <= 0.1 * 2**i for i, w in enumerate(waits[3:]))
    rx.start()
    try:
        done = run_cli(
            "flush", "--spool", str(tmp_path / "spool"), "--server", rx.url, "--token-file", token_file(rx.token)
        )
    finally:
        rx.stop()
    assert done.returncode == 0, done.stderr
    assert [r["key"][2] for r in rx.requests] == [0, 1, 2]
    assert list((tmp_path / "spool").glob("*.json")) == []


def test_cli_exits_1_and_names_the_spool_when_the_server_is_unreachable(tmp_path, token_file):
    done = run_cli(
        "nmap",
        "--targets",
        "127.0.0.1",
        "-n",
        "--ports",
        "none",
        "--server",
        f"http://127.0.0.1:{free_port()}",
        "--token-file",
        token_file("t"),
        "--spool",
        str(tmp_path / "sp"),
        "--retries",
        "1",
        "--backoff",
        "0.05",
    )
    assert done.returncode == 1
    assert "1 batch(es) are spooled in" in done.stderr and "python -m scanners flush" in done.stderr
    (kept,) = (tmp_path / "sp").glob("*.json")
    assert json.loads(kept.read_text())["complete"] is True


class Gunicorn:
    """The real server on a fixed port, to be killed (SIGKILL, as in a crash) and started again."""

    def __init__(self, database_url):
        self.port, self.database_url, self.proc = free_port(), database_url, None
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        env = {**os.environ, "INVENTORY_DATABASE_URL": self.database_url}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_http(self.url + "/api/v1/health", proc=self.proc)

    def kill(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


@pytest.fixture
def gunicorn(app, database_url):
    server = Gunicorn(database_url)
    server.start()
    yield server
    server.kill()


def test_server_killed_mid_run_and_restarted_every_observation_arrives_exactly_once(gunicorn, tokens, tmp_path):
    batches, per_batch = 30, 20
    client = PushClient(gunicorn.url, tokens["scanner"], Spool(tmp_path / "spool"), retries=2, backoff=0.1)
    writer = BatchWriter("nmap", "exactly-once", "run-1", ["10.213.0.0/16"], client.submit, batch_size=per_batch)

    def scan():
        for i in range(batches * per_batch):
            writer.add(
                [
                    {
                        "macs": [f"00:14:22:{i // 256:02x}:{i % 256:02x}:01"],
                        "ip_addresses": [f"10.213.{i // 256}.{i % 256}"],
                    }
                ]
            )
            time.sleep(0.004)
        writer.close(complete=True)

    scanner = threading.Thread(target=scan)
    scanner.start()
    deadline = time.monotonic() + 30
    while client.result.sent < 5:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    gunicorn.kill()
    killed_at_batch = writer._next
    time.sleep(1.0)
    gunicorn.start()
    scanner.join(60)
    result = client.finish()
    assert result.ok and result.remaining == 0
    assert 5 <= killed_at_batch < batches  # the kill did land in the middle of the run
    assert list((tmp_path / "spool").glob("*.json")) == []

    items, cursor = [], None
    while True:
        page = requests.get(
            f"{gunicorn.url}/api/v1/triage",
            headers={"Authorization": f"Bearer {tokens['it']}"},
            params={"source": "nmap", "limit": 1000, **({"cursor": cursor} if cursor else {})},
            timeout=10,
        ).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(items) == batches * per_batch
    assert {i["seen_count"] for i in items} == {1}  # none was applied twice
    assert len({m for i in items for m in i["identifiers"]["macs"]}) == batches * per_batch
