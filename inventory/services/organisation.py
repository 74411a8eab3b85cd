"""Departments, locations and employees."""

from datetime import date

from sqlalchemy import or_, select

from ..errors import Conflict, Invalid
from ..extensions import db
from ..models import (
    Asset,
    Assignment,
    Department,
    Employee,
    Kit,
    Location,
    OffboardingCase,
    OffboardingLine,
    OnboardingCase,
)
from ..normalize import normalize_login
from . import offboarding, records, usage
from .context import Context
from .pagination import keyset_page


def _lower(value: str) -> str:
    return value.strip().lower()


# Departments

def list_departments(args: dict):
    stmt = select(Department)
    if args.get("q"):
        stmt = stmt.where(Department.name.ilike(f"%{args['q']}%"))
    return keyset_page(stmt, Department.id, args["limit"], args.get("cursor"))


def save_department(data: dict, ctx: Context, dept: Department | None = None) -> Department:
    records.check_unique(Department, data, {"name": None}, dept.id if dept else None)
    if dept is None:
        return records.create(Department, data, ctx, "department")
    return records.update(dept, data, ctx, "department")


def delete_department(dept: Department, ctx: Context) -> None:
    records.delete(dept, ctx, "department", {
        "The department still has employees: move them first.": Employee.department_id == dept.id,
        "Kits name this department: change or delete them first.": Kit.department_id == dept.id,
    })


# Locations

def list_locations(args: dict):
    stmt = select(Location)
    if args.get("q"):
        stmt = stmt.where(Location.name.ilike(f"%{args['q']}%"))
    for key in ("parent_id", "kind"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Location, key) == args[key])
    return keyset_page(stmt, Location.id, args["limit"], args.get("cursor"))


def save_location(data: dict, ctx: Context, loc: Location | None = None) -> Location:
    records.check_references(data, {"parent_id": Location})
    parent_id = data.get("parent_id", loc.parent_id if loc else None)
    if loc is not None and parent_id is not None:
        # Walk up from the new parent: reaching loc itself would make a cycle.
        node = parent_id
        while node is not None:
            if node == loc.id:
                raise Invalid("A location cannot be inside itself.", {"parent_id": ["Would make a cycle."]})
            node = db.session.get(Location, node).parent_id
    name = data.get("name", loc.name if loc else None)
    clash = select(Location.id).where(Location.name == name, Location.parent_id.is_(None) if parent_id is None
                                      else Location.parent_id == parent_id)
    if loc is not None:
        clash = clash.where(Location.id != loc.id)
    if db.session.execute(clash.limit(1)).first():
        raise records.Conflict("Already exists.", {"name": [f"'{name}' already exists in this place."]})
    if loc is None:
        return records.create(Location, data, ctx, "location")
    return records.update(loc, data, ctx, "location")


def delete_location(loc: Location, ctx: Context) -> None:
    records.delete(loc, ctx, "location", {
        "The location contains other locations.": Location.parent_id == loc.id,
        "Assets are at this location.": Asset.location_id == loc.id,
        "Employees are at this location.": Employee.location_id == loc.id,
    })


# Employees

EMPLOYEE_REFS = {"department_id": Department, "manager_id": Employee, "location_id": Location}


def list_employees(args: dict):
    stmt = select(Employee)
    for key in ("department_id", "location_id", "manager_id", "status", "employee_number"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(Employee, key) == args[key])
    if args.get("email"):
        stmt = stmt.where(Employee.email == _lower(args["email"]))
    if args.get("login"):
        found = usage.resolve({normalize_login(args["login"]) or ""})
        stmt = stmt.where(Employee.id == found.get(normalize_login(args["login"]) or "", 0))
    if args.get("q"):
        like = f"%{args['q']}%"
        stmt = stmt.where(or_(Employee.name.ilike(like), Employee.email.ilike(like),
                              Employee.employee_number.ilike(like)))
    return keyset_page(stmt, Employee.id, args["limit"], args.get("cursor"))


def _held_tags(employee_id: int) -> list[str]:
    return list(db.session.execute(
        select(Asset.asset_tag).join(Assignment, Assignment.asset_id == Asset.id)
        .where(Assignment.employee_id == employee_id, Assignment.checked_in_at.is_(None))
        .order_by(Asset.asset_tag)).scalars())


