"""Kit and onboarding schemas: kits and their lines, onboarding cases, candidates and fulfilment."""

from marshmallow import Schema, ValidationError, fields, validate

from ..models.base import KINDS
from ..models.kits import ONBOARDING_STATES
from .common import BodyId, Id, PageArgsSchema, Trimmed, page_schema


def _min_specs(value: dict) -> None:
    if len(value) > 20:
        raise ValidationError("At most 20 minimum specs.")
    for key, item in value.items():
        if not 1 <= len(key) <= 64:
            raise ValidationError("Keys are strings of 1 to 64 characters.")
        if isinstance(item, bool) or not isinstance(item, (int, float)) or item != item:
            raise ValidationError(f"'{key}': a number (the minimum of the model's spec), e.g. 16.")


class KitLineSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    model_id = BodyId(allow_none=True, load_default=None, metadata={"description": "Exactly this model"})
    min_specs = fields.Dict(keys=fields.String(), load_default=dict, validate=_min_specs, metadata={
        "maxProperties": 20, "additionalProperties": {"type": "number"},
        "description": "Minimum values of the model's specs, e.g. {\"memory_gb\": 16}"})
    requirement = Trimmed(allow_none=True, load_default=None, validate=validate.Length(max=500), metadata={
        "description": "Free requirement shown to IT, e.g. \"27-inch monitor\""})
    quantity = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 100))


class KitSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Trimmed(required=True, validate=validate.Length(1, 100))
    job_title = Trimmed(allow_none=True, validate=validate.Length(max=200), metadata={
        "description": "The job title this kit is for"})
    department_id = BodyId(allow_none=True)
    description = Trimmed(allow_none=True, validate=validate.Length(max=2000))
    lines = fields.List(fields.Nested(KitLineSchema), required=True, validate=validate.Length(1, 50),
                         error_messages={"required": "A kit needs at least one line."})
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class KitQueryArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(1, 100))
    department_id = Id()
    job_title = fields.String(validate=validate.Length(1, 200))


class OpenOnboardingSchema(Schema):
    kit_id = BodyId(required=True)
    needed_by = fields.Date(allow_none=True, load_default=None)


class OnboardingLineSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    model_id = fields.Integer(allow_none=True)
    model = fields.String(allow_none=True)
    min_specs = fields.Dict()
    requirement = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "open or fulfilled"})
    asset_id = fields.Integer(allow_none=True)
    asset_tag = fields.String(allow_none=True)
    assignment_id = fields.Integer(allow_none=True)
    acknowledgement = fields.String(allow_none=True, metadata={
        "description": "not_requested, pending, expired, accepted or refused"})
    fulfilled_by = fields.String(allow_none=True)
    fulfilled_at = fields.AwareDateTime(allow_none=True)


class ProgressSchema(Schema):
    fulfilled = fields.Integer()
    total = fields.Integer()


class OnboardingCaseSchema(Schema):
    id = fields.Integer()
    employee_id = fields.Integer()
    employee_name = fields.String()
    kit_id = fields.Integer(allow_none=True)
    kit_name = fields.String()
    needed_by = fields.Date(allow_none=True)
    state = fields.String(metadata={"description": "open, complete or cancelled"})
    opened_by = fields.String()
    opened_at = fields.AwareDateTime()
    completed_at = fields.AwareDateTime(allow_none=True)
    cancelled_by = fields.String(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    progress = fields.Nested(ProgressSchema)
    open_lines = fields.List(fields.Integer())
    overdue = fields.Boolean(metadata={"description": "Open past its needed_by date"})
    lines = fields.List(fields.Nested(OnboardingLineSchema))


class OnboardingQueryArgsSchema(PageArgsSchema):
    state = fields.String(validate=validate.OneOf(ONBOARDING_STATES))


class CandidateArgsSchema(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(1, 200))


class CandidateSchema(Schema):
    id = fields.Integer()
    asset_tag = fields.String()
    kind = fields.String()
    model_id = fields.Integer(allow_none=True)
    serial_number = fields.String(allow_none=True)
    location_id = fields.Integer(allow_none=True)
    purchase_date = fields.Date(allow_none=True)


class FulfilSchema(Schema):
    asset_id = BodyId(required=True)
    due_back = fields.Date(allow_none=True, load_default=None)
    note = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=2000))
    require_acknowledgement = fields.Boolean(load_default=False, metadata={
        "description": "Make a one-time link for the employee to acknowledge what was issued"})


class AckLinkSchema(Schema):
    id = fields.Integer()
    url = fields.String(metadata={"description": "The one-time link; shown only in this answer"})
    expires_at = fields.AwareDateTime()


class FulfilResultSchema(Schema):
    case = fields.Nested(OnboardingCaseSchema)
    line_id = fields.Integer()
    assignment_id = fields.Integer()
    acknowledgement = fields.Nested(AckLinkSchema, allow_none=True)


class CancelSchema(Schema):
    reason = Trimmed(required=True, validate=validate.Length(1, 2000))


KitPageSchema = page_schema(KitSchema, "KitPage")
OnboardingCasePageSchema = page_schema(OnboardingCaseSchema, "OnboardingCasePage")
