"""Shared schema pieces: pagination, identifier fields, flat custom fields."""

from marshmallow import Schema, ValidationError, fields, validate

from ..models.base import MAX_ID
from ..normalize import normalize_imei, normalize_mac


class PageArgsSchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 1000), metadata={"description": "Page size"})
    cursor = fields.String(load_default=None, validate=validate.Length(max=200),
                           metadata={"description": "Opaque cursor from next_cursor of the previous page"})


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """A `{items, next_cursor}` page schema of item_schema."""
    return Schema.from_dict(
        {"items": fields.List(fields.Nested(item_schema)), "next_cursor": fields.String(allow_none=True)},
        name=name,
    )


def Id(**kw) -> fields.Integer:  # noqa: N802 - reads like a field class
    """An id: a positive 32-bit integer (in bodies a JSON integer; in query strings digits)."""
    return fields.Integer(validate=validate.Range(1, MAX_ID), **kw)


def BodyId(**kw) -> fields.Integer:  # noqa: N802 - reads like a field class
    """An id in a JSON body: an integer, never 2.0 or "2"."""
    return Id(strict=True, **kw)


# A subset of what validate.URL(require_tld=False) accepts, for the document.
URL_PATTERN = r"^(?:https?|ftps?)://[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z]{2,6})*(?:/[A-Za-z0-9._~/-]*)?$"
# The notations normalize_mac accepts, for the OpenAPI document (format "mac": clients and the fuzzer know it).
MAC_PATTERN = (r"^\s*(?:[0-9A-Fa-f]{1,2}(?:[:-][0-9A-Fa-f]{1,2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}"
               r"|[0-9A-Fa-f]{12})\s*$")


def _documented(kw: dict, **doc) -> dict:
    """Field keyword arguments with doc (format, pattern) added to the field's OpenAPI metadata."""
    return {**kw, "metadata": {**doc, **kw.get("metadata", {})}}


class Mac(fields.String):
    """A MAC address in any common notation; loaded as lower-case colon form."""

    default_error_messages = {"invalid_mac": "Not a MAC address (e.g. aa:bb:cc:dd:ee:ff, AABB.CCDD.EEFF)."}

    def __init__(self, **kw):
        super().__init__(**_documented(kw, format="mac", pattern=MAC_PATTERN))

    def _deserialize(self, value, attr, data, **kwargs):
        mac = normalize_mac(super()._deserialize(value, attr, data, **kwargs))
        if mac is None:
            raise self.make_error("invalid_mac")
        return mac


class Imei(fields.String):
    """A 15-digit IMEI whose check digit is valid."""

    default_error_messages = {"invalid_imei": "Not a valid IMEI (15 digits with a valid check digit)."}

    def __init__(self, **kw):
        super().__init__(**_documented(kw, format="imei", pattern=r"^[0-9 ./-]{15,40}$"))

    def _deserialize(self, value, attr, data, **kwargs):
        imei = normalize_imei(super()._deserialize(value, attr, data, **kwargs))
        if imei is None:
            raise self.make_error("invalid_imei")
        return imei


class IPAddress(fields.IP):
    """An IPv4 or IPv6 address, loaded as its canonical text."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else str(value)

    def _deserialize(self, value, attr, data, **kwargs):
        return str(super()._deserialize(value, attr, data, **kwargs))


class Trimmed(fields.String):
    """A string with surrounding blanks removed; blank means None where None is allowed."""

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if self.allow_none and isinstance(value, str) and not value.strip():
            return None
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


# OpenAPI for a flat map (custom fields, specs): at most 100 keys, scalar values. (Keys of 1 to 64 characters
# need propertyNames, which OpenAPI 3.0 lacks: said in the description.)
FLAT = {"maxProperties": 100, "description": "Flat map: keys of 1 to 64 characters, values string, number, boolean or null",
        "additionalProperties": {"nullable": True, "anyOf": [{"type": "string", "maxLength": 1000}, {"type": "number"},
                                                              {"type": "boolean"}]}}


def validate_flat(value: dict) -> None:
    """Custom fields are a flat map of short keys to scalars."""
    if len(value) > 100:
        raise ValidationError("At most 100 custom fields.")
    for key, item in value.items():
        if not isinstance(key, str) or not 1 <= len(key) <= 64:
            raise ValidationError("Keys are strings of 1 to 64 characters.")
        if item is not None and not isinstance(item, (str, int, float, bool)):
            raise ValidationError(f"'{key}': values must be a string, number, boolean or null, not a list or object.")
        if isinstance(item, str) and len(item) > 1000:
            raise ValidationError(f"'{key}': at most 1000 characters.")
        if isinstance(item, float) and item != item:  # NaN does not survive JSON
            raise ValidationError(f"'{key}': not a number.")


CURRENCY = validate.Regexp(r"^[A-Z]{3}$", error="An ISO 4217 code in capitals, e.g. EUR.")
