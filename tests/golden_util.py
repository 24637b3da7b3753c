"""Golden files: compare a JSON-able value to tests/golden/<name>, or rewrite it.

Set JIXIAO_UPDATE_GOLDEN=1 (``make golden``) to rewrite; review the diff by hand against the
source documents before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def check_golden(name: str, value: object) -> None:
    path = GOLDEN / name
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if os.environ.get("JIXIAO_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"missing golden file {path}; run make golden and review it"
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(text) == expected, f"{name} differs from its golden file (make golden, then review the diff)"
