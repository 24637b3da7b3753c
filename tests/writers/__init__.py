"""Test helpers that write a RawDocument (read from a text original) into other formats.

``docx.write_docx`` and ``html.write_html`` write real files with real merges
(``merges.infer_merges`` decides which cells a real form would have merged); the format
tests read them back and compare the parsed documents with the text original's.
"""
