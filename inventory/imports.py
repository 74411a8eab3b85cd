"""CSV import and export: formats (parse) -> schemas (validate) -> services (apply), as the API does."""

from marshmallow import ValidationError

from .errors import Invalid
from .formats import register_csv
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
