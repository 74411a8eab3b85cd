"""Discovery: the observation push, triage, sightings and alerts."""

from flask import current_app, request
from flask.views import MethodView

from ..errors import ApiError
from ..extensions import db
from ..formats.batch_key import batch_key
from ..models import TriageItem
from ..schemas import discovery as s
from ..schemas.asset import AssetSchema, asset_json
from ..schemas.observation import IngestResultSchema, ObservationBatchSchema, load_batch
from ..services import assets, ingest, sightings, triage
from ..services.records import get_or_404
from .common import blueprint, ctx, documents, json_response

blp = blueprint("observations", "Scanners and agents push what they see; the server reconciles it.")
triage_blp = blueprint("triage", "What discovery could not place: unmatched observations and conflicts.")
seen_blp = blueprint("sightings", "Where assets were seen on the network, and the alerts discovery raised.")

_BATCH_BODY = {"required": True, "content": {"application/json": {"schema": ObservationBatchSchema}}}


@blp.route("/observations")
class Observations(MethodView):
    @blp.doc(requestBody=_BATCH_BODY)
    @blp.response(200, IngestResultSchema, headers={"Idempotent-Replayed": {
        "description": "true when this batch was received before: the body is the first answer, unchanged",
        "schema": {"type": "string", "enum": ["true", "false"]}}})
    @documents(blp, 400, 413, 415, 422)
    def post(self):
        """Push a batch of observations (idempotent per scanner, scan_id and batch)"""
        with ingest.gc_paused():
            return self._push()

    @staticmethod
    def _push():
        # A re-push is answered before the batch is decoded and validated again: a retrying scanner costs a
        # lookup (the key read from the top of the body when it can be, else from the decoded body).
        key = batch_key(request.get_data(cache=True)) if request.is_json else None
        answer = ingest.replay(*key) if key else None
        if answer is None:
            payload = request.get_json(silent=True)
            if payload is None:
                raise ApiError(400, "The body must be JSON (Content-Type: application/json; gzip allowed).")
            answer = ingest.replay(*(payload.get(k) for k in ("scanner", "scan_id")), payload.get("batch", 0)) \
                if isinstance(payload, dict) and not key else None
        replayed = answer is not None
        if not replayed:
            answer, replayed = ingest.push(load_batch(payload), ctx())
        response = current_app.response_class(answer, 200, mimetype="application/json")
        response.headers["Idempotent-Replayed"] = "true" if replayed else "false"
        return response


@triage_blp.route("/triage")
class Triage(MethodView):
    @triage_blp.arguments(s.TriageQueryArgsSchema, location="query")
    @triage_blp.response(200, s.TriagePageSchema)
    @documents(triage_blp, 400)
    def get(self, args):
        """List triage items (open by default), most recently seen first"""
        items, cursor = triage.list_items(args)
        return {"items": items, "next_cursor": cursor}


@triage_blp.route("/triage/<int:item_id>")
class TriageById(MethodView):
    @triage_blp.response(200, s.TriageItemSchema)
    @documents(triage_blp, 404)
    def get(self, item_id):
        """Get a triage item"""
        return get_or_404(TriageItem, item_id, "Triage item")


def _asset_page(asset_id: int, status: int = 200):
    return json_response(asset_json(assets.get_asset(asset_id)), status)


@triage_blp.route("/triage/<int:item_id>/promote")
class Promote(MethodView):
    @triage_blp.arguments(s.PromoteSchema)
    @triage_blp.response(201, AssetSchema)
    @documents(triage_blp, 404, 409)
    def post(self, data, item_id):
        """Create an asset from an unmatched observation; returns the new asset"""
        asset = triage.promote(get_or_404(TriageItem, item_id, "Triage item"), data, ctx())
        db.session.commit()
        return _asset_page(asset.id, 201)


@triage_blp.route("/triage/<int:item_id>/link")
class Link(MethodView):
    @triage_blp.arguments(s.LinkSchema)
    @triage_blp.response(200, AssetSchema)
    @documents(triage_blp, 404, 409)
    def post(self, data, item_id):
        """Attach an item to an existing asset, teaching the matcher; returns the asset"""
        asset = triage.link(get_or_404(TriageItem, item_id, "Triage item"), data["asset_id"], ctx())
        db.session.commit()
        return _asset_page(asset.id)


@triage_blp.route("/triage/<int:item_id>/ignore")
class Ignore(MethodView):
    @triage_blp.arguments(s.IgnoreSchema)
    @triage_blp.response(200, s.TriageItemSchema)
    @documents(triage_blp, 404, 409)
    def post(self, data, item_id):
        """Ignore an item; later observations of the same identity stay ignored"""
        item = get_or_404(TriageItem, item_id, "Triage item")
        triage.ignore(item, data["reason"], ctx())
        db.session.commit()
        return item


@seen_blp.route("/sightings")
class Sightings(MethodView):
    @seen_blp.arguments(s.SightingQueryArgsSchema, location="query")
    @seen_blp.response(200, s.SightingPageSchema)
    @documents(seen_blp, 400)
    def get(self, args):
        """Where assets were seen: by asset, IP, MAC, switch and port, VLAN, and time"""
        items, cursor = sightings.list_sightings(args)
        return {"items": items, "next_cursor": cursor}


@seen_blp.route("/alerts")
class Alerts(MethodView):
    @seen_blp.arguments(s.AlertQueryArgsSchema, location="query")
    @seen_blp.response(200, s.AlertPageSchema)
    @documents(seen_blp, 400)
    def get(self, args):
        """Alerts raised by discovery (open ones by default), newest first"""
        items, cursor = sightings.list_alerts(args)
        return {"items": items, "next_cursor": cursor}
