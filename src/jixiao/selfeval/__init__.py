"""单位自评 (self-evaluation) workflow: actuals template → filled actuals → 自评表 (issue 4 part 5).

* :func:`write_template` — one row per indicator and one budget row per target set of a parsed
  document, to be filled by finance staff (:mod:`jixiao.selfeval.template`).
* :func:`read_actuals` / :func:`match_actuals` — the filled workbook read back and paired with
  the document's indicators (:mod:`jixiao.selfeval.actuals`).
* :func:`score_document` — pure: Document + matched actuals → :class:`Scorecard` with every
  indicator's Score, the 预算执行率 score, total and grade per target set (:mod:`jixiao.selfeval.scorecard`).

Sits on top of ``model``, ``parse`` output, ``scoring`` and ``findings``. The 自评表 and the 自评报告 are
written from a Scorecard by ``jixiao.write.selfeval_table`` / ``jixiao.write.selfeval_report``.
"""

from jixiao.selfeval.actuals import Actuals
from jixiao.selfeval.actuals import Match
from jixiao.selfeval.actuals import match_actuals
from jixiao.selfeval.actuals import read_actuals
from jixiao.selfeval.scorecard import Scorecard
from jixiao.selfeval.scorecard import score_document
from jixiao.selfeval.template import write_template

__all__ = [
    "Actuals",
    "Match",
    "Scorecard",
    "match_actuals",
    "read_actuals",
    "score_document",
    "write_template",
]
