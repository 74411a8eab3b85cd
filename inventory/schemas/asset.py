"""Asset schemas: the asset itself, its interfaces, list filters, checkout and checkin."""

from marshmallow import Schema, fields, validate

from ..models.base import KINDS, STATUSES
from .common import (
    CURRENCY,
    FLAT,
    BodyId,
    Id,
    Imei,
    IPAddress,
    Mac,
    PageArgsSchema,
    Trimmed,
    page_schema,
    validate_flat,
)

CHECKIN_STATUSES = ("in_stock", "in_repair", "lost", "stolen", "retired")


class InterfaceSchema(Schema):
    mac = Mac(allow_none=True, load_default=None)
    name = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=100))
    ip_addresses = fields.List(IPAddress(), load_default=list, validate=validate.Length(max=64))


class AssetSchema(Schema):
    id = fields.Integer(dump_only=True)
    asset_tag = Trimmed(validate=validate.Length(1, 64), metadata={"description": "Generated when not given"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    model_id = BodyId(allow_none=True)
    manufacturer_id = fields.Integer(dump_only=True, allow_none=True)
    serial_number = Trimmed(allow_none=True, validate=validate.Length(max=100))
    hostname = Trimmed(allow_none=True, validate=validate.Length(max=255))
    imei = Imei(allow_none=True, metadata={"description": "Phones and mobile devices only; check digit validated"})
    phone_number = Trimmed(allow_none=True, validate=validate.Regexp(r"^\+?[0-9 ()\-]{3,31}$"),
                           metadata={"description": "Phones and mobile devices only"})
    location_id = BodyId(allow_none=True)
    purchase_date = fields.Date(allow_none=True)
    purchase_cost_cents = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 10**13))
    currency = fields.String(allow_none=True, validate=CURRENCY)
    supplier = Trimmed(allow_none=True, validate=validate.Length(max=200))
    order_number = Trimmed(allow_none=True, validate=validate.Length(max=100))
    warranty_end = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=20000))
    custom_fields = fields.Dict(keys=fields.String(), validate=validate_flat, metadata=FLAT)
    interfaces = fields.List(fields.Nested(InterfaceSchema), validate=validate.Length(max=64))
    assigned_to = fields.Integer(dump_only=True, allow_none=True, metadata={"description": "Employee holding it"})
    locked_fields = fields.List(fields.String(), dump_only=True)
    device_uuid = fields.String(dump_only=True, allow_none=True, metadata={"description": "Hardware UUID seen"})
    agent_id = fields.String(dump_only=True, allow_none=True, metadata={"description": "Inventory agent device id"})
    os_name = fields.String(dump_only=True, allow_none=True)
    os_version = fields.String(dump_only=True, allow_none=True)
    first_seen_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    last_seen_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    last_seen_source = fields.String(dump_only=True, allow_none=True)
    missing_since = fields.AwareDateTime(dump_only=True, allow_none=True)
    observed = fields.Dict(dump_only=True, metadata={"description": "Attributes as last observed by discovery"})
    observed_diff = fields.Dict(dump_only=True, metadata={
        "description": "Locked fields whose observed value differs: {field: {value, source, seen_at}}"})
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class AssetQueryArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    model_id = Id()
    manufacturer_id = Id()
    location_id = Id()
    department_id = Id(metadata={"description": "Department of the employee holding it"})
    assigned_to = Id(metadata={"description": "Employee id holding it"})
    assigned = fields.Boolean(metadata={"description": "true: checked out; false: not"})
    asset_tag = fields.String(validate=validate.Length(max=64))
    serial = fields.String(validate=validate.Length(max=100))
    mac = Mac(metadata={"description": "Any notation"})
    hostname = fields.String(validate=validate.Length(max=255))
    imei = fields.String(validate=validate.Length(max=32))
    q = fields.String(validate=validate.Length(1, 200), metadata={"description": "Free text: tag, serial, host, MAC, holder"})
    missing = fields.Boolean(metadata={"description": "true: flagged missing by discovery"})
    seen_since = fields.AwareDateTime(metadata={"description": "Seen by discovery at or after this time"})


class CheckoutSchema(Schema):
    employee_id = BodyId(required=True)
    due_back = fields.Date(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    require_acknowledgement = fields.Boolean(load_default=False, metadata={
        "description": "Make a one-time link for the employee to acknowledge receipt (in the reply, shown once)"})


class AssetTransferSchema(Schema):
    employee_id = BodyId(required=True, metadata={"description": "The new holder"})
    condition = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=50))
    due_back = fields.Date(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    require_acknowledgement = fields.Boolean(load_default=False)


class CheckinSchema(Schema):
    condition = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=50))
    status = fields.String(load_default="in_stock", validate=validate.OneOf(CHECKIN_STATUSES))
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))


class AssignmentSchema(Schema):
    id = Id()
    asset_id = Id()
    employee_id = Id()
    checked_out_at = fields.AwareDateTime()
    due_back = fields.Date(allow_none=True)
    checked_in_at = fields.AwareDateTime(allow_none=True)
    condition = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    checkin_note = fields.String(allow_none=True)
    source = fields.String()
    checked_out_by = fields.String()
    checked_in_by = fields.String(allow_none=True)
    acknowledgement = fields.String(dump_only=True, metadata={
        "description": "not_requested, pending, expired, accepted or refused"})
    acknowledgement_link = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "Only in the checkout reply that made it: the one-time link to send to the employee"})


def asset_json(asset: dict) -> dict:
    """What AssetSchema dumps, for an asset dict from the service, without marshmallow's per-field cost.

    The asset list is the hottest path of the API; tests check this equals AssetSchema().dump().
    """
    out = {k: asset[k] for k in _ASSET_KEYS}
    for key in _TIME_KEYS:
        if out[key] is not None:
            out[key] = out[key].isoformat()
    return out


_ASSET_KEYS = list(AssetSchema().fields)
_TIME_KEYS = [name for name, f in AssetSchema().fields.items() if isinstance(f, (fields.Date, fields.DateTime))]
AssetPageSchema = page_schema(AssetSchema, "AssetPage")


def _detail_schema():
    from .usage import AssetExtrasSchema  # one-way: usage schemas know nothing of assets

    return type("AssetDetailSchema", (AssetSchema, AssetExtrasSchema), {"__doc__": "An asset with what agents "
                                                                                   "and scanners report on it"})


AssetDetailSchema = _detail_schema()
AssignmentPageSchema = page_schema(AssignmentSchema, "AssignmentPage")
