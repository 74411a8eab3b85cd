"""Offboarding case pages: open, close lines (return, transfer, write-off, confirm), clearance, cancel, receipt."""

from flask import flash, redirect, url_for

from ..models import Employee
from ..models.offboarding import RETURN_STATUSES, WRITE_OFF_STATUSES
from ..schemas.offboarding import (
    CancelOffboardingSchema,
    ClearanceSchema,
    ConfirmSchema,
    OpenOffboardingSchema,
    ReturnSchema,
    TransferSchema,
    WriteOffSchema,
)
from ..services import offboarding, offboarding_lines, organisation
from ..services.records import get_or_404
from .cases import attempt, back_to_person, bp, lines_bp, load_form
from .common import ctx, flash_acknowledgement_link, render


@bp.post("/people/<int:employee_id>/offboarding")
def open_offboarding(employee_id: int):
    """Open an offboarding case for a leaver; on success go to the case page."""
    employee = get_or_404(Employee, employee_id, "Employee")
    data, errors = load_form(OpenOffboardingSchema(), ("last_day", "note"))
    opened = []
    if not errors:
        errors = attempt(lambda: opened.append(offboarding.open_case(employee, data["last_day"], ctx(),
                                                                     data.get("note"))))
    if errors:
        return back_to_person(employee_id, errors, "")
    flash("Offboarding case opened.", "ok")
    return redirect(url_for("web.cases.offboarding_case", offboarding_id=opened[0].id), 303)


def _page(offboarding_id: int, status: int = 200, errors: dict | None = None, form: tuple = ()):
    view = offboarding.case_view(offboarding.get_case(offboarding_id))
    people = {}
    if view["state"] == "open" and view["open_lines"]:
        people = {e.id: f"{e.name} ({e.employee_number})" for e in
                  organisation.list_employees({"status": "active", "limit": 1000})[0] if e.id != view["employee_id"]}
    return render("web/cases/offboarding.html", status, case=view, people=people, errors=errors or {}, form=form,
                  return_statuses=RETURN_STATUSES, write_off_statuses=WRITE_OFF_STATUSES)


def _done(offboarding_id: int, errors: dict, form: tuple, message: str, made=None):
    if errors:
        return _page(offboarding_id, 422, errors, form)
    flash(message, "ok")
    flash_acknowledgement_link(made)
    return redirect(url_for("web.cases.offboarding_case", offboarding_id=offboarding_id), 303)


@bp.get("/offboarding/<int:offboarding_id>")
def offboarding_case(offboarding_id: int):
    """An offboarding case: its lines with state, due date and overdue marking, and what can be done next."""
    return _page(offboarding_id)


@bp.post("/offboarding/<int:offboarding_id>/clearance")
def clearance(offboarding_id: int):
    """Clear the case once every line is closed; otherwise the refusal names the open lines."""
    case = offboarding.get_case(offboarding_id)
    data, errors = load_form(ClearanceSchema(), ("note",))
    if not errors:
        errors = attempt(lambda: offboarding.clear(case, ctx(), data["note"]))
    return _done(offboarding_id, errors, ("clearance",), "Cleared: the receipt is ready.")


@bp.post("/offboarding/<int:offboarding_id>/cancel")
def cancel(offboarding_id: int):
    """Cancel an open case: the person stays; the case stays as history."""
    case = offboarding.get_case(offboarding_id)
    data, errors = load_form(CancelOffboardingSchema(), ("reason",))
    if not errors:
        errors = attempt(lambda: offboarding.cancel(case, data["reason"], ctx()))
    return _done(offboarding_id, errors, ("cancel",), "Offboarding case cancelled.")


@bp.get("/offboarding/<int:offboarding_id>/receipt")
def receipt(offboarding_id: int):
    """The clearance receipt, fit to print: every item and how it was closed."""
    return render("web/cases/receipt.html", r=offboarding.receipt(offboarding.get_case(offboarding_id)))


@lines_bp.post("/offboarding/<int:offboarding_id>/lines/<int:line_id>/return")
def return_line(offboarding_id: int, line_id: int):
    """The item came back: check it in with its condition."""
    case = offboarding.get_case(offboarding_id)
    data, errors = load_form(ReturnSchema(), ("condition", "status", "note"))
    if not errors:
        errors = attempt(lambda: offboarding_lines.return_line(case, line_id, ctx(), data["condition"], data["note"],
                                                               data["status"]))
    return _done(offboarding_id, errors, ("return", line_id), f"Line {line_id}: returned.")


@lines_bp.post("/offboarding/<int:offboarding_id>/lines/<int:line_id>/transfer")
def transfer_line(offboarding_id: int, line_id: int):
    """Hand the item to another employee."""
    case = offboarding.get_case(offboarding_id)
    data, errors = load_form(TransferSchema(), ("employee_id", "due_back", "note", "require_acknowledgement"),
                             ("employee_id",))
    issued = []  # the new assignment: it carries the acknowledgement token, if one was asked for
    if not errors:
        errors = attempt(lambda: issued.append(offboarding_lines.transfer_line(
            case, line_id, data["employee_id"], ctx(), data["due_back"], data["note"],
            data["require_acknowledgement"])[1]))
    return _done(offboarding_id, errors, ("transfer", line_id), f"Line {line_id}: transferred.",
                 issued[0] if issued else None)


@lines_bp.post("/offboarding/<int:offboarding_id>/lines/<int:line_id>/write-off")
def write_off_line(offboarding_id: int, line_id: int):
    """Write the item off as lost or stolen; a note is required."""
    case = offboarding.get_case(offboarding_id)
    data, errors = load_form(WriteOffSchema(), ("status", "note"))
    if not errors:
        errors = attempt(lambda: offboarding_lines.write_off_line(case, line_id, data["status"], data["note"], ctx()))
    return _done(offboarding_id, errors, ("write-off", line_id), f"Line {line_id}: written off.")


@lines_bp.post("/offboarding/<int:offboarding_id>/lines/<int:line_id>/confirm")
def confirm_line(offboarding_id: int, line_id: int):
    """A "to check" line: checked, nothing to return."""
    case = offboarding.get_case(offboarding_id)
    data, errors = load_form(ConfirmSchema(), ("note",))
    if not errors:
        errors = attempt(lambda: offboarding_lines.confirm_line(case, line_id, data["note"], ctx()))
    return _done(offboarding_id, errors, ("confirm", line_id), f"Line {line_id}: confirmed.")
