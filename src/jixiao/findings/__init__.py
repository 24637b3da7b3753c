"""Findings: what a stage has to say about its input. Data, never exceptions."""

from jixiao.findings.finding import Finding
from jixiao.findings.finding import Severity
from jixiao.findings.finding import make

__all__ = ["Finding", "Severity", "make"]
