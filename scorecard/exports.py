"""CSV and XLSX of the scorecard's rows: the same cells the page shows (formatting.export_row).

User text never becomes a spreadsheet formula (citiesalliance.formula_guard)."""
import io

from django.http import HttpResponse

from citiesalliance.formula_guard import csv_bytes, xlsx_workbook

from .formatting import EXPORT_HEADERS

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(*, rows: list[list[str]], fmt: str, filename: str, title: str) -> HttpResponse:
    if fmt == "csv":
        content = csv_bytes(headers=EXPORT_HEADERS, rows=rows)  # BOM: Excel opens UTF-8 (—, ▲, é) correctly
    else:
        book = xlsx_workbook(headers=EXPORT_HEADERS, rows=rows, title=title)
        stream = io.BytesIO()
        book.save(stream)
        content = stream.getvalue()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
