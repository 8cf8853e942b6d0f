"""CSV and XLSX of the scorecard's rows: the same cells the page shows (formatting.export_row)."""
import tablib
from django.http import HttpResponse

from .formatting import EXPORT_HEADERS

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def dataset(rows: list[list[str]], title: str) -> tablib.Dataset:
    data = tablib.Dataset(headers=EXPORT_HEADERS, title=title[:31])
    for row in rows:
        data.append(row)
    return data


def export_response(*, rows: list[list[str]], fmt: str, filename: str, title: str) -> HttpResponse:
    data = dataset(rows, title)
    content = data.export(fmt)
    if fmt == "csv":
        content = "\ufeff" + content  # so Excel opens UTF-8 (—, ▲, é) correctly
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
