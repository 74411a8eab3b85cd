"""Report arguments: grouping, dates, and the output format (JSON, or CSV by ?format=csv or Accept)."""

from marshmallow import Schema, fields, validate

FORMAT = fields.String(validate=validate.OneOf(("json", "csv")), metadata={
    "description": "csv for a CSV file (or send Accept: text/csv); default JSON"})


class ReportArgsSchema(Schema):
    format = FORMAT


class EquipmentArgsSchema(ReportArgsSchema):
    by = fields.String(load_default="employee", validate=validate.OneOf(("employee", "department")))


class DepreciationArgsSchema(ReportArgsSchema):
    by = fields.String(load_default="asset", validate=validate.OneOf(("asset", "department")))
    as_of = fields.Date(metadata={"description": "Book values on this date (default today)"})


class WarrantyArgsSchema(ReportArgsSchema):
    within_days = fields.Integer(load_default=30, validate=validate.Range(0, 3650))


class ReportSchema(Schema):
    report = fields.String()
    generated_at = fields.AwareDateTime()
    by = fields.String(metadata={"description": "How rows are grouped (equipment, depreciation)"})
    as_of = fields.Date(metadata={"description": "Date of the book values (depreciation)"})
    within_days = fields.Integer(metadata={"description": "Window asked for (warranties)"})
    columns = fields.List(fields.String())
    rows = fields.List(fields.Dict(), metadata={"description": "One object per row, keys as in columns"})
