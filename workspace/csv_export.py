"""CSV files for organizers: a header row, only what the page itself shows them, and cells a
spreadsheet would run as a formula made plain text (OWASP's advice: a leading apostrophe)."""

import csv

from django.http import HttpResponse
from django.utils.text import slugify

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value) -> str:
    """The cell as text, never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_response(*, name: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "export"}.csv"'
    writer = csv.writer(response)
    writer.writerow([neutralize(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralize(cell) for cell in row])
    return response
