"""Places left to the department in a generated report or 说明, still unfilled (issue 10).

jixiao writes the 部门整体支出绩效自评报告 (write.selfeval_report) and the 部门预算说明 from the stored
data and prints ``【待填写：what to write】`` (``model.narrative.fill_marker``) where only the department
can write: its functions and staff, the problems and their causes, the next steps, the reason of a
change. A document read back with such a marker in one of its paragraphs was handed in unfinished.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.model.narrative import fill_marker
from jixiao.rules import Context
from jixiao.rules import rule

# the marker (model.narrative.fill_marker) as the readers give it back: spaces may be inserted (PDF text),
# the colon may be half-width
MARKER = re.compile(r"【\s*待\s*填\s*写\s*[：:]\s*(?P<place>[^】]{1,80}?)\s*】")


def _subject(doc: Document) -> str:
    what = {"self_evaluation_report": "自评报告", "budget_disclosure": "预算公开说明"}.get(doc.kind or "", "文件")
    return f"{doc.org}{what}" if doc.org else what


@rule("text.fill-empty", codes=("report-fill-empty",), family="text", profiles=("self-evaluation", "disclosure"))
def check_fill_marks(doc: Document, ctx: Context) -> Iterator[Finding]:
    """Issue 10: a generated report or 说明 leaves 【待填写：…】 where only the department can write; every
    marker still in a paragraph read back is an error, located at its paragraph."""
    seen: set[tuple[str, object]] = set()
    for p in doc.paragraphs:
        for m in MARKER.finditer(p.text):
            place = re.sub(r"\s+", "", m["place"])
            if (place, p.location) in seen:
                continue
            seen.add((place, p.location))
            yield make("report-fill-empty", p.location, subject=_subject(doc), place=place,
                       marker=fill_marker(place), expected="单位填写的内容", actual=m.group(),
                       source_text=p.text)
