"""Employees and the equipment they hold."""

from flask.views import MethodView

from ..models import Employee
from ..schemas import organisation as s
from ..schemas.asset import AssetPageSchema, AssignmentPageSchema, asset_json
from ..schemas.common import PageArgsSchema
from ..services import assets, assignment
from ..services import organisation as service
from ..services.records import get_or_404
from .common import blueprint, documents, json_response
from .crud import Resource, register

blp = blueprint("employees", "Employees: who they are and what they hold.")

register(blp, Resource("/employees", "employee", Employee, s.EmployeeSchema, s.EmployeePageSchema,
                       s.EmployeeQueryArgsSchema, service.list_employees, service.save_employee,
                       service.delete_employee))


@blp.route("/employees/<int:employee_id>/assets")
class EmployeeAssets(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, AssetPageSchema)
    @documents(blp, 400, 404)
    def get(self, args, employee_id):
        """What an employee holds now"""
        get_or_404(Employee, employee_id, "Employee")
        items, cursor = assets.list_assets({**args, "assigned_to": employee_id})
        return json_response({"items": [asset_json(a) for a in items], "next_cursor": cursor})


@blp.route("/employees/<int:employee_id>/assignments")
class EmployeeAssignments(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, AssignmentPageSchema)
    @documents(blp, 400, 404)
    def get(self, args, employee_id):
        """Everything an employee held and holds, newest first"""
        get_or_404(Employee, employee_id, "Employee")
        items, cursor = assignment.list_assignments(args, employee_id=employee_id)
        return {"items": items, "next_cursor": cursor}
