"""Small HTML pages the API serves: the printable offboarding receipt and the acknowledgement page."""

from flask import current_app, render_template_string

# No inline style or script (the Content-Security-Policy forbids them): plain HTML that prints well.
RECEIPT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Clearance receipt: {{ r.employee_name }}</title></head>
<body>
<h1>Equipment clearance receipt</h1>
<table>
<tr><th scope="row">Employee</th><td>{{ r.employee_name }} ({{ r.employee_number }})</td></tr>
<tr><th scope="row">Department</th><td>{{ r.department or "-" }}</td></tr>
<tr><th scope="row">Last day</th><td>{{ r.last_day }}</td></tr>
<tr><th scope="row">Case</th><td>{{ r.id }}, opened {{ r.opened_at.strftime("%Y-%m-%d %H:%M UTC") }}
 by {{ r.opened_by }}</td></tr>
<tr><th scope="row">Cleared</th><td>{{ r.cleared_at.strftime("%Y-%m-%d %H:%M UTC") }} by {{ r.cleared_by }}</td></tr>
</table>
<h2>Items ({{ r["items"]|length }})</h2>
<table border="1" cellpadding="4">
<thead><tr><th>Asset</th><th>Kind</th><th>Model</th><th>Serial</th><th>Closed as</th><th>Detail</th>
<th>When</th><th>By</th></tr></thead>
<tbody>
{% for i in r["items"] %}<tr><td>{{ i.asset_tag or "-" }}</td><td>{{ i.asset_kind or "-" }}</td>
<td>{{ i.model or "-" }}</td><td>{{ i.serial_number or "-" }}</td><td>{{ i.resolution }}</td>
<td>{% if i.transferred_to_name %}to {{ i.transferred_to_name }}. {% endif %}{% if i.condition %}condition:
 {{ i.condition }}. {% endif %}{{ i.note or "" }}</td>
<td>{{ i.closed_at.strftime("%Y-%m-%d %H:%M UTC") }}</td><td>{{ i.closed_by }}</td></tr>
{% else %}<tr><td colspan="8">The employee held no equipment.</td></tr>{% endfor %}
</tbody></table>
<p>Signature (employee): ______________________ &nbsp; Signature (IT/HR): ______________________</p>
</body></html>"""

ACKNOWLEDGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Equipment issued to {{ i.employee_name }}</title></head>
<body>
<h1>Equipment issued to {{ i.employee_name }}</h1>
{% if done %}<p><strong>Thank you: your answer ({{ i.state }}) was recorded.</strong></p>{% endif %}
<table>
<tr><th scope="row">Asset</th><td>{{ i.asset_tag }} ({{ i.kind }})</td></tr>
<tr><th scope="row">Model</th><td>{{ i.model or "-" }}</td></tr>
<tr><th scope="row">Serial number</th><td>{{ i.serial_number or "-" }}</td></tr>
<tr><th scope="row">Issued</th><td>{{ i.checked_out_at.strftime("%Y-%m-%d %H:%M UTC") }}</td></tr>
{% if i.due_back %}<tr><th scope="row">Due back</th><td>{{ i.due_back }}</td></tr>{% endif %}
</table>
{% if not done %}
<form method="post">
<p><label><input type="radio" name="decision" value="accept" checked> I received this equipment.</label></p>
<p><label><input type="radio" name="decision" value="refuse"> I refuse it, because:</label></p>
<p><textarea name="reason" rows="3" cols="60" maxlength="2000"></textarea></p>
<p><button type="submit">Send</button> (this link works once, until
 {{ i.expires_at.strftime("%Y-%m-%d %H:%M UTC") }})</p>
</form>
{% endif %}
</body></html>"""


def html(template: str, **context):
    """An HTML response from one of the templates above (autoescaped)."""
    return current_app.response_class(render_template_string(template, **context), 200, mimetype="text/html")


def wants(request, fmt: str | None, alternative: str) -> bool:
    """True if ?format= or, failing it, the Accept header prefers the alternative (html, csv) over JSON."""
    if fmt:
        return fmt == alternative
    mime = {"html": "text/html", "csv": "text/csv"}[alternative]
    return request.accept_mimetypes.best_match(["application/json", mime]) == mime
