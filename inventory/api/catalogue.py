"""Catalogue: manufacturers and asset models."""

from ..models import AssetModel, Manufacturer
from ..schemas import catalogue as s
from ..services import catalogue as service
from .common import blueprint
from .crud import Resource, register

blp = blueprint("catalogue", "Catalogue: manufacturers and the models assets are instances of.")

register(blp, Resource("/manufacturers", "manufacturer", Manufacturer, s.ManufacturerSchema, s.ManufacturerPageSchema,
                       s.ManufacturerQueryArgsSchema, service.list_manufacturers, service.save_manufacturer,
                       service.delete_manufacturer))
register(blp, Resource("/models", "model", AssetModel, s.AssetModelSchema, s.AssetModelPageSchema,
                       s.AssetModelQueryArgsSchema, service.list_models, service.save_model, service.delete_model))
