"""The dashboard: the fleet at a glance and the work waiting."""

from flask import Blueprint, current_app

from ..services import dashboard as service
from . import charts
from .common import render

bp = Blueprint("home", __name__)


@bp.get("/")
def dashboard():
    """Counts and charts of the fleet; triage, alerts and cases waiting."""
    data = service.summary(int(current_app.config["MISSING_AFTER_DAYS"]))
    figures = {
        "status": charts.bars("Assets by status", data["by_status"]),
        "kind": charts.bars("Assets by kind", data["by_kind"]),
        "age": charts.bars("Fleet age (from purchase date)", data["fleet_age"]),
        "seen": charts.bars("Last seen on the network", data["last_seen"]),
        "warranty": charts.columns("Warranties ending per month", data["warranties"]),
    }
    return render("web/dashboard.html", data=data, charts=figures)
