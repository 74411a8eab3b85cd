"""Form and query-string loading for pages: the API's schemas do the validation, messages go next to fields."""

from datetime import UTC, datetime, time

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from ..formats.register_csv import parse_cost
from ..models.base import KINDS, STATUSES
from ..schemas.asset import AssetSchema, AssetTransferSchema, CheckinSchema, CheckoutSchema
from ..schemas.common import Id
from ..services.asset_list import SORTS, find_holder
from .common import flatten, form_values, to_int


class AssetFilterSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(1, 200))
    kind = fields.String(validate=validate.OneOf(KINDS))
    status = fields.String(validate=validate.OneOf(STATUSES))
    location_id = Id()
    department_id = Id()
    holder = fields.String(validate=validate.Length(1, 200))
    seen_since = fields.Date()
    missing = fields.Boolean()
    sort = fields.String(load_default="asset_tag", validate=validate.OneOf(list(SORTS)))
    dir = fields.String(load_default="asc", validate=validate.OneOf(("asc", "desc")))
    cursor = fields.String(validate=validate.Length(max=400))
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))


_FILTERS = AssetFilterSchema()


def asset_filters(query) -> tuple[dict, dict, dict]:
    """(service args, errors, the filters as given) from a query string; bad filters are dropped and named."""
    given = {k: v.strip() for k, v in query.items() if v.strip()}
    try:
        loaded, errors = _FILTERS.load(given), {}
    except ValidationError as e:
        loaded, errors = e.valid_data or {}, flatten(e.messages)
        loaded.setdefault("sort", "asset_tag")
        loaded.setdefault("dir", "asc")
        loaded.setdefault("limit", 50)
    args = {k: loaded[k] for k in ("q", "kind", "status", "location_id", "department_id", "missing", "cursor", "limit")
            if k in loaded}
    if "seen_since" in loaded:
        args["seen_since"] = datetime.combine(loaded["seen_since"], time(0), UTC)
    if loaded.get("holder"):
        holder = find_holder(loaded["holder"])
        if holder is None:
            errors["holder"] = ["No one (or more than one person) matches: give the employee number or email."]
            args["assigned_to"] = 0  # matches nothing: an unknown holder must not list everything
        else:
            args["assigned_to"] = holder
    return {**args, "sort": loaded["sort"], "descending": loaded["dir"] == "desc"}, errors, given


EDIT_FIELDS = ("kind", "status", "model_id", "location_id", "serial_number", "hostname", "imei", "phone_number",
               "purchase_date", "purchase_cost", "currency", "supplier", "order_number", "warranty_end", "notes")
_EDIT = AssetSchema(partial=True, only=[f if f != "purchase_cost" else "purchase_cost_cents" for f in EDIT_FIELDS])


def asset_changes(current: dict) -> tuple[dict, dict, dict]:
    """(changed fields, errors, values as typed) of the edit form; only changed fields count as edits."""
    values = form_values(EDIT_FIELDS)
    data, errors = dict(values), {}
    to_int(data, "model_id", errors)
    to_int(data, "location_id", errors)
    if "purchase_cost" in data:
        cost = data.pop("purchase_cost")
        try:
            data["purchase_cost_cents"] = parse_cost(cost) if cost is not None else None
        except ValueError as e:
            errors["purchase_cost"] = [f"{e}: write an amount such as 1299.00."]
    if data.get("currency"):
        data["currency"] = data["currency"].upper()
    try:
        loaded = _EDIT.load({k: v for k, v in data.items() if k not in errors})
    except ValidationError as e:
        errors.update(flatten(e.messages))
        loaded = {}
    if "purchase_cost_cents" in errors:
        errors["purchase_cost"] = errors.pop("purchase_cost_cents")
    return {k: v for k, v in loaded.items() if v != current.get(k)}, errors, values


def checkout_form() -> tuple[dict, dict]:
    data, errors = form_values(("employee_id", "due_back", "note", "require_acknowledgement")), {}
    to_int(data, "employee_id", errors)
    return _load(CheckoutSchema(), data, errors)


def transfer_form() -> tuple[dict, dict]:
    data, errors = form_values(("employee_id", "condition", "due_back", "note", "require_acknowledgement")), {}
    to_int(data, "employee_id", errors)
    return _load(AssetTransferSchema(), data, errors)


def checkin_form() -> tuple[dict, dict]:
    data = form_values(("status", "condition", "note"))
    if data.get("status") is None:
        data.pop("status", None)
    return _load(CheckinSchema(), data, {})


def _load(schema: Schema, data: dict, errors: dict) -> tuple[dict, dict]:
    if errors:
        return {}, errors
    try:
        return schema.load(data), {}
    except ValidationError as e:
        return {}, flatten(e.messages)
