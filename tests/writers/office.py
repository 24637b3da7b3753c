"""Legacy formats and PDF made from the test writers' files by LibreOffice (as people make them).

* ``to_xls``: .xlsx → .xls (BIFF8, "MS Excel 97"), merged ranges and number formats kept.
* ``to_pdf``: .docx → .pdf (Writer's PDF export, fonts through the package's fonts.conf).
* ``to_doc``: .docx → .odt → .doc. A direct ``--convert-to doc`` of a python-docx file turns its
  tables into paragraphs (TECH.md §2); going through .odt keeps them, as a .doc saved by Word does.

Each call converts all its files in one soffice run (a run costs about a second, a file little
more), through ``jixiao.readers.office.convert_many``: the same profile, timeout and fonts as the
reader. A failed conversion raises, naming the files and the reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from jixiao.readers.office import convert_many


def convert(paths: Sequence[Path], to: str, outdir: Path) -> list[Path]:
    """Convert every path (one soffice run per batch); outputs in the inputs' order."""
    outcome = convert_many(list(paths), to, outdir)
    failed = {str(p): r for p, r in outcome.items() if isinstance(r, str)}
    if failed:
        raise RuntimeError(f"LibreOffice conversion to {to} failed: {failed}")
    return [outcome[Path(p)] for p in paths]  # type: ignore[misc]


def to_xls(paths: Sequence[Path], outdir: Path) -> list[Path]:
    return convert(paths, "xls:MS Excel 97", outdir)


def to_pdf(paths: Sequence[Path], outdir: Path) -> list[Path]:
    return convert(paths, "pdf:writer_pdf_Export", outdir)


def to_doc(paths: Sequence[Path], outdir: Path) -> list[Path]:
    odts = convert(paths, "odt", outdir / "odt")
    return convert(odts, "doc:MS Word 97", outdir)
