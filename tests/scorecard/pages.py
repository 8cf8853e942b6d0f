"""Read the scorecard table the way a reader sees it: one dict per indicator row."""
from html.parser import HTMLParser


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: dict[str, list[dict]] = {}
        self._code = None
        self._cell = None
        self._span = []  # stack of span classes inside the current cell

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-code" in attrs:
            self._code = attrs["data-code"]
            self.rows[self._code] = []
        elif tag == "td" and self._code:
            self._cell = {"text": "", "v": "", "p": ""}
            self.rows[self._code].append(self._cell)
        elif tag == "span" and self._cell is not None:
            self._span.append(attrs.get("class", ""))

    def handle_endtag(self, tag):
        if tag == "tr":
            self._code = None
        elif tag == "td":
            self._cell = None
            self._span = []
        elif tag == "span" and self._span:
            self._span.pop()

    def handle_data(self, data):
        if self._cell is None:
            return
        self._cell["text"] += data
        for cls in ("v", "p"):
            if cls in self._span:
                self._cell[cls] += data


def page_rows(html: str) -> dict[str, dict]:
    """{code: {code, name, baseline, baseline_period, actual, actual_period, target, target_period,
    preliminary, progress, status, trend}} as shown on the page."""
    parser = _Rows()
    parser.feed(html)
    rows = {}
    for code, cells in parser.rows.items():
        target_period = cells[4]["p"].strip()
        preliminary = target_period.endswith("preliminary")
        rows[code] = {
            "code": cells[0]["text"].strip(),
            "name": cells[1]["v"].strip(),
            "detail": cells[1]["p"].strip(),
            "baseline": cells[2]["v"].strip(), "baseline_period": cells[2]["p"].strip(),
            "actual": cells[3]["v"].strip(), "actual_period": cells[3]["p"].strip(),
            "target": cells[4]["v"].strip(),
            "target_period": target_period.removesuffix("preliminary").strip(),
            "preliminary": preliminary,
            "progress": cells[5]["v"].strip(),
            "status": cells[6]["text"].strip(),
            "trend": cells[7]["text"].strip(),
        }
    return rows
