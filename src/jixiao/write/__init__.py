"""Official documents out (issue 10): stored data → the forms, reports and packages departments hand in.

`layout.py` describes a document as blocks (format-neutral); `layouts.py` loads the layout descriptions
(data/layouts/<province>-<year>/<kind>.toml); `xlsx.py`, `docx.py` and `pdf.py` write blocks; one module per
kind builds the blocks from the model (targets, selfeval_table, selfeval_report, disclosure, review_opinion).
"""
