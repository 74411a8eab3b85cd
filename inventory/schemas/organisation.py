"""Organisation schemas: departments, locations, employees."""

from marshmallow import Schema, fields, validate

from ..models.base import EMPLOYEE_STATUSES, LOCATION_KINDS
from .common import PageArgsSchema, Trimmed, page_schema

ID = validate.Range(1, 2**31 - 1)


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
    parent_id = fields.Integer(allow_none=True, validate=ID)
    address = Trimmed(allow_none=True, validate=validate.Length(max=300))
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class EmployeeSchema(Schema):
    id = fields.Integer(dump_only=True)
    employee_number = Trimmed(required=True, validate=validate.Length(1, 50))
    name = Trimmed(required=True, validate=validate.Length(1, 200))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    department_id = fields.Integer(allow_none=True, validate=ID)
    job_title = Trimmed(allow_none=True, validate=validate.Length(max=200))
    manager_id = fields.Integer(allow_none=True, validate=ID)
    location_id = fields.Integer(allow_none=True, validate=ID)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(EMPLOYEE_STATUSES))
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class NameQueryArgsSchema(PageArgsSchema):
    q = fields.String(validate=validate.Length(1, 100))


class LocationQueryArgsSchema(NameQueryArgsSchema):
    parent_id = fields.Integer()
    kind = fields.String(validate=validate.OneOf(LOCATION_KINDS))


class EmployeeQueryArgsSchema(PageArgsSchema):
    department_id = fields.Integer()
    location_id = fields.Integer()
    manager_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(EMPLOYEE_STATUSES))
    employee_number = fields.String(validate=validate.Length(max=50))
    email = fields.String(validate=validate.Length(max=254))
    q = fields.String(validate=validate.Length(1, 200), metadata={"description": "Name, email or employee number"})


DepartmentPageSchema = page_schema(DepartmentSchema, "DepartmentPage")
LocationPageSchema = page_schema(LocationSchema, "LocationPage")
EmployeePageSchema = page_schema(EmployeeSchema, "EmployeePage")
