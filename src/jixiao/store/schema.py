"""Every table, in one namespace: ``from jixiao.store import schema as db`` then ``db.Document``."""

from jixiao.store.accounts import ORG_LEVELS
from jixiao.store.accounts import Deadline
from jixiao.store.accounts import FiscalYear
from jixiao.store.accounts import LoginAttempt
from jixiao.store.accounts import Org
from jixiao.store.accounts import Token
from jixiao.store.accounts import User
from jixiao.store.activity import JOB_STATES
from jixiao.store.activity import AuditEntry
from jixiao.store.activity import Job
from jixiao.store.activity import SelfEvaluation
from jixiao.store.base import Base
from jixiao.store.documents import FINDING_STATUSES
from jixiao.store.documents import BudgetRow
from jixiao.store.documents import DocTable
from jixiao.store.documents import Document
from jixiao.store.documents import Finding
from jixiao.store.documents import Indicator
from jixiao.store.documents import Section
from jixiao.store.documents import SourceFile
from jixiao.store.documents import StatedAmount
from jixiao.store.documents import TargetSet
from jixiao.store.monitoring import MonitoringEntry
from jixiao.store.monitoring import MonitoringRound
from jixiao.store.monitoring import MonitoringSheet
from jixiao.store.monitoring import RectificationTask
from jixiao.store.monitoring import TargetAdjustment
from jixiao.store.monitoring import WarningProfile
from jixiao.store.operations import OpBinding
from jixiao.store.operations import OpImport
from jixiao.store.operations import OpMetric
from jixiao.store.operations import OpOverride
from jixiao.store.operations import OpRecord
from jixiao.store.operations import OpSource

__all__ = [
    "ORG_LEVELS", "JOB_STATES", "FINDING_STATUSES", "Base", "Deadline", "FiscalYear", "LoginAttempt", "Org", "Token",
    "User", "AuditEntry", "Job", "SelfEvaluation", "BudgetRow", "DocTable", "Document", "Finding",
    "Indicator", "Section", "SourceFile", "StatedAmount", "TargetSet",
    "MonitoringEntry", "MonitoringRound", "MonitoringSheet", "RectificationTask", "TargetAdjustment", "WarningProfile",
    "OpBinding", "OpImport", "OpMetric", "OpOverride", "OpRecord", "OpSource",
]