def _check_status(emp: Employee | None, status: str) -> None:
    """A person leaves through an offboarding case, not by a status edit (409, naming the case or the kit held).

    "leaving" comes only from opening a case; while one is open the status stays (clear it for "left",
    cancel it to stay); "left" by hand only for someone who holds nothing and has no open case.
    """
    if emp is None:
        if status == "leaving":
            raise Conflict("A new employee cannot start as 'leaving': create them, then open an offboarding case.",
                           {"status": ["'leaving' is set by POST /employees/{id}/offboarding {last_day}."]})
        return
    if status == emp.status:
        return
    emp = offboarding.lock_employee(emp.id)  # a checkout at the same moment waits, or is seen below
    case = offboarding.open_case_of(emp.id)
    if case is not None:
        how = (f"cancel it (POST /offboardings/{case.id}/cancel) to keep them" if status == "active" else
               f"close its lines and clear it (POST /offboardings/{case.id}/clearance) to mark them left"
               if status == "left" else "it sets the status")
        message = f"{emp.name} has an open offboarding case ({case.id}): {how}."
        open_lines = [offboarding.line_view(ln)["label"] for ln in case.lines if ln.state == "open"]
        raise Conflict(message, {"status": [message], "case_id": [case.id],
                                 **({"open_lines": open_lines} if open_lines else {})})
    if status == "leaving":
        message = (f"'leaving' is set by opening an offboarding case for {emp.name}: "
                   f"POST /employees/{emp.id}/offboarding {{last_day}}.")
        raise Conflict(message, {"status": [message]})
    held = _held_tags(emp.id) if status == "left" else []
    if held:
        message = (f"{emp.name} still holds {len(held)} asset(s) ({', '.join(held)}): open an offboarding case "
                   f"(POST /employees/{emp.id}/offboarding) and clear it, or check them in first.")
        raise Conflict(message, {"status": [message], "held_assets": held})


def _check_end_date(emp: Employee, end: date | None) -> None:
    """While an offboarding case is open the end date is its last day: lines are due then, alerts count from it."""
    case = offboarding.open_case_of(emp.id)
    if case is not None and end != case.last_day:
        message = (f"{emp.name}'s end date is the last day of open offboarding case {case.id} "
                   f"({case.last_day.isoformat()}): cancel the case and open another to change it.")
        raise Conflict(message, {"end_date": [message], "case_id": [case.id]})


def save_employee(data: dict, ctx: Context, emp: Employee | None = None) -> Employee:
    if "status" in data:
        _check_status(emp, data["status"])
    if emp is not None and "end_date" in data and data["end_date"] != emp.end_date:
        _check_end_date(emp, data["end_date"])
    if "email" in data:
        data["email"] = _lower(data["email"])
    records.check_references(data, EMPLOYEE_REFS)
    if emp is not None and data.get("manager_id") == emp.id:
        raise Invalid("An employee cannot manage themselves.", {"manager_id": ["Cannot be the employee."]})
    start = data.get("start_date", emp.start_date if emp else None)
    end = data.get("end_date", emp.end_date if emp else None)
    if start and end and end < start:
        raise Invalid("End date is before start date.", {"end_date": ["Must be on or after start_date."]})
    records.check_unique(Employee, data, {"employee_number": None, "email": None}, emp.id if emp else None)
    if "logins" in data:
        data["logins"] = usage.check_logins(data["logins"] or [], emp.id if emp else None)
    emp = records.create(Employee, data, ctx, "employee") if emp is None else records.update(emp, data, ctx, "employee")
    if "logins" in data:
        usage.store_login_keys(emp)
    return emp


def delete_employee(emp: Employee, ctx: Context) -> None:
    records.delete(emp, ctx, "employee", {
        "The employee holds equipment: check it in first.": (Assignment.employee_id == emp.id)
        & Assignment.checked_in_at.is_(None),
        "The employee has assignment history: set status 'left' instead of deleting.": Assignment.employee_id
        == emp.id,
        "The employee manages others: reassign them first.": Employee.manager_id == emp.id,
        "The employee has an onboarding case: set status 'left' instead of deleting.":
            OnboardingCase.employee_id == emp.id,
        "The employee has an offboarding case: set status 'left' instead of deleting.":
            OffboardingCase.employee_id == emp.id,
        "The employee received an offboarding transfer: set status 'left' instead of deleting.":
            OffboardingLine.transferred_to_id == emp.id,
    })
