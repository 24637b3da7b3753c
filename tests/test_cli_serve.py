"""``jixiao serve`` as a real process: uvicorn runs the app factory on the database of
``JIXIAO_DATABASE_URL``; a login and a list answer over HTTP; the process stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from jixiao.services import orgs
from jixiao.services import users
from jixiao.services.context import Ctx
from tests.api_world import PASSWORD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_over_http_and_stops_on_sigterm(database):
    with database.session() as s:
        orgs.add_org(s, name="湖南省财政厅", level="region", code="43")
    users.add_user(Ctx(database), "admin", role="admin", org="43", password=PASSWORD)
    port = _free_port()
    env = {**os.environ, "JIXIAO_DATABASE_URL": database.url, "CI": "1"}
    server = subprocess.Popen([sys.executable, "-m", "jixiao.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                anonymous = httpx.get(f"{base}/api/v1/documents", timeout=5)
                break
            except httpx.TransportError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                time.sleep(0.2)
        assert anonymous.status_code == 401 and anonymous.json()["error"]["code"] == "unauthenticated"
        token = httpx.post(f"{base}/api/v1/login", json={"username": "admin", "password": PASSWORD}).json()["token"]
        listed = httpx.get(f"{base}/api/v1/documents", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200 and listed.json()["total"] == 0
        assert httpx.get(f"{base}/api/docs").status_code == 200
    finally:
        server.send_signal(signal.SIGTERM)
        _out, err = server.communicate(timeout=60)
    # a clean stop: the app's shutdown ran (uvicorn re-raises the signal it handled once done)
    assert server.returncode in (0, -signal.SIGTERM), err
    assert "Application shutdown complete" in err
    assert f"http://127.0.0.1:{port}/api/docs" in err
