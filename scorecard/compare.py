"""What moved between two editions: status changes, progress deltas, indicators added or removed.

Pure: it reads the frozen JSON of two editions (their `sections`), never the live data.
"""
from __future__ import annotations

from decimal import Decimal

from .formatting import STATUS_LABELS, STATUS_ORDER

# Better first, for saying whether a status change is an improvement.
_RANK = {"on_track": 3, "needs_attention": 2, "off_track": 1, "no_data": 0}


def _rows(sections: list) -> dict[str, dict]:
    return {
        row["code"]: dict(row, level_name=section["level_name"])
        for section in sections for result in section["results"] for row in result["rows"]
    }


def points(delta: Decimal) -> str:
    """A progress change in percentage points: +12 pp, -3 pp, 0 pp."""
    value = (delta * 100).quantize(Decimal("1"))
    if value == 0:
        return "0 pp"
    return f"{'+' if value > 0 else '−'}{abs(value)} pp"


def editions_compare(older_sections: list, newer_sections: list) -> dict:
    """Rows of both editions matched by indicator code, the changes first."""
    older, newer = _rows(older_sections), _rows(newer_sections)
    changed, unchanged = [], []
    for code, new in newer.items():
        old = older.get(code)
        if old is None:
            continue
        delta = None
        if old.get("progress_raw") is not None and new.get("progress_raw") is not None:
            delta = Decimal(new["progress_raw"]) - Decimal(old["progress_raw"])
        status_changed = old["status"] != new["status"]
        direction = ""
        if status_changed and old["status"] in _RANK and new["status"] in _RANK:
            direction = "better" if _RANK[new["status"]] > _RANK[old["status"]] else "worse"
        entry = {
            "code": code, "name": new["name"], "level_name": new["level_name"], "url": new.get("url", ""),
            "old_status": old["status"], "old_status_label": STATUS_LABELS[old["status"]],
            "new_status": new["status"], "new_status_label": STATUS_LABELS[new["status"]],
            "old_progress": old["progress"], "new_progress": new["progress"],
            "old_actual": old["actual"], "new_actual": new["actual"],
            "delta": points(delta) if delta is not None else "",
            "status_changed": status_changed, "direction": direction,
        }
        moved = status_changed or (delta is not None and delta != 0) or old["actual"] != new["actual"] \
            or old["target"] != new["target"]
        (changed if moved else unchanged).append(entry)
    added = [dict(code=c, name=r["name"], level_name=r["level_name"], status=r["status"],
                  status_label=r["status_label"], progress=r["progress"]) for c, r in newer.items() if c not in older]
    removed = [dict(code=c, name=r["name"], level_name=r["level_name"], status=r["status"],
                    status_label=r["status_label"], progress=r["progress"]) for c, r in older.items() if c not in newer]
    return {
        "changed": changed, "unchanged": unchanged, "added": added, "removed": removed,
        "status_changes": sum(1 for e in changed if e["status_changed"]),
        "better": sum(1 for e in changed if e["direction"] == "better"),
        "worse": sum(1 for e in changed if e["direction"] == "worse"),
    }


def counts_compare(older_summary: dict, newer_summary: dict) -> list[dict]:
    """Counts by status in both editions, with the difference."""
    old = {c["status"]: c["count"] for c in older_summary.get("counts", [])}
    new = {c["status"]: c["count"] for c in newer_summary.get("counts", [])}
    return [
        {"status": s, "label": STATUS_LABELS[s], "old": old.get(s, 0), "new": new.get(s, 0),
         "delta": new.get(s, 0) - old.get(s, 0)}
        for s in STATUS_ORDER
    ]
