"""Views for plain records (list, create, get, change, delete), made once for each resource."""

from collections.abc import Callable
from dataclasses import dataclass

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema

from ..extensions import db
from ..services.records import get_or_404
from .common import ctx, documents


@dataclass
class Resource:
    path: str  # e.g. "/departments"
    label: str  # e.g. "department"
    model: type
    schema: type[Schema]
    page_schema: type[Schema]
    query_schema: type[Schema]
    list: Callable
    save: Callable  # save(data, ctx, obj=None)
    delete: Callable  # delete(obj, ctx)


def _doc(text: str):
    def wrap(func):
        func.__doc__ = text
        return func

    return wrap


def register(blp: Blueprint, res: Resource) -> None:
    label, model = res.label, res.model
    name = label.title().replace(" ", "")

    class Collection(MethodView):
        @blp.arguments(res.query_schema, location="query")
        @blp.response(200, res.page_schema)
        @documents(blp, 400)
        @_doc(f"List {label}s")
        def get(self, args):
            items, cursor = res.list(args)
            return {"items": items, "next_cursor": cursor}

        @blp.arguments(res.schema)
        @blp.response(201, res.schema)
        @documents(blp, 409)
        @_doc(f"Create a {label}")
        def post(self, data):
            obj = res.save(data, ctx())
            db.session.commit()
            return obj

    class Item(MethodView):
        @blp.response(200, res.schema)
        @documents(blp, 404)
        @_doc(f"Get a {label}")
        def get(self, object_id):
            return get_or_404(model, object_id, label.capitalize())

        @blp.arguments(res.schema(partial=True), required=False)
        @blp.response(200, res.schema)
        @documents(blp, 404, 409)
        @_doc(f"Change some fields of a {label}")
        def patch(self, data, object_id):
            obj = res.save(data, ctx(), get_or_404(model, object_id, label.capitalize()))
            db.session.commit()
            return obj

        @blp.response(204)
        @documents(blp, 404, 409)
        @_doc(f"Delete a {label} that nothing refers to")
        def delete(self, object_id):
            res.delete(get_or_404(model, object_id, label.capitalize()), ctx())
            db.session.commit()

    Collection.__name__, Item.__name__ = f"{name}s", f"{name}ById"
    blp.route(res.path, endpoint=f"{name}s")(Collection)
    blp.route(f"{res.path}/<int:object_id>", endpoint=f"{name}ById")(Item)
