"""HR and finance reports, as JSON or CSV (?format=csv or Accept: text/csv)."""

from flask import current_app, request
from flask.views import MethodView

from ..models.base import utcnow
from ..schemas import reports as s
from ..services import finance, reports
from ..services.changelog import jsonable
from .common import blueprint, documents, json_response
from .pages import wants

blp = blueprint("reports", "Reports for HR and finance: who holds what, returns, leavers, book values, warranties.")


def _answer(name: str, columns: str, rows: list[dict], args: dict, **extra):
    if wants(request, args.get("format"), "csv"):
        response = current_app.response_class(reports.to_csv(reports.COLUMNS[columns], rows), 200,
                                              mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}-{utcnow():%Y%m%d}.csv"'
        return response
    return json_response({"report": name, "generated_at": utcnow().isoformat(), **jsonable(extra),
                          "columns": reports.COLUMNS[columns], "rows": jsonable(rows)})


def _csv_doc(func):
    return blp.alt_response(200, description="The report: JSON, or its rows as CSV (text/csv)", content_type="text/csv", success=True,
                          schema={"type": "string"})(func)


@blp.route("/reports/equipment")
class Equipment(MethodView):
    @blp.arguments(s.EquipmentArgsSchema, location="query")
    @blp.response(200, s.ReportSchema)
    @_csv_doc
    @documents(blp, 422)
    def get(self, args):
        """Equipment per employee or per department (?by=): count, value, acknowledgement states"""
        data = reports.equipment(args["by"])
        return _answer(f"equipment-by-{args['by']}", f"equipment_{args['by']}", data["rows"], args, by=args["by"])


@blp.route("/reports/outstanding-returns")
class OutstandingReturns(MethodView):
    @blp.arguments(s.ReportArgsSchema, location="query")
    @blp.response(200, s.ReportSchema)
    @_csv_doc
    @documents(blp, 422)
    def get(self, args):
        """Every open offboarding line, overdue first"""
        return _answer("outstanding-returns", "outstanding_returns", reports.outstanding_returns()["rows"], args)


@blp.route("/reports/leavers-holding")
class LeaversHolding(MethodView):
    @blp.arguments(s.ReportArgsSchema, location="query")
    @blp.response(200, s.ReportSchema)
    @_csv_doc
    @documents(blp, 422)
    def get(self, args):
        """People past their last day who still hold equipment, one row per item"""
        return _answer("leavers-holding", "leavers_holding", reports.leavers_holding()["rows"], args)


@blp.route("/reports/depreciation")
class Depreciation(MethodView):
    @blp.arguments(s.DepreciationArgsSchema, location="query")
    @blp.response(200, s.ReportSchema)
    @_csv_doc
    @documents(blp, 422)
    def get(self, args):
        """Straight-line book values per asset or per department (?by=), on ?as_of= (default today)"""
        data = finance.depreciation(args.get("as_of"), args["by"])
        return _answer(f"depreciation-by-{args['by']}", f"depreciation_{args['by']}", data["rows"], args,
                       as_of=data["as_of"], by=args["by"])


@blp.route("/reports/warranties")
class Warranties(MethodView):
    @blp.arguments(s.WarrantyArgsSchema, location="query")
    @blp.response(200, s.ReportSchema)
    @_csv_doc
    @documents(blp, 422)
    def get(self, args):
        """Assets whose warranty ends within ?within_days= (default 30), soonest first"""
        data = finance.warranties(args["within_days"])
        return _answer("warranties", "warranties", data["rows"], args, within_days=args["within_days"])
