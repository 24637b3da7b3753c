"""Parsers: RawDocument → (Document, findings). Parsing is not loading: no I/O here."""
