"""MDM device exports (Intune, Jamf, generic CSV) to observations with source "mdm"; pure functions."""

import csv
import io
from datetime import UTC, datetime

from ..normalize import normalize_imei, normalize_mac

# Each format: our field -> its column header. Headers marked optional may be absent from the file.
FORMATS: dict[str, dict[str, str]] = {
    "intune": {
        "hostname": "Device name", "serial_number": "Serial number", "imei": "IMEI", "manufacturer": "Manufacturer",
        "model": "Model", "os_name": "OS", "os_version": "OS version", "phone_number": "Phone number",
        "wifi_mac": "Wi-Fi MAC", "user": "Primary user UPN", "last_seen": "Last check-in", "agent_id": "Device ID",
    },
    "jamf": {
        "hostname": "Display Name", "serial_number": "Serial Number", "imei": "IMEI", "model": "Model",
        "os_version": "iOS Version", "phone_number": "Phone Number", "wifi_mac": "Wi-Fi MAC Address",
        "user": "Username", "last_seen": "Last Inventory Update", "agent_id": "UDID",
    },
    "generic": {
        "hostname": "hostname", "serial_number": "serial_number", "imei": "imei", "manufacturer": "manufacturer",
        "model": "model", "os_name": "os_name", "os_version": "os_version", "phone_number": "phone_number",
        "wifi_mac": "wifi_mac", "user": "user", "last_seen": "last_seen",
    },
}
OPTIONAL = {"hostname", "phone_number", "agent_id", "manufacturer", "os_name", "user", "wifi_mac", "imei"}
MAX_ROWS = 200_000


class MdmError(ValueError):
    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}


def _time(text: str) -> datetime:
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y %I:%M:%S %p",
                "%m/%d/%Y %H:%M", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text.replace("Z", "+0000"), fmt)
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except ValueError:
        raise ValueError(f"'{text}' is not a date and time") from None


def _kind(model: str, os_name: str) -> str:
    text = f"{model} {os_name}".lower()
    return "mobile_device" if any(w in text for w in ("ipad", "tablet", "tab ", "ipados")) else "phone"


def parse(text: str, fmt: str) -> list[dict]:
    """Observations from an export; MdmError with the missing columns, or with errors keyed by line."""
    if fmt not in FORMATS:
        raise MdmError(f"Unknown format '{fmt}': use one of {', '.join(FORMATS)}.")
    columns = FORMATS[fmt]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = {h.strip() for h in reader.fieldnames or []}
    missing = [col for field, col in columns.items() if field not in OPTIONAL and col not in header]
    if missing:
        raise MdmError(f"Not a {fmt} export: missing columns {', '.join(missing)}.", {"missing_columns": missing})
    observations, errors = [], {}
    for record in reader:
        if reader.line_num > MAX_ROWS + 1:
            raise MdmError(f"More than {MAX_ROWS} rows: split the file.")
        row = {f: (record.get(c) or "").strip() for f, c in columns.items()}
        obs, problems = _observation(row, fmt)
        if problems:
            errors[f"line {reader.line_num}"] = problems
        elif obs:
            observations.append(obs)
    if errors:
        raise MdmError(f"{len(errors)} row(s) are invalid; nothing was imported.", errors)
    return observations


def _observation(row: dict, fmt: str) -> tuple[dict | None, list[str]]:
    problems = []
    if not any(row.get(k) for k in ("serial_number", "imei", "wifi_mac")):
        return None, ["no serial number, IMEI or Wi-Fi MAC: the device cannot be identified"]
    obs: dict = {"kind": _kind(row.get("model", ""), row.get("os_name", "")),
                 "os_name": row.get("os_name") or ("iOS" if fmt == "jamf" else None)}
    for key in ("serial_number", "manufacturer", "model", "os_version", "phone_number", "hostname", "agent_id"):
        if row.get(key):
            obs[key] = row[key]
    if fmt == "jamf":
        obs.setdefault("manufacturer", "Apple")
    if row.get("imei"):
        imei = normalize_imei(row["imei"])
        if imei is None:
            problems.append(f"imei: '{row['imei']}' is not a valid IMEI")
        obs["imei"] = imei
    if row.get("wifi_mac"):
        mac = normalize_mac(row["wifi_mac"])
        if mac is None:
            problems.append(f"wifi_mac: '{row['wifi_mac']}' is not a MAC address")
        obs["macs"] = [mac] if mac else []
    if row.get("last_seen"):
        try:
            obs["seen_at"] = _time(row["last_seen"]).isoformat()
        except ValueError as e:
            problems.append(f"last_seen: {e}")
    if row.get("user"):
        obs["users"] = [{"login": row["user"], "kind": "enrolled"}]
    return {k: v for k, v in obs.items() if v is not None}, problems
