"""Onboarding cases: HR opens and follows them; IT fulfils each line by checking out a matching asset."""

from flask.views import MethodView

from ..extensions import db
from ..models import Employee
from ..schemas import kits as s
from ..services import acknowledgement, onboarding
from ..services.records import get_or_404
from .common import blueprint, ctx, documents

blp = blueprint("onboarding", "Onboarding cases: a new hire's kit, line by line, until everything is issued.")
fulfil_blp = blueprint("fulfilment", "Fulfilling onboarding lines (IT): candidates and checkout.")


def ack_link(assignment) -> dict | None:
    """The one-time link made with an assignment, if one was asked for (shown only in this answer)."""
    token = getattr(assignment, "acknowledgement_token", None)
    if not token:
        return None
    ack = acknowledgement.latest_for([assignment.id])[assignment.id]
    return {"id": ack.id, "url": acknowledgement.link(token), "expires_at": ack.expires_at}


@blp.route("/employees/<int:employee_id>/onboarding")
class EmployeeOnboarding(MethodView):
    @blp.arguments(s.OnboardingQueryArgsSchema, location="query")
    @blp.response(200, s.OnboardingCasePageSchema)
    @documents(blp, 400, 404)
    def get(self, args, employee_id):
        """An employee's onboarding cases, newest first"""
        get_or_404(Employee, employee_id, "Employee")
        items, cursor = onboarding.list_cases({**args, "employee_id": employee_id})
        return {"items": items, "next_cursor": cursor}

    @blp.arguments(s.OpenOnboardingSchema)
    @blp.response(201, s.OnboardingCaseSchema)
    @documents(blp, 404, 409, 422)
    def post(self, data, employee_id):
        """Open an onboarding case from a kit: one line per item to issue"""
        employee = get_or_404(Employee, employee_id, "Employee")
        case = onboarding.open_case(employee, data["kit_id"], data["needed_by"], ctx())
        db.session.commit()
        return onboarding.case_view(case)


@blp.route("/onboardings/<int:case_id>")
class OnboardingById(MethodView):
    @blp.response(200, s.OnboardingCaseSchema)
    @documents(blp, 404)
    def get(self, case_id):
        """An onboarding case: its lines (open or fulfilled, acknowledgement state) and progress"""
        return onboarding.case_view(onboarding.get_case(case_id))


@blp.route("/onboardings/<int:case_id>/cancel")
class CancelOnboarding(MethodView):
    @blp.arguments(s.CancelSchema)
    @blp.response(200, s.OnboardingCaseSchema)
    @documents(blp, 404, 409)
    def post(self, data, case_id):
        """Cancel an open onboarding case (what was issued stays checked out)"""
        case = onboarding.cancel(onboarding.get_case(case_id), data["reason"], ctx())
        db.session.commit()
        return onboarding.case_view(case)


@fulfil_blp.route("/onboardings/<int:case_id>/lines/<int:line_id>/candidates")
class Candidates(MethodView):
    @fulfil_blp.arguments(s.CandidateArgsSchema, location="query")
    @fulfil_blp.response(200, s.CandidateSchema(many=True))
    @documents(fulfil_blp, 404, 409)
    def get(self, args, case_id, line_id):
        """In-stock assets that would fulfil an open line, oldest first"""
        return onboarding.candidates(onboarding.get_case(case_id), line_id, args["limit"])


@fulfil_blp.route("/onboardings/<int:case_id>/lines/<int:line_id>/fulfil")
class Fulfil(MethodView):
    @fulfil_blp.arguments(s.FulfilSchema)
    @fulfil_blp.response(200, s.FulfilResultSchema)
    @documents(fulfil_blp, 404, 409, 422)
    def post(self, data, case_id, line_id):
        """Fulfil a line: check a matching in-stock asset out to the new hire (422 if it does not match)"""
        case = onboarding.get_case(case_id)
        line, assignment = onboarding.fulfil(case, line_id, data["asset_id"], ctx(), data["due_back"], data["note"],
                                             data["require_acknowledgement"])
        link = ack_link(assignment)
        db.session.commit()
        return {"case": onboarding.case_view(case), "line_id": line.id, "assignment_id": assignment.id,
                "acknowledgement": link}
