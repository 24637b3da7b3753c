"""Codes of band tables whose bands overlap (issue 7: scoring texts nobody here has seen).

A printed ``90%-100%得满分，80%-90%得8分`` holds 90% in both bands; ``≥90%得10分，≥80%得8分`` holds
every value from 90% in both. Such a text is parsed: a value in one band only is scored by it, a
value in several by the most favourable one (ties: the band printed first), and both the overlap
(when parsed) and an actual value that falls in it (when scored) are reported.
"""

from jixiao.findings.catalog import FindingType
from jixiao.findings.finding import Severity

WARN = Severity.WARNING
_SRC = "DOMAIN §2.2 (per-indicator curves in 评（扣）分标准)"

CODES: tuple[FindingType, ...] = (
    FindingType(
        "scoring-rule-bands-overlap",
        WARN,
        "评分档次重叠",
        "{prefix}评分标准“{text}”的档次重叠：{overlaps}；实际值只落在其中一档时按该档计分，"
        "同时落在几档时按得分较高的一档计",
        _SRC,
        ("scoring",),
    ),
    FindingType(
        "scoring-band-ambiguous",
        WARN,
        "实际值落在重叠的评分档次",
        "{prefix}实际值 {value} 同时落在 {bands} 几档（评分标准档次重叠），按得分较高的“{chosen}”计 {points}，请核实",
        _SRC,
        ("scoring",),
    ),
)
