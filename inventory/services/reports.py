"""HR reports: equipment per employee or department, outstanding returns, leavers still holding; CSV of each."""

import csv
import io
from collections import defaultdict
from datetime import date

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Asset, Assignment, Department, Employee, OffboardingCase, OffboardingLine
from . import acknowledgement

ACK_STATES = ("accepted", "pending", "refused", "expired", "not_requested")
COLUMNS = {
    "equipment_employee": ["employee_id", "employee_number", "employee_name", "department", "status", "assets",
                           "value_cents", "currency", *ACK_STATES],
    "equipment_department": ["department_id", "department", "employees", "assets", "value_cents", "currency",
                             *ACK_STATES],
    "outstanding_returns": ["case_id", "line_id", "kind", "employee_id", "employee_name", "department", "last_day",
                            "asset_id", "asset_tag", "asset_kind", "due_date", "overdue", "days_overdue"],
    "leavers_holding": ["employee_id", "employee_number", "employee_name", "department", "status", "last_day",
                        "days_since_last_day", "asset_id", "asset_tag", "asset_kind", "serial_number",
                        "checked_out_at", "value_cents", "currency", "acknowledgement"],
    "depreciation_asset": ["asset_id", "asset_tag", "model", "status", "department", "purchase_date", "cost_cents",
                           "salvage_value_cents", "months", "months_elapsed", "depreciation_cents",
                           "book_value_cents", "currency"],
    "depreciation_department": ["department", "currency", "assets", "cost_cents", "depreciation_cents",
                                "book_value_cents"],
    "warranties": ["asset_id", "asset_tag", "kind", "model", "serial_number", "status", "holder", "warranty_end",
                   "days_left", "supplier"],
}


def _held():
    """Open assignments with their asset, employee and department."""
    return db.session.execute(
        select(Assignment, Asset, Employee, Department).join(Asset, Asset.id == Assignment.asset_id)
        .join(Employee, Employee.id == Assignment.employee_id)
        .outerjoin(Department, Department.id == Employee.department_id)
        .where(Assignment.checked_in_at.is_(None)).order_by(Employee.id, Asset.id)).all()


def equipment(by: str = "employee") -> dict:
    """What people hold, per employee or per department: count, value (sum of purchase cost, per currency)
    and how many items are acknowledged, pending, refused, expired or never asked for."""
    default_currency = current_app.config["DEFAULT_CURRENCY"]
    held = _held()
    acks = acknowledgement.latest_for([a.id for a, *_ in held])
    groups: dict = {}
    people: dict = defaultdict(set)
    for a, asset, emp, dept in held:
        currency = asset.currency or default_currency
        if by == "department":
            key = (dept.id if dept else None, currency)
            head = {"department_id": dept.id if dept else None, "department": dept.name if dept else "(none)"}
        else:
            key = (emp.id, currency)
            head = {"employee_id": emp.id, "employee_number": emp.employee_number, "employee_name": emp.name,
                    "department": dept.name if dept else None, "status": emp.status}
        row = groups.setdefault(key, {**head, "assets": 0, "value_cents": 0, "currency": currency,
                                      **{s: 0 for s in ACK_STATES}})
        row["assets"] += 1
        row["value_cents"] += asset.purchase_cost_cents or 0
        row[acknowledgement.state_of(acks.get(a.id))] += 1
        people[key].add(emp.id)
    rows = list(groups.values())
    if by == "department":
        for key, row in groups.items():
            row["employees"] = len(people[key])
        rows.sort(key=lambda r: (r["department"], r["currency"]))
    return {"by": by, "rows": rows}


def outstanding_returns(today: date | None = None) -> dict:
    """Every open line of open offboarding cases: overdue first (most overdue first), then by due date."""
    today = today or date.today()
    stmt = (select(OffboardingLine, OffboardingCase, Employee, Department, Asset)
            .join(OffboardingCase, OffboardingCase.id == OffboardingLine.case_id)
            .join(Employee, Employee.id == OffboardingCase.employee_id)
            .outerjoin(Department, Department.id == Employee.department_id)
            .outerjoin(Asset, Asset.id == OffboardingLine.asset_id)
            .where(OffboardingLine.state == "open", OffboardingCase.state == "open")
            .order_by(OffboardingLine.due_date, OffboardingLine.id))
    rows = [{"case_id": case.id, "line_id": line.id, "kind": line.kind, "employee_id": emp.id,
             "employee_name": emp.name, "department": dept.name if dept else None, "last_day": case.last_day,
             "asset_id": asset.id if asset else None, "asset_tag": asset.asset_tag if asset else None,
             "asset_kind": asset.kind if asset else None, "due_date": line.due_date,
             "overdue": line.due_date < today, "days_overdue": max((today - line.due_date).days, 0)}
            for line, case, emp, dept, asset in db.session.execute(stmt).all()]
    rows.sort(key=lambda r: not r["overdue"])  # stable: keeps due-date order within each group
    return {"rows": rows}


def leavers_holding(today: date | None = None) -> dict:
    """Employees whose last day (end_date) has passed and who still hold equipment: one row per item."""
    today = today or date.today()
    default_currency = current_app.config["DEFAULT_CURRENCY"]
    held = [h for h in _held() if h[2].end_date is not None and h[2].end_date < today]
    acks = acknowledgement.latest_for([a.id for a, *_ in held])
    rows = [{"employee_id": emp.id, "employee_number": emp.employee_number, "employee_name": emp.name,
             "department": dept.name if dept else None, "status": emp.status, "last_day": emp.end_date,
             "days_since_last_day": (today - emp.end_date).days, "asset_id": asset.id, "asset_tag": asset.asset_tag,
             "asset_kind": asset.kind, "serial_number": asset.serial_number, "checked_out_at": a.checked_out_at,
             "value_cents": asset.purchase_cost_cents, "currency": asset.currency or default_currency,
             "acknowledgement": acknowledgement.state_of(acks.get(a.id))}
            for a, asset, emp, dept in held]
    rows.sort(key=lambda r: (r["last_day"], r["employee_id"], r["asset_id"]))
    return {"rows": rows}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date,)):
        return value.isoformat()
    text = str(value)
    # A cell starting like a formula is made inert for spreadsheets (CSV injection).
    if not isinstance(value, (int, float)) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(columns: list[str], rows: list[dict]) -> str:
    """Rows as CSV with a header line; dates ISO 8601, booleans true/false, formula-like text neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return out.getvalue()
