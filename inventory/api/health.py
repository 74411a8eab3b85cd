"""Health check: is the app up and can it reach its database."""

from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy import text

from ..errors import ApiError
from ..extensions import db
from .common import blueprint


class HealthSchema(Schema):
    status = fields.String()
    database = fields.String()


blp = blueprint("health", "Liveness and database reachability (no token needed).")


@blp.route("/health")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema="Error", description="Database unreachable")
    def get(self):
        """Report whether the service and its database answer"""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means unavailable
            raise ApiError(503, "The database is unreachable.") from None
        return {"status": "ok", "database": db.engine.dialect.name}
