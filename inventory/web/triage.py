"""Triage: what discovery could not place, side by side with candidate assets; promote, link or ignore."""

from flask import Blueprint, flash, redirect, request, url_for
from marshmallow import ValidationError

from ..errors import ApiError, Invalid
from ..extensions import db
from ..models import TriageItem
from ..models.base import KINDS
from ..schemas.discovery import IgnoreSchema, PromoteSchema, TriageQueryArgsSchema
from ..services import asset_list, assets, suggestions, triage
from ..services.records import get_or_404
from .common import ctx, flatten, form_values, render

bp = Blueprint("triage", __name__, url_prefix="/triage")


@bp.get("")
def index():
    """Open triage items, newest first, each with its candidate assets."""
    try:
        args = TriageQueryArgsSchema().load({k: v for k, v in request.args.items() if k in ("kind", "cursor") and v})
    except ValidationError as e:
        raise Invalid("Invalid filter.", e.messages) from None
    items, cursor = triage.list_items(args)
    ids = {c["asset_id"] for item in items for c in item.candidates}
    candidates = {a["id"]: a for a in asset_list.with_names(_assets(ids))}
    return render("web/triage.html", items=items, next_cursor=cursor, candidates=candidates, kinds=KINDS,
                  kind=args.get("kind"), suggestions=[] if args.get("cursor") else suggestions.open_suggestions())


def _assets(ids: set[int]) -> list[dict]:
    out = []
    for asset_id in sorted(ids):
        try:
            out.append(assets.get_asset(asset_id))
        except ApiError:
            continue  # a candidate deleted since: nothing to show
    return out


def _done(message: str):
    flash(message, "ok")
    return redirect(url_for("web.triage.index"), 303)


def _fail(e: ApiError):
    db.session.rollback()
    if e.code not in (404, 409, 422):
        raise e
    flash(e.message + "".join(f" {k}: {' '.join(v)}" for k, v in flatten(e.errors).items()), "error")
    return redirect(url_for("web.triage.index"), 303)


@bp.post("/<int:item_id>/promote")
def promote(item_id: int):
    """Make an asset of an unmatched observation."""
    item = get_or_404(TriageItem, item_id, "Triage item")
    try:
        data = PromoteSchema().load({k: v for k, v in form_values(("kind",)).items() if v})
        asset = triage.promote(item, data, ctx())
        db.session.commit()
    except ValidationError as e:
        return _fail(Invalid("Invalid input.", e.messages))
    except ApiError as e:
        return _fail(e)
    return _done(f"Created asset {asset.asset_tag}.")


@bp.post("/<int:item_id>/link")
def link(item_id: int):
    """Attach an item to an asset (a candidate, or one named by its tag)."""
    item = get_or_404(TriageItem, item_id, "Triage item")
    values = form_values(("asset_id", "asset_tag"))
    try:
        asset_id = int(values["asset_id"]) if values.get("asset_id") else _by_tag(values.get("asset_tag"))
        asset = triage.link(item, asset_id, ctx())
        db.session.commit()
    except ValueError:
        return _fail(Invalid("Choose a candidate asset."))
    except ApiError as e:
        return _fail(e)
    return _done(f"Linked to {asset.asset_tag}.")


def _by_tag(tag: str | None) -> int:
    found, _ = assets.list_assets({"asset_tag": tag, "limit": 1}) if tag else ([], None)
    if not found:
        raise Invalid("Unknown asset.", {"asset_tag": [f"No asset is tagged '{tag or ''}'."]})
    return found[0]["id"]


@bp.post("/<int:item_id>/ignore")
def ignore(item_id: int):
    """Ignore an item: the same identity stays ignored."""
    item = get_or_404(TriageItem, item_id, "Triage item")
    try:
        data = IgnoreSchema().load({"reason": request.form.get("reason") or "Ignored from the triage page."})
        triage.ignore(item, data["reason"], ctx())
        db.session.commit()
    except ValidationError as e:
        return _fail(Invalid("Invalid input.", e.messages))
    except ApiError as e:
        return _fail(e)
    return _done("Ignored.")


@bp.post("/suggestions/<int:suggestion_id>/accept")
def accept_suggestion(suggestion_id: int):
    """Check the asset out to the employee discovery saw using it (source "discovery")."""
    try:
        s = suggestions.accept_suggestion(suggestion_id, ctx())
        db.session.commit()
    except ApiError as e:
        return _fail(e)
    return _done(f"Checked out to employee {s.employee_id} (assignment {s.assignment_id}).")


@bp.post("/suggestions/<int:suggestion_id>/reject")
def reject_suggestion(suggestion_id: int):
    """Never suggest this asset for this employee again."""
    try:
        suggestions.reject_suggestion(suggestion_id, ctx(), request.form.get("reason") or None)
        db.session.commit()
    except ApiError as e:
        return _fail(e)
    return _done("Suggestion rejected; it will not come back.")
