"""Catalogue and places: manufacturers and models; departments and locations; IT adds to them here."""

from flask import Blueprint, flash, redirect, url_for
from marshmallow import ValidationError

from ..errors import ApiError
from ..extensions import db
from ..models.base import KINDS, LOCATION_KINDS
from ..schemas.catalogue import AssetModelSchema, ManufacturerSchema
from ..schemas.organisation import DepartmentSchema, LocationSchema
from ..services import catalogue, organisation
from .common import ctx, flatten, form_values, render, to_int

bp = Blueprint("catalogue", __name__)
ALL = {"limit": 1000}


def _catalogue(status: int = 200, errors: dict | None = None, values: dict | None = None):
    makers, more_makers = catalogue.list_manufacturers(ALL)
    models, more_models = catalogue.list_models(ALL)
    return render("web/catalogue.html", status, makers=makers, models=models, truncated=bool(more_makers or more_models),
                  maker_names={m.id: m.name for m in makers}, kinds=KINDS, errors=errors or {}, values=values or {})


def _places(status: int = 200, errors: dict | None = None, values: dict | None = None):
    departments, more_departments = organisation.list_departments(ALL)
    locations, more_locations = organisation.list_locations(ALL)
    return render("web/places.html", status, departments=departments, locations=locations,
                  truncated=bool(more_departments or more_locations), location_names={loc.id: loc.name for loc in
                                                                                     locations},
                  location_kinds=LOCATION_KINDS, errors=errors or {}, values=values or {})


@bp.get("/catalogue")
def index():
    """Manufacturers and models."""
    return _catalogue()


@bp.get("/places")
def places():
    """Departments and locations."""
    return _places()


def _save(form: str, names: tuple, schema, save, ints: tuple = ()):
    """Validate a small form with the API schema and save it through the service; errors come back per field."""
    values = form_values(names)
    data, errors = {k: v for k, v in values.items() if v is not None}, {}
    for name in ints:
        to_int(data, name, errors)
    if not errors:
        try:
            save(schema.load(data), ctx())
            db.session.commit()
            return None, values
        except ValidationError as e:
            errors = flatten(e.messages)
        except ApiError as e:
            db.session.rollback()
            if e.code not in (409, 422):
                raise
            errors = flatten(e.errors) or {"": [e.message]}
    return {form: errors}, {form: values}


@bp.post("/catalogue/manufacturers")
def add_manufacturer():
    errors, values = _save("manufacturer", ("name", "url"), ManufacturerSchema(), catalogue.save_manufacturer)
    if errors:
        return _catalogue(422, errors, values)
    flash(f"Added manufacturer {values['name']}.", "ok")
    return redirect(url_for("web.catalogue.index"), 303)


@bp.post("/catalogue/models")
def add_model():
    errors, values = _save("model", ("manufacturer_id", "name", "kind", "model_number"), AssetModelSchema(),
                           catalogue.save_model, ints=("manufacturer_id",))
    if errors:
        return _catalogue(422, errors, values)
    flash(f"Added model {values['name']}.", "ok")
    return redirect(url_for("web.catalogue.index"), 303)


@bp.post("/places/departments")
def add_department():
    errors, values = _save("department", ("name", "cost_center"), DepartmentSchema(), organisation.save_department)
    if errors:
        return _places(422, errors, values)
    flash(f"Added department {values['name']}.", "ok")
    return redirect(url_for("web.catalogue.places"), 303)


@bp.post("/places/locations")
def add_location():
    errors, values = _save("location", ("name", "kind", "parent_id", "address"), LocationSchema(),
                           organisation.save_location, ints=("parent_id",))
    if errors:
        return _places(422, errors, values)
    flash(f"Added location {values['name']}.", "ok")
    return redirect(url_for("web.catalogue.places"), 303)
