"""flask-smorest blueprints, one per resource."""

from . import (
    acknowledgements,
    assets,
    catalogue,
    changes,
    discovery,
    employees,
    health,
    imports,
    kits,
    offboarding,
    onboarding,
    organisation,
    repairs,
    reports,
    usage,
)

BLUEPRINTS = [health.blp, assets.blp, catalogue.blp, organisation.blp, employees.blp, changes.blp, discovery.blp,
              discovery.triage_blp, discovery.seen_blp, imports.blp, usage.software_blp, usage.blp,
              kits.blp, onboarding.blp, onboarding.fulfil_blp, offboarding.blp, offboarding.lines_blp,
              acknowledgements.blp, repairs.blp, reports.blp]
