"""CSV and XLSX of the scorecard: the CSV is the plain table of the page's indicator rows, cell for
cell as shown (formatting.export_row); the XLSX is the whole sheet with numeric cells (scorecard/xlsx.py).

User text never becomes a spreadsheet formula (citiesalliance.formula_guard)."""
import io

from django.http import HttpResponse

from citiesalliance.formula_guard import csv_bytes, xlsx_workbook

from . import xlsx
from .formatting import EXPORT_HEADERS
from .headings import export_headers

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(*, rows: list[list[str]], fmt: str, filename: str, title: str,
                    sheet: xlsx.Sheet | None = None) -> HttpResponse:
    if fmt == "csv":
        content = csv_bytes(headers=export_headers(EXPORT_HEADERS), rows=rows)  # BOM: Excel opens UTF-8 (—, ▲, é) correctly
    else:
        book = (xlsx.workbook(sheet, sheet_title=title) if sheet is not None
                else xlsx_workbook(headers=export_headers(EXPORT_HEADERS), rows=rows, title=title))
        stream = io.BytesIO()
        book.save(stream)
        content = stream.getvalue()
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
