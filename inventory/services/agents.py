"""Inventories from agents already on the fleet (FusionInventory, OCS, GLPI): one observation per payload."""

import hashlib

from flask import current_app

from ..schemas.observation import load_batch
from . import ingest
from .context import Context


def receive(observation: dict, device_id: str, raw: bytes, scanner: str, ctx: Context) -> tuple[str, bool]:
    """Reconcile one agent inventory like any other observation; the same payload again is a replay."""
    digest = hashlib.sha256(raw).hexdigest()[:40]
    batch = load_batch({"source": "agent", "scanner": scanner[:100], "scan_id": f"{device_id[:50]}:{digest}",
                        "batch": 0, "complete": False, "scope": [], "observations": [observation]})
    return ingest.ingest(batch, ctx)


def max_bytes() -> int:
    return int(current_app.config["MAX_CONTENT_LENGTH"])
