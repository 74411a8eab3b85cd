"""Departments and locations."""

from ..models import Department, Location
from ..schemas import organisation as s
from ..services import organisation as service
from .common import blueprint
from .crud import Resource, register

blp = blueprint("organisation", "Departments and locations (site > building > floor > room).")

register(blp, Resource("/departments", "department", Department, s.DepartmentSchema, s.DepartmentPageSchema,
                       s.NameQueryArgsSchema, service.list_departments, service.save_department,
                       service.delete_department))
register(blp, Resource("/locations", "location", Location, s.LocationSchema, s.LocationPageSchema,
                       s.LocationQueryArgsSchema, service.list_locations, service.save_location,
                       service.delete_location))
