"""File imports over HTTP: MDM device exports."""

from flask import current_app, request
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..errors import ApiError
from ..extensions import db
from ..imports import import_mdm
from ..schemas.observation import IngestResultSchema
from .common import blueprint, ctx, documents

blp = blueprint("imports", "Imports of files other systems export (MDM device lists).")


class MdmArgsSchema(Schema):
    format = fields.String(required=True, validate=validate.OneOf(("intune", "jamf", "generic")))


@blp.route("/imports/mdm")
class MdmImport(MethodView):
    @blp.arguments(MdmArgsSchema, location="query")
    @blp.doc(requestBody={"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}})
    @blp.response(200, IngestResultSchema)
    @documents(blp, 400, 413, 422)
    def post(self, args):
        """Import an MDM device export (CSV body): phones and tablets matched by IMEI and serial"""
        try:
            text = request.get_data().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(400, "The CSV must be UTF-8.") from None
        answer, replayed = import_mdm(text, args["format"], ctx())
        db.session.commit()
        response = current_app.response_class(answer, 200, mimetype="application/json")
        response.headers["Idempotent-Replayed"] = "true" if replayed else "false"
        return response
