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

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{self.cell or ''}".rstrip("!")
        if self.page is not None:
            tail = f":{self.line}" if self.line is not None else ""
            return f"{self.file}:p{self.page}{tail}"
        if self.line is not None:
            return f"{self.file}:{self.line}"
        return self.file

    def with_column(self, column: int) -> Location:
        return replace(self, column=column)

    def sort_key(self) -> tuple:
        return (self.file, self.sheet or "", self.page or 0, self.line or 0, self.column or 0)
