"""CSV import and export: formats (parse) -> schemas (validate) -> services (apply), as the API does."""

import hashlib

from marshmallow import ValidationError

from .errors import Invalid
from .formats import mdm, register_csv
from .schemas.asset import AssetSchema
from .schemas.organisation import EmployeeSchema
from .services import importer
from .services.context import Context

KINDS = {
    "assets": (register_csv.parse_assets, AssetSchema, importer.import_assets, importer.export_assets,
               register_csv.ASSET_COLUMNS),
    "employees": (register_csv.parse_employees, EmployeeSchema, importer.import_employees, importer.export_employees,
                  register_csv.EMPLOYEE_COLUMNS),
}


def import_csv(what: str, text: str, ctx: Context) -> dict:
    """Import every row or none: 422 with errors keyed by line number."""
    parse, schema_cls, apply, _, _ = KINDS[what]
    try:
        rows = parse(text)
    except register_csv.CsvError as e:
        raise Invalid(str(e)) from None
    schema = schema_cls(partial=True)
    valid, errors = [], {}
    for row in rows:
        try:
            data = schema.load(row.data)
        except ValidationError as e:
            row.errors += [f"{k}: {'; '.join(map(str, v)) if isinstance(v, list) else v}"
                           for k, v in e.normalized_messages().items()]
            data = None
        if row.errors:
            errors[f"line {row.line}"] = row.errors
        else:
            valid.append((row.line, data, row.refs))
    if errors:
        raise Invalid(f"{len(errors)} row(s) of the {what} file are invalid; nothing was imported.", errors)
    return apply(valid, ctx)


def export_csv(what: str, out) -> None:
    _, _, _, export, columns = KINDS[what]
    register_csv.write_csv(out, columns, export())


def import_mdm(text: str, fmt: str, ctx: Context) -> tuple[str, bool]:
    """An MDM export through the same validation and reconciliation as any scanner's batch.

    The scan id is the file's digest, so importing the same file again is a replay that changes nothing.
    """
    from .schemas.observation import load_batch
    from .services import ingest

    try:
        observations = mdm.parse(text, fmt)
    except mdm.MdmError as e:
        raise Invalid(str(e), e.errors) from None
    batch = load_batch({"source": "mdm", "scanner": f"mdm-{fmt}", "batch": 0, "complete": False, "scope": [],
                        "scan_id": hashlib.sha256(text.encode()).hexdigest()[:64], "observations": observations})
    return ingest.ingest(batch, ctx)
