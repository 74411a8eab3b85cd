"""flask-smorest blueprints, one per resource."""

from . import assets, catalogue, changes, discovery, employees, health, imports, organisation, usage

BLUEPRINTS = [health.blp, assets.blp, catalogue.blp, organisation.blp, employees.blp, changes.blp, discovery.blp,
              discovery.triage_blp, discovery.seen_blp, imports.blp, usage.software_blp, usage.blp]
