"""Catalogue schemas: manufacturers and asset models."""

from marshmallow import Schema, fields, validate

from ..models.base import KINDS
from .common import FLAT, URL_PATTERN, BodyId, Id, PageArgsSchema, Trimmed, page_schema, validate_flat


class ManufacturerSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Trimmed(required=True, validate=validate.Length(1, 100))
    url = Trimmed(allow_none=True, validate=[validate.Length(max=300), validate.URL(require_tld=False)],
                  metadata={"format": "url", "pattern": URL_PATTERN, "description": "http, https, ftp or ftps URL"})
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class AssetModelSchema(Schema):
    id = fields.Integer(dump_only=True)
    manufacturer_id = BodyId(required=True)
    name = Trimmed(required=True, validate=validate.Length(1, 200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    model_number = Trimmed(allow_none=True, validate=validate.Length(max=100))
    specs = fields.Dict(keys=fields.String(), validate=validate_flat, metadata=FLAT)
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))
    depreciation_months = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 1200), metadata={
        "description": "Finance: straight-line depreciation period in months"})
    salvage_value_cents = fields.Integer(strict=True, allow_none=True, validate=validate.Range(0, 10**13), metadata={
        "description": "Finance: value left at the end of the period, in cents of the asset's currency"})
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class ManufacturerQueryArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(1, 100))


class AssetModelQueryArgsSchema(PageArgsSchema):
    manufacturer_id = Id()
    kind = fields.String(validate=validate.OneOf(KINDS))
    q = fields.String(validate=validate.Length(1, 200))


ManufacturerPageSchema = page_schema(ManufacturerSchema, "ManufacturerPage")
AssetModelPageSchema = page_schema(AssetModelSchema, "AssetModelPage")
