"""What the asset page shows beyond the record: hardware summary, installed software, users seen."""

from sqlalchemy import select

from ..extensions import db
from ..models import InstalledSoftware
from . import usage

# Which source's view of the hardware wins: agents see inside the machine, scanners only from outside.
HARDWARE_SOURCES = ("agent", "mdm", "ssh", "import", "nmap")


def hardware_summary(asset: dict) -> dict | None:
    """CPU, memory, disks, OS and network cards, from the most knowledgeable source that reported them."""
    observed = asset.get("observed") or {}
    for source in HARDWARE_SOURCES:
        seen = observed.get(source)
        if not seen:
            continue
        hw = seen.get("hardware") or {}
        cards = seen.get("interfaces") or [{"name": i.get("name"), "mac": i["mac"], "ip_addresses": i["ip_addresses"]}
                                           for i in asset.get("interfaces") or []]
        return {"source": source, "cpu": hw.get("cpu"), "cpu_cores": hw.get("cpu_cores"),
                "memory_mb": hw.get("memory_mb"), "disks": hw.get("disks") or [], "os_name": asset.get("os_name"),
                "os_version": asset.get("os_version"), "network_cards": cards}
    return None


def software_of(asset_id: int) -> list[dict]:
    rows = select(InstalledSoftware).where(InstalledSoftware.asset_id == asset_id).order_by(
        InstalledSoftware.name_key, InstalledSoftware.version)
    return [{"name": r.name, "version": r.version, "publisher": r.publisher, "source": r.source,
             "first_seen": r.first_seen, "last_seen": r.last_seen} for r in db.session.execute(rows).scalars()]


def extras(asset: dict) -> dict:
    return {"hardware": hardware_summary(asset), "software": software_of(asset["id"]),
            "users_seen": usage.asset_users(asset["id"])}
