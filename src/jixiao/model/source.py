"""Where a thing came from: file and line for text, sheet!cell for workbooks, page for PDF."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A position in a source document, rendered the way editors want it (``file:line``)."""

    file: str
    line: int | None = None
    column: int | None = None  # 1-based cell index within a row, when known
    sheet: str | None = None
    cell: str | None = None
    page: int | None = None
    table: int | None = None  # 1-based table number in the document (docx, html) or on the page (pdf)
    row: int | None = None  # 1-based row within that table
    paragraph: int | None = None  # 1-based paragraph number (docx, html)

    def __str__(self) -> str:
        """``file:line`` (text), ``file:Sheet!B7`` (workbooks), ``file:p3:t1r5c2`` (PDF table cell),
        ``file:p3:120`` (PDF text: page and line of the text dump), ``file:t2r4c3`` and ``file:¶12``
        (docx, html). ``line`` of non-text sources is the line of ``jixiao convert --to text``."""
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{self.cell or ''}".rstrip("!")
        parts = [self.file]
        if self.page is not None:
            parts.append(f"p{self.page}")
        if self.table is not None:
            where = f"t{self.table}"
            if self.row is not None:
                where += f"r{self.row}"
                if self.column is not None:
                    where += f"c{self.column}"
            parts.append(where)
        elif self.paragraph is not None:
            parts.append(f"¶{self.paragraph}")
        elif self.line is not None:
            parts.append(str(self.line))
        return ":".join(parts)

    def with_column(self, column: int) -> Location:
        return replace(self, column=column)

    def sort_key(self) -> tuple:
        return (self.file, self.sheet or "", self.page or 0, self.line or 0, self.column or 0)
