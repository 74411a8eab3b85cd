"""Organisation schemas: departments, locations, employees."""

from marshmallow import Schema, fields, validate

from ..models.base import EMPLOYEE_STATUSES, LOCATION_KINDS
from .common import BodyId, Id, PageArgsSchema, Trimmed, page_schema


class DepartmentSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Trimmed(required=True, validate=validate.Length(1, 100))
    cost_center = Trimmed(allow_none=True, validate=validate.Length(max=50))
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class LocationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = Trimmed(required=True, validate=validate.Length(1, 100))
    kind = fields.String(load_default="site", validate=validate.OneOf(LOCATION_KINDS))
    parent_id = BodyId(allow_none=True)
    address = Trimmed(allow_none=True, validate=validate.Length(max=300))
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class EmployeeSchema(Schema):
    id = fields.Integer(dump_only=True)
    employee_number = Trimmed(required=True, validate=validate.Length(1, 50))
    name = Trimmed(required=True, validate=validate.Length(1, 200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    department_id = BodyId(allow_none=True)
    job_title = Trimmed(allow_none=True, validate=validate.Length(max=200))
    manager_id = BodyId(allow_none=True)
    location_id = BodyId(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(EMPLOYEE_STATUSES))
    logins = fields.List(Trimmed(validate=validate.Length(1, 254)), validate=validate.Length(max=20), metadata={
        "description": "Directory logins (jdoe, CORP\\jdoe); matched to users seen on assets case-insensitively, "
                       "domain prefix ignored"})
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class NameQueryArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(1, 100))


class LocationQueryArgsSchema(NameQueryArgsSchema):
    parent_id = Id()
    kind = fields.String(validate=validate.OneOf(LOCATION_KINDS))


class EmployeeQueryArgsSchema(PageArgsSchema):
    department_id = Id()
    location_id = Id()
    manager_id = Id()
    status = fields.String(validate=validate.OneOf(EMPLOYEE_STATUSES))
    employee_number = fields.String(validate=validate.Length(max=50))
    email = fields.String(validate=validate.Length(max=254))
    login = fields.String(validate=validate.Length(1, 254), metadata={"description": "Who has this login"})
    q = fields.String(validate=validate.Length(1, 200), metadata={"description": "Name, email or employee number"})


DepartmentPageSchema = page_schema(DepartmentSchema, "DepartmentPage")
LocationPageSchema = page_schema(LocationSchema, "LocationPage")
EmployeePageSchema = page_schema(EmployeeSchema, "EmployeePage")
