"""flask-smorest blueprints, one per resource."""

from . import assets, catalogue, changes, employees, health, organisation

BLUEPRINTS = [health.blp, assets.blp, catalogue.blp, organisation.blp, employees.blp, changes.blp]
