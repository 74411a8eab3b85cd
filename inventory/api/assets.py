"""Assets: CRUD, checkout, checkin, history."""

from flask.views import MethodView

from ..extensions import db
from ..models import Asset
from ..schemas.asset import (
    AssetDetailSchema,
    AssetPageSchema,
    AssetQueryArgsSchema,
    AssetSchema,
    AssetTransferSchema,
    AssignmentPageSchema,
    AssignmentSchema,
    CheckinSchema,
    CheckoutSchema,
    asset_json,
)
from ..schemas.change import ChangePageSchema
from ..schemas.common import PageArgsSchema
from ..schemas.usage import AssetExtrasSchema
from ..services import asset_detail, assignment, changelog
from ..services import assets as service
from ..services.records import get_or_404
from .common import blueprint, ctx, documents, json_response

blp = blueprint("assets", "Assets: computers, phones, mobile and network devices, peripherals.", "/api/v1/assets")


_EXTRAS = AssetExtrasSchema()
_QUERY_ARGS = AssetQueryArgsSchema()  # one instance: webargs would build (deep-copy) a class's schema per request


@blp.route("")
class Assets(MethodView):
    @blp.arguments(_QUERY_ARGS, location="query")
    @blp.response(200, AssetPageSchema)
    @documents(blp, 400)
    def get(self, args):
        """List assets, filtered, one keyset page at a time"""
        items, cursor = service.list_assets(args)
        return json_response({"items": [asset_json(a) for a in items], "next_cursor": cursor})

    @blp.arguments(AssetSchema)
    @blp.response(201, AssetSchema)
    @documents(blp, 409)
    def post(self, data):
        """Create an asset"""
        asset = service.create_asset(data, ctx())
        db.session.commit()
        return json_response(asset_json(service.get_asset(asset.id)), 201)


@blp.route("/<int:asset_id>")
class AssetById(MethodView):
    @blp.response(200, AssetDetailSchema)
    @documents(blp, 404)
    def get(self, asset_id):
        """Get an asset, with its hardware summary, installed software and the users seen on it"""
        asset = service.get_asset(asset_id)
        return json_response({**asset_json(asset), **_EXTRAS.dump(asset_detail.extras(asset))})

    @blp.arguments(AssetSchema(partial=True), required=False)
    @blp.response(200, AssetSchema)
    @documents(blp, 404, 409)
    def patch(self, data, asset_id):
        """Change some fields of an asset"""
        service.update_asset(get_or_404(Asset, asset_id, "Asset"), data, ctx())
        db.session.commit()
        return json_response(asset_json(service.get_asset(asset_id)))

    @blp.response(204)
    @documents(blp, 404, 409)
    def delete(self, asset_id):
        """Delete an asset that has no history (retire or dispose of it otherwise)"""
        service.delete_asset(get_or_404(Asset, asset_id, "Asset"), ctx())
        db.session.commit()


@blp.route("/<int:asset_id>/checkout")
class Checkout(MethodView):
    @blp.arguments(CheckoutSchema)
    @blp.response(201, AssignmentSchema)
    @documents(blp, 404, 409)
    def post(self, data, asset_id):
        """Check an in-stock asset out to an employee"""
        result = assignment.check_out(asset_id, data["employee_id"], ctx(), data["due_back"], data["note"],
                                      require_acknowledgement=data["require_acknowledgement"])
        db.session.commit()
        return assignment.with_acknowledgements([result])[0]


@blp.route("/<int:asset_id>/checkin")
class Checkin(MethodView):
    @blp.arguments(CheckinSchema)
    @blp.response(200, AssignmentSchema)
    @documents(blp, 404, 409)
    def post(self, data, asset_id):
        """Check an asset back in from its holder"""
        result = assignment.check_in(asset_id, ctx(), data["status"], data["condition"], data["note"])
        db.session.commit()
        return assignment.with_acknowledgements([result])[0]


@blp.route("/<int:asset_id>/transfer")
class Transfer(MethodView):
    @blp.arguments(AssetTransferSchema)
    @blp.response(201, AssignmentSchema)
    @documents(blp, 404, 409)
    def post(self, data, asset_id):
        """Hand a checked-out asset to another employee: a checkin and a checkout in one step, both in history"""
        result = assignment.transfer(asset_id, data["employee_id"], ctx(), data["condition"], data["due_back"],
                                     data["note"], data["require_acknowledgement"])
        db.session.commit()
        return assignment.with_acknowledgements([result])[0]


@blp.route("/<int:asset_id>/history")
class History(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, ChangePageSchema)
    @documents(blp, 400, 404)
    def get(self, args, asset_id):
        """Everything that happened to an asset (changes, checkouts, checkins), newest first"""
        get_or_404(Asset, asset_id, "Asset")
        items, cursor = changelog.list_changes({**args, "object_type": "asset", "object_id": asset_id})
        return {"items": items, "next_cursor": cursor}


@blp.route("/<int:asset_id>/assignments")
class Assignments(MethodView):
    @blp.arguments(PageArgsSchema, location="query")
    @blp.response(200, AssignmentPageSchema)
    @documents(blp, 400, 404)
    def get(self, args, asset_id):
        """Who held an asset and when, newest first"""
        get_or_404(Asset, asset_id, "Asset")
        items, cursor = assignment.list_assignments(args, asset_id=asset_id)
        return {"items": items, "next_cursor": cursor}
