"""Change log schemas."""

from marshmallow import Schema, fields, validate

from .common import Id, PageArgsSchema, page_schema


class ChangeSchema(Schema):
    id = Id()
    object_type = fields.String()
    object_id = Id()
    action = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    actor = fields.String()
    request_id = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()


class ChangeQueryArgsSchema(PageArgsSchema):
    object_type = fields.String(validate=validate.Length(max=40))
    object_id = Id()
    action = fields.String(validate=validate.Length(max=20))
    actor = fields.String(validate=validate.Length(max=200))
    since = fields.AwareDateTime(metadata={"description": "Changes at or after this time"})
    until = fields.AwareDateTime(metadata={"description": "Changes before this time"})


ChangePageSchema = page_schema(ChangeSchema, "ChangePage")
