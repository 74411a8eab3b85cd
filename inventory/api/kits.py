"""Kits: what a new hire in a given role gets."""

from ..models import Kit
from ..schemas import kits as s
from ..services import kits as service
from .common import blueprint
from .crud import Resource, register

blp = blueprint("kits", "Kits: named templates (per job title or department) of the equipment a new hire gets.")

register(blp, Resource("/kits", "kit", Kit, s.KitSchema, s.KitPageSchema, s.KitQueryArgsSchema, service.list_kits,
                       service.save_kit, service.delete_kit))
