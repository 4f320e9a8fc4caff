"""The floor: the first page of published events from one raw SQL query, as JSON, no framework.

No serializer, no ORM, no pagination class: what the API's event list could cost at the least
for the same rows (the API adds each event's category, actors, citations and crises).
"""

from __future__ import annotations

import json

from django.db import connection
from django.http import HttpRequest, HttpResponse

# The same query Datasette is given (bench.scale.DATASETTE_SQL), so the three compare like for like.
SQL = (
    "SELECT e.id, e.title, e.start_date, e.end_date, e.date_precision, c.slug AS category "
    "FROM timeline_event e JOIN timeline_eventcategory c ON c.id = e.category_id "
    "WHERE e.status = 'published' ORDER BY e.start_date, e.id LIMIT 100"
)


def raw_events(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(SQL)
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return HttpResponse(json.dumps({"results": rows}, default=str), content_type="application/json")
