"""Asset pages: list with filters and CSV export, detail with history, edit, check out and check in."""

import io
from datetime import date

from flask import Blueprint, Response, flash, redirect, request, url_for

from ..errors import ApiError
from ..extensions import db
from ..formats.register_csv import ASSET_COLUMNS, write_csv
from ..models import Asset
from ..models.base import KINDS, STATUSES
from ..schemas.asset import CHECKIN_STATUSES
from ..services import asset_detail, asset_list, assets, assignment, catalogue, changelog, organisation, sightings
from ..services.records import get_or_404
from . import forms
from .common import ctx, flash_acknowledgement_link, flatten, render

bp = Blueprint("assets", __name__, url_prefix="/assets")
# Its own blueprint so that the central role table keeps even the edit form (GET) away from read-only roles.
edit_bp = Blueprint("asset_edit", __name__, url_prefix="/assets")
ALL = {"limit": 1000}


def choices() -> dict:
    """Options of the select boxes (catalogue and places are small next to the fleet)."""
    models, _ = catalogue.list_models(ALL)
    makers = {m.id: m.name for m in catalogue.list_manufacturers(ALL)[0]}
    return {"kinds": _pairs(KINDS), "statuses": _pairs(STATUSES),
            "models": [(m.id, f"{makers.get(m.manufacturer_id, '')} {m.name}".strip()) for m in models],
            "locations": [(loc.id, loc.name) for loc in organisation.list_locations(ALL)[0]],
            "departments": [(d.id, d.name) for d in organisation.list_departments(ALL)[0]]}


def _pairs(values) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


@bp.get("")
def index():
    """Assets: search, filter, sort; one keyset page at a time."""
    args, errors, given = forms.asset_filters(request.args)
    items, cursor = asset_list.browse(args, args.pop("sort"), args.pop("descending"))
    keep = {k: v for k, v in given.items() if k not in ("cursor",) and k not in errors}
    return render("web/assets/list.html", items=items, next_cursor=cursor, filters=keep, errors=errors,
                  status=422 if errors else 200, **choices())


@bp.get("/export.csv")
def export():
    """The assets matching the current filters (every page) as CSV."""
    args, errors, _ = forms.asset_filters(request.args)
    if errors:
        raise ApiError(422, "Fix the filters first: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
    out = io.StringIO()
    write_csv(out, ASSET_COLUMNS, asset_list.export_rows(args))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="assets-{date.today().isoformat()}.csv"'})


def _detail(asset_id: int, status: int = 200, **extra):
    asset = asset_list.with_names([assets.get_asset(asset_id)])[0]
    held, _ = assignment.list_assignments({"limit": 200}, asset_id=asset_id)
    changes, more = changelog.list_changes({"object_type": "asset", "object_id": asset_id, "limit": 100})
    seen, _ = sightings.list_sightings({"asset_id": asset_id, "limit": 100})
    people = {}
    if asset["status"] in ("in_stock", "deployed"):  # checkout, or transfer to another person
        people = {e.id: f"{e.name} ({e.employee_number})" for e in
                  organisation.list_employees({"status": "active", "limit": 1000})[0]}
    names = asset_list.employee_names({a.employee_id for a in held})
    return render("web/assets/detail.html", status, asset=asset, extras=asset_detail.extras(asset), held=held,
                  changes=changes, more_changes=more, sightings=seen, people=people, names=names,
                  checkin_statuses=CHECKIN_STATUSES, **{"checkout_errors": {}, "checkin_errors": {}, "transfer_errors": {}, **extra})


@bp.get("/<int:asset_id>")
def detail(asset_id: int):
    """One asset: every field, holder, sightings, hardware and software, timeline."""
    return _detail(asset_id)


@edit_bp.route("/<int:asset_id>/edit", methods=["GET", "POST"])
def edit(asset_id: int):
    """Edit an asset; on any error nothing is changed and the messages sit next to the fields."""
    current = assets.get_asset(asset_id)
    if request.method == "GET":
        return render("web/assets/edit.html", asset=current, values=None, errors={}, **choices())
    changes, errors, values = forms.asset_changes(current)
    if not errors:
        try:
            assets.update_asset(get_or_404(Asset, asset_id, "Asset"), changes, ctx())
            db.session.commit()
        except ApiError as e:
            db.session.rollback()
            errors = flatten(e.errors) or {"": [e.message]}
            if e.code not in (409, 422):
                raise
    if errors:
        return render("web/assets/edit.html", 422, asset=current, values=values, errors=errors, **choices())
    flash(f"Saved {current['asset_tag']}." if changes else "Nothing to change.", "ok")
    return redirect(url_for("web.assets.detail", asset_id=asset_id), 303)


@bp.post("/<int:asset_id>/checkout")
def checkout(asset_id: int):
    """Check the asset out to an employee."""
    data, errors = forms.checkout_form()
    if not errors:
        try:
            made = assignment.check_out(asset_id, data["employee_id"], ctx(), data["due_back"], data["note"],
                                        require_acknowledgement=data["require_acknowledgement"])
            db.session.commit()
        except ApiError as e:
            if e.code not in (409, 422):
                raise
            db.session.rollback()
            errors = flatten(e.errors) or {"": [e.message]}
    if errors:
        return _detail(asset_id, 422, checkout_errors=errors)
    flash("Checked out.", "ok")
    flash_acknowledgement_link(made)
    return redirect(url_for("web.assets.detail", asset_id=asset_id), 303)


@bp.post("/<int:asset_id>/checkin")
def checkin(asset_id: int):
    """Check the asset back in."""
    data, errors = forms.checkin_form()
    if not errors:
        try:
            assignment.check_in(asset_id, ctx(), data["status"], data["condition"], data["note"])
            db.session.commit()
        except ApiError as e:
            if e.code not in (409, 422):
                raise
            db.session.rollback()
            errors = flatten(e.errors) or {"": [e.message]}
    if errors:
        return _detail(asset_id, 422, checkin_errors=errors)
    flash("Checked in.", "ok")
    return redirect(url_for("web.assets.detail", asset_id=asset_id), 303)


@bp.post("/<int:asset_id>/transfer")
def transfer(asset_id: int):
    """Hand the asset to another employee: checkin and checkout in one step."""
    data, errors = forms.transfer_form()
    if not errors:
        try:
            made = assignment.transfer(asset_id, data["employee_id"], ctx(), data["condition"], data["due_back"],
                                       data["note"], data["require_acknowledgement"])
            db.session.commit()
        except ApiError as e:
            if e.code not in (409, 422):
                raise
            db.session.rollback()
            errors = flatten(e.errors) or {"": [e.message]}
    if errors:
        return _detail(asset_id, 422, transfer_errors=errors)
    flash("Transferred.", "ok")
    flash_acknowledgement_link(made)
    return redirect(url_for("web.assets.detail", asset_id=asset_id), 303)
