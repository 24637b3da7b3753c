"""Every 评（扣）分标准 of seed 001 parses to an asserted rule or is listed as not parseable.

The texts are read from the seed itself (the 项目/部门整体支出绩效目标表 part: every tab cell that
reads like a scoring rule) together with the weight printed at the end of its row (备注). A new
distinct text in the seed that is in neither table makes ``test_every_seed_text_is_classified`` fail.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

import pytest

from jixiao.findings.catalog import CATALOG
from jixiao.scoring.rules import COUNT
from jixiao.scoring.rules import EXCESS
from jixiao.scoring.rules import FAMILIES
from jixiao.scoring.rules import FULL
from jixiao.scoring.rules import NOTHING
from jixiao.scoring.rules import SHORTFALL
from jixiao.scoring.rules import Band
from jixiao.scoring.rules import BandTable
from jixiao.scoring.rules import BasePlusIncrements
from jixiao.scoring.rules import Binary
from jixiao.scoring.rules import Counts
from jixiao.scoring.rules import DeductionPerUnit
from jixiao.scoring.rules import DeviationSteps
from jixiao.scoring.rules import Grade
from jixiao.scoring.rules import PartialCredit
from jixiao.scoring.rules import QualitativeGrades
from jixiao.scoring.rules import RescaledLinear
from jixiao.scoring.rules import ScoringRule
from jixiao.scoring.rules import ThresholdLinear
from jixiao.scoring.rules import parse_rule
from jixiao.scoring.rules import pts
from jixiao.scoring.rules import share
from tests.conftest import seed

D = Decimal
_SCORING_CELL = re.compile(r"不得分|满分|[得计扣加]\s*[\d.X一二两]+\s*分|得分|指标分值|扣完")


@cache
def seed_rule_cells() -> dict[str, frozenset[Decimal | None]]:
    """Distinct scoring texts of seed 001 → the weights printed on their rows (None: no weight)."""
    lines = seed("001").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## 2023年项目支出绩效目标表"))
    found: dict[str, set[Decimal | None]] = {}
    for line in lines[start:]:
        cells = [c.strip() for c in line.split("\t")]
        for j, cell in enumerate(cells):
            if _SCORING_CELL.search(cell):
                tail = [c for c in cells[j + 1 :] if c]
                weight = D(tail[-1]) if tail and re.fullmatch(r"\d+(?:\.\d+)?", tail[-1]) else None
                found.setdefault(cell, set()).add(weight)
    return {text: frozenset(weights) for text, weights in found.items()}


def grades(*pairs: tuple[str, object]) -> tuple[Grade, ...]:
    return tuple(Grade(label, p if not isinstance(p, (int, str)) else pts(p)) for label, p in pairs)


def steps(*pairs: tuple[int | str, object]) -> tuple:
    return tuple((D(str(n)), p if not isinstance(p, (int, str)) else pts(p)) for n, p in pairs)


DEV_40 = DeviationSteps(steps=steps((40, 0), (30, 5), (20, 10), (10, 15)), full_below=D(10), full_points=FULL)
RESCALED_60 = RescaledLinear(threshold=D(60))
LINEAR_60 = ThresholdLinear(threshold=D(60))
BASE_2_2_1_4 = BasePlusIncrements(min_count=D(2), base_points=D(2), step_points=D(1), cap=D(4))
HALF_FOR_ONE = PartialCredit(steps=steps((2, FULL), (1, share("0.5"))))
BINARY_DONE = Binary(pass_label="按要求完成", fail_label="未完成")
BINARY_COOPERATE = Binary(pass_label="各项配合/主动完成各项任务完成", fail_label="未完成")
BINARY_PLATFORM = Binary(pass_label="可操作", fail_label="不能操作")
BINARY_SAFE = Binary(pass_label="安全行驶，无人员伤亡", fail_label="有伤亡")
SUSTAIN_1 = QualitativeGrades(
    grades=grades(("具有可持续性", FULL), ("可持续性一般", 1), ("不具有可持续性", NOTHING))
)

PARSED: dict[str, ScoringRule] = {
    # threshold_linear
    "完成小于60%不得分，超过60%得分=完成率*指标分值": LINEAR_60,
    "完成小于60%不得分，超过61%得分=完成率*指标分值": ThresholdLinear(threshold=D(60), gap_upper=D(61)),
    "及时受理和答复率小于60%不得分，超过60%得分=完成率*指标分值": LINEAR_60,
    "完成率小于60%不得分，大于60%的得分=完成率*指标分值。": LINEAR_60,
    "完成率*指标分值": ThresholdLinear(threshold=None),
    "次月及时通报，实际完成率达80%或以上，未达到100%，按百分比*指标分值得分，80%以下通报按时完成不得分。": ThresholdLinear(
        threshold=D(80)
    ),
    "次月及时通报，实际完成率达80%-100%，按百分比*指标分值得分，80%以下通报按时完成不得分。": ThresholdLinear(
        threshold=D(80)
    ),
    # rescaled_linear
    "完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值": RESCALED_60,
    "相关报道次数完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值": RESCALED_60,
    # deviation_steps
    "偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分": DEV_40,
    "偏离目标70%不得分；偏离60%得5分；偏离50%得10分，偏离40%得15分，偏离30%以下得满分": DeviationSteps(
        steps=steps((70, 0), (60, 5), (50, 10), (40, 15)), full_below=D(30), full_points=FULL
    ),
    "偏高目标40%不得分，偏高30%得5分，偏高20%得10分，偏高10%得15分，未偏高得20分。": DeviationSteps(
        steps=steps((40, 0), (30, 5), (20, 10), (10, 15)),
        full_below=D(0),
        full_points=pts(20),
        direction="up",
    ),
    # band_table
    "大于等于90%得10分；90%-80%（含）得8分，80%-60%（含）得5分，小于60%不得分。": BandTable(
        bands=(
            Band(None, D(60), NOTHING),
            Band(D(60), D(80), pts(5)),
            Band(D(80), D(90), pts(8)),
            Band(D(90), None, pts(10)),
        )
    ),
    # 80%-90% as printed holds 90%, and so does 90%-95%以下: they overlap at 90% (reported)
    "满意在95%以上得满分，80%以下不得分，80%-90%得3分，90%-95%以下得4分，": BandTable(
        bands=(
            Band(None, D(80), NOTHING),
            Band(D(80), D(90), pts(3), high_inclusive=True),
            Band(D(90), D(95), pts(4)),
            Band(D(95), None, FULL),
        ),
        overlaps=((1, 2),),
    ),
    # 90%-95% and 85%-95% share [90%, 95%] (probably 85%-90% meant): a value there takes the
    # more favourable band; every shared end (95%, 85%, 80%) is reported with it
    "服务对象满意度95%以上计10分，90%-95%的计8分，85%-95%的计6分，80%-85%的计4分，75%-80%的计2分，75%以下不得分。": BandTable(
        bands=(
            Band(None, D(75), NOTHING),
            Band(D(75), D(80), pts(2), high_inclusive=True),
            Band(D(80), D(85), pts(4), high_inclusive=True),
            Band(D(85), D(95), pts(6), high_inclusive=True),
            Band(D(90), D(95), pts(8), high_inclusive=True),
            Band(D(95), None, pts(10)),
        ),
        overlaps=((1, 2), (2, 3), (3, 4), (3, 5), (4, 5)),
    ),
    # deduction_per_unit
    "每少1个席位扣0.2分，扣完为止": DeductionPerUnit(
        points=D("0.2"), basis=SHORTFALL, unit="个席位", exhaust=True
    ),
    "按时完成得满分，推迟1次扣1分": DeductionPerUnit(points=D(1), basis=COUNT, unit="次"),
    "按时完成得满分，推迟1月扣1分，开展的有1分。": DeductionPerUnit(
        points=D(1), basis=COUNT, unit="月", floor=D(1)
    ),
    "按时完成得满分，推迟1月扣1分，开展了有2分。": DeductionPerUnit(
        points=D(1), basis=COUNT, unit="月", floor=D(2)
    ),
    "按时完成得满分，推迟1月扣1分，开展了有3分。": DeductionPerUnit(
        points=D(1), basis=COUNT, unit="月", floor=D(3)
    ),
    "按方案时间进行得满分，未做到一个扣1分，扣完为止。": DeductionPerUnit(
        points=D(1), basis=COUNT, unit="个", exhaust=True
    ),
    "是否按时出方案，每超过1个月扣1分，扣完为止。": DeductionPerUnit(
        points=D(1), basis=EXCESS, unit="个月", exhaust=True
    ),
    "按方案推行得满分，未达到一个时段扣0.5分，扣完截止。": DeductionPerUnit(
        points=D("0.5"), basis=COUNT, unit="个时段", exhaust=True
    ),
    "持续保持大厅正常运转得30分，发生不能正常运转一次扣5分扣完为止。": DeductionPerUnit(
        points=D(5), basis=COUNT, unit="次", start=pts(30), exhaust=True
    ),
    "完成任务得20分；每少完成1项扣10分。": DeductionPerUnit(
        points=D(10), basis=SHORTFALL, unit="项", start=pts(20)
    ),
    "未发生无故停窗不办理业务问题得4分；每发生1次扣0.5分，扣完为止。": DeductionPerUnit(
        points=D("0.5"), basis=COUNT, unit="次", start=pts(4), exhaust=True
    ),
    "未发生无故停窗不办理业务问题得5分；每发生1次扣0.2分，扣完为止。": DeductionPerUnit(
        points=D("0.2"), basis=COUNT, unit="次", start=pts(5), exhaust=True
    ),
    "达到全领域覆盖得20分，每少一个区县扣4分，扣完为止。": DeductionPerUnit(
        points=D(4), basis=SHORTFALL, unit="个区县", start=pts(20), exhaust=True
    ),
    # base_plus_increments
    "开展2次得2分，少于2次不得分，增加1次加1分，总共4分。": BASE_2_2_1_4,
    "开展2次得2分，少于2次不登封，增加1次加1分，总共4分。": BASE_2_2_1_4,
    "报道2次得2分，少于2次不登封，增加1次加1分，总共4分。": BASE_2_2_1_4,
    "完成小于3次不得分，3次得2分，增加1次加1分，总共4分。": BasePlusIncrements(
        min_count=D(3), base_points=D(2), step_points=D(1), cap=D(4)
    ),
    "完成小于5次不得分，超过5次每次加1分，最高8分。": BasePlusIncrements(
        min_count=D(5), base_points=D(5), step_points=D(1), cap=D(8)
    ),
    # partial_credit
    "完成2次得满分，一次得指标分的50%，未开展不得分": HALF_FOR_ONE,
    "开展2次得满分，开展1次得分50%，未开展不得分。": HALF_FOR_ONE,
    # counts
    "获得1个得2分，获得2个满分": Counts(steps=steps((2, FULL), (1, 2))),
    "获得1个得2.5分，获得2个满分": Counts(steps=steps((2, FULL), (1, "2.5"))),
    "获得1个得5分，获得2个满分": Counts(steps=steps((2, FULL), (1, 5))),
    "制定1个得2分，制定2个得4分。": Counts(steps=steps((2, 4), (1, 2))),
    "获得1次以上得满分，每多1次加1分": Counts(steps=steps((1, FULL)), extra_points=D(1)),
    # qualitative_grades
    "持续推进得5分；推进较缓得3分，未推进不得分。": QualitativeGrades(
        grades=grades(("持续推进", 5), ("推进较缓", 3), ("未推进", NOTHING))
    ),
    "有制度规范，设施设备维护台账得4分；台账不完整得2分；未按要求落实不得分。": QualitativeGrades(
        grades=grades(("有制度规范，设施设备维护台账", 4), ("台账不完整", 2), ("未按要求落实", NOTHING))
    ),
    "达到提升目标得满分，提升效果一般得1分，未提升不得分": QualitativeGrades(
        grades=grades(("达到提升目标", FULL), ("提升效果一般", 1), ("未提升", NOTHING))
    ),
    "达到提升目标得满分，提升效果一般得2分，未提升不得分。": QualitativeGrades(
        grades=grades(("达到提升目标", FULL), ("提升效果一般", 2), ("未提升", NOTHING))
    ),
    "具有可持续性得满分，可持续性一般得1分，不具有可持续性不得分": SUSTAIN_1,
    "进行督查评估并有情况汇报得满分，仅进行督查评估没有情况报告得2.5分。": QualitativeGrades(
        grades=grades(("进行督查评估并有情况汇报", FULL), ("仅进行督查评估没有情况报告", "2.5"))
    ),
    "进行事项评估并有书面报告得满分，仅进行评估没有书面报告得2.5分。": QualitativeGrades(
        grades=grades(("进行事项评估并有书面报告", FULL), ("仅进行评估没有书面报告", "2.5"))
    ),
    "按招标文件执行得3分；落实有偏差得2分；未按要求落实不得分。": QualitativeGrades(
        grades=grades(("按招标文件执行", 3), ("落实有偏差", 2), ("未按要求落实", NOTHING))
    ),
    "按招标文件执行得5分；基本执行得3分，未按要求执行不得分。": QualitativeGrades(
        grades=grades(("按招标文件执行", 5), ("基本执行", 3), ("未按要求执行", NOTHING))
    ),
    "按大厅实际需要进行维护得3分；维护较缓慢得2分；未按要求落实不得分。": QualitativeGrades(
        grades=grades(("按大厅实际需要进行维护", 3), ("维护较缓慢", 2), ("未按要求落实", NOTHING))
    ),
    "按大厅实际需要进行维护得3分；维护较缓得2分；未按要求落实不得分。": QualitativeGrades(
        grades=grades(("按大厅实际需要进行维护", 3), ("维护较缓", 2), ("未按要求落实", NOTHING))
    ),
    "按大厅实际需要进行补给得5分；补给较缓得3分，未按要求落实不得分。": QualitativeGrades(
        grades=grades(("按大厅实际需要进行补给", 5), ("补给较缓", 3), ("未按要求落实", NOTHING))
    ),
    "按大厅实际需要进行维护得5分；维护出现不及时得3分，不维护不得分。": QualitativeGrades(
        grades=grades(("按大厅实际需要进行维护", 5), ("维护出现不及时", 3), ("不维护", NOTHING))
    ),
    "有制度、方案、通知得10分；落实偏离得8分；未按规定落实不得分。": QualitativeGrades(
        grades=grades(("有制度、方案、通知", 10), ("落实偏离", 8), ("未按规定落实", NOTHING))
    ),
    "有制度、方案、有落实得10分；部分完成得8分，完成较低得5分。": QualitativeGrades(
        grades=grades(("有制度、方案、有落实", 10), ("部分完成", 8), ("完成较低", 5))
    ),
    "按管理实施细则得5分，部分实施得3分。": QualitativeGrades(
        grades=grades(("按管理实施细则", 5), ("部分实施", 3))
    ),
    "不断优化提升得5分，优化不程度不够得3分；否则不得分": QualitativeGrades(
        grades=grades(("不断优化提升", 5), ("优化不程度不够", 3)), otherwise=NOTHING
    ),
    # binary
    "按要求完成得满分，未完成不得分。": BINARY_DONE,
    "完成培训得满分，未开展培训不得分": Binary(pass_label="完成培训", fail_label="未开展培训"),
    "及时开展满分，未及时开展不得分": Binary(pass_label="及时开展", fail_label="未及时开展"),
    "省级社会管理权限下放得满分，未取得不得分": Binary(
        pass_label="省级社会管理权限下放", fail_label="未取得"
    ),
    "获得得满分，未获得不得分": Binary(pass_label="获得", fail_label="未获得"),
    "形成报告得满分，未形成报告不得分": Binary(pass_label="形成报告", fail_label="未形成报告"),
    "制定得满分，未制定不得分": Binary(pass_label="制定", fail_label="未制定"),
    "是否融合省级平台，可操作得分，不能操作不得分，": BINARY_PLATFORM,
    "是否融合省级平台，可操作得分，不能操作不得分": BINARY_PLATFORM,
    "安全行驶，无人员伤亡得满分，有伤亡不得分": BINARY_SAFE,
    "安全行驶，无人员伤亡得满分，有伤亡不得分。": BINARY_SAFE,
    "出现重大安全事故不得分，未出现重大安全事故得满分": Binary(
        pass_label="未出现重大安全事故", fail_label="出现重大安全事故"
    ),
    "妥善处理后未产生负面影响的分，未妥善处置出现负面影响不得分。": Binary(
        pass_label="妥善处理后未产生负面影响", fail_label="未妥善处置出现负面影响"
    ),
    "各项配合/主动完成各项任务完成的满分，未完成不得分": BINARY_COOPERATE,
    "各项配合/主动完成各项任务完成得满分，未完成不得分": BINARY_COOPERATE,
    "持续推进得10分；未推进不得分。": Binary(pass_label="持续推进", fail_label="未推进", points=pts(10)),
    "持续保持大厅正常运转得10分，否则不得分。": Binary(
        pass_label="持续保持大厅正常运转", fail_label=None, points=pts(10)
    ),
    "按管理实施细则得5分，否则不得分": Binary(pass_label="按管理实施细则", fail_label=None, points=pts(5)),
    "外包公司按季度考核得10分，无考核不得分": Binary(
        pass_label="外包公司按季度考核", fail_label="无考核", points=pts(10)
    ),
    "运行正常得3分；未及时维护、无台账、设备无法正常运转扣不得分。": Binary(
        pass_label="运行正常", fail_label="未及时维护、无台账、设备无法正常运转", points=pts(3)
    ),
    "按规定开展得3分；未按要求落实不得分。": Binary(
        pass_label="按规定开展", fail_label="未按要求落实", points=pts(3)
    ),
    "按计划开展得3分；未按要求落实不得分。": Binary(
        pass_label="按计划开展", fail_label="未按要求落实", points=pts(3)
    ),
    "有制度、按计划开展得8分；未按规定落实不得分。": Binary(
        pass_label="有制度、按计划开展", fail_label="未按规定落实", points=pts(8)
    ),
    "严格落实得5分；未落实不得分。": Binary(pass_label="严格落实", fail_label="未落实", points=pts(5)),
    "有制度规范，设施设备维护台账得5分；未按要求落实不得分。": Binary(
        pass_label="有制度规范，设施设备维护台账", fail_label="未按要求落实", points=pts(5)
    ),
    "有培训得5分，无培训不得分。": Binary(pass_label="有培训", fail_label="无培训", points=pts(5)),
}

# text → (finding code, part of the message saying why). Checked with the weight(s) printed in the seed.
NOT_PARSEABLE: dict[str, tuple[str, str]] = {
    # garbled: point values (90%得3分, 95%得满分) instead of bands, 91%95% without a dash
    "受理答复率90%一下不得分，90%得3分，91%95%以下得4分，95%得满分。": (
        "scoring-rule-unparsed",
        "条款“90%得3分”无法识别",
    ),
    # ambiguous: both clauses give 1 point, no full marks
    "每分月开展1次，计1分，集中开展的月份仅计1分。": ("scoring-rule-unparsed", "条款“每分月开展1次”无法识别"),
    # compound: two sub-criteria (季度报告 2 分 + 通报 1 分), neither a family nor adding up to the weight 4
    "4个季度报告得2分，少一个扣0.5分，无上级通报和扣得分1分，如有通报和扣分，每次扣0.2分。": (
        "scoring-rule-unparsed",
        "条款“4个季度报告得2分”无法识别",
    ),
    # a threshold deduction (90% 满分, 每下降1%扣0.6分, 80%以下不得分) whose last clause contradicts
    # its floor: below 5% is below 80% (不得分), yet 得4分
    "满意在90%以上得满分，80%以下不得分，满意度每下降1%扣0.6分。5%以下得4分。": (
        "scoring-rule-contradiction",
        "“5%以下得4分”与“80%以下不得分”矛盾",
    ),
    # placeholders: the points were never filled in
    "偏离目标40%不得分，偏离目标30%得XX分，偏离目标20%得XX分，偏离目标10%不得XX分": (
        "scoring-rule-placeholder",
        "“XX”",
    ),
    # best grade 1 point on a 10-point indicator
    "有完整培训记录，按计划完成所有类别的培训任务计1分，无培训记录本项计0分，培训计划部分完成或培训记录不完整计0.5分。": (
        "scoring-rule-contradiction",
        "最高档 1 分与指标分值 10 分不一致",
    ),
    # 60 points on a 4-point indicator (probably 60%)
    "具有可持续性得满分，可持续性一般得分60分，不具有可持续性不得分。": (
        "scoring-rule-contradiction",
        "60 分超过指标分值 4 分",
    ),
}

# (text, printed weight) whose points contradict that weight although the text parses.
WEIGHT_CONFLICTS: dict[tuple[str, Decimal], str] = {
    (
        "偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分",
        D(10),
    ): "15 分超过指标分值 10 分",
}


def test_every_seed_text_is_classified():
    seed = set(seed_rule_cells())
    assert len(seed) >= 60
    unknown = sorted(seed - PARSED.keys() - NOT_PARSEABLE.keys())
    assert not unknown, f"scoring texts in seed 001 with no expectation: {unknown}"
    stale = sorted((PARSED.keys() | NOT_PARSEABLE.keys()) - seed)
    assert not stale, f"expectations for texts not in seed 001: {stale}"
    assert not PARSED.keys() & NOT_PARSEABLE.keys()


# Families the seed does not print (their texts come from other documents; tested below).
OUTSIDE_THE_SEED = {"threshold_deduction"}
# Seed texts that parse with a warning (and only that one).
PARSED_WITH_WARNING = {
    "满意在95%以上得满分，80%以下不得分，80%-90%得3分，90%-95%以下得4分，": "scoring-rule-bands-overlap",
    "服务对象满意度95%以上计10分，90%-95%的计8分，85%-95%的计6分，80%-85%的计4分，75%-80%的计2分，75%以下不得分。": (
        "scoring-rule-bands-overlap"
    ),
}


def test_every_family_occurs_in_the_seed():
    assert {rule.family for rule in PARSED.values()} == set(FAMILIES) - OUTSIDE_THE_SEED


@pytest.mark.parametrize("text", sorted(PARSED))
def test_seed_text_parses(text):
    expected = PARSED[text]
    for weight in sorted(seed_rule_cells().get(text, frozenset({None})), key=lambda w: (w is None, w)):
        rule, findings = parse_rule(text, weight)
        if weight is not None and (text, weight) in WEIGHT_CONFLICTS:
            assert rule is None
            assert findings[0].code == "scoring-rule-contradiction"
            assert WEIGHT_CONFLICTS[text, weight] in findings[0].message
            continue
        assert rule is not None, [f.message for f in findings]
        assert rule.family == expected.family
        assert rule == expected
        assert rule.text == text
        warnings = [f.code for f in findings if f.severity.value != "info"]
        assert warnings == ([PARSED_WITH_WARNING[text]] if text in PARSED_WITH_WARNING else []), warnings


@pytest.mark.parametrize("text", sorted(NOT_PARSEABLE))
def test_seed_text_not_parseable(text):
    code, why = NOT_PARSEABLE[text]
    for weight in seed_rule_cells()[text]:
        rule, findings = parse_rule(text, weight)
        assert rule is None
        assert [f.code for f in findings] == [code]
        assert why in findings[0].message
        assert text in findings[0].message
        assert findings[0].severity.value == "warning"


def test_weight_dependent_texts_parse_without_a_weight():
    rule, _ = parse_rule(
        "有完整培训记录，按计划完成所有类别的培训任务计1分，无培训记录本项计0分，培训计划部分完成或培训记录不完整计0.5分。"
    )
    assert rule == QualitativeGrades(
        grades=grades(
            ("有完整培训记录，按计划完成所有类别的培训任务", 1),
            ("无培训记录本项", NOTHING),
            ("培训计划部分完成或培训记录不完整", "0.5"),
        )
    )
    rule, _ = parse_rule("具有可持续性得满分，可持续性一般得分60分，不具有可持续性不得分。")
    assert rule == QualitativeGrades(
        grades=grades(("具有可持续性", FULL), ("可持续性一般", 60), ("不具有可持续性", NOTHING))
    )
    assert (
        parse_rule("偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分", D(20))[
            0
        ]
        == DEV_40
    )


# -- info findings on parsed texts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "part"),
    [
        (
            "开展2次得2分，少于2次不登封，增加1次加1分，总共4分。",
            "scoring-rule-typo",
            "“不登封”按“不得分”理解",
        ),
        (
            "运行正常得3分；未及时维护、无台账、设备无法正常运转扣不得分。",
            "scoring-rule-typo",
            "“扣不得分”按“不得分”理解",
        ),
        (
            "各项配合/主动完成各项任务完成的满分，未完成不得分",
            "scoring-rule-typo",
            "“完成的满分”按“完成得满分”理解",
        ),
        (
            "妥善处理后未产生负面影响的分，未妥善处置出现负面影响不得分。",
            "scoring-rule-typo",
            "“影响的分”按“影响得分”理解",
        ),
        ("完成小于60%不得分，超过61%得分=完成率*指标分值", "scoring-rule-gap", "完成率 60%–61% 之间"),
        (
            "偏离目标70%不得分；偏离60%得5分；偏离50%得10分，偏离40%得15分，偏离30%以下得满分",
            "scoring-rule-gap",
            "偏离 30%–40%",
        ),
        (
            "偏高目标40%不得分，偏高30%得5分，偏高20%得10分，偏高10%得15分，未偏高得20分。",
            "scoring-rule-gap",
            "偏高 0%–10%",
        ),
        ("完成小于5次不得分，超过5次每次加1分，最高8分。", "scoring-rule-assumption", "5 次得 5 分"),
    ],
)
def test_parsed_with_an_info_finding(text, code, part):
    rule, findings = parse_rule(text)
    assert rule is not None
    assert [f.code for f in findings] == [code]
    assert part in findings[0].message
    assert findings[0].severity.value == "info"


def test_clean_texts_have_no_findings():
    for text in (
        "完成小于60%不得分，超过60%得分=完成率*指标分值",
        "每少1个席位扣0.2分，扣完为止",
        "获得得满分，未获得不得分",
    ):
        assert parse_rule(text)[1] == []


# -- texts outside the seed -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "  ", "/", "无"])
def test_empty_rule(text):
    rule, findings = parse_rule(text)
    assert rule is None
    assert [f.code for f in findings] == ["scoring-rule-missing"]


@pytest.mark.parametrize(
    ("text", "code", "part"),
    [
        ("偏离目标30%得XX分", "scoring-rule-placeholder", "XX"),
        (
            "完成率小于60%不得分，大于等于70%，得分=（完成率-70%）/（1-70%）*指标分值",
            "scoring-rule-contradiction",
            "门槛不一致",
        ),
        ("得分=（完成率-60%）/（1-50%）*指标分值", "scoring-rule-contradiction", "60% 与 50% 不一致"),
        ("完成小于60%不得分，超过50%得分=完成率*指标分值", "scoring-rule-contradiction", "重叠"),
        (
            "偏离目标10%不得分；偏离30%得5分；偏离5%以下得满分",
            "scoring-rule-contradiction",
            "偏离度越大得分反而越高",
        ),
        ("90%以上得10分；90%以上得8分，小于90%不得分", "scoring-rule-overlap", "“90%以上得8分”"),
        ("90%以上得满分，每下降1%扣1分，90%以下不得分", "scoring-rule-contradiction", "不低于满分线"),
        ("满意度每下降1%扣0.5分，每下降1%扣1分", "scoring-rule-contradiction", "扣分条款写了 2 次"),
        ("大于等于90%得10分；小于60%不得分", "scoring-rule-unparsed", "之间的得分未写明"),
        ("获得1个得4分，获得2个得2分", "scoring-rule-contradiction", "数量越多得分反而越低"),
        ("按要求完成得满分", "scoring-rule-unparsed", "只写明一个档次"),
        ("按要求完成得满分，未完成不得分，酌情加分", "scoring-rule-unparsed", "条款“酌情加分”无法识别"),
        ("完成2次得满分，表现一般得1分", "scoring-rule-unparsed", "条款“表现一般得1分”不是"),
        (
            "按要求完成得满分，未达到100%",
            "scoring-rule-unparsed",
            "条款“未达到100%”与定性分档的其他条款不能组合",
        ),
        ("是否按时完成", "scoring-rule-unparsed", "不构成任何评分方法"),
    ],
)
def test_not_parseable_outside_the_seed(text, code, part):
    rule, findings = parse_rule(text)
    assert rule is None
    assert findings[0].code == code
    assert part in findings[0].message


def test_full_width_and_spacing_variants_parse_alike():
    a = parse_rule("完成率小于60%不得分，大于等于60%，得分=（完成率-60%）/（1-60%）*指标分值")[0]
    b = parse_rule("完成率小于６０％不得分; 大于等于60% ，得分=(完成率-60%)/(1-60%)×指标分值")[0]
    assert a == b == RESCALED_60


def test_contradiction_with_weight_for_absolute_points():
    rule, findings = parse_rule("持续推进得10分；未推进不得分。", D(5))
    assert rule is None
    assert "10 分超过指标分值 5 分" in findings[0].message
    rule, findings = parse_rule("持续推进得5分；推进较缓得3分，未推进不得分。", D(10))
    assert rule is None
    assert "最高档 5 分与指标分值 10 分不一致" in findings[0].message


def test_findings_carry_subject_and_source_text():
    _, findings = parse_rule("每分月开展1次，计1分", subject="“领导接听日”活动分月份开展")
    assert findings[0].subject == "“领导接听日”活动分月份开展"
    assert findings[0].message.startswith("“领导接听日”活动分月份开展：评分标准")
    assert findings[0].source_text == "每分月开展1次，计1分"


def test_codes_are_in_the_catalogue():
    for code in (
        "scoring-rule-unparsed",
        "scoring-rule-overlap",
        "scoring-rule-placeholder",
        "scoring-rule-contradiction",
        "scoring-rule-typo",
        "scoring-rule-gap",
        "scoring-rule-assumption",
        "scoring-rule-missing",
    ):
        assert code in CATALOG


def test_params_are_plain_data():
    rule = PARSED["偏离目标40%不得分；偏离30%得5分；偏离20%得10分，偏离10%得15分，偏离10%以下得满分"]
    assert rule.params() == {
        "steps": ["40 → 0分", "30 → 5分", "20 → 10分", "10 → 15分"],
        "full_below": "10",
        "full_points": "满分",
        "direction": "any",
    }
    assert PARSED["完成2次得满分，一次得指标分的50%，未开展不得分"].params() == {
        "steps": ["2 → 满分", "1 → 指标分值×50%"]
    }


# -- deductions from a threshold and overlapping bands (texts from other documents) --------------

from jixiao.scoring.rules import ThresholdDeduction  # noqa: E402


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "满意度90%以上得满分，满意度每下降1%扣0.6分，80%以下不得分",
            ThresholdDeduction(points=D("0.6"), full_at=D(90), zero_below=D(80)),
        ),
        (
            "满意度90%（含）以上得满分，每降低1个百分点扣0.5分，低于80%不得分，扣完为止",
            ThresholdDeduction(points=D("0.5"), full_at=D(90), zero_below=D(80), exhaust=True),
        ),
        ("每降低1个百分点扣2分，低于80%不得分", ThresholdDeduction(points=D(2), zero_below=D(80))),
        ("完成率每下降5%扣1分", ThresholdDeduction(points=D(1), per=D(5), measure="rate")),
        ("每减少1件扣0.5分，扣完为止", DeductionPerUnit(points=D("0.5"), basis=SHORTFALL, unit="件", exhaust=True)),
    ],
)
def test_deductions_counted_from_a_threshold(text, expected):
    rule, findings = parse_rule(text)
    assert rule == expected
    assert findings == []


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("90%-100%得满分，80%-90%得8分，80%以下不得分", "“90%-100%得满分”与“80%-90%得8分”在 90% 处重叠"),
        ("≥90%得10分，≥80%得8分，80%以下不得分", "“大于等于90%得10分”与“大于等于80%得8分”在 ≥90% 区间重叠"),
    ],
)
def test_overlapping_bands_parse_with_a_warning(text, where):
    rule, findings = parse_rule(text)
    assert isinstance(rule, BandTable) and rule.overlaps
    assert [(f.code, f.severity.value) for f in findings] == [("scoring-rule-bands-overlap", "warning")]
    assert where in findings[0].message


def test_bands_that_only_touch_without_sharing_a_value_do_not_overlap():
    for text in ("大于等于90%得10分；90%-80%（含）得8分，小于80%不得分", "90%以上得满分，80%-90%以下得8分，80%以下不得分"):
        rule, findings = parse_rule(text)
        assert isinstance(rule, BandTable) and rule.overlaps == (), text
        assert findings == [], text
