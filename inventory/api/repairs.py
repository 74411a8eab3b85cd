"""Repairs and maintenance of assets."""

from flask.views import MethodView

from ..extensions import db
from ..models import Asset
from ..schemas import lifecycle as s
from ..services import repairs
from ..services.records import get_or_404
from .common import blueprint, ctx, documents

blp = blueprint("repairs", "Repairs, upgrades and inspections: the asset is in_repair while one is open.")


@blp.route("/assets/<int:asset_id>/repairs")
class AssetRepairs(MethodView):
    @blp.arguments(s.RepairQueryArgsSchema, location="query")
    @blp.response(200, s.RepairPageSchema)
    @documents(blp, 400, 404)
    def get(self, args, asset_id):
        """An asset's repairs, newest first"""
        get_or_404(Asset, asset_id, "Asset")
        items, cursor = repairs.list_repairs(args, asset_id)
        return {"items": items, "next_cursor": cursor}

    @blp.arguments(s.RepairSchema)
    @blp.response(201, s.RepairSchema)
    @documents(blp, 404, 409)
    def post(self, data, asset_id):
        """Open a repair: the asset goes to in_repair (refused while checked out: check it in first)"""
        repair = repairs.open_repair(get_or_404(Asset, asset_id, "Asset"), data, ctx())
        db.session.commit()
        return repair


@blp.route("/repairs/<int:repair_id>")
class RepairById(MethodView):
    @blp.response(200, s.RepairSchema)
    @documents(blp, 404)
    def get(self, repair_id):
        """A repair"""
        return repairs.get_repair(repair_id)


@blp.route("/repairs/<int:repair_id>/complete")
class CompleteRepair(MethodView):
    @blp.arguments(s.CompleteRepairSchema, required=False)
    @blp.response(200, s.RepairSchema)
    @documents(blp, 404, 409)
    def post(self, data, repair_id):
        """Complete a repair (final cost, notes): the asset goes back to in_stock"""
        data = data or s.CompleteRepairSchema().load({})
        repair = repairs.complete_repair(repairs.get_repair(repair_id), data, ctx())
        db.session.commit()
        return repair
