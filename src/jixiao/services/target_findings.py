"""Which target set a stored finding is about (``Finding.target_set_id``, migration 0002).

Findings are stored per document version; editing a target set re-reviews that set alone, so
its findings must be told apart from the rest of the document's. A finding belongs to a target
set when its location is one of the set's own places (the set, its 资金 cells, an indicator, a
placeholder, a task, an expense detail or a header cell), else — for line-numbered locations (text, and every
format's converted text) — when its line lies between the set's first and last line and no
other set of the same file claims that line. Anything else (a table title, a narrative section,
a finding two sets could own) stays with the document only (``target_set_id`` NULL).

The import attributes its findings here; editing (``services/editing.py``) attributes the
findings it creates to the edited set.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence

from jixiao.store import schema as db
from jixiao.store.content import parse_location


def set_locations(ts: db.TargetSet, indicators: Iterable[db.Indicator]) -> set[str]:
    """Every location text a target set's rows carry."""
    extra = ts.extra or {}
    places = {ts.location, extra.get("amounts_location")}
    places.update(i.location for i in indicators)
    for part in ("tasks", "details", "placeholders"):
        places.update(item.get("location") for item in extra.get(part, []))
    places.update(where for _name, _text, where in extra.get("texts", []))
    return {p for p in places if p}


def _span(places: set[str]) -> tuple[str, int, int] | None:
    lines = [(loc.file, loc.line) for loc in map(parse_location, places) if loc.line is not None]
    files = {f for f, _ in lines}
    if len(files) != 1:
        return None
    numbers = [n for _, n in lines]
    return files.pop(), min(numbers), max(numbers)


def attribute(findings: Sequence[db.Finding], sets: Sequence[tuple[db.TargetSet, Sequence[db.Indicator]]]) -> None:
    """Set ``target_set_id`` on each finding that belongs to exactly one of ``sets`` (ids assigned)."""
    places = [(ts.id, set_locations(ts, indicators)) for ts, indicators in sets]
    spans = [(ts_id, _span(p)) for ts_id, p in places]
    for f in findings:
        if not f.location:
            continue
        exact = [ts_id for ts_id, p in places if f.location in p]
        if len(exact) == 1:
            f.target_set_id = exact[0]
            continue
        if exact:
            continue  # two sets print at the same place: the document's
        loc = parse_location(f.location)
        if loc.line is None:
            continue
        within = [ts_id for ts_id, span in spans
                  if span is not None and span[0] == loc.file and span[1] <= loc.line <= span[2]]
        if len(within) == 1:
            f.target_set_id = within[0]
