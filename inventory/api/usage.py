"""Who uses what: installed software, users seen on assets, and assignment suggestions from discovery."""

from flask.views import MethodView

from ..extensions import db
from ..models import Asset, Employee
from ..schemas import usage as s
from ..services import software, suggestions, usage
from ..services.records import get_or_404
from .common import blueprint, ctx, documents

software_blp = blueprint("software", "Installed software reported by inventory agents.")
blp = blueprint("suggestions", "Users seen on assets, and the assignments discovery suggests from them.")


@software_blp.route("/software")
class Software(MethodView):
    @software_blp.arguments(s.SoftwareQueryArgsSchema, location="query")
    @software_blp.response(200, s.InstallationPageSchema)
    @documents(software_blp, 400)
    def get(self, args):
        """Which assets run a package (?name=, any case), optionally a given ?version="""
        items, cursor = software.list_installations(args)
        return {"items": items, "next_cursor": cursor}


@software_blp.route("/assets/<int:asset_id>/software")
class AssetSoftware(MethodView):
    @software_blp.arguments(s.AssetSoftwareArgsSchema, location="query")
    @software_blp.response(200, s.InstallationPageSchema)
    @documents(software_blp, 400, 404)
    def get(self, args, asset_id):
        """The software installed on an asset"""
        get_or_404(Asset, asset_id, "Asset")
        items, cursor = software.list_installations({**args, "asset_id": asset_id})
        return {"items": items, "next_cursor": cursor}


@blp.route("/assets/<int:asset_id>/users")
class AssetUsers(MethodView):
    @blp.response(200, s.AssetUserSchema(many=True))
    @documents(blp, 404)
    def get(self, asset_id):
        """Who was seen using an asset: each login, the employee it resolves to, first and last seen, days"""
        get_or_404(Asset, asset_id, "Asset")
        return usage.asset_users(asset_id)


@blp.route("/employees/<int:employee_id>/seen-on")
class EmployeeSeenOn(MethodView):
    @blp.response(200, s.SeenOnSchema(many=True))
    @documents(blp, 404)
    def get(self, employee_id):
        """The assets an employee was seen using (held or not), most recent first"""
        return usage.assets_used_by(get_or_404(Employee, employee_id, "Employee"))


@blp.route("/suggestions")
class Suggestions(MethodView):
    @blp.arguments(s.SuggestionQueryArgsSchema, location="query")
    @blp.response(200, s.SuggestionPageSchema)
    @documents(blp, 400)
    def get(self, args):
        """Assignment suggestions from observed users, newest first"""
        items, cursor = suggestions.list_suggestions(args)
        return {"items": items, "next_cursor": cursor}


@blp.route("/suggestions/<int:suggestion_id>/accept")
class AcceptSuggestion(MethodView):
    @blp.arguments(s.AcceptSuggestionSchema, required=False)
    @blp.response(200, s.SuggestionSchema)
    @documents(blp, 404, 409)
    def post(self, data, suggestion_id):
        """Accept: check the asset out to the employee, recorded with source "discovery\""""
        result = suggestions.accept_suggestion(suggestion_id, ctx(), (data or {}).get("note"))
        db.session.commit()
        return result


@blp.route("/suggestions/<int:suggestion_id>/reject")
class RejectSuggestion(MethodView):
    @blp.arguments(s.RejectSuggestionSchema, required=False)
    @blp.response(200, s.SuggestionSchema)
    @documents(blp, 404, 409)
    def post(self, data, suggestion_id):
        """Reject: never suggest this asset for this employee again"""
        result = suggestions.reject_suggestion(suggestion_id, ctx(), (data or {}).get("reason"))
        db.session.commit()
        return result
