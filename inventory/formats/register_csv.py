"""CSV files of the register (ours, and Snipe-IT's asset export) to and from plain rows; pure functions."""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ASSET_COLUMNS = [
    "asset_tag", "kind", "status", "manufacturer", "model", "serial_number", "hostname", "imei", "phone_number",
    "location", "purchase_date", "purchase_cost", "currency", "supplier", "order_number", "warranty_end", "notes",
    "macs", "assigned_to",
]
EMPLOYEE_COLUMNS = [
    "employee_number", "name", "email", "department", "job_title", "manager", "location", "start_date", "end_date",
    "status",
]
# Snipe-IT asset export header -> our column.
SNIPE_IT = {
    "asset tag": "asset_tag", "serial": "serial_number", "model": "model", "manufacturer": "manufacturer",
    "category": "category", "status": "status", "checked out to": "assigned_to", "location": "location",
    "purchase date": "purchase_date", "purchase cost": "purchase_cost", "notes": "notes", "name": "hostname",
    "asset name": "hostname", "supplier": "supplier", "order number": "order_number", "imei": "imei",
    "mac address": "macs", "warranty expires": "warranty_end", "model no.": "model_number",
}
SNIPE_STATUS = {
    "ready to deploy": "in_stock", "pending": "in_stock", "deployable": "in_stock", "deployed": "deployed",
    "archived": "retired", "retired": "retired", "out for repair": "in_repair", "broken": "in_repair",
    "in repair": "in_repair", "lost/stolen": "lost", "lost": "lost", "stolen": "stolen", "disposed": "disposed",
    "undeployable": "in_repair",
}
CATEGORY_KIND = [
    (re.compile(r"laptop|desktop|computer|notebook|workstation|server|pc\b|mac", re.I), "computer"),
    (re.compile(r"phone|mobile phone|smartphone|cell", re.I), "phone"),
    (re.compile(r"tablet|ipad|mobile", re.I), "mobile_device"),
    (re.compile(r"switch|router|firewall|access point|network|wifi|wlan", re.I), "network_device"),
]
MAX_ROWS = 200_000


@dataclass
class Row:
    line: int
    data: dict  # fields as the asset/employee schema loads them (strings)
    refs: dict = field(default_factory=dict)  # names to resolve: manufacturer, model, location, holder, ...
    errors: list = field(default_factory=list)


class CsvError(ValueError):
    pass


def _reader(text: str) -> tuple[list[str], list[tuple[int, dict]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if not reader.fieldnames:
        raise CsvError("The file is empty or has no header line.")
    rows = []
    for record in reader:
        if reader.line_num > MAX_ROWS + 1:
            raise CsvError(f"More than {MAX_ROWS} rows: split the file.")
        if None in record:
            raise CsvError(f"Line {reader.line_num}: more cells than header columns.")
        rows.append((reader.line_num, {(k or "").strip(): (v or "").strip() for k, v in record.items()}))
    return [h.strip() for h in reader.fieldnames], rows


def parse_cost(text: str) -> int:
    """Money text such as '1,299.00', '1.299,00' or '€ 899' to integer cents."""
    cleaned = re.sub(r"[^\d,.\-]", "", text)
    if "," in cleaned and "." in cleaned:
        decimal_sep = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        cleaned = cleaned.replace("." if decimal_sep == "," else ",", "").replace(",", ".")
    elif "," in cleaned:
        head, _, tail = cleaned.rpartition(",")
        cleaned = f"{head.replace(',', '')}.{tail}" if len(tail) in (1, 2) else cleaned.replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not an amount") from None
    if value < 0:
        raise ValueError(f"'{text}' is negative")
    return int((value * 100).quantize(Decimal(1)))


def _date(text: str) -> str:
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$", text)
    if not m:
        raise ValueError(f"'{text}' is not a date (YYYY-MM-DD)")
    return m.group(1)


def kind_of_category(category: str) -> str:
    for pattern, kind in CATEGORY_KIND:
        if pattern.search(category):
            return kind
    return "peripheral"


def parse_assets(text: str) -> list[Row]:
    """Rows of an asset CSV: ours (ASSET_COLUMNS) or a Snipe-IT export (recognised by its 'Asset Tag' column)."""
    header, records = _reader(text)
    snipe = "asset tag" in {h.lower() for h in header}
    if not snipe:
        unknown = set(header) - set(ASSET_COLUMNS)
        if unknown:
            raise CsvError(f"Unknown columns: {', '.join(sorted(unknown))}. Expected: {', '.join(ASSET_COLUMNS)}.")
    rows = []
    for line, record in records:
        values = {SNIPE_IT.get(k.lower(), "_"): v for k, v in record.items()} if snipe else record
        rows.append(_asset_row(line, {k: v for k, v in values.items() if v and k != "_"}))
    return rows


def _asset_row(line: int, values: dict) -> Row:
    row = Row(line, {})
    for key in ("asset_tag", "kind", "serial_number", "hostname", "imei", "phone_number", "supplier",
                "order_number", "notes", "currency"):
        if key in values:
            row.data[key] = values[key]
    if "category" in values and "kind" not in values:
        row.data["kind"] = kind_of_category(values["category"])
    if "status" in values:
        status = values["status"]
        row.data["status"] = SNIPE_STATUS.get(status.lower(), status)
    for key in ("purchase_date", "warranty_end"):
        if key in values:
            try:
                row.data[key] = _date(values[key])
            except ValueError as e:
                row.errors.append(f"{key}: {e}")
    if "purchase_cost" in values:
        try:
            row.data["purchase_cost_cents"] = parse_cost(values["purchase_cost"])
        except ValueError as e:
            row.errors.append(f"purchase_cost: {e}")
    if "macs" in values:
        row.data["interfaces"] = [{"mac": m.strip()} for m in re.split(r"[;|\s]+", values["macs"]) if m.strip()]
    for key in ("manufacturer", "model", "location", "assigned_to"):
        if key in values:
            row.refs[key] = values[key]
    if "model" in row.refs and "manufacturer" not in row.refs:
        row.errors.append("model: a model needs its manufacturer column")
    return row


def parse_employees(text: str) -> list[Row]:
    header, records = _reader(text)
    unknown = set(header) - set(EMPLOYEE_COLUMNS)
    if unknown:
        raise CsvError(f"Unknown columns: {', '.join(sorted(unknown))}. Expected: {', '.join(EMPLOYEE_COLUMNS)}.")
    rows = []
    for line, record in records:
        values = {k: v for k, v in record.items() if v}
        row = Row(line, {k: values[k] for k in ("employee_number", "name", "email", "job_title", "status")
                         if k in values})
        for key in ("start_date", "end_date"):
            if key in values:
                try:
                    row.data[key] = _date(values[key])
                except ValueError as e:
                    row.errors.append(f"{key}: {e}")
        row.refs = {k: values[k] for k in ("department", "manager", "location") if k in values}
        rows.append(row)
    return rows


def write_csv(out, columns: list[str], rows) -> None:
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
