"""Offboarding schemas: cases, lines, line actions, clearance, cancel and the receipt."""

from marshmallow import Schema, fields, validate

from ..models.offboarding import OFFBOARDING_STATES, RETURN_STATUSES, WRITE_OFF_STATUSES
from .common import BodyId, Id, PageArgsSchema, Trimmed, page_schema
from .discovery import AlertSchema
from .kits import AckLinkSchema, CancelSchema


class OpenOffboardingSchema(Schema):
    last_day = fields.Date(required=True)
    note = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class OffboardingLineSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "held (the leaver holds it) or to_check"})
    asset_id = fields.Integer(allow_none=True)
    asset_tag = fields.String(allow_none=True)
    asset_kind = fields.String(allow_none=True)
    model = fields.String(allow_none=True)
    serial_number = fields.String(allow_none=True)
    asset_status = fields.String(allow_none=True)
    assignment_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    due_date = fields.Date()
    overdue = fields.Boolean()
    state = fields.String(metadata={"description": "open or closed"})
    resolution = fields.String(allow_none=True, metadata={
        "description": "returned, transferred, lost, stolen or confirmed"})
    condition = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    transferred_to_id = fields.Integer(allow_none=True)
    transferred_to_name = fields.String(allow_none=True)
    added_by = fields.String()
    added_at = fields.AwareDateTime()
    closed_by = fields.String(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    label = fields.String()


class OffboardingCaseSchema(Schema):
    id = fields.Integer()
    employee_id = fields.Integer()
    employee_name = fields.String()
    employee_number = fields.String()
    department = fields.String(allow_none=True)
    employee_status = fields.String()
    last_day = fields.Date()
    state = fields.String(metadata={"description": "open, cleared or cancelled"})
    note = fields.String(allow_none=True)
    opened_by = fields.String()
    opened_at = fields.AwareDateTime()
    cleared_by = fields.String(allow_none=True)
    cleared_at = fields.AwareDateTime(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    line_count = fields.Integer()
    open_lines = fields.List(fields.Integer())
    overdue_lines = fields.List(fields.Integer())
    overdue = fields.Boolean()
    alerts = fields.List(fields.Nested(AlertSchema), metadata={
        "description": "Open discovery alerts on the person (e.g. a held device seen after the last day)"})
    lines = fields.List(fields.Nested(OffboardingLineSchema))


class ReceiptSchema(OffboardingCaseSchema):
    items = fields.List(fields.Nested(OffboardingLineSchema))

    class Meta:
        exclude = ("lines", "alerts")


class OffboardingQueryArgsSchema(PageArgsSchema):
    state = fields.String(validate=validate.OneOf(OFFBOARDING_STATES))
    overdue = fields.Boolean(metadata={"description": "true: open cases with a line past its due date"})
    employee_id = Id()


class ReceiptArgsSchema(Schema):
    format = fields.String(validate=validate.OneOf(("json", "html")), metadata={
        "description": "Default: by the Accept header (text/html gives the printable page)"})


class ReturnSchema(Schema):
    condition = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=50))
    status = fields.String(load_default="in_stock", validate=validate.OneOf(RETURN_STATUSES))
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class TransferSchema(Schema):
    employee_id = BodyId(required=True)
    due_back = fields.Date(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    require_acknowledgement = fields.Boolean(load_default=False)


class WriteOffSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(WRITE_OFF_STATUSES))
    note = Trimmed(required=True, validate=validate.Length(1, 2000))


class ConfirmSchema(Schema):
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class CancelOffboardingSchema(CancelSchema):
    """Why the case is cancelled (the person stays)."""


class ClearanceSchema(Schema):
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class LineResultSchema(Schema):
    case = fields.Nested(OffboardingCaseSchema)
    line_id = fields.Integer()
    assignment_id = fields.Integer(allow_none=True, metadata={"description": "The new holder's assignment"})
    acknowledgement = fields.Nested(AckLinkSchema, allow_none=True)


OffboardingCasePageSchema = page_schema(OffboardingCaseSchema, "OffboardingCasePage")
