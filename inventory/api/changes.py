"""The change log, read only."""

from flask.views import MethodView

from ..schemas.change import ChangePageSchema, ChangeQueryArgsSchema
from ..services import changelog
from .common import blueprint, documents

blp = blueprint("changes", "The change log: every create, update, delete, checkout and checkin.")


@blp.route("/changes")
class Changes(MethodView):
    @blp.arguments(ChangeQueryArgsSchema, location="query")
    @blp.response(200, ChangePageSchema)
    @documents(blp, 400)
    def get(self, args):
        """List changes, newest first, filtered by object, action, actor or time"""
        items, cursor = changelog.list_changes(args)
        return {"items": items, "next_cursor": cursor}
