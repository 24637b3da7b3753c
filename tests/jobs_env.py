"""The environment of the job tests: an empty import folder, the thread runner, and the runner
stopped after each test. A test module uses it with ``from tests.jobs_env import jobs_env``
(an autouse fixture there)."""

from __future__ import annotations

import pytest

from jixiao.services import jobs


@pytest.fixture(autouse=True)
def jobs_env(monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_IMPORT_DIR", str(tmp_path / "import"))
    monkeypatch.delenv("JIXIAO_JOBS", raising=False)
    (tmp_path / "import").mkdir()
    yield
    jobs.shutdown()
