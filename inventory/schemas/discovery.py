"""Schemas of triage items, sightings and alerts."""

from marshmallow import Schema, fields, validate

from ..models.base import KINDS, STATUSES
from ..models.discovery import TRIAGE_KINDS, TRIAGE_STATUSES
from .common import BodyId, Id, IPAddress, Mac, PageArgsSchema, Trimmed, page_schema


class TriageItemSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    identity_key = fields.String()
    identifiers = fields.Dict()
    observation = fields.Dict()
    candidates = fields.List(fields.Dict(), metadata={"description": "Conflicts: [{asset_id, rule}]"})
    sightings = fields.List(fields.Dict())
    source = fields.String()
    scanner = fields.String()
    first_seen = fields.AwareDateTime()
    last_seen = fields.AwareDateTime()
    seen_count = fields.Integer()
    asset_id = fields.Integer(allow_none=True)
    reason = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)


class TriageQueryArgsSchema(PageArgsSchema):
    status = fields.String(load_default="open", validate=validate.OneOf(TRIAGE_STATUSES))
    kind = fields.String(validate=validate.OneOf(TRIAGE_KINDS))
    source = fields.String(validate=validate.Length(max=20))


class PromoteSchema(Schema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    model_id = BodyId(allow_none=True)
    location_id = BodyId(allow_none=True)
    asset_tag = Trimmed(validate=validate.Length(1, 64))
    status = fields.String(validate=validate.OneOf([s for s in STATUSES if s != "deployed"]))
    notes = fields.String(allow_none=True, validate=validate.Length(max=20000))


class LinkSchema(Schema):
    asset_id = BodyId(required=True)


class IgnoreSchema(Schema):
    reason = Trimmed(required=True, validate=validate.Length(1, 500))


class SightingSchema(Schema):
    id = fields.Integer()
    asset_id = fields.Integer()
    ip = fields.String()
    mac = fields.String()
    switch = fields.String()
    port = fields.String()
    vlan = fields.String()
    source = fields.String()
    scanner = fields.String()
    first_seen = fields.AwareDateTime()
    last_seen = fields.AwareDateTime()


class SightingQueryArgsSchema(PageArgsSchema):
    asset_id = Id()
    ip = IPAddress()
    mac = Mac(metadata={"description": "Any notation"})
    switch = fields.String(validate=validate.Length(max=255))
    port = fields.String(validate=validate.Length(max=100))
    vlan = fields.Integer(validate=validate.Range(1, 4094))
    source = fields.String(validate=validate.Length(max=20))
    since = fields.AwareDateTime(metadata={"description": "Seen at or after this time"})
    until = fields.AwareDateTime(metadata={"description": "Seen at or before this time"})


class AlertSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    asset_id = fields.Integer(allow_none=True)
    employee_id = fields.Integer(allow_none=True)
    related_employee_id = fields.Integer(allow_none=True, metadata={"description": "A second employee concerned"})
    message = fields.String()
    details = fields.Dict()
    first_seen = fields.AwareDateTime()
    last_seen = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)


class AlertQueryArgsSchema(PageArgsSchema):
    open = fields.Boolean(load_default=True)
    kind = fields.String(validate=validate.Length(max=40))
    asset_id = Id()
    employee_id = Id(metadata={"description": "Alerts concerning this employee (either role)"})


TriagePageSchema = page_schema(TriageItemSchema, "TriagePage")
SightingPageSchema = page_schema(SightingSchema, "SightingPage")
AlertPageSchema = page_schema(AlertSchema, "AlertPage")
