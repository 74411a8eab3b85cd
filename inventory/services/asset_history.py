"""An asset's history: what makes it a record to keep (retire or dispose) rather than a mistake to delete."""

from sqlalchemy import exists, select

from ..extensions import db
from ..models import (
    Asset,
    AssetUser,
    Assignment,
    AssignmentSuggestion,
    Change,
    InstalledSoftware,
    OffboardingLine,
    OnboardingLine,
    Repair,
    Sighting,
    TriageItem,
)
from ..models.usage import AssetUserDay

# What an asset may have lived through (acknowledgements hang off assignments).
_HISTORY = (
    ("assignments", (Assignment,)), ("repairs", (Repair,)), ("onboarding lines", (OnboardingLine,)),
    ("offboarding lines", (OffboardingLine,)), ("sightings", (Sighting,)), ("discovery triage items", (TriageItem,)),
    ("users seen on it", (AssetUser, AssetUserDay)), ("installed software", (InstalledSoftware,)),
    ("assignment suggestions", (AssignmentSuggestion,)),
)


def history_of(asset: Asset) -> list[str]:
    """What history the asset has (empty: only its own create/update change-log rows, a mistake typed in)."""
    found = [label for label, models in _HISTORY
             if any(db.session.execute(select(exists().where(m.asset_id == asset.id))).scalar() for m in models)]
    if asset.first_seen_at is not None or asset.agent_id is not None:
        found.append("discovery")
    other = exists().where(Change.object_type == "asset", Change.object_id == asset.id,
                           Change.action.not_in(("create", "update")))
    if db.session.execute(select(other)).scalar():
        found.append("change-log events")
    return found
