"""readers/rows.py holds a file only as long as its rows are read: a file opened there (a path,
bytes) is closed with ``Rows.close()`` when a reader stops early, a file object the caller passed
stays the caller's, and neither raises when the collector finalises the rows after the caller
closed its file (the ``ValueError: I/O operation on closed file`` an upload used to print)."""

from __future__ import annotations

import gc
import io
import sys

import pytest

from jixiao.readers.rows import open_rows

DATA = ("受理日期,办理单位\n" + "2026-01-05,第一服务中心\n" * 40).encode()


@pytest.fixture
def unraisable():
    """What the interpreter reports as 'Exception ignored in …' while the test runs."""
    seen = []
    before, sys.unraisablehook = sys.unraisablehook, seen.append
    try:
        yield seen
    finally:
        sys.unraisablehook = before


def test_a_callers_file_closed_before_the_rows_are_collected_raises_nothing(unraisable):
    upload = io.BytesIO(DATA)
    rows, findings = open_rows(upload, "办件.csv")
    assert findings == [] and next(rows.rows) == (1, ["受理日期", "办理单位"])
    upload.close()  # the framework closes the upload; the rows are collected later
    del rows
    gc.collect()
    assert [str(u.exc_value) for u in unraisable] == []


def test_rows_closed_early_close_the_file_opened_here_and_leave_the_callers_open(tmp_path, unraisable):
    path = tmp_path / "办件.csv"
    path.write_bytes(DATA)
    rows, _ = open_rows(path, "办件.csv")
    with rows:
        assert [next(rows.rows) for _ in range(3)][-1] == (3, ["2026-01-05", "第一服务中心"])
        assert not rows.stream.closed
    assert rows.stream.closed and list(rows.rows) == []  # the file closed, the rows ended

    upload = io.BytesIO(DATA)
    rows, _ = open_rows(upload, "办件.csv")
    with rows:
        assert len(list(rows.rows)) == 41
    assert rows.stream is None and not upload.closed and upload.getvalue() == DATA
    del rows
    gc.collect()
    assert unraisable == []
