"""A RawDocument shown as text or JSON (``jixiao convert``): for debugging a layout.

The text dump puts every paragraph and table row on the line its location names
(``Location.line``): paragraphs as they are, rows as tab-separated cells, blank lines where
the reader left them (between pages). Re-read by the text reader, a dump gives the same rows.
"""

from __future__ import annotations

from jixiao.readers.grid import Grid
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import RawDocument


def to_text(raw: RawDocument) -> str:
    lines: list[str] = []
    for item in raw.lines():
        text = item.text if isinstance(item, Paragraph) else "\t".join(item.texts)
        line = item.location.line
        if line is not None:
            while len(lines) < line - 1:
                lines.append("")
        lines.append(text)
    return "\n".join(lines) + "\n"


def to_json(raw: RawDocument) -> dict:
    blocks = []
    for block in raw.blocks:
        if isinstance(block, Grid):
            blocks.append({
                "type": "table",
                "location": str(block.location),
                "merges": [[m.first_row, m.first_col, m.last_row, m.last_col] for m in block.merges],
                "rows": [{"location": str(row.location), "cells": row.texts} for row in block.rows],
            })
        else:
            blocks.append({"type": "paragraph", "location": str(block.location), "text": block.text})
    return {"source": raw.source, "layout": raw.layout, "blocks": blocks}
