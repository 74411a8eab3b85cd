"""Assignment suggestions from observed use: accept (a checkout with source "discovery"), reject, list."""

from sqlalchemy import select

from ..errors import Conflict
from ..extensions import db
from ..models import Asset, AssignmentSuggestion, Employee
from ..models.base import utcnow
from .assignment import check_out
from .changelog import record
from .context import Context
from .pagination import keyset_page
from .records import get_or_404


def accept(s: AssignmentSuggestion, ctx: Context, note: str) -> None:
    assignment = check_out(s.asset_id, s.employee_id, ctx, note=note, source="discovery")
    s.status, s.resolved_at, s.resolved_by, s.assignment_id = "accepted", utcnow(), ctx.actor, assignment.id
    record(ctx, "assignment_suggestion", s.id, "accept", {"status": "open"},
           {"status": "accepted", "assignment_id": assignment.id})


def _open_suggestion(suggestion_id: int) -> AssignmentSuggestion:
    s = get_or_404(AssignmentSuggestion, suggestion_id, "Suggestion")
    if s.status != "open":
        raise Conflict(f"Suggestion {suggestion_id} is {s.status}, not open.")
    return s


def accept_suggestion(suggestion_id: int, ctx: Context, note: str | None = None) -> AssignmentSuggestion:
    """Check the asset out to the suggested employee, with source "discovery" in the history."""
    s = _open_suggestion(suggestion_id)
    accept(s, ctx, note or f"Accepted suggestion: seen using it on {s.evidence.get('days_seen')} days.")
    db.session.flush()
    return s


def reject_suggestion(suggestion_id: int, ctx: Context, reason: str | None = None) -> AssignmentSuggestion:
    """Silence the suggestion for this asset and employee for good."""
    s = _open_suggestion(suggestion_id)
    s.status, s.resolved_at, s.resolved_by = "rejected", utcnow(), ctx.actor
    record(ctx, "assignment_suggestion", s.id, "reject", {"status": "open"}, {"status": "rejected", "reason": reason})
    db.session.flush()
    return s


def list_suggestions(args: dict):
    stmt = select(AssignmentSuggestion)
    for key in ("status", "asset_id", "employee_id"):
        if args.get(key) is not None:
            stmt = stmt.where(getattr(AssignmentSuggestion, key) == args[key])
    return keyset_page(stmt, AssignmentSuggestion.id, args["limit"], args.get("cursor"), newest_first=True)


def open_suggestions(limit: int = 50) -> list[dict]:
    """Open suggestions with the asset tag and the employee's name, newest first (for the triage page)."""
    rows = db.session.execute(
        select(AssignmentSuggestion, Asset.asset_tag, Employee.name)
        .join(Asset, Asset.id == AssignmentSuggestion.asset_id).join(Employee, Employee.id ==
                                                                      AssignmentSuggestion.employee_id)
        .where(AssignmentSuggestion.status == "open").order_by(AssignmentSuggestion.id.desc()).limit(limit))
    return [{"id": s.id, "asset_id": s.asset_id, "asset_tag": tag, "employee_id": s.employee_id,
             "employee_name": name, "evidence": s.evidence, "created_at": s.created_at} for s, tag, name in rows]
