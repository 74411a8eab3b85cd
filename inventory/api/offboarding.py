"""Offboarding cases: HR opens, follows, clears or cancels them; IT closes the lines (return, transfer, write-off)."""

from flask import request
from flask.views import MethodView

from ..extensions import db
from ..models import Employee
from ..schemas import offboarding as s
from ..services import offboarding, offboarding_lines
from ..services.records import get_or_404
from .common import blueprint, ctx, documents
from .onboarding import ack_link
from .pages import RECEIPT, html, wants

blp = blueprint("offboarding", "Offboarding cases: what a leaver holds, until every item is back and cleared.")
lines_blp = blueprint("offboarding_lines", "Closing offboarding lines (IT): return, transfer, write-off, confirm.")


@blp.route("/employees/<int:employee_id>/offboarding")
class EmployeeOffboarding(MethodView):
    @blp.arguments(s.OffboardingQueryArgsSchema, location="query")
    @blp.response(200, s.OffboardingCasePageSchema)
    @documents(blp, 400, 404)
    def get(self, args, employee_id):
        """An employee's offboarding cases, newest first"""
        get_or_404(Employee, employee_id, "Employee")
        items, cursor = offboarding.list_cases({**args, "employee_id": employee_id, "newest_first": True})
        return {"items": items, "next_cursor": cursor}

    @blp.arguments(s.OpenOffboardingSchema)
    @blp.response(201, s.OffboardingCaseSchema)
    @documents(blp, 404, 409, 422)
    def post(self, data, employee_id):
        """Open an offboarding case: the employee becomes "leaving"; a line per asset held, due on the last day"""
        employee = get_or_404(Employee, employee_id, "Employee")
        case = offboarding.open_case(employee, data["last_day"], ctx(), data["note"])
        db.session.commit()
        return offboarding.case_view(case)


@blp.route("/offboardings")
class Offboardings(MethodView):
    @blp.arguments(s.OffboardingQueryArgsSchema, location="query")
    @blp.response(200, s.OffboardingCasePageSchema)
    @documents(blp, 400)
    def get(self, args):
        """List offboarding cases (?state=open&overdue=true), oldest first, without their lines"""
        items, cursor = offboarding.list_cases(args)
        return {"items": items, "next_cursor": cursor}


@blp.route("/offboardings/<int:case_id>")
class OffboardingById(MethodView):
    @blp.response(200, s.OffboardingCaseSchema)
    @documents(blp, 404)
    def get(self, case_id):
        """An offboarding case: its lines, state, and which lines are overdue"""
        return offboarding.case_view(offboarding.get_case(case_id))


@blp.route("/offboardings/<int:case_id>/clearance")
class Clearance(MethodView):
    @blp.arguments(s.ClearanceSchema, required=False)
    @blp.response(200, s.OffboardingCaseSchema)
    @documents(blp, 404, 409)
    def post(self, data, case_id):
        """Clear the case once every line is closed (409 naming open lines); the employee becomes "left\""""
        case = offboarding.clear(offboarding.get_case(case_id), ctx(), (data or {}).get("note"))
        db.session.commit()
        return offboarding.case_view(case)


@blp.route("/offboardings/<int:case_id>/cancel")
class CancelOffboarding(MethodView):
    @blp.arguments(s.CancelOffboardingSchema)
    @blp.response(200, s.OffboardingCaseSchema)
    @documents(blp, 404, 409)
    def post(self, data, case_id):
        """Cancel an open case: the person stays (status and end date restored); the case stays as history"""
        case = offboarding.cancel(offboarding.get_case(case_id), data["reason"], ctx())
        db.session.commit()
        return offboarding.case_view(case)


@blp.route("/offboardings/<int:case_id>/receipt")
class Receipt(MethodView):
    @blp.arguments(s.ReceiptArgsSchema, location="query")
    @blp.response(200, s.ReceiptSchema)
    @blp.alt_response(200, description="The receipt: JSON, or a page fit to print (text/html)",
                      content_type="text/html", schema={"type": "string"}, success=True)
    @documents(blp, 404, 409)
    def get(self, args, case_id):
        """The clearance receipt: every item, how and when it was closed (JSON, or HTML with Accept: text/html)"""
        data = offboarding.receipt(offboarding.get_case(case_id))
        if wants(request, args.get("format"), "html"):
            return html(RECEIPT, r=data)
        return data


def _line_result(case, line, assignment=None) -> dict:
    return {"case": offboarding.case_view(case), "line_id": line.id,
            "assignment_id": assignment.id if assignment else None,
            "acknowledgement": ack_link(assignment) if assignment else None}


@lines_blp.route("/offboardings/<int:case_id>/lines/<int:line_id>/return")
class ReturnLine(MethodView):
    @lines_blp.arguments(s.ReturnSchema, required=False)
    @lines_blp.response(200, s.LineResultSchema)
    @documents(lines_blp, 404, 409)
    def post(self, data, case_id, line_id):
        """The item came back: check it in (in_stock, in_repair or retired) with its condition"""
        data = data or s.ReturnSchema().load({})
        case = offboarding.get_case(case_id)
        line = offboarding_lines.return_line(case, line_id, ctx(), data["condition"], data["note"], data["status"])
        db.session.commit()
        return _line_result(case, line)


@lines_blp.route("/offboardings/<int:case_id>/lines/<int:line_id>/transfer")
class TransferLine(MethodView):
    @lines_blp.arguments(s.TransferSchema)
    @lines_blp.response(200, s.LineResultSchema)
    @documents(lines_blp, 404, 409, 422)
    def post(self, data, case_id, line_id):
        """Hand the item to another employee: checkin and checkout in one step, both in the history"""
        case = offboarding.get_case(case_id)
        line, assignment = offboarding_lines.transfer_line(case, line_id, data["employee_id"], ctx(),
                                                           data["due_back"], data["note"],
                                                           data["require_acknowledgement"])
        result = _line_result(case, line, assignment)
        db.session.commit()
        return result


@lines_blp.route("/offboardings/<int:case_id>/lines/<int:line_id>/write-off")
class WriteOffLine(MethodView):
    @lines_blp.arguments(s.WriteOffSchema)
    @lines_blp.response(200, s.LineResultSchema)
    @documents(lines_blp, 404, 409, 422)
    def post(self, data, case_id, line_id):
        """Write the item off as lost or stolen (note required): the asset takes that status"""
        case = offboarding.get_case(case_id)
        line = offboarding_lines.write_off_line(case, line_id, data["status"], data["note"], ctx())
        db.session.commit()
        return _line_result(case, line)


@lines_blp.route("/offboardings/<int:case_id>/lines/<int:line_id>/confirm")
class ConfirmLine(MethodView):
    @lines_blp.arguments(s.ConfirmSchema, required=False)
    @lines_blp.response(200, s.LineResultSchema)
    @documents(lines_blp, 404, 409)
    def post(self, data, case_id, line_id):
        """Close a "to check" line: checked, nothing to return"""
        case = offboarding.get_case(case_id)
        line = offboarding_lines.confirm_line(case, line_id, (data or {}).get("note"), ctx())
        db.session.commit()
        return _line_result(case, line)
