"""Acknowledgements: links for employees to accept what was issued to them, and their state on assignments."""

from flask import request
from flask.views import MethodView

from ..extensions import db
from ..models import Assignment
from ..schemas import lifecycle as s
from ..schemas.kits import AckLinkSchema
from ..services import acknowledgement
from ..services.records import get_or_404
from .common import blueprint, ctx, documents
from .pages import ACKNOWLEDGE, html, wants

blp = blueprint("acknowledgements", "Acknowledgements: one-time links on which employees accept what they got.")


@blp.route("/assignments/<int:assignment_id>/acknowledgement")
class AssignmentAcknowledgement(MethodView):
    @blp.response(200, s.AcknowledgementStateSchema)
    @documents(blp, 404)
    def get(self, assignment_id):
        """The acknowledgement state of an assignment (not_requested, pending, expired, accepted, refused)"""
        return acknowledgement.for_assignment(get_or_404(Assignment, assignment_id, "Assignment"))

    @blp.response(201, AckLinkSchema)
    @documents(blp, 404, 409)
    def post(self, assignment_id):
        """Make a new one-time link for an open assignment (an older pending link stops working)"""
        ack, token = acknowledgement.issue(get_or_404(Assignment, assignment_id, "Assignment"), ctx())
        db.session.commit()
        return {"id": ack.id, "url": acknowledgement.link(token), "expires_at": ack.expires_at}


@blp.route("/acknowledgements/<string:token>")
class AcknowledgementLink(MethodView):
    """Public: the token in the URL is the credential. Used, replaced or expired links answer 410."""

    @blp.arguments(s.FormatArgsSchema, location="query")
    @blp.response(200, s.IssuedSchema)
    @blp.alt_response(200, description="What was issued: JSON, or a small page with the form (text/html)",
                      content_type="text/html", schema={"type": "string"}, success=True)
    @blp.doc(security=[])
    @documents(blp, 404, 410)
    def get(self, args, token):
        """What was issued (HTML page with a form, or JSON)"""
        issued = acknowledgement.show(token)
        if wants(request, args.get("format"), "html"):
            return html(ACKNOWLEDGE, i=issued, done=False)
        return issued

    @blp.arguments(s.AcknowledgeSchema, location="json_or_form")
    @blp.response(200, s.IssuedSchema)
    @blp.doc(security=[], requestBody={"required": True, "content": {  # json_or_form is not a location smorest documents
        "application/json": {"schema": s.AcknowledgeSchema},
        "application/x-www-form-urlencoded": {"schema": s.AcknowledgeSchema}}})
    @documents(blp, 404, 410, 422)
    def post(self, data, token):
        """Accept, or refuse with a reason; records time, IP address and user agent. Works once"""
        issued = acknowledgement.respond(token, data["decision"], data["reason"], request.remote_addr,
                                         request.user_agent.string)
        db.session.commit()
        if request.mimetype != "application/json":
            return html(ACKNOWLEDGE, i=issued, done=True)
        return issued
