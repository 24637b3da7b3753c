"""Rule 21 (part): every project the 预算说明 lists has a 项目支出绩效目标表.

The 说明 names the projects its 项目支出 pays for in prose ("主要用于甲、乙、丙等方面", seed 001 §四
（二）). Each listed name should match a project target set. Names are compared without quotes
and without the 专项/经费/工作/费/项目 endings the two texts add or drop (行政审批服务宣传 ↔
行政审批服务宣传专项); a name that matches no set by equality or containment is reported. A
doubtful match stays quiet: the rule only speaks when no set resembles the name at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from jixiao.findings import Finding
from jixiao.findings import make
from jixiao.model.document import Document
from jixiao.rules import Context
from jixiao.rules import rule
from jixiao.rules._targets_common import clean

_LISTED = re.compile(r"主要用于(?P<names>[^。；;]+?)等(方面|项目|支出|工作)")
_ENDINGS = re.compile(r"(专项|经费|工作|费用|费|项目|支出)+$")
_QUOTES = re.compile(r"[“”\"'‘’「」《》]")


def project_key(name: str) -> str:
    """``“12345”市民热线工作专项经费`` → ``12345市民热线``."""
    return _ENDINGS.sub("", _QUOTES.sub("", clean(name)))


@rule("targets.projects-listed", codes=("project-target-missing",), family="funds", profiles=("targets",))
def check_listed_projects(doc: Document, ctx: Context) -> Iterator[Finding]:
    """DOMAIN §6 rule 21 XDOC-TARGET-BUDGET (W): every budgeted project has a target table — the
    projects the narrative lists under 项目支出 against the project target sets."""
    keys = [
        project_key(s.project)
        for t in doc.tables
        if t.kind == "project_targets"
        for s in getattr(t, "target_sets", ())
        if s.project
    ]
    if not keys:
        return
    for section in doc.sections:
        for m in _LISTED.finditer(section.text):
            for name in re.split(r"[、，,]", m.group("names")):
                key = project_key(name)
                if len(key) < 2 or any(key == k or key in k or k in key for k in keys):
                    continue
                yield make("project-target-missing", section.location, subject="项目支出", project=name.strip())
