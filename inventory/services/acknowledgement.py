"""Acknowledgements: one-time, expiring links on which an employee accepts or refuses what was issued."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from ..errors import ApiError, Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Acknowledgement, Asset, AssetModel, Assignment, Employee
from ..models.base import utcnow
from .changelog import record
from .context import Context

LINK_PATH = "/api/v1/acknowledgements/{token}"
DECISIONS = {"accept": "accepted", "refuse": "refused"}


class Gone(ApiError):
    """The link was used already, replaced by a newer one, or has expired."""

    def __init__(self, message: str):
        super().__init__(410, message)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(assignment: Assignment, ctx: Context) -> tuple[Acknowledgement, str]:
    """Make a new link for an open assignment (a pending older link stops working); returns (record, token).

    The token is shown once: only its hash is kept. Links last INVENTORY_ACKNOWLEDGEMENT_DAYS (14) days.
    """
    if assignment.checked_in_at is not None:
        raise Conflict(f"Assignment {assignment.id} is closed (checked in); nothing to acknowledge.")
    now = utcnow()
    db.session.execute(update(Acknowledgement).where(
        Acknowledgement.assignment_id == assignment.id, Acknowledgement.state == "pending",
        Acknowledgement.superseded_at.is_(None)).values(superseded_at=now))
    token = "ack_" + secrets.token_urlsafe(32)
    days = float(current_app.config.get("ACKNOWLEDGEMENT_DAYS", 14))
    ack = Acknowledgement(assignment_id=assignment.id, token_hash=_digest(token), created_by=ctx.actor,
                          created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(ack)
    db.session.flush()
    record(ctx, "acknowledgement", ack.id, "issue", None,
           {"assignment_id": assignment.id, "asset_id": assignment.asset_id, "employee_id": assignment.employee_id,
            "expires_at": ack.expires_at.isoformat()})
    return ack, token


def link(token: str) -> str:
    return LINK_PATH.format(token=token)


def _usable(token: str) -> Acknowledgement:
    ack = db.session.execute(select(Acknowledgement).where(Acknowledgement.token_hash == _digest(token))).scalar()
    if ack is None or not secrets.compare_digest(ack.token_hash, _digest(token)):
        raise NotFound("Unknown acknowledgement link.")
    if ack.state != "pending":
        raise Gone(f"This link was used already: the equipment was {ack.state} on {ack.responded_at:%Y-%m-%d}.")
    if ack.superseded_at is not None:
        raise Gone("This link was replaced by a newer one; use the latest link you received.")
    if ack.expires_at <= utcnow():
        raise Gone("This link has expired; ask IT for a new one.")
    if db.session.get(Assignment, ack.assignment_id).checked_in_at is not None:
        raise Gone("This equipment has been returned; there is nothing to acknowledge.")
    return ack


def describe(ack: Acknowledgement) -> dict:
    """What was issued, for the page the link shows: employee, asset, when, by whom, link state."""
    a = db.session.get(Assignment, ack.assignment_id)
    emp = db.session.get(Employee, a.employee_id)
    asset = db.session.get(Asset, a.asset_id)
    model = db.session.get(AssetModel, asset.model_id) if asset.model_id else None
    return {"state": ack.state, "expires_at": ack.expires_at, "employee_name": emp.name,
            "asset_tag": asset.asset_tag, "kind": asset.kind, "model": model.name if model else None,
            "serial_number": asset.serial_number, "checked_out_at": a.checked_out_at, "due_back": a.due_back,
            "note": a.note}


def show(token: str) -> dict:
    """What a (still usable) link shows; 404 unknown, 410 used, replaced or expired."""
    return describe(_usable(token))


def respond(token: str, decision: str, reason: str | None, ip: str | None, user_agent: str | None) -> dict:
    """Accept or refuse (a reason is required to refuse); records time, IP and user agent. Once only."""
    ack = _usable(token)
    state = DECISIONS[decision]
    if state == "refused" and not (reason or "").strip():
        raise Invalid("Say why you refuse.", {"reason": ["Required when refusing."]})
    now = utcnow()
    # The state flip is the lock: of two concurrent answers exactly one updates the pending row.
    won = db.session.execute(update(Acknowledgement).where(
        Acknowledgement.id == ack.id, Acknowledgement.state == "pending").values(
        state=state, responded_at=now, ip_address=(ip or "")[:45] or None, user_agent=(user_agent or "")[:500] or None,
        reason=reason)).rowcount
    if not won:
        raise Gone("This link was used already.")
    db.session.refresh(ack)
    record(Context(actor=f"acknowledgement:{ack.id}"), "acknowledgement", ack.id, state, {"state": "pending"},
           {"state": state, "reason": reason, "ip_address": ack.ip_address, "user_agent": ack.user_agent,
            "assignment_id": ack.assignment_id})
    return describe(ack)


def latest_for(assignment_ids: list[int]) -> dict[int, Acknowledgement]:
    """The newest acknowledgement of each assignment that has one."""
    out: dict[int, Acknowledgement] = {}
    if assignment_ids:
        for ack in db.session.execute(select(Acknowledgement).where(
                Acknowledgement.assignment_id.in_(assignment_ids)).order_by(Acknowledgement.id)).scalars():
            out[ack.assignment_id] = ack
    return out


def state_of(ack: Acknowledgement | None) -> str:
    """not_requested, pending, expired, accepted or refused."""
    if ack is None:
        return "not_requested"
    if ack.state == "pending" and ack.expires_at <= utcnow():
        return "expired"
    return ack.state


def for_assignment(assignment: Assignment) -> dict:
    """The acknowledgement state of an assignment, as shown on it."""
    ack = latest_for([assignment.id]).get(assignment.id)
    return {"assignment_id": assignment.id, "state": state_of(ack), "id": ack.id if ack else None,
            "expires_at": ack.expires_at if ack else None, "responded_at": ack.responded_at if ack else None,
            "reason": ack.reason if ack else None, "ip_address": ack.ip_address if ack else None,
            "user_agent": ack.user_agent if ack else None}
