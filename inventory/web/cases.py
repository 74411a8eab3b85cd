"""Onboarding case pages and the lists of open cases; HR opens and follows cases, IT fulfils lines."""

from flask import Blueprint, flash, redirect, request, url_for
from marshmallow import Schema, ValidationError

from ..errors import ApiError
from ..extensions import db
from ..models import Employee
from ..schemas.kits import CancelSchema, FulfilSchema, OpenOnboardingSchema
from ..services import kits, offboarding, onboarding
from ..services.records import get_or_404
from .common import ctx, flash_acknowledgement_link, flatten, form_values, render, to_int

bp = Blueprint("cases", __name__)
# Closing or fulfilling lines is IT's work: its own blueprint, so the central role table keeps HR out.
lines_bp = Blueprint("case_lines", __name__)
LIST_LIMIT = 100


def load_form(schema: Schema, names, ints=()) -> tuple[dict, dict]:
    """A form through the API's own schema: (data, errors by field)."""
    data, errors = form_values(names), {}
    for name in ints:
        to_int(data, name, errors)
    if errors:
        return {}, errors
    try:
        return schema.load({k: v for k, v in data.items() if v is not None}), {}
    except ValidationError as e:
        return {}, flatten(e.messages)


def attempt(action) -> dict:
    """Run a service call and commit; a refusal (409/422) rolls back and comes back as errors by field."""
    try:
        action()
        db.session.commit()
    except ApiError as e:
        db.session.rollback()
        if e.code not in (409, 422):
            raise
        return {"": [e.message], **{k: v for k, v in flatten(e.errors).items() if k != "open_lines"}}
    return {}


def for_employee(employee_id: int) -> dict:
    """What the employee page shows about cases: this person's cases and the kits to open one from."""
    onboardings, _ = onboarding.list_cases({"employee_id": employee_id, "limit": 20})
    offboardings, _ = offboarding.list_cases({"employee_id": employee_id, "limit": 20, "newest_first": True})
    kit_list, _ = kits.list_kits({"limit": 500})
    return {"onboardings": onboardings, "offboardings": offboardings, "kits": [(k.id, k.name) for k in kit_list]}


@bp.get("/cases")
def index():
    """Open onboarding and offboarding cases, overdue ones flagged."""
    on, on_next = onboarding.list_cases({"state": "open", "limit": LIST_LIMIT, "cursor": request.args.get("on")})
    off, off_next = offboarding.list_cases({"state": "open", "limit": LIST_LIMIT,
                                            "cursor": request.args.get("off")})
    return render("web/cases/list.html", onboardings=on, offboardings=off, on_next=on_next, off_next=off_next)


def back_to_person(employee_id: int, errors: dict, done: str):
    if errors:
        flash("Nothing was changed. " + " ".join(f"{k + ': ' if k else ''}{' '.join(v)}" for k, v in errors.items()),
              "error")
    else:
        flash(done, "ok")
    return redirect(url_for("web.people.detail", employee_id=employee_id), 303)


@bp.post("/people/<int:employee_id>/onboarding")
def open_onboarding(employee_id: int):
    """Open an onboarding case from a kit; on success go to the case page."""
    employee = get_or_404(Employee, employee_id, "Employee")
    data, errors = load_form(OpenOnboardingSchema(), ("kit_id", "needed_by"), ("kit_id",))
    opened = []
    if not errors:
        errors = attempt(lambda: opened.append(onboarding.open_case(employee, data["kit_id"], data["needed_by"],
                                                                    ctx())))
    if errors:
        return back_to_person(employee_id, errors, "")
    flash("Onboarding case opened.", "ok")
    return redirect(url_for("web.cases.onboarding_case", onboarding_id=opened[0].id), 303)


def _onboarding_page(onboarding_id: int, status: int = 200, errors: dict | None = None, form: tuple = ()):
    case = onboarding.get_case(onboarding_id)
    view = onboarding.case_view(case)
    candidates = {}
    if case.state == "open":
        candidates = {ln["id"]: onboarding.candidates(case, ln["id"]) for ln in view["lines"]
                      if ln["state"] == "open"}
    return render("web/cases/onboarding.html", status, case=view, candidates=candidates, errors=errors or {},
                  form=form)


@bp.get("/onboarding/<int:onboarding_id>")
def onboarding_case(onboarding_id: int):
    """An onboarding case: progress, lines open or fulfilled, candidates for each open line."""
    return _onboarding_page(onboarding_id)


@bp.post("/onboarding/<int:onboarding_id>/cancel")
def cancel_onboarding(onboarding_id: int):
    """Cancel an open onboarding case (what was issued stays checked out)."""
    case = onboarding.get_case(onboarding_id)
    data, errors = load_form(CancelSchema(), ("reason",))
    if not errors:
        errors = attempt(lambda: onboarding.cancel(case, data["reason"], ctx()))
    if errors:
        return _onboarding_page(onboarding_id, 422, errors, ("cancel",))
    flash("Onboarding case cancelled.", "ok")
    return redirect(url_for("web.cases.onboarding_case", onboarding_id=onboarding_id), 303)


@lines_bp.post("/onboarding/<int:onboarding_id>/lines/<int:line_id>/fulfil")
def fulfil(onboarding_id: int, line_id: int):
    """Fulfil a line: check the chosen in-stock asset out to the new hire."""
    case = onboarding.get_case(onboarding_id)
    data, errors = load_form(FulfilSchema(), ("asset_id", "due_back", "note", "require_acknowledgement"),
                             ("asset_id",))
    issued = []  # the new assignment: it carries the acknowledgement token, if one was asked for
    if not errors:
        errors = attempt(lambda: issued.append(onboarding.fulfil(case, line_id, data["asset_id"], ctx(),
                                                                 data["due_back"], data["note"],
                                                                 data["require_acknowledgement"])[1]))
    if errors:
        return _onboarding_page(onboarding_id, 422, errors, ("fulfil", line_id))
    flash(f"Line {line_id} fulfilled.", "ok")
    flash_acknowledgement_link(issued[0])
    return redirect(url_for("web.cases.onboarding_case", onboarding_id=onboarding_id), 303)
