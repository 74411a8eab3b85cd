"""People: employees, what each holds now and held before, alerts about them."""

from flask import Blueprint, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from ..errors import Invalid
from ..models import Department, Employee
from ..models.base import EMPLOYEE_STATUSES
from ..schemas.common import Id
from ..services import asset_list, assets, assignment, organisation, sightings, usage
from ..services.records import get_or_404
from .cases import for_employee
from .common import render

bp = Blueprint("people", __name__, url_prefix="/people")


class PeopleFilterSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(1, 200))
    status = fields.String(validate=validate.OneOf(EMPLOYEE_STATUSES))
    department_id = Id()
    cursor = fields.String(validate=validate.Length(max=200))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))


@bp.get("")
def index():
    """Employees, searchable by name, email or number."""
    try:
        args = PeopleFilterSchema().load({k: v.strip() for k, v in request.args.items() if v.strip()})
    except ValidationError as e:
        raise Invalid("Invalid filter.", e.messages) from None
    people, cursor = organisation.list_employees(args)
    departments = {d.id: d.name for d in organisation.list_departments({"limit": 1000})[0]}
    filters = {k: v for k, v in args.items() if k not in ("cursor", "limit")}
    return render("web/people/list.html", people=people, next_cursor=cursor, departments=departments,
                  filters=filters, statuses=EMPLOYEE_STATUSES)


@bp.get("/<int:employee_id>")
def detail(employee_id: int):
    """One employee: equipment held now, held before, alerts."""
    person = get_or_404(Employee, employee_id, "Employee")
    holds, _ = assets.list_assets({"assigned_to": employee_id, "limit": 1000})
    history, _ = assignment.list_assignments({"limit": 500}, employee_id=employee_id)
    before = [a for a in history if a.checked_in_at is not None]
    tags = asset_list.asset_tags({a.asset_id for a in before})
    alerts, _ = sightings.list_alerts({"employee_id": employee_id, "limit": 50})
    department = get_or_404(Department, person.department_id, "Department") if person.department_id else None
    return render("web/people/detail.html", person=person, holds=asset_list.with_names(holds), before=before,
                  tags=tags, alerts=alerts, department=department, seen_on=usage.assets_used_by(person),
                  **for_employee(employee_id))
