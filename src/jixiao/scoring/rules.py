"""Scoring rules (评（扣）分标准): the families as data and the parser.

``parse_rule(text, weight)`` → ``(ScoringRule | None, findings)``. The families live in
:mod:`jixiao.scoring.families`, the grammar in :mod:`jixiao.scoring.rule_parser`; this module is
the stable import point for both.
"""

from jixiao.scoring.families import COUNT
from jixiao.scoring.families import EXCESS
from jixiao.scoring.families import FAMILIES
from jixiao.scoring.families import FULL
from jixiao.scoring.families import NOTHING
from jixiao.scoring.families import SHORTFALL
from jixiao.scoring.families import Band
from jixiao.scoring.families import BandTable
from jixiao.scoring.families import BasePlusIncrements
from jixiao.scoring.families import Binary
from jixiao.scoring.families import Counts
from jixiao.scoring.families import DeductionPerUnit
from jixiao.scoring.families import DeviationSteps
from jixiao.scoring.families import Grade
from jixiao.scoring.families import PartialCredit
from jixiao.scoring.families import Points
from jixiao.scoring.families import QualitativeGrades
from jixiao.scoring.families import RescaledLinear
from jixiao.scoring.families import ScoringRule
from jixiao.scoring.families import ThresholdDeduction
from jixiao.scoring.families import ThresholdLinear
from jixiao.scoring.families import pts
from jixiao.scoring.families import share
from jixiao.scoring.families import weight_conflict
from jixiao.scoring.rule_parser import parse_rule

__all__ = [
    "COUNT",
    "EXCESS",
    "FAMILIES",
    "FULL",
    "NOTHING",
    "SHORTFALL",
    "Band",
    "BandTable",
    "BasePlusIncrements",
    "Binary",
    "Counts",
    "DeductionPerUnit",
    "DeviationSteps",
    "Grade",
    "PartialCredit",
    "Points",
    "QualitativeGrades",
    "RescaledLinear",
    "ScoringRule",
    "ThresholdDeduction",
    "ThresholdLinear",
    "parse_rule",
    "pts",
    "share",
    "weight_conflict",
]
