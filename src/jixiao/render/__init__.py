"""Renderers of findings (text, JSON, xlsx), the ``jixiao check`` command and the generated docs.

Sits on top of model, findings, rules and pipeline; nothing below imports it.
"""
