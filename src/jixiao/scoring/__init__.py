"""Self-evaluation scoring (自评打分, DOMAIN §2.2–2.4).

* :func:`parse_rule` — a printed 评（扣）分标准 → a :class:`ScoringRule` of one family, or None
  and a finding saying why (:mod:`jixiao.scoring.rules`).
* :func:`score_indicator` — the rule (or the default method) applied to target/actual/weight →
  :class:`Score` with a Chinese explanation (:mod:`jixiao.scoring.score`).
* :func:`execution_rate_score`, :func:`grade` and the province data in :class:`ScoringProfile`
  (:mod:`jixiao.scoring.methods`).
* :mod:`jixiao.scoring.selfeval_checks` — checks over a scored 自评表.
"""

from jixiao.scoring.methods import DEFAULT_PROFILE
from jixiao.scoring.methods import PROFILES
from jixiao.scoring.methods import ScoringProfile
from jixiao.scoring.methods import completion_rate
from jixiao.scoring.methods import grade
from jixiao.scoring.rules import FAMILIES
from jixiao.scoring.rules import ScoringRule
from jixiao.scoring.rules import parse_rule
from jixiao.scoring.score import Score
from jixiao.scoring.score import execution_rate_score
from jixiao.scoring.score import score_indicator

__all__ = [
    "DEFAULT_PROFILE",
    "FAMILIES",
    "PROFILES",
    "Score",
    "ScoringProfile",
    "ScoringRule",
    "completion_rate",
    "execution_rate_score",
    "grade",
    "parse_rule",
    "score_indicator",
]
