"""Schemas of acknowledgements and repairs."""

from marshmallow import Schema, fields, validate

from ..models.lifecycle import REPAIR_STATES, REPAIR_TYPES
from .common import CURRENCY, PageArgsSchema, Trimmed, page_schema


class AcknowledgementStateSchema(Schema):
    assignment_id = fields.Integer()
    state = fields.String(metadata={"description": "not_requested, pending, expired, accepted or refused"})
    id = fields.Integer(allow_none=True)
    expires_at = fields.AwareDateTime(allow_none=True)
    responded_at = fields.AwareDateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    ip_address = fields.String(allow_none=True)
    user_agent = fields.String(allow_none=True)


class IssuedSchema(Schema):
    """What the page of a link shows: what was issued to whom."""

    state = fields.String()
    expires_at = fields.AwareDateTime()
    employee_name = fields.String()
    asset_tag = fields.String()
    kind = fields.String()
    model = fields.String(allow_none=True)
    serial_number = fields.String(allow_none=True)
    checked_out_at = fields.AwareDateTime()
    due_back = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)


class AcknowledgeSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("accept", "refuse")))
    reason = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=2000), metadata={
        "description": "Required to refuse"})


class FormatArgsSchema(Schema):
    format = fields.String(validate=validate.OneOf(("json", "html")))


class RepairSchema(Schema):
    id = fields.Integer(dump_only=True)
    asset_id = fields.Integer(dump_only=True)
    type = fields.String(required=True, validate=validate.OneOf(REPAIR_TYPES))
    state = fields.String(dump_only=True)
    supplier = Trimmed(allow_none=True, validate=validate.Length(max=200))
    cost_cents = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 10**13))
    currency = fields.String(allow_none=True, validate=CURRENCY)
    started = fields.Date(allow_none=True, metadata={"description": "Default: today"})
    completed = fields.Date(dump_only=True, allow_none=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=4000))
    opened_by = fields.String(dump_only=True)
    completed_by = fields.String(dump_only=True, allow_none=True)


class CompleteRepairSchema(Schema):
    completed = fields.Date(allow_none=True, load_default=None, metadata={"description": "Default: today"})
    cost_cents = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(0, 10**13))
    currency = fields.String(allow_none=True, load_default=None, validate=CURRENCY)
    supplier = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=200))
    notes = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=4000))


class RepairQueryArgsSchema(PageArgsSchema):
    state = fields.String(validate=validate.OneOf(REPAIR_STATES))


RepairPageSchema = page_schema(RepairSchema, "RepairPage")
