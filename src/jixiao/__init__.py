"""jixiao (绩效): budget performance management for Chinese public-sector departments.

The pipeline is read → parse → check → score → store/render; each stage is a pure
function returning its result and a list of findings (see docs/architecture.md).
"""

__version__ = "0.1.0"
