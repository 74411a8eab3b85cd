"""Schemas of installed software, users seen on assets and assignment suggestions."""

from marshmallow import Schema, fields, validate

from ..models.usage import SUGGESTION_STATUSES
from .common import Id, PageArgsSchema, Trimmed, page_schema


class InstallationSchema(Schema):
    id = fields.Integer()
    asset_id = fields.Integer()
    asset_tag = fields.String()
    hostname = fields.String(allow_none=True)
    name = fields.String()
    version = fields.String()
    publisher = fields.String(allow_none=True)
    source = fields.String()
    first_seen = fields.AwareDateTime()
    last_seen = fields.AwareDateTime()


class SoftwareQueryArgsSchema(PageArgsSchema):
    name = fields.String(validate=validate.Length(1, 255), metadata={"description": "Package name, any case"})
    q = fields.String(validate=validate.Length(1, 255), metadata={"description": "Part of the package name"})
    version = fields.String(validate=validate.Length(max=100))
    asset_id = Id()


class AssetSoftwareArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(1, 255), metadata={"description": "Part of the package name"})


class AssetUserSchema(Schema):
    login = fields.String()
    login_key = fields.String()
    kind = fields.String(metadata={"description": "current, last or enrolled"})
    source = fields.String()
    employee_id = fields.Integer(allow_none=True)
    first_seen = fields.AwareDateTime()
    last_seen = fields.AwareDateTime()
    seen_count = fields.Integer()
    days_seen = fields.Integer()


class SeenOnSchema(Schema):
    asset_id = fields.Integer()
    asset_tag = fields.String()
    login = fields.String()
    first_seen = fields.AwareDateTime()
    last_seen = fields.AwareDateTime()
    days_seen = fields.Integer()


class SuggestionSchema(Schema):
    id = fields.Integer()
    asset_id = fields.Integer()
    employee_id = fields.Integer()
    status = fields.String()
    evidence = fields.Dict(metadata={"description": "{logins, days_seen, first_seen, last_seen}"})
    created_at = fields.AwareDateTime()
    resolved_at = fields.AwareDateTime(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    assignment_id = fields.Integer(allow_none=True)


class SuggestionQueryArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(SUGGESTION_STATUSES))
    asset_id = Id()
    employee_id = Id()


class AcceptSuggestionSchema(Schema):
    note = Trimmed(validate=validate.Length(max=1000))


class RejectSuggestionSchema(Schema):
    reason = Trimmed(validate=validate.Length(max=500))


InstallationPageSchema = page_schema(InstallationSchema, "InstallationPage")
SuggestionPageSchema = page_schema(SuggestionSchema, "SuggestionPage")


class HardwareSummarySchema(Schema):
    source = fields.String(metadata={"description": "The source this summary comes from (agent first)"})
    cpu = fields.String(allow_none=True)
    cpu_cores = fields.Integer(allow_none=True)
    memory_mb = fields.Integer(allow_none=True)
    disks = fields.List(fields.Dict())
    os_name = fields.String(allow_none=True)
    os_version = fields.String(allow_none=True)
    network_cards = fields.List(fields.Dict(), metadata={"description": "[{name, mac, ip_addresses}]"})


class PackageSchema(Schema):
    name = fields.String()
    version = fields.String()
    publisher = fields.String(allow_none=True)
    source = fields.String()
    first_seen = fields.AwareDateTime()
    last_seen = fields.AwareDateTime()


class AssetExtrasSchema(Schema):
    hardware = fields.Nested(HardwareSummarySchema, allow_none=True)
    software = fields.List(fields.Nested(PackageSchema))
    users_seen = fields.List(fields.Nested(AssetUserSchema))
