"""Readers: a file → a RawDocument of paragraphs and grids of cells, each cell located.

Readers know formats, not the domain. They never raise on bad input: they return
``(None, findings)`` with an error finding naming the file and the problem.
"""

from jixiao.readers.grid import Cell
from jixiao.readers.grid import Grid
from jixiao.readers.grid import Merge
from jixiao.readers.grid import Paragraph
from jixiao.readers.grid import RawDocument
from jixiao.readers.grid import Row

__all__ = ["Cell", "Grid", "Merge", "Paragraph", "RawDocument", "Row"]
